"""Understanding one chat message: ``interpret(text, context) -> Interpretation``.

Pure: no I/O, no database, no clock (``context.today``). The steps:

1. **Intent words** first: a message that is only "hủy"/"xóa báo cáo vừa rồi" (or
   "hủy nv 2.1") is an undo; a leading "sửa:"/"sửa lại"/"đính chính" makes a
   correction whose rest is read as a report ("sửa" without a colon only when a code
   or a figure follows).
2. **Unit**: ``catalogue.find_in`` over the runs of words that may name a unit; a unit
   right after "gửi", "tại", "với", "phối hợp" … is an addressee or a place, not the
   reporter, and the next one is looked for. A leading type word ("xã", "P.") followed
   by a name that matches nothing is an unknown unit; else the sender's unit. The
   unit's words are blanked out before reading further.
3. **Period**: the first period phrase (a day is not a reporting period and is
   skipped); every period phrase is blanked out so "tháng 10/2025" is never a ratio.
   None → the current reporting period.
4. **Events** on what is left: task codes, status phrases (plus "chưa" standing alone:
   not done yet), quantities (a total and "trong đó" a part of it make one ratio), and
   the separators that bound clauses: hard (``;``, a new line, a full stop, ``!``,
   ``?``) and soft (a comma, a spaced dash).
5. **Statuses** go to codes (:func:`_choose`): a status after codes in the same soft
   clause applies to them ("1.1, 1.2 xong"); a status before codes with none after
   applies forward ("hoàn thành nv 2.1 và 2.2", "Hoàn thành: 1.1, 1.2"); a line with
   nothing but codes takes the status of the line around it ("nv 1\nnv 2\nxong hết");
   a line with other, unread words takes none ("3.4 - dang th": the service asks).
6. **Quantities**: each reads the indicator words written before it (back to the
   previous quantity, code, status or hard separator), or after it when there are
   none ("72% hồ sơ trực tuyến"). A phrase naming an indicator makes an indicator
   figure; otherwise a percentage in a clause with a code is that code group's
   percent; otherwise an unknown indicator figure. A figure restating the one before
   ("85/100 (85%)") is read once. Counts that name no indicator are left out ("gửi 2
   ảnh", "nv 40 đã tổ chức 2 buổi").
7. **Tasks by content**: with no code at all, the words around a status are matched
   against the contents of the unit's tasks (all tasks when that finds nothing); the
   result always needs a confirmation.
8. **Question or chit-chat**: question words ("nào", "thế nào", "bao nhiêu", "xong
   chưa?"), "tình hình …", "tiến độ …" with no status and no figure, or a trailing "?"
   with neither make a query; a message with no task and no figure is *other*.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from bot.language.abbreviations import expand
from bot.language.normalize import fold, nfc, plain
from bot.language.numbers import Quantity, TaskCode, find_quantities, find_task_codes
from bot.language.periods import (
    Period,
    PeriodKind,
    find_invalid_periods,
    find_periods,
    reporting_period,
)
from bot.language.statuses import Status, StatusMention, find_statuses, split_reason
from bot.matching import Decision, PhraseMatch, UnitSpan
from bot.understanding.intent import (
    correction_prefix,
    is_help,
    is_undo,
    question_kind,
    question_spans,
)
from bot.understanding.model import (
    Context,
    IndicatorItem,
    Intent,
    Interpretation,
    Problem,
    ProblemCode,
    TaskItem,
    TaskRef,
    UnitPick,
)
from bot.understanding.prepare import (
    HEAD_NOISE,
    MEMO_SIZE,
    Prepared,
    normalise_code,
    prepare,
    task_label,
)

__all__ = ["interpret", "unit_parts"]

MAX_CANDIDATES = 5
HUNDRED = Decimal(100)

_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# What may stand before a unit's name at the start of a line: spaces and list marks.
_BULLET = " \t-–•*+>·:"
# A leading type word and the name after it ("xã Tân Lập", "P. Hồng Phong", "UBND x.Ba").
_TYPED_UNIT = re.compile(
    r"\s*(?:(?:ubnd|uy ban nhan dan)\s+)?"
    r"(?P<type>xa|phuong|thi tran|dac khu|(?:x|p|f)\s*\.)\s*"
)
# Words that end a unit's name as written after a type word.
_NAME_STOP = _words(
    "nv nvu nhiem bao bc xong hoan ht dang da chua cham tre thang thg quy tuan ty nao the "
    "gui tinh tien hs so ket cap ve voi dat duoc co da la kinh xin em toi chung"
)
# The same, as typed with diacritics (their plain forms are also syllables of names).
_NAME_STOP_TYPED = _words(
    "nhận thực triển tổ có không được vừa mới sẽ chúng mình chúng tôi đề hoàn rà công tiếp "
    "thông đến gửi nộp làm là và"
)
_NAME_MAX_WORDS = 4
_UNIT_RETRIES = 2
# Words before a unit's name that make it the addressee or a place, not the reporter.
_NOT_REPORTER = re.compile(
    r"(?<!\w)(?:gui|tai|o|voi|phoi hop|cung|den|toi|chuyen|nop|trinh)\s*[:,]?\s*\Z"
)

# Words at either end of an indicator phrase that are not part of the name.
_EDGE_FILLER = _words(
    "dat la duoc khoang chiem uoc hien nay moi chi tieu da thi con tam gan hon bang co voi tai "
    "trong cua va ca tong cong den toi dc xap xi tren la em bao cao bc"
)
# Words that carry no meaning in a task fragment ("xong kế hoạch tuyên truyền rồi ạ").
_CONTENT_FILLER = _words(
    "roi a ak ah da em anh chi nhe nha nhen cua ve nay do va cho voi minh toi ben thi la "
    "duoc dang hien tai giup bot oi vang dc r ok oke ha nhi gui kem hinh xa phuong tuan "
    "thang quy nam xong phan rui hi cac nhung mot cai di luon het tat ca"
)
_CONTENT_BIGRAMS = frozenset(
    {"nhiem vu", "bao cao", "cong viec", "noi dung", "cam on", "da xong", "anh chup"}
)
_CONTENT_MIN_WORDS = 2
_FALLBACK_WORDS = 3
_QUERY_WORDS = 6
# Between a ratio and a percentage that only restates it: "85/100 (85%)", "85/100 = 85%".
_RESTATED = re.compile(r"[\s(\[=~:,\-–]*(?:(?:dat|tuc|tuong ung|la|bang|dat ty le)\s*[:=]?\s*)?")
# Words of a question that are not the indicator's ("kết quả số hóa", "số liệu").
_QUERY_FILLER = frozenset({"ket", "qua", "lieu", "chi", "tieu", "cac", "xa", "phuong", "nao"})


# -- the message being read ------------------------------------------------------------


class _Text:
    """The NFC text, its plain twin, and a copy where read parts are blanked out."""

    def __init__(self, text: str) -> None:
        self.t = nfc(text)
        self.p = plain(self.t)
        self._masked = list(self.t)

    def mask(self, start: int, end: int) -> None:
        for i in range(max(0, start), min(end, len(self._masked))):
            if not self._masked[i].isspace():
                self._masked[i] = " "

    def copy(self) -> _Text:
        twin = _Text.__new__(_Text)
        twin.t, twin.p, twin._masked = self.t, self.p, list(self._masked)
        return twin

    @property
    def masked_plain(self) -> str:
        return plain(self.masked)

    @property
    def masked(self) -> str:
        text = "".join(self._masked)
        # Blanking a character before a combining mark could let NFC move the mark:
        # keep spans aligned by reading the unmasked text in that (odd) case.
        return text if nfc(text) == text else self.t


@dataclass
class _Item:
    """A task mention (a code, or a fragment of content) while statuses are assigned."""

    written: str
    span: tuple[int, int]
    code: str | None = None  # None: a fragment of content
    status: int | None = None  # index into the status mentions
    group: int = 0  # codes sharing a status and a clause share a percentage
    joined: bool = False  # listed before the next code and sharing its status and figure


@dataclass
class _Events:
    codes: list[_Item]
    statuses: list[StatusMention]
    quantities: list[Quantity]
    hard: list[int]  # positions of hard separators
    soft: list[int]  # positions of hard and soft separators
    forward: list[bool] = field(default_factory=list)  # per status: applies to what follows
    coded: set[int] = field(default_factory=set)  # hard clauses holding a task mention
    bare: set[int] = field(default_factory=set)  # hard clauses holding nothing but codes
    # Task mentions (by start) followed by words of their own before the next mention or
    # separator ("3.1 ok", "nv 4.3 đạt 80%"): they never take another clause's status.
    own_words: set[int] = field(default_factory=set)

    def hard_of(self, pos: int) -> int:
        return bisect.bisect_right(self.hard, pos)

    def soft_of(self, pos: int) -> int:
        return bisect.bisect_right(self.soft, pos)


_SOFT_DASH = re.compile(r"\s[-–—+]\s")
_ABBREVIATED = frozenset({"p", "x", "f", "q", "h", "tp", "tx", "tt", "dk", "ths", "ts", "ks", "ng"})


def _separators(p: str) -> tuple[list[int], list[int]]:
    hard: list[int] = []
    soft: list[int] = []
    for i, ch in enumerate(p):
        if ch in ";\n\r!?\u2028\u2029":
            hard.append(i)
        elif ch == ".":
            after = p[i + 1 : i + 2]
            if after and not after.isspace():
                continue  # 2.1, 1.000, x.Ba
            word = re.search(r"([^\W_]+)\Z", p[max(0, i - 12) : i])
            if word is None or word.group(1) not in _ABBREVIATED:
                hard.append(i)
        elif ch == ",":
            before, after = p[i - 1 : i], p[i + 1 : i + 2]
            if not (before.isdigit() and after.isdigit()):
                soft.append(i)
    soft.extend(m.start() + 1 for m in _SOFT_DASH.finditer(p))
    soft = sorted(set(soft) | set(hard))
    return hard, soft


# "nv 21 chưa" (not yet): "chưa" alone before the end, a separator or the next code.
_NOT_YET = re.compile(r"(?<!\w)chua(?=\s*(?:$|[,;.!\n]|(?:nv|nhiem vu)(?!\w)|\d))")
_NOT_YET_FORMS = frozenset({"chua", "chưa"})
# "Tiếp nhận 250 hồ sơ, trong đó 180 hồ sơ trực tuyến": a part of a total.
_OF_WHICH = re.compile(r"[\s,;:(]*(?:trong do|trong so do|trong so nay|trong so|co)[\s,:]*")


def _with_bare_not_yet(t: str, p: str, statuses: list[StatusMention]) -> list[StatusMention]:
    """The status mentions, with a "chưa" standing alone read as "not done yet"."""
    extra = []
    for m in _NOT_YET.finditer(p):
        if t[m.start() : m.end()].lower() not in _NOT_YET_FORMS:
            continue  # "chùa" is a pagoda
        if any(s.span[0] <= m.start() < s.span[1] for s in statuses):
            continue
        extra.append(StatusMention(Status.IN_PROGRESS, m.span(), t[m.start() : m.end()]))
    if not extra:
        return statuses
    return sorted([*statuses, *extra], key=lambda s: s.span)


def _combined(t: str, p: str, quantities: list[Quantity]) -> list[Quantity]:
    """Two counts written as a total and a part of it, read as one ratio."""
    out: list[Quantity] = []
    i = 0
    while i < len(quantities):
        q = quantities[i]
        nxt = quantities[i + 1] if i + 1 < len(quantities) else None
        if (
            nxt is not None
            and q.kind == "count"
            and nxt.kind == "count"
            and q.unit_word is not None
            and q.value
            and nxt.value is not None
            and 0 <= nxt.value <= q.value
            and _OF_WHICH.fullmatch(p, q.span[1], nxt.span[0])
        ):
            value = (nxt.value / q.value * HUNDRED).quantize(Decimal("0.01"), ROUND_HALF_UP)
            span = (q.span[0], nxt.span[1])
            unit = nxt.unit_word
            out.append(
                Quantity("ratio", value, nxt.value, q.value, unit, span, t[span[0] : span[1]])
            )
            i += 2
            continue
        out.append(q)
        i += 1
    return out


# -- unit --------------------------------------------------------------------------------


def _find_unit(text: _Text, prep: Prepared, context: Context) -> tuple[UnitPick, list[Problem]]:
    masked = text.masked
    found = _find_in(prep, context, masked)
    retries = _UNIT_RETRIES
    while found is not None and _NOT_REPORTER.search(text.p, 0, found.start):
        # "Kính gửi Văn phòng UBND", "niêm yết tại Bộ phận Một cửa": named, not reporting.
        masked = masked[: found.start] + " " * (found.end - found.start) + masked[found.end :]
        found = _find_in(prep, context, masked) if retries else None
        retries -= 1
    if found is not None:
        written = text.t[found.start : found.end]
        span = (found.start, found.end)
        text.mask(*span)
        match = found.match
        if match.decision is Decision.MATCH and match.unit is not None:
            return UnitPick("match", match.unit, written=written, span=span), []
        choices = match.choices[:MAX_CANDIDATES]
        problem = Problem(ProblemCode.AMBIGUOUS_UNIT, written, tuple(c.name for c in choices))
        return UnitPick("ask", None, choices, written, span), [problem]
    unknown = _unknown_unit(text)
    if unknown is not None:
        start, end = unknown
        written = text.t[start:end]
        text.mask(start, end)
        nearest = context.catalogue.match(written).candidates[:3]
        problem = Problem(ProblemCode.UNKNOWN_UNIT, written, tuple(c.entry.name for c in nearest))
        return UnitPick("none", None, written=written, span=(start, end)), [problem]
    if context.sender_unit_id is not None:
        entry = prep.units.get(context.sender_unit_id)
        if entry is not None:
            return UnitPick("sender", entry), []
    return UnitPick("none"), []


_OPENERS = frozenset({"ubnd", "uy", "ttpvhcc", "xa", "phuong", "p", "x", "f", "q", "tt", "dk"})
_TWO_WORD_OPENERS = frozenset({"dac khu", "thi tran", "thi xa", "thanh pho", "trung tam"})
_AFTER_OPENER = 5  # words kept after a type word: the name, even misspelt


def _find_in(prep: Prepared, context: Context, masked: str) -> UnitSpan | None:
    """``catalogue.find_in`` on the runs of words that may name a unit.

    Words that are in no unit's name and do not follow a type word cannot be part of
    a unit's name as written, so each run between them is searched on its own: the
    same unit as searching the whole message (save for messages naming several), for
    a fraction of the windows.
    """
    p = plain(masked)
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(p)]
    keep = [False] * len(words)
    for i, (_s, _e, word) in enumerate(words):
        two = f"{word} {words[i + 1][2]}" if i + 1 < len(words) else ""
        if word in _OPENERS or two in _TWO_WORD_OPENERS:
            for j in range(i, min(len(words), i + _AFTER_OPENER + 1 + (1 if two else 0))):
                keep[j] = True
        elif word in prep.unit_words:
            keep[i] = True
    best: tuple[tuple[float, ...], UnitSpan] | None = None
    i = 0
    while i < len(words):
        if not keep[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(words) and keep[j + 1]:
            j += 1
        start, end = words[i][0], words[j][1]
        found = context.catalogue.find_in(masked[start:end])
        if found is not None and found.match.best is not None:
            span = UnitSpan(found.match, found.start + start, found.end + start)
            size = float(len(_WORD.findall(p, span.start, span.end)))
            weight = 2.0 if found.match.decision is Decision.MATCH else 1.0
            rank = (weight, found.match.best.score, size, float(-span.start))
            if best is None or rank > best[0]:
                best = (rank, span)
        i = j + 1
    return _tightened(prep, context, masked, best[1]) if best else None


def _tightened(prep: Prepared, context: Context, masked: str, found: UnitSpan) -> UnitSpan:
    """The shortest start of the span that names the same unit the same way.

    A window may run on past the name ("xã Kim Sơn tình hình …" reads "tình" as a
    province qualifier); those words belong to the message.
    """
    p = plain(masked)
    words = list(_WORD.finditer(p, found.start, found.end))
    best = found.match.best
    if best is None or len(words) < 2 or words[-1].group() in prep.unit_words:
        return found
    for word in words[:-1]:
        match = context.catalogue.match(masked[found.start : word.end()])
        if (
            match.decision is found.match.decision
            and match.best is not None
            and match.best.entry.id == best.entry.id
        ):
            return UnitSpan(match, found.start, word.end())
    return found


def _unknown_unit(text: _Text) -> tuple[int, int] | None:
    """A leading type word and the name written after it (``xã Tân Lập``, also after a
    list dash), if any."""
    p = text.masked_plain
    lead = len(p) - len(p.lstrip(_BULLET))
    m = _TYPED_UNIT.match(p, lead)
    if m is None:
        return None
    if m.group("type") in ("xa", "phuong") and not p[m.end("type") : m.end("type") + 1].isspace():
        return None
    end = m.end()
    words = 0
    for word in _WORD.finditer(p, m.end()):
        between = p[end : word.start()]
        if words and between.strip():
            break  # punctuation ends the name
        typed = text.t[word.start() : word.end()].lower()
        if (
            word.group() in _NAME_STOP
            or typed in _NAME_STOP_TYPED
            or any(ch.isdigit() for ch in word.group())
        ):
            break
        end = word.end()
        words += 1
        if words == _NAME_MAX_WORDS:
            break
    if not words:
        return None
    return lead, end


def unit_parts(text: str, context: Context) -> list[str]:
    """The message cut where a line or clause (after ";", a new line, a full stop)
    begins with a unit's name, when two different units are named so ("Xã A: số hóa
    80/100; Xã B: số hóa 90/100"): each part is read as a report of its own. Words before
    the first unit (a period, "sửa:", "số liệu tháng 11:") go with every part. One part,
    the whole text, otherwise."""
    if not isinstance(text, str):
        return [""]
    prep = prepare(context)
    t = nfc(text)
    p = plain(t)
    hard, _soft = _separators(p)
    bounds = [-1, *hard, len(t)]
    starts: list[tuple[int, str]] = []  # where a unit opens a clause, and which one
    for left, right in itertools.pairwise(bounds):
        clause = t[left + 1 : right]
        lead = len(clause) - len(clause.lstrip(_BULLET))
        prefix = correction_prefix(plain(clause)) if not starts else None
        if prefix is not None:  # "sửa: Xã A: …; Xã B: …"
            lead = prefix[0] + len(clause[prefix[0] :]) - len(clause[prefix[0] :].lstrip(_BULLET))
        if lead == len(clause):
            continue
        found = _find_in(prep, context, clause)
        if found is not None and not clause[lead : found.start].strip(_BULLET):
            unit = found.match.unit  # an unsure name is told apart by how it is written
            key = f"#{unit.id}" if unit else plain(clause[found.start : found.end])
            starts.append((left + 1 + found.start, key))
            continue
        typed = _unknown_unit(_Text(clause[lead:]))  # "Xã Tân Lập:" not in the list
        if typed is not None:
            start, end = lead + typed[0], lead + typed[1]
            starts.append((left + 1 + start, plain(clause[start:end])))
    if len({key for _start, key in starts}) < 2:
        return [text]
    preamble = t[: starts[0][0]]
    ends = [start for start, _key in starts[1:]] + [len(t)]
    parts = zip(starts, ends, strict=True)
    return [preamble + t[start:end].rstrip(_BULLET + ";.\n\r") for (start, _key), end in parts]


# -- statuses ----------------------------------------------------------------------------


def _forward(events: _Events, index: int, masked: str) -> bool:
    """Whether a status applies to the codes after it ("Hoàn thành: 1.1, 1.2")."""
    mention = events.statuses[index]
    start, end = mention.span
    if re.match(r"\s*[:\-–]", masked[end : end + 4]):
        return True
    clause = events.soft_of(start)
    before = after = False
    for item in events.codes:
        if events.soft_of(item.span[0]) != clause:
            continue
        if item.span[1] <= start:
            # Only codes after the previous status of the clause count as "before".
            previous = [s for s in events.statuses[:index] if events.soft_of(s.span[0]) == clause]
            if not previous or item.span[0] >= previous[-1].span[1]:
                before = True
        elif item.span[0] >= end:
            after = True
    return after and not before


_LIST_WORDS = _words("nv nvu nhiem vu muc va so stt cong viec noi dung")


def _assign_statuses(events: _Events, masked: str) -> None:
    """Give each task mention the index of its status mention (or None)."""
    statuses = events.statuses
    blank = list(plain(masked))
    for c in events.codes:
        blank[c.span[0] : c.span[1]] = " " * (c.span[1] - c.span[0])
    for s in statuses:
        blank[s.span[0] : s.span[1]] = " " * (s.span[1] - s.span[0])
    events.own_words = _with_own_words(events, "".join(blank))
    if not statuses:
        return
    events.forward = [_forward(events, i, masked) for i in range(len(statuses))]
    events.coded = {events.hard_of(c.span[0]) for c in events.codes}
    words: dict[int, bool] = {}
    for m in _WORD.finditer("".join(blank)):
        if m.group() not in _LIST_WORDS and not m.group().isdigit():
            words[events.hard_of(m.start())] = True
    events.bare = {clause for clause in events.coded if clause not in words}
    starts = [s.span[0] for s in statuses]
    following: _Item | None = None
    for item in reversed(events.codes):  # a code may take the status of the one after it
        k = bisect.bisect_left(starts, item.span[1])
        nxt = k if k < len(statuses) else None
        prv = k - 1 if k > 0 else None
        if prv is not None and statuses[prv].span[1] > item.span[0]:
            prv = prv - 1 if prv > 0 else None  # overlapping (should not happen)
        listed = following is not None and (nxt is None or following.span[0] < starts[nxt])
        item.status = _choose(events, item, prv, nxt, following if listed else None)
        following = item


def _with_own_words(events: _Events, blank: str) -> set[int]:
    """The task mentions followed by words of their own: anything but list words before
    the next task mention, status or soft separator, or a figure there."""
    bounds = sorted(
        [c.span[0] for c in events.codes] + [s.span[0] for s in events.statuses] + events.soft
    )
    in_status = [s.span for s in events.statuses]
    own: set[int] = set()
    for item in events.codes:
        start = item.span[1]
        k = bisect.bisect_left(bounds, start)
        end = bounds[k] if k < len(bounds) else len(blank)
        words = [w for w in _WORD.findall(blank[start:end]) if w not in _LIST_WORDS]
        figure = any(
            start <= q.span[0] < end and not any(a <= q.span[0] < b for a, b in in_status)
            for q in events.quantities
        )
        if figure or any(not w.isdigit() for w in words):
            own.add(item.span[0])
    return own


def _choose(
    events: _Events, item: _Item, prv: int | None, nxt: int | None, listed: _Item | None
) -> int | None:
    """Which status a task mention takes (the index of the mention, or None).

    In order: the next status in its soft clause, the previous one there. A mention with
    words of its own after it ("3.1 ok", "nv 4.3 đạt 80%") takes no other status but a
    header or closing line ("Hoàn thành:", "đã xong hết"). A bare code followed by
    another code before any status (``listed``: "3.1, 3.2 xong", "3.1\n3.2\n3.4 xong")
    shares that code's status, whatever it is, and its figure (``item.joined``). Then
    the next status in its hard clause unless that one leads other codes, the previous
    one there; then, outside its clause, a header before it, a trailer after it, any
    status around it, but only for a line with nothing but codes or a status standing
    on its own line.
    """
    pos = item.span[0]
    spans, forward = events.statuses, events.forward
    clause = events.hard_of(pos)

    def in_soft(index: int | None) -> bool:
        return index is not None and events.soft_of(spans[index].span[0]) == events.soft_of(pos)

    def in_hard(index: int | None) -> bool:
        return index is not None and events.hard_of(spans[index].span[0]) == clause

    def alone(index: int | None) -> bool:
        """A status on a line of its own ("Hoàn thành:", "đã xong hết")."""
        return index is not None and events.hard_of(spans[index].span[0]) not in events.coded

    if in_soft(nxt):
        return nxt
    if in_soft(prv):
        return prv
    if pos in events.own_words:
        # Its own words say nothing of a status: only a status on a line of its own
        # (a header "Hoàn thành:" or a closing "đã xong hết") may apply to it.
        if prv is not None and forward[prv] and alone(prv):
            return prv
        if nxt is not None and not forward[nxt] and alone(nxt):
            return nxt
        return None
    if listed is not None:
        item.joined = True
        return listed.status
    if in_hard(nxt) and nxt is not None and not forward[nxt]:
        return nxt
    if in_hard(prv):
        return prv
    if in_hard(nxt):
        return nxt
    # The clause has no status. A bare list line ("- 3.1") takes the status around it;
    # a line with other words ("3.4 - dang th") only a status standing on its own line.
    bare = clause in events.bare
    if prv is not None and forward[prv] and (bare or alone(prv)):
        return prv
    if nxt is not None and not forward[nxt] and (bare or alone(nxt)):
        return nxt
    if prv is not None and (bare or alone(prv)):
        return prv
    if nxt is not None and (bare or alone(nxt)):
        return nxt
    return None


def _groups(events: _Events) -> None:
    """Number runs of codes that share a status and a clause ("1.1, 1.2 xong"); a code
    with words of its own ends its run ("nv 3.1 niêm yết, nv 3.2 0%": the 0 % is 3.2's)."""
    group = 0
    previous: _Item | None = None
    starts = [s.span[0] for s in events.statuses]
    for item in events.codes:
        if previous is not None:
            between = bisect.bisect_left(starts, item.span[0]) - bisect.bisect_left(
                starts, previous.span[1]
            )
            figures = any(
                previous.span[1] <= q.span[0] and q.span[1] <= item.span[0]
                for q in events.quantities
            )
            if (
                item.status != previous.status
                or previous.span[0] in events.own_words
                or (
                    not previous.joined
                    and events.hard_of(item.span[0]) != events.hard_of(previous.span[0])
                )
                or between
                or figures
            ):
                group += 1
        item.group = group
        previous = item


# What ends a note but belongs to the next item: "…, nv", "… và nhiệm vụ".
_NOTE_TAIL = re.compile(
    r"(?:[\s,;:.\-–]+(?:nv|nvu|nhiem vu|muc|va|con|cong viec|noi dung)(?!\w)[\s.:#]*)+\Z"
    r"|[\s,;:.\-–]+\Z"
)


def _notes(events: _Events, text: _Text) -> dict[int, str]:
    """The reason written after each status mention ("chậm do thiếu nhân lực")."""
    notes: dict[int, str] = {}
    bounds = sorted(
        [c.span[0] for c in events.codes if c.code is not None]
        + [s.span[0] for s in events.statuses]
        + events.hard
    )
    for index, mention in enumerate(events.statuses):
        start = mention.span[0]
        k = bisect.bisect_right(bounds, start)
        end = bounds[k] if k < len(bounds) else len(text.t)
        _before, reason = split_reason(text.t[start:end])
        if reason:
            cut = _NOTE_TAIL.search(plain(reason))
            reason = reason[: cut.start()] if cut else reason
            if reason:
                notes[index] = reason
    return notes


# -- indicators --------------------------------------------------------------------------


@dataclass
class _Phrase:
    written: str
    key: str  # expanded fold key of the kept words
    span: tuple[int, int]
    known: bool = True  # made of indicator words (else: the words before, as written)


def _tokens(p: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(p, start, end)]


# Spellings of filler words that the indicator names write otherwise.
_TOKEN_FIX = {
    "ti": "ty",
    "tyle": "ty le",
    "tile": "ty le",
    "tl": "ty le",
    "tt": "thanh toan",  # "TT trực tuyến"
    "ttoan": "thanh toan",
    "hl": "hai long",
}


def _known(prep: Prepared, token: str) -> bool:
    words = expand(_TOKEN_FIX.get(token, token)).split()
    return bool(words) and all(prep.known_word(w) for w in words)


def _phrase_before(prep: Prepared, text: _Text, p: str, left: int, right: int) -> _Phrase | None:
    """The indicator words right before a quantity: known words, back to an unknown one.

    With no known word right before it, the last few words (for the reply to quote).
    """
    tokens = _tokens(p, left, right)
    kept: list[tuple[int, int, str]] = []
    for token in reversed(tokens):
        if _known(prep, token[2]) or token[2] in _EDGE_FILLER:
            kept.append(token)
            continue
        break
    kept.reverse()
    phrase = _trimmed(text, kept)
    if phrase is None:
        rest = [tok for tok in tokens if tok[2] not in _EDGE_FILLER][-_FALLBACK_WORDS:]
        phrase = _trimmed(text, rest, known=False)
    return phrase


def _phrase_after(prep: Prepared, text: _Text, p: str, left: int, right: int) -> _Phrase | None:
    tokens = _tokens(p, left, right)
    kept: list[tuple[int, int, str]] = []
    for token in tokens:
        if _known(prep, token[2]) or token[2] in _EDGE_FILLER:
            kept.append(token)
            continue
        break
    return _trimmed(text, kept)


def _unit_word_start(p: str, q: Quantity) -> int:
    """Where the quantity's noun starts ("180 hồ sơ" → "hồ sơ"), to read it with what follows."""
    if q.unit_word is None:
        return q.span[1]
    pattern = r"\s+".join(re.escape(w) for w in q.unit_word.split()) + r"\Z"
    m = re.search(pattern, p[q.span[0] : q.span[1]])
    return q.span[0] + m.start() if m else q.span[1]


def _longest_known_run(prep: Prepared, p: str) -> list[tuple[int, int, str]]:
    best: list[tuple[int, int, str]] = []
    run: list[tuple[int, int, str]] = []
    for token in _tokens(p, 0, len(p)):
        if _known(prep, token[2]) and token[2] not in _QUERY_FILLER:
            run.append(token)
            if len(run) > len(best):
                best = list(run)
        else:
            run = []
    return best


def _trimmed(
    text: _Text, kept: list[tuple[int, int, str]], *, known: bool = True
) -> _Phrase | None:
    while kept and kept[0][2] in _EDGE_FILLER:
        kept = kept[1:]
    while kept and kept[-1][2] in _EDGE_FILLER:
        kept = kept[:-1]
    if not kept:
        return None
    start, end = kept[0][0], kept[-1][1]
    key = " ".join(expand(_TOKEN_FIX.get(token, token)) for _s, _e, token in kept)
    return _Phrase(text.t[start:end], key, (start, end), known)


def _names_enough(prep: Prepared, phrase: _Phrase | None) -> bool:
    """Two words or more, or an acronym: one common word ("độ", "kết") names nothing."""
    if phrase is None or not phrase.known:
        return False
    words = phrase.key.split()
    return len(words) >= 2 or prep.known_acronym(words[0])


@dataclass(frozen=True)
class _IndicatorMatch:
    decision: Decision
    ids: tuple[int, ...]
    names: tuple[str, ...]
    strong: bool = True  # False: chosen only because the phrase starts one name


def _match_indicator(prep: Prepared, key: str) -> _IndicatorMatch:
    cache = prep.indicator_matches
    if key in cache:
        return cache[key]
    if len(cache) > MEMO_SIZE:
        cache.clear()
    match: PhraseMatch = prep.indicator_index.match(key)
    decision = match.decision
    candidates = list(match.candidates)
    if decision is not Decision.MATCH:
        head = key
        for noise in HEAD_NOISE:
            if head.startswith(noise):
                head = head[len(noise) :]
        if len(head) >= 4:
            pool = candidates or [None]
            heads = [
                i.id
                for i in prep.indicators
                if (pool == [None] or any(c.item.id == i.id for c in candidates))
                and any(h == head or h.startswith(head + " ") for h in prep.indicator_heads[i.id])
            ]
            if len(heads) == 1:
                chosen = prep.indicator_by_id[heads[0]]
                result = _IndicatorMatch(Decision.MATCH, (chosen.id,), (chosen.name,), False)
                cache[key] = result
                return result
    top = candidates[:1] if decision is Decision.MATCH else candidates[:MAX_CANDIDATES]
    result = _IndicatorMatch(
        decision, tuple(c.item.id for c in top), tuple(c.item.label for c in top)
    )
    cache[key] = result
    return result


def _round_percent(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _indicator_item(
    prep: Prepared, q: Quantity, phrase: _Phrase | None, match: _IndicatorMatch | None
) -> tuple[IndicatorItem, list[Problem]]:
    problems: list[Problem] = []
    written = phrase.written if phrase else ""
    item = IndicatorItem(written=written, quantity=q.text)
    subject = written or q.text
    if match is None or match.decision is Decision.NONE or not match.ids:
        names = match.names if match and match.names else tuple(i.name for i in prep.indicators)
        problems.append(Problem(ProblemCode.UNKNOWN_INDICATOR, subject, names[:10]))
        measure = "%"
    elif match.decision is Decision.ASK and len(match.ids) > 1:
        item.indicator_ids = match.ids
        problems.append(Problem(ProblemCode.AMBIGUOUS_INDICATOR, subject, match.names))
        measures = {prep.indicator_by_id[i].measure for i in match.ids}
        measure = measures.pop() if len(measures) == 1 else "%"
    else:
        item.indicator_ids = match.ids[:1]
        measure = prep.indicator_by_id[match.ids[0]].measure
    percent = measure == "%"

    def out_of_range() -> None:
        if item.indicator_ids:  # an unknown indicator's range is unknown too
            problems.append(Problem(ProblemCode.VALUE_OUT_OF_RANGE, subject, value=q.text))

    if q.kind == "percent":
        item.value = q.value
        if q.value is None or not percent or q.value < 0 or q.value > HUNDRED:
            out_of_range()
    elif q.kind == "ratio":
        item.numerator, item.denominator = q.numerator, q.denominator
        if not q.denominator or q.numerator is None:
            out_of_range()
        else:
            item.value = q.value if percent else q.numerator
            if q.numerator < 0 or q.denominator < 0:
                out_of_range()
            elif q.numerator > q.denominator:
                problems.append(
                    Problem(ProblemCode.NUMERATOR_EXCEEDS_DENOMINATOR, subject, value=q.text)
                )
    else:
        item.value = q.value
        if q.value is None or q.value < 0:
            out_of_range()
        elif percent and (q.unit_word is not None or q.value > HUNDRED):
            out_of_range()  # a count of dossiers is not a percentage
    return item, problems


# -- tasks ---------------------------------------------------------------------------


_UNDO_HEAD = re.compile(r"/?(?:huy|xoa)(?!\w)")
_UNDO_CODE = re.compile(
    r"(?<!\w)(?:(?:nv|nvu|nhiem vu|muc)\s*)?[0-9a-z]{1,4}(?:\.[0-9a-z]{1,3})+(?!\w)"
    r"|(?<!\w)(?:nv|nvu|nhiem vu|muc)\s*[0-9a-z]{1,4}(?!\w)|(?<!\w)(?:va|,)(?!\w)"
)
_REPEAT = re.compile(r"\s*\((\d{1,2})\)")


def _code_item(prep: Prepared, masked: str, code: TaskCode) -> _Item:
    """A code as written; "8.2 (2)" when the plan numbers a second 8.2 that way."""
    repeat = _REPEAT.match(masked, code.span[1])
    if repeat is not None:
        numbered = f"{code.code} ({repeat.group(1)})"
        if numbered in prep.by_code:
            span = (code.span[0], repeat.end())
            return _Item(masked[span[0] : span[1]], span, numbered)
    return _Item(code.text, code.span, code.code)


def _comma_codes(prep: Prepared, masked: str, codes: list[_Item]) -> list[_Item]:
    """ "nv 3,1": a phone's decimal comma in a code, when 3 and 1 are no tasks but 3.1 is."""
    out: list[_Item] = []
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
                out.append(_Item(masked[span[0] : span[1]], span, joined))
                i += 2
                continue
        out.append(item)
        i += 1
    return out


# What may stand between the numbers of a list and its status: "3, 13 và 15 xong".
_JOIN = re.compile(r"[\s,&+:\-–]*(?:(?:va|and)(?!\w)[\s,&+:\-–]*)?")


def _bare_numbers(
    prep: Prepared,
    masked: str,
    p: str,
    statuses: list[StatusMention],
    quantities: list[Quantity],
    hard: list[int],
) -> tuple[list[_Item], list[Quantity]]:
    """Plain numbers written as task codes next to a status: "3, 13 hoàn thành; 15 chậm".

    Plans numbered 1, 2, 3 … are reported without "nv". A bare whole number is read as
    a code when the plan has that code and it is linked to a status mention by nothing
    but list separators ("," "và" ":"), directly or through other such numbers, within
    its clause; any other word in between ("chậm do thiếu 2 cán bộ") keeps it a number.
    """
    if not statuses:
        return [], quantities
    bare = [
        q
        for q in quantities
        if q.kind == "count"
        and q.unit_word is None
        and q.value is not None
        and q.value == q.value.to_integral_value()
        and 0 < q.value < 1000
        and re.fullmatch(r"\d{1,3}", p[q.span[0] : q.span[1]])
        and (str(int(q.value)) in prep.by_code or str(int(q.value)) in prep.by_written)
    ]
    if not bare:
        return [], quantities
    # The events of the text in order: numbers ("n") and statuses ("s").
    events = sorted([(q.span, "n", q) for q in bare] + [(m.span, "s", None) for m in statuses])
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
        _Item(masked[q.span[0] : q.span[1]], q.span, str(int(q.value or 0)))
        for q in bare
        if id(q) in linked
    ]
    return items, [q for q in quantities if id(q) not in linked]


def _resolve_code(
    prep: Prepared, code: str, unit_id: int | None
) -> tuple[tuple[int, ...], Problem | None]:
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


def _content_phrases(events: _Events, text: _Text, p: str) -> list[_Item]:
    """Fragments of task content around statuses, when the message has no code."""
    taken = bytearray(len(p))
    for s in events.statuses:
        taken[s.span[0] : s.span[1]] = b"\x01" * (s.span[1] - s.span[0])
    for q in events.quantities:
        taken[q.span[0] : q.span[1]] = b"\x01" * (q.span[1] - q.span[0])
    clauses: dict[int, list[StatusMention]] = {}
    for s in events.statuses:
        clauses.setdefault(events.hard_of(s.span[0]), []).append(s)
    bounds = [-1, *events.hard, len(p)]
    items: list[_Item] = []
    for clause, mentions in clauses.items():
        start, end = bounds[clause] + 1, bounds[clause + 1]
        if len(mentions) == 1:
            pieces = [(start, end)]
        else:
            inner = [b for b in events.soft if start <= b < end]
            edges = [start - 1, *inner, end]
            pieces = [(edges[i] + 1, edges[i + 1]) for i in range(len(edges) - 1)]
        for a, b in pieces:
            tokens = [tok for tok in _tokens(p, a, b) if not taken[tok[0]]]
            kept = _content_words(tokens)
            if len(kept) >= _CONTENT_MIN_WORDS:
                span = (kept[0][0], kept[-1][1])
                items.append(_Item(text.t[span[0] : span[1]], span))
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
        if word not in _CONTENT_FILLER and not word.isdigit():
            out.append(tokens[i])
        i += 1
    return out


def _content_match(
    prep: Prepared, phrase: str, unit_id: int | None
) -> tuple[tuple[int, ...], tuple[str, ...], Decision]:
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


# -- the whole message -------------------------------------------------------------------


def interpret(text: str, context: Context) -> Interpretation:
    """Read one message against the deployment's units and the active plan."""
    if not isinstance(text, str):
        text = ""
    prep = prepare(context)
    source = _Text(text)
    folded = fold(source.t)
    if not folded:
        return Interpretation(text=text, intent=Intent.OTHER)
    if is_undo(folded):
        return Interpretation(text=text, intent=Intent.UNDO)
    undo_codes = find_task_codes(source.t) if _UNDO_HEAD.match(folded) else []
    if undo_codes and is_undo(" ".join(_UNDO_CODE.sub(" ", folded).split())):
        # "hủy nv 2.1": take back what was reported on those tasks.
        result = Interpretation(text=text, intent=Intent.UNDO)
        for code in undo_codes:
            ids, problem = _resolve_code(prep, code.code, None)
            result.tasks.append(TaskItem(written=code.text, task_ids=ids))
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

    unit, problems = _find_unit(source, prep, context)
    unit_id = unit.unit.id if unit.unit is not None else None

    # Period.
    period = None
    period_written = None
    for mention in find_periods(source.masked, context.today):
        if period is None and mention.period.kind is not PeriodKind.DAY:
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
    codes = _comma_codes(
        prep, masked, [_code_item(prep, masked, c) for c in find_task_codes(masked)]
    )
    statuses = _with_bare_not_yet(masked, p, find_statuses(masked))
    quantities = _combined(source.t, p, find_quantities(masked))
    hard, soft = _separators(p)
    numbered, quantities = _bare_numbers(prep, masked, p, statuses, quantities, hard)
    if numbered:
        codes = sorted([*codes, *numbered], key=lambda c: c.span)
    events = _Events(codes, statuses, quantities, hard, soft)

    result = Interpretation(text=text, intent=Intent.OTHER, unit=unit)
    result.period, result.period_written = period, period_written

    if not correction and not (codes or quantities or statuses) and is_help(folded):
        result.intent = Intent.HELP
        result.problems = problems
        return result
    if not correction and question_kind(
        source.t, source.p, has_status=bool(statuses), has_figure=bool(quantities)
    ):
        result.intent = Intent.QUERY
        _read_query(prep, source, events, unit_id, result, problems)
        return result
    if context.oversees and not correction and not statuses and not quantities:
        asked = Interpretation(text=text, intent=Intent.QUERY, unit=unit, bare_question=True)
        asked.period, asked.period_written = period, period_written
        _read_query(prep, source.copy(), events, unit_id, asked, list(problems))
        named_unit = unit.decision == "match"
        if asked.indicators or named_unit or any(t.task_ids for t in asked.tasks):
            return asked
        if period_written is not None and not _WORD.search(p):
            return asked  # a period alone: "6 tháng đầu năm", "quý 3"

    if not codes and statuses:
        events.codes = _content_phrases(events, source, p)
    _assign_statuses(events, masked)
    _groups(events)

    task_quantities, indicator_items, indicator_problems = _read_quantities(prep, source, events, p)
    indicator_problems += _repeated_figures(indicator_items)
    tasks, task_problems = _read_tasks(prep, source, events, task_quantities, unit, unit_id)

    if tasks or indicator_items:
        problems += _period_problems(invalid_periods, period, period_written, context)
    result.tasks = tasks
    result.indicators = indicator_items
    result.problems = problems + task_problems + indicator_problems
    if correction:
        result.intent = Intent.CORRECTION
    elif tasks or indicator_items:
        result.intent = Intent.REPORT
    return result


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
    source: _Text,
    events: _Events,
    unit_id: int | None,
    result: Interpretation,
    problems: list[Problem],
) -> None:
    """A question: the unit, the period, the tasks and the indicator it is about."""
    for item in events.codes:
        assert item.code is not None
        ids, problem = _resolve_code(prep, item.code, unit_id)
        result.tasks.append(TaskItem(written=item.written, task_ids=ids))
        if problem is not None:
            problems.append(problem)
    for start, end in question_spans(source.p):
        source.mask(start, end)
    for mention in [*events.statuses, *events.codes]:
        source.mask(*mention.span)
    for q in events.quantities:
        source.mask(*q.span)
    found = _query_indicator(prep, source, plain(source.masked))
    if found is not None:
        phrase, match = found
        result.indicators.append(IndicatorItem(written=phrase.written, indicator_ids=match.ids))
    result.problems = problems


