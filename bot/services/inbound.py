"""The message log: every inbound update once (idempotency), with the text behind facts.

A Telegram update is logged twice over: as it is fetched (:func:`receive`, its payload,
before Telegram is told it arrived), then when handling starts (:func:`claim` loads who
sent it and claims the row, filling in who sent what; the :class:`Claim` it returns
carries the row's id to the services that store facts from it). :func:`finish` marks it
answered and drops the payload. Whatever was fetched but never answered (a crash, a
database outage) is found by :func:`unhandled` and handled again; handling is idempotent,
so nothing is stored twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.services import identity
from bot.services.identity import Actor
from bot.transport import Incoming
from storage.db import Database
from storage.models import InboundMessage
from storage.queries import insert_ignore

UNHANDLED_BATCH = 500  # rows handed back at once by :func:`unhandled`
# A claim older than this belongs to a handling that failed (the database was away, or
# the process died): the update may be claimed again.
HANDLING_LEASE = timedelta(minutes=5)


def receive(db: Database, transport: str, updates: Sequence[dict[str, Any]], now: datetime) -> None:
    """Log fetched updates with their payload, durably, in one statement; an update
    logged before (fetched again after a restart) is left as it is."""
    if not updates:
        return
    with db.session() as session:
        dialect = session.get_bind().dialect.name
        module = postgresql if dialect == "postgresql" else sqlite
        rows = [
            {
                "transport": transport,
                "update_id": item["update_id"],
                "kind": "received",
                "payload": item,
                "received_at": now,
            }
            for item in updates
        ]
        session.execute(
            module.insert(InboundMessage)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["transport", "update_id"])
        )


@dataclass(frozen=True)
class Claim:
    """An update claimed for handling: who sent it, and its row in the message log (the
    row the facts stored from it point to)."""

    actor: Actor
    inbound_id: int


def claim(db: Database, incoming: Incoming, now: datetime) -> Claim | None:
    """Load who sent ``incoming`` and claim it, in one transaction; None when it was
    handled already or is being handled (a redelivery)."""
    with db.session() as session:
        actor = identity.load_actor(session, incoming)
        inbound_id = log_update(session, incoming, actor.official_id, now)
        return None if inbound_id is None else Claim(actor, inbound_id)


def log_update(
    session: Session, incoming: Incoming, official_id: int | None, now: datetime
) -> int | None:
    """Claim ``incoming`` for handling and record what it is; its row's id, or None when
    it was handled already or is being handled (a redelivery).

    The text is kept only for registered people: nothing an unregistered person sends
    is stored beyond the update id.
    """
    facts = {
        "kind": incoming.kind.value,
        "chat_id": incoming.chat.id,
        "user_id": incoming.user.id if incoming.user and official_id else None,
        "message_id": incoming.message_id,
        "official_id": official_id,
        "text": (incoming.text or incoming.callback_data) if official_id else None,
    }
    key = {"transport": incoming.transport, "update_id": incoming.update_id}
    inserted = insert_ignore(
        session,
        InboundMessage,
        {**key, **facts, "received_at": incoming.date, "claimed_at": now},
        ["transport", "update_id"],
    )
    if inserted is not None:
        return inserted
    return session.scalar(
        update(InboundMessage)
        .where(
            InboundMessage.transport == incoming.transport,
            InboundMessage.update_id == incoming.update_id,
            InboundMessage.handled_at.is_(None),
            or_(
                InboundMessage.claimed_at.is_(None),
                InboundMessage.claimed_at <= now - HANDLING_LEASE,
            ),
        )
        .values(**facts, claimed_at=now)
        .returning(InboundMessage.id)
    )


def finish(db: Database, transport: str, update_id: int, now: datetime) -> None:
    """The update is answered: it is not handled again, and its payload is dropped."""
    with db.session() as session:
        session.execute(
            update(InboundMessage)
            .where(
                InboundMessage.transport == transport,
                InboundMessage.update_id == update_id,
                InboundMessage.handled_at.is_(None),
            )
            .values(handled_at=now, payload=None)
        )


def release_claims(db: Database, transport: str) -> int:
    """Forget every claim of unanswered updates (at the start of the only process that
    polls: whatever it had claimed before died with it)."""
    with db.session() as session:
        result = session.execute(
            update(InboundMessage)
            .where(
                InboundMessage.transport == transport,
                InboundMessage.handled_at.is_(None),
                InboundMessage.claimed_at.is_not(None),
            )
            .values(claimed_at=None)
        )
        return result.rowcount or 0


def unhandled(
    db: Database, transport: str, received_before: datetime, claimed_before: datetime
) -> list[dict[str, Any]]:
    """Payloads of updates fetched by ``received_before`` and never answered, whose
    handling never began or began by ``claimed_before`` (and so failed), oldest first."""
    with db.session() as session:
        return list(
            session.scalars(
                select(InboundMessage.payload)
                .where(
                    InboundMessage.transport == transport,
                    InboundMessage.handled_at.is_(None),
                    InboundMessage.payload.is_not(None),
                    InboundMessage.received_at <= received_before,
                    or_(
                        InboundMessage.claimed_at.is_(None),
                        InboundMessage.claimed_at <= claimed_before,
                    ),
                )
                .order_by(InboundMessage.id)
                .limit(UNHANDLED_BATCH)
            )
        )
