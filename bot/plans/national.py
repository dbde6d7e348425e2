"""The national indicators of TTHC reform (the list the Government gives every province
each year, Nghị quyết 01/NQ-CP and the plans that copy it) and the ways plans word them.
Pure data and matching: no I/O.

:func:`national_indicator` takes what a plan says it measures ("Tỷ lệ nộp hồ sơ trực
tuyến", "giao dịch thanh toán trực tuyến", "Mức độ hài lòng của người dân, doanh
nghiệp về giải quyết TTHC") and returns the national indicator it is, or None. A name
matches when, read as a fold key with abbreviations written out and a leading "tỷ lệ"
dropped, it *starts with* one of the indicator's phrasings and holds none of the words
that make it another measure ("toàn trình" makes online filing another indicator; "TTHC
có nghĩa vụ tài chính được triển khai thanh toán trực tuyến" counts procedures, not
payments, so it does not start with a payment phrasing). Names that match two
indicators match none.

:func:`national_in_damaged` does the same for a name in damaged OCR text (no diacritics,
letters read as digits, other columns' words run in), where no pattern holds: the name
is the indicator most of whose words (:attr:`NationalIndicator.wordings`) it has in
order, by a margin.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.language.abbreviations import expand
from bot.language.normalize import fold
from bot.language.variants import OCR_DIGIT_LETTERS, is_syllable


@dataclass(frozen=True)
class NationalIndicator:
    key: str  # a short stable key ("online_filing")
    name: str  # the standard name
    starts: re.Pattern[str]  # on the expanded fold key, "tỷ lệ" dropped
    excludes: re.Pattern[str] | None = None
    # The words that name it in any plan's wording, in order (fold keys, abbreviations
    # written out), for a damaged text where ``starts`` cannot hold
    # (:func:`national_in_damaged`).
    wordings: tuple[str, ...] = ()


_DOSSIER = r"(?:cac |nhung )?(?:ho so|hs)(?: thu tuc hanh chinh)?"


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


NATIONAL_INDICATORS: tuple[NationalIndicator, ...] = (
    NationalIndicator(
        "publication",
        "Tỷ lệ công bố, công khai TTHC đúng hạn",
        _re(
            r"^(?:(?:cong bo,? )?cong khai (?:cac )?thu tuc hanh chinh dung (?:han|thoi han)|"
            r"thu tuc hanh chinh.{0,40}?duoc (?:cong bo,? )?cong khai.{0,20}?dung (?:han|thoi han))"
        ),
        wordings=("cong khai thu tuc hanh chinh dung han",),
    ),
    NationalIndicator(
        "synchronised",
        "Tỷ lệ kết quả xử lý hồ sơ TTHC được đồng bộ đầy đủ trên Cổng Dịch vụ công quốc gia",
        _re(rf"^(?:ket qua (?:xu ly|giai quyet) )?{_DOSSIER}.{{0,60}}?duoc dong bo"),
        wordings=("duoc dong bo day du", "dong bo tren cong dich vu cong quoc gia"),
    ),
    NationalIndicator(
        "full_online_services",
        "Tỷ lệ cung cấp dịch vụ công trực tuyến toàn trình trên tổng số TTHC có đủ điều kiện",
        _re(
            r"^(?:(?:cung cap )?dich vu cong truc tuyen toan trinh|thu tuc hanh chinh (?:co )?"
            r"du dieu kien (?:duoc )?cung cap dich vu cong truc tuyen toan trinh)"
        ),
        _re(r"\bmot phan\b"),
        wordings=("dich vu cong truc tuyen toan trinh",),
    ),
    NationalIndicator(
        "online_filing",
        "Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận, giải quyết TTHC",
        _re(
            rf"^(?:{_DOSSIER} (?:(?:duoc )?nop |tiep nhan |giai quyet )?truc tuyen|"
            rf"(?:nop|tiep nhan) {_DOSSIER} truc tuyen)"
        ),
        _re(r"\b(?:toan trinh|mot phan|thanh toan)\b"),
        wordings=("ho so truc tuyen", "nop ho so truc tuyen"),
    ),
    NationalIndicator(
        "online_payment",
        "Tỷ lệ thanh toán trực tuyến trên tổng số giao dịch thanh toán của dịch vụ công",
        _re(r"^(?:giao dich |so giao dich )?thanh toan truc tuyen"),
        wordings=("thanh toan truc tuyen",),
    ),
    NationalIndicator(
        "digitisation",
        "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC",
        # ("tỷ lệ số hóa" alone: a plan's short name for it)
        _re(rf"^(?:so hoa (?:ho so|ket qua)|so hoa$|{_DOSSIER}.{{0,40}}?duoc so hoa)"),
        _re(r"\b(?:khai thac|su dung lai|tai su dung)\b"),
        wordings=("so hoa ho so ket qua giai quyet", "so hoa ket qua giai quyet"),
    ),
    NationalIndicator(
        "electronic_results",
        "Tỷ lệ cấp kết quả giải quyết TTHC điện tử",
        _re(r"^cap (?:ban )?(?:ket qua giai quyet thu tuc hanh chinh|ket qua) (?:ban )?dien tu"),
        wordings=("cap ket qua giai quyet thu tuc hanh chinh dien tu", "cap ket qua dien tu"),
    ),
    NationalIndicator(
        "data_reuse",
        "Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa",
        _re(r"^(?:khai thac,? )?(?:su dung lai|tai su dung) (?:thong tin|du lieu)"),
        wordings=("khai thac su dung lai thong tin du lieu", "tai su dung thong tin du lieu"),
    ),
    NationalIndicator(
        "feedback",
        "Tỷ lệ xử lý phản ánh, kiến nghị đúng hạn",
        _re(r"^(?:tiep nhan,? )?xu ly (?:cac )?phan anh,? kien nghi"),
        wordings=("xu ly phan anh kien nghi",),
    ),
    NationalIndicator(
        "satisfaction",
        "Mức độ hài lòng của người dân, doanh nghiệp",
        _re(r"^(?:muc do |ty le )?hai long"),
        wordings=("muc do hai long", "hai long cua nguoi dan doanh nghiep"),
    ),
)

_RATE = re.compile(r"^(?:ty le|ti le)\s+")


def national_indicator(name: str) -> NationalIndicator | None:
    """The national indicator a plan's name for a measure is, or None (also when two
    could be meant)."""
    key = _RATE.sub("", expand(name))
    found = [
        n
        for n in NATIONAL_INDICATORS
        if n.starts.search(key) and not (n.excludes and n.excludes.search(key))
    ]
    return found[0] if len(found) == 1 else None


# --- damaged text ---------------------------------------------------------------------
# OCR without Vietnamese data loses the diacritics, reads letters as digits ("s6" for
# "số", "1é" for "lệ") and runs a table's columns into one another, so the patterns above
# never hold. There a name is the indicator whose wording has most of its words, in
# order, among the text's words (each restored to the wordings' word it is spelt like).

_DIGIT_LETTERS = str.maketrans(OCR_DIGIT_LETTERS)
_WORD = re.compile(r"[a-z0-9]+")
MAX_DAMAGED_WORDS = 120  # of a row's text: its name and what ran into it, no more
MIN_DAMAGED_SHARE = 0.8  # of a wording's words, in order, for a damaged name to be it
_DAMAGED_MARGIN = 0.15  # by which it must beat every other indicator


_VOCABULARY = frozenset(
    ["ty", "le", *(w for n in NATIONAL_INDICATORS for ws in n.wordings for w in ws.split())]
)
# A word says as much of which indicator is meant as few indicators use it: "thủ tục
# hành chính" and "kết quả giải quyết" are in many, "khai thác" in one.
_WEIGHT = {
    w: 1 / sum(any(w in ws.split() for ws in n.wordings) for n in NATIONAL_INDICATORS)
    for w in _VOCABULARY - {"ty", "le"}
}
# "Tyléhéso", "Tyléthanh": the measure words run into the name.
_RATE_RUN_IN = re.compile(r"^(t[yi])(le)(?=[a-z]{2})")


# OCR's readings of "ư" that no Vietnamese word has: "tr" after a consonant ("str" for
# "sử", "ctra" for "cửa"), "ir" after one and before no vowel ("dir" for "dữ", "mirc"
# for "mức"), and "w".
_U_READ = re.compile(r"(?<=[bcdghklmnpqrstvx])(?:tr|ir(?![aeiouy]))|w")


def _damaged_words(text: str) -> list[str]:
    found = _WORD.findall(fold(text))[:MAX_DAMAGED_WORDS]
    folded = [_RATE_RUN_IN.sub(r"\1 \2 ", w) for w in found]
    words = expand(" ".join(folded)).split()
    out: list[str] = []
    for word in words:
        if not word.isdigit():
            word = _U_READ.sub("u", word.translate(_DIGIT_LETTERS))
        out.extend(_apart(word) or [_restored(word)])
    return out


def _apart(word: str, pieces: int = 3) -> list[str] | None:
    """A word OCR ran together from two or three of the wordings' words ("heso": "hồ
    sơ", "lehoso": "lệ hồ sơ"), apart; None for a word that is a syllable itself, or cut
    no such way."""
    if word in _VOCABULARY or is_syllable(word) or not word.isalpha():
        return None
    for cut in range(2, len(word) - 1):
        left, right = word[:cut], word[cut:]
        first = _restored(left) if is_syllable(left) else None
        if first is None or first not in _VOCABULARY:
            continue
        if is_syllable(right) and _restored(right) in _VOCABULARY:
            return [first, _restored(right)]
        rest = _apart(right, pieces - 1) if pieces > 2 else None
        if rest is not None:
            return [first, *rest]
    return None


def _consonants(word: str) -> str:
    return re.sub(r"[aeiouy]", ".", word)


# OCR keeps a word's consonants and garbles its vowels: a word whose consonants stand
# where a wording's word has them is that word when it is this alike ("hea": "hoa").
_VOWELS_ONLY_CUTOFF = 0.6  # (letters the same, Levenshtein)


@functools.lru_cache(maxsize=4096)
def _restored(word: str) -> str:
    """The wordings' word ``word`` is a misreading of, or ``word``: the one word of two
    letters starting alike ("he" for "hồ"), the one most alike of longer ones, three
    quarters alike ("dugc") or only its vowels other ("hea"); a word as like two
    ("ceng": "cong", "cung") is kept."""
    if word in _VOCABULARY or word.isdigit() or len(word) < 2:
        return word
    if len(word) == 2:
        alike = [v for v in _VOCABULARY if len(v) == 2 and v[0] == word[0]]
        return alike[0] if len(alike) == 1 else word
    found = [
        (score, v)
        for v, score, _ in process.extract(
            word, _VOCABULARY, scorer=Levenshtein.normalized_similarity, limit=None
        )
        if score >= (_VOWELS_ONLY_CUTOFF if _consonants(v) == _consonants(word) else 0.75)
    ]
    found.sort(reverse=True)
    if not found or (len(found) > 1 and found[1][0] == found[0][0]):
        return word
    return found[0][1]


def _in_order(wording: list[str], words: list[str]) -> float:
    """The weight of ``wording``'s words that ``words`` has in the same order."""
    row = [0.0] * (len(words) + 1)
    for w in wording:
        diagonal, weight = 0.0, _WEIGHT[w]
        for j, v in enumerate(words, 1):
            found = diagonal + weight if w == v else max(row[j], row[j - 1])
            diagonal, row[j] = row[j], found
    return row[-1]


