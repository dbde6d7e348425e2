"""Normalisation of Vietnamese text into comparison keys.

``fold`` is the key used for matching: NFC first (phones often send decomposed text),
lower case, diacritics removed, ``đ`` → ``d``, punctuation to single spaces, while
numbers written with separators (``72,5%``, ``85/100``, ``2.1``) stay intact.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})

# A number with inner separators (2.1, 72,5, 85/100, 1.234) optionally followed by %.
_NUMBER = r"\d+(?:[.,/]\d+)*%?"
_TOKEN_RE = re.compile(rf"{_NUMBER}|[^\W_]+", re.UNICODE)


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the composed form keyboards on phones vary in."""
    return unicodedata.normalize("NFC", text)


class _StripTable(dict[int, str]):
    """``str.translate`` table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFD", chr(code).translate(_D_MAP))
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        self[code] = unicodedata.normalize("NFC", stripped)
        return self[code]


_STRIP = _StripTable()


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics, keeping letter case; ``đ`` becomes ``d``."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", nfc(text).translate(_STRIP))


def plain(text: str) -> str:
    """``text`` in NFC, lower case, diacritics removed character by character.

    The result has exactly as many characters as ``nfc(text)``, so a span found in it
    is a span of ``nfc(text)`` too (the base for parsers that hand spans back).

    >>> plain("Xã Sơn Dương 72,5%")
    'xa son duong 72,5%'
    """
    out = []
    for ch in nfc(text):
        lower = ch.lower()
        ch = lower if len(lower) == 1 else ch
        decomposed = unicodedata.normalize("NFD", ch.translate(_D_MAP))
        if all(unicodedata.combining(mark) for mark in decomposed[1:]):
            ch = decomposed[0]
        out.append(ch)
    return "".join(out)


def fold(text: str) -> str:
    """The fold key: lower case, no diacritics, words separated by one space.

    >>> fold("  Xã  Sơn Dương, (Tuyên Quang) ")
    'xa son duong tuyen quang'
    >>> fold("Tỷ lệ 72,5% hồ sơ")
    'ty le 72,5% ho so'
    """
    plain = strip_diacritics(nfc(text)).lower()
    return " ".join(_TOKEN_RE.findall(plain))


# Vietnamese tone marks (combining): grave, acute, hook above, tilde, dot below.
_TONES = {"\u0300": "2", "\u0301": "1", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
_WORD_RE = re.compile(rf"{_NUMBER}|[^\W_]+", re.UNICODE)


def _tone_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = [_TONES[ch] for ch in decomposed if ch in _TONES]
    letters = "".join(ch for ch in decomposed if ch not in _TONES)
    return unicodedata.normalize("NFC", letters) + (tones[-1] if tones else "")


def accent_key(text: str) -> str:
    """A key that keeps diacritics but not where the tone mark sits.

    The tone becomes a digit at the end of its word, so the old and new spelling
    styles give one key (``hoà``/``hòa``, ``thuỷ``/``thủy``), while ``Giang`` and
    ``Giàng`` stay different.

    >>> accent_key("Hoà Thuỷ") == accent_key("hòa thủy")
    True
    >>> accent_key("Cẩm Giàng")
    'câm3 giang2'
    """
    return " ".join(_tone_word(w) for w in _WORD_RE.findall(nfc(text).lower()))


def in_capitals(text: str, share: float = 1.0) -> bool:
    """Whether at least ``share`` of the text's letters (one at least) are capitals."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= share * len(letters)


def has_diacritics(text: str) -> bool:
    """Whether ``text`` carries any Vietnamese diacritic (typed with accents)."""
    return strip_diacritics(text) != text


def run_together_cuts(word: str) -> list[int]:
    """Where two words OCR ran together meet inside ``word``: a capital right after a
    small letter ("SởNộivụ": no Vietnamese word has one), a small letter right after
    an acronym of two capitals or more ("UBNDcác")."""
    return [
        k
        for k in range(1, len(word))
        if (word[k].isupper() and word[k - 1].islower())
        or (word[k].islower() and k >= 2 and word[k - 1].isupper() and word[k - 2].isupper())
    ]


def set_apart(text: str) -> str:
    """``text`` with the words OCR ran together set apart (:func:`run_together_cuts`)."""
    out = []
    for token in text.split(" "):
        bounds = [0, *run_together_cuts(token), len(token)]
        out.append(" ".join(token[a:b] for a, b in itertools.pairwise(bounds)))
    return " ".join(out)
