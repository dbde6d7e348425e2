"""The message being read, and the events found in it.

Owns :class:`Text` (the NFC text, its plain twin, and a copy where the parts already
read are blanked out), :class:`TaskMention` and :class:`Events` (the task mentions,
status mentions, quantities and clause separators the other steps work on), the
separators themselves (hard: ``;``, a new line, a full stop but a list item's mark
"1.", ``!``, ``?``; soft: a comma, a spaced dash), and the readings that add or drop
events: a "chưa" standing alone (not done yet), a total with "trong đó" a part of it (one
ratio), a list item's number (no figure). Pure.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from bot.checks import required
from bot.language.normalize import nfc, plain
from bot.language.numbers import Quantity
from bot.language.statuses import Status, StatusMention
from bot.understanding.counted import counted

HUNDRED = Decimal(100)

WORD = re.compile(r"[^\W_]+")


def word_set(text: str) -> frozenset[str]:
    """The words of a list written as one string."""
    return frozenset(text.split())


def word_tokens(p: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The words of ``p[start:end]`` with their spans."""
    return [(m.start(), m.end(), m.group()) for m in WORD.finditer(p, start, end)]


class Text:
    """The NFC text, its plain twin, and a copy where read parts are blanked out."""

    def __init__(self, text: str) -> None:
        self.t = nfc(text)
        self.p = plain(self.t)
        self._masked = list(self.t)

    def mask(self, start: int, end: int) -> None:
        for i in range(max(0, start), min(end, len(self._masked))):
            if not self._masked[i].isspace():
                self._masked[i] = " "

    def copy(self) -> Text:
        twin = Text.__new__(Text)
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
class TaskMention:
    """A task mention (a code, or a fragment of content) while statuses are assigned."""

    written: str
    span: tuple[int, int]
    code: str | None = None  # None: a fragment of content
    status: int | None = None  # index into the status mentions
    group: int = 0  # codes sharing a status and a clause share a percentage
    joined: bool = False  # listed before the next code and sharing its status and figure
    report: bool = False  # "đã gửi báo cáo": the unit's periodic report, no words of its own
    every: bool = False  # "xong hết các nhiệm vụ": each task of the unit not otherwise named
    excluded: bool = False  # after "trừ", "ngoại trừ", "riêng": not in the status before it


@dataclass
class Events:
    """What the message holds once its unit and period are read, in order of position."""

    codes: list[TaskMention]
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
    # Where a status said of every task is written ("các nv khác đang làm"): a code left
    # out before it does not take that status.
    every: tuple[int, int] | None = None
    # Totals read into the ratios of their parts ("tiếp nhận 120 hồ sơ, số hóa 110"): no
    # figure, but the words naming the next figure start after them.
    totals: list[tuple[int, int]] = field(default_factory=list)
    # Totals received with no part after them (by start): "tiếp nhận 120 hồ sơ" says how
    # many, it is no percentage indicator's figure.
    received: set[int] = field(default_factory=set)
    # The ratios read as a part of a total (by start), with that total: a figure only of
    # an indicator counting what the total counts (:mod:`.counted`).
    part_of: dict[int, Total] = field(default_factory=dict)

    def hard_of(self, pos: int) -> int:
        return bisect.bisect_right(self.hard, pos)

    def soft_of(self, pos: int) -> int:
        return bisect.bisect_right(self.soft, pos)


_SOFT_DASH = re.compile(r"\s[-–—+]\s")
_ABBREVIATED = frozenset({"p", "x", "f", "q", "h", "tp", "tx", "tt", "dk", "ths", "ts", "ks", "ng"})


def separators(p: str) -> tuple[list[int], list[int]]:
    """The positions of the hard separators, and of the hard and soft ones together."""
    hard: list[int] = []
    soft: list[int] = []
    marks = {end - 1 for end in item_numbers(p).values()}  # "1." of "1. Đã hoàn thành"
    for i, ch in enumerate(p):
        if ch in ";\n\r!?\u2028\u2029":
            hard.append(i)
        elif i in marks:
            continue  # a list item's mark ends no clause
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


# A list item's number ("1) …", "(2) …", "3/ …", "4- …", "5. …") at the start of the
# message, of a line or of a clause after ";" or ":", a word following: it numbers what
# the official lists, it is no figure ("3) Số hóa đạt 95/100" is not "số hóa 3").
_ITEM_NUMBER = re.compile(
    r"(?:^|(?<=[\n;:]))[ \t]*\(?(?P<n>\d{1,2})(?:\)|/|-|–|\.)(?=[ \t]+[^\W\d_])", re.M
)


