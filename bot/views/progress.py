"""The answer to "tình hình tháng này": a short text and a chart of progress per unit."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.buttons import (
    ChaseFigures,
    ChaseLate,
    ChaseLateIn,
    LateUnits,
    PeriodOverview,
    Ranking,
    UnitProgress,
)
from bot.charts import MAX_BARS, PARTIAL, Bar, indicator_chart, progress_chart
from bot.checks import required
from bot.i18n import translations
from bot.language.periods import Period, PeriodKind
from bot.language.shorten import shorten
from bot.services.deadlines import Deadlines
from bot.services.progress import (
    FiguresMissing,
    IndicatorDetail,
    IndicatorStanding,
    MissedReport,
    Overview,
    OwnFigure,
    TaskStanding,
    UnitGaps,
    UnitLate,
)
from bot.services.received import Received
from bot.sheets import append
from bot.transport import Attachment, Button, Reply
from bot.views.common import and_more, some_of
from bot.views.plans import vn_date, vn_number, with_measure
from bot.views.reports import period_name, status_name
from scheduling.chase import Chased

MAX_NAMED_NOTHING = 10  # units named as having nothing arise; the rest are counted
MAX_LATE_LINES = 5  # one unit's overdue tasks listed a line each, with what they are


def chart_legend(_) -> dict[str, str]:
    return {
        "done": _("done on time"),
        "late": _("done late"),
        "in_progress": _("in progress"),
        "overdue": _("overdue"),
        "not_reported": _("not reported"),
    }


def _arrow(now, before) -> str:
    """↑, ↓, or = when the two agree to one decimal."""
    if round(now, 1) == round(before, 1):
        return "="
    return "↑" if now > before else "↓"


def _from(now, before, _) -> str:
    """ "↑ from 57.5%": the arrow says which way, "from" that the number is where it
    started (not a rise of 57.5%); "unchanged" when the two agree to one decimal."""
    arrow = _arrow(now, before)
    if arrow == "=":
        return _("unchanged")
    return _("{arrow} from {before}").format(arrow=arrow, before=_percent(before))


def _change(now: float, before: float | None, _) -> str:
    """ "↑ from 70% the period before", or "" when there is nothing to compare."""
    if before is None:
        return ""
    arrow = _arrow(now, before)
    if arrow == "=":
        return _("Unchanged from the period before.")
    return _("{arrow} from {before}% the period before.").format(
        arrow=arrow, before=vn_number(round(before, 1))
    )


def _late_items(tasks: list, _, limit: int | None = None) -> str:
    """ "1.3 (236 days), 4.1 (53 days)" """
    items = [_("{code} ({days} days)").format(code=t.code, days=t.days_late) for t in tasks]
    return some_of(items, limit, "tasks", _, ", ")


def _quiet_line(silent: list[str], _) -> str:
    return _("Reported nothing this period: {names}.").format(names=some_of(silent, 10, "units", _))


def _first_upper(text: str) -> str:
    """ "quý II/2026" → "Quý II/2026" (``str.capitalize`` would lower the rest)."""
    return text[:1].upper() + text[1:]


def _percent(value) -> str:
    return f"{vn_number(round(float(value), 1))}%"


def _target(standing) -> str:
    sign = {">=": "≥", "<=": "≤", "=": "="}.get(standing.comparator, standing.comparator)
    if standing.target is None:
        return ""
    return f"{sign} {with_measure(vn_number(standing.target), standing.measure)}"


def target_text(standing: IndicatorStanding) -> str:
    """An indicator's target as written in the chat ("≥ 80%")."""
    return _target(standing)


def percent_text(value) -> str:
    """A value as a percentage, Vietnamese style ("81,6%")."""
    return _percent(value)


def indicator_line(standing: IndicatorStanding, detail: bool, _, width: int = 60) -> str:
    """ "• Số hóa: 7/12 units meet ≥ 80% (area 81.6%, ↑ from 79.5%)"; the area's value
    with ``detail`` only; the name shortened to ``width`` characters."""
    line = (
        _("{name}: {meeting}/{reported} units meet {target}")
        .format(
            name=shorten(standing.name, width),
            meeting=standing.meeting,
            reported=standing.reported,
            target=_target(standing),
        )
        .rstrip()
    )
    if standing.area is not None and detail:
        area = _("area {value}").format(value=_percent(standing.area))
        if standing.previous_area is not None:
            area += ", " + _from(standing.area, standing.previous_area, _)
        line += f" ({area})"
    return "• " + line


