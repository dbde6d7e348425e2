"""Understanding one chat message: ``interpret(text, context) -> Interpretation``.

Owns the reading of the whole message: the steps below in order, the split of its
quantities between task percents and indicator figures, the task items with their
statuses and figures, a question's tasks and indicator, and the problems of the
period. Each step's reading lives in a module of its own (named below). Pure: no
I/O, no database, no clock (``context.today``). The steps:

1. **Intent words** first: a message that is only "hủy"/"xóa báo cáo vừa rồi" (or
   "hủy nv 2.1") is an undo; a leading "sửa:"/"sửa lại"/"đính chính" makes a
   correction whose rest is read as a report ("sửa" without a colon only when a code
   or a figure follows). (:mod:`.intent`, :mod:`.tasks`)
2. **Unit** (:mod:`.units`): ``catalogue.find_in`` over the runs of words that may
   name a unit; a unit right after "gửi", "tại", "với", "phối hợp" … is an addressee
   or a place, not the reporter, and the next one is looked for. A leading type word
   ("xã", "P.") followed by a name that matches nothing is an unknown unit; else the
   sender's unit. The unit's words are blanked out before reading further.
3. **Period**: the first period phrase (a day is not a reporting period and is
   skipped; a day right after "done", "hoàn thành ngày 28/11", is the day the task was
   done: ``TaskItem.done_on``, refused when not yet come or before the plan's year);
   every period phrase is blanked out so "tháng 10/2025" is never a ratio.
   None → the current reporting period. Figures with two periods or more written ("số
   hóa tháng 10 85%, thanh toán tháng 9 80%") are refused (``SEVERAL_PERIODS``): each
   figure's period is not told apart, and all went to the first.
4. **Events** on what is left: task codes, status phrases (plus "chưa" standing alone:
   not done yet), quantities (a total and "trong đó" a part of it make one ratio; a total
   received, "tiếp nhận 120 hồ sơ", and the counts after it that name an indicator, "số
   hóa 110", a ratio each; a list item's number, "3) …", is none), and
   the separators that bound clauses: hard (``;``, a new line, a full stop, ``!``,
   ``?``) and soft (a comma, a spaced dash). (:mod:`.text`, :mod:`.tasks`)
5. **Statuses** go to codes (:mod:`.statuses`): a status after codes in the same soft
   clause applies to them ("1.1, 1.2 xong"); a status before codes with none after
   applies forward ("hoàn thành nv 2.1 và 2.2", "Hoàn thành: 1.1, 1.2"); a line with
   nothing but codes takes the status of the line around it ("nv 1\nnv 2\nxong hết");
   a line with other, unread words takes none ("3.4 - dang th": the service asks).
6. **Quantities**: each reads the indicator words written before it (back to the
   previous quantity, code, status or hard separator), or after it when there are
   none ("72% hồ sơ trực tuyến"). A phrase naming an indicator makes an indicator
   figure; otherwise a percentage in a clause with a code is that code group's
   percent; otherwise an unknown indicator figure. Words that name several indicators
   before a ratio with a noun take the one they name with it ("trực tuyến 150/200 hồ
   sơ": hồ sơ trực tuyến). A figure restating the one before
   ("85/100 (85%)") is read once. Counts that name no indicator are left out ("gửi 2
   ảnh", "nv 40 đã tổ chức 2 buổi"). A figure that is not a number where the words
   before it (or after it) name one indicator ("so hoa 8o/100", "hai long 9l%", "tám
   mươi phần trăm") makes that indicator's item with no value and an
   ``UNREADABLE_FIGURE`` problem (blocking: nothing of the message is stored) quoting it,
   with the reading of letters typed for digits when the indicator could take it
   ("80/100"), only to suggest; what was read as numbers inside it ("100") is dropped.
   (:mod:`.indicators`, :func:`bot.language.numbers.find_unreadable`)
   A "không phát sinh" with no task code before it in its clause, after (or before)
   words naming one indicator, or glossing a zero those words name ("hồ sơ trực tuyến: 0
   (không phát sinh)"), says nothing arose for that indicator in the period: an item
   with no figure (``not_arising``), as "0/0" is; it is no task's status.
7. **Tasks by content**: with no code at all, the words around a status are matched
   against the contents of the unit's tasks (all tasks when that finds nothing); the
   result always needs a confirmation. A status said of every task ("đã xong hết các
   nhiệm vụ", "tất cả nhiệm vụ đều đang triển khai", a bare "xong hết" when no task is
   named) makes an item for each task of the unit not named otherwise (``EVERY_TASK``,
   always confirmed; the service leaves out those finished already). A code after
   "trừ", "ngoại trừ", "riêng" takes no status said before it, only its own.
   (:mod:`.tasks`, :mod:`.statuses`)
8. **Question or chit-chat**: question words ("nào", "thế nào", "bao nhiêu", "xong
   chưa?", "đạt chưa"), "tình hình …", "tiến độ …" with no status and no figure, or a
   trailing "?" with neither make a query; a message with no task and no figure is
   *other*. (:mod:`.intent`)

Before the steps, a message whose clauses report and ask ("nv 3.1 xong, nv 3.2 thế
nào?") is cut in two (:mod:`.mixed`) and each part read through the steps on its own:
the report is the result, the question rides along (``Interpretation.question``).

A figure and a status that disagree are asked about (:mod:`.choices`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from bot.checks import required
from bot.language.abbreviations import expand
from bot.language.normalize import fold, nfc, plain
from bot.language.numbers import Quantity, find_quantities, find_task_codes, find_unreadable
from bot.language.periods import (
    Period,
    PeriodKind,
    PeriodMention,
    find_invalid_periods,
    find_periods,
    latest_day,
    reporting_period,
)
from bot.language.statuses import Status, find_statuses
from bot.matching import Decision
from bot.understanding.choices import status_choices
from bot.understanding.counted import alike, counted
from bot.understanding.indicators import (
    IndicatorMatch,
    Phrase,
    indicator_item,
    match_indicator,
    names_enough,
    phrase_after,
    phrase_before,
    query_indicator,
    unit_word_start,
)
from bot.understanding.intent import (
    correction_prefix,
    is_help,
    is_undo,
    question_kind,
    question_spans,
)
from bot.understanding.mixed import split_question, words_after_codes
from bot.understanding.model import (
    Context,
    IndicatorItem,
    Intent,
    Interpretation,
    Problem,
    ProblemCode,
    TaskItem,
    TaskRef,
    UnitDecision,
    UnitPick,
)
from bot.understanding.prepare import Prepared, prepare
from bot.understanding.statuses import assign_statuses, number_groups, status_notes
from bot.understanding.tasks import (
    bare_numbers,
    code_mentions,
    code_ranges,
    codes_to_undo,
    content_key,
    content_match,
    content_phrases,
    every_task_mention,
    looks_like_task,
    mark_excluded,
    report_tasks,
    resolve_code,
)
from bot.understanding.text import (
    HUNDRED,
    WORD,
    Events,
    TaskMention,
    Text,
    Total,
    clause_start,
    combined_ratios,
    received_parts,
    separators,
    with_bare_not_yet,
    without_denied,
    without_item_numbers,
)
from bot.understanding.units import find_unit

__all__ = ["interpret"]

# Words saying when something will be, before a period: "dự kiến xong cuối tháng 12", "sẽ
# hoàn thành trong quý 1", "phấn đấu xong trước tháng 12", "hạn tháng 12": that period is
# no reporting period (read so, a report of November was refused as outside the plan).
# "đến tháng 10" is one ("số liệu đến hết tháng 10").
_EXPECTED = re.compile(
    r"(?<!\w)(?:du kien|se|phan dau|han|truoc|cham nhat|muon nhat)"
    r"(?:\s+[^\W\d_]+){0,3}\s*(?:vao\s+)?(?:trong\s+|cuoi\s+|dau\s+|giua\s+)?\Z"
)

# Between "done" and the day it was done: "xong ngày 28/11", "hoàn thành vào ngày 3/12",
# "xong từ hôm 15/11", "hoàn thành: 28/11/2026" (after a comma, another clause's day).
_DONE_ON = re.compile(r"[\s:(\-–]*(?:(?:vao|tu|hom|hoi|luc|ngay)(?!\w)[\s:]*)*")
_BARE_DAY = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?(?![\d/])")

# Words before a percentage saying it is a change, not a level: "tăng 5%", "giảm thêm
# 3%", "cao hơn 10%", "thấp hơn chỉ tiêu 10%" ("tăng lên 82%" is the level reached, "hơn
# 80%" and "vượt 80%" a level passed).
_CHANGE = re.compile(
    r"(?<!\w)(?:tang|giam|(?:cao|thap) hon|chenh lech)"
    r"(?:\s+(?:them|chi tieu|so voi|khoang|gan|duoc))*\s*\Z"
)

# Between a ratio and a percentage that only restates it: "85/100 (85%)", "85/100 = 85%".
_RESTATED = re.compile(r"[\s(\[=~:,\-–]*(?:(?:dat|tuc|tuong ung|la|bang|dat ty le)\s*[:=]?\s*)?")


def interpret(text: str, context: Context) -> Interpretation:
    """Read one message against the deployment's units and the active plan.

    A message whose clauses report and ask (:func:`.mixed.split_question`) is read as
    its report, with its question beside it (``question``), when the one part reports
    (a status, a figure, or a problem with them) and the other reads as a question;
    otherwise the whole message is read as one."""
    if not isinstance(text, str):
        text = ""
    split = split_question(text) if context.may_report else None
    if split is not None:
        report = _interpret(split.report, context)
        question = _interpret(split.question, context)
        if _reports(report, split.report) and _asks(question):
            report.text = text
            question.text = " ".join(split.question.split())
            question.bare_question = False
            report.question = question
            return report
    return _interpret(text, context)


def _reports(result: Interpretation, text: str) -> bool:
    """Whether a part of a message reports: a status or a figure, or a code with words
    of its own that say no status ("3.1 ok": the reply asks for one); a task code alone
    ("nv 1.1, nv 1.2 thế nào?") is what the question is about."""
    if result.intent not in (Intent.REPORT, Intent.CORRECTION):
        return False
    said = any(t.status is not None or t.percent is not None for t in result.tasks)
    unclear = any(p.code is ProblemCode.STATUS_UNCLEAR for p in result.problems)
    tried = bool(result.tasks) and words_after_codes(text)
    return said or unclear or tried or bool(result.indicators)


def _asks(result: Interpretation) -> bool:
    """Whether a part of a message is a question about something: question or summary
    words, or a task, an indicator or a unit it names ("còn nv 3.2?"); a bare "?" after
    a report ("nv 3.1 xong, ok chưa ạ?", "đúng không?") asks nothing to answer."""
    if result.intent is not Intent.QUERY:
        return False
    named = result.unit is not None and result.unit.decision is UnitDecision.MATCH
    if named or any(t.task_ids for t in result.tasks) or result.indicators:
        return True
    return bool(question_spans(plain(nfc(result.text))))


def _interpret(text: str, context: Context) -> Interpretation:
    prep = prepare(context)
    source = Text(text)
    folded = fold(source.t)
    if not folded:
        return Interpretation(text=text, intent=Intent.OTHER)
    if is_undo(folded):
        return Interpretation(text=text, intent=Intent.UNDO)
    undo_codes = codes_to_undo(source.t, folded)
    if undo_codes:
        # "hủy nv 2.1": take back what was reported on those tasks.
        result = Interpretation(text=text, intent=Intent.UNDO)
        written = [TaskMention(code.text, code.span, code.code) for code in undo_codes]
        for code in code_ranges(prep, source.p, written, None):  # "hủy nv 3 đến 7"
            ids, problem = resolve_code(prep, required(code.code, "code"), None)
            result.tasks.append(TaskItem(written=code.written, task_ids=ids))
            if problem is not None:
                result.problems.append(problem)
        return result

    correction = False
    prefix = correction_prefix(source.p)
    if prefix is not None:
        end, explicit = prefix
        rest = source.t[end:]
        if explicit or find_task_codes(rest) or find_quantities(rest):
            correction = True
            source.mask(0, end)

    unit, problems = find_unit(source, prep, context)
    unit_id = unit.unit.id if unit.unit is not None else None
    if not correction and unit.span is not None and not source.p[: unit.span[0]].strip(" -–•*"):
        # the unit first, then "sửa:" ("Xã Yên Minh: sửa: nv 4.2 đang làm 50%")
        after = len(source.p) - len(source.p[unit.span[1] :].lstrip(" :-–"))
        prefix = correction_prefix(source.p[after:])
        if prefix is not None:
            end, explicit = prefix
            rest = source.t[after + end :]
            if explicit or find_task_codes(rest) or find_quantities(rest):
                correction = True
                source.mask(after, after + end)

    # Period.
    period = None
    period_written = None
    named: dict[Period, str] = {}  # every period written (not a day), as first written
    days: list[PeriodMention] = []  # the days written ("hoàn thành ngày 28/11")
    for mention in find_periods(source.masked, context.today):
        if _EXPECTED.search(plain(source.masked[max(0, mention.span[0] - 30) : mention.span[0]])):
            source.mask(*mention.span)  # "dự kiến xong cuối tháng 12": when, not the period
            continue
        if mention.period.kind is PeriodKind.DAY:
            days.append(mention)
        else:
            named.setdefault(mention.period, mention.text)
            if period is None:
                period, period_written = mention.period, mention.text
        source.mask(*mention.span)
    invalid_periods = []  # "quý 5", "ngày 31/2": refused when the message reports
    for span, phrase in find_invalid_periods(source.masked, context.today):
        invalid_periods.append(phrase)
        source.mask(*span)
    if period is None:
        period = reporting_period(context.today, PeriodKind.MONTH, context.cutoff_day)

    masked = source.masked
    p = plain(masked)
    codes = code_mentions(prep, masked)
    statuses = with_bare_not_yet(masked, p, find_statuses(masked))
    quantities, part_of = combined_ratios(source.t, p, find_quantities(masked))
    quantities = without_denied(p, quantities)
    quantities, totals, received, parts = received_parts(
        source.t,
        p,
        quantities,
        lambda q, left, total: _names_part(prep, source, p, q, left, total),
    )
    part_of.update(parts)
    hard, soft = separators(p)
    numbered, quantities = bare_numbers(prep, masked, p, statuses, quantities, hard)
    if numbered:
        codes = sorted([*codes, *numbered], key=lambda c: c.span)
    codes = code_ranges(prep, p, codes, unit_id)
    quantities = without_item_numbers(p, quantities)
    events = Events(
        codes, statuses, quantities, hard, soft, totals=totals, received=received, part_of=part_of
    )
    # Figures that are not numbers where an indicator's name says one goes ("so hoa
    # 8o/100"): what was read of them as numbers ("100") is not a figure of its own.
    unreadable = _unreadable_figures(prep, source, events, p)
    if unreadable:
        quantities = [
            q for q in quantities if not any(_overlaps(q.span, u.span) for u in unreadable)
        ]
        events.quantities = quantities

    result = Interpretation(text=text, intent=Intent.OTHER, unit=unit)
    result.period, result.period_written = period, period_written

    if not correction and not (codes or quantities or statuses) and is_help(folded):
        result.intent = Intent.HELP
        result.problems = problems
        return result
    asking_t, asking_p = _without_reasons(source, events)
    if not correction and question_kind(
        asking_t, asking_p, has_status=bool(statuses), has_figure=bool(quantities or unreadable)
    ):
        result.intent = Intent.QUERY
        _read_query(prep, source, events, unit_id, result, problems)
        return result
    if context.oversees and not correction and not statuses and not quantities and not unreadable:
        asked = Interpretation(text=text, intent=Intent.QUERY, unit=unit, bare_question=True)
        asked.period, asked.period_written = period, period_written
        _read_query(prep, source.copy(), events, unit_id, asked, list(problems))
        named_unit = unit.decision is UnitDecision.MATCH
        if asked.indicators or named_unit or any(t.task_ids for t in asked.tasks):
            return asked
        if period_written is not None and not WORD.search(p):
            return asked  # a period alone: "6 tháng đầu năm", "quý 3"

    arising = _not_arising(prep, source, events, p)
    mark_excluded(events, p)
    every = every_task_mention(events, source, p)
    events.every = every.span if every is not None else None
    if not codes and events.statuses and every is None:
        events.codes = content_phrases(events, source, p)
    assign_statuses(events, masked)
    number_groups(events)

    task_quantities, indicator_items, indicator_problems, unused = _read_quantities(
        prep, source, events, p, unreadable
    )
    if arising:
        indicator_items = sorted([*indicator_items, *arising], key=lambda i: _position(source, i))
    indicator_problems += _repeated_figures(indicator_items)
    done_on = _done_days(events, days, p, context.today, every)
    tasks, task_problems = _read_tasks(
        prep, source, events, task_quantities, unit, unit_id, done_on, context, every
    )

    if every is not None and not _known(unit):
        problems = _unit_for_every(unit, problems)
    if tasks or indicator_items:
        problems += _period_problems(invalid_periods, period, period_written, context)
    if indicator_items and len(named) > 1:
        # the figures' periods are not told apart: none is stored for the first's
        problems.append(Problem(ProblemCode.SEVERAL_PERIODS, ", ".join(named.values())))
    result.tasks = tasks
    result.indicators = indicator_items
    result.unused = unused
    result.problems = problems + task_problems + indicator_problems
    changes = any(p.code is ProblemCode.CHANGE_NOT_FIGURE for p in indicator_problems)
    if correction:
        result.intent = Intent.CORRECTION
    elif tasks or indicator_items or changes or every:
        # (a change alone: a figure to refuse; every task of a unit not told: to name it)
        result.intent = Intent.REPORT
    return result


def _without_reasons(source: Text, events: Events) -> tuple[str, str]:
    """The text (typed and plain) with the reason after each status blanked out: the words
    of a reason ("chậm do chưa biết làm thế nào") never make the message a question."""
    notes = status_notes(events, source)
    if not notes:
        return source.t, source.p
    chars = list(source.t)
    for index, note in notes.items():
        at = source.t.find(note, events.statuses[index].span[1])
        if at >= 0:
            chars[at : at + len(note)] = " " * len(note)
    typed = "".join(chars)
    return typed, plain(typed)


def _period_problems(
    invalid: list[str], period: Period, written: str | None, context: Context
) -> list[Problem]:
    """What is wrong with the period a report is for: a phrase that names no period
    ("quý 5", "ngày 31/2"), a period not begun, or one outside the plan's year and the
    open reporting window ("tháng 5/2016" against the 2026 plan)."""
    problems = [Problem(ProblemCode.INVALID_PERIOD, phrase) for phrase in invalid]
    if written is None:
        return problems
    if period.start > context.today:
        problems.append(Problem(ProblemCode.FUTURE_PERIOD, written))
        return problems
    year = context.plan_year or context.today.year
    now = reporting_period(context.today, PeriodKind.MONTH, context.cutoff_day)
    in_plan = period.end >= date(year, 1, 1) and period.start <= date(year, 12, 31)
    if not in_plan and not (now.start <= period.start and period.end <= now.end):
        problems.append(Problem(ProblemCode.PERIOD_OUTSIDE_PLAN, written, value=str(year)))
    return problems


def _read_query(
    prep: Prepared,
    source: Text,
    events: Events,
    unit_id: int | None,
    result: Interpretation,
    problems: list[Problem],
) -> None:
    """A question: the unit, the period, the tasks and the indicator it is about."""
    for item in events.codes:
        code = required(item.code, "the code of a task a question names")
        ids, problem = resolve_code(prep, code, unit_id)
        result.tasks.append(TaskItem(written=item.written, task_ids=ids))
        if problem is not None:
            problems.append(problem)
    for start, end in question_spans(source.p):
        source.mask(start, end)
    for mention in [*events.statuses, *events.codes]:
        source.mask(*mention.span)
    for q in events.quantities:
        source.mask(*q.span)
    found = query_indicator(prep, source, plain(source.masked))
    if found is not None:
        phrase, match = found
        result.indicators.append(IndicatorItem(written=phrase.written, indicator_ids=match.ids))
    result.problems = problems


class _Bounds:
    """Where the words naming a figure may start and end: the events around it."""

    def __init__(self, events: Events, figures: list[tuple[int, int]]) -> None:
        self.bounds: list[tuple[int, str]] = sorted(
            [(c.span[1], "code") for c in events.codes if c.code is not None]
            + [(s.span[1], "status") for s in events.statuses]
            + [(h + 1, "separator") for h in events.hard]
            + [(q.span[1], "quantity") for q in events.quantities]
            + [(span[1], "quantity") for span in [*figures, *events.totals]]
        )
        self.ends = [b[0] for b in self.bounds]
        self.figure_starts = {q.span[0] for q in events.quantities} | {f[0] for f in figures}
        self.starts_after = sorted(
            [c.span[0] for c in events.codes if c.code is not None]
            + [s.span[0] for s in events.statuses]
            + [q.span[0] for q in events.quantities]
            + [span[0] for span in figures]
            + events.hard
            + [s for s in events.soft if s not in events.hard]
        )

    def left(self, start: int, floor: int) -> tuple[int, str]:
        """The event a figure at ``start`` reads its words back to, and its kind."""
        k = bisect.bisect_right(self.ends, start) - 1
        left, left_kind = (self.bounds[k][0], self.bounds[k][1]) if k >= 0 else (0, "start")
        if floor > left:
            left, left_kind = floor, "quantity"
        return left, left_kind

    def right(self, end: int, length: int) -> int:
        """Where the words after a figure ending at ``end`` stop."""
        j = bisect.bisect_left(self.starts_after, end)
        return self.starts_after[j] if j < len(self.starts_after) else length


def _naming(
    prep: Prepared, source: Text, p: str, bounds: _Bounds, q: Quantity, left: int
) -> tuple[Phrase | None, IndicatorMatch | None, bool]:
    """The words naming the figure ``q`` (before it, else after it), the indicators they
    name, and whether they were read after it."""
    start, end = q.span
    phrase = phrase_before(prep, source, p, left, start)
    match = match_indicator(prep, phrase.key) if names_enough(prep, phrase) else None
    if match is not None and match.decision is not Decision.MATCH and q.kind == "ratio":
        match = _with_noun(prep, required(phrase, "a phrase"), q) or match
    after = False
    if match is None or match.decision is not Decision.MATCH or not match.strong:
        right = bounds.right(end, len(p))
        following = phrase_after(prep, source, p, unit_word_start(p, q), right)
        # "số hóa 90% thanh toán trực tuyến 85%": the words running up to the next figure
        # name that one, not this one named (weakly) before it
        next_ones = right in bounds.figure_starts and match is not None and bool(match.ids)
        if following is not None and names_enough(prep, following) and not next_ones:
            found = match_indicator(prep, following.key)
            better = found.decision is Decision.MATCH and (
                match is None or match.decision is not Decision.MATCH or found.strong
            )
            if better or (phrase is None and found.ids):
                phrase, match, after = following, found, True
    return phrase, match, after


@dataclass
class _Unreadable:
    """A figure that is not a number, where an indicator's name says one goes."""

    span: tuple[int, int]
    item: IndicatorItem
    problem: Problem


