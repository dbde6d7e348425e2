"""Charts a chairman reads on a phone: matplotlib's object API on the Agg canvas, PNG bytes.

Pure: data in, bytes out (no Telegram, no database). The figure is about 1080 px wide,
text at least the size of a chat message, in DejaVu Sans (it has every Vietnamese
letter); long unit names are shortened on the bars, and with more than 30 units only the
15 most behind and the 15 best are drawn. Callers render off the event loop.

Speed (``python -m bench.charts``): text is most of the cost of a bar chart, so

- unit names are plain texts beside the bars, not tick labels (an axis tick is a
  dozen artists, built again on every draw);
- glyphs are drawn without hinting, which at this size looks the same and costs half;
- each thread keeps one progress figure and its renderer, so matplotlib's cache of text
  sizes survives from one chart to the next: only the bars and texts change, and they
  are removed again after every render;
- the PNG is written as RGB at zlib level 1.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

import matplotlib
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory
from PIL import Image

from bot.language.shorten import shorten

FONT = "DejaVu Sans"
DPI = 120
WIDTH_PX = 1080
MAX_BARS = 30
LABEL_CHARS = 26
BAR_HALF = 0.35  # half a bar's thickness, in rows
ROW_IN = 0.42  # one bar's row, in inches

# Okabe–Ito, a colour-blind-safe palette.
COLOURS = {
    "done": "#009E73",  # bluish green
    "late": "#56B4E9",  # sky blue
    "in_progress": "#F0E442",  # yellow
    "overdue": "#D55E00",  # vermillion
    "not_reported": "#BBBBBB",  # grey
    "upcoming": "#CCCCCC",  # light grey: due later (the standing now)
}
TREND = "#0072B2"  # blue
DONE_PART = {"hatch": "///", "edgecolor": "#333333"}  # reported progress of unfinished tasks
PARTIAL = "partial"  # its key in the legend
TEXT = {"fontfamily": FONT, "fontsize": 11}
STYLE = {"text.hinting": "no_hinting", "font.family": FONT}


@dataclass(frozen=True)
class Bar:
    label: str
    counts: dict[str, int]  # state → tasks, in the order of COLOURS
    percent: float
    # state → the reported share of its unfinished tasks done, in tasks: drawn hatched at
    # the start of that state's segment ("in_progress" 0.5: half a task done)
    partial: dict[str, float] = field(default_factory=dict)
    note: str | None = None  # the text after the bar, if not the percentage


# The dashed line between the most behind and the best when units are left out between.
SEPARATOR = {"linestyle": (0, (4, 3)), "linewidth": 1.0, "gid": "left-out"}


def pick(bars: Sequence[Bar], ranked: bool = False) -> tuple[list[Bar], int]:
    """All bars, or the 15 most behind and the 15 best (a dashed line between them on the
    chart), and how many were left out;
    ``ranked``: the bars come most behind first, else they are ranked here."""
    # Most behind first: the least done, then the most overdue, then the most unreported.
    order = list(bars)
    if not ranked:
        order.sort(
            key=lambda b: (
                b.percent,
                -b.counts.get("overdue", 0),
                -b.counts.get("not_reported", 0),
                b.label,
            )
        )
    if len(order) <= MAX_BARS:
        return order, 0
    half = MAX_BARS // 2
    return order[:half] + order[-half:], len(order) - MAX_BARS


def stacks(shown: Sequence[Bar]) -> dict[str, list[tuple[float, float]]]:
    """Per state, each drawn bar's (start, width), the top row first: the chart's data."""
    lefts = [0.0] * len(shown)
    spans: dict[str, list[tuple[float, float]]] = {}
    for state in COLOURS:
        widths = [float(b.counts.get(state, 0)) for b in shown]
        spans[state] = list(zip(lefts, widths, strict=True))
        lefts = [left + width for left, width in zip(lefts, widths, strict=True)]
    return spans


def partial_spans(shown: Sequence[Bar]) -> dict[str, list[tuple[float, float]]]:
    """Per unfinished state, each drawn bar's reported share done as (start, width): at
    the start of the state's segment, never wider than it."""
    spans = stacks(shown)
    return {
        state: [
            (start, min(bar.partial.get(state, 0.0), width))
            for bar, (start, width) in zip(shown, spans[state], strict=True)
        ]
        for state in ("in_progress", "overdue")
    }


def _boxes(spans: Sequence[tuple[float, float]], rows: int) -> list[list[tuple[float, float]]]:
    """Rectangles for one collection; row 0 of the data is drawn at the top."""
    boxes = []
    for index, (start, width) in enumerate(spans):
        if width:
            y = rows - 1 - index
            end = start + width
            boxes.append(
                [
                    (start, y - BAR_HALF),
                    (end, y - BAR_HALF),
                    (end, y + BAR_HALF),
                    (start, y + BAR_HALF),
                ]
            )
    return boxes