def _share(wording: list[str], words: list[str]) -> float:
    """The share of ``wording``'s words (by weight) found in order close together in
    ``words`` (a window twice its length: other columns' words run in, but not a whole
    sentence)."""
    total = sum(_WEIGHT[w] for w in wording)
    anywhere = _in_order(wording, words) / total  # no window holds more
    if anywhere < MIN_DAMAGED_SHARE - _DAMAGED_MARGIN:
        return anywhere  # too low to be the indicator or to stand beside it
    size = 2 * len(wording) + 2
    windows = [words[i : i + size] for i in range(max(1, len(words) - size + 1))]
    return max(_in_order(wording, w) for w in windows) / total


def national_in_damaged(text: str) -> NationalIndicator | None:
    """The national indicator a damaged text names (a table row's cells run together,
    without diacritics: "Ty lé hé so truc tuyén trén téng s6 ho so tiép nhan"), or None
    when none is named surely enough, or two could be.

    >>> national_in_damaged("Ty 1é thanh toan truc tuyén trén Cong, Dich vu céng quéc gia").key
    'online_payment'
    >>> national_in_damaged("Ty lé cong % 100 Cac phong, b6, cong khai ban, TTHC dung han").key
    'publication'
    >>> national_in_damaged("Cap nhat, dang tai cong khai TTHC") is None
    True
    """
    words = _damaged_words(text)[:MAX_DAMAGED_WORDS]
    joined = " ".join(words)
    scores = sorted(
        (
            (max(_share(w.split(), words) for w in n.wordings), i)
            for i, n in enumerate(NATIONAL_INDICATORS)
            if not (n.excludes and n.excludes.search(joined))
        ),
        reverse=True,
    )
    if not scores or scores[0][0] < MIN_DAMAGED_SHARE:
        return None
    if len(scores) > 1 and scores[1][0] > scores[0][0] - _DAMAGED_MARGIN:
        return None
    return NATIONAL_INDICATORS[scores[0][1]]
