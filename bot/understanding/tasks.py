"""Task mentions: codes as written, bare numbers read as codes, fragments of content,
and the plan's tasks they name.

Owns finding the codes of a message (:func:`code_mentions`: "8.2 (2)", a phone's
"nv 3,1"; :func:`bare_numbers`: "3, 13 hoàn thành"), the codes of an undo ("hủy nv
2.1"), resolving a code to the plan's tasks (:func:`resolve_code`, with the nearest
codes when none has it), and, in a message with no code, the fragments of content
around its statuses matched against the tasks' contents (:func:`content_phrases`,
:func:`content_match`); "xong hết các nhiệm vụ", a status said of every task of the unit
(:func:`every_task_mention`), and the codes a status is said without ("xong hết trừ nv
2.1": :func:`mark_excluded`). Pure.
"""

from __future__ import annotations

import re
from itertools import pairwise, takewhile

from bot.checks import required
from bot.language.abbreviations import expand
from bot.language.normalize import plain
from bot.language.numbers import Quantity, TaskCode, find_task_codes
from bot.language.statuses import Status, StatusMention
from bot.matching import Decision
from bot.understanding.intent import is_undo
from bot.understanding.model import MAX_CANDIDATES, Problem, ProblemCode, TaskRef
from bot.understanding.prepare import Prepared, normalise_code, task_label
from bot.understanding.text import (
    WORD,
    Events,
    TaskMention,
    Text,
    item_numbers,
    word_set,
    word_tokens,
)

__all__ = [
    "bare_numbers",
    "code_mentions",
    "codes_to_undo",
    "content_key",
    "content_match",
    "content_phrases",
    "every_task_mention",
    "looks_like_task",
    "mark_excluded",
    "report_tasks",
    "resolve_code",
]

# Words that carry no meaning in a task fragment ("xong kế hoạch tuyên truyền rồi ạ").
_CONTENT_FILLER = word_set(
    "roi a ak ah da em anh chi nhe nha nhen cua ve nay do va cho voi minh toi ben thi la "
    "duoc dang hien tai giup bot oi vang dc r ok oke ha nhi gui kem hinh xa phuong tuan "
    "thang quy nam xong phan rui hi cac nhung mot cai di luon het tat ca lai"
)
_CONTENT_BIGRAMS = frozenset(
    {"nhiem vu", "bao cao", "cong viec", "noi dung", "cam on", "da xong", "anh chup"}
)
# "bc" is "báo cáo" as phones write it: no more a task's word than the bigram
_CONTENT_ABBREVIATIONS = frozenset({"bc"})
_CONTENT_MIN_WORDS = 2
# "đã gửi số liệu tháng 11: số hóa 90%": the status introduces the figures, no task
_FIGURES_SENT = re.compile(r"\s+(?:(?:cac|day du|du)\s+)?(?:so lieu|chi tieu)(?!\w)")
# A report sent, with no other words of a task: "đã gửi báo cáo quý 4", "báo cáo tháng 11
# đã nộp": the unit's periodic report (a recurring task whose content says "báo cáo").
_REPORT_SENT = re.compile(
    r"(?<!\w)(?:(?:gui|nop|trinh)\s+(?:xong\s+|roi\s+|lai\s+)?(?P<report>bao cao|bc)"
    r"|(?P<r2>bao cao|bc)(?:\s+\S+){0,4}?\s+(?:da\s+)?(?:gui|nop))(?!\w)"
)


_UNDO_HEAD = re.compile(r"/?(?:huy|xoa)(?!\w)")
_UNDO_CODE = re.compile(
    r"(?<!\w)(?:(?:nv|nvu|nhiem vu|muc)\s*)?[0-9a-z]{1,4}(?:\.[0-9a-z]{1,3})+(?!\w)"
    r"|(?<!\w)(?:nv|nvu|nhiem vu|muc)\s*[0-9a-z]{1,4}(?!\w)|(?<!\w)[0-9]{1,3}(?!\w)"
    r"|(?<!\w)(?:va|,|tu|den|toi)(?!\w)"
)
_REPEAT = re.compile(r"\s*\((\d{1,2})\)")


