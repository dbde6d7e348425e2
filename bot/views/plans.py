"""Replies about the plan: the import preview, its outcome, the outline, a unit's tasks."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl.styles import Font

from bot.buttons import (
    DeclineRequest,
    DropTargets,
    KeepTargets,
    MoveDeadline,
    PlanDetail,
    PlanDiscard,
    PlanImport,
    PlanNewUnit,
    PlanUnit,
    PlanUse,
)
from bot.i18n import translations
from bot.language.periods import Period
from bot.language.shorten import shorten
from bot.matching import UnitMatch
from bot.plans.files import LIMITS, clean_name
from bot.plans.xlsx import (
    COMPARATORS,
    DEADLINE_KINDS,
    PlanSheet,
    SheetIndicator,
    SheetRow,
    plan_workbook,
)
from bot.services.ocr import MAX_PAGES
from bot.services.plans import (
    Declined,
    ImportOutcome,
    Move,
    Pending,
    PlanBrief,
    PlanChoice,
    PlanRecord,
    PlanSummary,
    Refusal,
    Refused,
    Request,
    TaskRecord,
    UnitTask,
    UpdateTarget,
)
from bot.sheets import append
from bot.transport import Attachment, Button, Reply
from bot.views.common import and_more, some_of, unit_problem

MAX_LISTED = 12  # warnings or tasks listed in a chat message before "… and N more"
TELEGRAM_LIMIT = 4000  # a message's characters (Telegram's limit is 4096)
MAX_CHOICES = 5  # unsure units offered as buttons in one preview
MAX_NEW_UNITS = 6  # units to create offered one button each (then one button for all)


def vn_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def vn_number(value: Decimal | int | float) -> str:
    """72.5 → "72,5"; 1234 → "1.234" (the Vietnamese way)."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}".replace(",", ".")
    text = f"{number.normalize():f}"
    whole, frac = text.split(".")
    return f"{int(whole):,}".replace(",", ".") + "," + frac


def with_measure(number: str, measure: str) -> str:
    """ "85%", "12 hồ sơ", or "12" when the plan named no measure (stored as "count")."""
    if measure == "%":
        return f"{number}%"
    if measure in ("", "count"):
        return number
    return f"{number} {measure}"


def _kind_names(_: Any) -> dict[str, str]:
    return {
        "due": _("with a deadline"),
        "continuous": _("continuous"),
        "recurring": _("recurring"),
        "on_demand": _("on request"),
        "unknown": _("timeframe not read"),
    }


def _comparator(sign: str, _: Any) -> str:
    return {">=": _("at least"), "<=": _("at most"), "=": _("exactly")}.get(sign, sign)


def warning_text(warning: dict[str, Any], language: str) -> str:
    _ = translations(language).gettext
    detail, task = warning.get("detail") or "", warning.get("task") or ""
    texts = {
        "duplicate_code": _("code {task} is used twice (kept both, renumbered)"),
        "generated_code": _("a row without a number got code {task}"),
        "no_unit": _("task {task} has no lead unit"),
        "lead_from_above": _(
            "task {task}: its lead unit cell is empty, the unit of the task above was taken"
            " (“{detail}”, a cell merged down): check it"
        ),
        "no_timeframe": _("task {task} has no timeframe"),
        "unreadable_timeframe": _("task {task}: timeframe “{detail}” could not be read"),
        "no_year": _("the document gives no year"),
        "year_mismatch": _(
            "most task deadlines are in {detail}, not in the year of the title: check the year"
        ),
        "unresolved_unit": _("unit not found: “{detail}” (task {task})"),
        "unsure_unit": _("unit not sure: “{detail}” (task {task})"),
        "check_reading": _("task {task} was read from a scan or damaged text: check it"),
        "numbers_missing": _(
            "no task numbered {detail} was read: a row the scan may have lost (or the plan"
            " skips it); compare with the original"
        ),
    }
    texts["target_unread"] = (
        _(
            "task {task}: a target {detail} was read from damaged text, but not what it"
            " measures: not imported, add it by hand"
        )
        if task
        else _(
            "the indicator list: a target {detail} was read from damaged text, but not what"
            " it measures: not imported, add it by hand"
        )
    )
    texts["target_lost"] = _(
        "indicator “{detail}”: its target was not read from the damaged text: not imported,"
        " add it by hand"
    )
    texts["targets_per_unit"] = _(
        "an indicator table gives each unit its own target ({detail}): not imported (an"
        " indicator has one target for the plan); add them by hand in the “{details}”"
        " workbook's indicator sheet"
    ).replace("{details}", _("Details"))
    if warning.get("kind") == "target_unread":
        detail = _target_read(detail, _)
    if warning.get("kind") == "check_reading" and detail:
        # The task's section number was inferred from the numbering (a misread numeral).
        texts["check_reading"] = _(
            "task {task}: its section number, read “{detail}”, was taken from the numbering:"
            " check it"
        )
    template = texts.get(warning.get("kind", ""), "{detail}")
    return template.format(task=task, detail=detail)


def _target_read(detail: str, _: Any) -> str:
    """A target a warning holds (">= 80") as the preview words it ("tối thiểu 80%")."""
    sign, _space, number = detail.partition(" ")
    try:
        value = vn_number(Decimal(number))
    except ArithmeticError:
        return detail
    return f"{_comparator(sign, _)} {value}%"


