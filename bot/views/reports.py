"""Replies to reports: what was stored, what to choose, what to fix (with an example)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from bot.buttons import CancelQuestion, ConfirmQuestion, PickOption, UndoReport
from bot.checks import required
from bot.i18n import translations
from bot.language.normalize import plain
from bot.language.periods import Period, PeriodKind
from bot.language.shorten import shorten
from bot.language.statuses import Status
from bot.services.reports import (
    Asked,
    Fact,
    History,
    Outcome,
    OutcomeKind,
    Question,
    StoredTask,
    StoredValue,
    fact_key,
)
from bot.transport import Button, Reply
from bot.understanding import counted, parse_status_choice
from bot.understanding.model import Intent, Interpretation, Problem, ProblemCode, UnitDecision
from bot.views.common import and_more, code_runs, not_understood_reply
from bot.views.plans import vn_date, vn_number, with_measure


def status_name(status: Status | str | None, _: Any) -> str:
    return {
        "not_started": _("not started"),
        "in_progress": _("in progress"),
        "delayed": _("delayed"),
        "done": _("done"),
        "not_applicable": _("not applicable"),
    }.get(str(status) if status else "", _("no status"))


def choice_text(choice: str, _: Any) -> str:
    """A status to choose, in words: "in_progress:50" → "đang thực hiện (50%)"."""
    status, percent = parse_status_choice(choice)
    text = status_name(status, _)
    return text if percent is None else f"{text} ({percent}%)"


def period_name(period: Period | None, _: Any) -> str:
    if period is None:
        return ""
    start = period.start
    if period.kind is PeriodKind.MONTH:
        return _("month {month}/{year}").format(month=start.month, year=start.year)
    if period.kind is PeriodKind.QUARTER:
        roman = ["I", "II", "III", "IV"][(start.month - 1) // 3]
        return _("quarter {quarter}/{year}").format(quarter=roman, year=start.year)
    if period.kind is PeriodKind.HALF:
        return (
            _("first half of {year}") if start.month == 1 else _("second half of {year}")
        ).format(year=start.year)
    if period.kind is PeriodKind.NINE_MONTHS:
        return _("nine months of {year}").format(year=start.year)
    if period.kind is PeriodKind.YEAR:
        return _("year {year}").format(year=start.year)
    if period.kind is PeriodKind.WEEK:
        return _("week of {date}").format(date=start.strftime("%d/%m/%Y"))
    return start.strftime("%d/%m/%Y")


def figure_text(
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    measure: str,
    _: Any,
) -> str:
    """A figure as replies write it: "85% (85/100)", "12 hồ sơ"; no value: "không phát
    sinh" (nothing arose in the period)."""
    if value is None:
        return _("nothing arose (no figure)")
    text = with_measure(vn_number(value.quantize(Decimal("0.01")).normalize()), measure)
    if numerator is not None and denominator is not None:
        text += f" ({vn_number(numerator)}/{vn_number(denominator)})"
    return text


def value_text(value: StoredValue, _: Any) -> str:
    return figure_text(value.value, value.numerator, value.denominator, value.indicator.measure, _)


def _target_text(value: StoredValue, _: Any) -> str:
    indicator = value.indicator
    if indicator.target is None or value.value is None:
        return ""
    sign = {">=": "≥", "<=": "≤", "=": "="}.get(indicator.comparator, indicator.comparator)
    target = vn_number(indicator.target)
    target = f"{target}%" if indicator.measure == "%" else target
    if value.meets:
        return _("meets the target ({sign} {target})").format(sign=sign, target=target)
    return _("below the target ({sign} {target})").format(sign=sign, target=target)


def _said(fact: Fact, _: Any) -> str:
    """What a fact says, without its subject: "đang thực hiện (50%)", "85% (85/100)"."""
    if isinstance(fact, StoredTask):
        text = status_name(fact.status, _)
        if fact.done_on is not None:
            text = _("{status} on {date}").format(status=text, date=vn_date(fact.done_on))
        if fact.percent is not None:
            text += f" ({fact.percent}%)"
        return text
    return value_text(fact, _)


def _subject(fact: Fact, width: int = 45) -> str:
    if isinstance(fact, StoredTask):
        return f"{fact.code} {shorten(fact.content, width)}"
    return shorten(fact.indicator.name, width + 10)


