"""Typing and OCR variants of folded words, offered as alternatives (never replacements).

A folded Vietnamese word is one syllable: an onset, a vowel group and an optional final
consonant. A token that cannot be one (``dwong``, ``chmh``, ``x4``, ``s0n``) was typed
with a Telex leftover or damaged by OCR; :func:`variants` proposes the readings that
are valid syllables, and the matcher scores them next to the text as written.
"""

from __future__ import annotations

import itertools
import re

_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
_VOWELS = r"(?:[aeiouy]{1,3})"
_FINAL = r"(?:ng|nh|ch|[cmnpt])?"
_SYLLABLE = re.compile(rf"^{_ONSET}{_VOWELS}{_FINAL}$")

# Single-character OCR confusions inside words that also contain letters.
_DIGIT_LETTERS = {"0": "o", "1": "l", "4": "a", "3": "e", "5": "s", "8": "b"}
# The digits OCR without Vietnamese data reads for letters inside a word: those above and
# "6" for a marked "o" ("s6" for "số"), for the readers of damaged text.
OCR_DIGIT_LETTERS = {**_DIGIT_LETTERS, "6": "o"}
_DIGIT_LETTERS_ALT = {"1": "i"}
_TONE_KEYS = "sfrxj"

MAX_VARIANTS = 8


def is_syllable(token: str) -> bool:
    """Whether a folded token can be a Vietnamese syllable (``duong`` yes, ``dwong`` no)."""
    return bool(_SYLLABLE.match(token))


# The vowel groups Vietnamese syllables have, folded ("ee", "ae", "ea" none of them).
_VOWEL_GROUP = (
    r"(?:oai|oao|oay|oeo|ieu|uoi|uou|uay|uya|uye|uyu|yeu|"
    r"ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ya|ye|yu|[aeiouy])"
)
_STRICT_SYLLABLE = re.compile(rf"^{_ONSET}{_VOWEL_GROUP}{_FINAL}$")


def is_strict_syllable(token: str) -> bool:
    """Whether a folded token is a Vietnamese syllable with a vowel group the language
    has (:func:`is_syllable` lets any vowels together through: ``gee``, ``see``)."""
    return bool(_STRICT_SYLLABLE.match(token))


def _token_variants(token: str) -> list[str]:
    """Valid syllables ``token`` may stand for; empty when it is fine as written."""
    if is_syllable(token) or token.isdigit() or not token.isalnum():
        return []
    found: list[str] = []

    def add(candidate: str) -> None:
        if candidate != token and is_syllable(candidate) and candidate not in found:
            found.append(candidate)

    base = token
    if any(ch.isdigit() for ch in token) and any(ch.isalpha() for ch in token):
        base = "".join(_DIGIT_LETTERS.get(ch, ch) for ch in token)
        add(base)
        add("".join(_DIGIT_LETTERS_ALT.get(ch, _DIGIT_LETTERS.get(ch, ch)) for ch in token))
    # Telex leftovers: w for ư/ơ/ă, doubled vowels for â/ê/ô, dd for đ, a tone key at the end.
    telex = re.sub(r"([uoa])w", r"\1", base).replace("w", "u")
    telex = re.sub(r"(aa|ee|oo)", lambda m: m.group(1)[0], telex)
    telex = re.sub(r"^dd", "d", telex)
    add(telex)
    if telex[-1:] in _TONE_KEYS:
        add(telex[:-1])
    # OCR reads "in" as "m" ("chmh" for "chính") and "m" as "rn".
    for i, ch in enumerate(base):
        if ch == "m" and i > 0:
            add(base[:i] + "in" + base[i + 1 :])
    if "m" in base[1:]:
        add(base[:1] + base[1:].replace("m", "in"))
    add(base.replace("rn", "m"))
    return found


def variants(key: str) -> list[str]:
    """Alternative readings of a fold key, best guesses first, at most ``MAX_VARIANTS``.

    >>> variants("x son dwong")
    ['x son duong']
    >>> variants("x4 tan trao")
    ['xa tan trao']
    >>> variants("son duong")
    []
    """
    tokens = key.split()
    options = [[t, *_token_variants(t)] for t in tokens]
    if all(len(o) == 1 for o in options):
        return []
    out: list[str] = []
    for combo in itertools.product(*options):
        candidate = " ".join(combo)
        if candidate != key:
            out.append(candidate)
        if len(out) >= MAX_VARIANTS:
            break
    # Readings that change every damaged token come first.
    out.sort(key=lambda c: sum(a == b for a, b in zip(c.split(), tokens, strict=True)))
    return out
