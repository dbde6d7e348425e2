"""Repair of plan text damaged by OCR without Vietnamese data. Pure: no I/O.

A scanner whose OCR had no Vietnamese data gives text such as ``Kiém soat tha tuc hanh
chmh``, ``UBND x4``, ``Quy Il1/2025``, with the appendix table flattened: some cells
between ``|``, long cells wrapped onto the next lines, columns read line by line or cell
by cell. :func:`repair_text` turns such a text back into one the text reader
(:mod:`bot.plans.text`) can read; :func:`looks_damaged` decides, by measure, whether a
text needs it, so that a clean text is never touched.

**The measure.** Among the words of two letters or more, the share written with a
letter only Vietnamese uses (ă, ơ, ư, đ, ạ, ả, ế …: no OCR trained on English gives
them) and the share that cannot be a Vietnamese syllable once folded (``chmh``,
``ctra``). Clean Vietnamese text has well over a third of the first; a text is damaged
when it has almost none of them (``MAX_VIETNAMESE_SHARE``) and enough of the second
(``MIN_BROKEN_SHARE``). A text typed cleanly without accents is left alone.

**Words** are restored only where the domain vocabulary makes it unambiguous: a run of
words is compared on its *skeleton* (folded, digits read as the letters OCR confuses
them with: ``x4`` → ``xa``, ``t6`` → ``to``) with the skeletons of the vocabulary's
phrases: column headers, timeframe words, unit kinds, section words, the national
indicator names and the names the caller gives (the deployment's units and their former
names). Phrases of two words or more may differ a little (rapidfuzz ``ratio`` ≥
``PHRASE_SCORE`` on skeletons of the same number of words); single words must have
the same skeleton and stand where they are unambiguous (``Tháng``/``Quý``/``Năm`` before
a number, ``xã``/``phường`` after a unit word). Roman numerals are restored at the start
of a line (section numbers: ``Il1.`` → ``III.``) and after ``Quý``; ``O``/``l`` inside
numbers become digits (``O1/2025`` → ``01/2025``).

**Tables.** From a header (lines naming a content column and a lead or time column)
to the end of the appendix, the lines are cut into rows at each line starting with a
row number (``1``, ``2.1``, ``[2.2``, ``2:1``, ``II``); repeated headers are dropped.
Each row is written back as one tab-separated line ``number, content, lead unit,
timeframe, product`` under a header of those names: the lead is the unit named in the
lead column's pieces (the second piece of ``|``-split lines, the paragraph after the
content when the row is read cell by cell), else the first unit the row names; the
timeframe the first one the row states. What cannot be placed stays in the content.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.language.abbreviations import ABBREVIATIONS
from bot.language.normalize import fold, nfc, strip_diacritics
from bot.language.variants import is_syllable
from bot.plans.national import NATIONAL_INDICATORS
from bot.plans.parse_columns import CONTENT, COOP, LEAD, PRODUCT, TIME, cell_role

MAX_VIETNAMESE_SHARE = 0.15
MIN_BROKEN_SHARE = 0.03
MIN_WORDS = 12
PHRASE_SCORE = 84.0
MAX_ROW_LINES = 80  # lines of one table row searched for its unit and timeframe

# Letters only Vietnamese writes (not in Latin-1, which English OCR may still emit).
_VIETNAMESE = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĩũ")
_VIETNAMESE |= {ch.upper() for ch in _VIETNAMESE}
_WORD_RE = re.compile(r"[^\W\d_]{2,}")

# --- the vocabulary -----------------------------------------------------------------

HEADER_WORDS = (
    "STT",
    "Nội dung công việc",
    "Nội dung nhiệm vụ",
    "Nội dung",
    "Nhiệm vụ",
    "Đơn vị chủ trì",
    "Cơ quan chủ trì",
    "Đơn vị phối hợp",
    "Cơ quan phối hợp",
    "chủ trì",
    "phối hợp",
    "Thời gian thực hiện",
    "Thời gian hoàn thành",
    "Thời hạn hoàn thành",
    "Dự kiến sản phẩm",
    "Sản phẩm",
    "Kết quả",
    "Ghi chú",
    "thực hiện",
    "công việc",
)
TIMEFRAME_WORDS = (
    "Thường xuyên",
    "Hằng tháng",
    "Hàng tháng",
    "Hằng quý",
    "Hàng quý",
    "Hằng năm",
    "Hàng năm",
    "Hằng tuần",
    "Hàng tuần",
    "Trước ngày",
    "Định kỳ",
    "Đột xuất",
    "Khi có yêu cầu",
    "Theo yêu cầu",
    "Theo kế hoạch",
    "Theo lộ trình",
    "Theo chỉ đạo",
    "trong năm",
    "cuối năm",
    "đến tháng",
    "6 tháng",
)
UNIT_WORDS = (
    "UBND",
    "HĐND",
    "Ủy ban nhân dân",
    "Văn phòng HĐND và UBND",
    "Văn phòng HĐND&UBND",
    "Văn phòng UBND",
    "Văn phòng",
    "Công an",
    "các xã, phường",
    "các xã, phường, thị trấn",
    "cấp xã",
    "cấp huyện",
    "UBND cấp xã",
    "UBND cấp huyện",
    "UBND các xã, phường",
    "UBND các xã, thị trấn",
    "thị trấn",
    "thị xã",
    "Thành phố",
    "Công chức",
    "Các công chức",
    "chuyên môn",
    "Bộ phận tiếp nhận và trả kết quả",
    "Bộ phận Một cửa",
    "Trung tâm Phục vụ hành chính công",
    "Các phòng, ban, ngành",
    "Các phòng, ban chuyên môn",
    "Các cơ quan, đơn vị",
    "cơ quan, đơn vị có liên quan",
    "có liên quan",
    "Các công chức có liên quan",
    "Các cơ quan, đơn vị có liên quan",
    "Các cơ quan, đơn vị và địa phương",
    "Công chức chuyên môn",
    "Các công chức chuyên môn",
    # The commune civil servants' titles (the same in every commune of the country).
    "Công chức Văn phòng - Thống kê",
    "Công chức VP-TK",
    "Công chức Tư pháp - Hộ tịch",
    "Công chức Văn hóa - Xã hội",
    "Công chức Tài chính - Kế toán",
    "Công chức Địa chính - Xây dựng",
    "Tư pháp - Hộ tịch",
    "Văn hóa - Xã hội",
    "Tài chính - Kế toán",
    "Văn phòng - Thống kê",
    "Ban Chỉ huy Quân sự",
    "Hội Nông dân",
    "Đoàn Thanh niên",
    "Bảo hiểm xã hội",
    "Chi cục Thuế",
    "Kho bạc Nhà nước",
)
SECTION_WORDS = (
    "NHIỆM VỤ",
    "NHIỆM VỤ VÀ GIẢI PHÁP",
    "TỔ CHỨC THỰC HIỆN",
    "MỤC ĐÍCH",
    "YÊU CẦU",
    "MỤC ĐÍCH, YÊU CẦU",
    "PHỤ LỤC",
    "KẾ HOẠCH",
    "KINH PHÍ",
    "KINH PHÍ THỰC HIỆN",
    "NỘI DUNG",
    "NỘI DUNG KẾ HOẠCH",
    "QUYẾT ĐỊNH",
    "Nơi nhận",
    "CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "ỦY BAN NHÂN DÂN",
    "Kèm theo",
)
DOMAIN_WORDS = (
    "thủ tục hành chính",
    "Kiểm soát thủ tục hành chính",
    "kiểm soát TTHC",
    "một cửa, một cửa liên thông",
    "cơ chế một cửa",
    "cải cách hành chính",
    "dịch vụ công trực tuyến",
    "giải quyết thủ tục hành chính",
    "trên địa bàn",
)
# The national indicators (DOMAIN.md: the indicators every plan of this kind carries).
NATIONAL_NAMES = tuple(indicator.name for indicator in NATIONAL_INDICATORS)
# Single words restored only right before a number (their skeleton is another word too:
# "quy" is also "quy định").
_BEFORE_NUMBER = {"thang": "Tháng", "quy": "Quý", "nam": "Năm", "ngay": "ngày"}
# Single words restored only after a unit word ("UBND xa", "các x4", "cấp xa").
_AFTER_UNIT = {"xa": "xã", "phuong": "phường", "huyen": "huyện"}
_UNIT_LEFT = {"ubnd", "cac", "cap", "thi", "hdnd", "ubnd&"}

# Digits OCR reads for letters inside a word.
_SKELETON_DIGITS = str.maketrans(
    {"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "6": "o", "8": "b"}
)


@functools.lru_cache(maxsize=65536)
def _skeleton(word: str) -> str:
    key = "".join(fold(word).split())
    if any(ch.isalpha() for ch in key):
        key = key.translate(_SKELETON_DIGITS)
    return key


@dataclass(frozen=True)
class _Phrase:
    text: str
    words: int
    key: str  # skeleton of the whole phrase, words joined by one space
    acronyms: tuple[bool, ...] = ()  # which words are acronyms ("UBND"): never fuzzy


def _phrases(extra: Iterable[str]) -> dict[int, list[_Phrase]]:
    seen: dict[str, str | None] = {}
    for text in (
        *HEADER_WORDS,
        *TIMEFRAME_WORDS,
        *UNIT_WORDS,
        *SECTION_WORDS,
        *DOMAIN_WORDS,
        *NATIONAL_NAMES,
        *extra,
    ):
        text = " ".join(nfc(text).split())
        words = _tokens(text)
        if not words or (len(words) == 1 and not _upper_only(text)):
            continue  # single lower-case words only in context (below)
        key = " ".join(_skeleton(w) for _, _, w in words)
        if key not in seen:
            seen[key] = text
        elif seen[key] is not None and seen[key].lower() != text.lower():
            seen[key] = None  # two phrases with one skeleton: ambiguous, never restored
    out: dict[int, list[_Phrase]] = {}
    for key, text in seen.items():
        if text is None:
            continue
        n = len(key.split())
        acronyms = tuple(_upper_only(w) for _, _, w in _tokens(text))
        out.setdefault(n, []).append(_Phrase(text, n, key, acronyms))
    return out


def _upper_only(text: str) -> bool:
    """An acronym ("UBND", "STT"): restorable alone."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters) and " " not in text