def _deadline(fact: Fact, _: Any) -> str:
    """ " (hạn 31/12/2026)" after a task with one deadline, " (kỳ báo cáo quý III/2026)"
    after a recurring one; nothing for the others."""
    if isinstance(fact, StoredTask) and fact.due is not None:
        return " " + _("(due {date})").format(date=vn_date(fact.due))
    if isinstance(fact, StoredTask) and fact.period is not None:
        return " " + _("(report for {period})").format(period=period_name(fact.period, _))
    return ""


def _periodless(facts: list[Fact]) -> bool:
    """Whether every fact is a task named with its own deadline or period: no reporting
    period to name."""
    return bool(facts) and all(
        isinstance(f, StoredTask) and (f.due is not None or f.period is not None) for f in facts
    )


MAX_FACT_LINES = 20  # facts listed one per line; past that, tasks are grouped by status
MAX_LISTED_CODES = 40  # task codes named in one grouped line; the rest are counted
MAX_PROBLEM_LINES = 10  # problems explained one per line; the rest are counted


def _fact_lines(
    facts: list[Fact], _: Any, replaced: dict[tuple[str, str | int], Fact] | None = None
) -> list[str]:
    """One line per fact; a correction says what each replaced ("thay … bằng …").

    A long report (``nv 1, 2, …, 399 xong``) is summarised so that its confirmation stays
    one readable message: tasks that say the same thing share a line with their codes in
    runs ("• 399 nhiệm vụ — đã xong: 1–399"; past 40 codes, and past 20 lines, the rest
    are counted)."""
    lines: list[tuple[str, int, bool]] = []  # (line, facts on it, all of them tasks)
    grouped: dict[str, list[str]] = {}
    many = len(facts) > MAX_FACT_LINES
    for fact in facts:
        said = _said(fact, _)
        earlier = (replaced or {}).get(fact_key(fact))
        if earlier is not None:
            said = _("replacing {before} with {after}").format(before=_said(earlier, _), after=said)
        if isinstance(fact, StoredValue):
            line = f"• {_subject(fact)}: {said}"
            target = _target_text(fact, _)
            if target:
                line += f" — {target}"
            lines.append((line, 1, False))
            continue
        if fact.note:
            note = shorten(fact.note, 120) if many else fact.note
            said += " — " + _("note: {note}").format(note=note)
        if many:
            grouped.setdefault(said, []).append(fact.code)
            continue
        lines.append((f"• {_subject(fact)}{_deadline(fact, _)} — {said}", 1, True))
    for said, codes in grouped.items():
        if len(codes) == 1:
            lines.append((f"• {codes[0]} — {said}", 1, True))
            continue
        listed = code_runs(codes, MAX_LISTED_CODES, _)
        line = _("{count} tasks — {said}: {codes}").format(
            count=len(codes), said=said, codes=listed
        )
        lines.append(("• " + line, len(codes), True))
    shown = [line for line, _count, _tasks in lines[:MAX_FACT_LINES]]
    left = lines[MAX_FACT_LINES:]
    if left:
        what = "tasks" if all(tasks for _line, _count, tasks in left) else "other"
        shown.append("… " + and_more(sum(count for _line, count, _tasks in left), what, _))
    return shown


def _problem_lines(problems: list[Problem], language: str) -> list[str]:
    """One line per problem; many unknown or unassigned tasks share one line."""
    _ = translations(language).gettext
    lines: list[str] = []
    unknown = [p.subject for p in problems if p.code is ProblemCode.UNKNOWN_TASK]
    unassigned = [p.subject for p in problems if p.code is ProblemCode.TASK_NOT_ASSIGNED]
    if len(unknown) > 3:
        text = _("The plan has no tasks {codes}.").format(
            codes=code_runs(unknown, MAX_LISTED_CODES, _)
        )
        lines.append("• " + text + " " + _("/nhiemvu lists them."))
        problems = [p for p in problems if p.code is not ProblemCode.UNKNOWN_TASK]
    if len(unassigned) > 3:
        text = _("Tasks {codes} are not assigned to this unit (/nhiemvu lists its tasks).")
        lines.append("• " + text.format(codes=code_runs(unassigned, MAX_LISTED_CODES, _)))
        problems = [p for p in problems if p.code is not ProblemCode.TASK_NOT_ASSIGNED]
    lines += ["• " + problem_text(p, language) for p in problems]
    if len(lines) > MAX_PROBLEM_LINES:
        more = len(lines) - MAX_PROBLEM_LINES
        lines = [*lines[:MAX_PROBLEM_LINES], "… " + and_more(more, "other", _)]
    return lines