def grouped_warnings(warnings: list[dict[str, Any]], language: str) -> list[str]:
    """One line per problem about units (and per task whose section number was
    inferred); one line per kind listing the tasks otherwise."""
    _ = translations(language).gettext
    by_task = {
        "no_unit": _("tasks without a lead unit: {codes}"),
        "lead_from_above": _(
            "lead unit cell empty, the unit of the task above taken (a cell merged down that"
            " the file cannot show): {codes}"
        ),
        "no_timeframe": _("tasks without a timeframe: {codes}"),
        "generated_code": _("rows without a number, numbered: {codes}"),
        "duplicate_code": _("numbers used twice (both kept, renumbered): {codes}"),
        "numbers_missing": _(
            "numbers not read, rows the scan may have lost (or the plan skips them):"
            " {codes}; compare with the original"
        ),
        "check_reading": _("read from a scan or damaged text, check each task: {codes}"),
        "target_unread": _(
            "targets read from damaged text without what they measure, not imported (add"
            " them by hand): {codes}"
        ),
        "target_lost": _(
            "indicators whose target was not read from the damaged text, not imported (add"
            " them by hand): {codes}"
        ),
    }
    lines: list[str] = []
    codes: dict[str, list[str]] = {}
    for warning in warnings:
        kind = warning.get("kind", "")
        if kind == "check_reading" and warning.get("detail"):
            lines.append(warning_text(warning, language))  # its section number inferred
        elif kind in by_task:
            if kind not in codes:
                codes[kind] = []
                lines.append(kind)  # placeholder, filled below
            codes[kind].append(_grouped_item(warning, _))
        else:
            lines.append(warning_text(warning, language))
    return [
        by_task[line].format(codes=("; " if line.startswith("target") else ", ").join(codes[line]))
        if line in by_task
        else line
        for line in lines
    ]


def _grouped_item(warning: dict[str, Any], _: Any) -> str:
    """What a grouped line lists of one warning: its task's code, or a target read
    ("tối thiểu 80% (nhiệm vụ 5)"), or the name of an indicator whose target was lost."""
    kind, task, detail = warning.get("kind"), warning.get("task"), warning.get("detail") or ""
    if kind == "target_unread":
        target = _target_read(detail, _)
        return _("{target} (task {task})").format(target=target, task=task) if task else target
    if kind == "target_lost":
        return detail
    return task or detail or "?"


def plan_name(year: int | None, language: str) -> str:
    """A plan named by its year: "the 2027 plan" ("kế hoạch năm 2027")."""
    _ = translations(language).gettext
    return _("the {year} plan").format(year=year) if year else _("the plan with no year")


def _year_fact(summary: PlanSummary, _: Any) -> str:
    """The year ("year 2026"), and where it came from when the title did not say it."""
    if not summary.year:
        return _("no year")
    text = _("year {year}").format(year=summary.year)
    sources = {
        "deadlines": _("(from the tasks' deadlines)"),
        "date": _("(from the date the document was signed)"),
        "assumed": _("(no year found in the document, the current year is assumed)"),
    }
    source = sources.get(summary.year_source or "")
    return f"{text} {source}" if source else text


def _codes(codes: list[str], _: Any) -> str:
    listed = ", ".join(codes[:MAX_LISTED])
    if len(codes) > MAX_LISTED:
        listed += " " + _("and {count} more").format(count=len(codes) - MAX_LISTED)
    return listed


def withdrawal_alarm(target: UpdateTarget | None, language: str) -> str | None:
    """The sentence shown in bold when an update would withdraw many tasks."""
    if target is None or not target.alarming:
        return None
    _ = translations(language).gettext
    text = (
        _("This update will withdraw {count}/{total} tasks of {plan} in use.")
        if target.current
        else _("This update will withdraw {count}/{total} tasks of {plan}.")
    )
    return text.format(
        count=len(target.withdrawn),
        total=target.plan.tasks,
        plan=plan_name(target.plan.year, language),
    )


def _effect_lines(summary: PlanSummary, language: str) -> list[str]:
    """Which plan importing a draft updates, or that it makes a new plan, and what it
    withdraws."""
    _ = translations(language).gettext
    target = summary.target
    if target is None:
        if summary.year:
            lines = [
                _(
                    "Import will create a new plan for {year}; the other plans stay as they are."
                ).format(year=summary.year)
            ]
        else:
            lines = [_("Import will create a new plan; the other plans stay as they are.")]
        in_use = summary.in_use
        if in_use is not None and not summary.becomes_current:
            lines.append(
                _("{plan} stays in use; /kehoach switches to the new one.").format(
                    plan=plan_name(in_use.year, language).capitalize()
                )
            )
        elif in_use is not None:
            lines.append(_("Once imported, it will be the plan in use."))
        return lines
    plan = plan_name(target.plan.year, language)
    update = (
        _("Import will update {plan} in use: “{title}” ({tasks} tasks).")
        if target.current
        else _("Import will update {plan}: “{title}” ({tasks} tasks).")
    )
    lines = [
        update.format(plan=plan, title=shorten(target.plan.title, 90), tasks=target.plan.tasks)
    ]
    alarm = withdrawal_alarm(target, language)
    codes = _codes(target.withdrawn, _)
    if alarm is not None:
        lines.append(
            "⚠️ "
            + alarm
            + " "
            + _("Not in this file: {codes}.").format(codes=codes)
            + " "
            + _("If this file is the plan of another year, check the year in its title.")
        )
    elif target.withdrawn:
        lines.append(_("Not in this file, to be withdrawn: {codes}.").format(codes=codes))
    if target.kept_deadlines:
        kept = [f"{code} ({vn_date(day)})" for code, day in target.kept_deadlines]
        lines.append(
            _(
                "Deadlines the office moved stay (the file says what the plan said): {tasks}."
            ).format(tasks=_codes(kept, _))
        )
    if target.reset_deadlines:
        reset = [
            f"{code} ({vn_date(day)} → {written or '—'})"
            for code, day, written in target.reset_deadlines
        ]
        lines.append(
            "⚠️ "
            + _("This file sets again deadlines the office moved: {tasks}.").format(
                tasks=_codes(reset, _)
            )
        )
    return lines