_TOKEN_RE = re.compile(r"[\w&]+(?:[-'’][\w&]+)*", re.UNICODE)


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN_RE.finditer(text)]


# --- the measure --------------------------------------------------------------------


@dataclass(frozen=True)
class Damage:
    words: int
    vietnamese_share: float  # words with a letter only Vietnamese writes
    broken_share: float  # lower-case words that cannot be a Vietnamese syllable

    @property
    def damaged(self) -> bool:
        return (
            self.words >= MIN_WORDS
            and self.vietnamese_share <= MAX_VIETNAMESE_SHARE
            and self.broken_share >= MIN_BROKEN_SHARE
        )


def measure(text: str) -> Damage:
    words = _WORD_RE.findall(nfc(text))
    if not words:
        return Damage(0, 0.0, 0.0)
    vietnamese = sum(1 for w in words if not _VIETNAMESE.isdisjoint(w))
    lower = [w for w in words if not w.isupper()]
    broken = sum(1 for w in lower if not is_syllable(fold(w)))
    return Damage(len(words), vietnamese / len(words), broken / max(1, len(lower)))


def looks_damaged(text: str) -> bool:
    """Whether ``text`` reads as OCR without Vietnamese data (see the module's measure)."""
    return measure(text).damaged


# --- words --------------------------------------------------------------------------


