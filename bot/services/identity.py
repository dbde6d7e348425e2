"""Who is talking: invites, registration by deep link, and the actor behind an update."""

from __future__ import annotations

import enum
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.checks import required
from bot.config import INVITE_DAYS
from bot.i18n import pick_language
from bot.services.units import resolve_unit
from bot.transport import Incoming, UserRef
from storage.db import Database
from storage.models import Chat, Invite, Official, Role, Unit
from storage.queries import get_meta, storable

CODE_BYTES = 12  # 16 URL-safe characters; deep-link payloads allow up to 64
ROLES_NEEDING_UNIT = {Role.OFFICIAL}


@dataclass(frozen=True)
class Actor:
    """The person behind an update, as the services see them."""

    user_id: int | None
    language: str
    official_id: int | None = None
    role: Role | None = None
    unit_id: int | None = None
    unit_name: str | None = None
    full_name: str | None = None

    @property
    def registered(self) -> bool:
        return self.official_id is not None

    @property
    def manages(self) -> bool:
        """Office and admin may act for every unit (bind groups, edit the plan)."""
        return self.role in (Role.OFFICE, Role.ADMIN)


@dataclass(frozen=True)
class InviteInfo:
    code: str
    role: Role
    unit_name: str | None
    expires_at: datetime
    link: str | None


class InviteError(ValueError):
    pass


def deep_link(username: str | None, code: str) -> str | None:
    return f"https://t.me/{username.lstrip('@')}?start={code}" if username else None


def bot_username(session: Session, configured: str | None) -> str | None:
    return configured or get_meta(session, "bot_username")


