"""A plan names units the list lacks: the office creates them from the preview, their
tasks get them, and Nhập stores the plan with them; nobody else can."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.plans.resolve import new_unit_key
from bot.services import plans
from bot.services.identity import Actor
from bot.services.units import unit_catalogue
from bot.views.plans import preview_reply
from storage.db import Database
from storage.models import (
    Assignment,
    Official,
    Plan,
    Role,
    Task,
    TaskUnitRole,
    Unit,
    UnitChange,
    UnitSource,
)

NOW = datetime(2025, 3, 10, 2, 0, tzinfo=UTC)
TODAY = date(2025, 3, 10)

PLAN_TEXT = """UBND THỊ XÃ SƠN TÂY

KẾ HOẠCH
Phòng thủ dân sự và an ninh trật tự năm 2025

| STT | Nội dung nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành |
|---|---|---|---|---|
| 1 | Tuyên truyền phòng chống tội phạm | Ban Chỉ huy Quân sự thị xã | Phòng Tư pháp | Quý II/2025 |
| 2 | Tập huấn dân quân | BCH QS thị xã | Hội Nông dân thị xã | Quý III/2025 |
| 3 | Rà soát hồ sơ thuế | Chi cục Thuế khu vực Sơn Tây - Ba Vì | Phòng Tư pháp | 30/6/2025 |
| 4 | Niêm yết thủ tục | Phòng Tư pháp | UBND các xã, phường | Quý I/2025 |
"""


def _person(db: Database, role: Role, telegram_id: int) -> Actor:
    with db.session() as session:
        official = Official(telegram_user_id=telegram_id, role=role, full_name=f"Người {role}")
        session.add(official)
        session.flush()
        return Actor(user_id=telegram_id, language="vi", official_id=official.id, role=role)


def _preview(db: Database, actor: Actor) -> plans.PlanSummary:
    return plans.preview(db, PLAN_TEXT.encode(), "ke-hoach-pttd.txt", actor, NOW, TODAY)


def _leads(db: Database, plan_id: int) -> dict[str, list[str]]:
    with db.session() as session:
        tasks = session.scalars(select(Task).where(Task.plan_id == plan_id)).all()
        return {
            t.code: sorted(a.unit.name for a in t.assignments if a.role is TaskUnitRole.LEAD)
            for t in tasks
        }


def _count(db: Database, model, *where) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def office(son_tay: Database) -> Actor:
    return _person(son_tay, Role.OFFICE, 501)


def test_the_preview_offers_to_create_the_units_it_lacks(son_tay: Database, office) -> None:
    summary = _preview(son_tay, office)
    unresolved = [w["detail"] for w in summary.warnings if w["kind"] == "unresolved_unit"]
    assert unresolved == [
        "Ban Chỉ huy Quân sự thị xã",
        "BCH QS thị xã",
        "Hội Nông dân thị xã",
        "Chi cục Thuế khu vực Sơn Tây - Ba Vì",
    ]
    # "BCH QS thị xã" is the same unit written short: one button, named in full; a body
    # named by its kind and level alone is the issuer's own, named with its place
    assert [name for _key, name in summary.new_units] == [
        "Ban Chỉ huy Quân sự thị xã Sơn Tây",
        "Hội Nông dân thị xã Sơn Tây",
        "Chi cục Thuế khu vực Sơn Tây - Ba Vì",
    ]
    assert _leads(son_tay, summary.plan_id)["1"] == []
    reply = preview_reply(summary, "vi")
    labels = [b.label for row in reply.buttons for b in row]
    assert "Tạo “Ban Chỉ huy Quân sự thị xã Sơn Tây”" in labels
    assert "Tạo cả 3 đơn vị chưa có" in labels


def test_the_office_creates_one_unit_and_its_tasks_get_it(son_tay: Database, office) -> None:
    summary = _preview(son_tay, office)
    key = new_unit_key("Ban Chỉ huy Quân sự thị xã Sơn Tây")
    after = plans.create_units(son_tay, summary.plan_id, key, office, None, TODAY)
    assert after is not None
    leads = _leads(son_tay, summary.plan_id)
    # task 2 wrote it "BCH QS thị xã": the draft is resolved again and it gets it too
    assert leads["1"] == leads["2"] == ["Ban Chỉ huy Quân sự thị xã Sơn Tây"]
    assert leads["3"] == []  # not pressed
    assert [w["detail"] for w in after.warnings if w["kind"] == "unresolved_unit"] == [
        "Hội Nông dân thị xã",
        "Chi cục Thuế khu vực Sơn Tây - Ba Vì",
    ]
    assert [name for _key, name in after.new_units] == [
        "Hội Nông dân thị xã Sơn Tây",
        "Chi cục Thuế khu vực Sơn Tây - Ba Vì",
    ]
    with son_tay.session() as session:
        unit = session.scalar(select(Unit).where(Unit.name == "Ban Chỉ huy Quân sự thị xã Sơn Tây"))
        assert unit is not None and unit.parent is not None
        assert (unit.kind, unit.source, unit.parent.name) == (
            "Ban Chỉ huy Quân sự",
            UnitSource.PLAN,
            "Thị xã Sơn Tây",  # the plan's issuer
        )
        # "BCH QS thị xã" is every town's military command: no alias of this one
        assert unit.aliases == []
        [change] = session.scalars(select(UnitChange)).all()
        assert (change.unit_id, change.action, change.official_id, change.plan_id) == (
            unit.id,
            "created",
            office.official_id,
            summary.plan_id,
        )
        catalogue = unit_catalogue(session)
    match = catalogue.match("BCH QS thi xa Son Tay")  # found from now on, however written
    assert match.unit is not None and match.unit.name == "Ban Chỉ huy Quân sự thị xã Sơn Tây"

    # a second press changes nothing
    again = plans.create_units(son_tay, summary.plan_id, key, office, None, TODAY)
    assert again is not None and again.warnings == after.warnings
    assert _count(son_tay, Unit, Unit.source == UnitSource.PLAN) == 1
    assert _count(son_tay, UnitChange) == 1


def test_create_all_then_import_stores_the_tasks_with_their_lead(son_tay: Database, office) -> None:
    summary = _preview(son_tay, office)
    after = plans.create_units(son_tay, summary.plan_id, 0, office, None, TODAY)
    assert after is not None and after.new_units == []
    assert not [w for w in after.warnings if w["kind"] == "unresolved_unit"]
    with son_tay.session() as session:
        created = dict(
            session.execute(
                select(Unit.name, Unit.kind).where(Unit.source == UnitSource.PLAN)
            ).all()
        )
    assert created == {
        "Ban Chỉ huy Quân sự thị xã Sơn Tây": "Ban Chỉ huy Quân sự",
        "Hội Nông dân thị xã Sơn Tây": "Hội Nông dân",
        "Chi cục Thuế khu vực Sơn Tây - Ba Vì": "Chi cục Thuế",
    }
    assert _count(son_tay, UnitChange) == 3
    assert plans.create_units(son_tay, summary.plan_id, 0, office, None, TODAY) is not None
    assert _count(son_tay, UnitChange) == 3  # pressed again: nothing more

    outcome = plans.confirm(son_tay, summary.plan_id, NOW)
    assert outcome is not None
    plan_id = outcome.plan_id
    leads = _leads(son_tay, plan_id)
    assert leads["1"] == leads["2"] == ["Ban Chỉ huy Quân sự thị xã Sơn Tây"]
    assert leads["3"] == ["Chi cục Thuế khu vực Sơn Tây - Ba Vì"]
    with son_tay.session() as session:
        cooperating = session.scalar(
            select(func.count())
            .select_from(Assignment)
            .join(Task)
            .join(Unit, Assignment.unit_id == Unit.id)
            .where(
                Task.plan_id == plan_id,
                Task.code == "2",
                Unit.name == "Hội Nông dân thị xã Sơn Tây",
                Assignment.role == TaskUnitRole.COOPERATE,
            )
        )
    assert cooperating == 1


def test_an_official_creates_nothing(son_tay: Database, office) -> None:
    summary = _preview(son_tay, office)
    official = _person(son_tay, Role.OFFICIAL, 502)
    leader = _person(son_tay, Role.LEADER, 503)
    for actor in (official, leader):
        after = plans.create_units(son_tay, summary.plan_id, 0, actor, None, TODAY)
        assert after is not None and after.warnings == summary.warnings
    assert _count(son_tay, Unit, Unit.source == UnitSource.PLAN) == 0
    assert _count(son_tay, UnitChange) == 0
    assert _leads(son_tay, summary.plan_id)["1"] == []


def test_a_gone_draft_creates_nothing(son_tay: Database, office) -> None:
    summary = _preview(son_tay, office)
    plans.discard(son_tay, summary.plan_id)
    assert plans.create_units(son_tay, summary.plan_id, 0, office, None, TODAY) is None
    assert _count(son_tay, Unit, Unit.source == UnitSource.PLAN) == 0
    assert _count(son_tay, Plan) == 0


def test_a_unit_named_meanwhile_is_used_not_made_twice(
    son_tay: Database, office, tmp_path: Path
) -> None:
    summary = _preview(son_tay, office)
    from bot.services.units import import_units

    path = tmp_path / "more.csv"
    path.write_text(
        "name,kind,parent,aliases\nHội Nông dân thị xã,hội,Thị xã Sơn Tây,\n", encoding="utf-8"
    )
    import_units(son_tay, path)  # the office imported it while the preview waited
    key = new_unit_key("Hội Nông dân thị xã Sơn Tây")  # the button's
    plans.create_units(son_tay, summary.plan_id, key, office, None, TODAY)
    with son_tay.session() as session:
        units = session.scalars(select(Unit).where(Unit.name == "Hội Nông dân thị xã")).all()
    assert [(u.kind, u.source) for u in units] == [("hội", UnitSource.IMPORT)]
    assert _count(son_tay, UnitChange) == 0


def test_a_new_preview_replaces_the_draft_and_keeps_the_log(son_tay: Database, office) -> None:
    summary = _preview(son_tay, office)
    plans.create_units(son_tay, summary.plan_id, 0, office, None, TODAY)
    again = _preview(son_tay, office)  # the same file sent again: the old draft goes
    assert again.new_units == []  # the units exist now: every task has its lead
    assert _leads(son_tay, again.plan_id)["3"] == ["Chi cục Thuế khu vực Sơn Tây - Ba Vì"]
    with son_tay.session() as session:
        changes = session.scalars(select(UnitChange)).all()
    assert len(changes) == 3 and {c.plan_id for c in changes} == {None}


def _commune_plan(commune: str, lead: str) -> bytes:
    return (
        f"UBND XÃ {commune.upper()}\n\nKẾ HOẠCH\nKiểm soát TTHC năm 2025\n\n"
        "| STT | Nội dung | Chủ trì | Thời gian |\n|---|---|---|---|\n"
        f"| 1 | Rà soát TTHC hộ tịch | {lead} | Quý II/2025 |\n"
    ).encode()


@pytest.mark.parametrize(
    ("written", "created"),
    [
        ("Công chức Tư pháp - Hộ tịch", "Công chức Tư pháp - Hộ tịch xã {}"),
        ("Công an xã", "Công an xã {}"),
    ],
)
def test_a_commune_s_own_unit_is_created_with_its_place_and_no_other_commune_s(
    son_tay: Database, office, written: str, created: str
) -> None:
    """ "Công chức Tư pháp - Hộ tịch" in the plan of xã Cổ Đông is that commune's: created
    as "… xã Cổ Đông" and given the task. In xã Kim Sơn's plan it is not Cổ Đông's: it is
    offered to create as Kim Sơn's (Cổ Đông's was given the task; for "Công an xã", the
    office was asked to choose between Cổ Đông's police and the town's, with no way to
    create Kim Sơn's)."""
    first = plans.preview(son_tay, _commune_plan("Cổ Đông", written), "a.txt", office, NOW, TODAY)
    assert [name for _key, name in first.new_units] == [created.format("Cổ Đông")]
    after = plans.create_units(son_tay, first.plan_id, 0, office, None, TODAY)
    assert after is not None and after.new_units == []
    outcome = plans.confirm(son_tay, first.plan_id, NOW)
    assert outcome is not None
    assert _leads(son_tay, outcome.plan_id)["1"] == [created.format("Cổ Đông")]
    other = plans.preview(son_tay, _commune_plan("Kim Sơn", written), "b.txt", office, NOW, TODAY)
    assert [name for _key, name in other.new_units] == [created.format("Kim Sơn")]
    assert not [w for w in other.warnings if w["kind"] == "unsure_unit"]
    assert _leads(son_tay, other.plan_id)["1"] == []