@dataclass(frozen=True)
class Repaired:
    text: str
    words: int  # words restored
    rows: int  # table rows rebuilt


class _Restorer:
    def __init__(self, names: Iterable[str]) -> None:
        self.phrases = _phrases(names)
        self.exact = {n: {p.key: p for p in group} for n, group in self.phrases.items()}
        # For the fuzzy comparison: the phrases of n words by their first letter.
        self.fuzzy: dict[tuple[int, str], list[_Phrase]] = {}
        for n, group in self.phrases.items():
            for phrase in group:
                self.fuzzy.setdefault((n, phrase.key[:1]), []).append(phrase)
        self.longest = max(self.phrases, default=1)
        self.restored = 0

    def line(self, line: str) -> str:
        line = _fix_numbers(line)
        tokens = _tokens(line)
        skeletons = [_skeleton(t[2]) for t in tokens]
        out: list[str] = []
        last = 0
        i = 0
        while i < len(tokens):
            hit = self._match(tokens, skeletons, i)
            if hit is None:
                i += 1
                continue
            n, phrase = hit
            start, end = tokens[i][0], tokens[i + n - 1][1]
            written = line[start:end]
            text = _cased(phrase, written)
            if text != written:
                self.restored += sum(
                    1 for a, b in zip(written.split(), text.split(), strict=False) if a != b
                )
                out.append(line[last:start])
                out.append(text)
                last = end
            i += n
        out.append(line[last:])
        return "".join(out)

    def _match(
        self, tokens: list[tuple[int, int, str]], skeletons: list[str], i: int
    ) -> tuple[int, str] | None:
        for n in range(min(self.longest, len(tokens) - i), 0, -1):
            if n not in self.exact:
                continue
            key = " ".join(skeletons[i : i + n])
            exact = self.exact[n].get(key)
            if exact is not None:
                return n, exact.text
            candidates = self.fuzzy.get((n, key[:1]))
            if n >= 2 and len(key) >= 9 and candidates:
                hit = process.extractOne(
                    key, [p.key for p in candidates], scorer=fuzz.ratio, score_cutoff=PHRASE_SCORE
                )
                if hit is not None and _same_initials(candidates[hit[2]], key):
                    return n, candidates[hit[2]].text
        word = tokens[i][2]
        key = skeletons[i]
        after = tokens[i + 1][2] if i + 1 < len(tokens) else ""
        if key in _BEFORE_NUMBER and re.match(r"[\dIVXl]", after):
            return 1, _case_like(_BEFORE_NUMBER[key], word)
        before = skeletons[i - 1] if i else ""
        if key in _AFTER_UNIT and before in _UNIT_LEFT:
            return 1, _case_like(_AFTER_UNIT[key], word)
        return None


