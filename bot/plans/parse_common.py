"""What the table and prose task readers share: task numbers, sections, raw tasks.

Task numbers as written: ``1``, ``1.1``, ``2.3.1``, ``I``, ``II``, ``A``, ``Đ``, ``B.I.5``,
``a)``; a trailing "." or ")" is not part of the number. A single letter that is also a
roman numeral (I, V, X, L, C, D, M) is a letter when it follows the previous letter
section (B → C, C → D) and a roman numeral when it follows the previous roman one
(IV → V) or is I with no such letter before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PART = r"(?:[IVXLC]{1,6}|[A-ZĐ]|\d{1,3})"
# (a task of a later appendix may carry the appendix's number, as Đôn Đốc's codes do
# when the appendices' numbers overlap: "PL2.1")
_CODE_RE = re.compile(
    rf"^(?P<code>(?:PL\d{{1,2}}\s*\.\s*)?{_PART}(?:\s*[.\-]\s*(?:{_PART}|[a-zđ]))*)"
    r"\s*[.):]?(?:\s+(?P<rest>\S.*))?$",
    re.S,
)
_LOWER_CODE_RE = re.compile(r"^(?P<code>[a-zđ])\s*[.)](?:\s+(?P<rest>\S.*))?$", re.S)
_ROMAN_RE = re.compile(r"[IVXLC]{1,6}")
ALPHABET = "ABCDĐEGHIKLMNOPQRSTUVXY"
LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ROMANS = [
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
    "XVIII",
    "XIX",
    "XX",
]


def split_code(text: str) -> tuple[str, str]:
    """(task number, the rest) of a cell or heading: "V Tiếp nhận …" → ("V", "Tiếp nhận …").

    >>> split_code("1.1"), split_code("II."), split_code("quyền giải quyết")
    (('1.1', ''), ('II', ''), ('', 'quyền giải quyết'))
    >>> split_code("PL2.1")
    ('PL2.1', '')
    """
    text = text.strip()
    if not text:
        return "", ""
    m = _CODE_RE.match(text) or _LOWER_CODE_RE.match(text)
    if m is None:
        return "", text
    code = re.sub(r"\s+", "", m.group("code")).replace("-", ".")
    rest = (m.group("rest") or "").strip()
    # "A Ban hành …" is a letter section; a lone capital followed by a lower-case word
    # could be ordinary text.
    single = len(code) == 1 and code.isalpha() and m.re is _CODE_RE
    if rest and single and not (rest[:1].isupper() or rest[:1].isdigit()):
        return "", text
    return code, rest


def is_roman(code: str) -> bool:
    return code in ROMANS


def _successor(code: str, alphabet: str) -> str | None:
    index = alphabet.find(code)
    return alphabet[index + 1] if 0 <= index < len(alphabet) - 1 else None


def follows_letter(previous: str | None, code: str) -> bool:
    if previous is None:
        return False
    return code in (_successor(previous, ALPHABET), _successor(previous, LATIN))


def follows_roman(previous: str | None, code: str) -> bool:
    if previous is None or previous not in ROMANS:
        return False
    index = ROMANS.index(previous)
    return index + 1 < len(ROMANS) and ROMANS[index + 1] == code


def code_kind(code: str, last_letter: str | None = None, last_roman: str | None = None) -> str:
    """The kind of a task number: "letter", "roman", "number" (1, 1.2, B.I.5), "lower" (a)."""
    if not code:
        return "none"
    if re.fullmatch(r"[a-zđ]", code):
        return "lower"
    if len(code) == 1 and code in "IVXLCDM":
        if follows_letter(last_letter, code):
            return "letter"
        if follows_roman(last_roman, code):
            return "roman"
        if code == "I" or (last_letter is None and code in "IVX"):
            return "roman"
        return "letter"
    if re.fullmatch(r"[A-ZĐ]", code):
        return "letter"
    if _ROMAN_RE.fullmatch(code) and is_roman(code):
        return "roman"
    return "number"


LEVELS = {"letter": 0, "roman": 1, "number": 2, "lower": 6, "none": 7}


def level_of(code: str, kind: str) -> int:
    if kind == "number":
        return 2 + code.count(".")
    return LEVELS[kind]


@dataclass(eq=False)
class Section:
    code: str
    title: str
    level: int
    kind: str
    # The number as OCR read it, when ``code`` was inferred from the numbering instead
    # (a bold "III" read "I"): the office is asked to check the section's tasks.
    read_as: str | None = None

    def label(self) -> str:
        title = " ".join(self.title.split())
        if self.code:
            return f"{self.code}. {title}" if title else self.code
        return title


@dataclass(eq=False)
class RawTask:
    """A task as read, before units, timeframe and its unique code are worked out."""

    written: str
    content: str
    lead: str = ""
    coop: str = ""
    time: str = ""
    product: str = ""
    section: Section | None = None
    sections: tuple[Section, ...] = ()  # the whole path, outermost first
    group: int = 0
    code: str = ""
    generated: bool = False
    extra_indicators: list[str] = field(default_factory=list)
    lead_from_above: bool = False  # its empty lead cell took the lead of the task above
    sheet: str | None = None  # the name of the sheet it is on (a workbook's)


def join_text(before: str, after: str) -> str:
    """Text continued from a previous row or line: a space, or a line break for a bullet."""
    before, after = before.rstrip(), after.strip()
    if not before:
        return after
    if not after:
        return before
    if re.match(r"[-+•*–]\s", after):
        return f"{before}\n{after}"
    return f"{before} {after}"


def clean_text(text: str) -> str:
    """Whitespace tidied: a line break before a lower-case word is a wrapped line."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = [line for line in lines if line]
    out = ""
    for line in lines:
        if not out:
            out = line
        elif line[:1].islower() and not re.match(r"[a-zđ]\)", line):
            out = f"{out} {line}"
        else:
            out = f"{out}\n{line}"
    return out
