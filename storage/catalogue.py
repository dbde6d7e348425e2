"""Read-only catalogue of Vietnam's provinces and communes after the 1 July 2025 reform.

The data comes from the MIT-licensed ``vietnamadminunits`` package: the ``admin_units`` table
(34 provinces, 3,321 communes, wards and special zones), the ``admin_units_legacy`` table
(63 provinces before the reform) and ``converter_2025.json``, which maps every former unit to
the current unit(s) that replaced it. Everything is loaded once, on first use, and cached.

Former names: every legacy unit that maps to a current unit is listed in that unit's
``former`` tuple, in official (legacy code) order. A former unit split among several current
units appears under each of them with ``divided=True``; ``default`` tells whether the package
treats that current unit as its main successor (``default`` is always True when not divided).
A former name equal to the current name is kept, since its district is still informative;
only exact duplicates (same name, district and province) are dropped. The island districts
that had no communes (e.g. "Huyện Côn Đảo") appear as a former unit whose ``name`` is the
district and whose ``district`` is None.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from rapidfuzz import fuzz, process

from bot.language.normalize import fold, nfc

__all__ = [
    "FormerName",
    "OfficialProvince",
    "OfficialUnit",
    "UnknownProvince",
    "find_province",
    "provinces",
    "resolve_province",
    "skipped_former_keys",
]

_UNIT_KINDS = {"xa": "xa", "phuong": "phuong", "dac khu": "dac_khu"}

# Prefixes a user may put before a province name, as fold keys (with and without spaces).
_PROVINCE_PREFIXES = ("thanh pho ", "tinh ", "tp ", "t p ")
_COMPACT_PREFIXES = ("thanhpho", "tinh", "tp")

# Well-known names the package does not list; they resolve as current names (no "former").
_EXTRA_ALIASES = {
    "sai gon": "thanhphohochiminh",
    "saigon": "thanhphohochiminh",
    "thua thien hue": "thanhphohue",
}

_SUGGESTION_LIMIT = 3


@dataclass(frozen=True)
class FormerName:
    """A unit that existed before the 2025 reform and now lies (partly) in a current unit."""

    name: str  # full former name with its type word, e.g. "Thị trấn Sơn Dương"
    district: str | None  # the former district, e.g. "Huyện Sơn Dương"; None for island districts
    province: str  # the former province, e.g. "Tỉnh Hà Giang"
    divided: bool  # True when the former unit was split among several current units
    default: bool  # for a divided one: whether this unit is the default successor


@dataclass(frozen=True)
class OfficialUnit:
    """A current commune (xã), ward (phường) or special zone (đặc khu)."""

    name: str  # "Xã Sơn Dương"
    short_name: str  # "Sơn Dương"
    kind: str  # "xa", "phuong" or "dac_khu"
    code: str  # official ward code, "02536"
    former: tuple[FormerName, ...]


@dataclass(frozen=True)
class OfficialProvince:
    """A current province or centrally-governed city with all its units."""

    name: str  # "Tỉnh Tuyên Quang"
    short_name: str  # "Tuyên Quang"
    kind: str  # "tinh" or "thanh_pho"
    code: str  # "08"
    former: tuple[str, ...]  # former provinces merged into it, full names, excluding itself
    units: tuple[OfficialUnit, ...]  # sorted by (fold(name), name)


class UnknownProvince(LookupError):
    """No current or former province matches ``query``; ``suggestions`` are current names."""

    def __init__(self, query: str, suggestions: list[str]) -> None:
        super().__init__(query, suggestions)
        self.query = query
        self.suggestions = suggestions

    def __str__(self) -> str:
        if self.suggestions:
            return f"Unknown province {self.query!r}; did you mean {', '.join(self.suggestions)}?"
        return f"Unknown province {self.query!r}."


@dataclass(frozen=True)
class _Catalogue:
    """Everything built from the package data, kept in one cached object."""

    by_key: dict[str, OfficialProvince]  # current province key -> province
    # fold key (spaced or compact) -> (current province key, former full name or None)
    index: dict[str, tuple[str, str | None]]
    # fold keys scored for suggestions -> current province key
    suggestion_keys: dict[str, str]
    skipped: Counter[str]  # current province key -> converter keys that could not be resolved


def _sort_key(name: str) -> tuple[str, str]:
    """Vietnamese-aware order: by fold key, then by the exact name for a stable tie-break."""
    return fold(name), name


def _compact(key: str) -> str:
    return key.replace(" ", "")


def _db_query(sql: str) -> list[dict[str, Any]]:
    """Run ``sql`` on the package's dataset (imported lazily: the package is slow to import)."""
    from vietnamadminunits.database import query

    return query(sql)