def _same_initials(phrase: _Phrase, b: str) -> bool:
    """Phrases compared fuzzily must start each word with the same letter (OCR keeps
    the first letters; a different word usually does not: "HĐND" is no "UBND")."""
    wa, wb = phrase.key.split(), b.split()
    if len(wa) != len(wb) or len(phrase.acronyms) != len(wa):
        return False
    return all(
        x == y if acronym else x[:1] == y[:1]
        for x, y, acronym in zip(wa, wb, phrase.acronyms, strict=True)
    )


def _is_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)


def _cased(phrase: str, written: str) -> str:
    """The phrase in the case it was written in: capitals, or as the vocabulary has it
    (a heading word "KẾ HOẠCH" written "Ké hoach" is "Kế hoạch")."""
    if _is_caps(written) and len(phrase) > 3:
        return phrase.upper()
    if _is_caps(phrase) and not _is_caps(written):
        return _case_like(phrase.lower(), written)
    first = phrase.split()[0]
    if not _upper_only(first) and not _upper_only(written.split()[0]):
        return _case_like(phrase, written)
    return phrase


def _case_like(word: str, written: str) -> str:
    if written[:1].isupper():
        return word[:1].upper() + word[1:]
    return word[:1].lower() + word[1:]


_ROMAN_CHARS = "IVXlL1|!"
_LINE_ROMAN_RE = re.compile(r"^(\s*[\[(]?)([IVXl1]{1,4})([.:,)]\s+|\s+)(?=[A-ZĐÀ-Ỹ])")
_QUARTER_RE = re.compile(r"\b(Qu[yýÿ]|QU[YÝ])\s+([IVXl1|!ïíìîĩị]{1,4})(?=\b|/|\s|$)")
_NUMBER_O_RE = re.compile(r"(?<=\d)[Oo](?=\d|/)|(?<=[/.])[Oo](?=\d)|\b[Oo](?=\d/\d)")
_NUMBER_L_RE = re.compile(r"(?<=\d)[lI](?=\d|/)|(?<=[/.])[lI](?=\d)|\b[lI](?=\d/\d)")


def _roman(text: str) -> str | None:
    """``Il1`` → ``III``: letters and digits OCR gives for I, V, X."""
    out = "".join("I" if ch in "Il1|!Lïíìîĩị" else ch for ch in text)
    if re.fullmatch(r"(?:X{0,3})(?:IX|IV|V?I{0,3})", out) and out:
        return out
    return None


def _fix_numbers(line: str) -> str:
    line = _NUMBER_O_RE.sub("0", line)
    line = _NUMBER_L_RE.sub("1", line)

    def quarter(m: re.Match[str]) -> str:
        roman = _roman(m.group(2))
        return f"{m.group(1)} {roman}" if roman else m.group(0)

    line = _QUARTER_RE.sub(quarter, line)
    m = _LINE_ROMAN_RE.match(line)
    if m and not m.group(2).isdigit():
        roman = _roman(m.group(2))
        if roman and roman != m.group(2):
            sep = m.group(3)
            line = m.group(1) + roman + (sep if sep.strip() else ". ") + line[m.end() :]
    return line


# Quotes and rules OCR puts around a cell's text ("“Thường xuyên", "| Quý II").
_STRAY = " \t\"'“”‘’„|¦`"


def repair_timeframe(text: str) -> str:
    """A timeframe cell read by OCR, its numbers restored as in a damaged text ("Quý ï"
    → "Quý I", "Thang O8/2025" → "Thang 08/2025") and stray quotes and rules around it
    dropped."""
    return "\n".join(_fix_numbers(line.strip(_STRAY)) for line in text.split("\n")).strip()


_CAPS_RE = re.compile(r"(?<![^\W\d_])[A-ZĐ]{4,9}(?![^\W\d_])")