def _reading_line(source: dict[str, Any] | None, _: Any) -> str | None:
    """How the file was read, when it was not read straight from a Word, Excel or text
    file: "Đọc từ tệp PDF", "Đọc bằng OCR (nhận dạng ảnh), độ tin cậy trung bình 87 %",
    "đã sửa 14 từ của văn bản lỗi: kiểm tra kỹ"."""
    if not source:
        return None
    parts = []
    written = str(source.get("format") or "").upper()
    if source.get("ocr"):
        confidence = source.get("confidence")
        if confidence is None:
            parts.append(_("Read by OCR from a scan or photo ({format})").format(format=written))
        else:
            parts.append(
                _("Read by OCR from a scan or photo ({format}), mean confidence {percent}%").format(
                    format=written, percent=round(float(confidence))
                )
            )
    elif written in ("PDF", "DOC", "XLS", "RTF", "ODT", "ODS"):
        parts.append(_("Read from a {format} file").format(format=written))
    borderless = int(source.get("borderless_tables") or 0)
    if borderless:
        parts.append(
            _(
                "tables without borders read from the words' positions: {count} (a cell "
                "merged over several rows shows in one of them)"
            ).format(count=borderless)
        )
    repaired = int(source.get("repaired_words") or 0)
    if repaired:
        parts.append(
            _(
                "{count} words of damaged text restored: check the tasks marked and the"
                " indicators (only national indicators are read from damaged text)"
            ).format(count=repaired)
        )
        if not source.get("ocr"):
            # Damaged text loses what a page shows (which column a word stood in):
            # bench/plan_repair.py measures how much; the scan itself reads better.
            parts.append(_("the scan itself (PDF or photo) or the Word file reads more surely"))
    if source.get("ocr") or repaired:
        parts.append(
            _("a task read wrong can be corrected in the “{details}” workbook, sent back").format(
                details=_("Details")
            )
        )
    if not parts:
        return None
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def preview_text(summary: PlanSummary, language: str) -> str:
    """What was read: title, year, which plan it updates, counts, indicators, and
    everything to check."""
    _ = translations(language).gettext
    lines = [_("Plan preview: {title}").format(title=summary.title)]
    facts = []
    if summary.issuer:
        facts.append(_("issued by {issuer}").format(issuer=summary.issuer))
    facts.append(_year_fact(summary, _))
    if summary.filename:
        facts.append(summary.filename)
    lines.append(" · ".join(facts))
    reading = _reading_line(summary.source, _)
    if reading:
        lines.append(reading)
    if summary.draft:
        lines += _effect_lines(summary, language)
    lines.append(
        _("{tasks} tasks, {assignments} assignments to {units} units.").format(
            tasks=summary.tasks, assignments=summary.assignments, units=summary.units
        )
    )
    names = _kind_names(_)
    kinds = [f"{summary.by_kind[k]} {names[k]}" for k in names if summary.by_kind.get(k)]
    lines.append(_("Timeframes: {kinds}.").format(kinds=", ".join(kinds)))
    if summary.duties:
        lines.append(
            _("Reporting duties found in the text: {count} (reminded before each period).").format(
                count=summary.duties
            )
        )
    if summary.by_unit:
        top = "; ".join(f"{name} ({count})" for name, count in summary.by_unit[:5])
        more = len(summary.by_unit) - 5
        if more > 0:
            top += " " + and_more(more, "units", _)
        lines.append(_("Most tasks: {units}.").format(units=top))
    table = [i for i in summary.indicators if i.source != "task"]
    from_tasks = [i for i in summary.indicators if i.source == "task"]
    if table:
        lines.append("")
        lines.append(_("Indicators ({count}):").format(count=len(table)))
        lines += [_indicator_line(i, _) for i in table[:MAX_LISTED]]
    if from_tasks:
        kept = all(i.keep for i in from_tasks)
        lines.append("")
        lines.append(
            (
                _("Targets found in task texts ({count}), to be imported as indicators:")
                if kept
                else _("Targets found in task texts ({count}), dropped:")
            ).format(count=len(from_tasks))
        )
        lines += [_indicator_line(i, _) for i in from_tasks[:MAX_LISTED]]
    if summary.warnings:
        lines.append("")
        listed = grouped_warnings(summary.warnings, language)
        # (counted as listed: warnings of one kind grouped on a line count once)
        lines.append(_("To check ({count}):").format(count=len(listed)))
        lines += ["• " + line for line in listed[:MAX_LISTED]]
        if len(listed) > MAX_LISTED:
            lines.append(
                _("… and {count} more (see Details)").format(count=len(listed) - MAX_LISTED)
            )
    return "\n".join(lines)


def preview_reply(summary: PlanSummary, language: str) -> Reply:
    """The preview with its buttons: Import, Cancel, Details (and keep/drop targets, the
    choice for an unsure unit, the creation of a unit the list lacks)."""
    _ = translations(language).gettext
    from_tasks = [i for i in summary.indicators if i.source == "task"]
    question = _("Import this plan? Nothing is stored until you press Import.")
    if summary.new_units:
        hint = _(
            "Units not in the list ({count}): a button below creates one, and the tasks "
            "that name it get it."
        ).format(count=len(summary.new_units))
        question = f"{hint}\n\n{question}"
    text = preview_text(summary, language)
    if len(text) + len(question) > TELEGRAM_LIMIT:
        text = text[: TELEGRAM_LIMIT - len(question) - 4].rsplit("\n", 1)[0] + "\n…"
    lines = [text, "", question]
    plan = summary.plan_id
    buttons = [
        [
            Button(_("Import"), PlanImport(plan).pack()),
            Button(_("Cancel"), PlanDiscard(plan).pack()),
        ],
        [Button(_("Details"), PlanDetail(plan).pack())],
    ]
    if from_tasks:
        keep = all(i.keep for i in from_tasks)
        label = _("Drop targets from task texts") if keep else _("Keep targets from task texts")
        buttons[1].append(Button(label, (DropTargets if keep else KeepTargets)(plan).pack()))
    unsure = [
        (index, w)
        for index, w in enumerate(summary.warnings)
        if w.get("kind") == "unsure_unit" and w.get("candidates")
    ]
    for index, warning in unsure[:MAX_CHOICES]:
        row = [
            Button(
                f"{shorten(warning['detail'], 18)} → {shorten(c['name'], 26)}",
                PlanUnit(plan, index, c["id"]).pack(),
            )
            for c in warning["candidates"][:2]
        ]
        row.append(Button(_("None of these"), PlanUnit(plan, index, 0).pack()))
        buttons.append(row)
    buttons += new_unit_buttons(summary, language)
    alarm = withdrawal_alarm(summary.target, language)
    return Reply("\n".join(lines), buttons=buttons, bold=(alarm,) if alarm else ())


