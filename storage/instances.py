"""Which instances of the bot are running, as PostgreSQL knows it: each running
instance holds a session advisory lock keyed by its id (:func:`hold_alive`, on a
connection of its own); PostgreSQL lets it go when the instance stops, however it
stops (SIGKILL included). :func:`gone` asks which of some instances hold it no more,
so that the work they had claimed (updates being handled, reminders being sent) is
taken over at once instead of when a lease ends.

SQLite is one process's database: there is no other instance to ask about.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from storage.db import Database


def _key(instance: str) -> int:
    digest = hashlib.blake2b(f"instance:{instance}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


def hold_alive(db: Database, instance: str) -> Connection:
    """PostgreSQL: take the session advisory lock of ``instance`` on a connection of its
    own, held while the instance runs (close the connection to let it go)."""
    connection = db.engine.connect()
    # Out of the pool: closed for real when let go, and never lent to a session (which
    # would then hold the lock, and find it free).
    connection.detach()
    connection.execute(select(func.pg_advisory_lock(_key(instance))))
    connection.commit()
    return connection


def gone(session: Session, instances: Iterable[str]) -> list[str]:
    """PostgreSQL: those of ``instances`` whose lock nobody holds. Asking takes the lock
    until the end of ``session``'s transaction, so an instance found gone cannot come
    back under the same id while the caller takes over its work."""
    return [
        instance
        for instance in instances
        if session.scalar(select(func.pg_try_advisory_xact_lock(_key(instance))))
    ]