def _facts(outcome: Outcome) -> list[Fact]:
    return [*outcome.tasks, *outcome.values]


def stored_reply(outcome: Outcome, language: str) -> Reply:
    _ = translations(language).gettext
    lines = (
        [line for part in outcome.parts for line in _stored_lines(part, _)]
        if outcome.parts
        else _stored_lines(outcome, _)
    )
    buttons = []
    if outcome.inbound_id is not None:
        buttons = [[Button(_("Undo"), UndoReport(outcome.inbound_id).pack())]]
    return Reply("\n".join(lines), buttons=buttons)


def _stored_lines(outcome: Outcome, _: Any) -> list[str]:
    unit = outcome.unit.name if outcome.unit else ""
    period = period_name(outcome.period, _)
    # Tasks with one deadline are named with it ("hạn 31/12/2026"), not with the period.
    periodless = _periodless([*_facts(outcome), *outcome.dropped, *outcome.kept])
    lines = []
    interpretation = outcome.interpretation
    if outcome.replaced or outcome.dropped:
        if periodless:
            lines.append(_("Corrected for {unit}:").format(unit=unit))
        else:
            lines.append(_("Corrected for {unit}, {period}:").format(unit=unit, period=period))
    else:
        if interpretation is not None and interpretation.intent is Intent.CORRECTION:
            lines.append(
                _("There was no earlier report on these items to correct: recorded as new.")
            )
        if periodless:
            lines.append(_("Recorded for {unit}:").format(unit=unit))
        else:
            lines.append(_("Recorded for {unit}, {period}:").format(unit=unit, period=period))
    lines += _fact_lines(_facts(outcome), _, outcome.replaced)
    if outcome.dropped:
        lines.append(_("Withdrawn (no longer in the edited message):"))
        lines += _fact_lines(outcome.dropped, _)
    if outcome.kept:
        lines.append(_("Unchanged from the earlier report:"))
        lines += _fact_lines(outcome.kept, _)
    if outcome.missing_status:
        lines.append(
            _("Not recorded (no status written): {codes}. Example: nv {code} xong").format(
                codes=code_runs(outcome.missing_status, MAX_LISTED_CODES, _),
                code=outcome.missing_status[0],
            )
        )
    lines += _unused_lines(interpretation, _)
    if outcome.evidence:
        lines.append(_("The attached file is kept as evidence."))
    return lines


def _unused_lines(interpretation: Interpretation | None, _: Any) -> list[str]:
    """The counts read as no indicator's figure though named with indicator words."""
    if interpretation is None or not interpretation.unused:
        return []
    listed = ", ".join(f"“{text}”" for text in interpretation.unused)
    return [
        _(
            "Not recorded: {figures} (no one indicator of the plan is named). For an "
            "indicator's figure, write its name and the count over the total, for example "
            "“số hóa 110/120”."
        ).format(figures=listed)
    ]


def _counted_words(_: Any) -> dict[str, str]:
    """What an indicator counts (:mod:`bot.understanding.counted`), in words."""
    return {
        counted.DOSSIERS: _("the dossiers"),
        counted.PAYMENTS: _("the payment transactions"),
        counted.FEEDBACK: _("the feedback and petitions received"),
        counted.PROCEDURES: _("the administrative procedures"),
    }


