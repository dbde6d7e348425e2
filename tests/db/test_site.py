"""The web pages' read models (bot/services/site.py) as an official, the office and a
leader, on reports sent through the core: one task, one indicator, the report log with
its filters, pages, undone reports and open disagreements, the plan, the export."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from bot.areas import periodic as periodic_area
from bot.language.periods import Period
from bot.services import site
from bot.services.access import NotAllowed
from bot.services.identity import Actor
from bot.transport import Attachment, Reply
from storage.db import Database
from storage.models import Indicator, Official, Role, Task, Unit
from tests.db.conftest import WARD_COLLEAGUE
from tests.db.test_reports import COMMUNE, LEADER, NOW, OFFICE, WARD, Chat

TZ_NAME = "Asia/Ho_Chi_Minh"
WARD_NAME, COMMUNE_NAME = "Phường Lê Lợi", "Xã Đường Lâm"


def _actor(db: Database, telegram_id: int) -> Actor:
    with db.session() as session:
        official = session.scalars(
            select(Official).where(Official.telegram_user_id == telegram_id)
        ).one()
        unit = session.get(Unit, official.unit_id) if official.unit_id else None
        return Actor(
            user_id=telegram_id,
            language="vi",
            official_id=official.id,
            role=official.role,
            unit_id=unit.id if unit else None,
            unit_name=unit.name if unit else None,
            full_name=official.full_name,
        )


def _id(db: Database, model, **where) -> int:
    with db.session() as session:
        column = model.id
        query = select(column)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return session.scalars(query).one()


@contextmanager
def _queries(db: Database) -> Iterator[list[str]]:
    """The SQL statements run inside the block."""
    seen: list[str] = []

    def note(conn, cursor, statement, *args) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


@pytest.fixture
def tz(chat: Chat):
    return chat.core.settings.tz


@pytest.fixture
def people(chat: Chat, reporting: Database) -> dict[str, Actor]:
    return {
        "ward": _actor(reporting, WARD),
        "commune": _actor(reporting, COMMUNE),
        "office": _actor(reporting, OFFICE),
        "leader": _actor(reporting, LEADER),
    }


# -- one task --------------------------------------------------------------------------------


def test_one_task_by_state_as_each_role(chat: Chat, reporting: Database, people, tz, clock):
    chat.say(WARD, "nv 3 xong")  # due 31/3/2025: done late on 20/11
    clock.advance(hours=1)
    chat.say(COMMUNE, "nv 3 đang làm 40%")  # past the deadline, not done: overdue
    task_id = _id(reporting, Task, code="3")
    today = NOW.astimezone(tz).date()
    office = site.task_page(reporting, task_id, today, viewer=people["office"], tz=tz)
    assert office.task.code == "3" and office.task.due_date.isoformat() == "2025-03-31"
    assert office.named and office.late == 1
    leads = [u for u in office.units if u.lead]
    assert office.totals["done"] == 1 and office.totals["overdue"] == len(leads) - 1
    assert sum(office.totals.values()) == len(leads) > 2
    ward = next(u for u in office.units if u.name == WARD_NAME)
    assert (ward.group, ward.status, ward.late) == ("done", "done", True)
    assert ward.last_report is not None and ward.last_report.utcoffset() == timedelta(hours=7)
    commune = next(u for u in office.units if u.name == COMMUNE_NAME)
    assert (commune.group, commune.status, commune.percent) == ("overdue", "in_progress", 40)
    assert office.group("done") == (ward,)
    leader = site.task_page(reporting, task_id, today, viewer=people["leader"], tz=tz)
    assert leader.units == office.units and leader.totals == office.totals

    official = site.task_page(reporting, task_id, today, viewer=people["ward"], tz=tz)
    assert not official.named
    assert [u.name for u in official.units] == [WARD_NAME]  # their own line only
    assert official.totals == office.totals and official.late == 1  # the area's totals


def test_a_task_not_yet_due_and_an_unknown_one(chat: Chat, reporting: Database, people, tz):
    chat.say(WARD, "nv 2 đang làm")  # due 31/12/2025; the ward cooperates on it
    chat.say(OFFICE, "Văn phòng HĐND và UBND thị xã: nv 2 đang làm")  # its lead unit
    task_id = _id(reporting, Task, code="2")
    today = NOW.astimezone(tz).date()
    page = site.task_page(reporting, task_id, today, viewer=people["office"], tz=tz)
    assert dict(page.totals) == {"done": 0, "in_progress": 1, "overdue": 0, "not_reported": 0}
    helpers = [u for u in page.units if not u.lead]
    assert page.cooperating["in_progress"] == 1
    assert page.cooperating["not_reported"] == len(helpers) - 1 > 5
    assert page.units[0].lead and page.units[0].group == "in_progress"
    ward = site.task_page(reporting, task_id, today, viewer=people["ward"], tz=tz)
    assert [(u.name, u.lead, u.group) for u in ward.units] == [(WARD_NAME, False, "in_progress")]
    assert ward.cooperating == page.cooperating
    with pytest.raises(LookupError):
        site.task_page(reporting, 99999, today, viewer=people["office"], tz=tz)
    nobody = Actor(user_id=9, language="vi")
    with pytest.raises(NotAllowed):
        site.task_page(reporting, task_id, today, viewer=nobody, tz=tz)


# -- one indicator ---------------------------------------------------------------------------


def test_one_indicator_against_the_target(chat: Chat, reporting: Database, people, tz, clock):
    chat.say(WARD, "so hoa 85/100")
    clock.advance(hours=1)
    chat.say(COMMUNE, "so hoa 60/100")
    indicator_id = _id(reporting, Indicator, code="6")  # số hóa, ≥ 80 %
    today = NOW.astimezone(tz).date()
    kwargs = {"tz": tz, "cutoff_day": chat.core.settings.report_cutoff_day}
    office = site.indicator_page(reporting, indicator_id, today, viewer=people["office"], **kwargs)
    assert office.period == Period.month(2025, 12)  # sent after the 15th: December's
    assert office.indicator.target == Decimal(80) and office.indicator.comparator == ">="
    assert (office.reported, office.meeting) == (2, 1)
    assert office.area == Decimal("72.5") and office.area_meets is False
    assert [(u.name, u.meets) for u in office.units] == [
        (COMMUNE_NAME, False),  # short of the target first
        (WARD_NAME, True),
    ]
    assert office.units[1].numerator == Decimal(85) and office.units[1].denominator == 100
    assert office.trend[0].period == Period.month(2025, 1)
    assert office.trend[-1].period == office.period and office.trend[-1].area == Decimal("72.5")
    assert all(p.area is None for p in office.trend[:-1])

    official = site.indicator_page(reporting, indicator_id, today, viewer=people["ward"], **kwargs)
    assert [u.name for u in official.units] == [WARD_NAME]
    assert (official.reported, official.meeting, official.area) == (2, 1, Decimal("72.5"))
    assert official.trend == office.trend
    other = site.indicator_page(reporting, indicator_id, today, viewer=people["commune"], **kwargs)
    assert [u.name for u in other.units] == [COMMUNE_NAME]

    november = site.indicator_page(
        reporting, indicator_id, today, Period.month(2025, 11), viewer=people["leader"], **kwargs
    )
    assert november.reported == 0 and november.units == () and november.area is None


# -- the report log --------------------------------------------------------------------------


def _send_reports(chat: Chat, clock) -> None:
    chat.say(WARD, "nv 3 xong")
    clock.advance(hours=1)
    chat.say(COMMUNE, "nv 3 đang làm")
    clock.advance(hours=1)
    chat.say(WARD, "so hoa 85/100")
    clock.advance(days=1)
    chat.say(OFFICE, "Xã Đường Lâm: nv 2 đang làm 30%")
    clock.advance(hours=1)
    chat.say(WARD, "nv 2 xong")
    clock.advance(minutes=5)
    chat.say(WARD, "hủy")  # undoes "nv 2 xong"


def test_the_log_newest_first_with_undone_reports_flagged(
    chat: Chat, reporting: Database, people, tz, clock
):
    _send_reports(chat, clock)
    page = site.report_log(reporting, viewer=people["office"], tz=tz)
    assert page.next is None and page.unit_id is None
    subjects = [(e.unit, e.subject.split()[0], e.kind) for e in page.entries]
    assert subjects == [
        (WARD_NAME, "2", "status"),
        (COMMUNE_NAME, "2", "status"),
        (WARD_NAME, "Tỷ", "figure"),
        (COMMUNE_NAME, "3", "status"),
        (WARD_NAME, "3", "status"),
    ]
    undone = page.entries[0]
    assert undone.withdrawn and undone.withdrawn_at is not None and undone.text == "nv 2 xong"
    assert not any(e.withdrawn for e in page.entries[1:])
    by_office = page.entries[1]
    assert by_office.by_office and by_office.who == f"Người {OFFICE}" and by_office.percent == 30
    figure = page.entries[2]
    assert (figure.value, figure.numerator, figure.measure) == (Decimal(85), Decimal(85), "%")
    assert figure.period_start.isoformat() == "2025-12-01"
    assert [e.at for e in page.entries] == sorted((e.at for e in page.entries), reverse=True)


def test_an_official_gets_their_own_units_reports_and_names(
    chat: Chat, reporting: Database, people, tz, clock
):
    _send_reports(chat, clock)
    ward = people["ward"]
    page = site.report_log(reporting, viewer=ward, tz=tz)
    assert page.unit_id == ward.unit_id
    assert {e.unit for e in page.entries} == {WARD_NAME} and len(page.entries) == 3
    assert all(e.own and e.who == f"Người {WARD}" for e in page.entries)
    commune_page = site.report_log(reporting, viewer=people["commune"], tz=tz)
    sent = {e.subject.split()[0]: e for e in commune_page.entries}
    assert sent["3"].who == f"Người {COMMUNE}"
    assert sent["2"].who is None and sent["2"].by_office  # the office's name is not theirs
    commune_id = people["commune"].unit_id
    with pytest.raises(NotAllowed):
        site.report_log(reporting, viewer=ward, tz=tz, filters=site.LogFilter(unit_id=commune_id))
    commune_official = people["commune"].official_id
    with pytest.raises(NotAllowed):
        site.report_log(
            reporting, viewer=ward, tz=tz, filters=site.LogFilter(official_id=commune_official)
        )
    own = site.report_log(
        reporting, viewer=ward, tz=tz, filters=site.LogFilter(official_id=ward.official_id)
    )
    assert len(own.entries) == 3
    leader = site.report_log(reporting, viewer=people["leader"], tz=tz)
    assert len(leader.entries) == 5 and leader.entries[1].who == f"Người {OFFICE}"


def test_the_log_filters(chat: Chat, reporting: Database, people, tz, clock):
    _send_reports(chat, clock)
    office = people["office"]

    def units(**filters) -> list[tuple[str, str]]:
        page = site.report_log(reporting, viewer=office, tz=tz, filters=site.LogFilter(**filters))
        return [(e.unit, e.subject.split()[0]) for e in page.entries]

    commune_id = people["commune"].unit_id
    assert units(unit_id=commune_id) == [(COMMUNE_NAME, "2"), (COMMUNE_NAME, "3")]
    assert units(task_id=_id(reporting, Task, code="3")) == [
        (COMMUNE_NAME, "3"),
        (WARD_NAME, "3"),
    ]
    assert units(indicator_id=_id(reporting, Indicator, code="6")) == [(WARD_NAME, "Tỷ")]
    assert units(official_id=office.official_id) == [(COMMUNE_NAME, "2")]
    first_day = NOW.astimezone(tz).date()
    assert len(units(since=first_day, until=first_day)) == 3
    assert units(since=first_day + timedelta(days=1)) == [(WARD_NAME, "2"), (COMMUNE_NAME, "2")]
    assert units(until=first_day - timedelta(days=1)) == []


def test_the_log_in_pages(chat: Chat, reporting: Database, people, tz, clock):
    _send_reports(chat, clock)
    clock.advance(hours=1)
    chat.say(WARD, "nv 13 xong, so hoa 90/100")  # a status and a figure at one instant
    whole = site.report_log(reporting, viewer=people["office"], tz=tz).entries
    assert len(whole) == 7 and whole[0].at == whole[1].at
    walked, after = [], None
    for _ in range(10):
        page = site.report_log(reporting, viewer=people["office"], tz=tz, after=after, limit=2)
        walked += page.entries
        assert len(page.entries) <= 2
        if page.next is None:
            break
        after = site.Cursor.parse(page.next.token)
        assert after == page.next
    assert [(e.kind, e.id) for e in walked] == [(e.kind, e.id) for e in whole]
    assert site.Cursor.parse("nonsense") is None and site.Cursor.parse("1.7.2") is None


def test_open_disagreements_in_the_log(
    chat: Chat, reporting: Database, people, tz, clock, colleague: int
):
    chat.say(WARD, "so hoa 85/100")
    clock.advance(hours=2)
    chat.say(WARD_COLLEAGUE, "so hoa 60/100")
    office = site.report_log(reporting, viewer=people["office"], tz=tz)
    [conflict] = office.conflicts
    assert conflict.unit == WARD_NAME and conflict.subject.startswith("Tỷ lệ số hóa")
    assert (conflict.earlier.value, conflict.later.value) == (Decimal(85), Decimal(60))
    assert conflict.earlier.who == f"Người {WARD}"
    assert conflict.later.who == f"Người {WARD_COLLEAGUE}"
    assert all(e.disputed for e in office.entries)
    ward = site.report_log(reporting, viewer=people["ward"], tz=tz)
    [seen] = ward.conflicts
    assert seen.earlier.who == f"Người {WARD}" and seen.later.who is None  # not their name
    assert site.report_log(reporting, viewer=people["commune"], tz=tz).conflicts == ()
    chat.say(WARD_COLLEAGUE, "hủy")  # undoing one report ends the disagreement
    after = site.report_log(reporting, viewer=people["office"], tz=tz)
    assert after.conflicts == () and not any(e.disputed for e in after.entries)
    assert after.entries[0].withdrawn


# -- the plan and the export -----------------------------------------------------------------


def test_the_plan_as_imported(reporting: Database, people, tz):
    today = NOW.astimezone(tz).date()
    for role in ("ward", "office", "leader"):
        page = site.plan_page(reporting, today, viewer=people[role], tz=tz)
        assert page is not None and page.in_use and page.year == 2025
        assert page.tasks == 50 and len(page.indicators) == 12
        assert page.sections[0].title.startswith("A. Ban hành văn bản")
        codes = [t.code for s in page.sections for t in s.tasks]
        assert codes == [str(n) for n in range(1, 51)]
        first = page.sections[0].tasks[0]
        assert first.timeframe_kind == "due" and first.due_date.isoformat() == "2025-03-31"
        assert page.source is not None and page.source["format"] == "text"
        hai_long = next(i for i in page.indicators if i.code == "10")
        assert hai_long.target == Decimal(90) and hai_long.aliases
    assert site.plan_page(reporting, today, 9999, viewer=people["office"], tz=tz) is None


def test_export_choices_and_files(chat: Chat, reporting: Database, people, tz):
    today = NOW.astimezone(tz).date()
    cutoff = chat.core.settings.report_cutoff_day
    office = site.export_choices(reporting, today, viewer=people["office"], cutoff_day=cutoff)
    assert office.unit_id is None
    offered = {p.period: p for p in office.periods}
    assert offered[Period.quarter(2025, 3)].closed
    assert not offered[Period.quarter(2025, 4)].closed  # 15/9..14/12: still open
    assert Period.quarter(2026, 1) not in offered  # its window begins on 15/12
    assert office.default == Period.quarter(2025, 3) and office.offers(office.default)
    assert office.periods[0].period.end >= office.periods[-1].period.end
    ward = site.export_choices(reporting, today, viewer=people["ward"], cutoff_day=cutoff)
    assert ward.unit_id == people["ward"].unit_id and ward.unit == WARD_NAME
    leader = site.export_choices(reporting, today, viewer=people["leader"], cutoff_day=cutoff)
    assert leader.unit_id is None
    with pytest.raises(NotAllowed):
        site.export_choices(reporting, today, viewer=Actor(None, "vi"), cutoff_day=cutoff)

    files = periodic_area.documents(chat.core, people["ward"], Period.quarter(2025, 3))
    assert isinstance(files, tuple)
    docx, xlsx = files
    assert isinstance(docx, Attachment) and docx.filename.endswith("-phuong-le-loi.docx")
    assert docx.content[:2] == b"PK" and xlsx.filename.endswith(".xlsx")
    area = periodic_area.documents(chat.core, people["office"], Period.quarter(2025, 3))
    assert isinstance(area, tuple) and area[0].filename == "bao-cao-quy-3-2025.docx"
    with pytest.raises(NotAllowed):
        periodic_area.documents(
            chat.core, people["ward"], Period.quarter(2025, 3), people["commune"].unit_id
        )
    future = periodic_area.documents(chat.core, people["office"], Period.quarter(2026, 2))
    assert isinstance(future, Reply) and not future.attachments


# -- how many queries ------------------------------------------------------------------------


def test_each_page_runs_a_fixed_number_of_queries(
    chat: Chat, reporting: Database, people, tz, clock, colleague: int
):
    """The counts the module's docstring gives, whatever the number of units."""
    _send_reports(chat, clock)
    chat.say(WARD_COLLEAGUE, "so hoa 60/100")  # an open disagreement
    today = (NOW + timedelta(days=2)).astimezone(tz).date()
    task_id = _id(reporting, Task, code="3")
    indicator_id = _id(reporting, Indicator, code="6")
    cutoff = chat.core.settings.report_cutoff_day
    for role in ("ward", "office"):
        viewer = people[role]
        with _queries(reporting) as seen:
            site.task_page(reporting, task_id, today, viewer=viewer, tz=tz)
        assert len(seen) == 4, seen
        with _queries(reporting) as seen:
            site.indicator_page(
                reporting, indicator_id, today, viewer=viewer, tz=tz, cutoff_day=cutoff
            )
        assert len(seen) == 3, seen
        with _queries(reporting) as seen:
            page = site.report_log(reporting, viewer=viewer, tz=tz)
        assert page.conflicts and len(seen) <= 9, seen
        with _queries(reporting) as seen:
            site.plan_page(reporting, today, viewer=viewer, tz=tz)
        assert len(seen) <= 6, seen
        with _queries(reporting) as seen:
            site.export_choices(reporting, today, viewer=viewer, cutoff_day=cutoff)
        assert len(seen) <= 2, seen


def test_roles_reach(reporting: Database, people) -> None:
    """The fixture's people are who the tests take them for."""
    assert people["ward"].role is Role.OFFICIAL and people["office"].role is Role.OFFICE
    assert people["leader"].role is Role.LEADER and people["leader"].unit_id is None