def new_unit_buttons(summary: PlanSummary, language: str) -> list[list[Button]]:
    """One button per name to create (the office checks each: a name read badly should
    not become a unit), and one for them all when there are several."""
    _ = translations(language).gettext
    plan = summary.plan_id
    rows = [
        [Button(_("Create “{name}”").format(name=shorten(name, 40)), PlanNewUnit(plan, key).pack())]
        for key, name in summary.new_units[:MAX_NEW_UNITS]
    ]
    if len(summary.new_units) > 1:
        label = _("Create all {count} missing units").format(count=len(summary.new_units))
        rows.append([Button(label, PlanNewUnit(plan, 0).pack())])
    return rows


def _indicator_line(indicator: Any, _: Any) -> str:
    target = vn_number(indicator.target) if indicator.target is not None else "?"
    value = with_measure(target, indicator.measure)
    where = ""
    if indicator.task_code:
        where = " " + _("(task {code})").format(code=indicator.task_code)
    comparator = _comparator(indicator.comparator, _)
    return f"• {indicator.code}. {shorten(indicator.name, 70)} — {comparator} {value}{where}"


def outcome_reply(outcome: ImportOutcome, language: str, choice: PlanChoice) -> Reply:
    """What Nhập did; for a new plan, which plan is in use now."""
    _ = translations(language).gettext
    if not outcome.merged:
        imported = next((p for p in choice.plans if p.id == outcome.plan_id), None)
        year = imported.year if imported else None
        lines = [
            _(
                "Plan imported ({plan}): {tasks} tasks, {assignments} assignments. "
                "/kehoach shows it."
            ).format(
                plan=plan_name(year, language),
                tasks=len(outcome.added),
                assignments=outcome.assignments,
            )
        ]
        in_use = next((p for p in choice.plans if p.id == choice.in_use), None)
        if in_use is not None and in_use.id != outcome.plan_id:
            lines.append(
                _("{plan} stays in use and unchanged; /kehoach switches.").format(
                    plan=plan_name(in_use.year, language).capitalize()
                )
            )
        return Reply("\n".join(lines))
    lines = [
        _(
            "Plan updated: {added} new, {updated} changed, {withdrawn} withdrawn, "
            "{unchanged} unchanged tasks. Reported statuses are kept."
        ).format(
            added=len(outcome.added),
            updated=len(outcome.updated),
            withdrawn=len(outcome.withdrawn),
            unchanged=outcome.unchanged,
        )
    ]
    if outcome.withdrawn:
        lines.append(_("Withdrawn: {codes}.").format(codes=", ".join(outcome.withdrawn)))
    if outcome.kept_deadlines:
        lines.append(
            _("Deadlines the office moved, kept: {codes}.").format(
                codes=", ".join(outcome.kept_deadlines)
            )
        )
    return Reply("\n".join(lines))


def _limit_texts(_: Any) -> dict[str, str]:
    """Why a file over a reading limit was refused, each saying its limit."""
    send_plan = _("Send only the plan and its task table.")
    return {
        "too_large": _(
            "The file is over {limit} MB. Nothing was imported. Send the plan's Word or Excel"
            " file; a scan goes in smaller with only the appendix pages, at 200 dpi, in grey"
            " or black and white."
        ),
        "unpacked_too_large": _(
            "“{name}” unpacks to more than {limit} MB; a plan is far smaller. Nothing was imported."
        )
        + " "
        + send_plan,
        "content_too_large": _(
            "The text and tables of “{name}” take more than {limit} MB (pictures aside); a "
            "plan's take far less. Nothing was imported."
        )
        + " "
        + send_plan,
        "too_many_rows": _(
            "“{name}” has more than {limit} rows (table rows and paragraphs together); a plan "
            "has tens to a few hundred. Nothing was imported."
        )
        + " "
        + send_plan,
        "too_many_cells": _(
            "“{name}” has more than {limit} table cells (empty cells with a border or a colour "
            "count too); a plan has a few thousand. Nothing was imported. Delete the empty "
            "rows and columns around the table, or what is not the plan, and send it again."
        ),
        "too_long": _(
            "“{name}” holds more than {limit} characters; a plan holds under 100,000. "
            "Nothing was imported."
        )
        + " "
        + send_plan,
        "line_too_long": _(
            "“{name}” has a line, paragraph or cell longer than {limit} characters; a plan's "
            "are under 1,000. Nothing was imported. Check that this is the plan and that its "
            "lines are not run together."
        ),
        "too_slow": _(
            "Reading “{name}” took more than {limit} seconds and was stopped; a plan is read "
            "in under a second. Nothing was imported."
        )
        + " "
        + send_plan,
        "too_many_pages": _(
            "“{name}” has more than {limit} pages; a plan has a few dozen. Nothing was imported."
        )
        + " "
        + send_plan,
    }


def _limit(reason: str) -> str:
    """The limit a reason states, in MB for sizes, written as numbers are here ("2.000")."""
    value = LIMITS[reason]
    if reason in ("too_large", "unpacked_too_large", "content_too_large"):
        value //= 1024 * 1024
    return vn_number(value)


