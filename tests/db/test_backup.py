"""Backups and restores (SQLite online backup, pg_dump/pg_restore) and `db copy`.

The PostgreSQL tests make databases of their own on the server of TEST_PG_SERVER_URL
(else of TEST_DATABASE_URL), and drop them after the test; without either they are
skipped.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import JSON, Text, cast, func, select, text
from sqlalchemy.engine import make_url

from bot.cli import main
from bot.config import Settings
from bot.core import Core
from bot.services import plans
from bot.services.identity import Actor
from bot.services.units import import_units, unit_catalogue
from storage import backup as backups
from storage.db import Database
from storage.models import Base, Official, Reminder, Role, StatusUpdate, Unit, UnitSource
from tests.db.test_reports import COMMUNE, DATA, LEADER, NOW, OFFICE, PLAN, WARD, Chat

PG_SERVER = os.environ.get("TEST_PG_SERVER_URL") or os.environ.get("TEST_DATABASE_URL")
needs_pg = pytest.mark.skipif(PG_SERVER is None, reason="no PostgreSQL server to test on")


# -- databases --------------------------------------------------------------------------


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Callable[[str], Database]:
    made: list[Database] = []

    def make(name: str) -> Database:
        made.append(Database(f"sqlite:///{tmp_path / name}.db"))
        return made[-1]

    yield make
    for db in made:
        db.dispose()


@pytest.fixture
def pg_db() -> Iterator[Callable[[], Database]]:
    """Fresh, empty PostgreSQL databases (no tables), dropped at the end of the test."""
    assert PG_SERVER is not None
    server = Database(PG_SERVER)
    names: list[str] = []
    made: list[Database] = []

    def make() -> Database:
        name = f"dondoc_backup_test_{uuid.uuid4().hex[:10]}"
        with server.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        names.append(name)
        url = make_url(server.url).set(database=name)
        made.append(Database(url.render_as_string(hide_password=False)))
        return made[-1]

    yield make
    for db in made:
        db.dispose()
    with server.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def fill(db: Database) -> None:
    """Units, the Sơn Tây plan, four people, reports (one undone), a figure, reminders."""
    db.upgrade()
    import_units(db, DATA / "son-tay-units.csv")
    with db.session() as session:
        catalogue = unit_catalogue(session)
    resolved = plans.read_plan(PLAN.read_bytes(), PLAN.name, catalogue, 2025)
    office = Actor(user_id=None, language="vi", role=Role.OFFICE)
    plans.confirm(db, plans.store_draft(db, resolved, PLAN.name, office, NOW), NOW)
    with db.session() as session:
        for telegram_id, role, name in (
            (WARD, Role.OFFICIAL, "Phường Lê Lợi"),
            (COMMUNE, Role.OFFICIAL, "Xã Đường Lâm"),
            (OFFICE, Role.OFFICE, "Văn phòng HĐND và UBND thị xã"),
            (LEADER, Role.LEADER, None),
        ):
            unit = session.scalar(select(Unit.id).where(Unit.name == name)) if name else None
            session.add(
                Official(
                    telegram_user_id=telegram_id,
                    role=role,
                    unit_id=unit,
                    full_name=f"Người {telegram_id}",
                )
            )
        # a unit under a unit made after it: its parent's row comes later in id order
        child = Unit(name="Tổ công tác cũ", kind="khac", source=UnitSource.MANUAL)
        session.add(child)
        session.flush()
        parent = Unit(name="Ban mới", kind="ban", source=UnitSource.MANUAL)
        session.add(parent)
        session.flush()
        child.parent_id = parent.id
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=lambda: NOW))
    chat.say(WARD, "nv 3 xong")
    chat.say(WARD, "13 hoàn thành; 15 chậm do thiếu nhân lực")
    chat.say(COMMUNE, "nv 3 đang làm")
    chat.say(COMMUNE, "hủy")
    chat.core.rebuild_schedule()
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(StatusUpdate)) >= 4
        assert session.scalar(select(func.count()).select_from(Reminder)) > 0


def tables(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table of the models (JSON as stored text), in key order."""
    out: dict[str, list[tuple]] = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            columns = [cast(c, Text) if isinstance(c.type, JSON) else c for c in table.columns]
            order = list(table.primary_key.columns)
            out[table.name] = [tuple(r) for r in conn.execute(select(*columns).order_by(*order))]
    return out


# -- SQLite -----------------------------------------------------------------------------


