"""Numbers, quantities and task codes in what officials type.

Vietnamese writes a decimal comma and groups thousands with dots (``1.234,5``), but
phones also produce ``72.5%``. :func:`find_quantities` reads percentages (``72,5 %``),
ratios (``85/100 hồ sơ``, ``85 trên tổng số 100``, ``12 hồ sơ trực tuyến trên tổng số 20``:
the span ends at the number's noun, the words before "trên tổng" naming what is counted;
``40 hồ sơ / 50``, the noun before the slash) and counts (``1.234 hồ sơ``) and skips
what only looks like a number: task codes (``2.1``, ``II.3``, ``nv 7``), periods
(``tháng 10/2025``, ``quý 3``, ``9 tháng``), dates (``15/10/2025``), times (``16:15``),
document numbers (``45/KH-UBND``) and digits inside words (``T10``, ``x4``).
:func:`find_task_codes` returns the task codes. :func:`find_unreadable` finds what was
meant as a figure but is not a number as typed (``8o/100``, ``9l%``, ``tám mươi phần trăm``).

Matching runs on ``plain(text)``; spans index ``nfc(text)``. Decisions on ambiguous input:

* ``1.234`` is 1234 (a dot before exactly three digits groups thousands, the first
  group being 1-3 digits not starting with 0); ``72.5``, ``0.500`` and ``1234.567``
  use a decimal dot; ``1,234`` is 1.234 (decimal comma); ``1,234,567`` is junk.
* A dotted number whose parts have 1-2 digits (``2.1``, ``72.5``) is a task code
  unless ``%`` or ``phần trăm`` follows; a percentage always wins over a code or
  period word before it (``nv 72%`` is 72 %).
* ``a/b`` of two small integers is a date when it is a valid day/month and the day is
  larger than the month or a part is zero-padded (``15/10``, ``05/10``), and a
  month/year when ``b`` is a year (``10/2025``); otherwise a ratio (``8/10``,
  ``10/10``). A unit noun after it (``15/10 hồ sơ``) makes it a ratio.
* Period words only hide a number that fits them (``tháng`` 1-12, ``quý`` 1-4, ``năm``
  1900-2100, ``ngày`` 1-31), and a word typed with other diacritics is another word
  (``Chiến Thắng 8`` is a count, ``tháng 8`` is not); ``85 trên 100`` is a ratio even
  after a period word. Task code words (``nv``, ``mục`` …) hide any number after them.
* ``85/100%`` is the ratio 85/100 (the ``%`` is left out of the span); ``85 trên
  100%`` is the count 85 then 100 % (``trên 100%`` means "above 100 %").
* A bare run of nine or more digits (a phone number, an id), or a number longer than
  40 characters, is not a quantity.
* Task codes: digits lose leading zeros (``02.1`` → ``2.1``), letters are upper-cased;
  a comma is never inside a code (``nv 2,3`` is the codes 2 and 3); single letters and
  roman numerals (I-XX) count only after a code word (``nv A``) or inside a dotted
  code (``B.I.5``); numeric parts have 1-2 digits (1-3 for a lone number after a code
  word).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Literal

from bot.checks import required
from bot.language.normalize import nfc, plain

__all__ = [
    "Quantity",
    "QuantityKind",
    "TaskCode",
    "Unreadable",
    "find_quantities",
    "find_task_codes",
    "find_unreadable",
    "parse_number",
]

QuantityKind = Literal["percent", "ratio", "count"]


@dataclass(frozen=True)
class Quantity:
    """A percentage, a ratio or a count found in text.

    ``value`` is the percentage for ``percent`` and ``ratio`` (the ratio's rounded to
    2 decimals; ``None`` for a zero denominator) and the number for ``count``.
    """

    kind: QuantityKind
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    unit_word: str | None
    span: tuple[int, int]
    text: str


@dataclass(frozen=True)
class TaskCode:
    """A task number (``2.1``, ``II.3``, ``B.I.5``, ``7`` after ``nv``), normalised."""

    code: str
    span: tuple[int, int]
    text: str


# --- parse_number -------------------------------------------------------------------

_MINUS = "-\u2212"
_INT_DEC_RE = re.compile(r"[0-9]+(?:,[0-9]+)?")
_GROUPED_RE = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]+)?")
_DOT_DEC_RE = re.compile(r"[0-9]+\.[0-9]+")


def parse_number(token: str) -> Decimal | None:
    """A number written the Vietnamese way (``1.234,5``) or with a decimal dot (``72.5``).

    >>> parse_number("1.234,5"), parse_number("72.5"), parse_number("1,234")
    (Decimal('1234.5'), Decimal('72.5'), Decimal('1.234'))
    >>> parse_number("2.1.3") is None
    True
    """
    s = token.strip()
    sign = ""
    if s[:1] and s[0] in _MINUS:
        sign, s = "-", s[1:]
    if _GROUPED_RE.fullmatch(s):
        s = s.replace(".", "").replace(",", ".")
    elif _INT_DEC_RE.fullmatch(s):
        s = s.replace(",", ".")
    elif not _DOT_DEC_RE.fullmatch(s):
        return None
    return Decimal(sign + s)


# --- vocabulary ---------------------------------------------------------------------


def _alternation(words: list[str] | tuple[str, ...]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in ordered)


# Nouns that may follow a count or a ratio (plain spelling).
UNIT_WORDS: tuple[str, ...] = (
    "ho so",
    "hs",
    "bo ho so",
    "tthc",
    "thu tuc",
    "thu tuc hanh chinh",
    "giao dich",
    "dich vu",
    "dich vu cong",
    "dvc",
    "phan anh",
    "kien nghi",
    "phan anh kien nghi",
    "pakn",
    "nguoi",
    "nguoi dan",
    "cong dan",
    "ca nhan",
    "to chuc",
    "doanh nghiep",
    "luot",
    "ho",
    "van ban",
    "vb",
    "ket qua",
    "truong hop",
    "don",
    "phieu",
    "y kien",
    "giay to",
    "ban sao",
    "tai khoan",
    "ban ghi",
)

# Accepted spellings of words whose plain form is ambiguous. A word typed without
# diacritics is accepted (unless strict); typed with diacritics it must be one of these.
_FORMS: dict[str, frozenset[str]] = {
    "thang": frozenset({"tháng"}),
    "quy": frozenset({"quý", "qúy"}),
    "nam": frozenset({"năm"}),
    "ngay": frozenset({"ngày"}),
    "tuan": frozenset({"tuần"}),
    "dot": frozenset({"đợt"}),
    "lan": frozenset({"lần"}),
    "ky": frozenset({"kỳ", "kì"}),
    "gio": frozenset({"giờ"}),
    "phut": frozenset({"phút"}),
    "nhiem": frozenset({"nhiệm"}),
    "vu": frozenset({"vụ"}),
    "muc": frozenset({"mục"}),
    "noi": frozenset({"nội"}),
    "dung": frozenset({"dung"}),
    "cong": frozenset({"công"}),
    "viec": frozenset({"việc"}),
    "phu": frozenset({"phụ"}),
    "luc": frozenset({"lục"}),
    "dieu": frozenset({"điều"}),
    "khoan": frozenset({"khoản"}),
    "so": frozenset({"số"}),
    "va": frozenset({"và"}),
    "den": frozenset({"đến"}),
    "toi": frozenset({"tới"}),
}
# Words that are too common without diacritics ("lan" is a name, "ky" is "ký").
_STRICT = frozenset({"tuan", "dot", "lan", "ky", "gio", "dieu", "khoan"})

# A word before a number: what it makes of the number, and the range it fits.
_PERIOD, _CODE, _REF = "period", "code", "ref"
_BEFORE_WORDS: dict[str, tuple[str, tuple[int, int] | None]] = {
    "thang": (_PERIOD, (1, 12)),
    "thg": (_PERIOD, (1, 12)),
    "quy": (_PERIOD, (1, 4)),
    "nam": (_PERIOD, (1900, 2100)),
    "ngay": (_PERIOD, (1, 31)),
    "tuan": (_PERIOD, (1, 53)),
    "dot": (_PERIOD, (1, 99)),
    "lan": (_PERIOD, (1, 99)),
    "ky": (_PERIOD, (1, 99)),
    "gio": (_PERIOD, (0, 24)),
    "nv": (_CODE, None),
    "nvu": (_CODE, None),
    "nhiem vu": (_CODE, None),
    "muc": (_CODE, None),
    "noi dung": (_CODE, None),
    "cong viec": (_CODE, None),
    "stt": (_CODE, None),
    "tt": (_CODE, None),
    "phu luc": (_REF, None),
    "dieu": (_REF, None),
    "khoan": (_REF, None),
}
_CODE_WORDS = tuple(w for w, (kind, _) in _BEFORE_WORDS.items() if kind == _CODE)
# Words after a count that make it a duration ("9 tháng", "3 ngày").
_AFTER_WORDS = ("thang", "thg", "nam", "ngay", "tuan", "quy", "gio", "phut")

_ONES = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")
_ROMAN = frozenset("X" * (n // 10) + _ONES[n % 10] for n in range(1, 21))  # I..XX

# --- regular expressions (all on plain text) ----------------------------------------

_UNIT_ALT = _alternation(UNIT_WORDS)
_MAX_TOKEN = 40  # longer runs of digits are not quantities
_NUM = r"[0-9]+(?:[.,][0-9]+)*"
_NUM_RE = re.compile(_NUM)
_WORD_RE = re.compile(r"\w+")
_PERCENT_RE = re.compile(r"\s*(?:%|\uff05|phan\s+tram(?!\w))")
_UNIT_RE = re.compile(rf"\s*(?P<unit>{_UNIT_ALT})(?!\w)")
_SLASH_NUM_RE = re.compile(rf"\s*/\s*({_NUM})")
_DOC_NUMBER_RE = re.compile(r"/[^\W\d_]")
_TIME_RE = re.compile(r":[0-9]{2}(?![0-9])")
_DASH_DATE_RE = re.compile(r"[0-9]{1,2}-[0-9]{1,2}-[0-9]{2,4}(?![0-9])")
_RATIO_WORD_RE = re.compile(
    rf"(?:\s*(?P<unit>{_UNIT_ALT})(?!\w))?"
    r"\s+(?:tren(?:\s+tong(?:\s+so)?)?|trong\s+(?:tong(?:\s+so)?|so))\s+"
    rf"(?P<den>{_NUM})"
)
# "12 hồ sơ trực tuyến trên tổng số 20": the total after the words naming what is counted;
# only "tổng" says it is the total of the number before (the span ends at the number's
# noun, so the words after it are read as the indicator's name).
_RATIO_TOTAL_RE = re.compile(
    rf"(?:\s*(?P<unit>{_UNIT_ALT})(?!\w))?"
    r"(?:\s+(?!(?:tren|trong)(?!\w))[^\W\d_]+){1,5}?"
    r"\s+(?:tren|trong)\s+tong(?:\s+so)?\s+"
    rf"(?P<den>{_NUM})"
)
_BEFORE_RE = re.compile(
    rf"(?<!\w)(?P<word>{_alternation(list(_BEFORE_WORDS))})"
    r"(?P<so>[\s.:#]*(?<!\w)so(?!\w))?[\s.:#]*\Z"
)
_AFTER_RE = re.compile(rf"\s*(?P<word>{_alternation(_AFTER_WORDS)})(?!\w)")
_PERIOD_CHAIN_RE = re.compile(r"\s*(?:[-\u2013\u2014]|(?<!\w)(?:den|toi)(?!\w))\s*")
_LETTERS_DOT_RE = re.compile(r"([^\W\d_]+)\.\Z")
_SLASH_BEFORE_RE = re.compile(r"(?:([0-9])|(?<!\w)([ivx]+))\s*/\s*\Z")

_CODE_WORD_RE = re.compile(
    rf"(?<!\w)(?P<word>{_alternation(_CODE_WORDS)})"
    r"(?P<sep>(?:[\s.:#]*(?<!\w)so(?!\w))?[\s.:#]*)"
    r"(?P<item>[0-9a-z]+(?:\.[0-9a-z]+)*)"
)
# The nouns "tt" follows as "trực tuyến" ("thanh toán tt", "hồ sơ tt", "dvc tt").
_ONLINE_BEFORE = re.compile(r"(?<!\w)(?:thanh toan|ho so|hs|nop|dvc|dich vu cong)\s*\Z")
_ITEM_RE = re.compile(r"[0-9a-z]+(?:\.[0-9a-z]+)*")
# what continues a list of codes, a range's dash or "đến" too ("nv 3 đến 7")
_LIST_SEP_RE = re.compile(r"\s*(?:[,;&+\-\u2013]|(?<!\w)(?:va|den|toi)(?!\w))\s*")
_DOTTED_RE = re.compile(r"(?<![\w./])[0-9a-z]+(?:\.[0-9a-z]+)+")
_COMMA_PERCENT_RE = re.compile(r",[0-9]+(?:[.,][0-9]+)*\s*(?:%|\uff05|phan\s+tram(?!\w))")


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _spelled(t: str, p: str, start: int, end: int) -> bool:
    """Whether the words of ``p[start:end]`` are typed as the words we mean in ``t``."""
    for m in _WORD_RE.finditer(p, start, end):
        key = m.group()
        forms = _FORMS.get(key)
        if forms is None:
            continue
        typed = t[m.start() : m.end()].lower()
        if typed == key:
            if key in _STRICT:
                return False
        elif typed not in forms:
            return False
    return True


def _word_before(t: str, p: str, start: int) -> str | None:
    """The period/code word right before ``start`` (plain, one space), if typed as such."""
    m = _BEFORE_RE.search(p, max(0, start - 40), start)
    if m is None or not _spelled(t, p, m.start(), m.end()):
        return None
    word = " ".join(m.group("word").split())
    if word == "tt" and _ONLINE_BEFORE.search(p, 0, m.start("word")):
        return None  # "thanh toán tt 80": "trực tuyến", no "thứ tự"
    return word


# --- task codes ---------------------------------------------------------------------


def _normalise_code(p_item: str, t_item: str, *, upper_only: bool, lone_max: int) -> str | None:
    """The normalised code for an item (``02.b`` → ``2.B``), or None if it is not one."""
    if not t_item.isascii():
        return None
    parts = p_item.split(".")
    typed = t_item.split(".")
    out = []
    for seg, orig in zip(parts, typed, strict=True):
        if seg.isdigit():
            if len(seg) > (lone_max if len(parts) == 1 else 2):
                return None
            out.append(str(int(seg)))
        elif seg.isalpha():
            up = seg.upper()
            if len(seg) > 1 and up not in _ROMAN:
                return None
            if upper_only and orig != orig.upper():
                return None
            out.append(up)
        else:
            return None
    return ".".join(out)


def _code_blocked(p: str, end: int, *, in_list: bool) -> bool:
    """Whether what follows an item makes it something else than a code."""
    if end < len(p) and (_is_word(p[end]) or p[end] in "%\uff05"):
        return True
    if _PERCENT_RE.match(p, end) or _COMMA_PERCENT_RE.match(p, end):
        return True
    if re.match(r"\s*/\s*\w|:[0-9]|\.[0-9]", p[end : end + 40]):
        return True
    return in_list and bool(_UNIT_RE.match(p, end) or _RATIO_WORD_RE.match(p, end))


def _codes(t: str, p: str) -> list[TaskCode]:
    found: list[TaskCode] = []
    taken = bytearray(len(p))

    def add(start: int, end: int, code: str) -> None:
        found.append(TaskCode(code, (start, end), t[start:end]))
        taken[start:end] = b"\x01" * (end - start)

    # Codes after a code word, with the lists that continue them ("nv 7, 8 và 9").
    for m in _CODE_WORD_RE.finditer(p):
        item = m.group("item")
        start, end = m.span("item")
        if m.group("word") == "tt" and _ONLINE_BEFORE.search(p, 0, m.start()):
            continue  # as in _word_before
        if not m.group("sep") and not item[0].isdigit():
            continue
        if not _spelled(t, p, m.start(), start):
            continue
        code = _normalise_code(item, t[start:end], upper_only=False, lone_max=3)
        if code is None or _code_blocked(p, end, in_list=False):
            continue
        add(start, end, code)
        while (sep := _LIST_SEP_RE.match(p, end)) and _spelled(t, p, end, sep.end()):
            nxt = _ITEM_RE.match(p, sep.end())
            if nxt is None or (sep.end() > 0 and _is_word(p[sep.end() - 1])):
                break
            start, end = nxt.span()
            code = _normalise_code(nxt.group(), t[start:end], upper_only=True, lone_max=3)
            if code is None or _code_blocked(p, end, in_list=True):
                break
            add(start, end, code)

    # Dotted codes anywhere ("1.1, 1.2 và 1.3", "II.3", "B.I.5").
    for m in _DOTTED_RE.finditer(p):
        start, end = m.span()
        if any(taken[start:end]):
            continue
        segments = m.group().split(".")
        if not segments[-1].isdigit() or _code_blocked(p, end, in_list=False):
            continue
        before = _word_before(t, p, start)
        if before is not None and _BEFORE_WORDS[before][0] == _PERIOD:
            continue
        code = _normalise_code(m.group(), t[start:end], upper_only=False, lone_max=2)
        if code is not None:
            add(start, end, code)

    found.sort(key=lambda c: c.span)
    return found


def find_task_codes(text: str) -> list[TaskCode]:
    """Task codes in order: ``2.1``, ``II.3``, ``B.I.5``, ``nv 7``, ``nv A``, ``NV2.1``.

    >>> [c.code for c in find_task_codes("nv 1.1, 1.2 và II.3 xong; nhiem vu 07")]
    ['1.1', '1.2', 'II.3', '7']
    """
    t = nfc(text)
    return _codes(t, plain(t))


# --- quantities ---------------------------------------------------------------------


def _fits(word: str, token: str) -> bool:
    """Whether an integer token fits the range of the period word before it."""
    kind, bounds = _BEFORE_WORDS[word]
    if kind != _PERIOD:
        return True
    if bounds is None:
        return True
    return token.isdigit() and len(token) <= 4 and bounds[0] <= int(token) <= bounds[1]


def _is_dotted_code(token: str) -> bool:
    parts = token.split(".")
    return len(parts) > 1 and all(part.isdigit() and len(part) <= 2 for part in parts)


def _looks_like_date(a: str, b: str) -> bool:
    if not (a.isdigit() and b.isdigit() and len(a) <= 2 and len(b) <= 4):
        return False
    day, month = int(a), int(b)
    if 1 <= day <= 12 and len(b) == 4 and 1900 <= month <= 2100:
        return True  # month/year
    if len(a) > 2 or len(b) > 2 or not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    return day > month or a.startswith("0") or b.startswith("0")


def _ratio_value(num: Decimal, den: Decimal) -> Decimal | None:
    if den == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 40 + len(str(num)) + len(str(den))
        return (num / den * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _unit_at(p: str, i: int) -> tuple[str | None, int]:
    m = _UNIT_RE.match(p, i)
    if m is None:
        return None, i
    return " ".join(m.group("unit").split()), m.end()


def _total_at(p: str, start: int, end: int) -> Decimal | None:
    """The total written at ``p[start:end]`` when it stands as one: not glued to letters,
    not a percentage, not the first of a date's or a document's parts ("/")."""
    den = parse_number(p[start:end])
    if den is None or _glued(p, end) or re.match(r"\s*[%\uff05/]", p[end : end + 3]):
        return None
    return den


def _glued(p: str, i: int) -> bool:
    """A letter right after a number that is neither ``phần trăm`` nor a unit noun."""
    if i >= len(p) or not _is_word(p[i]):
        return False
    return not (_PERCENT_RE.match(p, i) or _UNIT_RE.match(p, i))


class _Scanner:
    def __init__(self, text: str) -> None:
        self.t = nfc(text)
        self.p = plain(self.t)
        codes = _codes(self.t, self.p)
        self.code_starts = [c.span[0] for c in codes]
        self.code_ends = [c.span[1] for c in codes]
        self.out: list[Quantity] = []
        self.chain: tuple[str, int] | None = None  # period word whose range may go on

    def emit(
        self,
        kind: QuantityKind,
        span: tuple[int, int],
        value: Decimal | None,
        ratio: tuple[Decimal, Decimal] | None = None,
        unit: str | None = None,
    ) -> None:
        num, den = ratio if ratio is not None else (None, None)
        text = self.t[span[0] : span[1]]
        self.out.append(Quantity(kind, value, num, den, unit, span, text))

    def run(self) -> list[Quantity]:
        pos = 0
        while (m := _NUM_RE.search(self.p, pos)) is not None:
            pos = max(self.step(m.start(), m.end()), m.end())
        return self.out

    def in_code(self, i: int) -> int | None:
        """The end of the task code that ``i`` is in, if any."""
        k = bisect.bisect_right(self.code_starts, i) - 1
        if k >= 0 and i < self.code_ends[k]:
            return self.code_ends[k]
        return None

    def step(self, start: int, end: int) -> int:
        """Read the number at ``start``; return where to go on scanning."""
        p = self.p
        token = p[start:end]
        chain, self.chain = self.chain, None
        if (code_end := self.in_code(start)) is not None:
            return code_end
        # Digits inside a word (T10, x4, COVID-19) or the tail of "III/2025", "II.3".
        prev = p[start - 1] if start else ""
        negative = False
        if prev and _is_word(prev):
            return end
        if prev and prev in _MINUS:
            before = p[start - 2] if start >= 2 else ""
            if before and _is_word(before) and not before.isdigit():
                return end
            negative = not before.isdigit()
        if _SLASH_BEFORE_RE.search(p, max(0, start - 10), start):
            return end
        if prev == "." and (letters := _LETTERS_DOT_RE.search(p, max(0, start - 20), start)):
            word = letters.group(1)
            if len(word) == 1 or word.upper() in _ROMAN or word in _BEFORE_WORDS:
                return end
        if (token.isdigit() and len(token) >= 9) or len(token) > _MAX_TOKEN:
            return end  # a phone number, an id, not a quantity
        # Dates, times and document numbers.
        if (date := _DASH_DATE_RE.match(p, start)) and not negative:
            return date.end()
        if len(token) <= 2 and token.isdigit() and (time := _TIME_RE.match(p, end)):
            return time.end()
        if _DOC_NUMBER_RE.match(p, end):
            return end
        qstart = start - 1 if negative else start
        word = _word_before(self.t, p, qstart)
        parts = [(start, end)]
        cur = end
        while len(parts) < 4 and (s := _SLASH_NUM_RE.match(p, cur)):
            parts.append(s.span(1))
            cur = s.end()
        if len(parts) >= 3 or _DOC_NUMBER_RE.match(p, cur):
            return cur  # dd/mm/yyyy, 61/2018/NĐ-CP
        last_end = parts[-1][1]
        if _glued(p, last_end):
            return last_end
        values = [parse_number(p[a:b]) for a, b in parts]
        if values[0] is None or (len(values) == 2 and values[1] is None):
            return last_end
        num = -values[0] if negative else values[0]

        if len(parts) == 2:
            den = values[1]
            den = required(den, "den")
            unit, unit_end = _unit_at(p, last_end)
            # (not after "tt": "thanh toán tt 180/245" is online, no code is written so)
            if word not in (None, "tt") and (
                _BEFORE_WORDS[word][0] != _PERIOD or (unit is None and _fits(word, token))
            ):
                return last_end
            if unit is None and _looks_like_date(token, p[parts[1][0] : parts[1][1]]):
                return last_end
            self.emit("ratio", (qstart, unit_end), _ratio_value(num, den), (num, den), unit)
            return unit_end

        if pct := _PERCENT_RE.match(p, end):
            self.emit("percent", (qstart, pct.end()), num)
            return pct.end()
        if _is_dotted_code(token):
            return end
        if word is not None and _BEFORE_WORDS[word][0] != _PERIOD:
            return end
        ratio = _RATIO_WORD_RE.match(p, end)
        if ratio is not None and (den := _total_at(p, *ratio.span("den"))) is not None:
            unit = ratio.group("unit")
            unit = " ".join(unit.split()) if unit else None
            den_unit, unit_end = _unit_at(p, ratio.end("den"))
            value = _ratio_value(num, den)
            self.emit("ratio", (qstart, unit_end), value, (num, den), unit or den_unit)
            return unit_end
        unit, unit_end = _unit_at(p, end)
        slash = _SLASH_NUM_RE.match(p, unit_end) if unit is not None else None
        if slash is not None and (den := _total_at(p, *slash.span(1))) is not None:
            # "40 hồ sơ / 50": the noun typed before the slash
            span_end = _unit_at(p, slash.end(1))[1]
            self.emit("ratio", (qstart, span_end), _ratio_value(num, den), (num, den), unit)
            return span_end
        total = _RATIO_TOTAL_RE.match(p, end)
        if total is not None and (den := _total_at(p, *total.span("den"))) is not None:
            # "12 hồ sơ trực tuyến trên tổng số 20": the span ends at the number's noun
            self.emit("ratio", (qstart, unit_end), _ratio_value(num, den), (num, den), unit)
            return total.end("den")
        if word is None and chain is not None and _PERIOD_CHAIN_RE.fullmatch(p, chain[1], qstart):
            word = chain[0]
        if word is not None and _fits(word, token):
            self.chain = (word, end)
            return end
        if (after := _AFTER_RE.match(p, end)) and _spelled(self.t, p, end, after.end()):
            return after.end()
        unit, unit_end = _unit_at(p, end)
        self.emit("count", (qstart, unit_end), num, unit=unit)
        return unit_end


def find_quantities(text: str) -> list[Quantity]:
    """Percentages, ratios and counts in order of appearance.

    >>> [(q.kind, str(q.value)) for q in find_quantities("nv 2.1 đạt 72,5%, số hóa 85/100 hs")]
    [('percent', '72.5'), ('ratio', '85.00')]
    """
    return _Scanner(text).run()


# --- figures that are not numbers -----------------------------------------------------


@dataclass(frozen=True)
class Unreadable:
    """Something typed where a figure goes that is not a number as typed.

    ``reading`` is the quantity it makes with the letters phones and keyboards put for
    digits read as those digits (``o``/``O`` for 0, ``l``/``I`` for 1: ``8o/100`` reads
    80/100); None when that does not make a number. A reading is a suggestion to show,
    never a figure to store.
    """

    span: tuple[int, int]
    text: str
    reading: Quantity | None = None


# Letters typed for digits, and the digit each stands for.
_LOOKALIKES = str.maketrans({"o": "0", "O": "0", "l": "1", "I": "1"})
# A run of digits and look-alike letters standing as a word of its own ("8o", "1oo", "9l").
_LOOKALIKE_RUN = re.compile(r"(?<![^\W_])[0-9oOlI]+(?:[.,][0-9oOlI]+)*(?![^\W_])")
# A total typed in look-alike letters only ("85/loo") counts after a number and a slash.
_AFTER_SLASH_RE = re.compile(r"[0-9]\s*/\s*\Z")
# A figure glued to stray letters ("8x%", "8,5a%"): at most this many letters.
_STRAY_LETTERS = 3
_CHUNK_RE = re.compile(r"\S+")
_CHUNK_EDGES = "([{\"'“‘«"
_CHUNK_TAIL = ".,;:!?)]}\"'”’»"
_SLASH_DIGIT_RE = re.compile(r"[^\W_]\s*/\s*[0-9]")
_DOC_SLASH_RE = re.compile(r"[0-9]/[^\W\d_]")  # "45/KH-UBND": a document number
# Vietnamese numbers written as words (plain spelling), and the typed forms accepted for
# each: typed with other diacritics it is another word ("hài lòng", "trạm", "Tư pháp").
_NUMBER_WORDS: dict[str, frozenset[str]] = {
    "khong": frozenset({"không"}),
    "mot": frozenset({"một", "mốt"}),
    "hai": frozenset({"hai"}),
    "ba": frozenset({"ba"}),
    "bon": frozenset({"bốn"}),
    "tu": frozenset({"tư"}),
    "nam": frozenset({"năm"}),
    "lam": frozenset({"lăm"}),
    "sau": frozenset({"sáu"}),
    "bay": frozenset({"bảy", "bẩy"}),
    "tam": frozenset({"tám"}),
    "chin": frozenset({"chín"}),
    "muoi": frozenset({"mười", "mươi"}),
    "tram": frozenset({"trăm"}),
    "nghin": frozenset({"nghìn"}),
    "ngan": frozenset({"ngàn"}),
    "linh": frozenset({"linh"}),
    "le": frozenset({"lẻ"}),
    "ruoi": frozenset({"rưỡi"}),
    "phay": frozenset({"phẩy"}),
}
# Number words that never begin a number ("tỷ lệ" typed "ty le" is no "lẻ").
_NOT_FIRST = frozenset({"le", "linh", "lam", "ruoi", "phay"})
# Words that make a run of number words a number on its own ("ba mươi", "hai trăm").
_MULTIPLIERS = frozenset({"muoi", "tram", "nghin", "ngan"})
_SPELLED_RATIO_RE = re.compile(
    rf"\s*(?:/|(?<!\w)tren(?:\s+tong(?:\s+so)?)?(?!\w))\s*(?={_NUM}|[a-z])"
)


def _number_word(t: str, p: str, start: int, end: int) -> bool:
    forms = _NUMBER_WORDS.get(p[start:end])
    if forms is None:
        return False
    typed = t[start:end].lower()
    return typed == p[start:end] or typed in forms


def _lookalikes(t: str) -> list[Unreadable]:
    """Figures with letters typed for digits: read with the digits they stand for."""
    runs = [
        m.span()
        for m in _LOOKALIKE_RUN.finditer(t)
        if not m.group().isdigit()
        and (
            any(ch.isdigit() for ch in m.group())
            or _AFTER_SLASH_RE.search(t, max(0, m.start() - 5), m.start()) is not None
        )
    ]
    if not runs:
        return []
    chars = list(t)
    changed = bytearray(len(t))
    for start, end in runs:
        for i in range(start, end):
            if not chars[i].isdigit() and chars[i] not in ".,":
                chars[i] = chars[i].translate(_LOOKALIKES)
                changed[i] = 1
    repaired = "".join(chars)
    found = []
    for q in find_quantities(repaired):
        start, end = q.span
        if any(changed[start:end]):
            found.append(Unreadable(q.span, t[start:end], q))
    return found


def _glued_figures(t: str, p: str, taken: bytearray) -> list[Unreadable]:
    """Figures glued to stray letters ("8x%", "8e/100"), with no reading."""
    found = []
    real: list[Quantity] | None = None
    for m in _CHUNK_RE.finditer(t):
        start, end = m.span()
        while start < end and t[start] in _CHUNK_EDGES:
            start += 1
        while end > start and t[end - 1] in _CHUNK_TAIL:
            end -= 1
        chunk = t[start:end]
        digits = [start + i for i, ch in enumerate(chunk) if ch.isdigit()]
        letters = sum(ch.isalpha() for ch in chunk)
        if not digits or not letters or letters > _STRAY_LETTERS or any(taken[start:end]):
            continue
        if not chunk[0].isdigit():
            continue  # "T10/2025", "Q3/2025": a word with a number, not a figure
        marked = (
            "%" in chunk
            or "\uff05" in chunk
            or _SLASH_DIGIT_RE.search(chunk) is not None
            or _PERCENT_RE.match(p, end) is not None
        )
        if not marked or _DOC_SLASH_RE.search(chunk):
            continue
        if real is None:
            real = find_quantities(t)
        if any(q.span[0] <= digits[0] and digits[-1] < q.span[1] for q in real):
            continue  # one number, read: "85%hs"
        if pct := _PERCENT_RE.match(p, end):
            end = pct.end()
        found.append(Unreadable((start, end), t[start:end]))
    return found


def _spelled_figures(t: str, p: str, taken: bytearray) -> list[Unreadable]:
    """Figures written in words ("tám mươi phần trăm", "ba mươi hồ sơ"), with no reading:
    number words followed by a percent sign or "phần trăm", or by a total, or a number of
    two words or more that says tens, hundreds or thousands."""
    words = list(_WORD_RE.finditer(p))
    found = []
    i = 0
    while i < len(words):
        j = i
        while (
            j < len(words)
            and _number_word(t, p, *words[j].span())
            and (j > i or words[j].group() not in _NOT_FIRST)
            and (j == i or not p[words[j - 1].end() : words[j].start()].strip())
        ):
            j += 1
        if j == i:
            i += 1
            continue
        start, end = words[i].start(), words[j - 1].end()
        run = [w.group() for w in words[i:j]]
        i = j
        if any(taken[start:end]):
            continue
        if pct := _PERCENT_RE.match(p, end):
            end = pct.end()
        elif ratio := _SPELLED_RATIO_RE.match(p, end):
            rest = _NUM_RE.match(p, ratio.end())
            if rest is not None:
                end = rest.end()
            else:
                k = next((n for n in range(j, len(words)) if words[n].start() >= ratio.end()), j)
                first = k
                while k < len(words) and _number_word(t, p, *words[k].span()):
                    end = words[k].end()
                    k += 1
                if k == first:
                    continue
                i = k
            if pct := _PERCENT_RE.match(p, end):
                end = pct.end()
        elif len(run) >= 2 and _MULTIPLIERS & set(run):
            _unit, end = _unit_at(p, end)
        else:
            continue
        found.append(Unreadable((start, end), t[start:end]))
    return found


def find_unreadable(text: str) -> list[Unreadable]:
    """What stands where a figure goes but is not a number as typed, in order: a number
    with letters typed for digits (``8o/100``, ``9l%``, ``1oo%``: ``reading`` is what it
    makes read with those digits), a number glued to stray letters (``8x%``) and a number
    written in words (``tám mươi phần trăm``, ``ba mươi trên một trăm``).

    Whether it stands where a figure goes (after an indicator's name) is for the caller.

    >>> [(u.text, u.reading.text if u.reading else None) for u in find_unreadable("so hoa 8o/100")]
    [('8o/100', '80/100')]
    """
    t = nfc(text) if isinstance(text, str) else ""
    p = plain(t)
    found = _lookalikes(t)
    taken = bytearray(len(t))
    for u in found:
        taken[u.span[0] : u.span[1]] = b"\x01" * (u.span[1] - u.span[0])
    for u in [*_glued_figures(t, p, taken), *_spelled_figures(t, p, taken)]:
        if not any(taken[u.span[0] : u.span[1]]):
            taken[u.span[0] : u.span[1]] = b"\x01" * (u.span[1] - u.span[0])
            found.append(u)
    return sorted(found, key=lambda u: u.span)
