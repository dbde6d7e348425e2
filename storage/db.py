"""Engine and session handling, and the migration guard every command goes through."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.i18n import N_

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseError(RuntimeError):
    """A database problem worth one clear line to the user (no traceback).

    ``message`` is a catalogue message id with ``{placeholders}`` filled from
    ``params``, so the command line can show it in the user's language.
    """

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message.format(**params))
        self.message, self.params = message, params


class DatabaseUnavailable(DatabaseError):
    pass


class SchemaMismatch(DatabaseError):
    pass


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode")
        if cursor.fetchone()[0] != "memory":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def normalise_url(url: str) -> str:
    """Accept the usual spellings of a PostgreSQL URL and pick the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid database URL>"


class Database:
    """One engine and its session factory. Services open sessions with :meth:`session`."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalise_url(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError as exc:
            raise DatabaseUnavailable(N_("invalid database URL: {url}"), url=url) from exc
        kwargs: dict[str, Any] = {"echo": echo}
        if parsed.get_backend_name() == "postgresql":
            kwargs |= {"pool_pre_ping": True, "connect_args": {"connect_timeout": 5}}
        try:
            self.engine: Engine = create_engine(self.url, **kwargs)
        except Exception as exc:  # a missing driver or a malformed URL
            raise DatabaseUnavailable(
                N_("cannot use the database {url}: {reason}"), url=safe_url(self.url), reason=exc
            ) from exc
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises."""
        with self._sessions.begin() as session:
            yield session

    def check_connection(self) -> None:
        try:
            with self.engine.connect():
                pass
        except OperationalError as exc:
            reason = str(exc.orig or exc).strip().splitlines()[0]
            raise DatabaseUnavailable(
                N_("cannot connect to the database {url}: {reason}"),
                url=safe_url(self.url),
                reason=reason,
            ) from exc

    def dispose(self) -> None:
        self.engine.dispose()

    # -- migrations ---------------------------------------------------------------------

    def _alembic_config(self) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return cfg

    def head_revision(self) -> str | None:
        return ScriptDirectory.from_config(self._alembic_config()).get_current_head()

    def known_revisions(self) -> set[str]:
        """Every revision this code's migrations know."""
        script = ScriptDirectory.from_config(self._alembic_config())
        return {rev.revision for rev in script.walk_revisions()}

    def current_revision(self) -> str | None:
        self.check_connection()
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return not inspect(conn).get_table_names()

    def upgrade(self) -> tuple[str | None, str | None]:
        """Apply every pending migration; return (revision before, revision after)."""
        before = self.current_revision()
        self._refuse_newer(before)
        cfg = self._alembic_config()
        with self.engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                # Batch migrations rebuild tables (copy, drop, rename). With foreign keys
                # on, dropping the old table would cascade its ON DELETE rules and empty
                # the tables that refer to it. The pragma only works outside a transaction.
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                conn.commit()
            try:
                with conn.begin():
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
                    if sqlite:
                        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                        if broken:
                            raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
            finally:
                if sqlite:
                    conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                    conn.commit()
        return before, self.current_revision()

    def _refuse_newer(self, revision: str | None) -> None:
        if revision is None:
            return
        if revision not in self.known_revisions():
            raise SchemaMismatch(
                N_(
                    "the database {url} is at revision {revision}, which this version of "
                    "Đôn Đốc does not know: a newer version made it. Upgrade Đôn Đốc "
                    "instead of running an older one on it."
                ),
                url=safe_url(self.url),
                revision=revision,
            )

    def ensure_ready(self) -> None:
        """Create the schema on a new database; refuse an old or a newer one.

        A database behind the code is not changed silently: ``dondoc db upgrade`` does
        that, so an operator can take a backup first.
        """
        current = self.current_revision()
        if current is None and self.is_empty():
            self.upgrade()
            return
        self._refuse_newer(current)
        if current != self.head_revision():
            raise SchemaMismatch(
                N_(
                    "the database {url} is at revision {revision}, this code needs {head}: "
                    "run `dondoc db upgrade` first."
                ),
                url=safe_url(self.url),
                revision=current or "-",
                head=self.head_revision(),
            )
