"""The progress answers' wording, from service results built by hand (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.i18n import translations
from bot.language.periods import Period
from bot.services.progress import IndicatorStanding, Overview, UnitProgress
from bot.views.common import and_more
from bot.views.progress import overview_reply

NOVEMBER = Period.month(2026, 11)


def _standing(area: str, before: str | None) -> IndicatorStanding:
    return IndicatorStanding(
        name="Tỷ lệ hồ sơ trực tuyến",
        comparator=">=",
        target=Decimal(60),
        measure="%",
        reported=2,
        meeting=1,
        area=Decimal(area),
        indicator_id=1,
        previous_area=None if before is None else Decimal(before),
    )


def _overview(*standings: IndicatorStanding) -> Overview:
    unit = UnitProgress(1, "Xã Sơn Dương")
    unit.counts["done"] = 1
    return Overview(NOVEMBER, [unit], list(standings), [], None)


@pytest.mark.parametrize(
    ("language", "area", "before", "expected"),
    [
        ("vi", "61.9", "57.5", "(toàn địa bàn 61,9%, ↑ từ 57,5%)"),
        ("en", "61.9", "57.5", "(area 61,9%, ↑ from 57,5%)"),  # numbers stay Vietnamese
        ("vi", "50", "57.5", "(toàn địa bàn 50%, ↓ từ 57,5%)"),
        ("vi", "57.5", "57.5", "(toàn địa bàn 57,5%, không đổi)"),
        ("vi", "57.5", None, "(toàn địa bàn 57,5%)"),
    ],
)
def test_an_indicator_change_says_where_it_came_from(
    language: str, area: str, before: str | None, expected: str
) -> None:
    """ "↑ 57,5%" read as "up 57.5%": the previous value is said to be a starting point."""
    text = overview_reply(_overview(_standing(area, before)), language, detail=True).text
    assert expected in text, text


def test_and_n_more_names_what_was_left_out() -> None:
    """Late tasks beyond six are tasks, silent units beyond ten are units."""
    from datetime import date

    from bot.services.progress import LateTask, UnitLate
    from bot.views.progress import late_reply

    tasks = [LateTask(f"1.{i}", date(2026, 11, 1), 33) for i in range(1, 10)]
    silent = [f"Xã {i:02d}" for i in range(14)]
    text = late_reply([UnitLate("Xã Sơn Dương", tasks)], silent, date(2026, 12, 4), "vi").text
    assert "1.6 (33 ngày) và 3 nhiệm vụ khác" in text, text
    assert "Xã 09 và 4 đơn vị khác" in text, text
    english = late_reply([UnitLate("Xã Sơn Dương", tasks)], silent, date(2026, 12, 4), "en").text
    assert "and 3 more tasks" in english and "and 4 more units" in english


def test_quarters_on_the_trend_and_the_chart_are_vietnamese(monkeypatch) -> None:
    """The trend's labels were "Q2 → Q3" in a Vietnamese answer and chart."""
    from bot.services.progress import IndicatorDetail, UnitFigure
    from bot.views import progress as progress_views

    drawn = {}

    def chart(rows, target, title, target_label, trend, *rest):
        drawn["trend"] = [label for label, _value in trend]
        return b"\x89PNG"

    monkeypatch.setattr(progress_views, "indicator_chart", chart)
    q2, q3 = Period.quarter(2026, 2), Period.quarter(2026, 3)
    figure = UnitFigure("Xã Sơn Dương", Decimal(70), None, None, True)
    detail = IndicatorDetail(
        _standing("70", "60"), [figure], [(q2, Decimal(60)), (q3, Decimal(70))]
    )
    text = progress_views.indicator_reply(detail, q3, "vi").text
    assert "Các kỳ gần đây: Quý 2 60% → Quý 3 70%." in text
    assert drawn["trend"] == ["Quý 2", "Quý 3"]
    english = progress_views.indicator_reply(detail, q3, "en").text
    assert "Q2 60% → Q3 70%" in english


def test_an_indicator_without_a_measure_shows_no_english_word() -> None:
    """A plan's indicator with no measure is stored as "count": "≥ 5 count" leaked."""
    standing = _standing("4", None)
    standing.measure, standing.target = "count", Decimal(5)
    text = overview_reply(_overview(standing), "vi", detail=True).text
    assert "≥ 5" in text and "count" not in text


def test_one_task_lists_fifteen_units_and_counts_the_rest() -> None:
    from bot.services.progress import TaskStanding, UnitState
    from bot.views.progress import task_reply

    states = [UnitState(f"Xã {i:02d}", "overdue") for i in range(20)]
    text = task_reply(TaskStanding("4.3 Rà soát, đánh giá quy định", states), "vi").text
    assert "• quá hạn (20): Xã 00;" in text and "Xã 14 và 5 đơn vị khác" in text