def test_sqlite_round_trip_keeps_every_row(sqlite_db, tmp_path: Path) -> None:
    source = sqlite_db("source")
    fill(source)
    file = tmp_path / "dondoc.backup"
    old_umask = os.umask(0o022)  # a service's usual umask: files readable by all
    try:
        info = backups.backup(source, file)
    finally:
        os.umask(old_umask)
    assert info.kind is backups.Kind.SQLITE and info.revision == source.head_revision()
    assert stat.S_IMODE(file.stat().st_mode) == 0o600  # people's data: the owner's only
    assert backups.backup_revision(file) == source.head_revision()

    target = sqlite_db("restored")
    restored = backups.restore(target, file)
    assert restored.upgraded is False and restored.replaced == {}
    expected = tables(source)
    assert sum(map(len, expected.values())) > 100
    assert tables(target) == expected


def test_an_online_backup_while_a_writer_inserts(sqlite_db, tmp_path: Path) -> None:
    db = sqlite_db("busy")
    db.upgrade()
    path = Path(make_url(db.url).database)
    started, stop = threading.Event(), threading.Event()
    written: list[int] = []

    def writer() -> None:
        conn = sqlite3.connect(path, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        n = 0
        while not stop.is_set() or n < 200:
            n += 1
            with conn:
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?)", (f"k{n:06d}", "x" * 200)
                )
            written.append(n)
            if n == 200:
                started.set()
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert started.wait(30)
        file = tmp_path / "while-writing.backup"
        backups.backup(db, file, timeout=60)
        during = len(written)
    finally:
        stop.set()
        thread.join(30)
    copy = sqlite3.connect(file)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    keys = [k for (k,) in copy.execute("SELECT key FROM meta ORDER BY key")]
    copy.close()
    # a consistent prefix of what the writer committed: no gaps, no half rows
    assert len(keys) >= 200
    assert keys == [f"k{n:06d}" for n in range(1, len(keys) + 1)]
    assert len(keys) <= during + 1 and len(written) >= len(keys)


def test_a_backup_from_a_newer_schema_is_refused(sqlite_db, tmp_path: Path) -> None:
    source = sqlite_db("source")
    source.upgrade()
    file = tmp_path / "newer.backup"
    backups.backup(source, file)
    conn = sqlite3.connect(file)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    target = sqlite_db("target")
    with pytest.raises(backups.BackupRefused) as refused:
        backups.restore(target, file)
    message = refused.value.message.format(**refused.value.params)
    assert "9999_from_the_future" in message and source.head_revision() in message
    assert not Path(make_url(target.url).database).exists() or target.is_empty()


def test_an_older_backup_is_restored_then_upgraded(sqlite_db, tmp_path: Path) -> None:
    old = sqlite_db("old")
    with old.engine.connect() as conn:  # the database as the first migration made it
        from alembic import command

        cfg = old._alembic_config()
        cfg.attributes["connection"] = conn
        with conn.begin():
            command.upgrade(cfg, "0001")
    file = tmp_path / "old.backup"
    backups.backup(old, file)
    assert backups.backup_revision(file) != old.head_revision()
    target = sqlite_db("target")
    restored = backups.restore(target, file)
    assert restored.upgraded and restored.revision == target.head_revision()
    assert target.current_revision() == target.head_revision()