def _unreadable_figures(prep: Prepared, source: Text, events: Events, p: str) -> list[_Unreadable]:
    """The figures that are not numbers ("8o/100", "8x%", "tám mươi phần trăm") written
    where the words before them (or after them) name one indicator: each makes an item
    with no value and a problem that quotes it, with the reading of its letters typed
    for digits when that makes a figure the indicator can take ("80/100")."""
    candidates = [
        u
        for u in find_unreadable(source.masked)
        if not any(_overlaps(u.span, s.span) for s in events.statuses)
        and not any(_overlaps(u.span, c.span) for c in events.codes if c.code is not None)
    ]
    if not candidates:
        return []
    bounds = _Bounds(events, [u.span for u in candidates])
    found: list[_Unreadable] = []
    for u in candidates:
        left, left_kind = bounds.left(u.span[0], 0)
        figure = u.reading or Quantity("count", None, None, None, None, u.span, u.text)
        phrase, match, after = _naming(prep, source, p, bounds, figure, left)
        # One indicator named: a phrase that could be several says too little to tell
        # the sender it was recognised.
        named = match is not None and match.decision is Decision.MATCH and len(match.ids) == 1
        if phrase is None or not phrase.known or not named or (left_kind == "code" and not after):
            continue
        match = required(match, "the indicators a phrase names")
        item, problems = indicator_item(prep, figure, phrase, match)
        reading = None
        if u.reading is not None and not any(x.code in _VALUE_PROBLEMS for x in problems):
            reading = u.reading.text
        item.value = item.numerator = item.denominator = None
        item.quantity = u.text
        problem = Problem(
            ProblemCode.UNREADABLE_FIGURE,
            phrase.written,
            match.names,
            value=u.text,
            reading=reading,
        )
        found.append(_Unreadable(u.span, item, problem))
    return found