def _unit_indicator_line(standing: IndicatorStanding, _, width: int = 60) -> str:
    """ "• Số hóa: 78,8% — below ≥ 80% (↓ from 79.2%)": one unit's figure (its standing
    counts that unit alone)."""
    if standing.area is None:  # (a unit's standing reported has its figure)
        return indicator_line(standing, False, _, width)
    value = with_measure(vn_number(round(standing.area, 1)), standing.measure)
    line = f"{shorten(standing.name, width)}: {value}"
    if standing.target is not None:
        mark = _("meets {target}") if standing.meeting else _("below {target}")
        line += " — " + mark.format(target=_target(standing))
    if standing.previous_area is not None:
        line += f" ({_from(standing.area, standing.previous_area, _)})"
    return "• " + line


def gaps_lines(gaps: UnitGaps, language: str) -> list[str]:
    """What one unit has not sent: the indicators without a figure for the period coming
    in now, with its deadline (or that every figure is in), its periodic reports not
    sent, and those to send by that deadline; nothing for a unit that owes none."""
    _ = translations(language).gettext
    lines = []
    period = period_name(gaps.period, _)
    if gaps.expected and gaps.unsent:
        lines.append(
            _("Figures not sent for {period} (due {date}): {items}.").format(
                period=period,
                date=vn_date(gaps.deadline),
                items=some_of([shorten(n, 45) for n in gaps.unsent], 6, "indicators", _),
            )
        )
    elif gaps.expected and gaps.indicators:
        lines.append(_("Every figure for {period} is sent.").format(period=period))
    if gaps.missed:
        lines.append(
            _("Periodic reports not sent: {items}.").format(items=_report_items(gaps.missed, _))
        )
    if gaps.coming:
        lines.append(
            _("Periodic reports to send: {items}.").format(items=_report_items(gaps.coming, _))
        )
    return lines


def _report_items(reports: Sequence[MissedReport], _: Callable[[str], str]) -> str:
    return "; ".join(
        _("{code} ({period}, due {date})").format(
            code=m.code, period=period_name(m.period, _), date=vn_date(m.deadline)
        )
        for m in reports
    )


def deadlines_reply(found: Deadlines, unit: str | None, language: str) -> Reply:
    """The deadlines ahead, the nearest first, one a line: the figures of the period
    coming in, the periodic reports, the tasks with one deadline (a unit's: what it has
    sent or not); then a unit's tasks already overdue."""
    _ = translations(language).gettext
    lines = [_("Deadlines ahead for {unit}:").format(unit=unit) if unit else _("Deadlines ahead:")]
    for item in found.items:
        day = vn_date(item.day)
        if item.kind == "figures":
            line = _("{date} — figures for {period}").format(
                date=day, period=period_name(required(item.period, "period"), _)
            )
            if item.pending:
                line += " (" + _("{count} indicators not sent").format(count=item.pending) + ")"
            elif item.pending == 0:
                line += " (" + _("all sent") + ")"
        elif item.kind == "periodic":
            line = _("{date} — periodic report for {period}: {code} {content}").format(
                date=day,
                period=period_name(required(item.period, "period"), _),
                code=item.code,
                content=shorten(item.content, 50),
            )
            if item.pending is not None:
                line += " (" + (_("not sent") if item.pending else _("sent")) + ")"
        else:
            line = f"{day} — {item.code} {shorten(item.content, 60)}"
        lines.append("• " + line)
    if not found.items:
        lines.append(_("No deadline ahead."))
    if found.overdue:
        lines.append(_("Overdue now: {items}.").format(items=", ".join(found.overdue)))
    return Reply("\n".join(lines))


