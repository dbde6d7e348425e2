"""Normalisation of Vietnamese text into comparison keys.

``fold`` is the key used for matching: NFC first (phones often send decomposed text),
lower case, diacritics removed, ``đ`` → ``d``, punctuation to single spaces, while
numbers written with separators (``72,5%``, ``85/100``, ``2.1``) stay intact.
"""

from __future__ import annotations

import re
import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})

# A number with inner separators (2.1, 72,5, 85/100, 1.234) optionally followed by %.
_NUMBER = r"\d+(?:[.,/]\d+)*%?"
_TOKEN_RE = re.compile(rf"{_NUMBER}|[^\W_]+", re.UNICODE)


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the composed form keyboards on phones vary in."""
    return unicodedata.normalize("NFC", text)


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics, keeping letter case; ``đ`` becomes ``d``."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


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