def codes_to_undo(t: str, folded: str) -> list[TaskCode]:
    """The codes of a message that only takes back what was reported on them ("hủy nv
    2.1", "xóa 1.1 và 1.2"), or [] for any other message."""
    codes = find_task_codes(t) if _UNDO_HEAD.match(folded) else []
    if codes and is_undo(" ".join(_UNDO_CODE.sub(" ", folded).split())):
        return codes
    return []


def code_mentions(prep: Prepared, masked: str) -> list[TaskMention]:
    """The task codes of the text as written."""
    return _comma_codes(
        prep, masked, [_code_mention(prep, masked, c) for c in find_task_codes(masked)]
    )


def _code_mention(prep: Prepared, masked: str, code: TaskCode) -> TaskMention:
    """A code as written; "8.2 (2)" when the plan numbers a second 8.2 that way."""
    repeat = _REPEAT.match(masked, code.span[1])
    if repeat is not None:
        numbered = f"{code.code} ({repeat.group(1)})"
        if numbered in prep.by_code:
            span = (code.span[0], repeat.end())
            return TaskMention(masked[span[0] : span[1]], span, numbered)
    return TaskMention(code.text, code.span, code.code)


def _comma_codes(prep: Prepared, masked: str, codes: list[TaskMention]) -> list[TaskMention]:
    """ "nv 3,1": a phone's decimal comma in a code, when 3 and 1 are no tasks but 3.1 is."""
    out: list[TaskMention] = []
    i = 0
    while i < len(codes):
        item = codes[i]
        if i + 1 < len(codes):
            nxt = codes[i + 1]
            joined = f"{item.code}.{nxt.code}"
            if (
                masked[item.span[1] : nxt.span[0]] == ","
                and joined in prep.by_code
                and item.code not in prep.by_code
                and nxt.code not in prep.by_code
            ):
                span = (item.span[0], nxt.span[1])
                out.append(TaskMention(masked[span[0] : span[1]], span, joined))
                i += 2
                continue
        out.append(item)
        i += 1
    return out


# Between the two ends of a range of tasks: "nv 3-7", "1.1 – 1.4", "nv 3 đến nv 7".
_RANGE = re.compile(
    r"\s*(?:[-\u2013\u2014~\u2192]|->|(?<!\w)(?:den|toi)(?!\w))\s*"
    r"(?:(?:nv|nvu|nhiem vu|muc)(?!\w)\s*)?"
)


def code_ranges(
    prep: Prepared, p: str, codes: list[TaskMention], unit_id: int | None
) -> list[TaskMention]:
    """The codes with the tasks a range written between two of them stands for ("nv 3
    đến 7 xong": 4, 5 and 6 too): those of the plan between its ends, in the plan's
    order, numbered at the same depth; of the sender's unit when it is known (the ends
    are read as written, and said when they are not its own). Each stands where the
    range's dash or "đến" does, so it takes the status the ends take."""
    out: list[TaskMention] = []
    for first, last in pairwise(codes):
        out.append(first)
        if first.code is None or last.code is None:
            continue
        if first.span[1] >= last.span[0] or not _RANGE.fullmatch(p, first.span[1], last.span[0]):
            continue
        span = (first.span[1], last.span[0])
        out.extend(
            TaskMention(task.code, span, task.code)
            for task in _between(prep, first.code, last.code, unit_id)
        )
    return out + codes[-1:]


def _between(prep: Prepared, first: str, last: str, unit_id: int | None) -> list[TaskRef]:
    ends = [resolve_code(prep, code, unit_id) for code in (first, last)]
    if any(problem is not None or len(ids) != 1 for ids, problem in ends):
        return []
    order = {task.id: index for index, task in enumerate(prep.tasks)}
    start, end = order[ends[0][0][0]], order[ends[1][0][0]]
    depth = prep.tasks[start].code.count(".")
    if end <= start or prep.tasks[end].code.count(".") != depth:
        return []
    return [
        task
        for task in prep.tasks[start + 1 : end]
        if task.code.count(".") == depth
        and (unit_id is None or not task.unit_ids or unit_id in task.unit_ids)
    ]


