"""Shared fixtures: a migrated database (SQLite by default, PostgreSQL when
TEST_DATABASE_URL is set), settings that ignore the developer's .env, and a clock."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.config import Settings
from storage.db import Database
from storage.models import Base

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
FIXTURES = Path(__file__).parent / "fixtures"


def pytest_report_header() -> str:
    return f"database: {TEST_DATABASE_URL or 'sqlite (per-test file)'}"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 9, 2, 0, tzinfo=UTC))  # 09:00 in Hà Nội, a Monday


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        TELEGRAM_BOT_TOKEN="123456:TEST-token-never-printed",
        DATABASE_URL="sqlite://",
        DONDOC_OUTPUT_DIR=str(tmp_path / "out"),
        DONDOC_DEMO_DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}",
    )


@pytest.fixture(scope="session")
def _migrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Migrate once per session: a template SQLite file, or the PostgreSQL database."""
    if TEST_DATABASE_URL:
        db = Database(TEST_DATABASE_URL)
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        db.upgrade()
        db.dispose()
        yield TEST_DATABASE_URL
        return
    template = tmp_path_factory.mktemp("template") / "template.db"
    db = Database(f"sqlite:///{template}")
    db.upgrade()
    db.dispose()
    yield str(template)


@pytest.fixture
def db(_migrated: str, tmp_path: Path) -> Iterator[Database]:
    """An empty, migrated database of its own for each test."""
    if TEST_DATABASE_URL:
        database = Database(_migrated)
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with database.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            # at head again, whatever a test before wrote there (test_storage does)
            conn.execute(text("DELETE FROM alembic_version"))
            conn.execute(
                text("INSERT INTO alembic_version VALUES (:head)"),
                {"head": database.head_revision()},
            )
    else:
        path = tmp_path / "test.db"
        shutil.copyfile(_migrated, path)
        database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


@pytest.fixture
def units_csv(tmp_path: Path) -> Path:
    """A small area: a province, three communes and wards, two departments."""
    path = tmp_path / "units.csv"
    path.write_text(
        "name,kind,parent,aliases\n"
        "Tỉnh Thử Nghiệm,tỉnh,,\n"
        "Xã Sơn Dương,xã,Tỉnh Thử Nghiệm,Thị trấn Sơn Dương\n"
        "Xã Hồng Thái,xã,Tỉnh Thử Nghiệm,\n"
        "Phường Minh Xuân,phường,Tỉnh Thử Nghiệm,P. Minh Xuân\n"
        "Văn phòng HĐND và UBND,văn phòng,Tỉnh Thử Nghiệm,VP HĐND&UBND\n"
        "Trung tâm Phục vụ hành chính công,trung tâm,Tỉnh Thử Nghiệm,TTPVHCC\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def area(db: Database, units_csv: Path) -> Database:
    """The database with the small area of ``units_csv`` loaded."""
    from bot.services.units import import_units

    import_units(db, units_csv)
    return db
