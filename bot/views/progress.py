"""The answer to "tình hình tháng này": a short text and a chart of progress per unit."""

from __future__ import annotations

from bot.charts import Bar, indicator_chart, progress_chart
from bot.i18n import translations
from bot.services.progress import Overview
from bot.transport import Attachment, Button, Reply
from bot.views.plans import vn_number
from bot.views.reports import period_name


def _legend(_) -> dict[str, str]:
    return {
        "done": _("done on time"),
        "late": _("done late"),
        "in_progress": _("in progress"),
        "overdue": _("overdue"),
        "not_reported": _("not reported"),
    }


def overview_reply(
    data: Overview, language: str, *, detail: bool, own_unit: int | None = None
) -> Reply:
    """Totals for everyone; the units most behind, silent units and the chart with
    ``detail`` (the office, leaders); an official also sees their own unit's line."""
    _ = translations(language).gettext
    period = period_name(data.period, _)
    totals = data.totals
    count = sum(totals.values())
    lines = []
    if not count:
        lines.append(
            _("{period}: no task of the plan is due in this period.").format(period=period)
        )
    else:
        legend = _legend(_)
        parts = ", ".join(f"{totals[s]} {legend[s]}" for s in legend if totals[s])
        lines.append(
            _("{period}: {count} tasks due — {parts}.").format(
                period=period, count=count, parts=parts
            )
        )
        percent = data.percent or 0.0
        line = _("Done: {percent}%.").format(percent=vn_number(round(percent, 1)))
        before = data.previous_percent
        if before is not None and round(percent, 1) == round(before, 1):
            line += " " + _("Unchanged from the period before.")
        elif before is not None:
            arrow = "↑" if percent > before else "↓"
            line += " " + _("{arrow} from {before}% the period before.").format(
                arrow=arrow, before=vn_number(round(before, 1))
            )
        lines.append(line)
    if detail and data.most_behind:
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
            legend = _legend(_)
            parts = ", ".join(f"{mine.counts[s]} {legend[s]}" for s in legend if mine.counts[s])
            lines.append(_("Your unit: {parts}.").format(parts=parts))
    for standing in data.indicators:
        if not standing.reported:
            continue
        sign = {">=": "≥", "<=": "≤", "=": "="}.get(standing.comparator, standing.comparator)
        target = f"{vn_number(standing.target)}%" if standing.target is not None else ""
        line = _("{name}: {meeting}/{reported} units meet {sign} {target}").format(
            name=standing.name[:60],
            meeting=standing.meeting,
            reported=standing.reported,
            sign=sign,
            target=target,
        )
        if standing.area is not None and detail:
            line += " " + _("(area {value}%)").format(value=vn_number(round(standing.area, 1)))
        lines.append("• " + line)
    if detail and data.silent:
        names = "; ".join(data.silent[:10])
        more = len(data.silent) - 10
        if more > 0:
            names += " " + _("and {count} more").format(count=more)
        lines.append(_("Reported nothing this period: {names}.").format(names=names))
    reply = Reply("\n".join(lines))
    if detail:
        previous = data.period.previous()
        reply.buttons = [
            [
                Button(_("Who is late"), f"q:late:{data.period.key}"),
                Button(period_name(previous, _).capitalize(), f"q:ov:{previous.key}"),
            ]
        ]
        if len(data.units) > 30:
            reply.buttons.append([Button(_("Full ranking"), f"q:xlsx:{data.period.key}")])
    if detail and data.units:
        bars = [Bar(u.name, u.counts, u.percent) for u in data.units]
        more = None
        if len(bars) > 30:
            more = _("… and {count} more units").format(count=len(bars) - 30)
        chart = progress_chart(
            bars, _("Progress, {period}").format(period=period), _legend(_), more, _("tasks")
        )
        reply.attachments.append(Attachment("tinh-hinh.png", chart, is_picture=True))
    return reply