def repair_abbreviations(text: str) -> str:
    """A unit cell read by OCR with a letter doubled in an abbreviation ("HDĐND" for
    "HĐND", "UBNND" for "UBND"): a word in capitals that is no known abbreviation but
    becomes one, and only one, when a letter is left out."""

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if fold(word) in ABBREVIATIONS:
            return word
        shorter = {word[:i] + word[i + 1 :] for i in range(len(word))}
        known = [w for w in shorter if fold(w) in ABBREVIATIONS]
        if len({fold(w) for w in known}) != 1:
            return word
        # Of "HĐND" and "HDND", the one that keeps the letters only Vietnamese writes.
        return max(known, key=lambda w: (sum(ch in _VIETNAMESE for ch in w), w))

    return _CAPS_RE.sub(fix, text)


# --- tables -------------------------------------------------------------------------

_HEADER_TEXT = ("STT", "Nội dung công việc", "Đơn vị chủ trì", "Thời gian thực hiện", "Sản phẩm")
_CODE_RE = re.compile(
    r"^\s*(?:[\[(|]?\s*(\d{1,2}(?:\s?[.:,]\s?\d{1,2}){0,2})|([IVX]{1,4}))\s*[.:)]?(?=\s|$|\|)"
)
# What ends a table: the recipients, the signature block, the next appendix (in
# capitals: "Chủ tịch UBND huyện" may start a wrapped line of a cell).
_END_RE = re.compile(r"^(?:N[OƠ]I NH[AẬ]N|Nơi nhận|TM\.|KT\.|PH[UỤ] L[UỤ]C|CH[UỦ] T[IỊ]CH$)")
_TIME_RE = re.compile(
    r"(?:trong\s+|đến\s+|trước\s+)?(?:"
    r"thường\s+xuyên(?:\s+trong\s+năm\s+\d{4})?"
    r"|(?:hằng|hàng)\s+(?:tuần|tháng|quý|năm)(?:\s*/\s*(?:tháng|quý|năm))?"
    r"|định\s+kỳ[^|\n]{0,30}"
    r"|khi\s+có\s+yêu\s+cầu"
    r"|theo\s+(?:yêu\s+cầu|kế\s+hoạch|lộ\s+trình|chỉ\s+đạo)"
    r"|quý\s+[IVX]{1,4}(?:\s*/\s*\d{4})?"
    r"|tháng\s+\d{1,2}(?:\s*(?:/|năm)\s*\d{4})?"
    r"|ngày\s+\d{1,2}/\d{1,2}(?:/\d{4})?"
    r"|năm\s+\d{4}"
    r")",
    re.I,
)
_UNIT_HEAD_RE = re.compile(
    r"\b(?:Văn phòng|UBND|Ủy ban|Phòng|Công chức|Các công chức|Bộ phận|Các phòng|Các cơ quan|"
    r"Cơ quan|Trung tâm|Công an|Ban|Hội|Đoàn|Chi cục|Kho bạc|Bảo hiểm)\b"
)


def _roles(text: str) -> set[str]:
    roles = set()
    for piece in re.split(r"\||\s{2,}", text):
        role = cell_role(piece.strip()) if piece.strip() else None
        if role:
            roles.add(role)
    key = fold(text)
    if re.search(r"\bnoi dung\b|\bcong viec\b|\bnhiem vu\b", key):
        roles.add(CONTENT)
    if re.search(r"\bchu tri\b", key):
        roles.add(LEAD)
    if re.search(r"\bthoi gian\b|\bthoi han\b", key):
        roles.add(TIME)
    return roles


_HEADER_START_RE = re.compile(r"^\W*(?:s[o0]? ?tt|tt|n\w{0,2}i ?dung|nhiem vu)\b")


def _header_at(lines: list[str], i: int) -> int:
    """The end of a header starting at line ``i`` (0 when none): it starts with the
    number or content column ("STT", "TT", "Nội dung"), goes on with short lines that
    name columns (blank lines between them allowed, as when a header is read cell by
    cell) and names a content column and two of lead, cooperating, time and product."""
    first = lines[i]
    if len(first.split()) > 16 or not _HEADER_START_RE.match(_squeeze_keep(first)):
        return 0
    roles: set[str] = _roles(first)
    j = last = i + 1
    while j < len(lines) and j < i + 24:
        line = lines[j]
        if not line.strip():
            j += 1
            continue
        if len(line.split()) > 16 or _CODE_RE.match(line):
            break
        found = _roles(line)
        if not found and len(line.split()) > 2:
            break
        roles |= found
        j += 1
        if found:
            last = j
    if CONTENT in roles and len(roles & {LEAD, COOP, TIME, PRODUCT}) >= 2:
        return last
    return 0


def _squeeze_keep(text: str) -> str:
    """The fold key of a line with OCR's digits read as letters ("N6i dung")."""
    return " ".join(_skeleton(w) for _, _, w in _tokens(text))