def _query_indicator(
    prep: Prepared, source: _Text, p: str
) -> tuple[_Phrase, _IndicatorMatch] | None:
    """The indicator a question names: the longest run of its words that matches one."""
    run = _longest_known_run(prep, p)[:_QUERY_WORDS]
    for size in range(len(run), 0, -1):
        for start in range(len(run) - size + 1):
            phrase = _trimmed(source, run[start : start + size])
            if phrase is None:
                continue
            if not _names_enough(prep, phrase):
                continue
            match = _match_indicator(prep, phrase.key)
            if match.decision is Decision.MATCH:
                return phrase, match
    return None


def _read_quantities(
    prep: Prepared, source: _Text, events: _Events, p: str
) -> tuple[dict[int, Quantity], list[IndicatorItem], list[Problem]]:
    """Split the quantities into task percents (by group) and indicator figures."""
    bounds: list[tuple[int, str]] = sorted(
        [(c.span[1], "code") for c in events.codes if c.code is not None]
        + [(s.span[1], "status") for s in events.statuses]
        + [(h + 1, "separator") for h in events.hard]
        + [(q.span[1], "quantity") for q in events.quantities]
    )
    ends = [b[0] for b in bounds]
    starts_after = sorted(
        [c.span[0] for c in events.codes if c.code is not None]
        + [s.span[0] for s in events.statuses]
        + [q.span[0] for q in events.quantities]
        + events.hard
        + [s for s in events.soft if s not in events.hard]
    )
    task_percent: dict[int, Quantity] = {}
    items: list[IndicatorItem] = []
    problems: list[Problem] = []
    floor = 0  # the end of the last phrase read after its quantity
    real_codes = [c for c in events.codes if c.code is not None]
    previous: Quantity | None = None
    for q in events.quantities:
        start, end = q.span
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
        k = bisect.bisect_right(ends, start) - 1
        left, left_kind = (bounds[k][0], bounds[k][1]) if k >= 0 else (0, "start")
        if floor > left:
            left, left_kind = floor, "quantity"
        phrase = match = None
        after = False
        if not in_status:
            phrase = _phrase_before(prep, source, p, left, start)
            match = _match_indicator(prep, phrase.key) if _names_enough(prep, phrase) else None
            if match is None or match.decision is not Decision.MATCH or not match.strong:
                j = bisect.bisect_left(starts_after, end)
                right = starts_after[j] if j < len(starts_after) else len(p)
                following = _phrase_after(prep, source, p, _unit_word_start(p, q), right)
                if following is not None and _names_enough(prep, following):
                    found = _match_indicator(prep, following.key)
                    better = found.decision is Decision.MATCH and (
                        match is None or match.decision is not Decision.MATCH or found.strong
                    )
                    if better or (phrase is None and found.ids):
                        phrase, match, after = following, found, True
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
        if q.kind == "count" and (
            unnamed
            or match is None
            or match.decision is not Decision.MATCH
            or (group is not None and after_code)
        ):
            continue  # "gửi 2 ảnh", "nv 40 đã tổ chức 2 buổi": a number that names nothing
        item, item_problems = _indicator_item(prep, q, phrase, match)
        items.append(item)
        problems.extend(item_problems)
    return task_percent, items, problems


