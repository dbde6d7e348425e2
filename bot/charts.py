"""Charts a chairman reads on a phone: matplotlib's object API on the Agg canvas, PNG bytes.

Pure: data in, bytes out (no Telegram, no database). The figure is about 1080 px wide,
text at least the size of a chat message, in DejaVu Sans (it has every Vietnamese
letter); long unit names are shortened on the bars, and with more than 30 units only the
15 most behind and the 15 best are drawn. Callers render off the event loop.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

FONT = "DejaVu Sans"
DPI = 120
WIDTH_PX = 1080
MAX_BARS = 30
LABEL_CHARS = 26

# Okabe–Ito, a colour-blind-safe palette.
COLOURS = {
    "done": "#009E73",  # bluish green
    "late": "#56B4E9",  # sky blue
    "in_progress": "#F0E442",  # yellow
    "overdue": "#D55E00",  # vermillion
    "not_reported": "#BBBBBB",  # grey
}


@dataclass(frozen=True)
class Bar:
    label: str
    counts: dict[str, int]  # state → tasks, in the order of COLOURS
    percent: float


def shorten(name: str, size: int = LABEL_CHARS) -> str:
    if len(name) <= size:
        return name
    return name[: size - 1].rstrip() + "…"


def pick(bars: Sequence[Bar]) -> tuple[list[Bar], int]:
    """All bars, or the 15 most behind and the 15 best, and how many were left out."""
    ranked = sorted(bars, key=lambda b: (b.percent, -b.counts.get("overdue", 0), b.label))
    if len(ranked) <= MAX_BARS:
        return ranked, 0
    half = MAX_BARS // 2
    return ranked[:half] + ranked[-half:], len(ranked) - MAX_BARS


def progress_chart(
    bars: Sequence[Bar], title: str, legend: dict[str, str], more: str | None = None
) -> bytes:
    """Horizontal stacked bars per unit, most behind at the top, percentage at the end."""
    shown, left_out = pick(bars)
    rows = max(len(shown), 1)
    height_in = 1.6 + 0.42 * rows
    figure = Figure(figsize=(WIDTH_PX / DPI, height_in), dpi=DPI)
    FigureCanvasAgg(figure)
    try:
        # Fixed margins (no tight_layout): room for labels on the left, legend at the top.
        top = 1 - 1.05 / height_in
        axes = figure.add_axes((0.33, 0.5 / height_in, 0.58, top - 0.5 / height_in))
        labels = [shorten(b.label) for b in reversed(shown)]
        positions = list(range(len(shown)))
        lefts = [0.0] * len(shown)
        handles = []
        for state, colour in COLOURS.items():
            widths = [b.counts.get(state, 0) for b in reversed(shown)]
            # One collection per state, not one artist per bar: far fewer objects to draw.
            boxes = [
                [(x, y - 0.35), (x + w, y - 0.35), (x + w, y + 0.35), (x, y + 0.35)]
                for x, w, y in zip(lefts, widths, positions, strict=True)
                if w
            ]
            axes.add_collection(
                PolyCollection(boxes, facecolors=colour, edgecolors="white", linewidths=0.8)
            )
            handles.append(Patch(facecolor=colour, label=legend.get(state, state)))
            lefts = [left + width for left, width in zip(lefts, widths, strict=True)]
        axes.set_ylim(-0.6, len(shown) - 0.4)
        for position, (bar, end) in enumerate(zip(reversed(shown), lefts, strict=True)):
            axes.text(
                end + 0.1,
                position,
                f"{bar.percent:.0f}%",
                va="center",
                fontsize=11,
                fontfamily=FONT,
            )
        axes.set_yticks(positions, labels, fontsize=11, fontfamily=FONT)
        axes.set_xlim(0, max(lefts, default=1) * 1.15 + 0.5)
        axes.tick_params(axis="x", labelsize=10)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        figure.suptitle(
            title, fontsize=14, fontfamily=FONT, x=0.02, ha="left", y=1 - 0.2 / height_in
        )
        figure.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.02, 1 - 0.45 / height_in),
            ncols=5,
            fontsize=10,
            frameon=False,
            prop={"family": FONT, "size": 10},
        )
        if left_out and more:
            figure.text(0.02, 0.15 / height_in, more, fontsize=10, fontfamily=FONT)
        buffer = io.BytesIO()
        # Fast PNG compression: the encoder was a third of the time at the default level.
        figure.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
        buffer.seek(0)
        return buffer.getvalue()
    finally:
        figure.clear()


def indicator_chart(
    rows: Sequence[tuple[str, float]],
    target: float | None,
    title: str,
    target_label: str,
    trend: Sequence[tuple[str, float]] = (),
) -> bytes:
    """One bar per unit with the target as a line (units under it highlighted), and the
    area's trend over the last periods as a small line chart beneath."""
    shown = sorted(rows, key=lambda r: (r[1], r[0]))[:MAX_BARS]
    rows_count = max(len(shown), 1)
    trend_in = 2.2 if trend else 0.0
    height_in = 1.4 + 0.42 * rows_count + trend_in
    figure = Figure(figsize=(WIDTH_PX / DPI, height_in), dpi=DPI)
    FigureCanvasAgg(figure)
    try:
        bottom = (0.5 + trend_in) / height_in
        axes = figure.add_axes((0.33, bottom, 0.58, 1 - 0.9 / height_in - bottom))
        positions = list(range(len(shown)))
        values = [value for _name, value in shown]
        under = [target is not None and value < target for value in values]
        boxes = [
            [(0, y - 0.35), (v, y - 0.35), (v, y + 0.35), (0, y + 0.35)]
            for y, v in zip(positions, values, strict=True)
        ]
        colours = [COLOURS["overdue"] if low else COLOURS["done"] for low in under]
        axes.add_collection(PolyCollection(boxes, facecolors=colours, edgecolors="white"))
        for y, value in zip(positions, values, strict=True):
            axes.text(value + 1, y, f"{value:.1f}%".replace(".", ","), va="center", fontsize=11)
        if target is not None:
            axes.axvline(target, color="#000000", linestyle="--", linewidth=1.2)
            axes.text(target, len(shown) - 0.3, target_label, fontsize=10, ha="center")
        axes.set_yticks(positions, [shorten(n) for n, _v in shown], fontsize=11, fontfamily=FONT)
        axes.set_xlim(0, 110)
        axes.set_ylim(-0.6, len(shown) - 0.1)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        figure.suptitle(
            title, fontsize=14, fontfamily=FONT, x=0.02, ha="left", y=1 - 0.2 / height_in
        )
        if trend:
            small = figure.add_axes((0.33, 0.35 / height_in, 0.58, (trend_in - 0.7) / height_in))
            labels = [label for label, _value in trend]
            small.plot(range(len(trend)), [v for _label, v in trend], marker="o", color="#0072B2")
            small.set_xticks(range(len(trend)), labels, fontsize=9)
            small.set_ylim(0, 105)
            if target is not None:
                small.axhline(target, color="#000000", linestyle="--", linewidth=1)
            for side in ("top", "right"):
                small.spines[side].set_visible(False)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
        return buffer.getvalue()
    finally:
        figure.clear()


def warm_up() -> None:
    """Render one small chart so fonts and caches are loaded before the first question."""
    progress_chart([Bar("Xã Sơn Dương", {"done": 1, "overdue": 1}, 50.0)], "Tiến độ", {})