# What may stand between the numbers of a list and its status: "3, 13 và 15 xong".
_JOIN = re.compile(r"[\s,&+:\-–]*(?:(?:va|and)(?!\w)[\s,&+:\-–]*)?")


def bare_numbers(
    prep: Prepared,
    masked: str,
    p: str,
    statuses: list[StatusMention],
    quantities: list[Quantity],
    hard: list[int],
) -> tuple[list[TaskMention], list[Quantity]]:
    """Plain numbers written as task codes next to a status: "3, 13 hoàn thành; 15 chậm".

    Plans numbered 1, 2, 3 … are reported without "nv". A bare whole number is read as
    a code when the plan has that code and it is linked to a status mention by nothing
    but list separators ("," "và" ":"), directly or through other such numbers, within
    its clause; any other word in between ("chậm do thiếu 2 cán bộ") keeps it a number.
    A list's item number right before a status ("1. Đã hoàn thành", "2) đang làm") is
    that task's code too: its mark is no separator.
    """
    if not statuses:
        return [], quantities
    codes = {id(q): _bare_code(prep, p[q.span[0] : q.span[1]]) for q in quantities}
    bare = [
        q
        for q in quantities
        if q.kind == "count" and q.unit_word is None and codes[id(q)] is not None
    ]
    if not bare:
        return [], quantities
    # The events of the text in order: numbers ("n") and statuses ("s"); a list item's
    # number ends where its mark does ("1." of "1. Đã hoàn thành").
    marks = item_numbers(p)
    events = sorted(
        [((q.span[0], marks.get(q.span[0], q.span[1])), "n", q) for q in bare]
        + [(m.span, "s", None) for m in statuses]
    )
    linked: set[int] = set()
    # Walk left to right, then right to left: a number joins a status or a linked number.
    for order in (events, list(reversed(events))):
        previous: tuple[tuple[int, int], str, Quantity | None] | None = None
        for event in order:
            span, kind, q = event
            if previous is not None and kind == "n" and q is not None:
                p_span, p_kind, p_q = previous
                a, b = (p_span[1], span[0]) if p_span[0] < span[0] else (span[1], p_span[0])
                clause = not any(a <= h < b for h in hard)
                joined = _JOIN.fullmatch(p, a, b) is not None
                if clause and joined and (p_kind == "s" or (p_q is not None and id(p_q) in linked)):
                    linked.add(id(q))
            previous = event
    if not linked:
        return [], quantities
    items = [
        TaskMention(masked[q.span[0] : q.span[1]], q.span, required(codes[id(q)], "code"))
        for q in bare
        if id(q) in linked
    ]
    return items, [q for q in quantities if id(q) not in linked]


def _bare_code(prep: Prepared, written: str) -> str | None:
    """The plan's code a bare number is written as, if any: a whole number the plan
    numbers a task with ("13"), or a decimal comma a phone puts for its dot ("3,1" for
    task 3.1, when the plan has one)."""
    if re.fullmatch(r"\d{1,3}", written):
        code = str(int(written))
        return code if code in prep.by_code or code in prep.by_written else None
    if re.fullmatch(r"\d{1,2},\d{1,2}", written):
        code = written.replace(",", ".")
        return code if normalise_code(code) in prep.by_code else None
    return None


def resolve_code(
    prep: Prepared, code: str, unit_id: int | None
) -> tuple[tuple[int, ...], Problem | None]:
    """The tasks a code names (one, or several to choose from), and the problem when it
    names none or more than one."""
    exact = prep.by_code.get(code)
    if exact:
        return (exact[0].id,), None
    written = prep.by_written.get(code, [])
    if len(written) == 1:
        return (written[0].id,), None
    if written:
        pool = written
        if unit_id is not None:
            assigned = [t for t in written if unit_id in t.unit_ids]
            if len(assigned) == 1:
                return (assigned[0].id,), None
            pool = assigned or written
        labels = tuple(task_label(t) for t in pool[:MAX_CANDIDATES])
        return tuple(t.id for t in pool), Problem(ProblemCode.AMBIGUOUS_TASK, code, labels)
    return (), Problem(ProblemCode.UNKNOWN_TASK, code, _nearest_codes(prep, code, unit_id))