def _group_for(events: _Events, codes: list[_Item], q: Quantity) -> int | None:
    """The group of codes a quantity belongs to: the nearest code in its clause."""
    if not codes:
        return None
    clause = events.hard_of(q.span[0])
    before = [c for c in codes if c.span[1] <= q.span[0] and events.hard_of(c.span[0]) == clause]
    if before:
        return before[-1].group
    after = [c for c in codes if c.span[0] >= q.span[1] and events.hard_of(c.span[0]) == clause]
    return after[0].group if after else None


def _read_tasks(
    prep: Prepared,
    source: _Text,
    events: _Events,
    percents: dict[int, Quantity],
    unit: UnitPick,
    unit_id: int | None,
) -> tuple[list[TaskItem], list[Problem]]:
    notes = _notes(events, source)
    items: list[TaskItem] = []
    problems: list[Problem] = []
    by_code: dict[str, TaskItem] = {}
    known_unit = unit.decision in ("match", "sender") and unit_id is not None
    for mention in events.codes:
        status = events.statuses[mention.status].status if mention.status is not None else None
        note = notes.get(mention.status) if mention.status is not None else None
        percent = None
        q = percents.get(mention.group)
        item_problems: list[Problem] = []
        if q is not None and q.value is not None:
            if q.value < 0 or q.value > HUNDRED:
                subject = mention.code or mention.written
                item_problems.append(Problem(ProblemCode.VALUE_OUT_OF_RANGE, subject, value=q.text))
            else:
                percent = _round_percent(q.value)
        unclear = _status_choices(status, percent)
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
        if mention.code is not None:
            previous = by_code.get(mention.code)
            if previous is not None:
                if _differs(previous.status, status) or _differs(previous.percent, percent):
                    problems.append(Problem(ProblemCode.REPEATED_ITEM, mention.written))
                previous.status = status or previous.status
                previous.percent = percent if percent is not None else previous.percent
                previous.note = note or previous.note
                problems.extend(item_problems)
                continue
            ids, problem = _resolve_code(prep, mention.code, unit_id)
            item = TaskItem(mention.written, ids, status, percent, note)
            by_code[mention.code] = item
            if problem is not None:
                item_problems.insert(0, problem)
            elif known_unit and len(ids) == 1:
                task: TaskRef = prep.by_id[ids[0]]
                if task.unit_ids and unit_id not in task.unit_ids:
                    item_problems.insert(0, Problem(ProblemCode.TASK_NOT_ASSIGNED, task.code))
        else:
            key = " ".join(
                expand(w) for w in _WORD.findall(plain(mention.written)) if w not in _CONTENT_FILLER
            )
            ids, labels, decision = _content_match(prep, key, unit_id)
            if decision is Decision.NONE and unit_id is not None:
                ids, labels, decision = _content_match(prep, key, None)
            if decision is Decision.NONE and not _looks_like_task(prep, key):
                continue
            item = TaskItem(mention.written, ids, status, percent, note, by_content=True)
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
    return items, problems