@cache
def _converter() -> dict[str, Any]:
    """The package's 2025 converter mapping (about 12 MB of JSON)."""
    path = files("vietnamadminunits") / "data" / "converter_2025.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _legacy_units() -> dict[str, tuple[FormerName, tuple[str, str, str]]]:
    """Legacy ``province_district_ward`` key -> (former name without flags, official order)."""
    rows = _db_query(
        "SELECT province, district, ward, provinceKey, districtKey, wardKey, "
        "provinceCode, districtCode, wardCode FROM admin_units_legacy"
    )
    legacy: dict[str, tuple[FormerName, tuple[str, str, str]]] = {}
    for row in rows:
        key = f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey'] or ''}"
        if row["ward"]:
            name, district = nfc(row["ward"]), nfc(row["district"])
        else:  # an island district without communes: the district itself is the unit
            name, district = nfc(row["district"]), None
        former = FormerName(name, district, nfc(row["province"]), divided=False, default=True)
        order = (row["provinceCode"] or "", row["districtCode"] or "", row["wardCode"] or "")
        legacy[key] = (former, order)
    return legacy


def _former_names(
    skipped: Counter[str],
) -> dict[tuple[str, str], list[tuple[tuple[str, str, str], FormerName]]]:
    """(current province key, current ward key) -> former units with their official order."""
    legacy = _legacy_units()
    data = _converter()
    result: dict[tuple[str, str], list[tuple[tuple[str, str, str], FormerName]]] = {}

    for province_key, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            for old_key in old_keys:
                found = legacy.get(old_key)
                if found is None:
                    skipped[province_key] += 1
                    continue
                former, order = found
                result.setdefault((province_key, ward_key), []).append((order, former))

    for province_key, old_units in data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, successors in old_units.items():
            found = legacy.get(old_key)
            if found is None:
                skipped[province_key] += 1
                continue
            base, order = found
            for successor in successors:
                former = FormerName(
                    base.name,
                    base.district,
                    base.province,
                    divided=True,
                    default=bool(successor["isDefaultNewWard"]),
                )
                target = (province_key, successor["newWardKey"])
                result.setdefault(target, []).append((order, former))
    return result


def _dedupe(entries: list[tuple[tuple[str, str, str], FormerName]]) -> tuple[FormerName, ...]:
    """Former names in official order, without exact (name, district, province) duplicates."""
    seen: set[tuple[str, str | None, str]] = set()
    out: list[FormerName] = []
    for _, former in sorted(entries, key=lambda entry: entry[0]):
        ident = (former.name, former.district, former.province)
        if ident not in seen:
            seen.add(ident)
            out.append(former)
    return tuple(out)


def _province_kind(name: str) -> str:
    return "thanh_pho" if fold(name).startswith("thanh pho ") else "tinh"


def _unit_kind(ward_type: str) -> str:
    kind = _UNIT_KINDS.get(fold(ward_type))
    if kind is None:
        raise ValueError(f"unexpected unit type {ward_type!r}")
    return kind


def _aliases(raw: str | None) -> list[str]:
    return [str(alias) for alias in json.loads(raw)] if raw else []