_VALUE_PROBLEMS = frozenset(
    {
        ProblemCode.VALUE_OUT_OF_RANGE,
        ProblemCode.NUMERATOR_EXCEEDS_DENOMINATOR,
        ProblemCode.COUNT_FOR_PERCENT,
    }
)


def _not_arising(prep: Prepared, source: Text, events: Events, p: str) -> list[IndicatorItem]:
    """Indicators said to have had nothing arise ("thanh toán trực tuyến: không phát sinh",
    "không phát sinh hồ sơ trực tuyến"): a "không phát sinh" with no task code before it in
    its clause, whose words before it (else after it) name one indicator. Each makes an
    item with no figure, and its status mention is taken out of the events (it is no
    task's status: the words are no task's content)."""
    found: list[IndicatorItem] = []
    codes = [c for c in events.codes if c.code is not None]
    bounds = _Bounds(events, [])
    for mention in list(events.statuses):
        if mention.status is not Status.NOT_APPLICABLE:
            continue
        start, end = mention.span
        clause = clause_start(events.soft, start)
        if any(clause <= c.span[0] < start for c in codes):
            continue  # "nv 2.1 không phát sinh": the task's
        left = max(clause, bounds.left(start, 0)[0])
        phrase = phrase_before(prep, source, p, left, start)
        zero = _zero_before(events, p, start)
        if zero is not None and not names_enough(prep, phrase):
            # "hồ sơ trực tuyến: 0 (không phát sinh)": the zero is that, not a figure
            at = zero.span[0]
            left = max(clause_start(events.soft, at), bounds.left(at, 0)[0])
            phrase = phrase_before(prep, source, p, left, at)
        else:
            zero = None
        if not names_enough(prep, phrase):
            # "không phát sinh hồ sơ trực tuyến": the noun the status ends with, read on
            noun = re.search(r"(?:ho\s*so|hs)\Z", p[start:end])
            after = start + noun.start() if noun else end
            phrase = phrase_after(prep, source, p, after, bounds.right(end, len(p)))
        if phrase is None or not names_enough(prep, phrase):
            continue
        match = match_indicator(prep, phrase.key)
        if match.decision is not Decision.MATCH or len(match.ids) != 1:
            continue
        found.append(
            IndicatorItem(
                written=phrase.written,
                indicator_ids=match.ids,
                quantity=mention.text,
                not_arising=True,
            )
        )
        events.statuses.remove(mention)
        if zero is not None:
            events.quantities.remove(zero)
    return found