def test_one_task_names_its_deadline_or_its_timeframe() -> None:
    from bot.services.progress import TaskStanding, UnitState
    from bot.views.progress import task_reply

    states = [UnitState("Xã Sơn Dương", "done")]
    due = task_reply(TaskStanding("4.3 Rà soát", states, date(2026, 11, 30), "Trước 30/11"), "vi")
    assert due.text.splitlines()[0] == "4.3 Rà soát — hạn 30/11/2026"
    often = task_reply(TaskStanding("2.1 Niêm yết", states, None, "Thường xuyên"), "vi")
    assert often.text.splitlines()[0] == "2.1 Niêm yết — Thường xuyên"
    bare = task_reply(TaskStanding("2.1 Niêm yết", states), "vi")
    assert bare.text.splitlines()[0] == "2.1 Niêm yết"


def test_an_indicator_chart_of_the_lowest_30_says_how_many_meet_the_target(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.services.progress import IndicatorDetail, UnitFigure
    from bot.views import progress as views

    drawn = {}

    def chart(rows, target, title, target_label, trend, trend_title, more) -> bytes:
        drawn.update(rows=rows, more=more)
        return b"\x89PNG"

    monkeypatch.setattr(views, "indicator_chart", chart)
    figures = [
        UnitFigure(f"Xã {i:02d}", Decimal(50 + i), None, None, 50 + i >= 80) for i in range(40)
    ]
    standing = IndicatorStanding("Tỷ lệ số hóa", ">=", Decimal(80), "%", 40, 10, Decimal(70))
    views.indicator_reply(IndicatorDetail(standing, figures, []), NOVEMBER, "vi")
    assert len(drawn["rows"]) == 40  # the chart keeps the 30 lowest of them
    assert drawn["more"] == (
        "Biểu đồ gồm 30 đơn vị thấp nhất trong 40 đơn vị. 10/40 đơn vị đạt ≥ 80%."
    )
    # 30 units or fewer: all drawn, nothing to say under them
    views.indicator_reply(IndicatorDetail(standing, figures[:30], []), NOVEMBER, "vi")
    assert drawn["more"] is None


def test_an_officials_indicator_answer_names_only_their_unit() -> None:
    from bot.services.progress import Figure, OwnFigure
    from bot.views.progress import own_indicator_reply

    standing = IndicatorStanding(
        "Tỷ lệ hồ sơ trực tuyến", ">=", Decimal(60), "%", 12, 4, Decimal(55), 1, Decimal(50)
    )
    mine = Figure(Decimal(70), Decimal(70), Decimal(100))
    text = own_indicator_reply(OwnFigure(standing, mine), NOVEMBER, "Xã Sơn Dương", "vi").text
    assert text.splitlines() == [
        "Tỷ lệ hồ sơ trực tuyến, tháng 11/2026:",
        "• Xã Sơn Dương: 70% (70/100) — đạt ≥ 60%",
        "• Toàn địa bàn: 55%. ↑ so với 50% kỳ trước. 4/12 đơn vị đạt ≥ 60%.",
    ]
    low = own_indicator_reply(
        OwnFigure(standing, Figure(Decimal("40.5"), None, None)), NOVEMBER, "Xã A", "vi"
    ).text
    assert "• Xã A: 40,5% — chưa đạt ≥ 60%" in low
    none = own_indicator_reply(OwnFigure(standing, None), NOVEMBER, "Xã A", "vi").text
    assert "• Xã A: chưa gửi số liệu kỳ này." in none


def test_no_unit_late_in_a_period_says_which_period() -> None:
    """Asked about a month ("xã nào chưa báo cáo tháng này"), no unit late on the tasks
    due in it is said of that month: "no unit has an overdue task" was false while tasks
    of earlier months were overdue."""
    from bot.views.progress import late_reply

    december = Period.month(2026, 12)
    text = late_reply([], ["Xã Bình An"], date(2026, 12, 6), "vi", due_in=december).text
    assert "không đơn vị nào quá hạn nhiệm vụ có hạn trong tháng 12/2026" in text
    assert "không đơn vị nào có nhiệm vụ quá hạn" not in text
    whole = late_reply([], [], date(2026, 12, 6), "vi").text
    assert whole == "Đến 06/12/2026, không đơn vị nào có nhiệm vụ quá hạn."


@pytest.mark.parametrize(
    ("what", "said"),
    [
        ("units", "và 3 đơn vị khác"),
        ("tasks", "và 3 nhiệm vụ khác"),
        ("indicators", "và 3 chỉ tiêu khác"),
        # a mixed list (the periodic reports not sent, the chats reminders cannot reach,
        # the reports that disagree): it said "và 3 đơn vị khác"
        ("other", "và 3 mục khác"),
    ],
)
def test_what_a_list_left_out_is_named_by_its_noun(what: str, said: str) -> None:
    assert and_more(3, what, translations("vi").gettext) == said