def plan_error_reply(
    reason: str, filename: str, language: str, file_type: str | None = None
) -> Reply:
    """Why a file was not imported, in words, and what to send instead; a file over a
    reading limit is told the limit."""
    _ = translations(language).gettext
    filename = clean_name(filename)
    kinds = {
        "pdf": _("a PDF"),
        "image": _("a picture"),
        "doc": _("an old Word file (.doc)"),
        "xls": _("an old Excel file (.xls)"),
        "rtf": _("an RTF file"),
        "odt": _("an OpenDocument text (.odt)"),
        "ods": _("an OpenDocument spreadsheet (.ods)"),
        "pptx": _("a presentation"),
        "binary": _("a file that is not Unicode (UTF-8) text"),
    }
    save_as = _("Open it in Word or Excel and save it as .docx or .xlsx, then send it again.")
    texts = {
        "no_tasks": _(
            "I read “{name}” but found no task table in it: no table with the columns "
            "STT, Nội dung, Chủ trì, Thời gian, and no tasks written as “Cơ quan thực hiện: …”. "
            "Nothing was imported. Send the plan's Word (.docx), Excel (.xlsx) or text file."
        ),
        "empty": _("The file is empty. Nothing was imported."),
        "encrypted": _(
            "The file is password-protected. Save it without a password and send it again."
        ),
        "corrupt_docx": _("The Word file “{name}” could not be opened. Nothing was imported.")
        + " "
        + save_as,
        "corrupt_xlsx": _("The Excel file “{name}” could not be opened. Nothing was imported.")
        + " "
        + save_as,
        "corrupt_pdf": _(
            "The PDF file “{name}” could not be opened: it is damaged or is not a PDF. Nothing "
            "was imported. Send the plan's Word (.docx) file, or export the PDF again."
        ),
        "scanned_pdf": _(
            "“{name}” is a scan: its pages are pictures without text, which I cannot read. "
            "Nothing was imported. Send the plan's Word (.docx) file, or a clearer scan."
        ),
        "no_converter": _(
            "“{name}” is {kind}: to read it the bot needs LibreOffice, which is not installed "
            "on its server. Nothing was imported."
        )
        + " "
        + save_as,
        "conversion_failed": _(
            "“{name}” is {kind}, and it could not be converted to read it. Nothing was imported."
        )
        + " "
        + save_as,
        # Scans and photos, read by OCR.
        "no_ocr": _(
            "“{name}” is {kind} without text: to read it the bot needs OCR (Tesseract with "
            "its Vietnamese data), which is not installed on its server. Nothing was imported."
        )
        + " "
        + save_as,
        "ocr_too_slow": _(
            "Reading “{name}” by OCR took longer than allowed. Nothing was imported. Send only "
            "the pages of the task table, or the plan's Word (.docx) or Excel (.xlsx) file."
        ),
        "too_many_scanned_pages": _(
            "“{name}” has more pages than the bot reads from a scan (at most {pages}). Nothing "
            "was imported. Send only the pages of the task table, or the plan's Word (.docx) "
            "or Excel (.xlsx) file."
        ),
        "unreadable_image": _(
            "“{name}” could not be opened as a picture. Nothing was imported. Send a photo "
            "(JPG or PNG) or a PDF of the plan, or its Word (.docx) or Excel (.xlsx) file."
        ),
        "ocr_failed": _(
            "“{name}” could not be read by OCR. Nothing was imported. Send the plan's Word "
            "(.docx) or Excel (.xlsx) file, or a clearer scan of its task table."
        ),
        "unreadable_scan": _(
            "I could not read “{name}” clearly enough: the text is too blurred, too small or "
            "too dark. Nothing was imported. Take the photo again in good light, straight "
            "above the page, with the whole table in the picture; or send the plan's Word "
            "(.docx) or Excel (.xlsx) file."
        ),
        "scan_no_tasks": _(
            "I read the text of “{name}” but found no task table in it (columns STT, Nội "
            "dung, Chủ trì, Thời gian). Nothing was imported. Send a photo or a scan of the "
            "plan's appendix with the task table, or the plan's Word (.docx) or Excel (.xlsx) "
            "file."
        ),
        "photo_without_caption": _(
            "To read a photo of the plan, send it again with the caption “kế hoạch”. A "
            "scanned PDF, or the plan's Word (.docx) or Excel (.xlsx) file, is read too. "
            "Nothing was imported."
        ),
    }
    if reason in LIMITS:
        text = _limit_texts(_)[reason]
        return Reply(text.format(name=filename, limit=_limit(reason)))
    if reason == "unsupported_type":
        kind = kinds.get(file_type or "")
        text = _(
            "I can read a plan from a Word (.docx or .doc), Excel (.xlsx or .xls), "
            "OpenDocument (.odt, .ods), PDF or text (.txt) file."
        )
        if kind:
            what = (
                _("“{name}” is {kind}.").format(name=filename, kind=kind)
                if filename
                else _("This is {kind}.").format(kind=kind)
            )
            text = what + " " + text
            if file_type in ("doc", "xls", "rtf"):
                text += " " + save_as
        return Reply(text + " " + _("Nothing was imported."))
    text = texts.get(reason, _("The file “{name}” could not be read. Nothing was imported."))
    kind = kinds.get(file_type or "", _("this kind of file"))
    if not filename and "{name}" in text:
        filename = _("the photo")
    return Reply(text.format(name=filename, kind=kind, pages=MAX_PAGES))


def plan_only_office_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(_("Only the office or an administrator can import the plan."))


def plan_choice_only_office_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(_("Only the office or an administrator can choose the plan in use."))


def plan_gone_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(_("This preview is no longer available: send the file again."))


def plan_cancelled_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(_("Cancelled: nothing was imported."))


def plan_send_file_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(
        _(
            "Send the plan as a file here (Word .docx, Excel .xlsx or text): I will show a "
            "preview before anything is imported."
        )
    )