def _name_rows(axes: Axes, names: Sequence[str]) -> list[Artist]:
    """Unit names right-aligned left of the axes, one per row, the first at the top."""
    where = blended_transform_factory(axes.transAxes, axes.transData)
    rows = len(names)
    return [
        axes.text(
            -0.015,
            rows - 1 - i,
            shorten(name, LABEL_CHARS),
            va="center",
            ha="right",
            transform=where,
            **TEXT,
        )
        for i, name in enumerate(names)
    ]


def _at_bar_end(axes: Axes, x: float, y: float, label: str, backed: bool = False) -> Artist:
    """A label just after a bar's end: a fixed gap in points, whatever the scale;
    ``backed``: on white, above a line it may cross (the target)."""
    extra = {"bbox": {"facecolor": "white", "edgecolor": "none", "pad": 1}, "zorder": 4}
    return axes.annotate(
        label,
        (x, y),
        xytext=(5, 0),
        textcoords="offset points",
        va="center",
        **TEXT,
        **(extra if backed else {}),
    )


def _plain(axes: Axes) -> None:
    axes.set_yticks([])
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _png(figure: Figure) -> bytes:
    canvas = figure.canvas
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _svg(figure: Figure) -> bytes:
    """The figure as SVG (the web pages): text stays text, so it scales on a projector."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


class _ProgressFigure:
    """One thread's progress figure: the axes, title and footer stay, the rest is redrawn."""

    def __init__(self) -> None:
        self.figure = Figure(dpi=DPI)
        FigureCanvasAgg(self.figure)
        self.axes = self.figure.add_axes((0.33, 0.1, 0.58, 0.8))
        _plain(self.axes)
        self.axes.tick_params(axis="x", labelsize=10)
        self.axes.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        self.title = self.figure.text(0.02, 1, "", ha="left", va="top", fontsize=14)
        self.footer = self.figure.text(0.02, 0, "", fontsize=10)

    def render(
        self,
        bars: Sequence[Bar],
        title: str,
        legend: dict[str, str],
        more: str | None,
        axis: str,
        ranked: bool = False,
        svg: bool = False,
    ) -> bytes:
        shown, left_out = pick(bars, ranked)
        rows = max(len(shown), 1)
        legend_in = 0.3 if PARTIAL in legend else 0.0  # a second row of the legend
        height_in = 1.6 + legend_in + ROW_IN * rows
        self.figure.set_size_inches(WIDTH_PX / DPI, height_in)
        top = 1 - (1.05 + legend_in) / height_in
        self.axes.set_position((0.33, 0.5 / height_in, 0.58, top - 0.5 / height_in))
        added: list[Artist] = []
        try:
            spans = stacks(shown)
            for state, colour in COLOURS.items():
                added.append(
                    self.axes.add_collection(
                        PolyCollection(
                            _boxes(spans[state], len(shown)),
                            facecolors=colour,
                            edgecolors="white",
                            linewidths=0.8,
                        ),
                        autolim=False,
                    )
                )
            for done_part in partial_spans(shown).values():
                added.append(
                    self.axes.add_collection(
                        PolyCollection(
                            _boxes(done_part, len(shown)),
                            facecolors="none",
                            linewidths=0,
                            **DONE_PART,
                        ),
                        autolim=False,
                    )
                )
            ends = [start + width for start, width in spans[list(COLOURS)[-1]]]
            for index, (bar, end) in enumerate(zip(shown, ends, strict=True)):
                y = len(shown) - 1 - index
                note = f"{bar.percent:.0f}%" if bar.note is None else bar.note
                if note:
                    added.append(_at_bar_end(self.axes, end, y, note))
            added += _name_rows(self.axes, [b.label for b in shown])
            if left_out:  # the most behind above, the best below: the units between left out
                added.append(
                    self.axes.axhline(
                        len(shown) - MAX_BARS // 2 - 0.5, color="#888888", **SEPARATOR
                    )
                )
            self.axes.set_ylim(-0.6, len(shown) - 0.4)
            self.axes.set_xlim(0, max(ends, default=1) * 1.15 + 0.5)
            self.axes.set_xlabel(axis, fontsize=10, loc="right")
            self.title.set_text(title)
            self.title.set_y(1 - 0.12 / height_in)
            self.footer.set_text(more if left_out and more else "")
            self.footer.set_y(0.15 / height_in)
            # The states the legend names, in the order they are stacked.
            handles = [
                Patch(facecolor=c, label=legend[s]) for s, c in COLOURS.items() if s in legend
            ]
            if PARTIAL in legend:
                handles.append(Patch(facecolor="white", label=legend[PARTIAL], **DONE_PART))
            added.append(
                self.figure.legend(
                    handles=handles,
                    loc="upper left",
                    bbox_to_anchor=(0.02, 1 - 0.45 / height_in),
                    ncols=3 if len(handles) > 5 else 5,
                    frameon=False,
                    fontsize=10,
                )
            )
            return _svg(self.figure) if svg else _png(self.figure)
        finally:
            for artist in added:
                artist.remove()