# Between a zero and the "không phát sinh" that says what it means: "0 (không phát sinh)",
# "0 - không phát sinh", "0, không phát sinh"
_ZERO_GLOSS = re.compile(r"[\s(\[:,\-–]*\Z")


def _zero_before(events: Events, p: str, start: int) -> Quantity | None:
    """The figure zero right before a "không phát sinh" at ``start`` (only brackets and
    punctuation between), if any."""
    for q in events.quantities:
        zero = q.value == 0 or (q.numerator == 0 and q.denominator in (0, None))
        if zero and q.span[1] <= start and _ZERO_GLOSS.match(p, q.span[1], start):
            return q
    return None


def _position(source: Text, item: IndicatorItem) -> int:
    """Where an indicator item's words are in the message (to keep items in its order)."""
    at = source.t.find(item.written) if item.written else -1
    return at if at >= 0 else len(source.t)


def _with_noun(prep: Prepared, phrase: Phrase, q: Quantity) -> IndicatorMatch | None:
    """The one indicator the words before a ratio name with its noun after them
    ("trực tuyến 150/200 hồ sơ": hồ sơ trực tuyến, not thanh toán trực tuyến), if any."""
    if not q.unit_word:
        return None
    match = match_indicator(prep, f"{expand(q.unit_word)} {phrase.key}")
    return match if match.decision is Decision.MATCH and len(match.ids) == 1 else None


