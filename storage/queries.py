"""Small queries shared by services, written once for both SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from storage.models import Meta, Unit


def storable(text: str | None) -> str | None:
    """Text from outside (a display name, a group title) without NUL characters, which
    PostgreSQL cannot store in text and which mean nothing; None stays None."""
    return text.replace("\x00", "") if text else text


def insert_ignore(session: Session, model: type, values: dict[str, Any], keys: list[str]) -> Any:
    """INSERT … ON CONFLICT DO NOTHING; the new row's primary key, None when a row with
    the same ``keys`` was there."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    key = inspect(model).primary_key[0]
    stmt = (
        module.insert(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=keys)
        .returning(key)
    )
    # rowcount is not reliable here (psycopg reports -1), a returned row is.
    return session.scalar(stmt)


def get_meta(session: Session, key: str) -> str | None:
    row = session.get(Meta, key)
    return row.value if row else None


def set_meta(session: Session, key: str, value: str) -> None:
    """Set ``key`` to ``value``: one upsert, since several instances starting together
    write the same keys (the bot's username) at once."""
    module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = module.insert(Meta).values(key=key, value=value)
    session.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def add_meta(session: Session, key: str, value: str) -> None:
    """Store ``key`` unless it is there already (the first instance's value stays)."""
    insert_ignore(session, Meta, {"key": key, "value": value}, ["key"])


def active_units(session: Session) -> list[Unit]:
    """Every active unit with its aliases and parent loaded, in a stable order."""
    stmt = (
        select(Unit)
        .where(Unit.active.is_(True))
        .options(selectinload(Unit.aliases), selectinload(Unit.parent))
        .order_by(Unit.id)
    )
    return list(session.scalars(stmt))