def status_choice(status: Status, percent: int | None) -> str:
    """One choice of a :data:`ProblemCode.STATUS_UNCLEAR` problem: "in_progress:50"."""
    return f"{status.value}:{'' if percent is None else percent}"


def parse_status_choice(choice: str) -> tuple[Status, int | None]:
    status, _, percent = choice.partition(":")
    return Status(status), int(percent) if percent else None


def _status_choices(status: Status | None, percent: int | None) -> tuple[str, ...]:
    """The statuses to choose from when a task's words and its figure disagree, or ()
    when they agree. Nothing stronger than the words is ever chosen for the sender:
    a figure without a finishing word is progress, and 100 % without one is asked."""
    if percent is None:
        return ()
    by_figure = Status.NOT_STARTED if percent == 0 else Status.IN_PROGRESS
    if status is None:
        if percent < 100:
            return ()
        return (status_choice(Status.DONE, 100), status_choice(Status.IN_PROGRESS, None))
    if status is Status.DONE:
        if percent >= 100:
            return ()
        return (status_choice(Status.DONE, None), status_choice(by_figure, percent))
    if status in (Status.IN_PROGRESS, Status.DELAYED):
        if 0 < percent < 100:
            return ()
        if percent == 0:
            return (status_choice(status, None), status_choice(Status.NOT_STARTED, None))
        return (status_choice(Status.DONE, 100), status_choice(status, None))
    if status is Status.NOT_STARTED:
        if percent == 0:
            return ()
        done = Status.DONE if percent >= 100 else Status.IN_PROGRESS
        return (status_choice(Status.NOT_STARTED, None), status_choice(done, percent))
    # Not applicable ("không phát sinh") with a figure.
    if percent == 0:
        return ()
    return (status_choice(status, None), status_choice(by_figure, percent))


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


def _looks_like_task(prep: Prepared, key: str) -> bool:
    """Whether an unmatched fragment still reads like a task (mostly plan words)."""
    words = key.split()
    known = sum(1 for w in words if w in prep.task_vocabulary)
    return known >= 2 and known * 2 >= len(words)