@cache
def _catalogue() -> _Catalogue:
    """Build every province, unit and lookup key once."""
    skipped: Counter[str] = Counter()
    formers = _former_names(skipped)

    rows = _db_query(
        "SELECT province, provinceShort, provinceCode, provinceKey, provinceAlias, "
        "ward, wardShort, wardType, wardCode, wardKey FROM admin_units"
    )
    legacy_provinces = {
        row["provinceKey"]: row
        for row in _db_query(
            "SELECT DISTINCT province, provinceShort, provinceKey, provinceAlias "
            "FROM admin_units_legacy"
        )
    }
    merged_from: dict[str, list[str]] = _converter()["DICT_PROVINCE"]

    heads: dict[str, dict[str, Any]] = {}
    units: dict[str, list[OfficialUnit]] = {}
    for row in rows:
        province_key = row["provinceKey"]
        heads.setdefault(province_key, row)
        unit = OfficialUnit(
            name=nfc(row["ward"]),
            short_name=nfc(row["wardShort"]),
            kind=_unit_kind(row["wardType"]),
            code=row["wardCode"],
            former=_dedupe(formers.get((province_key, row["wardKey"]), [])),
        )
        units.setdefault(province_key, []).append(unit)

    by_key: dict[str, OfficialProvince] = {}
    index: dict[str, tuple[str, str | None]] = {}
    suggestion_keys: dict[str, str] = {}

    def add(keys: list[str], target: tuple[str, str | None]) -> None:
        for key in keys:
            for variant in (key, _compact(key)):
                if variant:
                    index.setdefault(variant, target)

    for province_key, head in heads.items():
        name, short = nfc(head["province"]), nfc(head["provinceShort"])
        former_names = sorted(
            (
                nfc(legacy_provinces[old]["province"])
                for old in merged_from.get(province_key, [])
                if old != province_key and old in legacy_provinces
            ),
            key=_sort_key,
        )
        by_key[province_key] = OfficialProvince(
            name=name,
            short_name=short,
            kind=_province_kind(name),
            code=head["provinceCode"],
            former=tuple(former_names),
            units=tuple(sorted(units[province_key], key=lambda u: _sort_key(u.name))),
        )
        add([fold(name), fold(short), *_aliases(head["provinceAlias"])], (province_key, None))
        suggestion_keys[fold(short)] = province_key

    for alias, province_key in _EXTRA_ALIASES.items():
        add([alias], (province_key, None))

    # Former provinces come after every current name, so a current name always wins.
    for province_key, old_keys in merged_from.items():
        for old in old_keys:
            row = legacy_provinces.get(old)
            if row is None or province_key not in by_key:
                continue
            old_name = nfc(row["province"])
            matched = None if old == province_key else old_name
            keys = [fold(old_name), fold(row["provinceShort"]), *_aliases(row["provinceAlias"])]
            add(keys, (province_key, matched))
            suggestion_keys.setdefault(fold(row["provinceShort"]), province_key)

    return _Catalogue(by_key, index, suggestion_keys, skipped)


def _strip_prefix(key: str) -> str:
    """A fold key without a leading "tinh"/"thanh pho"/"tp" word."""
    for prefix in _PROVINCE_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def _candidate_keys(text: str) -> list[str]:
    """Fold keys to try for a user's text: as typed, without a prefix, and compacted."""
    key = fold(text)
    compact = _compact(key)
    candidates = [key, _strip_prefix(key), compact]
    candidates += [compact[len(p) :] for p in _COMPACT_PREFIXES if compact.startswith(p)]
    return [candidate for candidate in dict.fromkeys(candidates) if candidate]


def _suggest(text: str, catalogue: _Catalogue) -> list[str]:
    """Up to three current province names closest to ``text`` (former names count too)."""
    needle = _strip_prefix(fold(text))
    if not needle:
        return []
    best: dict[str, float] = {}
    matches = process.extract(
        needle, list(catalogue.suggestion_keys), scorer=fuzz.WRatio, limit=None
    )
    for choice, score, _ in matches:
        province_key = catalogue.suggestion_keys[choice]
        best[province_key] = max(score, best.get(province_key, 0.0))
    ranked = sorted(best.items(), key=lambda item: (-item[1], _sort_key(item[0])))
    return [catalogue.by_key[key].name for key, _ in ranked[:_SUGGESTION_LIMIT]]


def provinces() -> list[tuple[str, str]]:
    """(name, short_name) of the 34 current provinces, in Vietnamese alphabetical order."""
    found = _catalogue().by_key.values()
    return [(p.name, p.short_name) for p in sorted(found, key=lambda p: _sort_key(p.short_name))]


def resolve_province(query: str) -> tuple[OfficialProvince, str | None]:
    """The current province for ``query`` and the former province name matched, if any.

    ``query`` may be a full or short name, in any case, with or without diacritics or a
    "Tỉnh"/"Thành phố"/"TP" prefix, or an alias such as "HCM". A former province name
    ("Hà Giang") yields the province it merged into and its full former name ("Tỉnh Hà Giang").
    Raises ``UnknownProvince`` with suggestions when nothing matches.
    """
    catalogue = _catalogue()
    for key in _candidate_keys(query):
        hit = catalogue.index.get(key)
        if hit is not None:
            province_key, former = hit
            return catalogue.by_key[province_key], former
    raise UnknownProvince(query, _suggest(query, catalogue))


def find_province(query: str) -> OfficialProvince:
    """The current province for ``query``; see ``resolve_province`` for what is accepted."""
    return resolve_province(query)[0]


def skipped_former_keys() -> dict[str, int]:
    """Debug aid: converter keys with no legacy unit, per current province name."""
    catalogue = _catalogue()
    return {catalogue.by_key[key].name: count for key, count in catalogue.skipped.items()}