def figures_missing_reply(data: FiguresMissing, language: str, *, chase: bool = False) -> Reply:
    """Who has not sent the figures of a period: how many units sent them all, those that
    sent none by name, those that sent some with how many they left out; with ``chase``
    (the office) a button reminds them now."""
    _ = translations(language).gettext
    if not data.indicators:
        return Reply(_("The plan in use has no indicator."))
    complete = data.expected - len(data.none) - len(data.some)
    lines = [
        _("Figures for {period} (due {date}): {done}/{expected} units sent them all.").format(
            period=period_name(data.period, _),
            date=vn_date(data.deadline),
            done=complete,
            expected=data.expected,
        )
    ]
    if data.none:
        lines.append(
            _("None sent ({count}): {units}.").format(
                count=len(data.none), units=some_of(data.none, 15, "units", _)
            )
        )
    if data.some:
        items = [
            _("{unit} ({count} missing)").format(unit=name, count=left) for name, left in data.some
        ]
        lines.append(
            _("Some sent ({count}): {units}.").format(
                count=len(data.some), units=some_of(items, 10, "units", _)
            )
        )
    reply = Reply("\n".join(lines))
    if chase and (data.none or data.some):
        reply.buttons = [[Button(_("Remind these units"), ChaseFigures(data.period).pack())]]
    return reply


def chase_refused_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(_("Only the office or an administrator can remind the units: nothing was sent."))


def chased_reply(
    chased: Chased,
    period: Period | None,
    language: str,
    later: datetime | None = None,
    due_in: Period | None = None,
) -> Reply:
    """What pressing **Nhắc các đơn vị này** did: of the figures for ``period``, or of the
    overdue tasks (``period`` None; those due in ``due_in`` alone, if given); ``later``:
    pressed in the quiet hours, when the reminders will go (local)."""
    _ = translations(language).gettext
    name = period_name(period, _) if period is not None else ""
    if chased.queued and later is not None:
        when = {"time": later.strftime("%H:%M"), "date": vn_date(later.date())}
        if period is None:
            text = _(
                "{count} units will be reminded of their overdue tasks at {time} on {date}, "
                "when the quiet hours end."
            )
        else:
            text = _(
                "{count} units will be reminded of the figures for {period} at {time} on "
                "{date}, when the quiet hours end."
            )
        lines = [text.format(count=chased.reminded, period=name, **when)]
    elif chased.queued:
        if period is None:
            text = _(
                "Reminding {count} units of their overdue tasks now (in groups a few a minute)."
            )
        else:
            text = _(
                "Reminding {count} units of the figures for {period} now (in groups a few "
                "a minute)."
            )
        lines = [text.format(count=chased.reminded, period=name)]
    elif chased.reminded:
        lines = [_("These units were already reminded today.")]
    elif period is None:
        lines = [_("No unit has an overdue task to be reminded of.")]
    else:
        lines = [_("No unit to remind of the figures for {period}.").format(period=name)]
    if period is None and due_in is not None and (chased.queued or not chased.reminded):
        lines.append(_("Only the tasks due in {period}.").format(period=period_name(due_in, _)))
    if chased.unreachable:
        lines.append(
            _("{count} units have nobody to remind (no group, no registered official).").format(
                count=chased.unreachable
            )
        )
    if chased.paused:
        lines.append(_("{count} units have paused their reminders.").format(count=chased.paused))
    return Reply("\n".join(lines))


RECEIVED_LISTED = 20  # units listed under "hôm nay ai đã báo cáo?"


def received_reply(found: Received, today: date, language: str) -> Reply:
    """Who reported in a span of days, the latest first, with how many tasks and
    indicators each; nobody: when the latest report before it came."""
    _ = translations(language).gettext
    one_day = found.first == found.last
    if one_day and found.first == today:
        span = _("Today ({date})").format(date=vn_date(today))
    elif one_day:
        span = _("On {date}").format(date=vn_date(found.first))
    else:
        span = _("From {first} to {last}").format(
            first=vn_date(found.first), last=vn_date(found.last)
        )
    if not found.reporters:
        lines = [_("{span}: no unit has reported.").format(span=span)]
        if found.before is not None:
            unit, at = found.before
            lines.append(
                _("Latest report: {unit}, {time} on {date}.").format(
                    unit=unit, time=at.strftime("%H:%M"), date=vn_date(at.date())
                )
            )
        return Reply("\n".join(lines))
    lines = [_("{span}: {count} units reported.").format(span=span, count=len(found.reporters))]
    for reporter in found.reporters[:RECEIVED_LISTED]:
        when = reporter.last.strftime("%H:%M" if one_day else "%d/%m %H:%M")
        what = []
        if reporter.tasks:
            what.append(_("{count} tasks").format(count=reporter.tasks))
        if reporter.indicators:
            what.append(_("{count} indicators").format(count=reporter.indicators))
        lines.append(f"• {when} {reporter.unit}: {', '.join(what)}")
    left = len(found.reporters) - RECEIVED_LISTED
    if left > 0:
        lines.append("… " + and_more(left, "units", _))
    return Reply("\n".join(lines))