def _names_part(prep: Prepared, source: Text, p: str, q: Quantity, left: int, total: Total) -> bool:
    """Whether the words before the count ``q`` (from ``left``) name one of the plan's
    indicators, alone, after the noun of the ``total`` it is part of ("trực tuyến 150"
    after "200 hồ sơ": hồ sơ trực tuyến), or as the one of those they name that counts
    what the total counts ("trực tuyến 33" after "40 giao dịch": payments). Words several
    names share ("giải quyết") name none: that count stays no figure."""
    phrase = phrase_before(prep, source, p, left, q.span[0])
    if phrase is None or not names_enough(prep, phrase):
        return False
    match = match_indicator(prep, phrase.key)
    if match.decision is Decision.MATCH and len(match.ids) == 1:
        return True
    noun = q.unit_word or total.quantity.unit_word
    if _with_noun(prep, phrase, replace(q, unit_word=noun)) is not None:
        return True
    of_total = _of_total(prep, match, total) if match.ids else None
    return of_total is not None and len(of_total.ids) == 1


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _read_quantities(
    prep: Prepared,
    source: Text,
    events: Events,
    p: str,
    unreadable: list[_Unreadable] | None = None,
) -> tuple[dict[int, Quantity], list[IndicatorItem], list[Problem], list[str]]:
    """Split the quantities into task percents (by group) and indicator figures; the
    figures that are not numbers (``unreadable``) take their place among them. Last, the
    counts named with indicator words that name no one indicator, as written."""
    pending = list(unreadable or [])
    bounds = _Bounds(events, [u.span for u in pending])
    task_percent: dict[int, Quantity] = {}
    items: list[IndicatorItem] = []
    problems: list[Problem] = []
    unused: list[str] = []
    floor = 0  # the end of the last phrase read after its quantity
    real_codes = [c for c in events.codes if c.code is not None]
    previous: Quantity | None = None
    for q in events.quantities:
        start, end = q.span
        while pending and pending[0].span[0] < start:
            bad = pending.pop(0)
            items.append(bad.item)
            problems.append(bad.problem)
        restated = (
            previous is not None
            and previous.kind == "ratio"
            and q.kind == "percent"
            and _RESTATED.fullmatch(p, previous.span[1], start) is not None
        )
        restating = (
            previous is not None
            and previous.kind == "percent"
            and q.kind == "ratio"
            and items
            and items[-1].quantity == previous.text
            and items[-1].numerator is None
            and q.value is not None
            and previous.value is not None
            and abs(q.value - previous.value) <= 1
            and _RESTATED.fullmatch(p, previous.span[1], start) is not None
        )
        previous = q
        if restated:
            continue  # "1.250/1.300 hồ sơ (96,15%)": the same figure again
        if restating:
            items[-1].numerator, items[-1].denominator = q.numerator, q.denominator
            continue  # "100% (50/50 hồ sơ)": the counts behind the figure
        in_status = any(s.span[0] <= start and end <= s.span[1] for s in events.statuses)
        if in_status and q.kind == "count":
            continue  # "hoàn thành 1 phần": a word of the status, no figure
        left, left_kind = bounds.left(start, floor)
        if q.kind == "percent" and _CHANGE.search(p, max(left, start - 24), start):
            # "số hóa tăng 5% so với tháng trước": how much it moved, not where it stands
            written = " ".join(source.t[max(left, start - 40) : end].split()).strip(" ,;:-")
            problems.append(Problem(ProblemCode.CHANGE_NOT_FIGURE, written, value=q.text))
            continue
        phrase = match = None
        after = False
        if not in_status:
            phrase, match, after = _naming(prep, source, p, bounds, q, left)
        named = match is not None and match.decision is not Decision.NONE and bool(match.ids)
        group = _group_for(events, real_codes, q)
        after_code = left_kind == "code" and not after
        unnamed = phrase is None or not phrase.known or not named
        takes_task = group is not None and (
            in_status
            or (q.kind == "percent" and (unnamed or after_code))
            or (q.kind == "ratio" and unnamed)
        )
        if takes_task:
            task_percent.setdefault(group, q)
            continue
        if in_status:
            continue  # "hoàn thành 100%" with no task: nothing to report
        if after and phrase is not None:
            floor = phrase.span[1]
        total = events.part_of.get(start)
        if total is not None and match is not None and match.ids and phrase is not None:
            of_total = _of_total(prep, match, total)
            if of_total is None and counted(phrase.key) is None:
                # "tiếp nhận 140 hồ sơ, …, đúng hạn 138": words that say nothing of what
                # they count are of the total's things, and no indicator of those
                unused.append(_as_written(source, phrase, q))
                continue
            if of_total is None:  # "tiếp nhận 120 hồ sơ, thanh toán trực tuyến 90"
                items.append(IndicatorItem(phrase.written, match.ids[:1], quantity=q.text))
                counts = prep.indicator_counts.get(match.ids[0])
                problems.append(_not_of_total(source, phrase, q, total, counts))
                continue
            match = of_total
        if q.kind == "count" and (
            unnamed
            or match is None
            or match.decision is not Decision.MATCH
            or (group is not None and after_code)
        ):
            # "gửi 2 ảnh", "nv 40 đã tổ chức 2 buổi": a number that names nothing; "đúng
            # hạn 118" names indicator words but no one indicator: said to be left out
            if group is None and match is not None and match.ids and start not in events.received:
                unused.append(_as_written(source, required(phrase, "a phrase"), q))
            continue
        if start in events.received and _percentages(prep, match):
            continue  # "tiếp nhận 120 hồ sơ" alone: how many came in, no percentage
        item, item_problems = indicator_item(prep, q, phrase, match)
        items.append(item)
        problems.extend(item_problems)
    for bad in pending:
        items.append(bad.item)
        problems.append(bad.problem)
    return task_percent, items, problems, unused


