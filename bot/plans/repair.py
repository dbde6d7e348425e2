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

**Tables.** From a header (lines naming a content column and two of the lead,
cooperating, time and product columns; or, its content column's name lost, opening with
the number column's and naming three of those) to
the end of the appendix, the lines are cut into rows at each line starting with a row
number (``1``, ``2.1``, ``[2.2``, ``‘24``, ``; 1`` after specks, ``2:1``; ``Aa`` for
``44`` after a complete row) followed by a capitalised word, a figure or nothing (``1
cua UBND`` is a wrapped date), or a section numeral or letter (``II``, ``B``) followed
by a title; repeated headers are dropped (even one whose first line names only later
columns: "Két qua Co quan, Thoi gian", or whose shaded cells OCR read as junk, "ae [Gee
[ee", known by the column names' ends read under it, "cht tri"). Where OCR lost the
number column altogether, the first row opens right under the header all the same, a
title across the table there (a paragraph of its own, or right above a numbered row)
being a section's: written bold (the text reader's sign of a section), numbered as its
tasks' numbers start ("1" over "1.4"). A section row keeps only its title (its line
and, after a long one, up to two more without a cell separator); what follows it up to
the next number is a task whose number OCR lost. A row whose number was lost also starts
where a line opens a content cell and a capitalised unit or timeframe starts another
cell while the row before has both already; a heading whose numeral was lost (a long
line after a blank one) gets the next number, and where the tasks' numbers start again
in each roman section a "1" after "1", "2" … of one opens the next (its title taken back
from the row above); where three rows or more and a fifth of them are numbered "1" (the
numerals all lost), any step back opens the next section, titled "…" when its title was
not read. A row read cell by cell (each cell a paragraph of short lines, in the columns'
order) that has its time cell ends where a content cell opens (two short lines or more,
a capitalised word then lower case, OCR's digits in it read as letters: "T6i thiéu"; no
unit, even misspelt as OCR does, timeframe, acronym or header word) that a
time cell of its own follows, or, where the time column is the table's last, where one
opens at all: OCR lost the next rows' numbers (a product cell right after the time cell,
"Báo cáo / kết quả", is the row's own where the product column comes after the time
column; an institution's name at a line's start, "Chính phủ", goes on a sentence).
Numbers are mended by their neighbours (``3`` between ``1.2`` and ``1.4``; lost ones
between ``2`` and ``6`` when as many rows are missing; at a section's edge, the rows
before ``4.2`` after ``3.4`` are ``4.1``, those after ``5.3`` right before section ``6``
go on ``5.4`` …; the table's last rows go on from its last number: ``46``, ``47`` after
``45``; ``72`` right after ``1`` is ``2``, a speck read as a digit). A number alone, its
cells lost (the number column read apart), makes no row: the parser lists it as not
read. A section numeral whose serif ``I`` was read as ``T`` (``Til.`` for ``III.``) is
one when its stop and a capitalised title follow. Each row is written back as one
tab-separated line ``number, content, lead unit, timeframe, product`` under a header of
those names.

The lead is found among the units the row names (:func:`_mentions`): known names whose
words follow one another in a line or go on at the next lines at about the same place (a
column read line by line), each word spelt right or misspelt as OCR does ("Céng chitc"),
not after "của", "tại", "với" in its cell (the issuer named in the content or product);
of two names spelt from one word, the one more of whose words follow one another on a
line, then whose pieces below stand under its start ("Sở Nội vụ" over "Sở" … "Tư pháp"
of the cell below, which is looked for further on). A unit
marked "chủ trì" leads (and, first, one "phối hợp với" it, as the plain reader reads "A
phối hợp với B chủ trì": B is named though it follows "với"); else, in a row read line
by line, the first of them not marked "phối hợp" and not starting a line (the content
column), before the unit named in the second piece of ``|``-split lines (OCR drops some
rules), unless that piece starts with a bare acronym unit ("UBND") followed by another
unit or nothing: it leads; in a row read cell by cell, the first paragraph after the
content that starts with a unit. A unit followed by "theo dõi" (it follows the work:
"Văn phòng … theo dõi, đôn đốc thực hiện") cooperates, and in a row read cell by cell
the unit after it leads. Where the plan's units share one column, a unit without a role
takes the next one's ("phối hợp", not "theo dõi"), and a row whose units all cooperate
has no lead. In a table
with its own cooperating column, a row whose only unit is "… có liên quan", or the unit
(or the start of the unit) that cooperated in the row above, had its lead cell merged
down from that row (printed once): it takes that row's lead; so does a row in which no
unit is read at all and whose timeframe is, in any table (a lead printed once over the
rows sharing it is the common reason; a row with neither unit nor time had both cells
left empty or lost, and keeps no lead). A numberless row whose
short cells would read as a header keeps its words in its content; "Ban hành" (to issue)
opens no "Ban …" unit. The timeframe is the first one the row states (outside a narrow
content column first), its words gathered across lines, the longest reading at one place
(a month range "Tháng 3 … đến tháng 8 … 2024" whole, not its first month; a period "Định
kỳ 06" … "tháng và cuối" … "năm" whole, not the other columns' words after "Định kỳ" on
its line); a row with none takes one from the first word of a cell whose rest was lost
("Theo …", "Thường", a wrapped "xuyên"); a capitalised "Thường" outside the content
column is "Thường xuyên" (its "xuyên" lost), not "Thường trực", and so is a "xuyên"
whose "Thường" was lost. Where the header names no column after the time column, a row
read line by line takes the timeframe at its lines' end (another column's words before
it are no timeframe). What cannot be placed stays in the content.

**What OCR does to Vietnamese, used throughout.** It keeps a word's consonants and
garbles its vowels: a "d" inside a word (Vietnamese writes "d" only at a syllable's
start: "cudi" for "cuối") and a "w" (never written: "Tw" for "Tư") are vowels; a
misspelt word keeps its last letter and, when short, its consonants ("chuyên" is no
"Công"); a phrase compared fuzzily keeps each word's first and last letters ("thành
phần" is no "Thành phố"). A timeframe inside parentheses is a remark of the content; a
time cell starts with a capital. A header repeated on a new page ends at a cell's words,
and the first line after it may open a row whose number was lost; where the tasks'
numbers run on through the sections, lost numbers are filled across them. The next
appendix ("Phụ lục" alone, a title in capitals) ends the table.
"""

from __future__ import annotations

import collections
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.language.abbreviations import ABBREVIATIONS
from bot.language.normalize import fold, nfc, run_together_cuts, strip_diacritics
from bot.language.units import guess_kind
from bot.language.variants import OCR_DIGIT_LETTERS, is_strict_syllable, is_syllable
from bot.plans.national import NATIONAL_INDICATORS
from bot.plans.parse_columns import CONTENT, COOP, LEAD, PRODUCT, TIME, cell_role, detect_columns

MAX_VIETNAMESE_SHARE = 0.15
# Every damaged text at hand has 2.5 % of its lower-case words or more that no syllable
# spells (a short made-up plan read at 200 dpi in landscape: 2.5 %; the samples' 4.4–9 %);
# the samples and the demo plan typed without accents 0–0.65 %.
MIN_BROKEN_SHARE = 0.015
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
    "Thời hạn",
    "Cơ quan thực hiện",
    "Đơn vị thực hiện",
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
    "Công chức Tư pháp - Hộ tịch",
    "Công chức Văn hóa - Xã hội",
    "Công chức Tài chính - Kế toán",
    "Công chức Địa chính - Xây dựng",
    # and their short forms, as plans often write them
    "Công chức VP-TK",
    "Công chức TP-HT",
    "Công chức VH-XH",
    "Công chức TC-KT",
    "Công chức ĐC-XD",
    "Công chức Tư pháp",
    "Công chức Văn hóa",
    "Công chức Địa chính",
    "Công chức Tài chính",
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
# And "w", which Vietnamese never writes: OCR's reading of "ư" ("Tw phap", "Trung wong").
_SKELETON_DIGITS = str.maketrans({**OCR_DIGIT_LETTERS, "w": "u"})


# A "d" inside a Vietnamese word is always a misread vowel: the language writes "d"
# only at a syllable's start, and OCR without Vietnamese data reads "ô", "ố", "ơ" …
# with their marks as "d" ("ndi" for "nội", "cudi" for "cuối", "hudng" for "hướng").
_INNER_D_RE = re.compile(r"(?<=[a-z])d")


@functools.lru_cache(maxsize=65536)
def _skeleton(word: str) -> str:
    key = "".join(fold(word).split())
    if any(ch.isalpha() for ch in key):
        key = key.translate(_SKELETON_DIGITS)
    return key


@functools.lru_cache(maxsize=65536)
def _word_skeleton(word: str) -> str:
    """The skeleton a word of the text is compared on with the vocabulary's phrases:
    its inner "d" read as the vowel it was (not in acronyms: "HĐND")."""
    key = _skeleton(word)
    return key if _upper_only(word) else _INNER_D_RE.sub("o", key)


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
    restored: tuple[str, ...] = ()  # the lines with their words restored, not rebuilt


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
        line = repair_abbreviations(_fix_numbers(line))
        tokens = _tokens(line)
        skeletons = [_word_skeleton(t[2]) for t in tokens]
        # ruled: a column's rule ("|") before the word; a phrase never spans one ("Đơn vị
        # chủ | Thời hạn" is no "Đơn vị chủ trì")
        ruled = [i > 0 and "|" in line[tokens[i - 1][1] : t[0]] for i, t in enumerate(tokens)]
        out: list[str] = []
        last = 0
        i = 0
        while i < len(tokens):
            hit = self._match(tokens, skeletons, i, ruled)
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
        self, tokens: list[tuple[int, int, str]], skeletons: list[str], i: int, ruled: list[bool]
    ) -> tuple[int, str] | None:
        for n in range(min(self.longest, len(tokens) - i), 0, -1):
            if n not in self.exact or any(ruled[i + 1 : i + n]):
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
    """Phrases compared fuzzily must start and end each word with the same letter (OCR
    keeps a word's consonants, it garbles its vowels; a different word usually does
    not: "HĐND" is no "UBND", "thành phần" no "Thành phố")."""
    wa, wb = phrase.key.split(), b.split()
    if len(wa) != len(wb) or len(phrase.acronyms) != len(wa):
        return False
    return all(
        x == y if acronym else x[:1] == y[:1] and (x[-1:] == y[-1:] or _vowel_end(x, y))
        for x, y, acronym in zip(wa, wb, phrase.acronyms, strict=True)
    )


def _vowel_end(x: str, y: str) -> bool:
    """Both words end in a vowel (one OCR may have read as another)."""
    return x[-1:] in "aeiouy" and y[-1:] in "aeiouy"


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
# A serif "I" read as "T" opening a section numeral ("Til." for "III."): only with the
# numeral's stop and a capitalised title after it, as no Vietnamese word is written so.
_LINE_T_ROMAN_RE = re.compile(r"^(\s*[\[(]?)T([iIl1|]{1,3})([.:]\s+)(?=[A-ZĐÀ-Ỹ])")
# (the numeral may be run into "Quý", "Quyll", or into the "năm" after it, "IInăm")
_QUARTER_RE = re.compile(r"\b(Qu[yýÿ]|QU[YÝ])\s*([IVXHl1|!ïíìîĩị]{1,4})(?=\b|/|\s|$|(n[aăâ]m))")
_NUMBER_O_RE = re.compile(r"(?<=\d)[Oo](?=\d|/)|(?<=[/.])[Oo](?=\d)|\b[Oo](?=\d/\d)")
_NUMBER_L_RE = re.compile(r"(?<=\d)[lI](?=\d|/)|(?<=[/.])[lI](?=\d)|\b[lI](?=\d/\d)")


def _roman(text: str) -> str | None:
    """``Il1`` → ``III``: letters and digits OCR gives for I, V, X (an "H" for two I
    whose serifs joined: "IH", "HI" → ``III``)."""
    out = "".join("I" if ch in "Il1|!Lïíìîĩị" else "II" if ch == "H" else ch for ch in text)
    if re.fullmatch(r"(?:X{0,3})(?:IX|IV|V?I{0,3})", out) and out:
        return out
    return None


def _fix_numbers(line: str) -> str:
    line = _NUMBER_O_RE.sub("0", line)
    line = _NUMBER_L_RE.sub("1", line)

    def quarter(m: re.Match[str]) -> str:
        roman = _roman(m.group(2))
        return f"{m.group(1)} {roman}{' ' if m.group(3) else ''}" if roman else m.group(0)

    line = _QUARTER_RE.sub(quarter, line)
    m = _LINE_ROMAN_RE.match(line)
    if m and not m.group(2).isdigit():
        roman = _roman(m.group(2))
        if roman and roman != m.group(2):
            sep = m.group(3)
            line = m.group(1) + roman + (sep if sep.strip() else ". ") + line[m.end() :]
    m = _LINE_T_ROMAN_RE.match(line)
    if m:
        roman = _roman("I" + m.group(2).replace("i", "I"))
        if roman:
            line = m.group(1) + roman + m.group(3) + line[m.end() :]
    return line


# Quotes and rules OCR puts around a cell's text ("“Thường xuyên", "| Quý II").
_STRAY = " \t\"'“”‘’„|¦`"


def repair_timeframe(text: str) -> str:
    """A timeframe cell read by OCR, its numbers restored as in a damaged text ("Quý ï"
    → "Quý I", "Thang O8/2025" → "Thang 08/2025"), its words where the vocabulary's
    timeframe phrases make them unambiguous ("Khi có yêu câu" → "… yêu cầu"), a phrase
    whose words OCR ran together set apart ("Theoyêucầu"), and stray quotes and rules
    around it dropped."""
    lines = (_vocabulary().line(line.strip(_STRAY)) for line in text.split("\n"))
    repaired = "\n".join(lines).strip()
    # a cell whose words OCR ran together ("Theoyêucầu"): a timeframe phrase, spaces aside
    whole = _RUN_TOGETHER_TIMEFRAMES.get(fold(repaired).replace(" ", ""))
    if whole is not None:
        return whole
    # or some of them ("Địnhkỳ6tháng và hằng năm", "Địnhhkỳ" with a letter doubled)
    return re.sub(r"\w+", lambda m: _timeframe_words_apart(m.group(0)), repaired)


_RUN_TOGETHER_TIMEFRAMES = {fold(p).replace(" ", ""): p for p in TIMEFRAME_WORDS}
_TIMEFRAME_SYLLABLES = frozenset(fold(w) for p in TIMEFRAME_WORDS for w in p.split())
_LETTERS_DIGITS_RE = re.compile(r"(?<=[^\W\d_]{2})(?=\d)|(?<=\d)(?=[^\W\d_]{2})")


def _timeframe_words_apart(token: str) -> str:
    """A word of a timeframe cell that OCR ran into the next: set apart from a number
    ("kỳ6tháng": no Vietnamese word holds a digit), and two words of the timeframe
    phrases that are no syllable together ("Địnhkỳ"), one letter OCR doubled between
    them dropped ("Địnhhkỳ")."""
    parts = _LETTERS_DIGITS_RE.split(token)
    if len(parts) > 1:
        return " ".join(_timeframe_words_apart(p) for p in parts)
    key = fold(token)
    if len(key) != len(token) or not key.isalpha() or is_syllable(key):
        return token
    for word in (token, *(token[:k] + token[k + 1 :] for k in range(1, len(token)))):
        key = fold(word)
        for cut in range(1, len(key)):
            if key[:cut] in _TIMEFRAME_SYLLABLES and key[cut:] in _TIMEFRAME_SYLLABLES:
                return f"{word[:cut]} {word[cut:]}"
    return token


_CAPS_RE = re.compile(r"(?<![^\W\d_])[A-ZĐ]{4,9}(?![^\W\d_])")


def repair_abbreviations(text: str) -> str:
    """A unit cell read by OCR with a letter doubled in an abbreviation ("HDĐND" for
    "HĐND", "UBNND" for "UBND", "HĐÐĐND"): a word in capitals that is no known
    abbreviation but becomes one, and only one, when a letter is left out, else when
    two are; an abbreviation run into the capital of the next word set apart from it
    ("UBNDThị xã"), a digit read after "&" dropped ("HĐND&6UBND")."""

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if fold(word) in ABBREVIATIONS:
            return word
        for shorter in (_less_one(word), {w for x in _less_one(word) for w in _less_one(x)}):
            known = [w for w in shorter if fold(w) in ABBREVIATIONS]
            if len({fold(w) for w in known}) > 1:
                return word
            if known:
                # Of "HĐND" and "HDND", the one that keeps the letters only Vietnamese
                # writes.
                return max(known, key=lambda w: (sum(ch in _VIETNAMESE for ch in w), w))
        return word

    def capital_off(m: re.Match[str]) -> str:
        run = m.group(0)
        if fold(run) in ABBREVIATIONS or fold(run[:-1]) not in ABBREVIATIONS:
            return run
        return f"{run[:-1]} {run[-1]}"

    # "Ð" (Icelandic eth) is how OCR and old fonts give "Đ"; Vietnamese never writes it
    text = text.replace("Ð", "Đ").replace("ð", "đ")
    # an abbreviation run into the next word: its capital is the word's ("UBNDThịxã" is
    # "UBND Thịxã", not "UBNDT hịxã"); a digit read at an "&" is a speck ("HĐND&6UBND")
    text = _RUN_INTO_RE.sub(capital_off, _SPECK_AT_AMPERSAND_RE.sub("&", text))
    return _CAPS_RE.sub(fix, text)


_RUN_INTO_RE = re.compile(r"(?<![^\W\d_])[A-ZĐ]{3,10}(?=[a-zà-ỹđ])")
_SPECK_AT_AMPERSAND_RE = re.compile(r"&\s?\d(?=[A-ZĐ]{2})")


def _less_one(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


# --- tables -------------------------------------------------------------------------

_HEADER_TEXT = ("STT", "Nội dung công việc", "Đơn vị chủ trì", "Thời gian thực hiện", "Sản phẩm")
_CODE_RE = re.compile(
    # stray marks may stand before it: a rule or specks read as "[", "|", "‘", ";"
    r"^\s*(?:[\[(|{}/\\‘’'\"“”`;:.,~°*]\s*){0,2}(?:(\d{1,2}(?:\s?[.:,]\s?\d{1,2}){0,2})|([IVX]{1,4})|([A-H]))"
    r"\s*[.:)…]{0,3}(?=\s|$|\|)"
)
# What ends a table: the recipients, the signature block, the next appendix or the
# letterhead it opens with (in capitals: "Chủ tịch UBND huyện" may start a wrapped line
# of a cell).
_END_RE = re.compile(
    r"^(?:N[OƠ]I NH[AẬ]N|Nơi nhận|TM\.|KT\.|PH[UỤ] L[UỤ]C|CH[UỦ] T[IỊ]CH$"
    r"|[UỦ]Y\W+BAN\W+NH[AÂ]N\W+D[AÂ]N\b[^a-zà-ỹ]*$|C[OỘ]NG H[OÒ]A X[AÃ] H[OỘ]I)"
)
_TIME_RE = re.compile(
    r"(?:trong\s+|đến\s+|trước\s+)?(?:"
    r"thường\s+xuyên(?:\s+trong\s+năm\s+\d{4})?"
    r"|(?:hằng|hàng)\s+(?:tuần|tháng|quý|năm)(?:\s*/\s*(?:tháng|quý|năm))?"
    # "Định kỳ 06 tháng và cuối năm", "Định kỳ 3 tháng/lần": only the words of a period
    # (the words after it on a line read across the table are other columns')
    r"|định\s+kỳ(?:[\s,/]+(?:\d{1,2}|tháng|quý|năm|hằng|hàng|và|cuối|lần)\b){0,8}"
    r"|khi\s+có\s+yêu\s+cầu"
    r"|theo\s+(?:yêu\s+cầu|kế\s+hoạch|lộ\s+trình|chỉ\s+đạo)"
    r"|quý\s+[IVX]{1,4}(?:\s*/\s*\d{4})?"
    r"|tháng\s+\d{1,2}(?:\s*(?:/|năm)\s*\d{4})?"
    r"|ngày\s+\d{1,2}/\d{1,2}(?:/\d{4})?"
    r"|năm\s+\d{4}"
    r")",
    re.I,
)
# "Ban hành" (to issue: a content cell's verb) is no "Ban …" unit ("Ban Chỉ huy …").
_BAN_HANH_RE = re.compile(r"ban h[a-z]?nh\b")
_UNIT_HEAD_RE = re.compile(
    r"\b(?:Văn phòng|UBND|Ủy ban|Phòng|Công chức|Các công chức|Bộ phận|Các phòng|Các cơ quan|"
    r"Cơ quan|Trung tâm|Công an|Ban|Hội|Đoàn|Chi cục|Kho bạc|Bảo hiểm)\b"
)


_RELATED_RE = re.compile(r"\blien quan\b")


def _roles(text: str) -> set[str]:
    roles = set()
    for piece in re.split(r"\||\s{2,}", text):
        role = cell_role(piece.strip()) if piece.strip() else None
        if role:
            roles.add(role)
    # OCR runs words together now and then ("Noidung", "chutri", "Don vichu") and a
    # narrow column's name wraps ("Đơn vị chủ" / "trì" a line below, between other
    # columns' words): a column is known by its first words too, as written or with
    # OCR's digits read as letters ("N6idung").
    key = f"{fold(text)} | {_squeeze_keep(text)}"
    if re.search(r"\bnoi ?dung\b|\bcong ?viec\b|\bnhiem ?vu\b", key):
        roles.add(CONTENT)
    if re.search(r"\bchu ?tri\b|\b(?:co ?quan|don ?vi)(?:\b|(?=chu|thuc))", key):
        roles.add(LEAD)
    if re.search(r"\bphoi ?hop\b", key):
        roles.add(COOP)
    if re.search(r"\bthoi\W{0,3}(?:gian|han)\b", key):
        roles.add(TIME)
    if re.search(r"\bsan ?pham\b|\bket ?qua\b|\bdu ?kien\b", key):
        roles.add(PRODUCT)
    return roles


# (after a speck or two OCR read as letters: "ey ~ | Nhiệm vụ | Cơ quan …")
_HEADER_START_RE = re.compile(
    r"^\W*(?:\w{1,2}\W+){0,2}(?:s[o0]? ?tt|tt|n\w{0,2}i ?dung|nhiem vu)\b"
)


# The number column's name opening a header ("STT", "TT"): with three other columns
# named, the header even where OCR lost the content column's name.
_NUMBER_HEADER_RE = re.compile(r"^\W*(?:s[o0]? ?tt|tt)\b")


# Column names a header repeated on a later page may start with, its first columns'
# words read after the others' ("Kết quả Cơ quan, Thời gian" / "công việc đơn vị …").
_COLUMN_WORD_RE = re.compile(r"\b(?:ket qua|co ?quan|don vi|thoi gian|du ?kien|san pham)\b")


_HEADER_FOREIGN = 3  # words naming no column a header's first line may have (OCR's)


def _header_at(lines: list[str], i: int, repeated: bool = False) -> int:
    """The end of a header starting at line ``i`` (0 when none): it starts with the
    number or content column ("STT", "TT", "Nội dung"), goes on with short lines that
    name columns (blank lines between them allowed, as when a header is read cell by
    cell) and names a content column and two of lead, cooperating, time and product.
    A header ``repeated`` inside a table may also start with a line of two other
    columns' names and nothing else ("Két qua Co quan, Thoi gian")."""
    first = lines[i]
    key = _squeeze_keep(first)
    if _junk(first):  # inside a table; at its start, only after an appendix heading
        return _shaded_header_end(lines, i) if repeated else 0
    if _word_count(first) > 16 or _foreign_words(first) > _HEADER_FOREIGN:
        return 0  # a sentence ("Nội dung kiểm tra của cơ quan trong thời gian tới")
    if not _HEADER_START_RE.match(key):
        named = _COLUMN_WORD_RE.findall(key)
        if not repeated or len(named) < 2 or _COLUMN_WORD_RE.match(key) is None:
            return 0
        if len(_COLUMN_WORD_RE.sub(" ", key).split()) > 1:
            return 0  # other words on the line: a cell's text
    roles: set[str] = _roles(first)
    j = last = i + 1
    while j < len(lines) and j < i + 24:
        line = lines[j]
        if not line.strip():
            j += 1
            continue
        if _word_count(line) > 16 or _CODE_RE.match(line):
            break
        if not lines[j - 1].strip() and _opens_cell(line):
            break  # after a blank line, a cell's first words: the header has ended
        found = _roles(line)
        if _foreign_words(line) >= 3 and len(found) < 2:
            # a cell's words ("hồ sơ, giấy tờ xã phối hợp"), not a column's name; a
            # line naming two columns is the header's whatever else OCR made of it
            break
        if not found and len(line.split()) > 2:
            break
        roles |= found
        j += 1
        if found:
            last = j
    others = len(roles & {LEAD, COOP, TIME, PRODUCT})
    if (CONTENT in roles and others >= 2) or (others >= 3 and _NUMBER_HEADER_RE.match(key)):
        return last
    return 0


def _word_count(line: str) -> int:
    """The words of ``line``, not counting the rules and specks OCR read between
    cells ("|", "-", "‘")."""
    return sum(1 for word in line.split() if any(c.isalnum() for c in word))


def _junk(line: str) -> bool:
    """A line OCR made of shading or rules: two short words or more, letters only, no
    acronym, none of them a Vietnamese syllable ("ae [Gee [ee [See", "ee ee ee", "pew
    [ees"; a damaged text's "TTHC ctia" or "tt thudc" is none)."""
    written = [w for _, _, w in _tokens(line)]
    words = [fold(w) for w in written]
    return (
        len(words) >= 2
        and all(w.isalpha() and len(w) <= 4 for w in words)
        and not any(len(w) >= 2 and w.isupper() for w in written)  # "TTHC", "VP - TK"
        and not any(is_strict_syllable(w) for w in words if len(w) >= 2)
    )


def _shaded_header_end(lines: list[str], i: int) -> int:
    """The end of a header whose shaded cells OCR read as junk (line ``i``), known by
    what it could read under them: the next line with words (within three) is made of
    column names' words ("cht tri", "pham thuc hién": the ends of "Chủ trì", "Sản phẩm",
    "Thời gian thực hiện"; one other word among four or more); else 0."""
    for j in range(i + 1, min(i + 4, len(lines))):
        words = [_skeleton(w) for _, _, w in _tokens(lines[j])]
        if not words:
            continue
        named = sum(1 for w in words if w in _COLUMN_WORDS)
        if _HEADER_START_RE.match(_squeeze_keep(lines[j])):
            return 0  # the header's first line read after all: it starts there
        foreign = _foreign_words(lines[j])  # (one misread: "phéi hop")
        return j + 1 if named and (foreign == 0 or (foreign == 1 and named >= 4)) else 0
    return 0


# The words column names are made of (skeletons), and "số", "và", "/".
_COLUMN_WORDS = frozenset(
    w
    for text in (*HEADER_WORDS, "Số TT", "Đơn vị", "Cơ quan", "Dự kiến", "Thời hạn", "và")
    for _, _, word in _tokens(text)
    for w in [_skeleton(word)]
)


def _foreign_words(line: str) -> int:
    """How many Vietnamese words of ``line`` name no column."""
    return sum(
        1
        for _, _, w in _tokens(line)
        if _skeleton(w) not in _COLUMN_WORDS and is_syllable(_word_skeleton(w))
    )


# Capitalised words that go on a sentence wrapped in a narrow cell ("… Thủ tướng /
# Chính phủ giao tại …"): institutions named inside a cell's text, never the first
# words of one (skeletons; a document's name may be: "Chỉ thị về việc …" to issue).
_NAMED_INSIDE = frozenset(
    {"chinh phu", "thu tuong", "quoc hoi", "nha nuoc", "trung uong", "bo truong"}
)


def _named_inside(words: Sequence[str]) -> bool:
    """The line's first two words name an institution (``_NAMED_INSIDE``), misspelt
    a little as OCR does ("Chinh phi")."""
    key = " ".join(_skeleton(w) for w in words[:2])
    return any(fuzz.ratio(key, name) >= PHRASE_SCORE for name in _NAMED_INSIDE)


def _opens_cell(line: str) -> bool:
    """A line that starts a cell's text, not a column's name: a capitalised word, a
    lower-case one after it, and a Vietnamese word that names no column ("Thực hiện
    ra")."""
    words = [w for _, _, w in _tokens(line)]
    if len(words) < 2 or not words[0][:1].isupper() or not words[0][1:].islower():
        return False
    if not words[1][:1].islower() or _named_inside(words):
        return False
    # (a word misread past recognition, "Dw" for "Dự", may still be a column's)
    return any(_skeleton(w) not in _COLUMN_WORDS and is_syllable(_word_skeleton(w)) for w in words)


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
    section: bool = False  # a section heading (roman numeral or letter): its title only
    units: tuple[str, ...] = ()  # the known units the row names (set by _cells)


def _row_start(line: str) -> tuple[str, str, bool] | None:
    """The number a table row starts with, the rest of its line, and whether it is a
    section heading; None when the line starts no row. A number must be followed by
    a capitalised word, a figure or nothing ("1 cua UBND" is a wrapped date: "…/202" /
    "1 của"); a roman numeral or a letter by a title of four words or more ("I Thang"
    is a stray stroke)."""
    m = _CODE_RE.match(line)
    if m is None:
        return None
    rest = line[m.end() :].lstrip(" |")
    first = _WORD_RE.search(rest)
    if m.group(1):
        head = rest.lstrip(" -–.,;:'‘\"“*•")
        if head[:1].isalpha() and head[:1].islower() and not re.match(r"\w\)", head):
            return None  # but "2 b) Đề nghị": an item of a numbered task
        code = re.sub(r"\s", "", m.group(1)).replace(":", ".").replace(",", ".")
        return code, rest, False
    if len(_WORD_RE.findall(rest)) < 4 or first is None or not first.group(0)[:1].isupper():
        return None
    return m.group(2) or m.group(3), rest, True


def _section_heading(lines: list[str], i: int, table: list[_Row]) -> int:
    """A section heading spans the table's width: its title goes on over the next lines
    that hold no cell separator and start no row (at most two, only after a long first
    line); what follows, up to the next numbered row, is a task whose number was lost.
    Returns the index of the first line after the title."""
    row = table[-1]
    j = i + 1
    if len(row.lines[0].split()) >= 6:
        while j < len(lines) and j <= i + 2:
            line = lines[j]
            if not line.strip() or "|" in line or _row_start(line) is not None:
                break
            if len(line.split()) > 12:
                break
            row.lines.append(line)
            j += 1
    return j


def _rebuild(
    lines: list[str], names: Sequence[str], tick: Callable[[], object]
) -> tuple[list[str], int]:
    out: list[str] = []
    rows = 0
    i = 0
    appendix = False  # an appendix heading read, and no table after it yet
    while i < len(lines):
        appendix = appendix or _appendix_heading(lines, i)
        end = _header_at(lines, i)
        if not end and appendix and _junk(lines[i]):
            end = _shaded_header_end(lines, i)  # its shaded cells read as junk
        header: list[str] = lines[i:end]
        if not end and appendix and _headless_table_at(lines, i):
            # the header lost (OCR made nothing of a shaded row): the table starts at
            # its first rows, its columns named by a header repeated further on if any
            end = i
            header = _later_header(lines, i)
        if not end:
            out.append(lines[i])
            i += 1
            continue
        if end > i and _whole_pipe_rows(header):
            out.extend(header)  # a table with its cells between pipes: read as it is
            i = end
            continue
        appendix = False
        table: list[_Row] = []
        i = end
        while i < len(lines):
            tick()
            line = lines[i]
            if _END_RE.match(strip_diacritics(line.strip()).replace("Đ", "D")) or _END_RE.match(
                line.strip()
            ):
                break
            if _appendix_heading(lines, i):
                break
            skip = _header_at(lines, i, repeated=True)
            if skip:
                i = skip
                if table and _new_row_after_header(lines, i, table[-1]):
                    while not lines[i].strip():
                        i += 1
                    table.append(_Row("", [lines[i]]))  # its number lost
                    i += 1
                continue
            start = _row_start(line)
            if start is not None:
                code, rest, section = start
                table.append(_Row(code, [rest], section))
                if section:
                    i = _section_heading(lines, i, table)
                    continue
            elif table and table[-1].section and line.strip() and len(table[-1].lines) > 0:
                table.append(_Row("", [line]))  # a task whose number was lost, under a section
            elif table and (numeral := _heading_without_number(lines, i, table, names)):
                table.append(_Row(numeral, [line], section=True))
                i = _section_heading(lines, i, table)
                continue
            elif table and (garbled := _garbled_number(line)) and _complete(table[-1]):
                table.append(_Row("", [garbled]))  # its number mended by its neighbours
            elif table and _starts_unnumbered(line, table[-1], names):
                table.append(_Row("", [line]))
            elif table:
                table[-1].lines.append(line)
            elif _opens_cell(line) and not _HEADER_START_RE.match(_squeeze_keep(line)):
                # the table's first row without its number: OCR lost the number
                # column (on the page, or all through the table); a title across the
                # table, a paragraph of its own, is its first section's
                table.append(_Row("", [line], section=_title_alone(lines, i)))
                if table[-1].section:
                    i = _section_heading(lines, i, table)
                    continue
            elif line.strip():
                out.append(line)
            i += 1
        if table:
            time_last = _time_is_last(header)
            table = _split_cell_rows(table, time_last, _product_after_time(header))
            _restarted_sections(table)
            _number_sections(table)
            _mend_codes(table)
            out.append("\t".join(_HEADER_TEXT))
            coop_column = COOP in _roles(" ".join(header))
            previous = ""
            cooperating: set[str] = set()  # the units the row above names besides its lead
            numbered = [row.code for row in table if _parts(row.code)]
            for index, row in enumerate(table):
                tick()
                if not row.section and not any(line.strip() for line in row.lines):
                    # a number alone (the number column read apart from the cells): no
                    # task can be read from it; the parser lists the number as not read
                    continue
                if _parts(row.code) and any(c.startswith(row.code + ".") for c in numbered):
                    row.section = True  # "8" before "8.1"
                    if index + 1 < len(table):
                        _give_fragments(row, table[index + 1])
                cells = _cells(row, names, coop_column)
                if time_last and not row.section:
                    # the row's lines read across the table: a timeframe at their end
                    # is the time column's, one before it another column's words
                    cells[3] = _time_in(row.lines[:MAX_ROW_LINES], last=True) or cells[3]
                lead = fold(cells[2])
                others = {fold(u) for u in row.units} - {lead}
                if (
                    coop_column
                    and previous
                    and lead
                    and (
                        _RELATED_RE.search(lead)
                        or (_alike(lead, cooperating) and not (others - cooperating))
                    )
                ):
                    # "… có liên quan", or the unit that cooperated in the row above,
                    # alone: the lead cell was merged down from the row above and
                    # printed once
                    cells[2] = previous
                elif previous and not lead and not row.units and not row.section and cells[3]:
                    # no unit read in the row at all, its time read: its lead cell
                    # merged down from the row above, printed once (the most likely;
                    # every task read from repaired text is listed to be checked). Not
                    # in a row with no time either: both its cells were left empty or
                    # lost (nothing says it shares the lead above), and a section's
                    # title across the table, its numeral lost, stays no task.
                    cells[2] = previous
                if not row.section:
                    previous = cells[2]
                    cooperating = {fold(u) for u in row.units} - {fold(previous)}
                if not cells[0] and detect_columns(cells) is not None:
                    # short cells without a number that read like a header would start
                    # a new table: the row's words stay together, in its content
                    cells = ["", " ".join(c for c in cells[1:] if c), "", "", ""]
                out.append("\t".join(cells))
                rows += 1
            out.append("")
    return out, rows


HEADLESS_ROWS = 3  # numbered rows, one after another, that make a table without header
_HEADLESS_LINES = 60  # lines they are looked for in


def _headless_table_at(lines: list[str], i: int) -> bool:
    """Line ``i`` starts a table whose header was lost: it starts a numbered row (or a
    section), and ``HEADLESS_ROWS`` rows numbered one after another start within the
    next lines (before any header)."""
    if _row_start(lines[i]) is None:
        return False
    codes: list[tuple[int, ...]] = []
    for line in lines[i : i + _HEADLESS_LINES]:
        start = _row_start(line)
        parts = _parts(start[0]) if start is not None else None
        if parts is None:
            continue
        if codes and not (parts > codes[-1] and parts[0] - codes[-1][0] <= 1):
            return False  # numbers that do not follow: a list, a date, not a table's rows
        codes.append(parts)
        if len(codes) >= HEADLESS_ROWS:
            return True
    return False


def _later_header(lines: list[str], i: int) -> list[str]:
    """The lines of the first header repeated after line ``i`` in its appendix (on the
    next page), to name the columns of a table whose own header was lost; [] if none."""
    for j in range(i + 1, len(lines)):
        if _appendix_heading(lines, j) or _END_RE.match(lines[j].strip()):
            break
        end = _header_at(lines, j, repeated=True)
        if end:
            return lines[j:end]
    return []


_APPENDIX_RE = re.compile(r"^\W*phu luc(?:\s+[\divxl]{1,4})?\W*$")


def _appendix_heading(lines: list[str], i: int) -> bool:
    """Line ``i`` opens the next appendix: "Phụ lục" (in any case, its number after
    it or not) alone on its line, a title in capitals on the next lines."""
    if not _APPENDIX_RE.match(_squeeze_keep(lines[i]).replace("1", "l")):
        return False
    after = [line for line in lines[i + 1 : i + 5] if _WORD_RE.search(line)][:1]
    if not after or len(after[0].split()) < 3:
        return False
    letters = [ch for ch in after[0] if ch.isalpha()]
    # (OCR may give a capital as a small letter: "CHi TIÊU")
    return sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _give_fragments(section: _Row, row: _Row) -> None:
    """A section heading spans the table; lines read after its title that hold other
    cells' words (a cell separator, or a unit or timeframe starting them: "Các | Trong
    năm | Danh mục") are the first lines of the row below, printed above its number
    (a tall row's number stands lower than its cells' first lines)."""
    lines = section.lines
    for at in range(1, len(lines)):
        line = lines[at]
        if line.strip() and ("|" in line.strip(" |") or _anchored(line)):
            row.lines[:0] = lines[at:]
            del lines[at:]
            return


# The letters OCR reads for digits at a row's start.
_LETTER_DIGITS = str.maketrans("AaOoIlSsBZz", "44001155822")
_GARBLED_NUMBER_RE = re.compile(r"^\s*([AaOoIlSsBZz]{2})\s+(?=[A-ZĐÀ-Ỹ][^\W\d_]*\s+[a-zđà-ỹ])")


def _garbled_number(line: str) -> str:
    """The rest of a line that starts with a row number OCR read as letters ("Aa" for
    "44", "lO" for "10") before a content cell's first words (a capitalised word, then
    a lower-case one); "" when it does not."""
    m = _GARBLED_NUMBER_RE.match(line)
    if m is None or _roman(m.group(1)):
        return ""
    token = m.group(1)
    digits = token.translate(_LETTER_DIGITS)
    # not a word ("Ba", "So"): the same digit twice, or a capital after the first letter
    if not digits.isdigit() or digits[0] == "0":
        return ""
    if digits[0] != digits[1] and not token[1].isupper():
        return ""
    return line[m.end() :]


def _alike(key: str, keys: set[str]) -> bool:
    """``key`` names one of ``keys``, or the start of one ("Các cơ quan, đơn vị" of
    "Các cơ quan, đơn vị có liên quan")."""
    squeezed = key.replace(" ", "").replace(",", "")
    return any(
        other.replace(" ", "").replace(",", "").startswith(squeezed)
        or squeezed.startswith(other.replace(" ", "").replace(",", ""))
        for other in keys
    )


# Where a unit cell or a timeframe cell starts, on fold keys ("Cac phong", "Thuong").
_UNIT_ANCHOR_RE = re.compile(
    r"\b(?:van phong|ubnd|phong|cong chuc|cac (?:phong|co quan|cong chuc|don vi)|bo phan|"
    r"co quan|trung tam|cong an|ban chi huy|hoi|doan|chi cuc|kho bac|bao hiem)\b"
)
_TIME_ANCHOR_RE = re.compile(
    r"\b(?:thuong xuyen|thuong$|thang \d|quy [ivxl1]|nam \d{4}|trong nam|"
    r"(?:hang|hang) (?:thang|quy|nam|tuan)|dinh ky|theo (?:ke|yeu|lo|chi)|khi co)\b"
)


def _anchored(text: str) -> bool:
    key = _squeeze_keep(text)
    return bool(_UNIT_ANCHOR_RE.search(key) or _TIME_ANCHOR_RE.search(key))


def _complete(row: _Row, names: Sequence[str] = ()) -> bool:
    """The row has its unit (a unit word, or a known unit misspelt: "Céng an") and its
    timeframe already."""
    lines = row.lines[:MAX_ROW_LINES]
    if not _time_in(lines):
        return False
    return bool(_UNIT_ANCHOR_RE.search(_squeeze_keep(" ".join(lines))) or _mentions(lines, names))


def _new_row_after_header(lines: list[str], i: int, row: _Row) -> bool:
    """After a header repeated on a new page (from line ``i``), the first line opens a
    row whose number OCR lost: a row going on from the page before resumes in the
    middle of its cells (lower case), a new one opens its content cell with a
    capitalised word ("Thực hiện rà / soát, đánh …"), its cell wrapped onto the next
    line (a section's title is followed by a numbered row), while the row before has
    its unit and timeframe."""
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i + 1 >= len(lines) or row.section:
        return False
    line = lines[i]
    words = line.split()
    if "|" in line or not _opens_cell(line) or _anchored(" ".join(words[:2])):
        return False
    after = next((n for n in lines[i + 1 : i + 4] if n.strip()), "")
    if not after or _row_start(after) is not None or _CODE_RE.match(line):
        return False
    return _complete(row)


def _starts_unnumbered(line: str, row: _Row, names: Sequence[str]) -> bool:
    """A line that starts a row whose number OCR lost: a content cell's first words
    (a capitalised word, then lower case: "Triển khai thực hiện"), then another cell
    starting with a unit or a timeframe ("Các phòng | Thường"), while the row being
    read already has its unit and its timeframe."""
    if row.section:
        return False
    words = line.split()
    # (its first word as OCR spells it: "T6 chirc" for "Tổ chức", "Duy. tri")
    first = words[0].rstrip(".,;:*") if words else ""
    if len(words) < 3 or not first[:1].isupper() or not _skeleton(first).isalpha():
        return False
    if _upper_only(words[0]):
        return False  # an acronym ("TTHC theo …") goes on a wrapped sentence
    if not words[1][:1].islower() or _anchored(" ".join(words[:2])) or _named_inside(words):
        return False
    # another cell starts on the line: a capitalised unit or timeframe ("Các phòng",
    # "Thường", "Sở Tài …"), not the lower-case rest of one ("năm 2024" under "Tháng 2")
    starts = [
        j
        for j in range(2, len(words))
        if words[j][:1].isupper()
        and (_anchored(" ".join(words[j : j + 2])) or _department(words[j : j + 2]))
    ]
    if not starts:
        return False
    if _complete(row, names):
        return True
    # a row with its timeframe but no unit (its lead printed once above it, for the
    # rows under it): the line opens the next row when it holds both a unit's cell and
    # a timeframe's after its content
    rest = _squeeze_keep(" ".join(words[2:]).replace("-", " "))  # ("Chi-cục Thuế")
    units = _UNIT_ANCHOR_RE.search(rest) or any(
        _department(words[j : j + 2]) for j in range(2, len(words))
    )
    return bool(units and _TIME_ANCHOR_RE.search(rest) and _time_in(row.lines[:MAX_ROW_LINES]))


def _department(words: list[str]) -> bool:
    """ "Sở Tài …", "Cục Thuế": a department's or office's name starting, its word
    capitalised and the next too (a content's "sở" or "hồ sơ" is not)."""
    return (
        len(words) == 2
        and _skeleton(words[0].strip(" |-.,;:")) in ("so", "cuc")
        and words[1][:1].isupper()
    )


_ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def _title_alone(lines: list[str], i: int) -> bool:
    """Line ``i``, the first under a table's header, is a title across the table: a
    paragraph of its own (a blank line or a numbered row after it) of five words or
    more, wider than a narrow cell's line, no cell rule; its last words may have
    wrapped onto one short line ("hành chính")."""
    line = lines[i]
    if "|" in line or len(line.split()) < 5 or len(line.strip()) <= _WIDE:
        return False
    after = lines[i + 1 : i + 3]
    if not after or not after[0].strip() or _row_start(after[0]) is not None:
        return True  # (its first task's numbered row right under it)
    rest = after[0].split()
    return len(rest) <= 4 and "|" not in after[0] and (len(after) < 2 or not after[1].strip())


def _heading_without_number(
    lines: list[str], i: int, table: list[_Row], names: Sequence[str]
) -> str:
    """The number of a section heading whose numeral OCR lost, "" when line ``i`` is
    none: after a blank line (or one of stray marks: the numeral's remains, ", I y 2«")
    and a row that has its unit and timeframe, a title across
    the table (no cell separator, five words or more, starting with a capitalised word
    that is no unit or timeframe); its number is the one after the
    last section's: "6" after rows "5.x"; roman "III" after "II" where the tasks'
    numbers start again at 1 in each section (where they run on through the plan, a
    section's number makes no task's code, and is not guessed)."""
    line = lines[i]
    words = line.split()
    row = table[-1]
    if row.section or i == 0 or _WORD_RE.search(lines[i - 1]) or "|" in line or len(words) < 5:
        return ""
    if not words[0][:1].isupper() or not words[0].isalpha() or _anchored(" ".join(words[:2])):
        return ""
    if not _complete(row):
        return ""
    restarts = sum(1 for earlier in table if earlier.code == "1") >= 2
    for earlier in reversed(table):
        if earlier.section and earlier.code in _ROMANS and restarts:
            index = _ROMANS.index(earlier.code)
            return _ROMANS[index + 1] if index + 1 < len(_ROMANS) else ""
        parts = _parts(earlier.code)
        if parts is not None and (len(parts) >= 2 or (earlier.section and len(parts) == 1)):
            return str(parts[0] + 1)
    return ""


def _number_sections(table: list[_Row]) -> None:
    """A section heading whose numeral OCR lost takes the number its tasks' numbers
    start with ("1" over "1.4" when "1.1" to "1.3" lost theirs too)."""
    for index, row in enumerate(table):
        if not row.section or row.code:
            continue
        for task in table[index + 1 :]:
            if task.section:
                break
            parts = _parts(task.code)
            if parts is not None:
                if len(parts) == 2 and not any(r.code == str(parts[0]) for r in table):
                    row.code = str(parts[0])
                break


def _restarted_sections(table: list[_Row]) -> None:
    """Where the tasks' numbers start again at "1" in each roman section, a number that
    does not go on from the one before it opens the next section whose numeral was
    lost: a section row is put before it, with the title OCR read into the row above
    (:func:`_lost_title`), else "…" (the title not read).

    A table numbers its tasks so when two sections or more already started at "1" (a
    "1" after "1", "2" … with a title found opens one), or when three rows or more and
    a fifth of the numbered rows are numbered "1" (the sections' numerals lost): there
    any step back opens one ("1" after "2"; "2" after "3", the section's first row lost
    too)."""
    plain = [row.code for row in table if not row.section and row.code.isdigit()]
    ones = plain.count("1")
    # a table numbered on through its sections has a "1" or two read from items and
    # misread numbers; one numbered anew in each has one in every few rows
    restarts = ones >= 3 and ones * 5 >= len(plain)
    section = ""
    seen = 0  # sections whose tasks started at "1"
    last = 0  # the last task number under the current section
    out: list[_Row] = []
    for row in table:
        if row.section and row.code in _ROMANS:
            section, last = row.code, 0
        elif row.code.isdigit() and not row.section:
            number = int(row.code)
            title = _lost_title(out[-1]) if out else None
            opens = (number == 1 and seen >= 2 and title) or (restarts and number <= last)
            if opens and last >= 1 and section in _ROMANS[:-1]:
                section = _ROMANS[_ROMANS.index(section) + 1]
                if title:
                    out[-1].lines.remove(title)
                out.append(_Row(section, [title or "…"], section=True))
                last = 0
            if number == 1 and last == 0:
                seen += 1
            last = number
        out.append(row)
    table[:] = out


def _lost_title(row: _Row) -> str | None:
    """The last line of ``row`` that reads as a section's title alone (after a blank
    line or a repeated header: two to eight words, the first capitalised, no cell
    separator, no unit or timeframe), else None."""
    lines = [line for line in row.lines if line.strip()]
    if row.section or len(lines) < 2:
        return None
    for line in reversed(lines[1:]):
        words = line.split()
        if (
            2 <= len(words) <= 8
            and "|" not in line
            and words[0][:1].isupper()
            and words[0].isalpha()
            and all(w[:1].islower() or not w[:1].isalpha() for w in words[1:])
            and not _anchored(line)
        ):
            return line
    return None


def _parts(code: str) -> tuple[int, ...] | None:
    return tuple(int(p) for p in code.split(".")) if re.fullmatch(r"\d+(?:\.\d+)*", code) else None


def _mend_codes(table: list[_Row]) -> None:
    """Numbers OCR cut or grew, mended by their neighbours: "3" between "1.2" and
    "1.4" is "1.3" (the "1." lost); "18" between "7.2" and "8.1" is "8" (a rule read
    as "1"); "72" right after "1" is "2" (a speck read as a digit)."""
    numbered = [row for row in table if not row.section and _parts(row.code)]
    _fill_lost(table)
    for before, row in itertools.pairwise(numbered):
        a, b = before.code, row.code
        if a.isdigit() and b.isdigit() and int(b) > int(a) + 9 and b.endswith(str(int(a) + 1)):
            row.code = str(int(a) + 1)  # "72" after "1": a speck read as a digit before "2"
    for before, row, after in zip(numbered, numbered[1:], numbered[2:], strict=False):
        a, b, c = _parts(before.code), _parts(row.code), _parts(after.code)
        assert a is not None and b is not None and c is not None
        if len(b) != 1 or len(c) != 2:
            continue
        if len(a) == 2 and a[0] == c[0] and c[1] - a[1] == 2 and b[0] == a[1] + 1:
            row.code = f"{a[0]}.{b[0]}"
        elif c[1] == 1 and a[0] + 1 == c[0] != b[0] and row.code.endswith(str(c[0])):
            row.code = str(c[0])


def _fill_lost(table: list[_Row]) -> None:
    """Rows whose number was lost between "2" and "6" are "3", "4", "5" when there
    are exactly as many of them as numbers missing (between "5.3" and "5.6": "5.4",
    "5.5"); right under a numbered section "6" with no numbered task after them, "6.1",
    "6.2" …; before "4.2" where the row above is of another section ("3.4": the heading
    "4" was lost), "4.1" when one is lost; after "5.3" right before section "6", "5.4",
    "5.5" …"""
    last: tuple[int, ...] | None = None
    lost: list[_Row] = []
    # the tasks' numbers run on through the plan's roman and lettered sections ("2",
    # "II …", "3"): such a section breaks no run of numbers
    tasks = [row.code for row in table if not row.section and row.code.isdigit()]
    runs_on = len(tasks) >= 2 and tasks.count("1") <= 1
    end = _Row("", [], section=True)
    for row in [*table, end]:
        if row.section and runs_on and row.code and _parts(row.code) is None:
            continue
        if row.section:
            parts = _parts(row.code)
            if row is end and lost and last is not None and last[-1] != 0:
                # the table's last tasks, after its last number: "46", "47" after "45"
                for k, missing in enumerate(lost, 1):
                    missing.code = ".".join(map(str, (*last[:-1], last[-1] + k)))
            elif last is not None and last[-1] == 0 and lost:
                for k, missing in enumerate(lost, 1):  # the tasks of a section "6": "6.1" …
                    missing.code = ".".join(map(str, (*last[:-1], k)))
            elif (
                lost
                and last is not None
                and len(last) == 2
                and parts is not None
                and parts == (last[0] + 1,)
            ):
                # the last tasks of section "5" before section "6": "5.4", "5.5" after "5.3"
                for k, missing in enumerate(lost, 1):
                    missing.code = f"{last[0]}.{last[1] + k}"
            last = (*parts, 0) if parts is not None and len(parts) == 1 else None
            lost = []
            continue
        parts = _parts(row.code)
        if parts is None:
            if not row.code and last is not None:
                lost.append(row)
            continue
        if (
            lost
            and last is not None
            and len(parts) == len(last)
            and parts[:-1] == last[:-1]
            and parts[-1] - last[-1] - 1 == len(lost)
        ):
            for k, missing in enumerate(lost, 1):
                missing.code = ".".join(map(str, (*last[:-1], last[-1] + k)))
        elif (
            lost
            and len(parts) == 2
            and (last is None or last[:-1] != parts[:-1])
            and parts[-1] - 1 == len(lost)
        ):
            # the first tasks of a section whose heading was lost: "4.1" before "4.2"
            for k, missing in enumerate(lost, 1):
                missing.code = f"{parts[0]}.{k}"
        last, lost = parts, []


_NARROW = 22  # characters of a line holding one narrow cell's words alone
_WIDE = 30  # characters of a line that no narrow cell holds: a title across the table


def _cell_paragraph(lines: list[str]) -> bool:
    """A paragraph of one cell read alone (the table read cell by cell): short lines,
    no rule between cells."""
    return all(len(line.strip()) <= _NARROW and "|" not in line for line in lines)


def _time_paragraph(lines: list[str]) -> bool:
    """A time cell read alone: a short paragraph opening with a capitalised timeframe
    (after a bullet: "- Định kỳ")."""
    if len(lines) > 8 or not _cell_paragraph(lines):
        return False
    head = _squeeze_keep(" ".join(lines[:2]).lstrip(" -–~=•*.,")).split()
    time = fold(_time_in(lines)).split()
    first = lines[0].lstrip(" -–~=•*.,")
    # (its first word as OCR spelt it: "Trudc" for "Trước")
    return bool(first[:1].isupper() and head and time and _same_word(head[0], time[0]))


def _opens_content(lines: list[str]) -> bool:
    """A content cell read alone: two short lines or more, opening with a capitalised
    word (not an acronym, a unit or a timeframe: those open other cells; OCR's digits
    inside it read as the letters they stand for: "T6i thiéu" for "Tối thiểu")."""
    words = re.sub(r"(?<=\w)[.,:;](?=\w)", " ", lines[0]).split()  # "Bao.cao vé"
    return (
        len(lines) >= 2
        and len(words[0]) >= 2
        and _cell_paragraph(lines)
        and len(words) >= 2
        and words[0][:1].isupper()
        and _skeleton(words[0]).isalpha()
        and not _upper_only(words[0])
        and words[1][:1].islower()
        and not _anchored(" ".join(words[:3]))
        and not _named_inside(words)
        and not _COLUMN_WORD_RE.match(_squeeze_keep(" ".join(lines)))
        and not _HEADER_START_RE.match(_squeeze_keep(" ".join(lines)))
        # a unit misspelt as OCR does ("Céng chic / chuyén"): another cell
        and not _unit_at_start(" ".join(lines[:3]), ())
    )


# What a product cell opens with: a kind of document, or "Kết quả", "Hồ sơ".
_PRODUCT_HEAD_RE = re.compile(
    r"^(?:van ban|bao cao|quyet dinh|ke hoach|thong bao|danh muc|du thao|tai lieu|"
    r"ket luan|chi thi|cong van|to trinh|ho so|ket qua)\b"
)


def _product_paragraph(lines: list[str]) -> bool:
    """A product cell read alone: a short paragraph (three lines at most) opening with
    a kind of document ("Báo cáo / kết quả", "Văn bản đề / xuất")."""
    head = _squeeze_keep(" ".join(lines).lstrip(" -–~=•*.,"))
    return len(lines) <= 3 and _cell_paragraph(lines) and bool(_PRODUCT_HEAD_RE.match(head))


def _split_cell_rows(
    table: list[_Row], time_last: bool = False, product_after: bool | None = False
) -> list[_Row]:
    """Rows read cell by cell (each cell a paragraph of short lines, in the columns'
    order) run on into the next rows when OCR lost their numbers: a row that has its
    time cell already (a time cell read alone, or a timeframe in lines of several
    cells; not one inside a content cell's words) ends where a content cell opens that
    a time cell of its own follows, or, where the time column is the table's last
    (no cell of the row comes after its time), where a content cell opens at all.
    Where the product column follows the time column (``product_after``; None: the
    header does not say), the first paragraph after the time cell that opens with a
    kind of document ("Báo cáo / kết quả") is the row's product, not a new row (where
    the header does not say, only when a content cell opens right after it). The new
    rows' numbers are mended by their neighbours."""
    out: list[_Row] = []
    for row in table:
        if row.section:
            out.append(row)
            continue
        current = row
        paragraphs: list[tuple[int, int]] = []
        start = None
        for index, line in enumerate([*row.lines, ""]):
            if line.strip() and start is None:
                start = index
            elif not line.strip() and start is not None:
                paragraphs.append((start, index))
                start = None
        cut = 0  # where the current row starts in row.lines
        timed = False  # the current row has its time cell
        produced = False  # and its product cell, read alone after its time cell
        pieces: list[list[str]] = []
        for k, (a, b) in enumerate(paragraphs):
            lines = row.lines[a:b]
            after = row.lines[slice(*paragraphs[k + 1])] if k + 1 < len(paragraphs) else []
            if (
                timed
                and not produced
                and _product_paragraph(lines)
                and (
                    product_after
                    or (product_after is None and bool(after) and _opens_content(after))
                )
            ):
                produced = True  # "Báo cáo / kết quả" after the time cell: its product
                continue
            if (
                k
                and timed
                and _opens_content(lines)
                and (
                    time_last
                    or any(_time_paragraph(row.lines[c:d]) for c, d in paragraphs[k + 1 :])
                )
            ):
                pieces.append(row.lines[cut:a])
                cut, timed, produced = a, False, False
            # a time cell read alone, or a timeframe in lines of several cells (a
            # timeframe inside a content cell's words is none)
            timed = timed or (
                _time_paragraph(lines)
                if _cell_paragraph(lines)
                else bool(_time_in(lines[:MAX_ROW_LINES]))
            )
        pieces.append(row.lines[cut:])
        out.append(_Row(current.code, pieces[0], current.section, current.units))
        out.extend(_Row("", piece) for piece in pieces[1:])
    return out


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


def _cells(row: _Row, names: Sequence[str], coop_column: bool = True) -> list[str]:
    # A real row spans a few dozen lines: what lies past MAX_ROW_LINES is content only
    # (the searches below take time in the row's length times the names').
    whole_row = row
    units: list[str] = []
    cells = _row_cells(
        _Row(row.code, row.lines[:MAX_ROW_LINES], row.section), names, coop_column, units
    )
    whole_row.units = tuple(units)
    return cells


def _row_cells(row: _Row, names: Sequence[str], coop_column: bool, units: list[str]) -> list[str]:
    paragraphs = _pieces(row)
    whole = _clean(" ".join(line for p in paragraphs for line in p))
    if row.section and not row.code:  # a title whose numeral was lost: bold tells it
        return ["", f"<b>{whole}</b>", "", "", ""]
    if row.section or not paragraphs:  # a title, or a number with nothing after it
        return [row.code, whole, "", "", ""]
    cell_by_cell = len(paragraphs) >= 3
    mentions = _mentions(row.lines, names)
    roles = _roles_of(mentions, coop_column)
    marked = [m for m, role in zip(mentions, roles, strict=True) if role == LEAD]
    if marked:  # "Văn phòng … chủ trì": the plan says which unit leads
        units[:] = [m.name for m in mentions]
        content = _clean(" ".join(paragraphs[0])) if cell_by_cell else whole
        return [row.code, content, marked[0].name, _time_in(row.lines), ""]
    # the row's first paragraph holds pieces of several cells: its columns read line
    # by line, the lead among them
    by_line = sum(1 for line in paragraphs[0][:4] if "|" in line or len(line.split()) >= 5) >= 2
    if cell_by_cell and not by_line:
        # Read cell by cell: content first, then the other cells' paragraphs; the lead
        # is the first of them that starts with a unit.
        rest = [line for p in paragraphs[1:] for line in p]
        lead = _lead_paragraph(paragraphs[1:], names, coop_column)
        if lead is not None:
            units[:] = [m.name for m in _mentions(rest, names)]
            # the content's own words ("Rà soát thường xuyên …") are no timeframe when
            # the content came alone, in a narrow column
            narrow = all(len(line.split()) <= 4 for line in paragraphs[0])
            time = (_time_in(rest) if narrow else "") or _time_in(row.lines)
            return [row.code, _clean(" ".join(paragraphs[0])), lead, time, ""]
        if not coop_column and all(len(line.split()) <= 4 for p in paragraphs[1:] for line in p):
            # every cell in a narrow column and none starting with a unit (in a table
            # whose one column holds every unit): a unit named inside one ("… tại một
            # số cơ quan và UBND cấp xã") is its text's; the lead cell was not read
            units[:] = []
            return [row.code, whole, "", _time_in(row.lines), ""]
    lead_stream: list[str] = []
    if cell_by_cell:
        lead_stream.append(" ".join(paragraphs[1]))
    else:
        for line in row.lines:
            parts = re.split(r"\|(?:\s*\|)*", line)  # "||": one rule read twice
            if len(parts) >= 2:
                lead_stream.append(parts[1])
    stream = _clean(" ".join(lead_stream))
    lead = _unit_at_start(stream, names)
    apart = _lead_of(mentions, coop_column)
    # a bare "UBND" alone in the lead column's piece (too short to be looked for among
    # the row's words) leads
    bare = _bare_acronym(stream, names)
    if bare:
        lead = bare
    elif apart:
        # the units the row spells, by their places and roles, before the lead column's
        # pieces between "|" (OCR drops some of the rules: the second piece may be
        # another column)
        lead = apart
    units[:] = [m.name for m in mentions]
    longer = [
        m.name
        for m in mentions
        if lead and _squeeze(m.name).startswith(_squeeze(lead)) and m.name != lead
    ]
    if longer and not bare:
        lead = max(longer, key=len)  # "Công chức" read in the column, "Công chức VP-TK" apart
    elif not lead and mentions:
        lead = _lead_of(mentions, coop_column) or ""
    if _lead_of(mentions, coop_column) == "":
        lead = ""  # every unit the row names is marked "phối hợp"
    content = whole
    if len(paragraphs) >= 3:
        content = _clean(" ".join(paragraphs[0]))
    return [row.code, content, lead, _time_in(row.lines), ""]


def _bare_acronym(stream: str, names: Sequence[str]) -> str:
    """The unit the lead column's piece starts with when it is an acronym alone
    ("UBND"), the next words starting another cell's unit ("UBND Cong chirc": the
    cooperating column) or none; "" otherwise."""
    words = stream.split()
    first = words[0].strip(" ,.;:") if words else ""
    if not _upper_only(first) or _UNIT_ANCHOR_RE.fullmatch(_skeleton(first)) is None:
        return ""
    rest = " ".join(words[1:4])
    if not rest or _UNIT_ANCHOR_RE.match(_squeeze_keep(rest)):
        return first
    return first if any(m.start == 0 for m in _mentions([rest], names)) else ""


def _lead_paragraph(
    paragraphs: list[list[str]], names: Sequence[str], coop_column: bool
) -> str | None:
    """The lead of a row read cell by cell: the unit the first paragraph starting
    with one names (a longer known name spelt in it preferred), "" when that one is
    marked "phối hợp" in a table whose one column holds every unit; None when no
    paragraph starts with a unit."""
    # a unit's words may go on in the next paragraphs: OCR may cut one cell in pieces
    lines = [line for p in paragraphs for line in p][:MAX_ROW_LINES]
    mentions = _mentions(lines, names)
    starting = {m.start: index for index, m in enumerate(mentions)}
    offset = 0
    for paragraph in paragraphs:
        at = starting.get(offset)
        if at is None:
            # two columns' items side by side on the paragraph's first line ("- Văn
            # bản - Văn phòng …"): a unit opening a later item opens a cell too
            for start in _item_starts(paragraph[0]):
                at = starting.get(offset + start)
                if at is not None:
                    break
        if at is not None:
            after = mentions[at:]
            lead = _lead_of(after, coop_column)
            if lead == "" or any(m.role == LEAD for m in after):
                return lead
            if len(after) > 1 and after[0].role == _FOLLOWS:
                # "- Văn phòng … theo dõi, đôn đốc. - Các phòng, ban … thực hiện": the
                # unit after it leads
                return _lead_of(after[1:2], coop_column)
            return _lead_of(after[:1], coop_column)
        lead = _unit_at_start(_clean(" ".join(paragraph)), names)
        if lead and (lead in names or lead in UNIT_WORDS):
            return lead
        offset += len(_row_tokens(paragraph))
    return None


_ITEM_RE = re.compile(r"(?<=\S)\s+[-–•|]\s*(?=\w)")


def _item_starts(line: str) -> list[int]:
    """Where, in words of the row (as :func:`_row_tokens` counts them), the items after
    the first of a line start: a list dash or a rule between two cells' texts."""
    return [len(_row_tokens([line[: m.start()]])) for m in _ITEM_RE.finditer(line)]


@dataclass(frozen=True)
class _Mention:
    """A unit the row names: where its words start and end among the row's words,
    and the role the words after it give ("chủ trì", "phối hợp") or None."""

    start: int
    end: int
    name: str
    role: str | None
    at_start: bool  # its first word starts a line: likely the content column
    clause_end: bool = False  # a ";" follows it ("A; B phối hợp": A does not cooperate)
    used: frozenset[int] = frozenset()  # the row's words that spell it
    spelt: str = ""  # the words looked for (the name, or its tail from an acronym on)


# Words before a unit that make it the object of the content, not an assignee
# ("Kế hoạch của UBND Thị xã", "báo cáo UBND", "phối hợp với …"), as OCR spells them.
_MENTION_BEFORE = {"cua", "cla", "ctia", "cia", "tai", "voi", "veli", "cho", "den", "trinh"}
_LEAD_WORDS = {"tri"}  # "chủ trì" (chu tri, cht tri, cha tri)
_COOP_WORDS = {"hop", "hep", "hap", "hgp"}  # "phối hợp" (phoi hop, phéi hop, phdi hap)
_WITH_WORDS = {"voi", "vei", "vdi", "vai", "veli"}  # "với" after "phối hợp"
# "phối" (phéi, phdi) right after a unit is "phối hợp" whatever became of "hợp"
_PHOI_WORDS = {"phoi", "phei", "phdi"}
_FOLLOW_WORDS = {"doi", "dei", "dai", "ddi"}  # "dõi" of "theo dõi" right after a unit
_WITH = "with"  # the role of A in "A phối hợp với B": "B chủ trì" makes both lead
# the role of a unit that "theo dõi" (follows the work): it cooperates, but unlike
# "phối hợp" its role is its own, not that of the units before it
_FOLLOWS = "follows"


def _mentions(lines: list[str], names: Sequence[str]) -> list[_Mention]:
    """Every known unit the row's words spell, each at its first place, the longest
    name where two start at one word; a unit's words may lie apart (a column read
    line by line) and be misspelt (OCR without Vietnamese: "Céng chitc")."""
    return list(_mentions_of(tuple(line for line in lines if line.strip()), tuple(names)))


@functools.lru_cache(maxsize=8)  # one row asks for its lines' units more than once
def _mentions_of(lines: tuple[str, ...], names: tuple[str, ...]) -> tuple[_Mention, ...]:
    tokens = _row_tokens(list(lines))
    keys = [t.key for t in tokens]
    found: dict[int, _Mention] = {}
    by_letter: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        by_letter.setdefault(key[:1], []).append(index)
    # (name, its words to look for, the first word it may start at); a name whose
    # first spelling another name spelt better from the same word is looked for again
    # after that word ("Sở" … "Tư pháp" giving way to "Sở Nội vụ": "So Tư pháp" below)
    pending = collections.deque((name, spelt, 0) for name, spelt in _unit_spellings(names))
    while pending:
        name, spelt, after = pending.popleft()
        target, bounds = _target(spelt)
        for start in by_letter.get(target[:1], ()):
            if start < after:
                continue
            key = keys[start]
            if not _consume(key, target, 0, bounds):
                continue
            used = _spell_words(tokens, start, target, bounds)
            if used is None:
                continue
            end = used[-1] + 1
            # (the word before it in its cell: one across a rule is another column's,
            # "Khai thác, tái | UBND các …")
            prior = tokens[start - 1] if start else None
            apart = (
                prior is not None
                and prior.line == tokens[start].line
                and (prior.cell != tokens[start].cell)
            )
            before = keys[start - 1] if start and not apart else ""
            if before in _MENTION_BEFORE and not (
                # "A phối hợp với B chủ trì": B leads (both do)
                # (the words of other columns on its line may come between)
                before in _WITH_WORDS
                and any(k in _COOP_WORDS for k in keys[max(0, start - 6) : start - 1])
                and _role_after(tokens, end) == LEAD
            ):
                continue
            if before == "bo" and tokens[start - 1].capital:
                continue  # "Bộ Công an", "Bộ Tư pháp": a ministry, no unit of the plan's
            # the words its spelling stepped over (another line of its cell read
            # between its words: "Công an / hợp / huyện phối") come first
            skipped = [
                tokens[k].key
                for k in range(start, end)
                if k not in used and tokens[k].alone and tokens[k].line > tokens[start].line
            ]
            # (a ";" right after it ends its clause: the words after are the next's)
            role = None if tokens[end - 1].clause_end else _role_after(tokens, end, skipped[-2:])
            at_start = tokens[start].place == 0.0 and len(lines) > 1
            old = found.get(start)
            if old is None or _better(tokens, name, used, old):
                found[start] = _Mention(
                    start,
                    end,
                    name,
                    role,
                    at_start,
                    tokens[end - 1].clause_end,
                    frozenset(used),
                    spelt,
                )
                if old is not None:
                    pending.append((old.name, old.spelt, start + 1))
                break
    out: list[_Mention] = []
    taken: set[int] = set()
    for start in sorted(found):
        mention = found[start]
        if start in taken:
            continue  # a word of a name found before it
        taken |= mention.used
        out.append(mention)
    return tuple(out)


def _right_words(tokens: list[_Token], used: Iterable[int], name: str) -> int:
    """How many of the words spelling ``name`` are spelt right (its words or pieces of
    them), not misspelt as OCR does."""
    target, _ = _target(name)
    return sum(1 for i in used if tokens[i].key in target)


def _better(tokens: list[_Token], name: str, used: Sequence[int], old: _Mention) -> bool:
    """Of two names spelt from one word, the one with more words spelt right; of two
    alike, the one more of whose words follow one another on a line ("Sở Nội vụ" read
    whole over "Sở" … "Tư pháp" from the cell below), then the one whose pieces on
    the next lines stand under its start (a cell's lines), then the longer ("Công chức
    VP-TK", its "VP-TK" right, over "Công chức chuyên môn" whose "môn" is misspelt,
    but "Các công chức có liên quan" over "Các công chức")."""

    def rank(name: str, used: Sequence[int]) -> tuple[int, int, float, int]:
        ordered = sorted(used)
        # words of the name read one right after the other on a line
        together = sum(1 for a, b in itertools.pairwise(ordered) if b == a + 1)
        # how far its pieces on the next lines stand from where it started on the line
        # above (a cell's lines start one under the other)
        drift, start = 0.0, tokens[ordered[0]].place
        for a, b in itertools.pairwise(ordered):
            if tokens[b].line != tokens[a].line:
                drift += abs(tokens[b].place - start)
                start = tokens[b].place
        return _right_words(tokens, used, name), together, -drift, len(_squeeze(name))

    return rank(name, used) > rank(old.name, sorted(old.used))


def _role_after(tokens: list[_Token], end: int, skipped: Sequence[str] = ()) -> str | None:
    """The role the words after a unit give it: the next ten words of its cell (on
    its line, then on the three lines below at about the same place or between the
    same ruling lines, and "trì" / "hợp" right after a word taken on its line: "Các
    phòng, / ban, ngành / và địa / phương phối / hợp."); failing that, "phối" right
    after the unit on its line cooperates, its "hợp" lost among other columns' words."""
    if not end:
        return None
    last = tokens[end - 1]
    cell: list[str] = list(skipped)
    taken = end - 1  # the last word taken: "trì" right after it on its line goes on
    for index in range(end, min(len(tokens), end + 40)):
        token = tokens[index]
        if (
            token.line == last.line
            or abs(token.place - last.place) <= 0.25
            or (token.cell >= 0 and token.cell == last.cell)
            or (
                index == taken + 1
                and token.line == tokens[taken].line
                and token.key in _LEAD_WORDS | _COOP_WORDS
            )
            # a short line of one cell's words right below ("UBND cấp xã" / "phối hợp.")
            or (token.alone and token.line == last.line + 1)
        ):
            if token.line > last.line + 3:
                break
            cell.append(token.key)
            taken = index
            if len(cell) >= 10:
                break
    for index, key in enumerate(cell):
        before = cell[max(0, index - 3) : index]  # words of other cells may come between
        # (or right after it: OCR may give a cell's lines out of order, "hợp" above
        # "huyện phối", where the name's spelling stepped over it)
        near = before + (cell[index + 1 : index + 3] if index < len(skipped) else [])
        if key in _LEAD_WORDS and any(k.startswith("ch") for k in near):
            return LEAD
        if key in _COOP_WORDS and any(k.startswith("ph") for k in near):
            # (a word of another column may come between: "hợp giải / với")
            if any(k in _WITH_WORDS for k in cell[index + 1 : index + 3]):
                return _WITH  # "A phối hợp với B …": A takes B's role (_roles_of)
            return COOP
    own = cell[len(skipped) : len(skipped) + 2]
    if len(own) == 2 and own[0] == "theo" and own[1] in _FOLLOW_WORDS:
        # "Văn phòng … theo dõi, đôn đốc thực hiện": it follows what the others do
        return _FOLLOWS
    after = tokens[end] if end < len(tokens) else None
    if after is not None and after.line == last.line and after.key in _PHOI_WORDS:
        # "Công an / huyện phối / … hợp.": "hợp" went far, under another column's words
        following = [t.key for t in tokens[end + 1 : end + 4]]
        return _WITH if any(k in _WITH_WORDS for k in following) else COOP
    return None


def _roles_of(mentions: list[_Mention], coop_column: bool) -> list[str | None]:
    """The mentions' roles; where one column holds every unit, a unit without a role
    takes the next one's ("Các phòng, ban, ngành và UBND cấp xã … chủ trì": both
    lead; "… và UBND cấp xã phối hợp": both cooperate), but not one whose words start a
    line and lie apart (the content column's words: "Công khai" … "chức"), nor the
    first unit the next one's "phối hợp" across a ";" ("Các phòng, ban, ngành; UBND
    cấp xã phối hợp": the first leads, as ``parse_units`` reads it). A unit "phối hợp
    với" the next leads when that one does ("A phối hợp với B chủ trì")."""
    roles = [m.role for m in mentions]
    for index, role in enumerate(roles):
        if role == _WITH:
            # "A phối hợp với B chủ trì": both lead (as the plain reader reads it)
            follows = roles[index + 1] if index + 1 < len(roles) else None
            roles[index] = LEAD if follows == LEAD else COOP
    if not coop_column:
        for index in range(len(roles) - 2, -1, -1):
            mention = mentions[index]
            if mention.at_start and mention.used != _run(mention):
                continue
            if index == 0 and mention.clause_end and roles[1] == COOP:
                continue
            follows = roles[index + 1]
            roles[index] = roles[index] or (None if follows == _FOLLOWS else follows)
    return [COOP if role == _FOLLOWS else role for role in roles]


def _run(mention: _Mention) -> frozenset[int]:
    """The words a mention would use had its words followed one another."""
    return frozenset(range(mention.start, mention.start + len(mention.used)))


def _lead_of(mentions: list[_Mention], coop_column: bool) -> str | None:
    """The lead among a row's units: one marked "chủ trì"; else the first not marked
    "phối hợp" and not at the start of a line (the content column) when another is;
    "" when every unit is marked "phối hợp" in a table whose one column holds both
    (the plan names no lead there); None when the row names no unit."""
    if not mentions:
        return None
    roles = _roles_of(mentions, coop_column)
    marked = [m for m, role in zip(mentions, roles, strict=True) if role == LEAD]
    if marked:
        return marked[0].name
    free = [m for m, role in zip(mentions, roles, strict=True) if role != COOP]
    if not free:
        return mentions[0].name if coop_column else ""
    inside = [m for m in free if not m.at_start]
    return (inside or free)[0].name


@functools.lru_cache(maxsize=16)
def _unit_vocabulary(names: tuple[str, ...]) -> tuple[str, ...]:
    """The names a row's units are looked for among: the deployment's and the unit
    words, those that say they are a unit, one per skeleton."""
    seen: dict[str, str] = {}
    for name in (*names, *UNIT_WORDS):
        key = _squeeze(name)
        if len(key) < 6 or not _is_unit_name(name) or key in seen:
            continue
        if name in UNIT_WORDS and _UNIT_HEAD_RE.match(name) is None:
            continue  # a piece of a name ("thị xã", "cấp huyện", "có liên quan")
        seen[key] = name
    return tuple(seen.values())


@functools.lru_cache(maxsize=16)
def _unit_spellings(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(name, words to look for): each unit name, and the tail of one whose words from
    an acronym on say which unit it is ("HĐND&UBND Thị xã" of "Văn phòng HĐND&UBND Thị
    xã": OCR may put the first words of a cell after the others)."""
    out: list[tuple[str, str]] = []
    for name in _unit_vocabulary(names):
        out.append((name, name))
        words = [w for _, _, w in _tokens(name)]
        for index, word in enumerate(words[1:], 1):
            if _upper_only(word) and len(words) - index >= 2:
                tail = " ".join(words[index:])
                if len(_squeeze(tail)) >= 10:
                    out.append((name, tail))
                break
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def _target(name: str) -> tuple[str, dict[int, int]]:
    """A name's skeleton without spaces, and where each of its words starts in it
    mapped to where the word ends."""
    target = ""
    bounds: dict[int, int] = {}
    for _, _, word in _words(name):
        start = len(target)
        target += _skeleton(word)
        bounds[start] = len(target)
    return target, bounds


_WORD_PART_RE = re.compile(r"(?:[^\W_]|&)+")  # not "_": OCR reads rules as "__"


def _words(text: str) -> list[tuple[int, int, str]]:
    """Words cut at hyphens too ("Céng-chirc", "VP-TK"), and where OCR ran two words
    together ("SéThdng" for "Sở Thông", "UBNDcac"): units are spelt by them."""
    out = []
    for m in _WORD_PART_RE.finditer(text):
        word, start = m.group(0), m.start()
        for a, b in itertools.pairwise([0, *run_together_cuts(word), len(word)]):
            out.append((start + a, start + b, word[a:b]))
    return out


def _consume(key: str, target: str, pos: int, bounds: dict[int, int]) -> int:
    """How far ``key`` (one word of the row) spells ``target`` from ``pos``: exactly
    (a piece of a word cut by a narrow column, or words run together), or as a whole
    word misspelt by OCR (same first letter, vowels aside alike: "chitc" for "chức";
    a word of two or three letters only by its vowel: "mén" for "môn", "cé" for "có"),
    returned negative; 0
    when it does not."""
    if not key:
        return 0
    if target.startswith(key, pos):
        return pos + len(key)
    nxt = bounds.get(pos)
    if nxt is None or key[0] != target[pos] or len(key) < 2:
        return 0
    word = target[pos:nxt]
    key = _INNER_D_RE.sub("o", key)  # "hda" for "hóa": a vowel read as "d"
    if len(key) >= 4 and len(word) >= 4:
        a, b = _vowels_folded(key), _vowels_folded(word)
        # OCR without Vietnamese data garbles vowels, seldom consonants: a short word
        # may differ from the name's by one letter ("chitc" for "chức"), not by a
        # consonant swapped ("chuyên" is no "công")
        same = fuzz.ratio(a, b) >= (75 if min(len(a), len(b)) >= 5 else 85)
        # nor does it change a word's last letter ("trén" is no "Trung")
        same = same and key[-1] == word[-1]
    else:  # a short word: only its vowel may differ ("mén" for "môn", "vurc" for "vực":
        # OCR reads "ư", "ơ" as "ur", "uw", "or")
        if len(key) == len(word) + 1:
            key = re.sub(r"(?<=[aeiouy])[rw]", "", key, count=1)
        same = len(key) == len(word) and _vowels_folded(key) == _vowels_folded(word)
    return -nxt if same else 0


_SPELL_REACH = 24  # words looked through for a name's next piece (two lines of a table)


def _spell_words(
    tokens: list[_Token], start: int, target: str, bounds: dict[int, int]
) -> tuple[int, ...] | None:
    """The words from ``start`` that spell ``target``, or None. A cell's
    words follow one another in a line, and go on at the next line or the one after
    (a column read line by line: other columns' words between) at about the same
    place in the line or between the same ruling lines. One word at least is spelt
    right (two of a two-word name), and of a name of five words or more at most half
    and one are misspelt."""
    pos, i, fuzzy, last = 0, start, 0, start
    used: list[int] = []
    place = tokens[start].place  # where the cell's piece starts in its line
    size = len(target)
    ends = set(bounds.values())
    while pos < size and i < len(tokens):
        token = tokens[i]
        # every piece starts with the letter the name goes on with
        got = _consume(token.key, target, pos, bounds) if token.key[0] == target[pos] else 0
        same_cell = i == last + 1 and token.line == tokens[last].line
        below = tokens[last].line < token.line and (
            abs(token.place - place) <= 0.4
            or (token.cell >= 0 and token.cell == tokens[last].cell)
            # a short line of one cell's words: where they stand in it says nothing
            # of their column ("D huyén." under "… | HDND&UBN"), spelt right
            or (token.alone and got > 0 and token.line == tokens[last].line + 1)
            # the name's last word, spelt right, on the next line: it ends the name
            # wherever it stands (lines of different lengths move a column's place)
            or (got == size and token.line == tokens[last].line + 1 and len(used) >= 2)
        )
        if got > 0 and below and not same_cell and got not in ends and pos in bounds:
            # a piece of a word ("qua" of "quan"), another column's word ("Kết quả")
            # when a whole word further on the line spells it
            later = (t for t in tokens[i + 1 : i + 6] if t.line == token.line)
            if any(abs(_consume(t.key, target, pos, bounds)) in ends for t in later):
                got = 0
        elif got < 0 and below and not same_cell:
            # a misspelt word ("héa" for "huy") where one further on the line is spelt
            # right ("huy"): that one goes on the name
            later = (t for t in tokens[i + 1 : i + 6] if t.line == token.line)
            if any(_consume(t.key, target, pos, bounds) > 0 for t in later):
                got = 0
        if got and (i == start or same_cell or below):
            if got < 0:
                fuzzy += 1
            if below:
                place = token.place
            pos, last = abs(got), i
            used.append(i)
        elif i == start or token.line > tokens[last].line + 2 or i - last > _SPELL_REACH:
            return None
        i += 1
    words = len(bounds)
    if pos < len(target) or fuzzy >= max(2, words) or (words >= 5 and fuzzy > words // 2 + 1):
        return None
    return tuple(used)


@dataclass(frozen=True)
class _Token:
    key: str  # skeleton
    line: int
    place: float  # where in its line, 0 (start) to 1 (end), by characters
    cell: int = -1  # how many "|" stand before it in its line; -1 when the line has none
    alone: bool = False  # its line holds three words or fewer (one cell's, at any place)
    capital: bool = False  # written with a capital first letter
    clause_end: bool = False  # a ";" follows it on its line: the end of a clause


def _row_tokens(lines: list[str]) -> list[_Token]:
    """The row's words; lines counted without the blank ones (OCR puts blank lines
    between the lines of one cell)."""
    out = []
    for number, line in enumerate(line for line in lines if line.strip()):
        found = _words(line)
        piped = "|" in line.strip(" |")
        for start, end, word in found:
            key = _skeleton(word)
            if key:
                cell = line.count("|", 0, start) if piped else -1
                # where it stands in its line, by characters (closer to its place on
                # the page than its word count: cells' words differ in length)
                place = start / max(1, len(line.rstrip()))
                clause_end = line[end:].lstrip(" .").startswith(";")
                out.append(
                    _Token(
                        key, number, place, cell, len(found) <= 3, word[:1].isupper(), clause_end
                    )
                )
    return out


_UNIT_NAME_RE = re.compile(
    r"\b(?:van phong|vp|ubnd|uy ban|phong|cong chuc|bo phan|co quan|trung tam|cong an|ban|"
    r"hoi|doan|chi cuc|kho bac|bao hiem|xa|phuong|thi tran|huyen|thi xa|thanh pho|cap)\b"
)


def _is_unit_name(name: str) -> bool:
    """A name that says it is a unit ("Phòng Tư pháp", "UBND cấp xã", "TTPVHCC", "Sở Tư
    pháp", "Cục Thuế tỉnh": any kind word a unit's name starts with), not a bare place
    ("Sơn Tây", an alias that content text names too)."""
    return bool(_UNIT_NAME_RE.search(fold(name))) or _upper_only(name) or guess_kind(name) != "khac"


@functools.lru_cache(maxsize=4096)
def _squeeze(text: str) -> str:
    return "".join(_skeleton(w) for _, _, w in _tokens(text))


@functools.lru_cache(maxsize=65536)
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
    for name in _unit_vocabulary(tuple(names)):
        key = _squeeze(name)
        folded = _vowels_folded(key)
        # vowels aside the name must read almost alike ("Hoàn thành" is no "Hội Nông dân")
        loose = fuzz.ratio(folded, vowelless[: len(folded)])
        score = max(fuzz.ratio(key, stream[: len(key)]), loose if loose >= 92 else 0)
        if score >= PHRASE_SCORE and (best is None or (len(key), score) > best[:2]):
            best = (len(key), score, name)
    if best is not None:
        return best[2]
    if _UNIT_HEAD_RE.match(text) and not _BAN_HANH_RE.match(_squeeze_keep(text)):
        words = text.split()
        two = _squeeze_keep(" ".join(words[1:4]))
        kept = words[:1] if _UNIT_ANCHOR_RE.match(two) else words[:2]
        for index in range(len(kept), min(len(words), 6)):
            # a name goes on in capitals ("VP-TK", "Thị xã"), up to the next unit
            # ("UBND Công chức …": two cells)
            word = words[index]
            if not word[:1].isupper() or _UNIT_ANCHOR_RE.match(
                _squeeze_keep(" ".join(words[index : index + 3]))
            ):
                break
            kept.append(word)
        return " ".join(kept).strip(" ,.;-")
    return ""


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


_TIME_WORD_RE = re.compile(r"\w+(?:[-'’]\w+)*|/")


def _time_in(lines: list[str], last: bool = False) -> str:
    """The timeframe a row states, its words gathered when they lie apart; one away
    from the start of its lines (where the content column is) comes first. ``last``:
    only one in the second half of its line or on a short line alone (a table whose last
    column is the timeframe, read line by line), "" when there is none."""
    raw: list[str] = []
    places: list[float] = []
    # where a capitalised "Thường" stands outside the content column: after a line's
    # first word, or alone on a line below the first (a wrapped "Thường / xuyên")
    outside: set[int] = set()
    alone: set[int] = set()  # the words of lines of three words or fewer
    # the words between "(" and ")": a remark of the content ("(báo cáo quý I, II,
    # III, cả năm)"), never the time column's cell
    remark: set[int] = set()
    depth = opened = 0
    for number, line in enumerate(lines):
        words = _TIME_WORD_RE.findall(line)  # "cau.cua" is two words: "cầu của"
        marks = _paren_depths(line) if "(" in line or ")" in line else [0] * (len(words) + 1)
        for index, word in enumerate(words):
            if word[:1].isupper() and (index or (number and len(words) == 1)):
                outside.add(len(raw))
            if len(words) <= 3:
                alone.add(len(raw))
            if depth + marks[index] > 0:
                remark.add(len(raw))
            raw.append(word)
            places.append(0.5 if len(words) <= 3 else index / (len(words) - 1))
        # a remark goes on over a few lines of its narrow column (a "(" left open by
        # OCR's specks closes by itself)
        depth = min(1, max(0, depth + marks[-1]))
        opened = opened + 1 if depth else 0
        if opened > _REMARK_LINES:
            depth = opened = 0
    text = " ".join(raw)
    keys = [_skeleton(w) for w in raw]
    found: list[tuple[int, str]] = []
    for m in _TIME_RE.finditer(text):
        found.append((len(text[: m.start()].split()), " ".join(m.group(0).split())))
    # a phrase whose words follow one another at a place ("Hang quy") is read there,
    # not one gathered from further words ("Hang" … "Thong báo" as "Hằng tháng")
    whole = {
        at
        for parts, _ in _GAPPED
        for at in range(len(keys) - len(parts) + 1)
        if keys[at : at + len(parts)] == list(parts)
    }
    for parts, label in _GAPPED:
        for at in _gapped(keys, parts):
            if at not in whole or keys[at : at + len(parts)] == list(parts):
                found.append((at, _second_cadence(raw, keys, at, label)))
    for i, key in enumerate(keys):
        if key in ("thang", "quy"):
            found.extend(_month_or_quarter(keys, raw, i))
        elif key == "thuong" and i in outside and keys[i + 1 : i + 2] != ["truc"]:
            found.append((i, "Thường xuyên"))  # its "xuyên" lost ("Thường trực": none)
        elif key == "xuyen" and i and keys[i + 1 : i + 2] not in (["suot"], ["bien"]):
            found.append((i, "Thường xuyên"))  # its "Thường" lost or far above
        elif _before_word(keys, i) and (date := _date_after(raw, i)):
            found.append((i, f"Trước ngày {date}"))  # "Trước ngày" / "15/12/2024" below
        elif key == "nam" and i and keys[i - 1] == "trong":
            # "Trong năm" … "2025": the year on the cell's next line
            year = next((w for w in raw[i + 1 : i + 2 + _GAP] if _YEAR_RE.match(w)), None)
            if year is not None:
                found.append((i - 1, f"Trong năm {year}"))
            elif raw[i - 1][:1].isupper():
                found.append((i - 1, "Trong năm"))  # a cell of its own: the plan's year
    if last:
        # (a line of three words or fewer may be the last column's alone)
        found = [f for f in found if f[0] in alone or places[min(f[0], len(places) - 1)] >= 0.6]
        if not found:
            return ""
    if not found:
        return _time_started(lines)
    # at one place, the longest reading: "Tháng 3 đến tháng 8/2024" over "Tháng 3"
    # a time cell starts with a capital ("Theo kế hoạch"), content words do not
    # ("Quyết định … kỳ", "rà soát thường xuyên")
    found.sort(
        key=lambda f: (
            f[0] in remark,
            not raw[min(f[0], len(raw) - 1)][:1].isupper(),
            places[min(f[0], len(places) - 1)] < 0.3,
            f[0],
            -len(f[1]),
        )
    )
    return _vocabulary().line(found[0][1])


_REMARK_LINES = 6
# A date as :data:`_TIME_WORD_RE` cuts it ("15 / 12 / 2024"), its year optional.
_CUT_DATE_RE = re.compile(r"^(\d{1,2}) / (\d{1,2})(?: / ((?:19|20)\d\d))?(?!\S)")


def _before_word(keys: list[str], at: int) -> bool:
    """ "Trước" at ``keys[at]``, or what OCR made of it ("Truc", "Trudéc") with "ngày" a
    few words on."""
    key = keys[at]
    if key == "truoc":
        return True
    return (
        key.startswith("tru")
        and len(key) <= 6
        and key not in ("trung", "truong", "truyen")
        and "ngay" in keys[at + 1 : at + 2 + _GAP]
    )


def _date_after(raw: list[str], at: int) -> str:
    """The date a few words after "Trước" (``raw[at]``), "ngày" or not between: its
    cell wrapped ("Trước ngày" / "15/12/2024" on the line below, other columns' words
    between), "" when none."""
    # (a line of each other column may come between: twice the words of a phrase's gap)
    for start in range(at + 1, min(len(raw), at + 2 + 2 * _GAP)):
        m = _CUT_DATE_RE.match(" ".join(raw[start : start + 5]))
        if m is not None:
            day, month, year = m.groups()
            if 1 <= int(day) <= 31 and 1 <= int(month) <= 12:
                return f"{day}/{month}/{year}" if year else f"{day}/{month}"
    return ""


def _paren_depths(line: str) -> list[int]:
    """For each word of ``line`` (as :data:`_TIME_WORD_RE` cuts it), how many "(" stand
    open before it in the line (negative when the line closes one opened above); one
    more item at the end: the line's balance."""
    if "(" not in line and ")" not in line:
        return [0] * (len(_TIME_WORD_RE.findall(line)) + 1)
    out: list[int] = []
    depth = 0
    last = 0
    for m in _TIME_WORD_RE.finditer(line):
        piece = line[last : m.start()]
        depth += piece.count("(") - piece.count(")")
        out.append(depth)
        last = m.end()
    piece = line[last:]
    out.append(depth + piece.count("(") - piece.count(")"))
    return out


@functools.cache
def _vocabulary() -> _Restorer:
    """The vocabulary's restorer without the deployment's names (for timeframe cells:
    "Định kỳ 06 tháng và cudi nam" → "… cuối năm")."""
    return _Restorer(())


# Column names in a header line, on fold keys ("Thời gian" and those after it).
_TIME_COLUMN_RE = re.compile(r"\bthoi (?:gian|han)\b")
_OTHER_COLUMN_RE = re.compile(
    r"\b(?:san pham|ket qua|du ?kien|ghi chu|chu tri|phoi hop|co ?quan|don vi)\b"
)


def _after_time_column(header: list[str]) -> str | None:
    """What the header's line naming the time column names after it (its fold key);
    None when no line names the time column."""
    for line in header:
        key = _squeeze_keep(line)
        m = _TIME_COLUMN_RE.search(key)
        if m is not None:
            return key[m.end() :]
    return None


def _time_is_last(header: list[str]) -> bool:
    """The header names no column after the time column: the timeframe is the table's
    last column."""
    after = _after_time_column(header)
    return after is not None and _OTHER_COLUMN_RE.search(after) is None


_PRODUCT_COLUMN_RE = re.compile(r"\b(?:san pham|ket qua|du ?kien)\b")


def _product_after_time(header: list[str]) -> bool | None:
    """Whether the header names the product column after the time column; None when
    it names no time column (a header OCR could not read)."""
    after = _after_time_column(header)
    return None if after is None else _PRODUCT_COLUMN_RE.search(after) is not None


def _time_started(lines: list[str]) -> str:
    """The timeframe a row states only by the first word of its cell, the rest lost or
    cut off: a capitalised "Theo" ("Theo Nghi", "Theo ké": the plan's own timing,
    read as "Theo …") or "Thường" after the first word of a line (the content column
    starts lines), or "xuyên" opening a line below the first (a wrapped "Thường
    xuyên"); "" when none."""
    for number, line in enumerate(lines):
        words = _TIME_WORD_RE.findall(line)
        for index, word in enumerate(words):
            key = _skeleton(word)
            if index and word[:1].isupper() and key == "theo":
                after = _skeleton(words[index + 1]) if index + 1 < len(words) else ""
                if after != "doi":  # "Theo dõi": a content's verb
                    return " ".join(["Theo", *words[index + 1 : index + 3]])
            if index and word[:1].isupper() and key == "thuong":
                return "Thường xuyên"
            if not index and number and key == "xuyen" and len(words) <= 3:
                return "Thường xuyên"
    return ""


_CADENCES = {"tuan": "tuần", "thang": "tháng", "quy": "quý", "nam": "năm"}


def _second_cadence(raw: list[str], keys: list[str], at: int, label: str) -> str:
    """ "Hằng quý" whose cadence goes on with "/năm" right after it ("Hằng quý/năm":
    each quarter and each year), as OCR left the words: "Hang … quy/nam"; "Định kỳ"
    with its number of months right after it and "tháng" (and "và cuối năm") on the
    cell's next lines, other columns' words between: "Dinh ky 06" … "thang.va cudi" …
    "nam"."""
    if label == "Định kỳ":
        return _periodic(raw, keys, at)
    if not label.startswith("Hằng "):
        return label
    last = _skeleton(label.split()[-1])
    for index in range(at + 1, min(len(keys) - 2, at + 2 + _GAP)):
        if keys[index] == last:
            if raw[index + 1] == "/" and keys[index + 2] in _CADENCES:
                return f"{label}/{_CADENCES[keys[index + 2]]}"
            break
    return label


def _periodic(raw: list[str], keys: list[str], at: int) -> str:
    """ "Định kỳ 06 tháng (và cuối năm, và hằng năm)" gathered from ``at`` ("Định"), or
    "Định kỳ"."""
    if at + 2 >= len(raw) or not re.fullmatch(r"\d{1,2}", raw[at + 2]):
        return "Định kỳ"
    months = next(
        (i for i in range(at + 3, min(len(keys), at + 3 + _GAP)) if keys[i] == "thang"), None
    )
    if months is None:
        return "Định kỳ"
    label = f"Định kỳ {raw[at + 2]} tháng"
    rest = keys[months + 1 : months + 2 + _GAP]
    end = next((k for k, key in enumerate(rest) if key in ("cuoi", "cudi")), None)
    if end is not None and "nam" in rest[end + 1 : end + 2 + _GAP]:
        label += " và cuối năm"
    elif any(a in ("hang", "hong") and b == "nam" for a, b in itertools.pairwise(rest)):
        label += " và hằng năm"  # "Định kỳ 6" … "tháng và" … "hằng năm"
    return label


def _same_word(key: str, part: str) -> bool:
    """A word of a timeframe phrase: the same, nearly the same when long, or digits
    read for its letters ("16" for "lộ" in "Theo lộ trình")."""
    if key == part or (len(part) >= 5 and key[:1] == part[:1] and fuzz.ratio(key, part) >= 80):
        return True
    return key.isdigit() and len(key) == len(part) and key.translate(_SKELETON_DIGITS) == part


def _gapped(keys: list[str], parts: tuple[str, ...]) -> list[int]:
    starts = []
    for start, key in enumerate(keys):
        rest = parts[1:]
        if not _same_word(key, parts[0]):
            # two words run together, OCR having lost the space ("Theolo" / "trinh")
            head = parts[0]
            if len(parts) < 3 or not key.startswith(head) or key[len(head) :] != parts[1]:
                continue
            rest = parts[2:]
        at = start
        for part in rest:
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
    month = year = until = None
    at = 0
    # "đến" (or "-") a few words after the month, "tháng" and a month soon after it:
    # a range ("Tháng 3 đến tháng 8", its words apart in a column read line by line)
    to = -1  # the index of "đến", -1 before it
    tail = " ".join(raw[i + 1 : i + 2 + 3 * _GAP]).replace(" / ", "/")
    for index, word in enumerate(tail.split()):
        key = _skeleton(word.strip(".,;:")) if word.strip(".,;:-") else "-"
        word = word.strip(".,;:-")
        mm = _MONTH_RE.match(word)
        if month is None and mm and 1 <= int(mm.group(1)) <= 12:
            month, year, at = mm.group(1), mm.group(2), index
            if year:
                break
        elif month is not None and to < 0 and index <= at + _GAP and key in ("den", "toi", "-"):
            to = index
        elif to >= 0 and key == "thang" and index <= to + _GAP:
            to = index  # the second month follows "tháng"
        elif (
            to >= 0 and until is None and mm and index <= to + _GAP and 1 <= int(mm.group(1)) <= 12
        ):
            until, year = mm.group(1), mm.group(2)
            if year:
                break
        elif month is not None and _YEAR_RE.match(word):
            year = word
            break
    if month is None:
        return []
    if until is not None:
        month = f"{month} đến tháng {until}"
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
    restored = tuple(lines)
    lines, rows = _rebuild(lines, names, tick)
    return Repaired("\n".join(lines), restorer.restored, rows, restored)
