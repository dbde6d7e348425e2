"""Backups, restores and copies of the whole database (``dondoc backup|restore|db copy``).

Owns: the SQLite online backup (``sqlite3.Connection.backup``, safe while the bot
writes), the PostgreSQL dump and restore through ``pg_dump``/``pg_restore`` in custom
format (run as subprocesses with a timeout; the password goes through ``PGPASSWORD``,
never on a command line or in a message), reading the schema revision a backup was
taken at, and copying every table from one database into an empty PostgreSQL one.

Where the revision comes from: a SQLite backup is a database file, so its
``alembic_version`` table holds it. A PostgreSQL dump holds the same table, and it is read
from the dump itself (``pg_restore --data-only --table alembic_version -f -``) rather than
from a sidecar file: a sidecar can be lost or paired with the wrong dump, and it would be
written outside the dump's snapshot (a ``db upgrade`` between the two would make it
wrong). The dump's own table is consistent with its data by construction.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    MetaData,
    Table,
    Text,
    cast,
    func,
    insert,
    null,
    or_,
    select,
    text,
)
from sqlalchemy import bindparam as bind
from sqlalchemy.engine import URL, make_url

from bot.i18n import N_
from storage.db import Database, DatabaseError, DatabaseUnavailable, safe_url
from storage.models import Base

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
DEFAULT_TIMEOUT = 3600.0  # seconds a pg_dump or pg_restore may run
BACKUP_MODE = 0o600  # a backup file: its owner reads it, nobody else
BATCH = 1000  # rows a copy reads and writes at a time

# libpq settings a URL may carry as query parameters, passed to the tools as environment.
_LIBPQ_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class BackupRefused(DatabaseError):
    """The backup, the restore or the copy was refused (the input is wrong): exit 1."""


class ToolProblem(DatabaseError):
    """pg_dump or pg_restore is missing, too old, or failed: exit 2."""


class Kind(StrEnum):
    SQLITE = "sqlite"
    PGDUMP = "pgdump"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: Kind
    revision: str | None
    size: int


@dataclass(frozen=True)
class RestoreInfo:
    kind: Kind
    backup_revision: str
    revision: str | None  # after the restore (and the upgrade, when there was one)
    upgraded: bool
    replaced: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CopyInfo:
    rows: dict[str, int]
    revision: str | None


# -- what a database holds --------------------------------------------------------------


def row_counts(db: Database) -> dict[str, int]:
    """Rows in each table of the models that exists in ``db`` (empty tables left out)."""
    counts: dict[str, int] = {}
    with db.engine.connect() as conn:
        present = set(conn.dialect.get_table_names(conn))
        for table in Base.metadata.sorted_tables:
            if table.name in present:
                n = conn.scalar(select(func.count()).select_from(table)) or 0
                if n:
                    counts[table.name] = n
    return counts


# -- backups ----------------------------------------------------------------------------


def backup(db: Database, target: Path, *, timeout: float = DEFAULT_TIMEOUT) -> BackupInfo:
    """Write a backup of ``db`` to ``target`` (a new file; written aside, then renamed)."""
    if target.exists():
        raise BackupRefused(
            N_("{path} exists already: choose a new file name (for example with the date)."),
            path=target,
        )
    if not target.parent.is_dir():
        raise BackupRefused(N_("The folder of {path} does not exist."), path=target)
    _require_file(db)
    revision = db.current_revision()  # also checks that the database answers
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    # Readable by its owner only, whatever the umask: a backup holds people's names,
    # Telegram ids and messages. Made empty first, so the tools write into it (both
    # keep an existing file's mode).
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, BACKUP_MODE))
    try:
        if db.dialect == "sqlite":
            kind = Kind.SQLITE
            _sqlite_backup(_sqlite_file(db), partial)
        elif db.dialect == "postgresql":
            kind = Kind.PGDUMP
            _pg_dump(db, partial, timeout)
        else:
            raise BackupRefused(
                N_("Backups of a {dialect} database are not supported."), dialect=db.dialect
            )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupInfo(target, kind, revision, target.stat().st_size)


def _require_file(db: Database) -> None:
    """A SQLite database to read must exist (opening it would create an empty one)."""
    if db.dialect == "sqlite" and not _sqlite_file(db).is_file():
        raise BackupRefused(N_("The database file {path} does not exist."), path=_sqlite_file(db))


def _sqlite_file(db: Database) -> Path:
    name = make_url(db.url).database
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupRefused(
            N_("The database {url} is not a SQLite file: there is nothing to back up or restore."),
            url=safe_url(db.url),
        )
    return Path(name)


def _sqlite_backup(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while another process writes."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        with dst:
            # In one step: the database runs in WAL mode, where a reader never blocks
            # the writers; a copy in steps would start again each time one commits.
            src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        dst.close()
        src.close()


# -- reading a backup -------------------------------------------------------------------


def backup_kind(path: Path) -> Kind:
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except FileNotFoundError as exc:
        raise BackupRefused(N_("File not found: {path}"), path=path) from exc
    except OSError as exc:
        raise BackupRefused(N_("Cannot read {path}: {reason}"), path=path, reason=exc) from exc
    if head.startswith(SQLITE_MAGIC):
        return Kind.SQLITE
    if head.startswith(PGDUMP_MAGIC):
        return Kind.PGDUMP
    raise BackupRefused(
        N_(
            "{path} is not a backup made by `dondoc backup` (neither a SQLite database nor "
            "a PostgreSQL dump in custom format)."
        ),
        path=path,
    )


def backup_revision(path: Path, *, timeout: float = DEFAULT_TIMEOUT) -> str:
    """The schema revision a backup was taken at (read from the backup itself)."""
    kind = backup_kind(path)
    reader = _sqlite_revision if kind is Kind.SQLITE else _pgdump_revision
    revision = reader(path, timeout)
    if revision is None:
        raise BackupRefused(
            N_("{path} holds no Đôn Đốc schema revision: it is not a backup of Đôn Đốc."),
            path=path,
        )
    return revision


def _sqlite_revision(path: Path, _timeout: float) -> str | None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupRefused(N_("{path} is damaged (SQLite's check failed)."), path=path)
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and "no such table" in str(exc):
            return None
        raise BackupRefused(N_("{path} is damaged: {reason}"), path=path, reason=exc) from exc
    finally:
        conn.close()
    return row[0] if row else None


def _pgdump_revision(path: Path, timeout: float) -> str | None:
    tool = _tool("pg_restore")
    out = _run(
        [tool, "--data-only", "--table=alembic_version", "--file=-", str(path)],
        env=os.environ.copy(),
        timeout=timeout,
        secret=None,
    )
    # plain-text COPY block: "COPY public.alembic_version (version_num) FROM stdin;",
    # one line per row, then "\." (the table holds one row)
    match = re.search(r"^COPY \S*alembic_version .*?;\n(.*?)^\\\.$", out, re.M | re.S)
    if match is None:
        return None
    rows = [line for line in match.group(1).splitlines() if line]
    return rows[0].split("\t")[0] if rows else None


# -- restores ---------------------------------------------------------------------------


def restore(
    db: Database, source: Path, *, force: bool = False, timeout: float = DEFAULT_TIMEOUT
) -> RestoreInfo:
    """Replace the content of ``db`` with the backup ``source``, then upgrade it to head.

    Refused: a backup from a newer schema than this code knows, a backup of the other
    kind of database, and a database that holds rows (unless ``force``).
    """
    kind = backup_kind(source)
    expected = {"sqlite": Kind.SQLITE, "postgresql": Kind.PGDUMP}.get(db.dialect)
    if kind is not expected:
        raise BackupRefused(
            N_(
                "{path} is a backup of a {kind} database, and the database to restore into "
                "is {dialect}. To move a SQLite database to PostgreSQL, use `dondoc "
                "--database-url sqlite:///FILE db copy --to postgresql+psycopg://…`."
            ),
            path=source,
            kind="SQLite" if kind is Kind.SQLITE else "PostgreSQL",
            dialect="SQLite" if db.dialect == "sqlite" else db.dialect,
        )
    revision = backup_revision(source, timeout=timeout)
    known = db.known_revisions()
    if revision not in known:
        raise BackupRefused(
            N_(
                "{path} was taken at schema revision {revision}, which this version of Đôn "
                "Đốc does not know (it knows up to {head}): a newer version made it. Restore "
                "it with a version of Đôn Đốc that has the migration {revision}."
            ),
            path=source,
            revision=revision,
            head=db.head_revision(),
        )
    db.check_connection()
    replaced = row_counts(db)
    if replaced and not force:
        raise BackupRefused(
            N_(
                "The database {url} is not empty ({counts}). A restore replaces all of it "
                "with the backup: run again with --force to do so (take a backup of it first)."
            ),
            url=safe_url(db.url),
            counts=describe_counts(replaced),
        )
    if kind is Kind.SQLITE:
        _sqlite_restore(source, _sqlite_file(db))
    else:
        _pg_restore(db, source, timeout)
    db.dispose()  # connections opened before the restore saw the old file or tables
    upgraded = revision != db.head_revision()
    after = db.upgrade()[1] if upgraded else db.current_revision()
    return RestoreInfo(kind, revision, after, upgraded, replaced)


def describe_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name}: {n}" for name, n in counts.items())


def _sqlite_restore(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)  # replaces every page of the target, in one step
    finally:
        dst.close()
        src.close()


def _drop_all_tables(db: Database) -> None:
    meta = MetaData()
    with db.engine.begin() as conn:
        meta.reflect(conn)
        meta.drop_all(conn)


# -- PostgreSQL tools -------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ToolProblem(
            N_(
                "{tool} was not found: install the PostgreSQL client of the server's version "
                "or newer (on Debian: apt install postgresql-client), then try again."
            ),
            tool=name,
        )
    return found


def tool_major(tool: str, timeout: float = 30) -> int:
    out = _run([tool, "--version"], env=os.environ.copy(), timeout=timeout, secret=None)
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", out) or re.search(r"(\d+)\.\d+", out)
    if match is None:
        raise ToolProblem(N_("Cannot tell the version of {tool}: {output}"), tool=tool, output=out)
    return int(match.group(1))


def _checked_tool(db: Database, name: str) -> str:
    tool = _tool(name)
    with db.engine.connect() as conn:
        server = conn.dialect.server_version_info or (0,)
    major = tool_major(tool)
    if major < server[0]:
        raise ToolProblem(
            N_(
                "{tool} is version {tool_version} but the PostgreSQL server is version "
                "{server_version}: install the PostgreSQL client {server_version} or newer "
                "(postgresql-client-{server_version}) and try again."
            ),
            tool=name,
            tool_version=major,
            server_version=server[0],
        )
    return tool


def _connection(url: URL) -> tuple[list[str], dict[str, str]]:
    """Arguments and environment for a libpq tool; the password only in the environment."""
    args: list[str] = []
    env = os.environ.copy()
    query = dict(url.query)
    host = url.host or query.pop("host", None)
    port = url.port or query.pop("port", None)
    if host:
        args.append(f"--host={host}")
    if port:
        args.append(f"--port={port}")
    if url.username:
        args.append(f"--username={url.username}")
    args.append("--no-password")  # never wait for a password on a terminal
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    for key, value in query.items():
        if key in _LIBPQ_ENV and isinstance(value, str):
            env[_LIBPQ_ENV[key]] = value
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    return args, env


def _pg_dump(db: Database, target: Path, timeout: float) -> None:
    tool = _checked_tool(db, "pg_dump")
    url = make_url(db.url)
    args, env = _connection(url)
    _run(
        [tool, *args, "--format=custom", f"--file={target}", f"--dbname={url.database}"],
        env=env,
        timeout=timeout,
        secret=url.password,
    )


def _pg_restore(db: Database, source: Path, timeout: float) -> None:
    tool = _checked_tool(db, "pg_restore")
    _drop_all_tables(db)
    url = make_url(db.url)
    args, env = _connection(url)
    _run(
        [
            tool,
            *args,
            "--no-owner",  # the tables belong to whoever restores them
            "--no-privileges",
            "--single-transaction",  # all of the backup, or nothing
            "--exit-on-error",
            f"--dbname={url.database}",
            str(source),
        ],
        env=env,
        timeout=timeout,
        secret=url.password,
    )


def _run(argv: list[str], *, env: dict[str, str], timeout: float, secret: Any) -> str:
    name = Path(argv[0]).name
    try:
        done = subprocess.run(
            argv, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise ToolProblem(
            N_("{tool} did not finish within {seconds} seconds and was stopped."),
            tool=name,
            seconds=int(timeout),
        ) from exc
    except OSError as exc:
        raise ToolProblem(N_("Cannot run {tool}: {reason}"), tool=name, reason=exc) from exc
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip()
        if secret:
            reason = reason.replace(str(secret), "***")
        raise ToolProblem(
            N_("{tool} failed (exit code {code}): {reason}"),
            tool=name,
            code=done.returncode,
            reason=reason[-2000:],
        )
    return done.stdout


# -- copying into PostgreSQL ------------------------------------------------------------


def copy_database(source: Database, target: Database, *, batch: int = BATCH) -> CopyInfo:
    """Copy every table of ``source`` (at head) into ``target``, an empty PostgreSQL
    database, which is migrated to the same head first. All or nothing: one transaction."""
    if target.dialect != "postgresql":
        raise BackupRefused(
            N_("The target of a copy must be a PostgreSQL database, not {url}."),
            url=safe_url(target.url),
        )
    if make_url(source.url) == make_url(target.url):
        raise BackupRefused(N_("The source and the target are the same database."))
    _require_file(source)
    source.ensure_ready()
    target.check_connection()
    present = row_counts(target)
    if present:
        raise BackupRefused(
            N_(
                "The target database {url} is not empty ({counts}): a copy goes only into an "
                "empty database."
            ),
            url=safe_url(target.url),
            counts=describe_counts(present),
        )
    target.upgrade()
    if target.current_revision() != source.current_revision():
        raise DatabaseUnavailable(
            N_("the target database did not reach revision {revision}."),
            revision=source.current_revision(),
        )
    copied: dict[str, int] = {}
    with source.engine.connect() as src, target.engine.begin() as dst:
        for table in Base.metadata.sorted_tables:
            copied[table.name] = _copy_table(src, dst, table, batch)
        _reset_sequences(dst)
    return CopyInfo(copied, target.current_revision())


def _copy_table(src: Connection, dst: Connection, table: Table, batch: int) -> int:
    # A row may point at a row of its own table that comes later (a unit moved under a
    # newer one): such columns are written empty first, then filled once all rows are in.
    later = [
        fk.parent for fk in table.foreign_keys if fk.column.table is table and fk.parent.nullable
    ]
    json_cols = {c.name for c in table.columns if isinstance(c.type, JSON)}
    # JSON travels as its text, so SQL NULL and JSON null stay what they were.
    columns = [cast(c, Text).label(c.name) if c.name in json_cols else c for c in table.columns]
    values: dict[str, Any] = {
        name: cast(bind(f"_json_{name}", type_=Text), table.c[name].type) for name in json_cols
    } | {c.name: null() for c in later}
    renamed = {name: f"_json_{name}" for name in json_cols}
    dropped = {c.name for c in later}
    statement = insert(table).values(values) if values else insert(table)
    order = list(table.primary_key.columns) or list(table.columns)
    result = src.execution_options(yield_per=batch).execute(select(*columns).order_by(*order))
    total = 0
    for rows in _partitions(result, batch):
        params = [
            {renamed.get(k, k): v for k, v in row._mapping.items() if k not in dropped}
            for row in rows
        ]
        dst.execute(statement, params)
        total += len(params)
    if later:
        keys = list(table.primary_key.columns)
        # columns with an ``onupdate`` (updated_at) are set again to what they were
        kept = [c for c in table.columns if c.onupdate is not None and c not in later]
        update = (
            table.update()
            .where(*[k == bind(f"_key_{k.name}") for k in keys])
            .values({c.name: bind(f"_new_{c.name}", type_=c.type) for c in [*later, *kept]})
        )
        chosen = (
            select(*keys, *later, *kept)
            .where(or_(*[c.is_not(None) for c in later]))
            .order_by(*keys)
        )
        for rows in _partitions(src.execution_options(yield_per=batch).execute(chosen), batch):
            params = [
                {f"_key_{k.name}": row._mapping[k.name] for k in keys}
                | {f"_new_{c.name}": row._mapping[c.name] for c in [*later, *kept]}
                for row in rows
            ]
            dst.execute(update, params)
    return total


def _partitions(result: Any, size: int) -> Iterator[list[Any]]:
    while rows := result.fetchmany(size):
        yield rows


def _reset_sequences(conn: Connection) -> None:
    """Move each table's id sequence past the copied ids, so new rows get new ids."""
    for table in Base.metadata.sorted_tables:
        column = table.autoincrement_column
        if column is None:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'COALESCE(MAX("{column.name}"), 1), MAX("{column.name}") IS NOT NULL) '
                f'FROM "{table.name}"'
            ),
            {"table": table.name, "column": column.name},
        )