def outline_reply(
    summary: PlanSummary | None,
    sections: list[tuple[str, int]],
    language: str,
    manages: bool,
    choice: PlanChoice,
) -> Reply:
    """``/kehoach``: the plan in use and its outline; with several plans, all of them,
    and for the office a button to use each other one, and one for the plan's workbook
    ("Xem chi tiết"), to correct and send back."""
    _ = translations(language).gettext
    if summary is None:
        text = _("No plan has been imported yet.")
        if manages:
            text += " " + plan_send_file_reply(language).text
        return Reply(text)
    lines = [
        summary.title,
        _("{tasks} tasks, {units} responsible units, {indicators} indicators.").format(
            tasks=summary.tasks, units=summary.units, indicators=len(summary.indicators)
        ),
    ]
    for section, count in sections[:20]:
        lines.append(f"• {shorten(section, 70)} ({count})")
    buttons: list[list[Button]] = []
    if len(choice.plans) > 1:
        lines.append("")
        lines.append(_("Plans ({count}):").format(count=len(choice.plans)))
        lines += [_plan_line(plan, plan.id == choice.in_use, _) for plan in choice.plans]
        why = (
            _("The office chose the plan in use, until the end of {year}.")
            if choice.chosen
            else _("The plan in use is the plan of {year}, or the nearest year's.")
        )
        lines.append(why.format(year=choice.year))
        if manages:
            buttons = [
                [
                    Button(
                        _("Use {plan}").format(plan=plan_name(plan.year, language)),
                        PlanUse(plan.id).pack(),
                    )
                ]
                for plan in choice.plans
                if plan.id != choice.in_use
            ]
    if manages:
        lines.append(
            _(
                "To update it, send the corrected file, or the “{details}” workbook corrected"
                " in Excel."
            ).format(details=_("Details"))
        )
        buttons.insert(0, [Button(_("Details"), PlanDetail(summary.plan_id).pack())])
    lines.append(_("/nhiemvu [unit] lists a unit's tasks."))
    return Reply("\n".join(lines), buttons=buttons)


def _plan_line(plan: PlanBrief, in_use: bool, _: Any) -> str:
    year = str(plan.year) if plan.year else _("no year")
    line = f"• {year} — {shorten(plan.title, 70)} — " + _("{tasks} tasks").format(tasks=plan.tasks)
    return line + (" — " + _("in use") if in_use else "")


def plan_in_use_notice(plan: PlanBrief, language: str) -> str:
    _ = translations(language).gettext
    return _("Now using {plan}.").format(plan=plan_name(plan.year, language))


def unit_tasks_reply(
    unit: str, tasks: list[UnitTask], language: str, *, open_only: bool = False
) -> Reply:
    """A unit's tasks, a line each; ``open_only``: those left to do ("cần làm gì")."""
    _ = translations(language).gettext
    if not tasks and open_only:
        return Reply(_("{unit} has nothing left to do in the current plan.").format(unit=unit))
    if not tasks:
        return Reply(_("{unit} has no tasks in the current plan.").format(unit=unit))
    statuses = {
        None: _("not reported"),
        "not_started": _("not started"),
        "in_progress": _("in progress"),
        "delayed": _("delayed"),
        "done": _("done"),
        "not_applicable": _("not applicable"),
    }
    heading = _("Left to do by {unit} ({count}):") if open_only else _("Tasks of {unit} ({count}):")
    lines = [heading.format(unit=unit, count=len(tasks))]
    for task in tasks[:30]:
        when = vn_date(task.due_date) if task.due_date else (task.timeframe_text or "")
        if task.moved_from is not None:  # "gia hạn" by the office
            when += " " + _("(extended from {date})").format(date=vn_date(task.moved_from))
        elif task.deadline_set:
            when += " " + _("(set by the office)")
        role = "" if task.role == "lead" else " " + _("(cooperating)")
        status = statuses.get(task.status, task.status)
        if task.days_late is not None:  # "quá hạn 250 ngày (đang thực hiện)"
            status = _("overdue {days} days ({status})").format(days=task.days_late, status=status)
        line = f"• {task.code} {shorten(task.content, 50)}{role} — {shorten(when, 45)}"
        # left to do, a continuous or recurring task's latest period says nothing of now
        if not (open_only and task.periodic):
            line += f" — {status}"
        lines.append(line)
    if len(tasks) > 30:
        lines.append("… " + and_more(len(tasks) - 30, "tasks", _))
    return Reply("\n".join(lines))


def unit_tasks_usage_reply(language: str, command: str = "nhiemvu") -> Reply:
    """Which unit ``/command`` is for, with an example naming that command."""
    _ = translations(language).gettext
    return Reply(_("Which unit? For example: /{command} Xã Sơn Dương").format(command=command))


def unknown_unit_reply(match: UnitMatch, language: str, command: str) -> Reply:
    """``/command``'s words named no unit the deployment has (nor a task or an
    indicator): what was not known, the names nearest, and an example."""
    _ = translations(language).gettext
    example = _("For example: /{command} Xã Sơn Dương").format(command=command)
    return Reply(f"{unit_problem(match, language)}\n{example}")


_KINDS = ("due", "continuous", "recurring", "on_demand")
_SHEET_KINDS = dict(zip(_KINDS, DEADLINE_KINDS, strict=True))
_SHEET_COMPARATORS = dict(zip((">=", "<=", "="), COMPARATORS, strict=True))
_SECTION = re.compile(r"^\s*([IVXLC]+|\d+(?:\.\d+)*)\s*[.):]?\s+(.+)$", re.DOTALL)


def _section_row(section: str) -> SheetRow:
    """ "II. Rà soát TTHC" → a section row "II" | "Rà soát TTHC"."""
    m = _SECTION.match(section)
    return SheetRow(m[1], m[2], section=True) if m else SheetRow("", section, section=True)


_UNITS_READ = 6  # units named in a row's "Đôn Đốc hiểu" ("UBND các xã": every one)


def _read_as(task: TaskRecord, _: Any) -> str:
    """What Đôn Đốc read in a task's cells, for the office to check."""
    lines = [
        _("Lead: {units}").format(units=some_of(task.lead_units, _UNITS_READ, "units", _))
        if task.lead_units
        else _("no lead unit")
    ]
    if task.cooperating_units:
        units = some_of(task.cooperating_units, _UNITS_READ, "units", _)
        lines.append(_("Cooperating: {units}").format(units=units))
    recurrences = {
        "weekly": _("weekly"),
        "monthly": _("monthly"),
        "quarterly": _("quarterly"),
        "half_yearly": _("half-yearly"),
        "yearly": _("yearly"),
    }
    when = {
        "due": _("due {date}").format(date=vn_date(task.due)),
        "recurring": ", ".join(
            recurrences.get(part, part) for part in (task.recurrence or "").split(",") if part
        ),
    }.get(task.kind or "unknown") or _kind_names(_).get(task.kind or "unknown", "")
    if task.start and task.kind in ("due", "continuous"):
        when = _("from {date}").format(date=vn_date(task.start)) + ", " + when
    lines.append(when)
    return "\n".join(lines)