def problem_text(problem: Problem, language: str) -> str:
    """One problem in words, with how to fix it."""
    _ = translations(language).gettext
    subject, names = problem.subject, "; ".join(problem.candidates[:4])
    code = problem.code
    if code is ProblemCode.UNKNOWN_UNIT:
        if not subject:
            return _(
                "Which unit is this for? Start with the unit's name, for example: "
                "“Xã Sơn Dương: nv 2.1 xong”."
            )
        if names:
            return _("I do not know the unit “{subject}”. Nearest: {names}.").format(
                subject=subject, names=names
            )
        return _("I do not know the unit “{subject}”.").format(subject=subject)
    if code is ProblemCode.AMBIGUOUS_UNIT:
        return _("“{subject}” could be: {names}.").format(subject=subject, names=names)
    if code is ProblemCode.UNKNOWN_TASK:
        text = _("The plan has no task {subject}.").format(subject=subject)
        if names:
            text += " " + _("Your unit's tasks include: {names}.").format(names=names)
        return text + " " + _("/nhiemvu lists them.")
    if code is ProblemCode.TASK_NOT_ASSIGNED:
        return _("Task {subject} is not assigned to this unit (/nhiemvu lists its tasks).").format(
            subject=subject
        )
    if code is ProblemCode.EVERY_TASK:
        return _(
            "“{subject}”: read as each task of the unit not yet reported finished ({count}, "
            "listed above). If one is wrong, press Cancel and write the tasks by number, for "
            "example: “xong hết, trừ nv 2.1”."
        ).format(subject=subject, count=problem.value or "")
    if code is ProblemCode.NO_TASK_LEFT:
        if problem.value == "done":
            return _(
                "“{subject}”: every task of the unit is reported finished already; nothing "
                "new was recorded. /nhiemvu lists them."
            ).format(subject=subject)
        return _(
            "“{subject}”: the unit has no other task in the plan to record it for. /nhiemvu "
            "lists its tasks."
        ).format(subject=subject)
    if code is ProblemCode.AMBIGUOUS_TASK:
        return _("“{subject}” could be several tasks: {names}.").format(
            subject=subject, names=names
        )
    if code is ProblemCode.UNKNOWN_INDICATOR:
        text = _("I do not know which indicator “{subject}” is.").format(subject=subject)
        if names:
            text += " " + _("The plan's indicators: {names}.").format(names=names)
        return text + " " + _("Example: “so hoa 85/100”, “hai long 96%”.")
    if code is ProblemCode.AMBIGUOUS_INDICATOR:
        return _("“{subject}” could be: {names}.").format(subject=subject, names=names)
    if code is ProblemCode.VALUE_OUT_OF_RANGE:
        return _(
            "{value} for “{subject}” is not possible: a percentage is between 0 and 100, "
            "a count is not negative, and a total is not zero."
        ).format(value=problem.value or "?", subject=subject)
    if code is ProblemCode.COUNT_FOR_PERCENT:
        return _(
            "{value} for “{subject}”: this indicator is a percentage. Write the count over "
            "the total, for example “{subject} 110/120”, or the percentage, “92%”."
        ).format(value=problem.value or "?", subject=subject)
    if code is ProblemCode.CHANGE_NOT_FIGURE:
        return _(
            "“{subject}”: {value} is how much it changed, not the figure reached. Write the "
            "figure of the period, for example “số hóa 85%”."
        ).format(subject=subject, value=problem.value or "?")
    if code is ProblemCode.NOT_OF_TOTAL:
        total, counts = (*problem.candidates, "", "")[:2]
        over = _counted_words(_).get(counts)
        text = (
            _("“{subject} {value}”: this indicator is counted over {over}, not over “{total}”.")
            if over
            else _("“{subject} {value}”: this indicator is not counted over “{total}”.")
        )
        return (
            text.format(subject=subject, value=problem.value or "?", total=total, over=over)
            + " "
            + _(
                "Write its count over its own total, for example “{subject} {value}/…”, or "
                "its percentage."
            ).format(subject=subject, value=problem.value or "?")
        )
    if code is ProblemCode.UNREADABLE_FIGURE:
        return _unreadable_text(problem, _)
    if code is ProblemCode.NUMERATOR_EXCEEDS_DENOMINATOR:
        return _(
            "{value} for “{subject}”: the first number cannot be above the total. "
            "Write it as done/total, for example 85/100."
        ).format(value=problem.value or "?", subject=subject)
    if code is ProblemCode.DONE_DATE and not _code_like(subject):
        # said of every task, or of a task found by its words ("xong hết các nhiệm vụ
        # ngày 20/12")
        return _(
            "“{subject}” on {value}: that day has not come yet, or is before the plan's "
            "year. Write the day it was done with its year, or leave the day out."
        ).format(subject=subject, value=problem.value or "?")
    if code is ProblemCode.DONE_DATE:
        return _(
            "Task {subject} done on {value}: that day has not come yet, or is before the "
            "plan's year. Write the day it was done with its year, for example "
            "“nv {subject} xong ngày 28/11/2026”, or leave the day out."
        ).format(subject=subject, value=problem.value or "?")
    if code is ProblemCode.FUTURE_PERIOD:
        return _("{subject} has not started yet: report a period that has begun.").format(
            subject=subject
        )
    if code is ProblemCode.REPEATED_ITEM:
        if problem.value:
            return _(
                "“{subject}” is given twice with different figures ({value}): send one."
            ).format(subject=subject, value=problem.value)
        return _("Task {subject} is given twice with different statuses: send one.").format(
            subject=subject
        )
    if code is ProblemCode.REPEATED_UNIT:
        return _(
            "{subject} is named twice in this message: put its items together, or send "
            "them as a message of their own."
        ).format(subject=subject)
    if code is ProblemCode.INVALID_PERIOD:
        return _(
            "“{subject}” is not a period: months run from 1 to 12, quarters from 1 to 4, "
            "and the day must exist. Write for example “tháng 11”, “quý 3/2026”."
        ).format(subject=subject)
    if code is ProblemCode.SEVERAL_PERIODS:
        return _(
            "This message names several periods ({subject}): figures are recorded for one "
            "period a message. Send each period's figures as a message of its own."
        ).format(subject=subject)
    if code is ProblemCode.PERIOD_OUTSIDE_PLAN:
        return _(
            "{subject} is outside the plan of {year}: report a period of {year}, or the "
            "current reporting period."
        ).format(subject=subject, year=problem.value or "")
    if code is ProblemCode.NOT_ALLOWED:
        if subject == "leader":
            return _("Leaders read the reports but do not send them.")
        return _(
            "You report for your own unit only, not for {subject}. The office can report "
            "for any unit."
        ).format(subject=subject)
    if code is ProblemCode.STATUS_UNCLEAR and len(problem.candidates) == 2:
        first, second = (choice_text(c, _) for c in problem.candidates)
        return _("Task {subject} ({value}): {first}, or {second}?").format(
            subject=subject, value=problem.value or "", first=first, second=second
        )
    if code is ProblemCode.NEEDS_CONFIRMATION:
        if subject and problem.value:
            return _("“{subject}” changes a lot from the last period ({value}).").format(
                subject=subject, value=problem.value
            )
        if names:
            return _("Found by its content, not by its number: {names}.").format(names=names)
        return _("Please confirm.")
    return subject