def item_numbers(p: str) -> dict[int, int]:
    """The numbers of a list's items: where each starts, and where its mark ends ("1)",
    "2.")."""
    return {m.start("n"): m.end() for m in _ITEM_NUMBER.finditer(p)}


def without_item_numbers(p: str, quantities: list[Quantity]) -> list[Quantity]:
    """The quantities less the numbers of a list's items ("1) nv 2.1 xong; 2) số hóa
    90%")."""
    numbers = item_numbers(p)
    return [
        q
        for q in quantities
        if not (q.kind == "count" and q.unit_word is None and q.span[0] in numbers)
    ]


# "nv 21 chưa" (not yet): "chưa" alone before the end, a separator or the next code.
_NOT_YET = re.compile(r"(?<!\w)chua(?=\s*(?:$|[,;.!\n]|(?:nv|nhiem vu)(?!\w)|\d))")
_NOT_YET_FORMS = frozenset({"chua", "chưa"})
# "Tiếp nhận 250 hồ sơ, trong đó 180 hồ sơ trực tuyến": a part of a total.
_OF_WHICH = re.compile(r"[\s,;:(]*(?:trong do|trong so do|trong so nay|trong so|co)[\s,:]*")


def with_bare_not_yet(t: str, p: str, statuses: list[StatusMention]) -> list[StatusMention]:
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


# "88% chứ không phải 85%", "88% thay vì 85%": the figure after it is the one taken back.
_DENIED = re.compile(r"(?<!\w)(?:(?:chu|chu khong|khong) phai(?: la)?|thay vi)\s*:?\s*\Z")


def without_denied(p: str, quantities: list[Quantity]) -> list[Quantity]:
    """The quantities less those a correction denies ("… là 88% chứ không phải 85%")."""
    return [q for q in quantities if not _DENIED.search(p, max(0, q.span[0] - 30), q.span[0])]


# "…, trong đó trực tuyến 90, số hóa 100": the parts named after the total.
_OF_WHICH_NAMED = re.compile(r"[\s,:(]*(?:trong do|trong so do|trong so nay|trong so)(?!\w)")


def _fits(part: Quantity, total: Quantity) -> bool:
    """Whether ``part`` is a count that can be a part of ``total``."""
    return (
        part.kind == "count"
        and part.value is not None
        and total.value is not None
        and 0 <= part.value <= total.value
    )


@dataclass(frozen=True)
class Total:
    """A total that counts were read as parts of: the count, its words ("tiếp nhận 120 hồ
    sơ", "tổng số giao dịch thanh toán 50", in the plain text's positions), and what it
    counts (:func:`.counted.counted`: its noun's, else its words'; None when neither says)."""

    quantity: Quantity
    words: tuple[int, int]
    counts: str | None


def _total(p: str, soft: list[int], total: Quantity) -> Total:
    """``total`` with its words: its clause up to it, at most the 40 characters before."""
    start = max(clause_start(soft, total.span[0]), total.span[0] - 40)
    while start < total.span[0] and not p[start].isalnum():
        start += 1
    counts = counted(total.unit_word or "") or counted(p[start : total.span[1]])
    return Total(total, (start, total.span[1]), counts)


def _part(t: str, total: Quantity, part: Quantity, span: tuple[int, int]) -> Quantity:
    """The ratio of ``part`` to ``total``; its noun the part's, else the total's ("tiếp nhận
    200 hồ sơ, trực tuyến 150": 150 hồ sơ)."""
    num, den = required(part.value, "part"), required(total.value, "total")
    value = (num / den * HUNDRED).quantize(Decimal("0.01"), ROUND_HALF_UP)
    noun = part.unit_word or total.unit_word
    return Quantity("ratio", value, num, den, noun, span, t[span[0] : span[1]])