def create_invite(
    db: Database,
    *,
    role: Role,
    unit_query: str | None,
    now: datetime,
    days: int,
    created_by: str,
    username: str | None = None,
) -> InviteInfo:
    """A one-time code binding its user to a unit and role, valid for ``days`` (within
    :data:`bot.config.INVITE_DAYS`, else ValueError); raises UnitNotResolved, or
    InviteError for an official without a unit."""
    if role in ROLES_NEEDING_UNIT and not unit_query:
        raise InviteError("an official invite needs --unit")
    if not INVITE_DAYS[0] <= days <= INVITE_DAYS[1]:
        raise ValueError(f"an invite is valid for {INVITE_DAYS[0]} to {INVITE_DAYS[1]} days")
    with db.session() as session:
        unit = resolve_unit(session, unit_query) if unit_query else None
        invite = Invite(
            code=secrets.token_urlsafe(CODE_BYTES),
            role=role,
            unit_id=unit.id if unit else None,
            created_by=created_by,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        session.add(invite)
        return InviteInfo(
            code=invite.code,
            role=role,
            unit_name=unit.name if unit else None,
            expires_at=invite.expires_at,
            link=deep_link(bot_username(session, username), invite.code),
        )


class Redeem(enum.StrEnum):
    REGISTERED = "registered"
    REBOUND = "rebound"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"


@dataclass(frozen=True)
class RedeemResult:
    outcome: Redeem
    actor: Actor | None = None


def redeem_invite(db: Database, code: str, user: UserRef, now: datetime) -> RedeemResult:
    """Bind ``user`` to the invite's unit and role; the code works exactly once.

    The claim is one conditional UPDATE, so two people racing for a code cannot both win.
    """
    with db.session() as session:
        claimed = session.execute(
            update(Invite)
            .where(Invite.code == code, Invite.used_at.is_(None), Invite.expires_at > now)
            .values(used_at=now)
        ).rowcount  # type: ignore[attr-defined]
        invite = session.scalar(select(Invite).where(Invite.code == code))
        if not claimed:
            if invite is None:
                return RedeemResult(Redeem.UNKNOWN)
            return RedeemResult(Redeem.USED if invite.used_at else Redeem.EXPIRED)
        invite = required(invite, "invite")
        official = session.scalar(select(Official).where(Official.telegram_user_id == user.id))
        outcome = Redeem.REBOUND if official else Redeem.REGISTERED
        name = storable(user.full_name) or ""
        if official is None:
            official = Official(telegram_user_id=user.id, full_name=name, role=invite.role)
            session.add(official)
        official.unit_id, official.role, official.active = invite.unit_id, invite.role, True
        official.full_name, official.username = name, storable(user.username)
        official.telegram_language = user.language_code
        session.flush()
        invite.used_by_id = official.id
        return RedeemResult(
            outcome,
            _actor(
                official,
                session.get(Unit, invite.unit_id) if invite.unit_id else None,
                user.language_code,
            ),
        )


class InviteGuesses:
    """Wrong invite codes per Telegram user, so that codes cannot be guessed in bulk.

    After ``limit`` unknown or expired codes within ``window``, the user's further tries
    are refused until ``lockout`` after the last wrong one, without asking the database.
    Kept in memory, per process (one per :class:`bot.core.Core`): a restart forgets it,
    and with several instances each counts the tries it received. At most ``max_users``
    people are remembered (the least recent are forgotten first). Thread-safe: the core
    runs in worker threads.
    """

    def __init__(
        self,
        limit: int = 5,
        window: timedelta = timedelta(minutes=10),
        lockout: timedelta = timedelta(minutes=30),
        max_users: int = 10_000,
    ) -> None:
        self.limit, self.window, self.lockout, self.max_users = limit, window, lockout, max_users
        self._wrong: OrderedDict[int, list[datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def blocked_until(self, user_id: int, now: datetime) -> datetime | None:
        """When ``user_id`` may try again, if they may not now: their last ``limit``
        wrong codes came within ``window``, and the last one less than ``lockout`` ago."""
        with self._lock:
            wrong = self._wrong.get(user_id, [])
            if len(wrong) < self.limit or wrong[-1] - wrong[-self.limit] > self.window:
                return None
            until = wrong[-1] + self.lockout
            return until if now < until else None

    def wrong(self, user_id: int, now: datetime) -> None:
        """``user_id`` sent a code that does not exist or has expired."""
        keep = max(self.window, self.lockout)
        with self._lock:
            wrong = [at for at in self._wrong.get(user_id, []) if at > now - keep]
            self._wrong[user_id] = [*wrong, now][-self.limit :]
            self._wrong.move_to_end(user_id)
            while len(self._wrong) > self.max_users:
                self._wrong.popitem(last=False)

    def forget(self, user_id: int) -> None:
        """``user_id`` registered: their wrong tries no longer count."""
        with self._lock:
            self._wrong.pop(user_id, None)


def _actor(official: Official, unit: Unit | None, telegram_language: str | None) -> Actor:
    return Actor(
        user_id=official.telegram_user_id,
        language=pick_language(official.locale, telegram_language),
        official_id=official.id,
        role=official.role,
        unit_id=unit.id if unit else None,
        unit_name=unit.name if unit else None,
        full_name=official.full_name,
    )


def load_actor(session: Session, incoming: Incoming) -> Actor:
    """The registered official behind ``incoming``, or an anonymous actor.

    The language is the official's stored choice, else Telegram's ``language_code``,
    else Vietnamese; in a group the group's own language comes first.
    """
    user = incoming.user
    group_language = None
    if incoming.chat.is_group:
        group_language = session.scalar(
            select(Chat.locale).where(Chat.telegram_chat_id == incoming.chat.id)
        )
    official = (
        session.scalar(
            select(Official).where(Official.telegram_user_id == user.id, Official.active.is_(True))
        )
        if user
        else None
    )
    telegram_language = user.language_code if user else None
    if official is None:
        return Actor(
            user_id=user.id if user else None,
            language=pick_language(group_language, telegram_language),
        )
    actor = _actor(official, official.unit, telegram_language)
    if group_language:
        actor = Actor(**{**actor.__dict__, "language": group_language})
    return actor


def set_language(db: Database, actor: Actor, chat_id: int | None, language: str) -> bool:
    """Store a language choice: the person's own, or (office/admin, in a group) the
    group's. False when the actor may not change the group's."""
    with db.session() as session:
        if chat_id is not None:
            if not actor.manages:
                return False
            chat = session.scalar(select(Chat).where(Chat.telegram_chat_id == chat_id))
            if chat is not None:
                chat.locale = language
            return chat is not None
        official = session.get(Official, actor.official_id)
        official = required(official, "official")
        official.locale = language
        return True
