"""The standing now as sent: the answer to "tình hình tháng này" (and the leaders' weekly
overview, the chart under the office's digest), on one phone screen, with the chart of
each unit's standing to date; every unit's standing as a spreadsheet."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.buttons import LateUnits, PeriodOverview, StandingRanking, UnitProgress
from bot.charts import MAX_BARS, Bar, progress_chart
from bot.i18n import translations
from bot.language.shorten import shorten
from bot.services.standing import Standing, UnitStanding
from bot.sheets import append
from bot.transport import Attachment, Button, Reply
from bot.views.common import and_more, some_of
from bot.views.plans import vn_date
from bot.views.progress import indicator_line
from bot.views.reports import period_name

TASKS_SHOWN = 3  # overdue tasks named for each unit most behind (the chart shows 30 units)
INDICATOR_NAME = 45  # characters of an indicator's name
SILENT_SHOWN = 5
MISSED_SHOWN = 3  # periodic reports not sent, named in the standing


def _day(day) -> str:
    return day.strftime("%d/%m")


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def standing_legend(_) -> dict[str, str]:
    return {
        "done": _("done on time"),
        "late": _("done late"),
        "overdue": _("overdue"),
        "upcoming": _("due later this month"),
    }


def _late_items(overdue: list, _, limit: int | None) -> str:
    """ "1.3 (249 days), 4.1 (66 days)" """
    items = [_("{code} ({days} days)").format(code=t.code, days=t.days_late) for t in overdue]
    return some_of(items, limit, "tasks", _, ", ")


def _behind(units: list[UnitStanding], _) -> str:
    """ "Xã A; Xã B: 1.3 (249 days), 4.1 (66 days); Xã C: 1.3 (249 days)": the units most
    behind, those late on the very same tasks sharing their list (a task every commune
    leads), in their order."""
    groups: dict[tuple, list[str]] = {}
    for unit in units:
        groups.setdefault(tuple(unit.late_tasks), []).append(unit.name)
    return "; ".join(
        f"{'; '.join(names)}: {_late_items(list(tasks), _, TASKS_SHOWN)}"
        for tasks, names in groups.items()
    )


def _plan_lines(data: Standing, _) -> list[str]:
    """(1) The plan to date, the oldest overdue task, the change since a month ago."""
    now, before = data.to_date, data.month_ago
    if not now.due:
        line = _("No deadline of the plan has passed yet.")
        if data.continuous:
            line += " " + _(
                "({count} tasks have no single deadline: continuous, recurring or on demand.)"
            ).format(count=data.continuous)
        return [line]
    parts = [_("{count} done on time").format(count=now.done)]
    if now.late:
        parts.append(_("{count} done late").format(count=now.late))
    if now.overdue:
        parts.append(
            _("{count} overdue in {units} units").format(count=now.overdue, units=now.units_overdue)
        )
    else:
        parts.append(_("none overdue"))
    lines = [
        _("Due so far: {count} assignments — {parts}.").format(
            count=now.due, parts=", ".join(parts)
        )
    ]
    if data.oldest is not None:
        oldest = data.oldest
        lines.append(
            _("Overdue longest: task {code}, due {due}, {days} days late ({units} units).").format(
                code=oldest.code, due=vn_date(oldest.due), days=oldest.days_late, units=oldest.units
            )
        )
    lines.append(
        _("Compared with {date}: overdue {before} → {now}, done {done_before} → {done}.").format(
            date=_day(before.day),
            before=before.overdue,
            now=now.overdue,
            done_before=before.finished,
            done=now.finished,
        )
    )
    return lines


def _month_lines(data: Standing, _) -> list[str]:
    """(2) This month: what falls due in the rest of it, what was reported since it began."""
    month = data.month
    name = _first_upper(period_name(month.month, _))
    following = month.next_deadline
    if month.due_rest:
        line = _(
            "{month}: {count} assignments due by the month's end ({done} done already)"
        ).format(month=name, count=month.due_rest, done=month.done_early)
    else:
        line = _("{month}: no deadline left this month").format(month=name)
    if following is not None:
        line += "; " + _("next deadline {due}: task {codes} ({units} units)").format(
            due=vn_date(following.due),
            codes=", ".join(following.codes[:3]),
            units=following.units,
        )
    elif data.to_date.due:
        line += "; " + _("no deadline left in the plan")
    lines = [line + "."]
    lines.append(
        _("Since {date}: {units} units reported, {finished} assignments finished.").format(
            date=_day(month.month.start), units=month.units_reported, finished=month.finished
        )
    )
    return lines


def _indicator_lines(data: Standing, detail: bool, _) -> list[str]:
    """(4) The indicators of the reporting period holding today, its window stated."""
    if not data.indicators:
        return []
    start, end = data.window
    heading = _("Indicators, period of {period} ({start}–{end})").format(
        period=period_name(data.indicator_period, _), start=_day(start), end=_day(end)
    )
    reported = [s for s in data.indicators if s.reported]
    if not reported:
        return [heading + ": " + _("no unit has sent a figure yet.")]
    return [heading + ":"] + [indicator_line(s, detail, _, INDICATOR_NAME) for s in reported]


def standing_lines(
    data: Standing, language: str, *, detail: bool, own_unit: int | None = None
) -> list[str]:
    """The standing's text, line by line, as the chat says it (the web pages show it too)."""
    _ = translations(language).gettext
    year = data.plan_year
    if year is not None:
        heading = _("Standing on {date}, plan of {year}:").format(
            date=vn_date(data.today), year=year
        )
    else:
        heading = _("Standing on {date}:").format(date=vn_date(data.today))
    lines = [heading, *_plan_lines(data, _), *_month_lines(data, _)]
    if detail and data.most_behind:
        lines.append(_("Most behind: {units}.").format(units=_behind(data.most_behind, _)))
    if own_unit is not None:
        mine = next((u for u in data.units if u.unit_id == own_unit), None)
        if mine is not None:
            lines.append(_own_line(mine, _))
    lines += _indicator_lines(data, detail, _)
    if detail and data.figures_sent is not None:
        figures = data.figures_sent
        lines.append(
            _("Every figure for {period} sent (due {date}): {sent}/{expected} units.").format(
                period=period_name(figures.period, _),
                date=vn_date(figures.deadline),
                sent=figures.sent,
                expected=figures.expected,
            )
        )
    if detail and data.missed:
        lines.append(_missed_line(data, _))
    if detail and data.silent:
        lines.append(
            _("Reported nothing since {date}: {names}.").format(
                date=_day(data.month.month.start),
                names=some_of(data.silent, SILENT_SHOWN, "units", _),
            )
        )
    return lines