def _nearest_codes(prep: Prepared, code: str, unit_id: int | None) -> tuple[str, ...]:
    tasks = prep.unit_tasks(unit_id) or prep.tasks
    head = code.split(".")[0]
    same = [t.code for t in tasks if normalise_code(t.code).split(".")[0] == head]
    others = [t.code for t in tasks if t.code not in same]
    return tuple((same + others)[:MAX_CANDIDATES])


def content_phrases(events: Events, text: Text, p: str) -> list[TaskMention]:
    """Fragments of task content around statuses, when the message has no code."""
    taken = bytearray(len(p))
    for s in events.statuses:
        taken[s.span[0] : s.span[1]] = b"\x01" * (s.span[1] - s.span[0])
    for q in events.quantities:
        taken[q.span[0] : q.span[1]] = b"\x01" * (q.span[1] - q.span[0])
    clauses: dict[int, list[StatusMention]] = {}
    for s in events.statuses:
        if s.status is Status.DONE and _FIGURES_SENT.match(p, s.span[1]):
            continue
        clauses.setdefault(events.hard_of(s.span[0]), []).append(s)
    bounds = [-1, *events.hard, len(p)]
    items: list[TaskMention] = []
    for clause, mentions in clauses.items():
        start, end = bounds[clause] + 1, bounds[clause + 1]
        if len(mentions) == 1:
            pieces = [(start, end)]
        else:
            inner = [b for b in events.soft if start <= b < end]
            edges = [start - 1, *inner, end]
            pieces = [(edges[i] + 1, edges[i + 1]) for i in range(len(edges) - 1)]
        for a, b in pieces:
            tokens = [tok for tok in word_tokens(p, a, b) if not taken[tok[0]]]
            kept = _content_words(tokens)
            if len(kept) >= _CONTENT_MIN_WORDS:
                span = (kept[0][0], kept[-1][1])
                items.append(TaskMention(text.t[span[0] : span[1]], span))
            elif not kept and (sent := _REPORT_SENT.search(p, a, b)) is not None:
                span = sent.span("report" if sent.group("report") else "r2")
                items.append(TaskMention(text.t[span[0] : span[1]], span, report=True))
    items.sort(key=lambda i: i.span)
    return items


