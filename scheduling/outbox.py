"""The outbox of reminders: claim what is due, record what became of each send.

``claim`` takes due rows atomically (one claim at a time: an advisory lock on
PostgreSQL; ``UPDATE … WHERE state = pending RETURNING``) so two instances never send
the same row, at most ``limit`` at once and at most ``GROUP_REMINDERS_PER_MINUTE`` a
minute into one group from every instance together. A row names the instance that
claimed it: the rows of an instance that died are taken over at the next claim of
another (on PostgreSQL, :func:`storage.instances.gone`; on SQLite, the one process, any
instance but the one claiming now), and a row claimed by nobody known is released after
``CLAIM_TIMEOUT``. Rows overdue by more than the staleness limit are not sent late: they
are marked stale for the office's digest. ``mark_sent``, ``mark_failed`` (retried
``MAX_ATTEMPTS`` times; a chat that blocked the bot is given up at once) and
``mark_cancelled`` record the outcome.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, true, update

from bot import metrics
from scheduling.calendar import in_quiet_hours
from scheduling.policy import ReminderSettings
from storage import instances
from storage.db import Database
from storage.models import Chat, Reminder, ReminderState

CLAIM_LIMIT = 100  # rows one claim takes at most
CLAIM_TIMEOUT = timedelta(minutes=10)
# Telegram takes at most 20 messages a minute in a group. Reminders to one group, from
# every instance together, keep to this many in any minute, leaving room for answers.
PACING_WINDOW = timedelta(seconds=60)
GROUP_REMINDERS_PER_MINUTE = 15
CLAIM_LOCK = 0x646F6E646F63  # PostgreSQL advisory lock key of the claims ("dondoc")
MAX_ATTEMPTS = 5


def claim(
    db: Database,
    now: datetime,
    settings: ReminderSettings,
    *,
    by: str | None = None,
    limit: int = CLAIM_LIMIT,
    group_budget: int = GROUP_REMINDERS_PER_MINUTE,
) -> list[int]:
    """Claim at most ``limit`` due rows for the instance ``by`` (nothing in quiet hours);
    rows later than ``settings.staleness`` are marked stale instead.

    A group gets at most ``group_budget`` reminders in any :data:`PACING_WINDOW`, however
    many instances claim: the rows sent to it within the window and the rows claimed for
    it and not sent yet (being sent) count against it, in the database, and claims are
    taken one at a time (a transaction-level advisory lock on PostgreSQL; SQLite has one
    writer at a time). Private chats are not held back.
    """
    staleness = settings.staleness
    local = now.astimezone(settings.tz)
    if in_quiet_hours(local.time(), settings.quiet_start, settings.quiet_end):
        return []
    with db.session() as session:
        # The common case, nothing due: one indexed look (every row below is due).
        anything = session.scalar(
            select(Reminder.id)
            .where(
                Reminder.state.in_([ReminderState.PENDING, ReminderState.CLAIMED]),
                Reminder.due_at <= now,
            )
            .limit(1)
        )
        if anything is None:
            return []
        postgresql = session.get_bind().dialect.name == "postgresql"
        if postgresql:
            session.execute(select(func.pg_advisory_xact_lock(CLAIM_LOCK)))
        # Rows claimed by an instance that stopped are released.
        owners = session.scalars(
            select(Reminder.claimed_by)
            .where(
                Reminder.state == ReminderState.CLAIMED,
                Reminder.claimed_by.is_not(None),
                Reminder.claimed_by != by if by is not None else true(),
            )
            .distinct()
        ).all()
        dead = instances.gone(session, owners) if postgresql else owners
        session.execute(
            update(Reminder)
            .where(
                Reminder.state == ReminderState.CLAIMED,
                or_(Reminder.claimed_at < now - CLAIM_TIMEOUT, Reminder.claimed_by.in_(dead)),
            )
            .values(state=ReminderState.PENDING, claimed_by=None)
        )
        stale = session.execute(
            update(Reminder)
            .where(Reminder.state == ReminderState.PENDING, Reminder.due_at < now - staleness)
            .values(state=ReminderState.CANCELLED, payload={"stale": True})
        ).rowcount
        if stale:
            metrics.REMINDERS.labels("stale").inc(stale)
        # Each group's share of the window already used: sent within it, or on its way.
        used = (
            select(Reminder.chat_id, func.count().label("used"))
            .where(
                Reminder.chat_id.is_not(None),
                or_(
                    Reminder.state == ReminderState.CLAIMED,
                    and_(
                        Reminder.state == ReminderState.SENT,
                        Reminder.sent_at > now - PACING_WINDOW,
                        # A row is sent at most a claim timeout after it was claimed, and
                        # claimed at most ``staleness`` after it was due (the index's bound).
                        Reminder.due_at > now - staleness - CLAIM_TIMEOUT - PACING_WINDOW,
                    ),
                ),
            )
            .group_by(Reminder.chat_id)
            .subquery()
        )
        ranked = (
            select(
                Reminder.id,
                Reminder.chat_id,
                Reminder.due_at,
                func.row_number()
                .over(partition_by=Reminder.chat_id, order_by=(Reminder.due_at, Reminder.id))
                .label("rank"),
            )
            .where(Reminder.state == ReminderState.PENDING, Reminder.due_at <= now)
            .subquery()
        )
        # The ids first, then the update: a LIMIT inside ``UPDATE … WHERE id IN (…)`` is
        # not a bound on PostgreSQL (the planner may run the subquery again, and with
        # SKIP LOCKED each run finds other rows: 238 rows claimed for a limit of 100).
        ids = session.scalars(
            select(ranked.c.id)
            .outerjoin(used, used.c.chat_id == ranked.c.chat_id)
            .where(
                or_(
                    ranked.c.chat_id.is_(None),
                    ranked.c.rank + func.coalesce(used.c.used, 0) <= group_budget,
                )
            )
            .order_by(ranked.c.due_at, ranked.c.id)
            .limit(limit)
        ).all()
        if not ids:
            return []
        claimed = session.scalars(
            update(Reminder)
            .where(Reminder.id.in_(ids), Reminder.state == ReminderState.PENDING)
            .values(state=ReminderState.CLAIMED, claimed_at=now, claimed_by=by)
            .returning(Reminder.id)
        ).all()
        return sorted(claimed)


def mark_cancelled(db: Database, reminder_id: int) -> None:
    with db.session() as session:
        session.execute(
            update(Reminder).where(Reminder.id == reminder_id).values(state=ReminderState.CANCELLED)
        )


def mark_sent(db: Database, reminder_id: int, message_id: int | None, now: datetime) -> None:
    with db.session() as session:
        session.execute(
            update(Reminder)
            .where(Reminder.id == reminder_id)
            .values(state=ReminderState.SENT, sent_at=now, telegram_message_id=message_id)
        )


def mark_failed(db: Database, reminder_id: int, now: datetime, *, permanent: bool) -> None:
    """A send failed: retry later, or give up (the chat blocked the bot or is gone)."""
    with db.session() as session:
        row = session.get(Reminder, reminder_id)
        if row is None:
            return
        row.attempts += 1
        if permanent or row.attempts >= MAX_ATTEMPTS:
            row.state = ReminderState.FAILED
            if permanent and row.chat_id is not None:
                chat = session.get(Chat, row.chat_id)
                if chat is not None:
                    chat.active = False
            if permanent and row.official_id is not None:
                # Stop planning private reminders for someone who blocked the bot.
                session.execute(
                    update(Reminder)
                    .where(
                        Reminder.official_id == row.official_id,
                        Reminder.state == ReminderState.PENDING,
                    )
                    .values(state=ReminderState.FAILED)
                )
        else:
            row.state = ReminderState.PENDING
            row.due_at = now + timedelta(minutes=5 * row.attempts)