def _missed_line(data: Standing, _) -> str:
    """The periodic reports not sent, one short item each ("4.2 (quý III/2026): 12 đơn
    vị"); "xã nào chậm?" names the units."""
    items = []
    for m in data.missed:
        units = m.units[0] if len(m.units) == 1 else _("{count} units").format(count=len(m.units))
        items.append(
            _("{code} ({period}): {units}").format(
                code=m.code, period=period_name(m.period, _), units=units
            )
        )
    return _("Periodic reports not sent: {items}.").format(
        items=some_of(items, MISSED_SHOWN, "other", _)
    )


def standing_reply(
    data: Standing, language: str, *, detail: bool, own_unit: int | None = None
) -> Reply:
    """The standing now: the plan to date, this month, the units most behind, the
    indicators, the silent units; buttons and the chart with ``detail`` (the office,
    leaders). An official gets the area's totals and their own unit's line."""
    _ = translations(language).gettext
    reply = Reply("\n".join(standing_lines(data, language, detail=detail, own_unit=own_unit)))
    if not detail:
        return reply
    month = data.month.month
    row = [
        Button(_("Who is late"), LateUnits(month).pack()),
        Button(_first_upper(period_name(month, _)), PeriodOverview(month).pack()),
    ]
    if data.most_behind:
        worst = data.most_behind[0]
        row.append(Button(shorten(worst.name, 24), UnitProgress(month, worst.unit_id).pack()))
    reply.buttons = [row]
    if len(data.units) > MAX_BARS:
        reply.buttons.append([Button(_("Full ranking"), StandingRanking().pack())])
    if data.charted:
        reply.attachments.append(
            Attachment("tinh-hinh.png", standing_chart(data, _), is_picture=True)
        )
    return reply


def _own_line(unit: UnitStanding, _) -> str:
    parts = []
    if unit.done + unit.done_early:
        parts.append(_("{count} done on time").format(count=unit.done + unit.done_early))
    if unit.late:
        parts.append(_("{count} done late").format(count=unit.late))
    if unit.overdue:
        parts.append(
            _("{count} overdue: {items}").format(
                count=unit.overdue, items=_late_items(unit.late_tasks, _, None)
            )
        )
    if unit.upcoming:
        parts.append(_("{count} due later this month").format(count=unit.upcoming))
    return _("Your unit: {parts}.").format(parts="; ".join(parts))


