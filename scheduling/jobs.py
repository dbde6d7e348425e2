"""Scheduled jobs that run once across instances, not once per instance.

Several instances share one PostgreSQL, each with its own JobQueue. A job that is not a
reminder row (the schedule's rebuild) claims its slot before it runs: the slot is its due
time rounded down to its interval, and ``job_runs`` is unique on (name, slot), so the
first instance to insert the row runs the job and every other one finds it and skips
that slot. Reminder rows (digests and the leaders' overview among them) are claimed row
by row instead (:mod:`scheduling.outbox`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete

from storage.db import Database
from storage.models import JobRun
from storage.queries import insert_ignore

KEEP_RUNS = timedelta(days=7)  # job_runs rows older than this are pruned


def slot_of(now: datetime, interval: timedelta) -> datetime:
    """The start of the slot ``now`` falls in: slots are ``interval`` long from the epoch."""
    step = int(interval.total_seconds())
    seconds = int(now.timestamp()) // step * step
    return datetime.fromtimestamp(seconds, UTC)


def claim_slot(db: Database, name: str, interval: timedelta, now: datetime) -> bool:
    """True for the one caller, across instances, that runs ``name`` in the slot of
    ``now``; False when another has claimed it."""
    slot = slot_of(now, interval)
    with db.session() as session:
        claimed = insert_ignore(
            session, JobRun, {"name": name, "slot": slot, "started_at": now}, ["name", "slot"]
        )
        if claimed is not None:
            session.execute(delete(JobRun).where(JobRun.slot < now - KEEP_RUNS))
        return claimed is not None