def other_unit_notice(own_unit: str, language: str) -> str:
    """An official asked about another unit: whose detail that is, and what follows."""
    _ = translations(language).gettext
    return _(
        "Other units' details are for the office and leaders. Here is where your unit "
        "({unit}) stands:"
    ).format(unit=own_unit)


def overview_reply(
    data: Overview,
    language: str,
    *,
    detail: bool,
    own_unit: int | None = None,
    unit: tuple[int, str] | None = None,
    late: UnitLate | None = None,
) -> Reply:
    """Totals for everyone; the units most behind, silent units and the chart with
    ``detail`` (the office, leaders); an official also sees their own unit's line.

    About one ``unit`` (id, name): its counts, its tasks overdue from any month
    (``late``), its indicators; no ranking and no chart."""
    _ = translations(language).gettext
    period = period_name(data.period, _)
    if unit is not None:
        period = f"{unit[1]}, {period}"
    totals = data.totals
    count = sum(totals.values())
    lines = []
    if not count:
        lines.append(
            _("{period}: no task of the plan is due in this period.").format(period=period)
        )
    else:
        legend = chart_legend(_)
        parts = ", ".join(f"{totals[s]} {legend[s]}" for s in legend if totals[s])
        lines.append(
            _("{period}: {count} tasks due — {parts}.").format(
                period=period, count=count, parts=parts
            )
        )
        percent = data.percent or 0.0
        if data.partial:
            line = _("Progress: {percent}% (unfinished tasks count by the percent reported).")
        else:
            line = _("Progress: {percent}%.")
        line = line.format(percent=vn_number(round(percent, 1)))
        change = _change(percent, data.previous_percent, _)
        lines.append(f"{line} {change}".rstrip())
    if detail and unit is None and data.most_behind:
        behind = "; ".join(
            _("{unit} ({count} overdue: {codes})").format(
                unit=u.name, count=u.counts["overdue"], codes=", ".join(u.behind[:4])
            )
            for u in data.most_behind
        )
        lines.append(_("Most behind: {units}.").format(units=behind))
    if own_unit is not None:
        mine = next((u for u in data.units if u.unit_id == own_unit), None)
        if mine is not None:
            legend = chart_legend(_)
            parts = ", ".join(f"{mine.counts[s]} {legend[s]}" for s in legend if mine.counts[s])
            lines.append(_("Your unit: {parts}.").format(parts=parts))
    if late is not None and len(late.tasks) > MAX_LATE_LINES:
        lines.append(_("Overdue now: {items}.").format(items=_late_items(late.tasks, _)))
    elif late is not None and late.tasks:  # "chậm những việc gì": each task said
        lines.append(_("Overdue now:"))
        lines += [
            "• "
            + _("{code} {content} — due {date}, {days} days late").format(
                code=t.code, content=shorten(t.content, 60), date=vn_date(t.due), days=t.days_late
            )
            for t in late.tasks
        ]
    reported = [s for s in data.indicators if s.reported]
    if reported and (data.indicator_period is not None or unit is not None):
        # (a unit's figures follow its tasks' lines: said to be figures)
        lines.append(
            _("Indicators, figures for {period}:").format(
                period=period_name(data.indicator_period or data.period, _)
            )
        )
    if unit is not None:  # one unit's own figures, not "1/1 units meet"
        lines += [_unit_indicator_line(standing, _) for standing in reported]
    else:
        lines += [indicator_line(standing, detail, _) for standing in reported]
    if detail and data.silent:
        lines.append(_quiet_line(data.silent, _))
    reply = Reply("\n".join(lines))
    previous = data.period.previous()
    before = _first_upper(period_name(previous, _))
    if detail and unit is not None:
        reply.buttons = [[Button(before, UnitProgress(previous, unit[0]).pack())]]
    elif detail:
        reply.buttons = [
            [
                Button(_("Who is late"), LateUnits(data.period).pack()),
                Button(before, PeriodOverview(previous).pack()),
            ]
        ]
        if data.most_behind:
            worst = data.most_behind[0]
            reply.buttons[0].append(
                Button(shorten(worst.name, 24), UnitProgress(data.period, worst.unit_id).pack())
            )
        if len(data.units) > 30:
            reply.buttons.append([Button(_("Full ranking"), Ranking(data.period).pack())])
    if detail and unit is None and data.units:
        bars = [Bar(u.name, u.counts, u.percent, u.partial) for u in data.units]
        more = None
        if len(bars) > 30:
            more = "… " + and_more(len(bars) - 30, "units", _)
        legend = {**chart_legend(_), PARTIAL: _("part done, as reported")}
        chart = progress_chart(
            bars, _("Progress, {period}").format(period=period), legend, more, _("tasks")
        )
        reply.attachments.append(Attachment("tinh-hinh.png", chart, is_picture=True))
    return reply


