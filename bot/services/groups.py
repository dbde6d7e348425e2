"""Group chats: recorded when the bot is added, bound to units by the office."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.checks import required
from bot.language.normalize import fold
from bot.matching import UnitMatch
from bot.services.identity import Actor
from bot.services.units import unit_catalogue
from bot.transport import ChatRef
from storage.db import Database
from storage.models import Chat, Unit
from storage.queries import storable

SEPARATORS = re.compile(r"[,;\n]+")
REMOVE_WORDS = {"xoa", "bo", "go", "remove"}


def _chat(session: Session, ref: ChatRef) -> Chat | None:
    return session.scalar(select(Chat).where(Chat.telegram_chat_id == ref.id))


def record_group(
    db: Database, ref: ChatRef, added_by: int | None, language: str | None, now: datetime
) -> bool:
    """Remember a group the bot was added to; True when it is new or came back."""
    with db.session() as session:
        chat = _chat(session, ref)
        fresh = chat is None or not chat.active
        if chat is None:
            chat = Chat(telegram_chat_id=ref.id, type=ref.type.value, created_at=now)
            chat.locale = language
            session.add(chat)
        chat.title, chat.active, chat.added_by_user_id = storable(ref.title), True, added_by
        chat.updated_at = now
        return fresh


def leave_group(db: Database, ref: ChatRef, now: datetime) -> None:
    with db.session() as session:
        chat = _chat(session, ref)
        if chat is not None:
            chat.active, chat.updated_at = False, now


@dataclass
class BindResult:
    allowed: bool = True
    bound: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    unresolved: list[UnitMatch] = field(default_factory=list)


def bind_units(db: Database, ref: ChatRef, actor: Actor, text: str, now: datetime) -> BindResult:
    """Show, add or (with a leading "xóa"/"bỏ") remove the units a group serves.

    Only the office and admins may change it. If any name is not understood, nothing
    changes and the result says which.
    """
    with db.session() as session:
        chat = _chat(session, ref)
        if chat is None:
            chat = Chat(telegram_chat_id=ref.id, type=ref.type.value, title=storable(ref.title))
            chat.created_at = chat.updated_at = now
            session.add(chat)
        result = BindResult()
        words = text.split(maxsplit=1)
        removing = bool(words) and fold(words[0]) in REMOVE_WORDS
        names = [
            n.strip()
            for n in SEPARATORS.split(
                words[1] if removing and len(words) > 1 else "" if removing else text
            )
        ]
        names = [n for n in names if n]
        if names and not actor.manages:
            result.allowed = False
        elif names:
            catalogue = unit_catalogue(session)
            matches = [catalogue.match(n) for n in names]
            result.unresolved = [m for m in matches if m.unit is None]
            if not result.unresolved:
                units = [session.get(Unit, m.unit.id) for m in matches if m.unit]
                for unit in units:
                    unit = required(unit, "unit")
                    if removing and unit in chat.units:
                        chat.units.remove(unit)
                        result.removed.append(unit.name)
                    elif not removing and unit not in chat.units:
                        chat.units.append(unit)
                        result.bound.append(unit.name)
                result.bound.sort(key=fold)
                result.removed.sort(key=fold)
                chat.updated_at = now
        session.flush()
        result.current = sorted((u.name for u in chat.units), key=fold)
        return result