def _as_written(source: Text, phrase: Phrase, q: Quantity) -> str:
    """A figure with the words naming it, as the sender wrote them ("đúng hạn 118")."""
    start, end = min(phrase.span[0], q.span[0]), max(phrase.span[1], q.span[1])
    return " ".join(source.t[start:end].split())


def _of_total(prep: Prepared, match: IndicatorMatch, total: Total) -> IndicatorMatch | None:
    """The indicators of ``match`` counting what ``total`` counts (:mod:`.counted`): all
    of them when it says nothing of what it counts; None when none does."""
    kept = [
        (i, name)
        for i, name in zip(match.ids, match.names, strict=True)
        if alike(prep.indicator_counts.get(i), total.counts)
    ]
    if len(kept) == len(match.ids):
        return match
    if not kept:
        return None
    ids, names = tuple(i for i, _n in kept), tuple(n for _i, n in kept)
    decision = Decision.MATCH if len(ids) == 1 else match.decision
    return replace(match, decision=decision, ids=ids, names=names)


def _not_of_total(
    source: Text, phrase: Phrase, q: Quantity, total: Total, counts: str | None
) -> Problem:
    """ "“thanh toán trực tuyến 90” is counted over payments, not over “tiếp nhận 120 hồ
    sơ”" (``counts``: what the indicator counts, :mod:`.counted`)."""
    count = f"{required(q.numerator, 'part').normalize():f}"
    words = " ".join(source.t[slice(*total.words)].split())
    return Problem(ProblemCode.NOT_OF_TOTAL, phrase.written, (words, counts or ""), value=count)