def detail_workbook(record: PlanRecord, warnings: list[dict[str, Any]], language: str) -> bytes:
    """The previewed plan as Đôn Đốc's plan workbook (:func:`bot.plans.xlsx.plan_workbook`):
    the cells as written, a column with what Đôn Đốc read in them and one with what to
    check; sent back (corrected), it reads as the same plan. A last sheet lists every
    point to check, as the preview does."""
    _ = translations(language).gettext
    checks: dict[str, list[str]] = {}
    for warning in warnings:
        if warning.get("task"):
            checks.setdefault(warning["task"], []).append(warning_text(warning, language))
    rows: list[SheetRow] = []
    section: str | None = None
    for task in record.tasks:
        if task.section and task.section != section:
            rows.append(_section_row(task.section))
        section = task.section
        rows.append(
            SheetRow(
                task.code,
                task.content,
                lead=task.lead_text,
                cooperating=task.cooperate_text,
                time=task.timeframe_text,
                product=task.product,
                kind=_SHEET_KINDS.get(task.kind or "", ""),
                notes=(_read_as(task, _), "\n".join(checks.get(task.code, []))),
            )
        )
    indicators = tuple(
        SheetIndicator(
            item.code,
            item.name,
            measure="" if item.measure == "count" else item.measure,
            comparator=_SHEET_COMPARATORS.get(item.comparator, ""),
            target=item.target,
            units=item.units_text,
        )
        for item in record.indicators
        # (a target stated in a task's text is read from it again)
        if item.source != "task"
    )
    sheet = PlanSheet(
        title=record.title,
        year=record.year,
        issuer=record.issuer,
        rows=tuple(rows),
        indicators=indicators,
        note_headers=(_("Read as"), _("To check")),
        duties=record.duties,
    )
    book = plan_workbook(sheet)
    notes = book.create_sheet(_("To check")[:31])
    append(notes, [_("Problem")])
    notes["A1"].font = Font(bold=True)
    for warning in warnings:
        append(notes, [warning_text(warning, language)])
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def detail_reply(content: bytes, language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(
        attachments=[
            Attachment("ke-hoach-chi-tiet.xlsx", content, caption=_("The plan, task by task."))
        ]
    )


# -- a task's deadline set or moved ("gia hạn nv 4.3 đến 31/12") ---------------------------


def deadline_office_only_reply(language: str, *, may_ask: bool = False) -> Reply:
    """Refused; ``may_ask`` (an official of a unit): how to ask the office instead."""
    _ = translations(language).gettext
    text = _("Only the office or an administrator can set or move a task's deadline.")
    if may_ask:
        text += " " + _(
            "To ask the office for more time, write “xin gia hạn nv 4.3 đến 31/12 vì …”."
        )
    return Reply(text)


def deadline_request_usage_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(
        _(
            "Write the task, the deadline you ask for and why, e.g. “xin gia hạn nv 4.3 đến "
            "31/12 vì chờ hướng dẫn của Sở”: nothing was sent to the office."
        )
    )


def deadline_usage_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(_("Write the task and the new deadline, e.g. “gia hạn nv 4.3 đến 31/12/2026”."))


def _refused(refusal: Refusal, day: date, _: Any) -> str:
    refused, code, timeframe = refusal.why, refusal.code, refusal.timeframe
    if refused is Refused.NO_TASK and not code:
        return _("The task is no longer in the plan in use: its deadline was not changed.")
    if refused is Refused.NO_TASK:
        return _("The plan in use has no task {code} (/kehoach lists its tasks).").format(code=code)
    if refused is Refused.NOT_ONE_DEADLINE:
        return _(
            "Task {code} is done all year or every period (“{timeframe}”): it has no one "
            "deadline to move."
        ).format(code=code, timeframe=timeframe or "")
    if refused is Refused.EARLIER:
        return _("Task {code} is due on {due} already: more time is a later day than that.").format(
            code=code, due=vn_date(refusal.due)
        )
    if refused is Refused.NOT_LEAD:
        return _(
            "Your unit does not lead task {code}: only its lead units can ask for more time."
        ).format(code=code)
    if refused is Refused.PAST:
        return _("{date} has passed: the new deadline is today or later.").format(date=vn_date(day))
    return _("Task {code} is already due on {date}.").format(code=code, date=vn_date(day))


def _move_line(move: Move, _: Any) -> str:
    task = f"{move.code} {shorten(move.content, 60)}"
    if move.kind_before == "due" and move.due_before is not None:
        return _("Task {task}: deadline {before} → {after}.").format(
            task=task, before=vn_date(move.due_before), after=vn_date(move.due_after)
        )
    return _("Task {task}: deadline {after} (the plan says “{timeframe}”).").format(
        task=task, after=vn_date(move.due_after), timeframe=move.timeframe_text or "—"
    )


def deadline_reply(found: Move | Refusal, day: date, language: str) -> Reply:
    """What "gia hạn nv 4.3 đến 31/12" would change, with **Đồng ý đổi hạn**; or why it cannot."""
    _ = translations(language).gettext
    if not isinstance(found, Move):
        return Reply(_refused(found, day, _))
    lines = [
        _move_line(found, _),
        _(
            "{leads} lead units, {done} have finished it; the others are reminded by the new "
            "deadline."
        ).format(leads=found.leads, done=found.done),
    ]
    reply = Reply("\n".join(lines))
    button = MoveDeadline(found.task_id, Period.day(found.due_after))
    reply.buttons = [[Button(_("Set this deadline"), button.pack())]]
    return reply


def deadline_moved_reply(found: Move | Refusal, day: date, language: str) -> Reply:
    """**Đồng ý đổi hạn** pressed: the deadline moved, or why not (checked again)."""
    _ = translations(language).gettext
    if not isinstance(found, Move):
        return Reply(_refused(found, day, _))
    return Reply(
        _("Done. {line} Reminders follow the new deadline.").format(line=_move_line(found, _))
    )


def deadline_request_reply(found: Request | Refusal, day: date, language: str) -> Reply:
    """An official's "xin gia hạn nv 4.3 đến 31/12": sent to the office, or why not."""
    _ = translations(language).gettext
    if not isinstance(found, Request):
        return Reply(_refused(found, day, _) + " " + _("Nothing was sent to the office."))
    if not found.offices:
        return Reply(
            _(
                "Nobody of the office uses the bot yet, so the request could not be sent: "
                "please tell the office directly. {line}"
            ).format(line=_move_line(found.move, _))
        )
    return Reply(
        "\n".join(
            [
                _("Sent to the office: {line}").format(line=_move_line(found.move, _)),
                _(
                    "When the office agrees, the new deadline shows in /nhiemvu and the "
                    "reminders follow it."
                ),
            ]
        )
    )


def deadline_request_notice_reply(
    payload: dict[str, Any], code: str, content: str, language: str, request_id: int
) -> Reply:
    """The office's notice of an official's request (its row ``request_id``), with
    **Đồng ý đổi hạn** (which moves the task's deadline for every lead unit: said so when
    there are others) and **Không đồng ý**."""
    _ = translations(language).gettext
    move = _noticed_move(payload, code, content)
    who = str(payload.get("unit") or "")
    if payload.get("by"):
        who += f" ({payload['by']})"
    lines = [
        _("📨 {who} asks for more time.").format(who=who),
        _move_line(move, _),
    ]
    if payload.get("reason"):
        lines.append(_("Reason: {reason}").format(reason=payload["reason"]))
    if move.leads > 1:
        lines.append(
            _("Agreeing moves the deadline for all {leads} lead units of the task.").format(
                leads=move.leads
            )
        )
    reply = Reply("\n".join(lines))
    button = MoveDeadline(move.task_id, Period.day(move.due_after))
    reply.buttons = [
        [
            Button(_("Set this deadline"), button.pack()),
            Button(_("Decline"), DeclineRequest(request_id).pack()),
        ]
    ]
    return reply


def deadline_declined_reply(found: Declined | None, language: str) -> Reply:
    """**Không đồng ý** pressed: the official is told; or the request is no longer waiting."""
    _ = translations(language).gettext
    if found is None:
        return Reply(_("This request is no longer waiting: it was answered already."))
    return Reply(
        _("Declined: {unit} is told that task {code} stays due as it is (not {day}).").format(
            unit=found.unit, code=found.code, day=vn_date(found.day)
        )
    )


def deadline_refused_notice_reply(
    payload: dict[str, Any], code: str, content: str, language: str
) -> Reply:
    """To the official who asked for more time: the office said no."""
    _ = translations(language).gettext
    now = payload.get("due_now")
    text = _("The office did not agree to move task {task} to {day}.").format(
        task=f"{code} {shorten(content, 60)}", day=vn_date(date.fromisoformat(payload["due_after"]))
    )
    if now:
        text += " " + _("Its deadline stays {date}.").format(date=vn_date(date.fromisoformat(now)))
    return Reply("❌ " + text)


def deadline_granted_reply(
    payload: dict[str, Any], code: str, content: str, language: str
) -> Reply:
    """To an official who asked for more time: the task's deadline was moved."""
    _ = translations(language).gettext
    line = _move_line(_noticed_move(payload, code, content), _)
    return Reply(_("✅ The office has moved the deadline. {line}").format(line=line))


def _noticed_move(payload: dict[str, Any], code: str, content: str) -> Move:
    """The deadline change a notice's payload names (the task as it is now)."""
    before = payload.get("due_before")
    return Move(
        task_id=int(payload["task_id"]),
        code=code,
        content=content,
        kind_before=payload.get("kind_before"),
        due_before=date.fromisoformat(before) if before else None,
        timeframe_text=payload.get("timeframe"),
        due_after=date.fromisoformat(str(payload["due_after"])),
        leads=int(payload.get("leads") or 0),
        done=0,
    )


MAX_REQUEST_BUTTONS = 8  # requests given buttons of their own; the others listed without


def deadline_requests_reply(pending: list[Pending], language: str, tz: Any) -> Reply:
    """The requests for more time the office has not answered ("/giahan" alone, "ai xin
    gia hạn"), the first ones each with **Đồng ý** and **Không đồng ý**, then how to set
    a deadline."""
    _ = translations(language).gettext
    usage = deadline_usage_reply(language).text
    if not pending:
        return Reply("\n".join([_("No request for more time is waiting."), usage]))
    lines = [_("Requests for more time not answered ({count}):").format(count=len(pending))]
    buttons: list[list[Button]] = []
    for index, asked in enumerate(pending):
        who = f"{asked.unit} ({asked.by})" if asked.by else asked.unit
        when = asked.asked_at.astimezone(tz).strftime("%d/%m")
        line = f"• {when} {who}: {_move_line(asked.move, _)}"
        if asked.reason:
            line += " " + _("Reason: {reason}").format(reason=asked.reason)
        lines.append(line)
        if index < MAX_REQUEST_BUTTONS:
            label = _("Agree: {code} → {day} ({unit})").format(
                code=asked.move.code, day=asked.move.due_after.strftime("%d/%m"), unit=asked.unit
            )
            data = MoveDeadline(asked.move.task_id, Period.day(asked.move.due_after)).pack()
            no = DeclineRequest(asked.request_id).pack()
            buttons.append([Button(shorten(label, 60), data), Button(_("Decline"), no)])
    lines.append(usage)
    return Reply("\n".join(lines), buttons=buttons)