def _whole_pipe_rows(header: list[str]) -> bool:
    """A header of one line with four cells or more between pipes (``| STT | … |``):
    its rows are whole too, and the text reader reads them."""
    lines = [line for line in header if line.strip()]
    return len(lines) == 1 and lines[0].count("|") >= 5


@dataclass
class _Row:
    code: str
    lines: list[str]


def _rebuild(
    lines: list[str], names: Sequence[str], tick: Callable[[], object]
) -> tuple[list[str], int]:
    out: list[str] = []
    rows = 0
    i = 0
    while i < len(lines):
        end = _header_at(lines, i)
        if not end:
            out.append(lines[i])
            i += 1
            continue
        if _whole_pipe_rows(lines[i:end]):
            out.extend(lines[i:end])  # a table with its cells between pipes: read as it is
            i = end
            continue
        table: list[_Row] = []
        i = end
        while i < len(lines):
            tick()
            line = lines[i]
            if _END_RE.match(strip_diacritics(line.strip()).replace("Đ", "D")) or _END_RE.match(
                line.strip()
            ):
                break
            skip = _header_at(lines, i)
            if skip:
                i = skip
                continue
            m = _CODE_RE.match(line)
            if m and m.group(2) and len(_WORD_RE.findall(line[m.end() :])) < 4:
                m = None  # "I Thang": a stray stroke, not a section
            if m:
                code = re.sub(r"\s", "", m.group(1) or m.group(2))
                code = code.replace(":", ".").replace(",", ".")
                table.append(_Row(code, [line[m.end() :].lstrip(" |")]))
            elif table:
                table[-1].lines.append(line)
            elif line.strip():
                out.append(line)
            i += 1
        if table:
            out.append("\t".join(_HEADER_TEXT))
            for row in table:
                tick()
                out.append("\t".join(_cells(row, names)))
                rows += 1
            out.append("")
    return out, rows


def _pieces(row: _Row) -> list[list[str]]:
    """The row's paragraphs (runs of lines between blank lines), each a list of lines."""
    paragraphs: list[list[str]] = [[]]
    for line in row.lines:
        if not line.strip():
            if paragraphs[-1]:
                paragraphs.append([])
        else:
            paragraphs[-1].append(line)
    return [p for p in paragraphs if p]


def _clean(text: str) -> str:
    text = re.sub(r"[|\[\]{}~_‘’'\"`;]+", " ", text)
    return " ".join(text.split()).strip(" .,:-")


def _cells(row: _Row, names: Sequence[str]) -> list[str]:
    # A real row spans a few dozen lines: what lies past MAX_ROW_LINES is content only
    # (the searches below take time in the row's length times the names').
    row = _Row(row.code, row.lines[:MAX_ROW_LINES]) if len(row.lines) > MAX_ROW_LINES else row
    paragraphs = _pieces(row)
    whole = _clean(" ".join(line for p in paragraphs for line in p))
    lead_stream: list[str] = []
    if len(paragraphs) >= 3:  # read cell by cell: content, then the lead's paragraph
        lead_stream.append(" ".join(paragraphs[1]))
    else:
        for line in row.lines:
            parts = line.split("|")
            if len(parts) >= 2:
                lead_stream.append(parts[1])
    stream = _clean(" ".join(lead_stream))
    lead = _unit_at_start(stream, names)
    apart = _unit_apart(row.lines, names)
    if not lead or (apart and _squeeze(apart).startswith(_squeeze(lead))):
        lead = apart or lead  # "Văn phòng" at the start, "Văn phòng HĐND&UBND huyện" apart
    content = whole
    if len(paragraphs) >= 3:
        content = _clean(" ".join(paragraphs[0]))
    return [row.code, content, lead, _time_in(row.lines), ""]


@dataclass(frozen=True)
class _Token:
    key: str  # skeleton
    line: int
    place: float  # where in its line, 0 (start) to 1 (end)


def _row_tokens(lines: list[str]) -> list[_Token]:
    out = []
    for number, line in enumerate(lines):
        words = [w for _, _, w in _tokens(line)]
        for index, word in enumerate(words):
            key = _skeleton(word)
            if key:
                out.append(_Token(key, number, index / max(1, len(words) - 1)))
    return out


_UNIT_NAME_RE = re.compile(
    r"\b(?:van phong|vp|ubnd|uy ban|phong|cong chuc|bo phan|co quan|trung tam|cong an|ban|"
    r"hoi|doan|chi cuc|kho bac|bao hiem|xa|phuong|thi tran|huyen|thi xa|thanh pho|cap)\b"
)


def _is_unit_name(name: str) -> bool:
    """A name that says it is a unit ("Phòng Tư pháp", "UBND cấp xã", "TTPVHCC"), not a
    bare place ("Sơn Tây", an alias that content text names too)."""
    return bool(_UNIT_NAME_RE.search(fold(name))) or _upper_only(name)


