"""Type words in unit names: ``xã``, ``phường``, ``đặc khu``, ``phòng``, ``sở`` …

The kinds are the string values stored in ``units.kind``; this module stays free of
the storage layer.
"""

from __future__ import annotations

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