def _percentages(prep: Prepared, match: IndicatorMatch | None) -> bool:
    """Whether the indicators matched are all percentages."""
    ids = match.ids if match is not None else ()
    return bool(ids) and all(prep.indicator_by_id[i].measure == "%" for i in ids)


def _group_for(events: Events, codes: list[TaskMention], q: Quantity) -> int | None:
    """The group of codes a quantity belongs to: the nearest code in its clause."""
    if not codes:
        return None
    clause = events.hard_of(q.span[0])
    before = [c for c in codes if c.span[1] <= q.span[0] and events.hard_of(c.span[0]) == clause]
    if before:
        return before[-1].group
    after = [c for c in codes if c.span[0] >= q.span[1] and events.hard_of(c.span[0]) == clause]
    return after[0].group if after else None


def _done_days(
    events: Events, days: list[PeriodMention], p: str, today: date, every: TaskMention | None
) -> dict[int, date]:
    """The day each "done" was written with ("xong ngày 28/11", "xong hôm qua", "xong
    28/11": a day and month the numbers took for a date, not a ratio): by the status
    mention's index, the day right after it (or after the words of ``every`` task it is
    said of: "xong hết các nhiệm vụ ngày 28/11")."""
    found: dict[int, date] = {}
    for index, mention in enumerate(events.statuses):
        if mention.status is not Status.DONE:
            continue
        end = mention.span[1]
        if every is not None and every.status == index:
            end = max(end, every.span[1])
        written = next(
            (d for d in days if d.span[0] >= end and _DONE_ON.fullmatch(p, end, d.span[0])),
            None,
        )
        if written is not None:
            found[index] = written.period.start
            continue
        gap = _DONE_ON.match(p, end)  # matches, if only the empty string
        bare = _BARE_DAY.match(p, gap.end()) if gap is not None else None
        if bare is None or any(_overlaps(q.span, bare.span()) for q in events.quantities):
            continue  # none, or a ratio ("xong 10/12": asked as a percent)
        day, month, year = int(bare[1]), int(bare[2]), bare[3]
        try:
            on = date(int(year), month, day) if year else latest_day(day, month, today)
        except ValueError:
            on = None
        if on is not None:
            found[index] = on
    return found


