"""Type words in unit names: ``xã``, ``phường``, ``đặc khu``, ``phòng``, ``sở`` …

The kinds are the string values stored in ``units.kind``; this module stays free of
the storage layer.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.language.abbreviations import alternatives
from bot.language.normalize import fold

# Folded type word → unit kind. Longer words are tried first.
KIND_WORDS: dict[str, str] = {
    "tinh": "tinh",
    "thanh pho": "thanh_pho",
    "tp": "thanh_pho",
    "xa": "xa",
    "phuong": "phuong",
    "dac khu": "dac_khu",
    "huyen": "huyen",
    "quan": "huyen",
    "thi xa": "thi_xa",
    "thi tran": "thi_tran",
    "so": "so",
    "van phong": "van_phong",
    "phong": "phong",
    "ban": "ban",
    "trung tam": "trung_tam",
    "co quan": "co_quan",
    "khac": "khac",
}

# The administrative kinds whose type word is a prefix that can be dropped ("Xã Sơn
# Dương" is also called "Sơn Dương"); departments keep theirs ("Phòng Kinh tế").
PREFIX_KINDS = {"tinh", "thanh_pho", "xa", "phuong", "dac_khu", "huyen", "thi_xa", "thi_tran"}

_ORDERED = sorted(KIND_WORDS, key=len, reverse=True)


def kind_from_word(word: str) -> str | None:
    """The kind for a type word or a stored kind value (``"Xã"``, ``"xa"``, ``"dac_khu"``)."""
    key = fold(word.replace("_", " "))
    if key in KIND_WORDS:
        return KIND_WORDS[key]
    return None


def split_kind(name: str) -> tuple[str | None, str]:
    """Split a leading administrative type word off a name, on the fold key.

    >>> split_kind("Xã Sơn Dương")
    ('xa', 'son duong')
    >>> split_kind("Phòng Kinh tế")
    (None, 'phong kinh te')
    """
    key = fold(name)
    for word in _ORDERED:
        kind = KIND_WORDS[word]
        if kind in PREFIX_KINDS and key.startswith(word + " "):
            return kind, key[len(word) + 1 :]
    return None, key


# Leading words that say "the committee of" and carry no name ("UBND xã …").
_NOISE_PREFIXES = ("uy ban nhan dan", "chinh quyen")
# Words that start a qualifier after the name ("xã Tân Lập huyện Yên Sơn tỉnh Tuyên Quang").
_QUALIFIER_WORDS = ("thanh pho", "thi xa", "huyen", "tinh")
# Type words that also start place names ("Quản Bạ", "Tịnh Biên", "Huyền Sơn").
_AMBIGUOUS_TYPE_WORDS = frozenset({"quan", "tinh", "huyen"})
_QUALIFIER_KINDS = {"thanh pho": "thanh_pho", "thi xa": "thi_xa", "huyen": "huyen", "tinh": "tinh"}


@dataclass(frozen=True)
class UnitReading:
    """One way to read a unit name: its canonical key, type, bare name and qualifiers.

    ``key`` is the fold key with abbreviations written out (``&`` read as ``và``);
    ``bare`` is the name without its administrative type word (``son duong``);
    ``qualifiers`` are the ``(kind, name)`` pairs written after it (``tinh``, ``tuyen
    quang``).
    """

    key: str
    kind: str | None
    bare: str
    qualifiers: tuple[tuple[str, str], ...] = ()


def _split_qualifiers(bare: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    words = bare.split()
    cut = None
    for i in range(1, len(words) - 1):
        for qualifier in _QUALIFIER_WORDS:
            size = len(qualifier.split())
            if " ".join(words[i : i + size]) == qualifier and i + size < len(words):
                cut = i
                break
        if cut is not None:
            break
    if cut is None:
        return bare, ()
    name, rest = " ".join(words[:cut]), " ".join(words[cut:])
    qualifiers: list[tuple[str, str]] = []
    while rest:
        for qualifier in _QUALIFIER_WORDS:
            if rest.startswith(qualifier + " "):
                rest = rest[len(qualifier) + 1 :]
                following = [rest.find(" " + q + " ") for q in _QUALIFIER_WORDS]
                ends = [f for f in following if f >= 0]
                end = min(ends) if ends else len(rest)
                qualifiers.append((_QUALIFIER_KINDS[qualifier], rest[:end].strip()))
                rest = rest[end:].strip()
                break
        else:
            break
    return name, tuple(qualifiers)


def unit_readings(text: str) -> list[UnitReading]:
    """Every reading of a unit name as written, the most literal first.

    >>> unit_readings("UBND x. Sơn Dương")[0]
    UnitReading(key='xa son duong', kind='xa', bare='son duong', qualifiers=())
    >>> [r.key for r in unit_readings("TT Sơn Dương")]
    ['thi tran son duong', 'trung tam son duong']
    """
    readings: list[UnitReading] = []
    for key in alternatives(text.replace("&", " và "), names=True):
        for noise in _NOISE_PREFIXES:
            if key.startswith(noise + " "):
                key = key[len(noise) + 1 :]
        kind, bare = split_kind(key)
        if kind is not None:
            name, qualifiers = _split_qualifiers(bare)
            readings.append(UnitReading(key, kind, bare))
            if qualifiers:
                prefix = key[: len(key) - len(bare)]
                readings.append(UnitReading(prefix + name, kind, name, qualifiers))
            if key.split()[0] in _AMBIGUOUS_TYPE_WORDS:
                readings.append(UnitReading(key, None, key))
        else:
            readings.append(UnitReading(key, None, key))
    return readings