def test_a_non_empty_database_is_replaced_only_with_force(
    sqlite_db, tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source = sqlite_db("source")
    source.upgrade()
    with source.session() as session:
        session.add(Unit(name="Xã Trong Bản Sao", kind="xa", source=UnitSource.MANUAL))
    file = tmp_path / "one-unit.backup"
    assert main(["--database-url", source.url, "backup", str(file)]) == 0
    assert "one-unit.backup" in capsys.readouterr().out

    target = sqlite_db("target")
    fill(target)
    before = tables(target)
    assert main(["--database-url", target.url, "restore", str(file)]) == 1
    err = capsys.readouterr().err
    assert "không trống" in err and "--force" in err and "units:" in err
    assert tables(target) == before  # nothing changed

    assert main(["--database-url", target.url, "restore", str(file), "--force"]) == 0
    assert "units:" in capsys.readouterr().out
    assert tables(target) == tables(source)

    # an existing backup file is never overwritten
    assert main(["--database-url", source.url, "backup", str(file)]) == 1
    assert "đã có" in capsys.readouterr().err


def test_what_is_not_a_backup_is_refused(sqlite_db, tmp_path: Path) -> None:
    missing = sqlite_db("missing")
    with pytest.raises(backups.BackupRefused):
        backups.backup(missing, tmp_path / "x.backup")
    assert not (tmp_path / "missing.db").exists() and not (tmp_path / "x.backup").exists()
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup")
    with pytest.raises(backups.BackupRefused):
        backups.restore(sqlite_db("target"), junk)


# -- PostgreSQL -------------------------------------------------------------------------


@needs_pg
def test_postgresql_round_trip_keeps_every_row(pg_db, tmp_path: Path) -> None:
    source = pg_db()
    fill(source)
    file = tmp_path / "dondoc.dump"
    old_umask = os.umask(0o022)
    try:
        info = backups.backup(source, file, timeout=120)
    finally:
        os.umask(old_umask)
    assert info.kind is backups.Kind.PGDUMP and file.read_bytes().startswith(b"PGDMP")
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert backups.backup_revision(file) == source.head_revision()

    target = pg_db()
    restored = backups.restore(target, file, timeout=120)
    assert restored.upgraded is False
    expected = tables(source)
    assert tables(target) == expected
    # the sequences came with the dump: a new row gets a new id
    with target.session() as session:
        unit = Unit(name="Xã Sau Phục Hồi", kind="xa", source=UnitSource.MANUAL)
        session.add(unit)
        session.flush()
        assert unit.id > max(row[0] for row in expected["units"])

    # into a database that is not empty: refused, then replaced with --force
    with pytest.raises(backups.BackupRefused):
        backups.restore(target, file, timeout=120)
    backups.restore(target, file, force=True, timeout=120)
    assert tables(target) == expected


@needs_pg
def test_postgresql_newer_schema_is_refused(pg_db, tmp_path: Path) -> None:
    source = pg_db()
    source.upgrade()
    with source.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    file = tmp_path / "newer.dump"
    backups.backup(source, file, timeout=120)
    assert backups.backup_revision(file) == "9999_from_the_future"
    target = pg_db()
    with pytest.raises(backups.BackupRefused) as refused:
        backups.restore(target, file, timeout=120)
    assert "9999_from_the_future" in refused.value.params["revision"]
    assert target.is_empty()


@needs_pg
def test_pg_dump_missing_is_said_clearly(pg_db, tmp_path: Path, capsys, monkeypatch) -> None:
    db = pg_db()
    db.upgrade()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    file = tmp_path / "x.dump"
    url = make_url(db.url).render_as_string(hide_password=False)
    assert main(["--database-url", url, "backup", str(file)]) == 2
    err = capsys.readouterr().err
    assert "Không tìm thấy pg_dump" in err and "postgresql-client" in err
    assert not file.exists()


@needs_pg
def test_an_old_pg_dump_is_refused(pg_db, tmp_path: Path, monkeypatch) -> None:
    db = pg_db()
    db.upgrade()
    fake = tmp_path / "bin" / "pg_dump"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    with pytest.raises(backups.ToolProblem) as problem:
        backups.backup(db, tmp_path / "x.dump")
    assert problem.value.params["tool_version"] == 9


@needs_pg
def test_db_copy_from_sqlite_to_postgresql(sqlite_db, pg_db, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = sqlite_db("trial")
    fill(source)
    # JSON null and SQL NULL are kept apart
    with source.engine.begin() as conn:
        conn.execute(text("UPDATE plans SET source = 'null' WHERE id = 1"))
    target = pg_db()
    to = make_url(target.url).render_as_string(hide_password=False)
    assert main(["--database-url", source.url, "db", "copy", "--to", to]) == 0
    assert "dondoc_backup_test_" in capsys.readouterr().out
    expected = tables(source)
    assert tables(target) == expected
    # the sequences are past the copied ids: new rows insert without a conflict
    with target.session() as session:
        unit = Unit(name="Xã Sau Khi Chép", kind="xa", source=UnitSource.MANUAL)
        session.add(unit)
        session.flush()
        assert unit.id == max(row[0] for row in expected["units"]) + 1
    # a source that does not exist is refused, not created
    missing = f"sqlite:///{tmp_path / 'missing.db'}"
    assert main(["--database-url", missing, "db", "copy", "--to", to]) == 1
    assert not (tmp_path / "missing.db").exists()
    capsys.readouterr()
    # a second copy into the now non-empty target is refused
    assert main(["--database-url", source.url, "db", "copy", "--to", to]) == 1
    assert "không trống" in capsys.readouterr().err


def test_the_password_goes_only_into_the_environment() -> None:
    url = make_url("postgresql+psycopg://dondoc:s3cr%40t@db.example:5433/dondoc?sslmode=require")
    args, env = backups._connection(url)
    assert not any("s3cr" in arg for arg in args)
    assert "--host=db.example" in args and "--port=5433" in args and "--no-password" in args
    assert env["PGPASSWORD"] == "s3cr@t" and env["PGSSLMODE"] == "require"


def test_a_failing_tool_never_shows_the_password(tmp_path: Path, monkeypatch) -> None:
    fake = tmp_path / "pg_tool"
    fake.write_text('#!/bin/sh\necho "could not connect as $PGPASSWORD" >&2\nexit 1\n')
    fake.chmod(0o755)
    env = {"PGPASSWORD": "s3cr@t", "PATH": os.environ["PATH"]}
    with pytest.raises(backups.ToolProblem) as problem:
        backups._run([str(fake)], env=env, timeout=30, secret="s3cr@t")
    assert "s3cr@t" not in str(problem.value) and "***" in problem.value.params["reason"]