def _read_tasks(
    prep: Prepared,
    source: Text,
    events: Events,
    percents: dict[int, Quantity],
    unit: UnitPick,
    unit_id: int | None,
    done_days: dict[int, date],
    context: Context,
    every: TaskMention | None = None,
) -> tuple[list[TaskItem], list[Problem]]:
    notes = status_notes(events, source)
    items: list[TaskItem] = []
    problems: list[Problem] = []
    by_code: dict[str, TaskItem] = {}
    known_unit = _known(unit)
    left_out: set[int] = set()  # "trừ nv 2.1": not every task's
    for mention in events.codes:
        status = events.statuses[mention.status].status if mention.status is not None else None
        note = notes.get(mention.status) if mention.status is not None else None
        if mention.excluded and status is None and mention.code is not None:
            ids, problem = resolve_code(prep, mention.code, unit_id)
            left_out.update(ids)  # (a code naming several: all of them left out)
            if problem is not None and problem.code is ProblemCode.UNKNOWN_TASK:
                problems.append(problem)  # "trừ nv 9.9": no such task, said
            continue
        percent = None
        q = percents.get(mention.group)
        item_problems: list[Problem] = []
        if q is not None and q.value is not None:
            if q.value < 0 or q.value > HUNDRED:
                subject = mention.code or mention.written
                item_problems.append(Problem(ProblemCode.VALUE_OUT_OF_RANGE, subject, value=q.text))
            else:
                percent = _round_percent(q.value)
        unclear = status_choices(status, percent)
        if unclear:
            item_problems.append(
                Problem(
                    ProblemCode.STATUS_UNCLEAR,
                    mention.written,
                    unclear,
                    q.text if q is not None else None,
                )
            )
        elif status is None and percent is not None:
            status = Status.NOT_STARTED if percent == 0 else Status.IN_PROGRESS
        done_on = done_days.get(mention.status) if mention.status is not None else None
        refused = _done_date_problem(done_on, mention.code or mention.written, context)
        if refused is not None:
            item_problems.append(refused)
        if mention.code is not None:
            previous = by_code.get(mention.code)
            if previous is not None:
                if _differs(previous.status, status) or _differs(previous.percent, percent):
                    problems.append(Problem(ProblemCode.REPEATED_ITEM, mention.written))
                previous.status = status or previous.status
                previous.percent = percent if percent is not None else previous.percent
                previous.note = note or previous.note
                previous.done_on = done_on or previous.done_on
                problems.extend(item_problems)
                continue
            ids, problem = resolve_code(prep, mention.code, unit_id)
            item = TaskItem(mention.written, ids, status, percent, note, done_on=done_on)
            by_code[mention.code] = item
            if problem is not None:
                item_problems.insert(0, problem)
            elif known_unit and len(ids) == 1:
                task: TaskRef = prep.by_id[ids[0]]
                if task.unit_ids and unit_id not in task.unit_ids:
                    item_problems.insert(0, Problem(ProblemCode.TASK_NOT_ASSIGNED, task.code))
        else:
            if mention.report:  # "đã gửi báo cáo quý 4": the unit's periodic report
                ids, labels = report_tasks(prep, unit_id)
                many = len(ids) > 1
                decision = Decision.ASK if many else Decision.MATCH if ids else Decision.NONE
            else:
                key = content_key(mention.written)
                ids, labels, decision = content_match(prep, key, unit_id)
                if decision is Decision.NONE and unit_id is not None:
                    ids, labels, decision = content_match(prep, key, None)
                if decision is Decision.NONE and not looks_like_task(prep, key):
                    continue
            item = TaskItem(
                mention.written, ids, status, percent, note, by_content=True, done_on=done_on
            )
            if decision is Decision.MATCH:
                item_problems.insert(
                    0, Problem(ProblemCode.NEEDS_CONFIRMATION, mention.written, labels)
                )
                task = prep.by_id[ids[0]]
                if known_unit and task.unit_ids and unit_id not in task.unit_ids:
                    item_problems.append(Problem(ProblemCode.TASK_NOT_ASSIGNED, task.code))
            elif decision is Decision.ASK:
                item_problems.insert(
                    0, Problem(ProblemCode.AMBIGUOUS_TASK, mention.written, labels)
                )
            else:
                item_problems.insert(0, Problem(ProblemCode.UNKNOWN_TASK, mention.written, labels))
        items.append(item)
        problems.extend(item_problems)
    if every is not None and known_unit:
        left_out.update(i for item in items for i in item.task_ids)
        every_items, every_problems = _every_task(
            prep, events, every, unit_id, left_out, notes, done_days, context
        )
        items += every_items
        problems += every_problems
    return items, problems


def _done_date_problem(done_on: date | None, subject: str, context: Context) -> Problem | None:
    """A day a task was said done on that cannot be (not yet come, or before the plan's
    year): the ``DONE_DATE`` problem of ``subject``, else None."""
    if done_on is None or not (
        done_on > context.today
        or (context.plan_year is not None and done_on.year < context.plan_year)
    ):
        return None
    return Problem(ProblemCode.DONE_DATE, subject, value=f"{done_on:%d/%m/%Y}")


def _known(unit: UnitPick) -> bool:
    """Whether the unit a message is about is settled: named, or the sender's."""
    return unit.decision in (UnitDecision.MATCH, UnitDecision.SENDER) and unit.unit is not None


def _unit_for_every(unit: UnitPick, problems: list[Problem]) -> list[Problem]:
    """ "Xong hết các nhiệm vụ" with no unit settled: which tasks it means is not known,
    so the unit is asked for by name, not chosen with a button (nothing to record yet)."""
    kept = [p for p in problems if p.code is not ProblemCode.AMBIGUOUS_UNIT]
    if any(p.code is ProblemCode.UNKNOWN_UNIT for p in kept):
        return kept
    names = tuple(c.name for c in unit.candidates)
    return [*kept, Problem(ProblemCode.UNKNOWN_UNIT, unit.written, names)]


def _every_task(
    prep: Prepared,
    events: Events,
    every: TaskMention,
    unit_id: int | None,
    left_out: set[int],
    notes: dict[int, str],
    done_days: dict[int, date],
    context: Context,
) -> tuple[list[TaskItem], list[Problem]]:
    """ "Đã xong hết các nhiệm vụ": an item for each task of the unit the message names
    not otherwise, with the status said of them all; always confirmed (``EVERY_TASK``,
    the count), or refused when the unit has no other task (``NO_TASK_LEFT``) or the day
    they were done cannot be (``DONE_DATE``)."""
    index = required(every.status, "the status said of every task")
    status = events.statuses[index].status
    tasks = [t for t in prep.unit_tasks(unit_id) if t.id not in left_out] if unit_id else []
    if not tasks:
        return [], [Problem(ProblemCode.NO_TASK_LEFT, every.written)]
    done_on = done_days.get(index) if status is Status.DONE else None
    items = [
        TaskItem(t.code, (t.id,), status, None, notes.get(index), done_on=done_on, every=True)
        for t in tasks
    ]
    problems = [Problem(ProblemCode.EVERY_TASK, every.written, value=str(len(items)))]
    refused = _done_date_problem(done_on, every.written, context)
    return items, problems if refused is None else [*problems, refused]


def _round_percent(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _differs(before: object, after: object) -> bool:
    """Two values said of one item that disagree (an unsaid one agrees with anything)."""
    return before is not None and after is not None and before != after


def _repeated_figures(items: list[IndicatorItem]) -> list[Problem]:
    """An indicator given twice with different figures ("số hóa 80/100 … số hóa 90/100")."""
    problems: list[Problem] = []
    seen: dict[int, IndicatorItem] = {}
    for item in items:
        if len(item.indicator_ids) != 1:
            continue
        before = seen.setdefault(item.indicator_ids[0], item)
        if before is not item and _differs(before.value, item.value):
            value = f"{before.quantity} / {item.quantity}"
            problems.append(Problem(ProblemCode.REPEATED_ITEM, item.written, value=value))
    return problems
