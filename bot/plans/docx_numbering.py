"""The numbers Word prints before its list paragraphs. Pure: reads XML it is given.

A Word list's numbers ("1.", "a)", "II.", the STT column of a table numbered by Word)
are not in the paragraph's text: Word draws them from the numbering part
(``word/numbering.xml``) at display time. A plan typed as a numbered list, or whose
task table numbers its rows this way, would lose every number (its tasks run together
into one, its rows lose their codes), so the reader asks :class:`ListNumbers` for each
paragraph's label, in reading order, and puts it before the text as Word shows it.

How a label is made (ECMA-376 §17.9): a paragraph is in a list when its properties or
its style's (through the styles it is based on) give a ``w:numPr``: a list instance
(``w:numId``, 0 meaning none) and a level (``w:ilvl``). The instance points to an
abstract list whose levels give the start, the number format (``decimal``,
``lowerLetter``, ``upperRoman`` …) and the text (``"%1."``, ``"%1.%2"``, ``"%2)"``,
each ``%n`` the current count of level n). Counts are kept per abstract list, so two
instances of one list go on counting, as Word does, unless an instance restarts a
level (``w:lvlOverride/w:startOverride``); a level's count restarts whenever a
shallower level counts on. Bullets are written "-" (a list item to the parsers).

python-docx gives the numbering part's XML and the styles but computes no labels; a
malformed part gives no labels rather than an error (the text is still read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

_MAX_LEVELS = 9


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str


def _val(element: etree._Element | None, default: str | None = None) -> str | None:
    if element is None:
        return default
    return element.get(qn("w:val"), default)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _roman(n: int) -> str:
    out = []
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word's letters: a … z, then aa … zz, aaa …
    n = max(n, 1)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """One count in a level's format.

    >>> [format_number(n, f) for n, f in ((3, "decimal"), (2, "lowerLetter"), (4, "upperRoman"))]
    ['3', 'b', 'IV']
    >>> format_number(7, "decimalZero"), format_number(28, "lowerLetter")
    ('07', 'bb')
    """
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)  # decimal, and formats a plan does not use, as numbers


class ListNumbers:
    """The labels of a document's list paragraphs, asked for in reading order."""

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._instances: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstract, restarts)
        self._style_num: dict[str, tuple[str | None, int | None]] = {}
        self._counts: dict[str, list[int]] = {}
        self._started: set[tuple[str, int]] = set()  # (numId, level) restarts applied
        if numbering is not None:
            self._read_numbering(numbering)
        if styles is not None:
            self._read_styles(styles)

    def _read_numbering(self, numbering: etree._Element) -> None:
        for abstract in numbering.iterfind(qn("w:abstractNum")):
            levels: dict[int, _Level] = {}
            for lvl in abstract.iterfind(qn("w:lvl")):
                index = _int(lvl.get(qn("w:ilvl")), -1)
                if not 0 <= index < _MAX_LEVELS:
                    continue
                levels[index] = _Level(
                    _int(_val(lvl.find(qn("w:start"))), 1),
                    _val(lvl.find(qn("w:numFmt")), "decimal") or "decimal",
                    _val(lvl.find(qn("w:lvlText")), "") or "",
                )
            self._abstract[abstract.get(qn("w:abstractNumId"), "")] = levels
        for num in numbering.iterfind(qn("w:num")):
            restarts: dict[int, int] = {}
            for override in num.iterfind(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    restarts[_int(override.get(qn("w:ilvl")), 0)] = _int(_val(start), 1)
            abstract_id = _val(num.find(qn("w:abstractNumId")), "") or ""
            self._instances[num.get(qn("w:numId"), "")] = (abstract_id, restarts)

    def _read_styles(self, styles: etree._Element) -> None:
        based: dict[str, str] = {}
        own: dict[str, tuple[str | None, int | None]] = {}
        for style in styles.iterfind(qn("w:style")):
            style_id = style.get(qn("w:styleId"), "")
            parent = _val(style.find(qn("w:basedOn")))
            if parent:
                based[style_id] = parent
            num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num_pr is not None:
                own[style_id] = _num_pr(num_pr)
        for style_id in {*based, *own}:
            num_id, level, seen, current = None, None, set(), style_id
            while current and current not in seen:  # through the styles it is based on
                seen.add(current)
                found_id, found_level = own.get(current, (None, None))
                num_id = num_id if num_id is not None else found_id
                level = level if level is not None else found_level
                current = based.get(current, "")
            if num_id is not None:
                self._style_num[style_id] = (num_id, level)

    def label(self, p: etree._Element) -> str:
        """The label Word prints before paragraph ``p`` ("1.", "a)", "-"), or ""; each
        call counts the paragraph, so ask once per paragraph, in reading order."""
        p_pr = p.find(qn("w:pPr"))
        num_id: str | None = None
        level: int | None = None
        if p_pr is not None:
            num_pr = p_pr.find(qn("w:numPr"))
            if num_pr is not None:
                num_id, level = _num_pr(num_pr)
            style_id = _val(p_pr.find(qn("w:pStyle")))
            if style_id in self._style_num:
                style_num, style_level = self._style_num[style_id]
                num_id = num_id if num_id is not None else style_num
                level = level if level is not None else style_level
        if not num_id or num_id == "0" or num_id not in self._instances:
            return ""
        level = min(max(level or 0, 0), _MAX_LEVELS - 1)
        abstract_id, restarts = self._instances[num_id]
        levels = self._abstract.get(abstract_id)
        if not levels or level not in levels:
            return ""
        counts = self._counts.setdefault(
            abstract_id, [levels[i].start - 1 if i in levels else 0 for i in range(_MAX_LEVELS)]
        )
        if level in restarts and (num_id, level) not in self._started:
            self._started.add((num_id, level))
            counts[level] = restarts[level] - 1
        counts[level] += 1
        for deeper in range(level + 1, _MAX_LEVELS):  # a deeper list starts again
            counts[deeper] = levels[deeper].start - 1 if deeper in levels else 0
        spec = levels[level]
        if spec.fmt == "bullet":
            return "-"
        if spec.fmt == "none":
            return ""

        def number(m: re.Match[str]) -> str:
            index = int(m.group(1)) - 1
            if not 0 <= index < _MAX_LEVELS:
                return ""
            fmt = levels[index].fmt if index in levels else "decimal"
            return format_number(max(counts[index], 1), fmt)

        return re.sub(r"%([1-9])", number, spec.text).strip()


def _num_pr(num_pr: etree._Element) -> tuple[str | None, int | None]:
    num_id = _val(num_pr.find(qn("w:numId")))
    ilvl = num_pr.find(qn("w:ilvl"))
    return num_id, (_int(_val(ilvl), 0) if ilvl is not None else None)