def _content_words(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        pair = " ".join(t[2] for t in tokens[i : i + 2])
        if pair in _CONTENT_BIGRAMS:
            i += 2
            continue
        word = tokens[i][2]
        if not (word in _CONTENT_FILLER or word in _CONTENT_ABBREVIATIONS or word.isdigit()):
            out.append(tokens[i])
        i += 1
    return out


def content_key(written: str) -> str:
    """The words of a fragment of content that may name a task, as the index reads them."""
    return " ".join(expand(w) for w in WORD.findall(plain(written)) if w not in _CONTENT_FILLER)


def content_match(
    prep: Prepared, phrase: str, unit_id: int | None
) -> tuple[tuple[int, ...], tuple[str, ...], Decision]:
    """The tasks (of the unit, or all with None) whose contents a fragment's key names,
    their labels, and whether it names one, several or none."""
    index, tasks = prep.content_index(unit_id)
    match = index.match(phrase)
    candidates = [c for c in match.candidates if c.item.id in tasks]
    if match.decision is Decision.MATCH and candidates:
        task = tasks[candidates[0].item.id]
        return (task.id,), (task_label(task),), Decision.MATCH
    if match.decision is Decision.ASK and len(candidates) > 1:
        # Several tasks share most words: the one holding every word as written wins.
        words = set(phrase.split())
        full = [c for c in candidates if words <= prep.task_words.get(c.item.id, frozenset())]
        if len(full) == 1:
            task = tasks[full[0].item.id]
            return (task.id,), (task_label(task),), Decision.MATCH
    chosen = [tasks[c.item.id] for c in candidates[:MAX_CANDIDATES]]
    labels = tuple(task_label(t) for t in chosen)
    if match.decision is Decision.ASK and len(chosen) > 1:
        return tuple(t.id for t in chosen), labels, Decision.ASK
    if match.decision is Decision.ASK and chosen:
        return (chosen[0].id,), labels, Decision.MATCH
    return (), labels, Decision.NONE


def report_tasks(prep: Prepared, unit_id: int | None) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """The recurring tasks whose content says "báo cáo" (of the unit, when known), those
    it opens first ("Báo cáo tình hình …", not "Triển khai chế độ báo cáo …"): what "đã
    gửi báo cáo" may be about, and their labels."""
    found = [
        t
        for t in prep.by_id.values()
        if t.timeframe_kind == "recurring"
        and "bao cao" in plain(t.content)
        and (unit_id is None or not t.unit_ids or unit_id in t.unit_ids)
    ]
    opening = [t for t in found if plain(t.content).lstrip().startswith("bao cao")]
    found = opening or found
    return tuple(t.id for t in found), tuple(task_label(t) for t in found[:MAX_CANDIDATES])


def looks_like_task(prep: Prepared, key: str) -> bool:
    """Whether an unmatched fragment still reads like a task (mostly plan words)."""
    words = key.split()
    known = sum(1 for w in words if w in prep.task_vocabulary)
    return known >= 2 and known * 2 >= len(words)


# Every task of the unit named with a status: "đã hoàn thành tất cả các nhiệm vụ", "toàn
# bộ nhiệm vụ đang triển khai", "hoàn thành 100% nhiệm vụ", "các nhiệm vụ được giao đều
# đã xong", "đã hoàn thành các nhiệm vụ." (nothing after them in their clause); after a
# status, a bare "hết"/"cả" ("đã xong hết rồi ạ") when the message names no task.
_TASK_WORD = r"(?:nhiem vu|nvu|nv|viec|cong viec)"
_EVERY_NAMED = re.compile(
    r"(?<!\w)(?:(?:tat ca|toan bo|het|ca|moi|(?<![\d.,])100\s*(?P<all>%))\s+(?:(?:cac|nhung)\s+)?"
    + _TASK_WORD
    + r"|(?:cac|nhung)\s+"
    + _TASK_WORD
    + r"(?=\s+(?:duoc giao|con lai|khac|(?:trong|theo) ke hoach|cua (?:xa|phuong|thi tran|don vi|dv"
    r"|co quan|minh|em|toi)|(?:cung\s+)?deu)(?!\w)"
    r"|\s*(?:$|[.;!\n]|,(?!\s*(?:(?:nhiem vu|nvu|nv|so)\s*)?[:#]?\s*\d))))(?!\w)"
)
_EVERY_BARE = re.compile(
    r"\s+(?P<word>het|ca|tat ca|toan bo)(?:\s+(?:roi|r|a|ak|nhe|nha|luon|ca))*\s*"
    r"(?=$|[,.;!\n]|\s*(?:ngoai tru|tru|rieng)(?!\w))"
)
_FINISHING = re.compile(r"(?<!\w)(?:xong|hoan thanh|hoan tat|ht|trien khai|thuc hien)(?!\w)")
# What may follow "các nhiệm vụ" and still name them all (anything else names some:
# "các nhiệm vụ về số hóa" is matched by content).
_EVERY_TAIL = word_set(
    "duoc giao con lai khac trong theo ke hoach cua xa phuong thi tran don vi dv co quan minh em "
    "toi deu cung da dang roi a ak nhe nha luon ca het ben nay"
)
# Before a code, what leaves it out of the status said before it: "trừ nv 2.1",
# "ngoại trừ 3.1", "riêng nhiệm vụ 2.1 (đang làm)", "ngoài nv 2.1" ("ngoài ra, nv 2.1 …"
# adds, and is not matched).
_EXCLUDING = re.compile(
    r"(?<!\w)(?:ngoai tru|tru ra|tru|ngoai|rieng|tru lai)\s+(?:(?:nhiem vu|nvu|nv|muc|so)\s*)?"
    r"[:#]?\s*$"
)
_LEAVING_OUT = word_set("tru ngoai rieng")
_LISTED_AFTER = re.compile(r"\s*(?:,|va|&|\+|/)?\s*(?:(?:nhiem vu|nvu|nv|muc)\s*)?$")


def mark_excluded(events: Events, p: str) -> None:
    """Mark the codes written after "trừ", "ngoại trừ", "riêng" (and those listed with
    them: "trừ nv 2.1, 2.2"): they take no status said before them, only their own."""
    previous: TaskMention | None = None
    for item in events.codes:
        start = item.span[0]
        if _EXCLUDING.search(p, max(0, start - 30), start) is not None or (
            previous is not None
            and previous.excluded
            and _LISTED_AFTER.fullmatch(p, previous.span[1], start) is not None
        ):
            item.excluded = True
        previous = item


def every_task_mention(events: Events, text: Text, p: str) -> TaskMention | None:
    """A status said of every task of the unit ("đã xong hết các nhiệm vụ", "tất cả
    nhiệm vụ đều đang triển khai"), as a mention with that status (``every``), or None.

    The status stands right before the words in their clause ("hoàn thành tất cả …",
    "xong hết") or after them in their line ("các nhiệm vụ được giao đều đã xong"), no
    code between; a bare "hết" counts only in a message that names no task but those
    it leaves out ("xong hết trừ nv 2.1")."""
    found: list[tuple[tuple[int, int], int | None]] = []  # the words, and their status
    for m in _EVERY_NAMED.finditer(p):
        tail = [w for _a, _b, w in word_tokens(p, m.end(), _tail_end(events, m.end()))]
        tail = list(takewhile(lambda w: w not in _LEAVING_OUT, tail))  # "… trừ nv 2.1"
        if all(w in _EVERY_TAIL for w in tail):
            # "hoàn thành 100% nhiệm vụ": the share is the status's, the words after it
            span = (m.end("all") if m.group("all") else m.start(), m.end())
            found.append((span, _every_status(events, span)))
    if all(c.excluded for c in events.codes):
        for index, status in enumerate(events.statuses):
            bare = _EVERY_BARE.match(p, status.span[1])
            finishing = _FINISHING.search(p, *status.span) is not None  # not "đã gửi hết"
            if bare is not None and finishing:  # "xong hết": the status with its word
                found.append(((status.span[0], bare.end("word")), index))
    for span, index in sorted(found):
        if index is not None:
            said = events.statuses[index].span  # written with its status: "xong hết các nv"
            start, end = min(span[0], said[0]), max(span[1], said[1])
            written = text.t[start:end].strip()
            return TaskMention(written, span, every=True, status=index, group=-1)
    return None


def _tail_end(events: Events, pos: int) -> int:
    """Where the words after ``pos`` stop naming what a status is said of: the next
    status or the end of the soft clause."""
    k = events.soft_of(pos)
    end = events.soft[k] if k < len(events.soft) else 10**9
    return min([end, *(s.span[0] for s in events.statuses if s.span[0] >= pos)])


def _every_status(events: Events, span: tuple[int, int]) -> int | None:
    """The status said of every task: the last one before the words in their clause, else
    the first after them in their line; none with a code between."""
    start, end = span

    def no_code(a: int, b: int) -> bool:
        return not any(a <= c.span[0] < b for c in events.codes)

    before = [
        i
        for i, s in enumerate(events.statuses)
        if s.span[1] <= start
        and events.soft_of(s.span[0]) == events.soft_of(start)
        and no_code(s.span[1], start)
    ]
    if before:
        return before[-1]
    after = [
        i
        for i, s in enumerate(events.statuses)
        if s.span[0] >= end
        and events.hard_of(s.span[0]) == events.hard_of(end)
        and no_code(end, s.span[0])
    ]
    return after[0] if after else None