def task_reply(standing: TaskStanding, language: str) -> Reply:
    """One task: its deadline (or its timeframe as the plan words it), then its lead
    units by status."""
    _ = translations(language).gettext
    states = standing.states
    if not states:
        return Reply(_("No unit leads this task."))
    groups: dict[str, list[str]] = {}
    for state in states:
        groups.setdefault(state.status, []).append(state.name)
    lines = [_task_label(standing, _)]
    order = [
        "overdue",
        "not_reported",
        "not_started",
        "delayed",
        "in_progress",
        "done",
        "not_applicable",
    ]
    own = {"overdue": _("overdue"), "not_reported": _("not reported")}
    for status in order:
        if status in groups:
            name = own.get(status) or status_name(status, _)
            names = some_of(groups[status], 15, "units", _)
            lines.append(f"• {name} ({len(groups[status])}): {names}")
    return Reply("\n".join(lines))


def other_task_reply(standing: TaskStanding, unit: str, language: str) -> Reply:
    """An official asked about a task their unit does not take part in: the task and
    its deadline, and whose detail the units' statuses are."""
    _ = translations(language).gettext
    label = _task_label(standing, _)
    return Reply(
        label
        + "\n"
        + _(
            "This task is not assigned to {unit}; each unit's status on it is for the "
            "office and leaders."
        ).format(unit=unit)
    )


def _task_label(standing: TaskStanding, _) -> str:
    """ "4.3 Rà soát … — hạn 30/11/2026", or with the timeframe as the plan words it."""
    label = shorten(standing.label, 80)
    if standing.due is not None:
        label += " — " + _("due {date}").format(date=vn_date(standing.due))
    elif standing.timeframe:
        label += " — " + shorten(standing.timeframe, 40)
    return label