def task_reply(label: str, states: list, language: str) -> Reply:
    from bot.views.plans import snippet
    from bot.views.reports import status_name

    _ = translations(language).gettext
    if not states:
        return Reply(_("No unit leads this task."))
    groups: dict[str, list[str]] = {}
    for state in states:
        groups.setdefault(state.status, []).append(state.name)
    lines = [snippet(label, 80)]
    order = ["not_reported", "not_started", "delayed", "in_progress", "done", "not_applicable"]
    for status in order:
        if status in groups:
            name = _("not reported") if status == "not_reported" else status_name(status, _)
            lines.append(f"• {name} ({len(groups[status])}): {'; '.join(groups[status][:15])}")
    return Reply("\n".join(lines))


def indicator_reply(standing, figures: list, period, language: str, trend=()) -> Reply:
    _ = translations(language).gettext
    if standing is None:
        return Reply(_("I do not know this indicator."))
    period_text = period_name(period, _)
    if not figures:
        return Reply(
            _("{name}, {period}: no unit has sent a figure yet.").format(
                name=standing.name, period=period_text
            )
        )
    sign = {">=": "≥", "<=": "≤", "=": "="}.get(standing.comparator, standing.comparator)
    target = f"{vn_number(standing.target)}%" if standing.target is not None else ""
    lines = [
        _("{name}, {period}: {meeting}/{reported} units meet {sign} {target}.").format(
            name=standing.name,
            period=period_text,
            meeting=standing.meeting,
            reported=standing.reported,
            sign=sign,
            target=target,
        )
    ]
    if standing.area is not None:
        lines.append(_("Area: {value}%.").format(value=vn_number(round(standing.area, 1))))
    for figure in figures[:20]:
        value = f"{vn_number(round(figure.value, 1))}%"
        if figure.numerator is not None and figure.denominator is not None:
            value += f" ({vn_number(figure.numerator)}/{vn_number(figure.denominator)})"
        mark = "✓" if figure.meets else "✗"
        lines.append(f"{mark} {figure.name}: {value}")
    reply = Reply("\n".join(lines))
    short = {"month": "T{m}", "quarter": "Q{q}"}
    labels = []
    for each, _area in trend:
        if each.kind.value in short:
            labels.append(
                short[each.kind.value].format(m=each.start.month, q=(each.start.month + 2) // 3)
            )
        else:
            labels.append(each.key)
    chart = indicator_chart(
        [(f.name, float(f.value)) for f in figures],
        float(standing.target) if standing.target is not None else None,
        f"{standing.name[:70]}, {period_text}",
        f"{sign} {target}",
        [(label, float(area)) for label, (_p, area) in zip(labels, trend, strict=True)],
        _("Whole area, last periods"),
    )
    reply.attachments.append(Attachment("chi-tieu.png", chart, is_picture=True))
    return reply


def late_reply(data: Overview, language: str) -> Reply:
    """ "xã nào chậm?": the units with overdue tasks, most behind first, and the silent."""
    _ = translations(language).gettext
    period = period_name(data.period, _)
    behind = sorted(
        (u for u in data.units if u.counts["overdue"]),
        key=lambda u: (-u.counts["overdue"], u.name),
    )
    lines = []
    if behind:
        lines.append(
            _("{period}: {count} units have overdue tasks:").format(
                period=period, count=len(behind)
            )
        )
        lines += [f"• {u.name}: {', '.join(u.behind[:8])}" for u in behind[:25]]
    else:
        lines.append(_("{period}: no unit is late.").format(period=period))
    if data.silent:
        lines.append(
            _("Reported nothing this period: {names}.").format(names="; ".join(data.silent[:20]))
        )
    return Reply("\n".join(lines))


def ranking_reply(data: Overview, language: str) -> Reply:
    """Every unit's progress for the period as a spreadsheet (the "Xem đầy đủ" button)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    _ = translations(language).gettext
    legend = _legend(_)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Progress")[:31]
    sheet.append([_("Unit"), *legend.values(), _("Done (%)"), _("Overdue tasks")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for unit in data.units:
        sheet.append(
            [
                unit.name,
                *(unit.counts[state] for state in legend),
                round(unit.percent, 1),
                ", ".join(unit.behind),
            ]
        )
    sheet.column_dimensions["A"].width = 40
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    name = f"tinh-hinh-{data.period.key}.xlsx"
    caption = _("Every unit, {period}.").format(period=period_name(data.period, _))
    return Reply(attachments=[Attachment(name, buffer.getvalue(), caption=caption)])