def combined_ratios(
    t: str, p: str, quantities: list[Quantity]
) -> tuple[list[Quantity], dict[int, Total]]:
    """Counts written as a total and parts of it, read as ratios: "Tiếp nhận 250 hồ sơ,
    trong đó 180 hồ sơ trực tuyến" (one ratio, from the total to the part), "Tiếp nhận
    120 hồ sơ, trong đó trực tuyến 90, số hóa 100" (a ratio per part, each at its count:
    the words before it name it; the total alone is no figure). Each ratio's total comes
    back beside it (by the ratio's start)."""
    out: list[Quantity] = []
    part_of: dict[int, Total] = {}
    _hard, soft = separators(p)
    i = 0
    while i < len(quantities):
        q = quantities[i]
        nxt = quantities[i + 1] if i + 1 < len(quantities) else None
        total = q.kind == "count" and q.unit_word is not None and bool(q.value)
        if (
            total
            and nxt is not None
            and _fits(nxt, q)
            and _OF_WHICH.fullmatch(p, q.span[1], nxt.span[0])
        ):
            out.append(_part(t, q, nxt, (q.span[0], nxt.span[1])))
            part_of[q.span[0]] = _total(p, soft, q)
            i += 2
            continue
        named = _OF_WHICH_NAMED.match(p, q.span[1]) if total else None
        parts: list[Quantity] = []
        for part in quantities[i + 1 :] if named else ():
            if not _fits(part, q) or re.search(r"[;\n.!?]", p[q.span[1] : part.span[0]]):
                break
            parts.append(part)
        if parts:
            out.extend(_part(t, q, part, part.span) for part in parts)
            whole = _total(p, soft, q)
            part_of.update((part.span[0], whole) for part in parts)
            i += 1 + len(parts)
            continue
        out.append(q)
        i += 1
    return out, part_of


# The total a count is when these words come right before it: "tiếp nhận 120 hồ sơ",
# "tổng số giao dịch: 50", "phát sinh 12 hồ sơ".
_RECEIVED = re.compile(
    r"(?<!\w)(?:tiep\s*nhan|nhan\s*duoc|tong\s*so|tong\s*cong|tong|phat\s*sinh)"
    r"(?:\s+[^\W\d_]+){0,4}\s*(?:la|:|=)?\s*\Z"
)


def clause_start(soft: list[int], pos: int) -> int:
    """Where the soft clause holding ``pos`` starts."""
    k = bisect.bisect_left(soft, pos)
    return soft[k - 1] + 1 if k else 0


def received_parts(
    t: str,
    p: str,
    quantities: list[Quantity],
    names: Callable[[Quantity, int, Total], bool],
) -> tuple[list[Quantity], list[tuple[int, int]], set[int], dict[int, Total]]:
    """Counts written as a total received and, after it, the counts done of it each
    naming an indicator: "số hóa: tiếp nhận 120 hồ sơ, đã số hóa 110 hồ sơ" (110/120 for
    "số hóa"), "tổng số giao dịch 50, thanh toán trực tuyến 42", "Tiếp nhận: 120 hồ sơ" then
    "Số hóa: 110 hồ sơ" on the next line. A part is a count no greater than the total
    whose words (back to the quantity, comma or line before it) name an indicator, alone
    or after the total's noun ("tiếp nhận 200 hồ sơ, trực tuyến 150": hồ sơ trực tuyến;
    ``names(part, left, total)``); the parts run on past figures of their own ("120/150
    giao dịch", "95%") to a count greater than the total or the next total. The total is
    then no figure of its own: its span is returned apart, to bound the words naming the
    figures after it. A count naming nothing after the total ("giải quyết 118") stays a
    count; a total with no part stays one too, its start returned in the third set. Each
    part's total comes back last (by the part's start)."""
    _hard, soft = separators(p)
    out = list(quantities)
    totals: list[tuple[int, int]] = []
    lone: set[int] = set()
    part_of: dict[int, Total] = {}
    i = 0
    while i < len(quantities):
        total = quantities[i]
        i += 1
        if not (total.kind == "count" and total.value and _received(p, soft, total)):
            continue
        parts: list[Quantity] = []
        left = total.span[1]
        whole = _total(p, soft, total)
        for part in quantities[i:]:
            if part.kind != "count":  # a figure of its own ("120/150 giao dịch", "95%")
                left = part.span[1]
                i += 1
                continue
            if not _fits(part, total) or _received(p, soft, part):
                break
            if names(part, max(left, clause_start(soft, part.span[0])), whole):
                parts.append(part)
            left = part.span[1]
            i += 1
        if parts:
            for part in parts:
                out[out.index(part)] = _part(t, total, part, part.span)
                part_of[part.span[0]] = whole
            out.remove(total)
            totals.append(total.span)
        else:
            lone.add(total.span[0])
    return out, totals, lone, part_of


def _received(p: str, soft: list[int], q: Quantity) -> bool:
    """Whether the words right before ``q`` in its clause say it is a total received."""
    start = max(clause_start(soft, q.span[0]), q.span[0] - 40)
    return _RECEIVED.search(p, start, q.span[0]) is not None