def _short(period: Period, _) -> str:
    """T11, Quý 3 (M11, Q3 in English), or the period's name: the trend's labels."""
    if period.kind is PeriodKind.MONTH:
        return _("M{month}").format(month=period.start.month)
    if period.kind is PeriodKind.QUARTER:
        return _("Q{quarter}").format(quarter=(period.start.month + 2) // 3)
    return period_name(period, _)


def indicator_reply(detail: IndicatorDetail | None, period: Period, language: str) -> Reply:
    """One indicator: every unit against the target, the area's value and its trend."""
    _ = translations(language).gettext
    if detail is None:
        return Reply(_("I do not know this indicator."))
    standing, figures = detail.standing, detail.figures
    period_text = period_name(period, _)
    nothing = _nothing_arose_line(detail.nothing_arose, _)
    if not figures:
        text = _("{name}, {period}: no unit has sent a figure yet.").format(
            name=standing.name, period=period_text
        )
        return Reply("\n".join([text, *nothing]))
    target = _target(standing)
    lines = [
        _("{name}, {period}: {meeting}/{reported} units meet {target}.").format(
            name=standing.name,
            period=period_text,
            meeting=standing.meeting,
            reported=standing.reported,
            target=target,
        )
    ]
    if standing.area is not None:
        line = _("Area: {value}%.").format(value=vn_number(round(standing.area, 1)))
        change = _change(float(standing.area), _float(standing.previous_area), _)
        lines.append(f"{line} {change}".rstrip())
    if len(detail.trend) > 1:
        steps = " → ".join(f"{_short(p, _)} {_percent(v)}" for p, v in detail.trend)
        lines.append(_("Last periods: {trend}.").format(trend=steps))
    for figure in figures[:20]:
        value = _percent(figure.value)
        if figure.numerator is not None and figure.denominator is not None:
            value += f" ({vn_number(figure.numerator)}/{vn_number(figure.denominator)})"
        mark = "✓" if figure.meets else "✗"
        lines.append(f"{mark} {figure.name}: {value}")
    if len(figures) > 20:
        lines.append("… " + and_more(len(figures) - 20, "units", _))
    lines += nothing
    reply = Reply("\n".join(lines))
    chart = indicator_chart(
        [(f.name, float(f.value)) for f in figures],
        float(standing.target) if standing.target is not None else None,
        f"{shorten(standing.name, 70)}, {period_text}",
        target,
        [(_short(p, _), float(area)) for p, area in detail.trend],
        _("Whole area, last periods"),
        _lowest_shown(standing, len(figures), target, _) if len(figures) > MAX_BARS else None,
    )
    reply.attachments.append(Attachment("chi-tieu.png", chart, is_picture=True))
    return reply


def _nothing_arose_line(units: list[str], _) -> list[str]:
    """ "Không phát sinh trong kỳ: Xã A, Xã B." (the units that said so), or nothing."""
    if not units:
        return []
    listed = some_of(units, MAX_NAMED_NOTHING, "units", _, ", ")
    return [_("Nothing arose in the period for: {units}.").format(units=listed)]


def own_indicator_reply(found: OwnFigure | None, period: Period, unit: str, language: str) -> Reply:
    """One indicator for an official: their unit's figure against the target, then the
    area's value, its change and how many units meet the target (no unit named)."""
    _ = translations(language).gettext
    if found is None:
        return Reply(_("I do not know this indicator."))
    standing, own = found.standing, found.own
    target = _target(standing)
    lines = [f"{standing.name}, {period_name(period, _)}:"]
    if own is None and found.nothing_arose:
        lines.append(
            "• " + _("{unit}: nothing arose in this period (no figure).").format(unit=unit)
        )
    elif own is None:
        lines.append("• " + _("{unit}: no figure sent for this period.").format(unit=unit))
    else:
        value = with_measure(vn_number(round(own.value, 1)), standing.measure)
        if own.numerator is not None and own.denominator is not None:
            value += f" ({vn_number(own.numerator)}/{vn_number(own.denominator)})"
        line = f"• {unit}: {value}"
        if standing.target is not None:
            meets = _meets(own.value, standing)
            mark = _("meets {target}") if meets else _("below {target}")
            line += " — " + mark.format(target=target)
        lines.append(line)
    if standing.reported:
        area = ""
        if standing.area is not None:
            area = _("Area: {value}%.").format(value=vn_number(round(standing.area, 1)))
            change = _change(float(standing.area), _float(standing.previous_area), _)
            area = f"{area} {change}".rstrip()
        if standing.target is not None:
            meeting = _("{meeting}/{reported} units meet {target}.").format(
                meeting=standing.meeting, reported=standing.reported, target=target
            )
            area = f"{area} {meeting}".strip()
        lines.append("• " + area)
    return Reply("\n".join(lines))


def _meets(value, standing: IndicatorStanding) -> bool:
    if standing.target is None:
        return True
    if standing.comparator == "<=":
        return value <= standing.target
    if standing.comparator == "=":
        return value == standing.target
    return value >= standing.target


def _lowest_shown(standing: IndicatorStanding, reported: int, target: str, _) -> str:
    """Under a chart of only the lowest units: how many it leaves out, and how many of
    all the units meet the target (the bars shown are mostly those that do not)."""
    text = _("The {shown} lowest of {reported} units are shown.").format(
        shown=MAX_BARS, reported=reported
    )
    if standing.target is not None:
        text += " " + _("{meeting}/{reported} units meet {target}.").format(
            meeting=standing.meeting, reported=reported, target=target
        )
    return text


def _float(value) -> float | None:
    return None if value is None else float(value)


def late_reply(
    late: list[UnitLate],
    silent: list[str],
    today: date,
    language: str,
    limit: int = 12,
    due_in: Period | None = None,
    silent_first: bool = False,
    missed: Sequence[MissedReport] = (),
    chase: bool = False,
) -> Reply:
    """ "xã nào chậm?": units with tasks past their deadline (whenever due), each task
    with its days late, most behind first; units late on the very same tasks share one
    line (a task every commune leads). Then the periodic reports not sent (a recurring
    task's last period past its deadline: ``missed``), and the units that reported
    nothing (first, asked "đơn vị nào chưa báo cáo?"). With ``chase`` (the office) and
    tasks late whenever due, **Nhắc các đơn vị này** reminds those units of them now."""
    _ = translations(language).gettext
    lines = []
    quiet = _quiet_line(silent, _) if silent else ""
    if quiet and silent_first:
        lines.append(quiet)
    if late:
        tasks = sum(len(u.tasks) for u in late)
        lines.append(
            _("Overdue as of {date}: {units} units, {tasks} tasks:").format(
                date=vn_date(today), units=len(late), tasks=tasks
            )
        )
        if due_in is not None:
            lines[-1] = (
                lines[-1].rstrip(":")
                + " "
                + _("(due in {period}):").format(period=period_name(due_in, _))
            )
        groups: dict[tuple, list[UnitLate]] = {}
        for unit in late:  # most behind first: the groups keep that order
            groups.setdefault(tuple(unit.tasks), []).append(unit)
        for shown, (same, units) in enumerate(groups.items()):
            if shown == limit:
                rest = sum(len(u) for u in list(groups.values())[limit:])
                lines.append("… " + and_more(rest, "units", _))
                break
            names = some_of([u.name for u in units], 5, "units", _)
            lines.append(f"• {names}: {_late_items(list(same), _, 6)}")
    elif due_in is not None:  # (tasks due in other periods may be: not a word on them)
        lines.append(
            _("As of {date}, no unit is late on a task due in {period}.").format(
                date=vn_date(today), period=period_name(due_in, _)
            )
        )
    else:
        lines.append(_("As of {date}, no unit has an overdue task.").format(date=vn_date(today)))
    if missed:
        lines.append(_("Periodic reports not sent:"))
        lines += [
            "• "
            + _("{code} {content} — {period} (due {date}): {units}").format(
                code=m.code,
                content=shorten(m.content, 50),
                period=period_name(m.period, _),
                date=vn_date(m.deadline),
                units=some_of(m.units, 5, "units", _),
            )
            for m in missed
        ]
    if quiet and not silent_first:
        lines.append(quiet)
    reply = Reply("\n".join(lines))
    if chase and late:
        data = ChaseLate() if due_in is None else ChaseLateIn(due_in)
        reply.buttons = [[Button(_("Remind these units"), data.pack())]]
    return reply


def ranking_reply(data: Overview, language: str) -> Reply:
    """Every unit's progress for the period as a spreadsheet (the "Xem đầy đủ" button)."""
    _ = translations(language).gettext
    legend = chart_legend(_)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Progress")[:31]
    append(sheet, [_("Unit"), *legend.values(), _("Progress (%)"), _("Overdue tasks")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for unit in data.units:
        append(
            sheet,
            [
                unit.name,
                *(unit.counts[state] for state in legend),
                round(unit.percent, 1),
                ", ".join(unit.behind),
            ],
        )
    sheet.column_dimensions["A"].width = 40
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    name = f"tinh-hinh-{data.period.key}.xlsx"
    caption = _("Every unit, {period}.").format(period=period_name(data.period, _))
    return Reply(attachments=[Attachment(name, buffer.getvalue(), caption=caption)])
