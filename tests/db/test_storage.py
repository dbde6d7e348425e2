"""The schema, the migration guard and the column types, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from storage.db import Database, DatabaseUnavailable, SchemaMismatch
from storage.models import Base, Meta, Official, Role, Unit, UnitKind, UnitSource


def test_migrations_match_the_models(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []


def test_schema_is_at_head(db: Database) -> None:
    assert db.current_revision() == db.head_revision() is not None
    db.ensure_ready()  # no error, no change


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(Official(telegram_user_id=1, full_name="X", role=Role.OFFICIAL, unit_id=999))


def test_sqlite_runs_in_wal_mode(db: Database) -> None:
    if db.dialect != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL


def test_timestamps_come_back_aware_and_in_utc(db: Database) -> None:
    moment = datetime(2026, 1, 2, 15, 30, tzinfo=timezone(timedelta(hours=7)))
    with db.session() as session:
        unit = Unit(
            name="Xã A",
            kind=UnitKind.COMMUNE,
            source=UnitSource.MANUAL,
            created_at=moment,
            updated_at=moment,
        )
        session.add(unit)
    with db.session() as session:
        stored = session.scalar(select(Unit))
        assert stored is not None
        assert stored.created_at == moment
        assert stored.created_at.tzinfo is not None
        assert stored.created_at.utcoffset() == timedelta(0)


def test_naive_timestamps_are_refused(db: Database) -> None:
    with pytest.raises(Exception, match="naive datetime"), db.session() as session:
        session.add(
            Unit(
                name="Xã B",
                kind=UnitKind.COMMUNE,
                source=UnitSource.MANUAL,
                created_at=datetime(2026, 1, 2),
            )
        )
        session.flush()


def test_enum_values_are_checked_by_the_database(db: Database) -> None:
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO units (name, kind, source, active, created_at, updated_at) "
                "VALUES ('X', 'xa', 'planet', true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )


def test_a_unit_kind_is_any_word_up_to_its_width(db: Database) -> None:
    """A kind is a code or the word as written (Công an, Chi cục Thuế …): not an enum."""
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO units (name, kind, source, active, created_at, updated_at) "
                "VALUES ('Công an xã', 'Công an', 'plan', true, CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP)"
            )
        )
    with db.session() as session:
        unit = session.scalar(select(Unit))
        assert unit is not None and (unit.kind, unit.source) == ("Công an", UnitSource.PLAN)


def test_a_database_newer_than_the_code_is_refused(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dbeef'"))
    with pytest.raises(SchemaMismatch, match="f00dbeef"):
        db.ensure_ready()
    with pytest.raises(SchemaMismatch):
        db.upgrade()


def test_a_database_behind_the_code_asks_for_an_upgrade(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
    with pytest.raises(SchemaMismatch, match="db upgrade"):
        db.ensure_ready()


def test_a_new_sqlite_database_is_created_on_first_use(tmp_path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'new.db'}")
    assert db.current_revision() is None
    db.ensure_ready()
    assert db.current_revision() == db.head_revision()
    with db.session() as session:
        session.add(Meta(key="k", value="v"))
    with db.session() as session:
        assert session.get(Meta, "k").value == "v"
    db.dispose()


def test_an_unreachable_database_gives_one_clear_error() -> None:
    db = Database("postgresql://nobody@127.0.0.1:1/nothing")
    with pytest.raises(DatabaseUnavailable, match=r"127\.0\.0\.1:1") as info:
        db.ensure_ready()
    assert "\n" not in str(info.value)


def test_a_malformed_url_is_refused() -> None:
    with pytest.raises(DatabaseUnavailable, match="invalid database URL"):
        Database("not a url")


def test_now_is_utc() -> None:
    from storage.models import utcnow

    assert utcnow().tzinfo is UTC


def test_0002_upgrades_a_database_with_plans(tmp_path) -> None:
    """A plan stored before drafts existed is an active, non-draft plan afterwards."""
    from alembic import command

    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = db._alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO plans (title, active, created_at) "
                "VALUES ('Kế hoạch 2025', 1, '2025-01-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO tasks (plan_id, code, code_generated, position, content) "
                "VALUES (1, '1.1', 0, 1, 'Xây dựng kế hoạch')"
            )
        )
    assert db.upgrade() == ("0001", db.head_revision())
    with db.engine.connect() as conn:
        draft, warnings = conn.execute(text("SELECT draft, warnings FROM plans")).one()
        withdrawn = conn.execute(text("SELECT withdrawn_at FROM tasks")).scalar_one()
    assert not draft and warnings == "[]" and withdrawn is None


def test_0020_names_the_deadline_in_a_tasks_reminder_keys(tmp_path) -> None:
    """Rows written before keep what they were about, with the deadline their payload
    holds in the key (so none is sent again); the downgrade takes it out again."""
    from alembic import command

    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = db._alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0019")
    rows = [
        ("due:7:3>g2", "due", '{"due": "2026-11-30", "days_left": 3}'),
        ("overdue:7:2026-12-03>p4", "overdue", '{"due": "2026-11-30", "days_late": 3}'),
        ("indicator:1:2026-12>g2", "indicator", '{"period": "2026-12"}'),
        ("snooze:due:7:3>g2:1", "due", '{"due": "2026-11-30"}'),
    ]
    with db.engine.begin() as conn:
        for key, kind, payload in rows:
            conn.execute(
                text(
                    "INSERT INTO reminders (key, kind, due_at, state, attempts, payload, "
                    "created_at) VALUES (:key, :kind, '2026-11-25 01:00:00', 'sent', 1, "
                    ":payload, '2026-11-20 00:00:00')"
                ),
                {"key": key, "kind": kind, "payload": payload},
            )
    assert db.upgrade() == ("0019", db.head_revision())
    with db.engine.connect() as conn:
        keys = conn.execute(text("SELECT key FROM reminders ORDER BY id")).scalars().all()
    assert keys == [
        "due:7:2026-11-30:3>g2",
        "overdue:7:2026-11-30:2026-12-03>p4",
        "indicator:1:2026-12>g2",
        "snooze:due:7:3>g2:1",
    ]
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0019")
    with db.engine.connect() as conn:
        keys = conn.execute(text("SELECT key FROM reminders ORDER BY id")).scalars().all()
    assert keys == [key for key, _kind, _payload in rows]
