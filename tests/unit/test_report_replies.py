"""The replies to a report, from outcomes built by hand (no database): a task with one
deadline is named with it, and a reply of only such tasks names no reporting period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.language.periods import Period
from bot.language.statuses import Status
from bot.matching import UnitEntry
from bot.services.reports import Outcome, OutcomeKind, StoredTask, StoredValue
from bot.understanding.model import (
    IndicatorRef,
    Intent,
    Interpretation,
    Problem,
    ProblemCode,
)
from bot.views.reports import ask_reply, stored_reply, undone_reply

UNIT = UnitEntry(7, "Xã Sơn Dương", "xa")
DECEMBER = Period.month(2026, 12)
ONCE = StoredTask("1.3", "Kiện toàn đội ngũ", Status.DONE, None, None, date(2026, 3, 31))
OFTEN = StoredTask("2.1", "Niêm yết công khai", Status.DONE, None, None)
FIGURE = StoredValue(
    IndicatorRef(3, "3", "Tỷ lệ số hóa", target=Decimal(80)), Decimal(85), None, None
)


def _outcome(kind: OutcomeKind, *facts, problems=()) -> Outcome:
    interpretation = Interpretation("…", Intent.REPORT, problems=list(problems))
    tasks = [f for f in facts if isinstance(f, StoredTask)]
    values = [f for f in facts if isinstance(f, StoredValue)]
    return Outcome(kind, interpretation, UNIT, DECEMBER, tasks, values, inbound_id=1)


def test_tasks_with_one_deadline_are_confirmed_with_it_and_no_period() -> None:
    text = stored_reply(_outcome(OutcomeKind.STORED, ONCE), "vi").text
    assert text.splitlines() == [
        "Đã ghi nhận cho Xã Sơn Dương:",
        "• 1.3 Kiện toàn đội ngũ (hạn 31/03/2026) — đã xong",
    ]


def test_a_period_is_named_when_anything_is_for_a_period() -> None:
    for facts in ((ONCE, OFTEN), (ONCE, FIGURE), (OFTEN,)):
        text = stored_reply(_outcome(OutcomeKind.STORED, *facts), "vi").text
        assert text.startswith("Đã ghi nhận cho Xã Sơn Dương, tháng 12/2026:"), facts
    both = stored_reply(_outcome(OutcomeKind.STORED, ONCE, OFTEN), "vi").text
    assert "• 1.3 Kiện toàn đội ngũ (hạn 31/03/2026) — đã xong" in both
    assert "• 2.1 Niêm yết công khai — đã xong" in both  # no deadline of its own


def test_asked_and_undone_name_the_deadline_too() -> None:
    unsure = Problem(ProblemCode.NEEDS_CONFIRMATION, "so hoa", value="40 → 85")
    asked = ask_reply(_outcome(OutcomeKind.ASK, ONCE, problems=[unsure]), None, "vi").text
    assert asked.startswith("Đã hiểu cho Xã Sơn Dương (chưa ghi nhận):\n• 1.3 Kiện toàn")
    undone = undone_reply(_outcome(OutcomeKind.UNDONE, ONCE), "vi").text
    assert "• 1.3 Kiện toàn đội ngũ (hạn 31/03/2026) — đã xong" in undone


def test_asked_about_the_unit_names_none() -> None:
    """While the unit is what is asked, the understood part names no unit (it read
    "Đã hiểu cho , tháng 12/2026")."""
    which = Problem(ProblemCode.AMBIGUOUS_UNIT, "tt", ("Xã Trung Hà", "Xã Lùng Tám"))
    outcome = _outcome(OutcomeKind.ASK, FIGURE, problems=[which])
    outcome.unit = None
    asked = ask_reply(outcome, None, "vi").text
    assert asked.startswith("Đã hiểu, tháng 12/2026 (chưa ghi nhận):\n• Tỷ lệ số hóa")
    outcome = _outcome(OutcomeKind.ASK, ONCE, problems=[which])
    outcome.unit = None
    assert ask_reply(outcome, None, "vi").text.startswith("Đã hiểu (chưa ghi nhận):\n• 1.3")
