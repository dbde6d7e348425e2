"""Fixtures of the reporting tests: the Sơn Tây units, the district's plan, four people
(an official of a ward, one of a commune, the office, a leader; on demand a second official
of the ward) and a chat with the core."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.core import Core
from bot.services import plans
from bot.services.identity import Actor
from bot.services.units import import_units, unit_catalogue
from storage.db import Database
from storage.models import Official, Role, Unit
from tests.db.test_reports import COMMUNE, DATA, LEADER, NOW, OFFICE, PLAN, WARD, Chat


@pytest.fixture
def son_tay(db: Database) -> Database:
    """The Sơn Tây units only (the plan tests import their own plans)."""
    import_units(db, DATA / "son-tay-units.csv")
    return db


@pytest.fixture
def reporting(db: Database) -> Database:
    import_units(db, DATA / "son-tay-units.csv")
    with db.session() as session:
        catalogue = unit_catalogue(session)
    resolved = plans.read_plan(PLAN.read_bytes(), PLAN.name, catalogue, 2025)
    actor = Actor(user_id=None, language="vi", role=Role.OFFICE)
    plans.confirm(db, plans.store_draft(db, resolved, PLAN.name, actor, NOW), NOW)
    with db.session() as session:

        def unit(name: str) -> int:
            found = session.scalar(select(Unit.id).where(Unit.name == name))
            assert found is not None
            return found

        for telegram_id, role, name in (
            (WARD, Role.OFFICIAL, "Phường Lê Lợi"),
            (COMMUNE, Role.OFFICIAL, "Xã Đường Lâm"),
            (OFFICE, Role.OFFICE, "Văn phòng HĐND và UBND thị xã"),
            (LEADER, Role.LEADER, None),
        ):
            session.add(
                Official(
                    telegram_user_id=telegram_id,
                    role=role,
                    unit_id=unit(name) if name else None,
                    full_name=f"Người {telegram_id}",
                )
            )
    return db


@pytest.fixture
def chat(reporting: Database, clock) -> Chat:
    clock.now = NOW
    return Chat(Core(db=reporting, settings=Settings(_env_file=None), clock=clock))


WARD_COLLEAGUE = 205  # a second official of Phường Lê Lợi


@pytest.fixture
def colleague(reporting: Database) -> int:
    """A second official of Phường Lê Lợi (two reporters of one unit); their Telegram id."""
    with reporting.session() as session:
        ward = session.scalar(select(Unit.id).where(Unit.name == "Phường Lê Lợi"))
        session.add(
            Official(
                telegram_user_id=WARD_COLLEAGUE,
                role=Role.OFFICIAL,
                unit_id=ward,
                full_name=f"Người {WARD_COLLEAGUE}",
            )
        )
    return WARD_COLLEAGUE
