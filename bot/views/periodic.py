"""The answer to ``/xuat``: the Word report and its workbook as files, a few lines saying
what they cover, and the plain answers when a request names no report."""

from __future__ import annotations

from typing import Any

from bot.charts import MAX_BARS, Bar, progress_chart
from bot.i18n import translations
from bot.language.normalize import plain
from bot.language.periods import PeriodKind
from bot.language.report_requests import ReportRequest, Trouble
from bot.services.periodic import PeriodicReport, Standing
from bot.transport import Attachment, Reply
from bot.views.common import and_more
from bot.views.documents.report_docx import report_docx
from bot.views.documents.report_xlsx import report_xlsx
from bot.views.documents.template import ReportTemplate
from bot.views.plans import vn_date
from bot.views.progress import chart_legend
from bot.views.reports import period_name

# A standing of the report → the state of the progress chart (its colours and legend).
_CHART_STATE = {
    Standing.DONE: "done",
    Standing.LATE: "late",
    Standing.IN_PROGRESS: "in_progress",
    Standing.OVERDUE: "overdue",
    Standing.NOT_REPORTED: "not_reported",
}
_FILE_KIND = {
    PeriodKind.MONTH: "thang",
    PeriodKind.QUARTER: "quy",
    PeriodKind.HALF: "6-thang",
    PeriodKind.NINE_MONTHS: "9-thang",
    PeriodKind.YEAR: "nam",
}


def usage(language: str) -> str:
    _ = translations(language).gettext
    return _(
        "Examples: /xuat quý 3 · /xuat tháng 10 · /xuat 6 tháng · /xuat năm 2025 · "
        "/xuat alone: the report of the period just closed. "
        "The office may add a unit: /xuat quý 3 Xã Sơn Dương"
    )


def trouble_reply(request: ReportRequest, language: str) -> Reply:
    """Why the request names no report, what was read, and how to write it."""
    _ = translations(language).gettext
    written = request.written
    match request.trouble:
        case Trouble.INVALID:
            text = _("“{written}” is not a period (a year has quarters 1–4 and months 1–12).")
        case Trouble.NOT_A_REPORT_PERIOD:
            text = _(
                "“{written}” is a day or a week: a report is made for a month, a quarter, "
                "six months, nine months or a year."
            )
        case _:
            text = _("“{written}” has not begun yet: there is nothing to report.")
    return Reply(text.format(written=written) + "\n" + usage(language))


def private_only_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(_("Reports are sent in a private chat with me: write /xuat there."))


def template_problem_reply(problem: str, language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(
        _("The report template cannot be used: {problem}. Nothing was written.").format(
            problem=problem
        )
    )


def chart(report: PeriodicReport, language: str) -> bytes | None:
    """Each unit's standing on the tasks of the report (lead units), most behind first;
    None when no task has a lead unit."""
    _ = translations(language).gettext
    counts: dict[str, dict[str, int]] = {}
    for section in report.sections:
        for task in section.tasks:
            for unit in task.units:
                state = _CHART_STATE.get(unit.standing)
                if unit.lead and state is not None:
                    row = counts.setdefault(unit.unit, dict.fromkeys(_CHART_STATE.values(), 0))
                    row[state] += 1
    if not counts:
        return None
    bars = []
    for name, row in counts.items():
        total = sum(row.values())
        finished = row["done"] + row["late"]
        bars.append(Bar(name, row, 100.0 * finished / total if total else 0.0))
    more = None
    if len(bars) > MAX_BARS:
        more = "… " + and_more(len(bars) - MAX_BARS, "units", _)
    title = _("Progress, {period}").format(period=period_name(report.period, _))
    return progress_chart(bars, title, chart_legend(_), more, _("tasks"))


def file_stem(report: PeriodicReport) -> str:
    """ "bao-cao-quy-3-2025", "bao-cao-thang-10-2025", "bao-cao-nam-2025"; a unit's own
    report ends with the unit's name ("…-xa-son-duong")."""
    unit_slug = "-".join(plain(report.unit).lower().split()) if report.unit else None
    period = report.period
    kind = _FILE_KIND.get(period.kind, period.kind.value)
    start = period.start
    if period.kind is PeriodKind.MONTH:
        label = f"{kind}-{start.month}-{start.year}"
    elif period.kind is PeriodKind.QUARTER:
        label = f"{kind}-{(start.month - 1) // 3 + 1}-{start.year}"
    elif period.kind is PeriodKind.HALF and start.month == 7:
        label = f"6-thang-cuoi-nam-{start.year}"
    else:
        label = f"{kind}-{start.year}"
    return "-".join(filter(None, ("bao-cao", label, unit_slug)))


def report_reply(
    report: PeriodicReport,
    template: ReportTemplate,
    closed: bool,
    language: str,
) -> Reply:
    """The two files and what they cover; ``closed`` False: the window is still open."""
    _ = translations(language).gettext
    start, end = report.window
    lines = [
        _("Report for {period}{unit}: figures from {start} to {end}.").format(
            period=period_name(report.period, _),
            unit=f" — {report.unit}" if report.unit else "",
            start=vn_date(start),
            end=vn_date(end),
        )
    ]
    if not closed:
        lines.append(
            _("The period is not over: the figures run to today ({today}).").format(
                today=vn_date(report.made_on)
            )
        )
    if not report.reported:
        lines.append(_("No unit reported anything in this window; the report says so."))
    else:
        lines.append(_summary(report, _))
    lines.append(
        _(
            "The Word file is a draft to edit and sign (the number, the signer and part V "
            "are left for the office); the workbook has every figure."
        )
    )
    reply = Reply("\n".join(lines))
    reply.attachments.extend(report_files(report, template, language))
    return reply


def report_files(
    report: PeriodicReport, template: ReportTemplate, language: str
) -> tuple[Attachment, Attachment]:
    """The Word report (with its chart) and the workbook, named by :func:`file_stem`:
    what ``/xuat`` sends and the web page's Xuất offers."""
    stem = file_stem(report)
    picture = chart(report, language)
    return (
        Attachment(f"{stem}.docx", report_docx(report, template, picture, language)),
        Attachment(f"{stem}.xlsx", report_xlsx(report, language)),
    )


def _summary(report: PeriodicReport, _: Any) -> str:
    counts = {standing: report.count(standing) for standing in Standing}
    parts = [
        _("done on time: {n}").format(n=counts[Standing.DONE]),
        _("done late: {n}").format(n=counts[Standing.LATE]),
        _("overdue: {n}").format(n=counts[Standing.OVERDUE]),
        _("in progress: {n}").format(n=counts[Standing.IN_PROGRESS]),
    ]
    met = sum(1 for i in report.indicators if i.meets)
    text = _("Tasks of lead units — {parts}.").format(parts="; ".join(parts))
    if report.indicators:
        text += " " + _("Indicators met: {met}/{total}.").format(
            met=met, total=len(report.indicators)
        )
    if report.silent:
        text += " " + _("Units that sent nothing: {n}.").format(n=len(report.silent))
    return text