_threads = threading.local()


def progress_chart(
    bars: Sequence[Bar],
    title: str,
    legend: dict[str, str],
    more: str | None = None,
    axis: str = "",
    ranked: bool = False,
    svg: bool = False,
) -> bytes:
    """Horizontal stacked bars per unit, most behind at the top, the progress percentage
    (or the bar's ``note``) at the end; the reported part done of unfinished tasks is
    hatched inside their segments (with ``legend[PARTIAL]`` in the legend); ``axis`` names
    what the bars count. The legend names the states in ``legend``; ``ranked``: the bars
    come most behind first (else ranked by their percentage); ``svg``: SVG instead of PNG."""
    with matplotlib.rc_context(STYLE):
        figure = getattr(_threads, "progress", None)
        if figure is None:
            figure = _threads.progress = _ProgressFigure()
        try:
            return figure.render(bars, title, legend, more, axis, ranked, svg)
        except BaseException:
            _threads.progress = None  # start from a fresh figure next time
            raise


def indicator_chart(
    rows: Sequence[tuple[str, float]],
    target: float | None,
    title: str,
    target_label: str,
    trend: Sequence[tuple[str, float]] = (),
    trend_title: str = "",
    more: str | None = None,
) -> bytes:
    """One bar per unit with the target as a line (units under it highlighted), and the
    area's trend over the last periods as a small line chart beneath. With more than 30
    units, the 30 lowest, and ``more`` (written under the bars) says what is left out
    and how many units of all meet the target."""
    shown = sorted(rows, key=lambda r: (r[1], r[0]))[:MAX_BARS]
    count = max(len(shown), 1)
    trend_in = 2.2 if trend else 0.0
    note = bool(more) and len(rows) > MAX_BARS
    note_in = 0.3 if note else 0.0  # a line under the axis, clear of its tick labels
    height_in = 1.4 + ROW_IN * count + trend_in + note_in
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(WIDTH_PX / DPI, height_in), dpi=DPI)
        FigureCanvasAgg(figure)
        try:
            bottom = (0.5 + note_in + trend_in) / height_in
            axes = figure.add_axes((0.33, bottom, 0.58, 1 - 0.9 / height_in - bottom))
            _plain(axes)
            values = [value for _name, value in shown]
            boxes = _boxes([(0.0, v) for v in values], len(shown))
            colours = [
                COLOURS["overdue"] if target is not None and v < target else COLOURS["done"]
                for v in values
                if v
            ]
            axes.add_collection(PolyCollection(boxes, facecolors=colours, edgecolors="white"))
            for index, value in enumerate(values):
                y = len(shown) - 1 - index
                _at_bar_end(axes, value, y, f"{value:.1f}%".replace(".", ","), backed=True)
            _name_rows(axes, [name for name, _v in shown])
            if target is not None:
                axes.axvline(target, color="#000000", linestyle="--", linewidth=1.2)
                above = blended_transform_factory(axes.transData, axes.transAxes)
                axes.text(
                    target,
                    1.01,
                    target_label,
                    fontsize=10,
                    ha="center",
                    va="bottom",
                    transform=above,
                )
            axes.set_xlim(0, 110)
            axes.set_ylim(-0.6, len(shown) - 0.4)
            figure.text(0.02, 1 - 0.12 / height_in, title, ha="left", va="top", fontsize=14)
            if note:
                figure.text(0.02, (0.12 + trend_in) / height_in, more, fontsize=10)
            if trend:
                small = figure.add_axes(
                    (0.33, 0.35 / height_in, 0.58, (trend_in - 0.7) / height_in)
                )
                labels = [label for label, _value in trend]
                small.plot(range(len(trend)), [v for _l, v in trend], marker="o", color=TREND)
                small.set_xticks(range(len(trend)), labels, fontsize=9)
                # Fit the values and the target with some room: a rise of a few points
                # must show, not be flattened against a 0–100 scale.
                seen = [v for _l, v in trend] + ([target] if target is not None else [])
                low, high = min(seen), max(seen)
                pad = max(2.0, (high - low) * 0.25)
                small.set_ylim(max(0.0, low - pad), min(105.0, high + pad))
                small.set_title(trend_title, fontsize=10, loc="left")
                small.yaxis.set_major_formatter(
                    FuncFormatter(lambda v, _pos: f"{v:g}".replace(".", ","))
                )
                if target is not None:
                    small.axhline(target, color="#000000", linestyle="--", linewidth=1)
                for side in ("top", "right"):
                    small.spines[side].set_visible(False)
            return _png(figure)
        finally:
            figure.clear()


def warm_up() -> None:
    """Render one small chart so fonts and caches are loaded before the first question."""
    legend = {"done": "done", "overdue": "overdue"}
    progress_chart([Bar("Xã Sơn Dương", {"done": 1, "overdue": 1}, 50.0)], "Tiến độ", legend)