def _unit_apart(lines: list[str], names: Sequence[str]) -> str:
    """A unit named in a column read line by line, its words apart ("Văn phòng" …
    "HDND&UBN" … "D huyện"): the known name whose letters the row's words spell in
    order, a few other words between them; the one marked "chủ trì" first, then one
    starting away from the start of its line (the content column), the first in the
    row, the longest."""
    tokens = _row_tokens(lines)
    keys = [t.key for t in tokens]
    starts: dict[str, list[int]] = {}  # where words start, by their first three letters
    for index, token in enumerate(tokens):
        starts.setdefault(token.key[:3], []).append(index)
    found: list[tuple[int, bool, int, int, str]] = []
    for name in (*names, *UNIT_WORDS):
        target = _squeeze(name)
        if len(target) < 6 or not _is_unit_name(name):
            continue
        places = sorted(
            {*starts.get(target[:1], ()), *starts.get(target[:2], ())}
            | set(starts.get(target[:3], ()))
        )
        for start in places:
            end = _spell(keys, start, target)
            if end is None:
                continue
            after = keys[end : end + 5]
            marked = any(k.startswith("ch") for k in after[:3]) and "tri" in after
            at_start = tokens[start].place < 0.2 and len(lines) > 1
            found.append((0 if marked else 1, at_start, start, -len(target), name))
            break
    if not found:
        return ""
    return min(found)[4]


def _spell(keys: list[str], start: int, target: str) -> int | None:
    """Where the words from ``start`` finish spelling ``target`` (each word a piece of
    it, or nearly; at most ``_GAP`` other words between two pieces), or None."""
    rest = target
    i, skipped = start, 0
    while rest and i < len(keys):
        key = keys[i]
        piece = rest[: len(key)]
        if key and (piece == key or (len(key) >= 4 and fuzz.ratio(piece, key) >= 75)):
            rest = rest[len(key) :]
            skipped = 0
        elif i == start:
            return None
        else:
            skipped += 1
            if skipped > _GAP:
                return None
        i += 1
    return i if not rest else None


@functools.lru_cache(maxsize=4096)
def _squeeze(text: str) -> str:
    return "".join(_skeleton(w) for _, _, w in _tokens(text))


def _vowels_folded(key: str) -> str:
    """OCR without Vietnamese reads ô, ơ, ư, ê … as any vowel: "chitc" for "chức"."""
    return re.sub(r"[aeiouy]+", "a", key)


def _unit_at_start(text: str, names: Sequence[str]) -> str:
    """The known unit ``text`` starts with, compared without spaces (a name wrapped in
    a narrow column comes as "HDND&U BND"), else a unit word and what follows it."""
    if not text:
        return ""
    stream = _squeeze(text)
    vowelless = _vowels_folded(stream)
    best: tuple[int, float, str] | None = None
    for name in (*names, *UNIT_WORDS):
        key = _squeeze(name)
        if len(key) < 5:
            continue
        folded = _vowels_folded(key)
        score = max(
            fuzz.ratio(key, stream[: len(key)]), fuzz.ratio(folded, vowelless[: len(folded)])
        )
        if score >= PHRASE_SCORE and (best is None or (len(key), score) > best[:2]):
            best = (len(key), score, name)
    if best is not None:
        return best[2]
    if _UNIT_HEAD_RE.match(text):
        words = text.split()
        kept = words[:2]
        for word in words[2:6]:  # a name goes on in capitals ("VP-TK", "Thị xã")
            if not word[:1].isupper():
                break
            kept.append(word)
        return " ".join(kept).strip(" ,.;-")
    return ""


def _unit_in(text: str, names: Sequence[str]) -> str:
    """The first unit ``text`` names: a known name, else a unit word and what follows it
    up to a timeframe or six words."""
    if not text:
        return ""
    key = fold(text)
    best: tuple[int, str] | None = None
    for name in (*names, *UNIT_WORDS):
        name_key = fold(name)
        if len(name_key) < 5:
            continue
        pos = f" {key} ".find(f" {name_key} ")
        if pos >= 0 and (
            best is None or pos < best[0] or (pos == best[0] and len(name) > len(best[1]))
        ):
            best = (pos, name)
    m = _UNIT_HEAD_RE.search(text)
    if m is None:
        return best[1] if best else ""
    if best is not None and len(fold(text[: m.start()])) >= best[0]:
        return best[1]
    tail = text[m.start() :]
    t = _TIME_RE.search(tail)
    if t:
        tail = tail[: t.start()]
    words = tail.split()[:6]
    return " ".join(words).strip(" ,.;-")