def unit_to_date_line(unit: UnitStanding | None, day, language: str) -> str:
    """One unit's assignments due before ``day`` by standing ("tiến độ xã X" with no
    period: where it stands on the plan so far, beside the month's deadlines)."""
    _ = translations(language).gettext
    if unit is None or not unit.due:
        return _("So far ({date}): none of its tasks has come due.").format(date=vn_date(day))
    parts = [_("{count} done on time").format(count=unit.done)] if unit.done else []
    if unit.late:
        parts.append(_("{count} done late").format(count=unit.late))
    if unit.overdue:
        parts.append(_("{count} overdue").format(count=unit.overdue))
    return _("So far ({date}): {count} assignments due — {parts}.").format(
        date=vn_date(day), count=unit.due, parts=", ".join(parts)
    )


def _bar(unit: UnitStanding) -> Bar:
    counts = {
        "done": unit.done + unit.done_early,
        "late": unit.late,
        "overdue": unit.overdue,
        "upcoming": unit.upcoming,
    }
    percent = unit.percent
    note = "" if percent is None else f"{percent:.0f}%"
    return Bar(unit.name, counts, percent or 0.0, note=note)


def standing_chart(data: Standing, _, svg: bool = False) -> bytes:
    """Each unit's standing to date (done on time, late, overdue, due later this month),
    most behind first; the share done of what was due at the bar's end (PNG, or SVG for
    the web pages)."""
    bars = [_bar(u) for u in data.units]
    more = None
    if len(bars) > MAX_BARS:
        more = "… " + and_more(len(bars) - MAX_BARS, "units", _)
    title = _("Standing on {date}").format(date=vn_date(data.today))
    # The legend names the states drawn ("due later this month" only when some are).
    legend = {s: t for s, t in standing_legend(_).items() if any(b.counts[s] for b in bars)}
    return progress_chart(bars, title, legend, more, _("assignments"), ranked=True, svg=svg)


def standing_ranking_reply(data: Standing, language: str) -> Reply:
    """Every unit's standing to date as a spreadsheet, most behind first."""
    _ = translations(language).gettext
    book = Workbook()
    sheet = book.active
    sheet.title = _("Standing")[:31]
    legend = standing_legend(_)
    header = [
        _("Unit"),
        legend["done"],
        legend["late"],
        legend["overdue"],
        _("Done of those due (%)"),
        _("Overdue tasks (days late)"),
        legend["upcoming"],
    ]
    append(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for unit in data.units:
        percent = unit.percent
        append(
            sheet,
            [
                unit.name,
                unit.done + unit.done_early,  # as on the chart
                unit.late,
                unit.overdue,
                None if percent is None else round(percent, 1),
                _late_items(unit.late_tasks, _, None),
                unit.upcoming,
            ],
        )
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["F"].width = 40
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    caption = _("Every unit, standing on {date}.").format(date=vn_date(data.today))
    name = f"tinh-hinh-{data.today.isoformat()}.xlsx"
    return Reply(attachments=[Attachment(name, buffer.getvalue(), caption=caption)])


BEST_LISTED = 5  # units named as doing best


def best_units_reply(data: Standing, language: str) -> Reply:
    """ "xã nào làm tốt nhất": the units with the most of their assignments due so far
    done on time, none overdue and no periodic report missed, those with the most such
    first; how many more did all of theirs on time. Units with nothing due yet are not
    ranked."""
    _ = translations(language).gettext
    missed = {name for report in data.missed for name in report.units}
    ranked = [u for u in data.units if u.due and not u.overdue and u.name not in missed]
    ranked.sort(key=lambda u: (-u.done / u.due, -u.done, u.late, u.name))
    if not ranked:
        return Reply(
            _(
                "As of {date}, every unit with tasks due so far has some overdue or a periodic "
                "report missing."
            ).format(date=vn_date(data.today))
        )
    lines = [
        _(
            "Doing best as of {date} (done on time of the tasks due so far, none overdue, no "
            "periodic report missing):"
        ).format(date=vn_date(data.today))
    ]
    for unit in ranked[:BEST_LISTED]:
        line = _("{unit}: {done}/{due} on time").format(
            unit=unit.name, done=unit.done, due=unit.due
        )
        if unit.late:
            line += ", " + _("{count} late").format(count=unit.late)
        lines.append("• " + line)
    perfect = [u for u in ranked[BEST_LISTED:] if u.done == u.due]
    if perfect:
        lines.append(_("{count} more units did every task due on time.").format(count=len(perfect)))
    return Reply("\n".join(lines))
