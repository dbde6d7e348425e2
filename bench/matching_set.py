"""The matcher's test set, generated from the official list of units.

For every unit of the chosen provinces: the name without diacritics, the bare name,
one dropped, neighbouring (QWERTY) or swapped letter, an abbreviated type word, an
OCR-damaged form, and each former name; plus names from other provinces that must not
be taken for a local unit. Typing variants that spell another local unit exactly are
left out: nobody can tell those apart.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from bot.language.normalize import fold, strip_diacritics
from bot.language.units import unit_readings
from bot.matching import UnitCatalogue, UnitEntry
from storage.catalogue import OfficialProvince

_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
_NEIGHBOURS: dict[str, str] = {}
for r, row in enumerate(_ROWS):
    for c, ch in enumerate(row):
        near = row[max(c - 1, 0) : c] + row[c + 1 : c + 2]
        for other in (r - 1, r + 1):
            if 0 <= other < len(_ROWS):
                near += _ROWS[other][max(c - 1, 0) : c + 1]
        _NEIGHBOURS[ch] = near

_TYPE_SHORT = {"xa": ["x.", "x", "X"], "phuong": ["p.", "P", "F"], "dac_khu": ["đk", "ĐK"]}
_TONES = ["\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]

# Categories whose right unit must be accepted or offered (the ≥ 98 % target).
TYPO_CATEGORIES = ("plain", "plain_bare", "dropped", "neighbour", "swapped")


@dataclass(frozen=True)
class Case:
    category: str
    query: str
    expected: int | None  # the unit's id; None: must not be accepted


def _bare(name: str) -> str:
    return unit_readings(name)[0].bare


def _typo(text: str, rng: random.Random, how: str) -> str | None:
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return None
    i = rng.choice(letters[1:])
    if how == "dropped":
        return text[:i] + text[i + 1 :]
    if how == "neighbour":
        near = _NEIGHBOURS.get(text[i].lower(), "")
        return text[:i] + rng.choice(near) + text[i + 1 :] if near else None
    j = i + 1
    if j >= len(text) or not text[j].isalpha() or text[i] == text[j]:
        return None
    return text[:i] + text[j] + text[i] + text[j + 1 :]


def _ocr(name: str, kind: str, rng: random.Random) -> str:
    """Damage a name like OCR does: tones moved or lost, "in" read as "m", "xã" as "x4"."""
    out = []
    for word in name.split():
        decomposed = unicodedata.normalize("NFD", word)
        if rng.random() < 0.5:
            marks = [ch for ch in decomposed if ch in _TONES]
            decomposed = "".join(ch for ch in decomposed if ch not in _TONES)
            if marks and rng.random() < 0.5:
                decomposed += rng.choice(_TONES)
        out.append(unicodedata.normalize("NFC", decomposed))
    text = " ".join(out)
    if "in" in text[1:] and rng.random() < 0.5:
        at = text.index("in", 1)
        text = text[:at] + "m" + text[at + 2 :]
    if kind == "xa" and text.lower().startswith("xa"):
        text = "x4" + text[2:]
    return text


def build_cases(
    province: OfficialProvince, catalogue: UnitCatalogue, foreign: list[str], seed: int = 7
) -> list[Case]:
    rng = random.Random(seed)
    local_keys = {fold(e.name) for e in catalogue.entries}
    local_bares: set[str] = set()
    former_owners: dict[str, set[int]] = {}
    for entry in catalogue.entries:
        local_bares.add(_bare(entry.name))
        for former in entry.former:
            former_owners.setdefault(fold(former), set()).add(entry.id)
            local_bares.add(_bare(former))
    by_name = {e.name: e for e in catalogue.entries}
    cases: list[Case] = []
    for unit in province.units:
        entry = by_name[unit.name]
        plain = strip_diacritics(unit.name)
        bare_plain = strip_diacritics(unit.short_name)
        cases.append(Case("plain", plain.lower(), entry.id))
        cases.append(Case("plain_bare", bare_plain.lower(), entry.id))
        for how in ("dropped", "neighbour", "swapped"):
            typo = _typo(plain.lower(), rng, how)
            if typo and fold(typo) not in local_keys and _bare(typo) not in local_bares:
                cases.append(Case(how, typo, entry.id))
        short = rng.choice(_TYPE_SHORT.get(unit.kind, [""]))
        if short:
            cases.append(Case("abbreviated", f"{short} {unit.short_name}", entry.id))
        cases.append(Case("ocr", _ocr(unit.name, unit.kind, rng), entry.id))
        for former in entry.former:
            if former_owners.get(fold(former)) == {entry.id} and fold(former) not in local_keys:
                cases.append(Case("former", former, entry.id))
                cases.append(Case("former_plain", strip_diacritics(former).lower(), entry.id))
    for name in foreign:
        if _bare(name) not in local_bares:
            cases.append(Case("foreign", name, None))
            cases.append(Case("foreign_plain", strip_diacritics(name).lower(), None))
    return cases


def foreign_names(home: OfficialProvince, others: list[OfficialProvince]) -> list[str]:
    return [u.name for p in others if p.name != home.name for u in p.units]


def entries_by_id(catalogue: UnitCatalogue) -> dict[int, UnitEntry]:
    return {e.id: e for e in catalogue.entries}
