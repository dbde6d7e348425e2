"""Charts: PNG of phone width, every Vietnamese letter in the font, top and bottom 15."""

from __future__ import annotations

import io
import struct

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from PIL import Image

from bench._official import all_provinces
from bot.charts import (
    FONT,
    MAX_BARS,
    PARTIAL,
    Bar,
    _name_rows,
    partial_spans,
    pick,
    progress_chart,
    stacks,
)

LEGEND = {"done": "xong", "late": "trễ", "in_progress": "đang làm", "overdue": "quá hạn"}


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _bar(name: str, done: int, overdue: int) -> Bar:
    total = done + overdue
    return Bar(name, {"done": done, "overdue": overdue}, 100 * done / total if total else 0)


def test_the_font_has_every_letter_of_every_unit_name() -> None:
    font = FT2Font(font_manager.findfont(FONT, fallback_to_default=False))
    letters = {ch for p in all_provinces() for u in p.units for ch in u.name if not ch.isspace()}
    missing = sorted(ch for ch in letters if font.get_char_index(ord(ch)) == 0)
    assert missing == []


def test_every_unit_name_renders_at_phone_width() -> None:
    names = [u.name for p in all_provinces()[:2] for u in p.units][:30]
    png = progress_chart([_bar(n, 3, i % 4) for i, n in enumerate(names)], "Tiến độ", LEGEND)
    width, height = _size(png)
    assert width == 1080 and height > 30 * 40


def test_more_than_thirty_units_show_the_fifteen_worst_and_best() -> None:
    bars = [_bar(f"Xã {i:03d}", i, 100 - i) for i in range(100)]
    shown, left_out = pick(bars)
    assert len(shown) == MAX_BARS and left_out == 70
    assert [b.label for b in shown[:2]] == ["Xã 000", "Xã 001"]
    assert shown[-1].label == "Xã 099"
    png = progress_chart(bars, "Tiến độ", LEGEND, "… và 70 đơn vị khác")
    assert _size(png)[0] == 1080
    # a dashed line where the 70 are left out (the best came straight after the worst)
    svg = progress_chart(bars, "Tiến độ", LEGEND, "… và 70 đơn vị khác", svg=True)
    assert b'id="left-out"' in svg
    assert b'id="left-out"' not in progress_chart(bars[:30], "Tiến độ", LEGEND, svg=True)


def test_long_names_are_shortened_on_the_bars_at_a_word() -> None:
    from matplotlib.figure import Figure

    axes = Figure().add_subplot()
    names = ["Trung tâm Phục vụ hành chính công tỉnh Tuyên Quang", "Xã Sơn Dương"]
    labels = [artist.get_text() for artist in _name_rows(axes, names)]
    assert labels == ["Trung tâm Phục vụ hành…", "Xã Sơn Dương"]  # not "… hành ch…"


def test_an_empty_chart_still_renders() -> None:
    assert _size(progress_chart([], "Tiến độ", LEGEND))[0] == 1080
    assert io.BytesIO(progress_chart([], "", {})).getvalue()


def test_the_indicator_chart_with_its_target_and_trend() -> None:
    from bot.charts import indicator_chart

    rows = [("Xã Sơn Dương", 85.0), ("Phường Hà Giang 1", 70.0)]
    trend = [("T10", 74.0), ("T11", 77.5)]
    with_trend = _size(indicator_chart(rows, 80.0, "Tỷ lệ số hóa", "≥ 80%", trend))
    without = _size(indicator_chart(rows, None, "Tỷ lệ số hóa", ""))
    assert with_trend[0] == without[0] == 1080
    assert with_trend[1] > without[1]  # the trend adds its own small chart


def test_the_bars_stack_in_the_legend_order() -> None:
    bars = [Bar("Xã A", {"done": 2, "in_progress": 1, "overdue": 3}, 33.3)]
    spans = stacks(bars)
    assert spans["done"] == [(0.0, 2.0)]
    assert spans["late"] == [(2.0, 0.0)]
    assert spans["in_progress"] == [(2.0, 1.0)]
    assert spans["overdue"] == [(3.0, 3.0)]
    assert spans["not_reported"] == [(6.0, 0.0)]


def test_a_chart_decodes_as_an_rgb_picture() -> None:
    png = progress_chart([_bar("Xã Sơn Dương", 3, 1)], "Tiến độ", LEGEND)
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG" and image.mode == "RGB" and image.width == 1080


def test_the_reused_figure_keeps_nothing_from_the_chart_before() -> None:
    # Each thread keeps one figure: a chart drawn after another must come out the same
    # as when drawn first, whatever the other one held.
    small = [_bar("Xã Sơn Dương", 3, 1)]
    big = [_bar(f"Phường {i}", i, 5) for i in range(40)]
    first = progress_chart(small, "Tiến độ", LEGEND)
    progress_chart(big, "Tháng trước", LEGEND, "… và 10 đơn vị khác")
    again = progress_chart(small, "Tiến độ", LEGEND)
    assert again == first


def test_among_units_with_nothing_done_silence_ranks_before_work_in_progress() -> None:
    bars = [
        Bar("Xã A", {"in_progress": 1}, 0.0),
        Bar("Xã B", {"not_reported": 1}, 0.0),
        Bar("Xã C", {"overdue": 1}, 0.0),
        Bar("Xã D", {"done": 1}, 100.0),
    ]
    assert [b.label for b in pick(bars)[0]] == ["Xã C", "Xã B", "Xã A", "Xã D"]


def test_reported_progress_of_unfinished_tasks_is_drawn_hatched() -> None:
    """A unit 50 % through its overdue task: a hatched half at the start of the segment."""
    half = Bar("Xã Hoàng Su Phì", {"done": 1, "overdue": 1}, 75.0, {"overdue": 0.5})
    behind = Bar("Xã Bắc Mê", {"in_progress": 2}, 60.0, {"in_progress": 3.0})  # capped
    spans = partial_spans([half, behind])
    assert spans["overdue"] == [(1.0, 0.5), (2.0, 0.0)]
    assert spans["in_progress"] == [(1.0, 0.0), (0.0, 2.0)]
    legend = {**LEGEND, PARTIAL: "phần đã làm"}
    plain = Bar("Xã Hoàng Su Phì", {"done": 1, "overdue": 1}, 75.0)
    assert progress_chart([half], "Tiến độ", legend) != progress_chart([plain], "Tiến độ", legend)


def test_bars_ranked_by_the_caller_keep_their_order() -> None:
    """The standing now ranks by overdue work, not by the percentage."""
    bars = [_bar(f"Xã {i:03d}", 100 - i, i) for i in range(40)]  # the best first
    shown, left_out = pick(bars, ranked=True)
    assert [b.label for b in shown[:2]] == ["Xã 000", "Xã 001"] and left_out == 10
    assert shown[-1].label == "Xã 039"
    assert pick(bars)[0][0].label == "Xã 039"  # ranked here: the least done first


def test_the_due_later_segment_stacks_last_and_the_note_replaces_the_percentage() -> None:
    bar = Bar("Xã A", {"done": 1, "overdue": 2, "upcoming": 3}, 33.3, note="")
    spans = stacks([bar])
    assert spans["upcoming"] == [(3.0, 3.0)]
    legend = {"done": "xong", "overdue": "quá hạn", "upcoming": "còn hạn trong tháng"}
    with_note = progress_chart([bar], "Tình hình", legend, ranked=True)
    with_percent = progress_chart([Bar("Xã A", bar.counts, 33.3)], "Tình hình", legend)
    assert with_note != with_percent  # no "33%" after the bar