def _code_like(subject: str) -> bool:
    """Whether a problem's subject is a task's code as written ("2.1", "II.3", "8.2 (2)")
    rather than words."""
    return bool(subject) and not any(word.isalpha() and len(word) > 3 for word in subject.split())


def _unreadable_text(problem: Problem, _: Any) -> str:
    """An indicator named with a figure that is not a number: the indicator recognised, the
    figure quoted, its likely reading offered (only to resend: it is never stored), and an
    example written with digits."""
    value = problem.value or "?"
    name = shorten(problem.candidates[0], 55) if problem.candidates else problem.subject
    if problem.reading:
        text = _(
            "I recognised the indicator “{name}”, but “{value}” is not a number "
            "(did you mean {reading}?)."
        ).format(name=name, value=value, reading=problem.reading)
    else:
        text = _("I recognised the indicator “{name}”, but “{value}” is not a number.").format(
            name=name, value=value
        )
    figure = problem.reading or _example_figure(value)
    example = f"{problem.subject} {figure}".strip()
    return text + " " + _("Write it with digits, for example: {example}").format(example=example)


def _example_figure(written: str) -> str:
    """A figure of the shape the sender wrote: a ratio, a percentage or a number."""
    words = plain(written)
    if "/" in words or re.search(r"(?<!\w)tren(?!\w)", words):
        return "85/100"
    if "%" in words or "\uff05" in words or re.search(r"(?<!\w)phan\s+tram(?!\w)", words):
        return "85%"
    return "85"


