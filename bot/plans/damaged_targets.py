"""The indicator list of a damaged OCR text (Tesseract without Vietnamese data, the
text :mod:`bot.plans.repair` restores): which national indicators it lists, with which
targets. Pure: no I/O.

Such a text reads a table "STT | Nội dung chỉ tiêu | Đơn vị | Chỉ tiêu năm 2025 | Cơ
quan thực hiện" column by column, a block of rows at a time: a row's name is wrapped
over several lines, its "% Tối thiểu 60" (unit and target cells) comes on the line of its
first words or after the names of the rows below it, the header repeats on every page,
and a row's first words may be lost in a smudge ("{yigeua—]%"). No diacritics are left,
letters are read as digits ("Ty 1é", "s6"), and other columns' words run into the name.

So, under the heading that lists the indicators (a line naming "chỉ tiêu"), down to the
signature: a row starts where a line starts with its measure words, after its number if
read ("I Ty lé", "2 Ty ld", "Mu do"); its name is its lines up to the next row, the
header repeated on a new page left out. Each target read (a "%" and the comparator and
number after it, or the number before it; a comparator and number alone on a line, or a
number the "%" read alone before it waits for, or one too big to be a row's number) goes
to the oldest row started before it still without one, so a row whose start was lost
takes none. A "%" whose number never comes (by the next row's start) is a target lost,
and so is the target of a row still without one when a new page starts (a row's target
cell is on its first page). A number alone right before a row's measure words is that
row's number; "tối thiểu" is known with its first word garbled ("Ti thiéu", "Le thiéu").

A row is an indicator when its name is one of the national indicators'
(:func:`~bot.plans.national.national_in_damaged`): it takes the standard name (the
damaged words are no name to keep). A row with a target whose name fits none is **not**
an indicator (no name read surely), nor is one whose target was lost: both are reported
(:class:`DamagedTargets`) for the office to enter by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.language.normalize import fold, plain
from bot.plans.national import NationalIndicator, national_in_damaged

# A heading naming the indicators listed below it ("2. Danh mục các chỉ tiêu", "PHỤ LỤC
# … CHỈ TIÊU …", a table's "Nội dung chỉ tiêu"): numbered or in capitals, short; not a
# sentence's wrapped line ("… hoàn thành các mục tiêu, chỉ tiêu đề ra trong").
_HEADING = re.compile(r"\bchi tieu\b")
_NUMBERED = re.compile(r"^(?:[0-9]{1,2}|[ivxl]{1,4}|[a-z])[.,)]\s")
_MAX_HEADING_CHARS = 80
# The signature ends the list ("CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "Nơi nhận:").
_END = re.compile(r"^(?:kt\.? |tm\.? )?(?:chu tich|uy ban nhan dan|noi nhan)\b")
# The words of an indicator table's header ("STT | Nội dung chỉ tiêu | Đơn vị | Chỉ
# tiêu năm 2025 | Cơ quan thực hiện").
_HEADER_TEXT = "stt tt noi dung chi tieu nam don vi co quan thuc hien"
_HEADER_WORDS = frozenset(_HEADER_TEXT.split())
# An indicator list has a few dozen rows, each name a few dozen lines at most: a text
# with more is read no further (the names are compared word by word, in windows).
MAX_ROWS = 100
MAX_ROW_LINES = 40
_MIN_BARE_TARGET = 20  # a number alone this big is a target, not a row's number
# "T6i thiéu", "Téi thiéu", "Ti thiéu", "Le thiéu": "tối thiểu", its first word garbled.
_TOI = re.compile(r"\b[a-z0-9]{1,3}(?= thieu\b)")
_COMPARATOR = r"(?:toi thieu|toi da|it nhat|khong duoi|tren|duoi|dat)"
# A row's start: its number if read (digits, a roman one), then its measure words, run
# together or not, letters read as digits: "tỷ lệ" ("Ty lé", "Ty ld", "Ty 1é",
# "Tyléhéso") or "mức độ" ("Mu do", "Mic do").
_ROW_START = re.compile(
    r"^\W*(?:(\d{1,2}|[ivxl]{1,4})[.,)]?\s+)?\W*(?:t[yi]\W*[l1]|m[a-z]{1,3}\W*d[o0]\b)"
)
# After a "%": junk, a comparator, a number ("% Toi thiéu 60", "% } 100").
_AFTER = re.compile(
    rf"^[^a-z0-9%]{{0,4}}((?:{_COMPARATOR}\s*)?\d{{1,3}}(?:[.,]\d{{1,2}})?)(?![\d/])"
)
# Before a "%": a comparator and a number ("tối thiểu 80%").
_BEFORE = re.compile(rf"((?:{_COMPARATOR}\s*)?(?<![\d/.,])\d{{1,3}}(?:[.,]\d{{1,2}})?)\s*$")
# A target alone on its line, the "%" before it read on a line of its own: a comparator
# and a number ("Tối thiểu 80."), or a number ("100") where a "%" waits for it.
_VALUE_ALONE = re.compile(
    rf"^[^\w%]*(?P<value>(?P<comparator>{_COMPARATOR}\s*)?\d{{1,3}}(?:[.,]\d{{1,2}})?)\W*$"
)


@dataclass(frozen=True)
class DamagedRow:
    number: str  # the row's number as read, "" when none
    indicator: NationalIndicator
    target: str  # "toi thieu 60", "100": for parse_target


@dataclass
class DamagedTargets:
    rows: list[DamagedRow] = field(default_factory=list)
    nameless: list[str] = field(default_factory=list)  # targets of rows no indicator names
    numberless: list[str] = field(default_factory=list)  # indicators whose number was lost


@dataclass
class _Row:
    number: str
    lines: list[str]
    target: str | None = None
    taken: bool = False  # a target (or a "%" whose number was lost) went to it


@dataclass
class _Reading:
    """The rows read so far and the "%" still waiting for their number."""

    rows: list[_Row] = field(default_factory=list)
    percents: int = 0  # "%" read alone, their numbers to come on lines of their own

    def give(self, target: str | None) -> None:
        """A target (None: a "%" whose number was lost) to the oldest row started before
        it still without one; none when no row waits (its row's start was lost)."""
        waiting = next((r for r in self.rows if not r.taken), None)
        if waiting is not None:
            waiting.taken, waiting.target = True, target

    def lost(self) -> None:
        """The "%" still waiting lost their numbers: a target read with its "%" comes."""
        for _ in range(self.percents):
            self.give(None)
        self.percents = 0

    def page(self) -> None:
        """A new page: a row's target cell is on the page its row starts on (a short
        cell at the row's top), so a row still waiting lost it."""
        self.lost()
        for row in self.rows:
            row.taken = True


def damaged_targets(lines: list[str]) -> DamagedTargets:
    """The national indicators a damaged text's indicator list gives, with their targets;
    the targets of rows whose name fits none, the indicators whose target was lost."""
    reading = _Reading()
    inside = False
    for index, line in enumerate(lines):
        key = fold(line)
        if not inside:
            inside = _heading(line, key)
            continue
        if _END.match(key):
            reading.lost()
            inside = False
            continue
        if _header(key):  # the table's header, repeated on a new page
            reading.page()
            continue
        text = _TOI.sub("toi", plain(line))
        start = _ROW_START.match(text)
        if start is not None:
            if len(reading.rows) >= MAX_ROWS:
                break
            reading.lost()  # a "%" read before a new row whose number has not come
            number = start.group(1) or ""
            reading.rows.append(_Row(number if number.isdigit() else "", []))
            text = text[start.end(1) :] if start.group(1) else text
        if reading.rows and len(reading.rows[-1].lines) < MAX_ROW_LINES:
            reading.rows[-1].lines.append(line)
        alone = _VALUE_ALONE.match(text)
        following = next((n for n in lines[index + 1 : index + 4] if n.strip()), "")
        if alone is not None and _row_number(alone, following):
            continue
        if alone is not None and (
            reading.percents or alone.group("comparator") or _no_row_number(text)
        ):
            reading.percents = max(0, reading.percents - 1)
            reading.give(alone.group("value"))
            continue
        for target in _targets(text):
            if target is None:
                reading.percents += 1
            else:
                reading.lost()
                reading.give(target)
    reading.lost()
    found = DamagedTargets()
    for row in reading.rows:
        national = national_in_damaged(" ".join(row.lines))
        if national is None:
            if row.target is not None:
                found.nameless.append(row.target)
        elif row.target is None:
            found.numberless.append(national.name)
        elif all(r.indicator.key != national.key for r in found.rows):
            found.rows.append(DamagedRow(row.number, national, row.target))
    return found


def _heading(line: str, key: str) -> bool:
    if not _HEADING.search(key) or len(line) > _MAX_HEADING_CHARS:
        return False
    letters = [c for c in line if c.isalpha()]
    return (
        _NUMBERED.match(key) is not None
        or "danh muc" in key
        or "noi dung" in key
        or sum(c.isupper() for c in letters) > len(letters) / 2
    )


def _row_number(alone: re.Match[str], following: str) -> bool:
    """A bare number alone on its line right before a row's measure words ("10" above
    "Mức độ hài lòng …"): that row's number, whatever "%" waits for its number."""
    return (
        alone.group("comparator") is None
        and _ROW_START.match(plain(following)) is not None
        and not _no_row_number(alone.group("value"))
    )


def _no_row_number(text: str) -> bool:
    """A number alone on its line too big for a row's number: a target whose "%" was
    lost (an indicator list has a few rows)."""
    number = re.search(r"\d+", text)
    return number is not None and int(number.group(0)) >= _MIN_BARE_TARGET


def _header(key: str) -> bool:
    """A line of the header's words (a year among them), at least one."""
    words = key.split()
    known = sum(w in _HEADER_WORDS for w in words)
    return known > 0 and known + sum(w.isdigit() for w in words) >= 0.75 * len(words)


def _targets(text: str) -> list[str | None]:
    """The targets a line (``plain``) reads, in order: each "%" with the comparator and
    number after it (the number before it when none follows), None for a "%" with
    neither (its number on a line of its own, or lost)."""
    out: list[str | None] = []
    parts = text.split("%")
    for index in range(1, len(parts)):
        after = _AFTER.match(parts[index])
        before = _BEFORE.search(parts[index - 1]) if after is None else None
        match = after or before
        out.append(match.group(1).strip() if match else None)
    return out
