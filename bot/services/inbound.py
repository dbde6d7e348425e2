"""The message log: every inbound update once (idempotency), with the text behind facts,
and one chat's updates handled one at a time, in order.

A Telegram update is logged twice over: as it is fetched (:func:`receive`, its payload,
before Telegram is told it arrived), then when handling starts (:func:`claim` loads who
sent it and claims the row, filling in who sent what; the :class:`Claim` it returns
carries the row's id to the services that store facts from it). :func:`finish` marks it
answered, drops the payload and hands back the chat's next update waiting. Whatever was
fetched but never answered (a crash, a database outage) is found by :func:`unhandled`
and handled again; handling is idempotent, so nothing is stored twice.

An update is known by (transport, bot, update id): Telegram's ids start over for a new
token and are picked at random after a week without updates, so a row answered longer
ago than the redelivery horizon (``horizon``: Telegram keeps an update 24 hours) is
retired (``live`` NULL) when its id comes again, and the update is taken as new.

Several instances (or PTB's concurrent updates) may get one chat's consecutive updates
at once. An update is claimed only when no other update of its chat is being handled
(claimed within ``HANDLING_LEASE``) and none logged before it waits: otherwise it is left
waiting, logged, and :func:`finish` of the update before it hands it back to be handled
next (or the intake's sweep does, if that instance died). On PostgreSQL the decision is
taken under a transaction-level advisory lock keyed by the chat; on SQLite the one
conditional ``UPDATE`` is atomic (one writer at a time).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from bot.services import identity
from bot.services.identity import Actor
from bot.transport import Incoming
from storage import instances
from storage.db import Database
from storage.models import InboundMessage
from storage.queries import insert_ignore

UNHANDLED_BATCH = 500  # rows handed back at once by :func:`unhandled`
# A claim older than this belongs to a handling that failed (the database was away, or
# the process died): the update may be claimed again.
HANDLING_LEASE = timedelta(minutes=5)
# Telegram keeps an update it could not deliver for 24 hours: an id answered longer ago
# than this and seen again is a new update (``DONDOC_UPDATE_HORIZON_HOURS``).
HORIZON = timedelta(hours=24)
KEY = ["transport", "bot_id", "update_id", "live"]  # the log's unique key
# Telegram posts at most 100 updates at once (setWebhook's max_connections): an update
# still on its way is among the 100 ids before the last one logged.
ARRIVAL_WINDOW = 100


def chat_of(payload: dict[str, Any]) -> int | None:
    """The chat a Telegram update belongs to (a message, an edit, a button's message, a
    membership change), None for an update without one."""
    for name, value in payload.items():
        if name == "update_id" or not isinstance(value, dict):
            continue
        chat = value.get("chat") or (value.get("message") or {}).get("chat")
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            return chat["id"]
    return None


def _retire(session: Session, transport: str, bot_id: int, ids: Sequence[int], before: datetime):
    """Rows of these update ids answered before ``before`` no longer hold their ids."""
    session.execute(
        update(InboundMessage)
        .where(
            InboundMessage.transport == transport,
            InboundMessage.bot_id == bot_id,
            InboundMessage.update_id.in_(ids),
            InboundMessage.live.is_(True),
            InboundMessage.handled_at < before,
        )
        .values(live=None)
    )


def receive(
    db: Database,
    transport: str,
    updates: Sequence[dict[str, Any]],
    now: datetime,
    *,
    bot_id: int = 0,
    horizon: timedelta = HORIZON,
) -> None:
    """Log fetched updates with their payload and chat, durably; an update logged before
    (fetched again after a restart, redelivered) is left as it is, one whose id was last
    answered longer than ``horizon`` ago is logged as new."""
    if not updates:
        return
    with db.session() as session:
        _retire(session, transport, bot_id, [item["update_id"] for item in updates], now - horizon)
        dialect = session.get_bind().dialect.name
        module = postgresql if dialect == "postgresql" else sqlite
        rows = [
            {
                "transport": transport,
                "bot_id": bot_id,
                "update_id": item["update_id"],
                "live": True,
                "kind": "received",
                "chat_id": chat_of(item),
                "payload": item,
                "received_at": now,
            }
            for item in updates
        ]
        session.execute(
            module.insert(InboundMessage).values(rows).on_conflict_do_nothing(index_elements=KEY)
        )


def missing_before(
    db: Database,
    transport: str,
    bot_id: int,
    update_id: int,
    now: datetime,
    *,
    window: int = ARRIVAL_WINDOW,
    horizon: timedelta = HORIZON,
) -> int:
    """How many of the ``window`` update ids just below ``update_id`` are not in the log
    yet: Telegram numbers a bot's updates in order and posts up to ``max_connections``
    of them at once, so an earlier update of the same chat may still be on its way to
    another instance. Counted from the lowest of those ids logged within ``horizon``:
    ids below it are not waited for (nothing before a fresh log's first update, or
    before ids that started over), so the very first burst of a log is not ordered."""
    with db.session() as session:
        mine = [
            InboundMessage.transport == transport,
            InboundMessage.bot_id == bot_id,
            InboundMessage.live.is_(True),
        ]
        recent = [
            *mine,
            InboundMessage.update_id > update_id - window,
            InboundMessage.update_id < update_id,
        ]
        floor, present = session.execute(
            select(
                func.min(InboundMessage.update_id),
                func.count(func.distinct(InboundMessage.update_id)),
            ).where(*recent, InboundMessage.received_at > now - horizon)
        ).one()
        if floor is None:
            return 0
        return max(0, update_id - floor - present)


@dataclass(frozen=True)
class Claim:
    """An update claimed for handling: who sent it, and its row in the message log (the
    row the facts stored from it point to)."""

    actor: Actor
    inbound_id: int


def claim(
    db: Database,
    incoming: Incoming,
    now: datetime,
    *,
    horizon: timedelta = HORIZON,
    by: str | None = None,
) -> Claim | None:
    """Load who sent ``incoming`` and claim it, in one transaction; None when it was
    handled already or is being handled (a redelivery), or waits for an update of its
    chat logged before it (handed back by that one's :func:`finish`)."""
    with db.session() as session:
        actor = identity.load_actor(session, incoming)
        inbound_id = log_update(session, incoming, actor.official_id, now, horizon=horizon, by=by)
        return None if inbound_id is None else Claim(actor, inbound_id)


def chat_lock_key(transport: str, bot_id: int, chat_id: int) -> int:
    """The PostgreSQL advisory lock key of one chat (a signed 64-bit number)."""
    digest = hashlib.blake2b(f"chat:{transport}:{bot_id}:{chat_id}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


def log_update(
    session: Session,
    incoming: Incoming,
    official_id: int | None,
    now: datetime,
    *,
    horizon: timedelta = HORIZON,
    by: str | None = None,
) -> int | None:
    """Claim ``incoming`` for handling (``by``: the instance, see :mod:`storage.instances`) and
    record what it is; its row's id, or None when it was handled already, is being
    handled (a redelivery), or must wait: another update of its chat is being handled,
    or one logged before it is not answered yet.

    The text is kept only for registered people: nothing an unregistered person sends
    is stored beyond the update id.
    """
    transport, bot_id, update_id = incoming.transport, incoming.bot_id, incoming.update_id
    chat_id = incoming.chat.id
    facts = {
        "kind": incoming.kind.value,
        "chat_id": chat_id,
        "user_id": incoming.user.id if incoming.user and official_id else None,
        "message_id": incoming.message_id,
        "official_id": official_id,
        "text": (incoming.text or incoming.callback_data) if official_id else None,
    }
    key = {"transport": transport, "bot_id": bot_id, "update_id": update_id, "live": True}
    _retire(session, transport, bot_id, [update_id], now - horizon)
    if session.get_bind().dialect.name == "postgresql":
        # One decision at a time per chat, across instances (released at commit).
        session.execute(
            select(func.pg_advisory_xact_lock(chat_lock_key(transport, bot_id, chat_id)))
        )
    insert_ignore(session, InboundMessage, {**key, **facts, "received_at": incoming.date}, KEY)
    other = aliased(InboundMessage)
    busy = exists().where(
        other.transport == transport,
        other.bot_id == bot_id,
        other.chat_id == chat_id,
        other.handled_at.is_(None),
        other.update_id != update_id,
        # Only an update logged by the intake (with its payload, kept until answered) is
        # waited for: it is handled again if need be. The console, the demo and direct
        # callers handle one message after another and log none.
        other.payload.is_not(None),
        or_(
            # being handled
            other.claimed_at > now - HANDLING_LEASE,
            # logged before this one and waiting (one waiting longer than the horizon
            # holds the chat no more)
            and_(other.update_id < update_id, other.received_at > now - horizon),
        ),
    )
    return session.scalar(
        update(InboundMessage)
        .where(
            InboundMessage.transport == transport,
            InboundMessage.bot_id == bot_id,
            InboundMessage.update_id == update_id,
            InboundMessage.live.is_(True),
            InboundMessage.handled_at.is_(None),
            or_(
                InboundMessage.claimed_at.is_(None),
                InboundMessage.claimed_at <= now - HANDLING_LEASE,
            ),
            ~busy,
        )
        .values(**facts, claimed_at=now, claimed_by=by)
        .returning(InboundMessage.id)
    )


def finish(
    db: Database, transport: str, update_id: int, now: datetime, *, bot_id: int = 0
) -> dict[str, Any] | None:
    """The update is answered: it is not handled again, and its payload is dropped.
    Returns the payload of the next update of its chat waiting for it (the earliest one
    logged and not claimed), to be handled now, or None."""
    with db.session() as session:
        chat_id = session.scalar(
            update(InboundMessage)
            .where(
                InboundMessage.transport == transport,
                InboundMessage.bot_id == bot_id,
                InboundMessage.update_id == update_id,
                InboundMessage.live.is_(True),
                InboundMessage.handled_at.is_(None),
            )
            .values(handled_at=now, payload=None)
            .returning(InboundMessage.chat_id)
        )
    if chat_id is None:
        return None
    with db.session() as session:
        return session.scalar(
            select(InboundMessage.payload)
            .where(
                InboundMessage.transport == transport,
                InboundMessage.bot_id == bot_id,
                InboundMessage.chat_id == chat_id,
                InboundMessage.handled_at.is_(None),
                InboundMessage.payload.is_not(None),
                or_(
                    InboundMessage.claimed_at.is_(None),
                    InboundMessage.claimed_at <= now - HANDLING_LEASE,
                ),
            )
            .order_by(InboundMessage.update_id)
            .limit(1)
        )


def adopt(db: Database, transport: str, bot_id: int) -> int:
    """Rows never answered that were logged before the log knew bots (bot 0) become this
    bot's, unless it logged the same id since: they are handled again as its own."""
    if not bot_id:
        return 0
    mine = aliased(InboundMessage)
    with db.session() as session:
        result = session.execute(
            update(InboundMessage)
            .where(
                InboundMessage.transport == transport,
                InboundMessage.bot_id == 0,
                InboundMessage.handled_at.is_(None),
                ~exists().where(
                    mine.transport == transport,
                    mine.bot_id == bot_id,
                    mine.update_id == InboundMessage.update_id,
                    mine.live.is_(True),
                ),
            )
            .values(bot_id=bot_id)
        )
        return result.rowcount or 0


def release_claims(db: Database, transport: str, *, bot_id: int | None = None) -> int:
    """Forget every claim of unanswered updates (at the start of the only process that
    handles them, on SQLite: whatever it had claimed before died with it). With several
    instances, :func:`release_dead_claims`."""
    with db.session() as session:
        result = session.execute(
            update(InboundMessage)
            .where(
                InboundMessage.transport == transport,
                *([InboundMessage.bot_id == bot_id] if bot_id is not None else []),
                InboundMessage.handled_at.is_(None),
                InboundMessage.claimed_at.is_not(None),
            )
            .values(claimed_at=None, claimed_by=None)
        )
        return result.rowcount or 0


# Held by every running instance (the intake takes it at start): re-exported for it.
hold_alive = instances.hold_alive


def release_dead_claims(db: Database, transport: str) -> int:
    """PostgreSQL: forget the claims of unanswered updates whose instance is gone
    (:func:`storage.instances.gone`) or unknown, so that they are handled again now rather
    than when their lease ends."""
    with db.session() as session:
        pending = [
            InboundMessage.transport == transport,
            InboundMessage.handled_at.is_(None),
            InboundMessage.claimed_at.is_not(None),
        ]
        owners = session.scalars(
            select(InboundMessage.claimed_by)
            .where(*pending, InboundMessage.claimed_by.is_not(None))
            .distinct()
        ).all()
        dead = instances.gone(session, owners)
        result = session.execute(
            update(InboundMessage)
            .where(
                *pending,
                or_(InboundMessage.claimed_by.is_(None), InboundMessage.claimed_by.in_(dead)),
            )
            .values(claimed_at=None, claimed_by=None)
        )
        return result.rowcount or 0


def unhandled(
    db: Database,
    transport: str,
    received_before: datetime,
    claimed_before: datetime,
    *,
    bot_id: int | None = None,
) -> list[dict[str, Any]]:
    """Payloads of updates fetched by ``received_before`` and never answered, whose
    handling never began or began by ``claimed_before`` (and so failed), oldest first."""
    with db.session() as session:
        return list(
            session.scalars(
                select(InboundMessage.payload)
                .where(
                    InboundMessage.transport == transport,
                    *([InboundMessage.bot_id == bot_id] if bot_id is not None else []),
                    InboundMessage.handled_at.is_(None),
                    InboundMessage.payload.is_not(None),
                    InboundMessage.received_at <= received_before,
                    or_(
                        InboundMessage.claimed_at.is_(None),
                        InboundMessage.claimed_at <= claimed_before,
                    ),
                )
                .order_by(InboundMessage.update_id, InboundMessage.id)
                .limit(UNHANDLED_BATCH)
            )
        )