def rejected_reply(outcome: Outcome, language: str) -> Reply:
    _ = translations(language).gettext
    if outcome.parts:
        return _several_rejected(outcome, language)
    interpretation = outcome.interpretation
    interpretation = required(interpretation, "interpretation")
    lines = [_("Nothing was recorded from this message:")]
    problems = interpretation.blocking
    if outcome.no_plan:
        lines.append(
            "• "
            + _("No plan has been imported yet: the office sends it to the bot (see /kehoach).")
        )
        problems = [p for p in problems if p.code is not ProblemCode.UNKNOWN_TASK]
    lines += _problem_lines(problems, language)
    understood = _fact_lines(_facts(outcome), _)
    if understood:
        lines.append(_("I understood the rest as:"))
        lines += understood
    lines += _unused_lines(interpretation, _)
    lines.append(_("Send the corrected message again."))
    return Reply("\n".join(lines))


def _several_rejected(outcome: Outcome, language: str) -> Reply:
    """A message naming several units, one part of which is wrong or unsure."""
    _ = translations(language).gettext
    lines = [
        _("Nothing was recorded from this message, which names {count} units:").format(
            count=len(outcome.parts)
        )
    ]
    for part in outcome.parts:
        interpretation = part.interpretation
        interpretation = required(interpretation, "interpretation")
        pick = interpretation.unit
        unit = pick.unit.name if pick and pick.unit else (pick.written if pick else "") or "?"
        if part.kind is OutcomeKind.STORED:
            lines.append(_("{unit}: understood, as:").format(unit=unit))
            lines += _fact_lines(_facts(part), _)
            continue
        lines.append(_("{unit}: to fix:").format(unit=unit))
        lines += ["• " + problem_text(p, language) for p in interpretation.problems]
        if part.kind is OutcomeKind.INCOMPLETE:
            codes = ", ".join(part.missing_status)
            lines.append("• " + _("Task {codes}: what is the status?").format(codes=codes))
        elif not interpretation.problems:
            lines.append("• " + _("Nothing to record: no status and no figure."))
    lines.append(
        _("Send it again once corrected, or send each unit's part as a message of its own.")
    )
    return Reply("\n".join(lines))


def ask_reply(outcome: Outcome, asked: Question | None, language: str) -> Reply:
    _ = translations(language).gettext
    interpretation = outcome.interpretation
    interpretation = required(interpretation, "interpretation")
    lines = []
    understood = _fact_lines(_facts(outcome), _)
    if understood:
        periodless = _periodless(_facts(outcome))  # tasks with one deadline, each named with it
        if outcome.unit is None:  # the unit is what is asked
            if periodless:
                lines.append(_("Understood (not recorded yet):"))
            else:
                lines.append(
                    _("Understood, {period} (not recorded yet):").format(
                        period=period_name(outcome.period, _)
                    )
                )
        elif periodless:
            lines.append(
                _("Understood for {unit} (not recorded yet):").format(unit=outcome.unit.name)
            )
        else:
            lines.append(
                _("Understood for {unit}, {period} (not recorded yet):").format(
                    unit=outcome.unit.name, period=period_name(outcome.period, _)
                )
            )
        lines += understood
    lines += _problem_lines(interpretation.asking, language)
    lines += _unused_lines(interpretation, _)
    pending = outcome.pending_id
    buttons: list[list[Button]] = []
    if asked is not None and asked.options:
        lines.append(_("Which one?"))
        labels = asked.options
        if asked.kind is Asked.STATUS:
            labels = [(option, choice_text(choice, _)) for option, choice in asked.options]
        buttons = [
            [Button(shorten(label, 40), PickOption(pending, option).pack())]
            for option, label in labels
        ]
    else:
        lines.append(_("Record it?"))
        buttons = [[Button(_("Yes, record it"), ConfirmQuestion(pending).pack())]]
    buttons.append([Button(_("Cancel"), CancelQuestion(pending).pack())])
    return Reply("\n".join(lines), buttons=buttons)


def incomplete_reply(outcome: Outcome, language: str) -> Reply:
    _ = translations(language).gettext
    codes = code_runs(outcome.missing_status, MAX_LISTED_CODES, _)
    return Reply(
        _(
            "Task {codes}: what is the status? Nothing was recorded. For example: "
            "“nv {code} xong”, “nv {code} đang thực hiện 60%”, “nv {code} chậm do …”."
        ).format(codes=codes, code=outcome.missing_status[0])
    )


