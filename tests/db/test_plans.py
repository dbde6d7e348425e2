"""Importing the plan: drafts, confirmation, corrected versions, and the command line."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.language.timeframes import parse_timeframe
from bot.plans.files import MAX_ROWS
from bot.plans.model import Comparator, IndicatorDraft, PlanDraft, TaskDraft, WarningKind
from bot.plans.resolve import resolve_plan
from bot.services import plans
from bot.services.access import staff
from bot.services.identity import Actor
from bot.services.plans import reading as plans_reading
from bot.services.reference import reference
from bot.services.units import unit_catalogue
from bot.understanding import interpret
from bot.understanding.model import Context
from storage.db import Database
from storage.models import (
    Assignment,
    Official,
    Plan,
    Role,
    StatusUpdate,
    Task,
    TaskStatus,
    TaskUnitRole,
    Unit,
)
from tests import hostile_files as hostile

DATA = Path(__file__).parents[1] / "data"
SAMPLES = DATA / "plans"
NOW = datetime(2025, 3, 10, 2, 0, tzinfo=UTC)
TODAY = date(2025, 3, 10)
OFFICE = Actor(user_id=1, language="vi", role=Role.OFFICE)


def _task(code: str, content: str, lead: list[str], cooperating=(), timeframe="Quý I"):
    return TaskDraft(
        code=code,
        written_code=code,
        content=content,
        lead=list(lead),
        cooperating=list(cooperating),
        timeframe_text=timeframe,
        timeframe=parse_timeframe(timeframe, 2025),
    )


def _draft(*tasks: TaskDraft, title="Kế hoạch kiểm soát TTHC năm 2025") -> PlanDraft:
    return PlanDraft(
        title=title,
        issuer="UBND thị xã Sơn Tây",
        year=2025,
        tasks=list(tasks),
        indicators=[
            IndicatorDraft("4", "Tỷ lệ hồ sơ trực tuyến", "%", Comparator.AT_LEAST, Decimal(60)),
            IndicatorDraft(
                "nv1.1",
                "Mức độ hài lòng",
                "%",
                Comparator.AT_LEAST,
                Decimal(95),
                source="task",
                task_code="1.1",
            ),
        ],
    )


def _store(db: Database, draft: PlanDraft) -> int:
    with db.session() as session:
        catalogue = unit_catalogue(session)
    return plans.store_draft(db, resolve_plan(draft, catalogue), "kh.docx", OFFICE, NOW)


def _count(db: Database, model, *where) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


FIRST = (
    _task("1.1", "Xây dựng kế hoạch", ["Văn phòng HĐND&UBND Thị xã"], ["Các cơ quan liên quan"]),
    _task("1.2", "Rà soát TTHC", ["UBND các xã, phường"], timeframe="Thường xuyên"),
    _task("1.3", "Tập huấn", ["Công chức VP-TK"], timeframe="Theo kế hoạch"),
)


def test_a_draft_stores_tasks_and_assignments_but_is_not_the_plan(son_tay: Database) -> None:
    plan_id = _store(son_tay, _draft(*FIRST))
    summary = plans.summary(son_tay, plan_id, TODAY)
    assert summary is not None and summary.draft
    assert summary.tasks == 3
    # 1 office + 14 communes and wards; "các cơ quan liên quan" is nobody in particular
    assert summary.assignments == 1 + 14
    assert summary.by_kind == {"due": 1, "continuous": 1, "on_demand": 1}
    kinds = {w["kind"] for w in summary.warnings}
    assert kinds == {WarningKind.UNRESOLVED_UNIT.value}
    assert summary.warnings[0]["detail"] == "Công chức VP-TK"
    assert plans.current_plan_id(son_tay, TODAY) is None


def test_confirm_makes_it_the_plan_and_drops_unkept_targets(son_tay: Database) -> None:
    plan_id = _store(son_tay, _draft(*FIRST))
    summary = plans.set_task_indicators(son_tay, plan_id, False, TODAY)
    assert summary is not None
    assert [(i.code, i.keep) for i in summary.indicators] == [("4", True), ("nv1.1", False)]
    outcome = plans.confirm(son_tay, plan_id, NOW)
    assert outcome is not None and not outcome.merged
    assert outcome.added == ["1.1", "1.2", "1.3"] and outcome.assignments == 15
    assert plans.current_plan_id(son_tay, TODAY) == plan_id
    summary = plans.summary(son_tay, plan_id, TODAY)
    assert summary is not None and [i.code for i in summary.indicators] == ["4"]
    assert plans.confirm(son_tay, plan_id, NOW) is None  # a second press does nothing


def test_indicator_aliases_are_stored_and_read_by_reports(son_tay: Database) -> None:

    draft = _draft(*FIRST)
    draft.indicators[
        0
    ].name = "Tỷ lệ thanh toán trực tuyến trên tổng số giao dịch thanh toán của dịch vụ công"
    draft.indicators[0].aliases = ["Tỷ lệ giao dịch thanh toán trực tuyến"]
    plan_id = _store(son_tay, draft)
    assert plans.confirm(son_tay, plan_id, NOW) is not None
    with son_tay.session() as session:
        ref = reference(session, TODAY)
    payment = next(i for i in ref.indicators if i.code == "4")
    assert payment.aliases == ("Tỷ lệ giao dịch thanh toán trực tuyến",)
    context = Context(ref.catalogue, ref.tasks, ref.indicators, TODAY)
    (item,) = interpret("giao dich thanh toan truc tuyen 85%", context).indicators
    assert item.indicator_ids == (payment.id,)
    # A corrected version of the plan updates the aliases.
    draft.indicators[0].aliases = ["Tỷ lệ thanh toán trực tuyến"]
    again = _store(son_tay, draft)
    assert plans.confirm(son_tay, again, NOW) is not None
    with son_tay.session() as session:
        ref = reference(session, TODAY)
    assert next(i for i in ref.indicators if i.code == "4").aliases == (
        "Tỷ lệ thanh toán trực tuyến",
    )


def test_discard_removes_the_draft(son_tay: Database) -> None:
    plan_id = _store(son_tay, _draft(*FIRST))
    assert plans.discard(son_tay, plan_id)
    assert _count(son_tay, Plan) == 0 and _count(son_tay, Task) == 0
    assert not plans.discard(son_tay, plan_id)


def test_a_corrected_version_updates_by_code_and_keeps_history(son_tay: Database) -> None:
    plan_id = _store(son_tay, _draft(*FIRST))
    plans.confirm(son_tay, plan_id, NOW)
    with son_tay.session() as session:  # Phường Lê Lợi reports on 1.2, then 1.3 is dropped
        assignment = session.scalar(
            select(Assignment)
            .join(Task)
            .join(Unit)
            .where(Task.code == "1.2", Unit.name == "Phường Lê Lợi")
        )
        assert assignment is not None
        session.add(StatusUpdate(assignment_id=assignment.id, status=TaskStatus.DONE))
        kept_assignment = assignment.id

    corrected = _draft(
        _task("1.1", "Xây dựng kế hoạch (sửa)", ["Văn phòng HĐND&UBND Thị xã"]),
        _task("1.2", "Rà soát TTHC", ["Xã Đường Lâm"], timeframe="Thường xuyên"),
        _task("2.1", "Kiểm tra", ["Phòng Tư pháp"], timeframe="Quý IV"),
    )
    outcome = plans.confirm(son_tay, _store(son_tay, corrected), NOW)
    assert outcome is not None and outcome.merged and outcome.plan_id == plan_id
    assert outcome.added == ["2.1"]
    assert sorted(outcome.updated) == ["1.1", "1.2"]
    assert outcome.withdrawn == ["1.3"]
    assert _count(son_tay, Plan) == 1
    with son_tay.session() as session:
        tasks = {t.code: t for t in session.scalars(select(Task))}
        assert tasks["1.1"].content == "Xây dựng kế hoạch (sửa)"
        assert tasks["1.3"].withdrawn_at is not None
        assert tasks["2.1"].due_date == date(2025, 12, 31)
        units_12 = {a.unit.name for a in tasks["1.2"].assignments}
        # Lê Lợi reported: its assignment and history stay; the others went.
        assert units_12 == {"Xã Đường Lâm", "Phường Lê Lợi"}
        assert session.get(Assignment, kept_assignment) is not None
        assert _count(son_tay, StatusUpdate) == 1


def test_a_person_keeps_one_draft_at_a_time(son_tay: Database) -> None:
    with son_tay.session() as session:
        person = Official(telegram_user_id=77, role=Role.OFFICE, full_name="Văn phòng")
        session.add(person)
        session.flush()
        actor = Actor(user_id=77, language="vi", official_id=person.id, role=Role.OFFICE)
    with son_tay.session() as session:
        catalogue = unit_catalogue(session)
    for _ in range(2):
        resolved = resolve_plan(_draft(*FIRST), catalogue)
        last = plans.store_draft(son_tay, resolved, "kh.docx", actor, NOW)
    assert _count(son_tay, Plan) == 1 and _count(son_tay, Task) == 3
    assert plans.summary(son_tay, last, TODAY) is not None


def test_unit_tasks_lists_lead_and_cooperating(son_tay: Database) -> None:
    plans.confirm(son_tay, _store(son_tay, _draft(*FIRST)), NOW)
    with son_tay.session() as session:
        office = session.scalar(select(Unit).where(Unit.name.like("Văn phòng%")))
        ward = session.scalar(select(Unit).where(Unit.name == "Phường Lê Lợi"))
        assert office is not None and ward is not None
        office_id, ward_id = office.id, ward.id
    office = staff()
    assert [t.code for t in plans.unit_tasks(son_tay, office, office_id, TODAY)] == ["1.1"]
    ward_tasks = plans.unit_tasks(son_tay, office, ward_id, TODAY)
    assert [(t.code, t.role, t.status) for t in ward_tasks] == [("1.2", "lead", None)]


def test_assignment_roles(son_tay: Database) -> None:
    draft = _draft(
        _task("1", "Góp ý", ["Phòng Tư pháp"], ["Phòng Nội vụ", "Phòng Tư pháp"]),
    )
    plans.confirm(son_tay, _store(son_tay, draft), NOW)
    with son_tay.session() as session:
        roles = {a.unit.name: a.role for a in session.scalars(select(Assignment))}
    assert roles == {"Phòng Tư pháp": TaskUnitRole.LEAD, "Phòng Nội vụ": TaskUnitRole.COOPERATE}


# -- the samples, end to end through the command line -----------------------------------


@pytest.fixture
def env(son_tay: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", son_tay.url)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    return son_tay


@pytest.mark.parametrize(
    ("sample", "tasks", "indicators"),
    [
        ("ke-hoach-thi-xa-son-tay-2025.txt", 26, 0),
        ("ke-hoach-phuong-trung-luong-2024.txt", 25, 0),
        ("quyet-dinh-huyen-son-tay-2025.txt", 50, 10),
    ],
)
def test_plan_import_dry_run_json(env: Database, capsys, sample: str, tasks, indicators) -> None:
    assert main(["plan", "import", str(SAMPLES / sample), "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["tasks"]) == tasks
    assert len([i for i in data["indicators"] if i["source"] == "table"]) == indicators
    assert data["imported"] is False and _count(env, Plan) == 0
    assert data["source"] == {
        "format": "text",
        "ocr": False,
        "confidence": None,
        "repaired_words": 0,
        "borderless_tables": 0,
    }
    task = data["tasks"][0]
    assert set(task) >= {
        "code",
        "section",
        "content",
        "lead",
        "lead_units",
        "cooperating",
        "timeframe",
        "product",
    }
    assert set(task["timeframe"]) == {"text", "kind", "due", "recurrence"}
    kinds = {t["timeframe"]["kind"] for t in data["tasks"]}
    assert kinds <= {"due", "continuous", "recurring", "on_demand", "unknown"}
    recurrences = {t["timeframe"]["recurrence"] for t in data["tasks"]}
    assert recurrences <= {None, "weekly", "monthly", "quarterly", "half_yearly", "yearly"}


def test_plan_import_son_tay_resolves_units_and_imports(env: Database, capsys) -> None:
    sample = SAMPLES / "ke-hoach-thi-xa-son-tay-2025.txt"
    assert main(["plan", "import", str(sample), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == 2025 and data["imported"] is True
    with env.session() as session:  # how it was read stays with the plan
        assert session.scalars(select(Plan.source)).all() == [data["source"]]
    first = data["tasks"][0]
    assert first["code"] == "1.1"
    assert first["lead"] == ["Văn phòng HĐND&UBND Thị xã"]
    assert first["lead_units"] == [
        {"id": first["lead_units"][0]["id"], "name": "Văn phòng HĐND và UBND thị xã"}
    ]
    assert first["timeframe"] == {
        "text": "Tháng 01/2025",
        "kind": "due",
        "due": "2025-01-31",
        "recurrence": None,
    }
    assert any(w["kind"] == "duplicate_code" for w in data["warnings"])
    assert _count(env, Plan) == 1 and _count(env, Task) == 26
    # the text preview and a second import (the same file) change nothing
    assert main(["plan", "import", str(sample)]) == 0
    out = capsys.readouterr().out
    assert "26 nhiệm vụ" in out
    assert "0 nhiệm vụ mới, 0 sửa đổi, 0 rút khỏi kế hoạch, 26 không đổi" in out
    assert _count(env, Task) == 26


def test_places_named_one_by_one_are_given_the_task_each(env: Database, capsys, tmp_path) -> None:
    """ "UBND các xã: Cổ Đông, Đường Lâm" leads for those two communes, not for every
    commune of the town (it was read as the group); "UBND phường Lê Lợi, phường Ngô
    Quyền" for those two wards (it was no unit at all)."""
    plan = tmp_path / "kh.txt"
    plan.write_text(
        "ỦY BAN NHÂN DÂN\nTHỊ XÃ SƠN TÂY\n\nKẾ HOẠCH\nKiểm soát TTHC năm 2025\n\n"
        "TT | Nội dung | Chủ trì | Thời gian\n"
        "1 | Thí điểm số hóa | UBND các xã: Cổ Đông, Đường Lâm | Quý II/2025\n"
        "2 | Thí điểm một cửa | UBND phường Lê Lợi, phường Ngô Quyền | Quý III/2025\n"
        "3 | Thí điểm | UBND các xã, phường: Kim Sơn, Trung Hưng | Quý IV/2025\n",
        encoding="utf-8",
    )
    assert main(["plan", "import", str(plan), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [[u["name"] for u in t["lead_units"]] for t in data["tasks"]] == [
        ["Xã Cổ Đông", "Xã Đường Lâm"],
        ["Phường Lê Lợi", "Phường Ngô Quyền"],
        ["Xã Kim Sơn", "Phường Trung Hưng"],
    ]
    assert _count(env, Assignment) == 6


def test_plan_import_refuses_what_is_not_a_plan(env: Database, capsys, tmp_path: Path) -> None:
    path = tmp_path / "ghi-chu.txt"
    path.write_text("Họp giao ban sáng thứ Hai.\nKhông có bảng nào ở đây.\n", encoding="utf-8")
    assert main(["plan", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "ghi-chu.txt" in err and "Chưa nhập gì" in err
    picture = tmp_path / "anh.docx"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert main(["plan", "import", str(picture)]) == 1
    assert _count(env, Plan) == 0


def test_plan_template(env: Database, capsys, tmp_path: Path) -> None:
    target = tmp_path / "mau.xlsx"
    assert main(["plan", "template", str(target)]) == 0
    assert target.exists() and target.stat().st_size > 1000


def test_an_unsure_unit_is_chosen_in_the_preview_and_remembered(son_tay: Database) -> None:
    draft = _draft(
        _task("1", "Niêm yết", ["Phường Lê Lai"]),
        _task("2", "Rà soát", ["Phòng Tư pháp"], ["Phường Lê Lai"]),
    )
    plan_id = _store(son_tay, draft)
    summary = plans.summary(son_tay, plan_id, TODAY)
    assert summary is not None
    [warning] = [w for w in summary.warnings if w["kind"] == "unsure_unit"]
    assert warning["detail"] == "Phường Lê Lai"
    choice = next(c for c in warning["candidates"] if c["name"] == "Phường Lê Lợi")
    index = summary.warnings.index(warning)

    summary = plans.choose_unit(son_tay, plan_id, index, choice["id"], TODAY)
    assert summary is not None and summary.warnings == []
    with son_tay.session() as session:
        roles = {
            (t.code, a.unit.name): a.role
            for t in session.scalars(select(Task))
            for a in t.assignments
        }
        catalogue = unit_catalogue(session)
    assert roles[("1", "Phường Lê Lợi")] is TaskUnitRole.LEAD
    assert roles[("2", "Phường Lê Lợi")] is TaskUnitRole.COOPERATE
    match = catalogue.match("Phường Lê Lai")  # the next file resolves it on its own
    assert match.unit is not None and match.unit.name == "Phường Lê Lợi"


def test_none_of_these_leaves_the_unit_unassigned(son_tay: Database) -> None:
    plan_id = _store(son_tay, _draft(_task("1", "Niêm yết", ["Phường Lê Lai"])))
    summary = plans.choose_unit(son_tay, plan_id, 0, None, TODAY)
    assert summary is not None
    assert [w["kind"] for w in summary.warnings] == ["unresolved_unit"]
    assert summary.assignments == 0
    assert plans.choose_unit(son_tay, plan_id, 5, None, TODAY) is None


@pytest.mark.parametrize(
    ("sample", "tasks", "indicators"),
    [
        ("ke-hoach-thi-xa-son-tay-2025.txt", 26, 0),
        ("ke-hoach-phuong-trung-luong-2024.txt", 25, 0),
        ("quyet-dinh-huyen-son-tay-2025.txt", 50, 10),
    ],
)
@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_word_and_excel_twins_read_like_the_text(
    son_tay: Database, sample: str, tasks: int, indicators: int, kind: str
) -> None:
    from tests.plans_fixtures import sample_docx, sample_xlsx

    data = sample_docx(sample) if kind == "docx" else sample_xlsx(sample)
    with son_tay.session() as session:
        catalogue = unit_catalogue(session)
    twin = plans.read_plan(data, sample.replace(".txt", f".{kind}"), catalogue, None)
    text = plans.read_plan((SAMPLES / sample).read_bytes(), sample, catalogue, None)
    assert len(twin.tasks) == tasks
    assert len([i for i in twin.draft.indicators if i.source == "table"]) == indicators
    assert twin.draft.year == text.draft.year
    assert [t.draft.code for t in twin.tasks] == [t.draft.code for t in text.tasks]
    assert [t.draft.timeframe for t in twin.tasks] == [t.draft.timeframe for t in text.tasks]
    assert [sorted(t.units()) for t in twin.tasks] == [sorted(t.units()) for t in text.tasks]


def test_a_file_over_20_mb_is_refused_before_reading(son_tay: Database, settings, clock) -> None:
    from bot.core import Core
    from bot.transport import ChatRef, ChatType, FileRef, Incoming, Kind, UserRef

    with son_tay.session() as session:
        session.add(Official(telegram_user_id=501, role=Role.OFFICE, full_name="Văn phòng"))
    core = Core(db=son_tay, settings=settings, clock=clock)
    user = UserRef(501, "Văn phòng")
    incoming = Incoming(
        "telegram",
        1,
        Kind.MEDIA,
        ChatRef(501, ChatType.PRIVATE),
        user,
        clock(),
        file=FileRef("ke-hoach.docx", 21 * 1024 * 1024, "file-id", None),
    )
    claim = core.begin(incoming)
    assert claim is not None and claim.actor.manages
    [reply] = core.handle(incoming, claim)
    assert "20 MB" in reply.text and "Chưa nhập gì" in reply.text
    assert _count(son_tay, Plan) == 0


class CountingClock:
    """A clock that stands still and counts its readings: the reader's Budget reads it
    once to set the deadline, then once for every row or paragraph it counts."""

    def __init__(self) -> None:
        self.readings = 0

    def __call__(self) -> float:
        self.readings += 1
        return 0.0


@pytest.mark.parametrize(
    ("name", "build", "reason", "readings"),
    [
        # Counted in the sheet's XML before openpyxl opens it.
        ("bang.xlsx", lambda: hostile.plan_xlsx(100_000), "too_many_rows", 1),
        # Walked row by row, stopped at the first row over the limit.
        ("bang.docx", lambda: hostile.plan_docx(20_000), "too_many_rows", 1 + MAX_ROWS),
        # By its byte count, before it is decoded; by its longest line, before any block.
        ("mot-dong.txt", lambda: hostile.one_line_text(19 * 2**20), "too_long", 1),
        ("dong-dai.txt", lambda: hostile.one_line_text(500_000), "line_too_long", 1),
    ],
    ids=["100k-row xlsx", "20k-row docx", "19 MB line", "long line"],
)
def test_a_hostile_file_is_refused_before_it_is_parsed_and_nothing_stored(
    son_tay: Database,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    build,
    reason: str,
    readings: int,
) -> None:
    # The time each takes is measured in bench/big_files.py.
    data = build()

    def parse_plan(*args, **kwargs):
        pytest.fail("the plan was parsed")

    monkeypatch.setattr(plans_reading, "parse_plan", parse_plan)
    clock = CountingClock()
    with pytest.raises(plans.PlanError) as caught:
        plans.preview(son_tay, data, name, OFFICE, NOW, TODAY, timer=clock)
    assert caught.value.reason == reason
    assert clock.readings == readings
    assert _count(son_tay, Plan) == 0 and _count(son_tay, Task) == 0


def test_reading_a_plan_stops_when_it_takes_too_long(son_tay: Database) -> None:
    clock = iter(range(0, 1000, 4))  # each reading of the clock: four seconds later
    sample = (SAMPLES / "quyet-dinh-huyen-son-tay-2025.txt").read_bytes()
    with pytest.raises(plans.PlanError) as caught:
        plans.preview(son_tay, sample, "qd.txt", OFFICE, NOW, TODAY, timer=lambda: next(clock))
    assert caught.value.reason == "too_slow"
    assert _count(son_tay, Plan) == 0


def test_the_indicator_table_in_json(env: Database, capsys) -> None:
    sample = SAMPLES / "quyet-dinh-huyen-son-tay-2025.txt"
    assert main(["plan", "import", str(sample), "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    online = next(i for i in data["indicators"] if i["code"] == "4")
    assert online == {
        "code": "4",
        "name": "Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận, giải quyết TTHC",
        "measure": "%",
        "comparator": ">=",
        "target": 60,
        "source": "table",
        "task": None,
        "aliases": [],
    }
    # A target a task states: its name, the task, and the task's wording of a national
    # indicator the row words otherwise kept as an alias.
    cut = next(i for i in data["indicators"] if i["code"] == "5-CT1")
    assert (cut["name"], cut["task"], cut["source"]) == (
        "Cắt giảm chi phí tuân thủ TTHC",
        "5",
        "task",
    )
    synced = next(i for i in data["indicators"] if i["code"] == "2")
    assert "Tỷ lệ hồ sơ TTHC được đồng bộ trên Cổng Dịch vụ công quốc gia" in synced["aliases"]
    assert data["issuer"] == "UBND huyện Sơn Tây" and data["year"] == 2025
    first = data["tasks"][0]
    assert first["lead"] == ["Văn phòng HĐND&UBND huyện"]
    assert first["cooperating"] == ["Các phòng, ban, ngành liên quan"]
    assert first["timeframe"]["kind"] == "due" and first["timeframe"]["due"] == "2025-03-31"


def test_the_reporting_duty_of_a_sample_is_kept(env: Database, capsys) -> None:
    sample = SAMPLES / "ke-hoach-thi-xa-son-tay-2025.txt"
    assert main(["plan", "import", str(sample)]) == 0
    assert "Chế độ báo cáo nêu trong văn bản: 1" in capsys.readouterr().out
    with env.session() as session:
        from storage.models import PlanDuty

        [duty] = session.scalars(select(PlanDuty)).all()
        office = session.scalar(select(Unit.id).where(Unit.name.like("Văn phòng%")))
    assert duty.recurrence == "quarterly" and duty.unit_ids == [office]