# Timeframe words whose parts may lie apart (columns read line by line put other
# columns' words between them): skeletons, in order, at most _GAP words apart.
_GAPPED = (
    (("thuong", "xuyen"), "Thường xuyên"),
    (("khi", "co", "yeu", "cau"), "Khi có yêu cầu"),
    (("theo", "yeu", "cau"), "Theo yêu cầu"),
    (("theo", "ke", "hoach"), "Theo kế hoạch"),
    (("theo", "lo", "trinh"), "Theo lộ trình"),
    (("theo", "chi", "dao"), "Theo chỉ đạo"),
    (("dinh", "ky"), "Định kỳ"),
    (("hang", "quy"), "Hằng quý"),
    (("hang", "thang"), "Hằng tháng"),
    (("hang", "nam"), "Hằng năm"),
)
_GAP = 10
_YEAR_RE = re.compile(r"^(?:19|20)\d\d$")
_MONTH_RE = re.compile(r"^(\d{1,2})(?:/((?:19|20)\d\d))?$")


def _time_in(lines: list[str]) -> str:
    """The timeframe a row states, its words gathered when they lie apart; one away
    from the start of its lines (where the content column is) comes first."""
    raw: list[str] = []
    places: list[float] = []
    for line in lines:
        words = [w for w in line.replace("/", " / ").split() if re.search(r"\w", w) or w == "/"]
        for index, word in enumerate(words):
            raw.append(word)
            places.append(0.5 if len(words) <= 3 else index / (len(words) - 1))
    text = " ".join(raw)
    keys = [_skeleton(w) for w in raw]
    found: list[tuple[int, str]] = []
    for m in _TIME_RE.finditer(text):
        found.append((len(text[: m.start()].split()), " ".join(m.group(0).split())))
    for parts, label in _GAPPED:
        found.extend((at, label) for at in _gapped(keys, parts))
    for i, key in enumerate(keys):
        if key in ("thang", "quy"):
            found.extend(_month_or_quarter(keys, raw, i))
    if not found:
        return ""
    found.sort(key=lambda f: (places[min(f[0], len(places) - 1)] < 0.3, f[0]))
    return found[0][1]


def _same_word(key: str, part: str) -> bool:
    return key == part or (len(part) >= 5 and fuzz.ratio(key, part) >= 80)


def _gapped(keys: list[str], parts: tuple[str, ...]) -> list[int]:
    starts = []
    for start, key in enumerate(keys):
        if not _same_word(key, parts[0]):
            continue
        at = start
        for part in parts[1:]:
            window = keys[at + 1 : at + 2 + _GAP]
            hits = [k for k, word in enumerate(window) if _same_word(word, part)]
            if not hits:
                break
            at = at + 1 + hits[0]
        else:
            starts.append(start)
    return starts


def _month_or_quarter(keys: list[str], raw: list[str], i: int) -> list[tuple[int, str]]:
    """ "Tháng" then its month and year a few words on: "Tháng 8/2025", "Tháng 2 năm
    2024"; "Quý" then its numeral."""
    window = raw[i + 1 : i + 2 + _GAP]
    if keys[i] == "quy":
        for word in window:
            roman = _roman(word.strip(".,;:/"))
            if roman:
                return [(i, f"Quý {roman}")]
        return []
    month = year = None
    tail = " ".join(raw[i + 1 : i + 2 + 3 * _GAP]).replace(" / ", "/")
    for word in tail.split():
        word = word.strip(".,;:-")
        mm = _MONTH_RE.match(word)
        if month is None and mm and 1 <= int(mm.group(1)) <= 12:
            month, year = mm.group(1), mm.group(2)
            if year:
                break
        elif month is not None and _YEAR_RE.match(word):
            year = word
            break
    if month is None:
        return []
    return [(i, f"Tháng {month}/{year}" if year else f"Tháng {month}")]


# --- the whole text -----------------------------------------------------------------


def repair_text(
    text: str, names: Sequence[str] = (), tick: Callable[[], object] | None = None
) -> Repaired:
    """Restore ``text``'s damaged words and rebuild its task table.

    ``names``: the deployment's unit names and former names, restored like the
    vocabulary; ``tick`` is called for each line and row (the readers' time budget).
    The caller decides with :func:`looks_damaged` whether to call this."""
    tick = tick or (lambda: None)
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    restorer = _Restorer(names)
    lines = []
    for line in text.split("\n"):
        tick()
        lines.append(restorer.line(line.rstrip()))
    lines, rows = _rebuild(lines, names, tick)
    return Repaired("\n".join(lines), restorer.restored, rows)