def undone_reply(outcome: Outcome, language: str, tz=None) -> Reply:
    _ = translations(language).gettext
    kind = outcome.kind
    when = outcome.at.astimezone(tz).strftime("%d/%m %H:%M") if outcome.at and tz else ""
    if kind is OutcomeKind.NOTHING_TO_UNDO:
        return Reply(_("There is no report of yours to undo."))
    if kind is OutcomeKind.PENDING_DROPPED:
        return Reply(
            _(
                "Cancelled: your message sent {when} was waiting for your choice; nothing "
                "of it was recorded."
            ).format(when=when)
            if when
            else _(
                "Cancelled: your last message was waiting for your choice; nothing of it "
                "was recorded."
            )
        )
    if kind is OutcomeKind.ALREADY_UNDONE:
        return Reply(
            _(
                "Your latest report (sent {when}) is already undone. To undo an older "
                "report, choose it in /lichsu."
            ).format(when=when)
        )
    if kind is OutcomeKind.UNDO_TOO_OLD:
        return Reply(
            _(
                "Your latest report was sent {when}, more than {hours} hours ago: “hủy” "
                "only undoes a recent report. To undo it, press its button in /lichsu."
            ).format(when=when, hours=outcome.window_hours)
        )
    lines = [
        _("Undone: the report sent {when} no longer counts:").format(when=when)
        if when
        else _("Undone: this report no longer counts:")
    ]
    lines += _fact_lines(_facts(outcome), _)
    if outcome.restored:
        lines.append(_("What it had corrected stands again:"))
        lines += _fact_lines(outcome.restored, _)
    return Reply("\n".join(lines))


def query_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(
        _(
            "I understood a question about progress: the bot answers it with the summary "
            "(and a chart for the office and leaders). Nothing was recorded."
        )
    )


def cancelled_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(_("Cancelled: nothing was recorded."))


def gone_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(_("This question is no longer open. Send the report again if needed."))


_PERIOD_KINDS = {
    PeriodKind.WEEK: "week",
    PeriodKind.MONTH: "month",
    PeriodKind.QUARTER: "quarter",
    PeriodKind.HALF: "half_year",
    PeriodKind.YEAR: "year",
}


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def reply_for(outcome: Outcome, language: str) -> Reply:
    """The reply the bot sends for an outcome (in a private chat)."""

    kind = outcome.kind
    if kind is OutcomeKind.STORED:
        return stored_reply(outcome, language)
    if kind is OutcomeKind.REJECTED:
        return rejected_reply(outcome, language)
    if kind is OutcomeKind.ASK:
        return ask_reply(outcome, None, language)
    if kind is OutcomeKind.INCOMPLETE:
        return incomplete_reply(outcome, language)
    if kind in (OutcomeKind.UNDONE, OutcomeKind.NOTHING_TO_UNDO, OutcomeKind.PENDING_DROPPED):
        return undone_reply(outcome, language)
    if kind is OutcomeKind.QUERY:
        return query_reply(language)
    return not_understood_reply(language)


def outcome_json(outcome: Outcome, language: str) -> dict[str, Any]:
    """The ``dondoc parse --json`` object (a stable contract). A message that reports and
    asks is its report, with ``question``: the same object for the question."""
    data = _outcome_json(outcome, language)
    if outcome.query is not None:
        data["question"] = _outcome_json(outcome.query, language)
    return data


def _outcome_json(outcome: Outcome, language: str) -> dict[str, Any]:
    interpretation = outcome.interpretation
    interpretation = required(interpretation, "interpretation")
    pick = interpretation.unit
    unit = None
    known = (UnitDecision.MATCH, UnitDecision.SENDER)
    if pick is not None and pick.decision in known and pick.unit is not None:
        unit = {"id": pick.unit.id, "name": pick.unit.name, "decision": pick.decision.value}
    elif pick is not None and pick.decision is UnitDecision.ASK:
        unit = {"id": None, "name": pick.written or None, "decision": UnitDecision.ASK.value}
    period = interpretation.period
    reporting = outcome.kind in (
        OutcomeKind.STORED,
        OutcomeKind.ASK,
        OutcomeKind.REJECTED,
        OutcomeKind.INCOMPLETE,
    )
    period_data = None
    if period is not None and (reporting or interpretation.period_written):
        period_data = {
            "kind": _PERIOD_KINDS.get(period.kind, "range"),
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        }
    stored = {t.code: t for t in outcome.tasks}
    codes = _task_codes(outcome)
    return {
        "text": interpretation.text,
        "intent": interpretation.intent.value,
        "unit": unit,
        "period": period_data,
        "tasks": [
            {
                "code": codes.get(index, item.written),
                "status": item.status.value if item.status else None,
                "percent": item.percent,
                "note": item.note,
                "done_on": item.done_on.isoformat() if item.done_on else None,
            }
            for index, item in enumerate(interpretation.tasks)
            if item.task_ids or item.written
        ]
        if interpretation.tasks
        else [
            {
                "code": t.code,
                "status": t.status.value,
                "percent": t.percent,
                "note": t.note,
                "done_on": t.done_on.isoformat() if t.done_on else None,
            }
            for t in stored.values()
        ],
        "indicators": [
            {
                "id": item.indicator_ids[0] if len(item.indicator_ids) == 1 else None,
                "name": _indicator_name(outcome, item.indicator_ids, item.written),
                "value": _number(item.value),
                "numerator": _number(item.numerator),
                "denominator": _number(item.denominator),
                "not_arising": item.not_arising,
            }
            for item in interpretation.indicators
        ],
        "problems": [
            {
                "code": p.code.value,
                "detail": problem_text(p, language),
                "candidates": list(p.candidates),
            }
            for p in interpretation.problems
        ],
        "unused": list(interpretation.unused),
        "reply": reply_for(outcome, language).text,
    }


def _task_codes(outcome: Outcome) -> dict[int, str]:
    """Item index → the plan's code, for items resolved to one task."""
    found: dict[int, str] = {}
    interpretation = outcome.interpretation
    if interpretation is None:
        return found
    by_id = outcome.task_codes
    for index, item in enumerate(interpretation.tasks):
        if len(item.task_ids) == 1 and item.task_ids[0] in by_id:
            found[index] = by_id[item.task_ids[0]]
    return found


def _indicator_name(outcome: Outcome, ids: tuple[int, ...], written: str) -> str:
    if len(ids) == 1:
        for value in outcome.values:
            if value.indicator.id == ids[0]:
                return value.indicator.name
        name = outcome.indicator_names.get(ids[0])
        if name:
            return name
    return written


def history_reply(unit: str, history: History, language: str, tz) -> Reply:
    _ = translations(language).gettext
    rows = history.rows
    if not rows:
        return Reply(_("{unit} has no reports yet.").format(unit=unit))
    lines = [_("Latest reports of {unit}:").format(unit=unit)]
    for row in rows:
        when = row.at.astimezone(tz).strftime("%d/%m %H:%M")
        if row.status is not None:
            what = status_name(row.status, _)
            if row.done_at is not None:
                day = vn_date(row.done_at.astimezone(tz).date())
                what = _("{status} on {date}").format(status=what, date=day)
            if row.percent is not None:
                what += f" ({row.percent}%)"
        else:
            what = figure_text(row.value, row.numerator, row.denominator, row.measure or "", _)
        line = f"• {when} {shorten(row.subject, 40)}: {what}"
        who = row.who or (_("the office") if row.by_office else _("the unit's official"))
        line += " — " + who
        if row.note:
            line += " — " + _("note: {note}").format(note=row.note)
        if row.retracted:
            line += " " + _("(withdrawn)")
        elif row.disputed:
            line += " ⚠️ " + _("(disagrees with another report: the office will decide)")
        lines.append(line)
    buttons = [
        [
            Button(
                _("Undo {when}: {about}").format(
                    when=at.astimezone(tz).strftime("%d/%m %H:%M"),
                    about=shorten(", ".join(about), 28),
                ),
                UndoReport(inbound_id).pack(),
            )
        ]
        for inbound_id, at, about in history.undoable
    ]
    return Reply("\n".join(lines), buttons=buttons)


def not_your_task_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(_("This task belongs to another unit: nothing was recorded."))


def already_done_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(_("Already recorded as done: nothing more was stored."))


def file_without_caption_reply(language: str) -> Reply:
    """An official's file with no caption: not read; what to send instead."""
    _ = translations(language).gettext
    return Reply(
        _(
            "This file has no caption, so nothing was recorded. If it is a report or "
            "evidence, send it again with a caption saying what it is, for example: "
            "“đã gửi báo cáo quý 4” or “nv 3.2 xong, ảnh niêm yết”; the file is then kept "
            "as evidence. The plan is imported by the office."
        )
    )
