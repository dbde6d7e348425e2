"""Matching what people write against the deployment's units.

The catalogue is pre-normalised once (fold keys of names and aliases); a lookup tries
an exact key, then the name without its type word, and only suggests fuzzy candidates
(rapidfuzz ``fuzz.ratio`` over the pre-folded keys): it never picks one by itself.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.language.normalize import fold
from bot.language.units import split_kind


@dataclass(frozen=True)
class UnitEntry:
    id: int
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    parent_name: str | None = None


@dataclass(frozen=True)
class UnitMatch:
    """``unit`` when exactly one unit answers to the text; else the closest ``suggestions``."""

    query: str
    unit: UnitEntry | None = None
    via_alias: str | None = None
    ambiguous: tuple[UnitEntry, ...] = ()
    suggestions: tuple[UnitEntry, ...] = ()


@dataclass
class UnitCatalogue:
    entries: list[UnitEntry]
    _exact: dict[str, list[tuple[UnitEntry, str | None]]] = field(init=False, repr=False)
    _bare: dict[str, list[UnitEntry]] = field(init=False, repr=False)
    _choices: list[str] = field(init=False, repr=False)
    _choice_units: list[UnitEntry] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._exact = defaultdict(list)
        self._bare = defaultdict(list)
        self._choices, self._choice_units = [], []
        for entry in self.entries:
            for text, alias in [(entry.name, None)] + [(a, a) for a in entry.aliases]:
                key = fold(text)
                if key and all(e.id != entry.id for e, _ in self._exact[key]):
                    self._exact[key].append((entry, alias))
                    self._choices.append(key)
                    self._choice_units.append(entry)
            kind, bare = split_kind(entry.name)
            if kind is not None and bare:
                self._bare[bare].append(entry)

    def match(self, text: str, *, kind: str | None = None) -> UnitMatch:
        key = fold(text)
        query_kind, bare = split_kind(text)
        kind = kind or query_kind

        def allowed(entry: UnitEntry) -> bool:
            return kind is None or entry.kind == kind

        # A former name carries its former type word ("Thị trấn …" now a "Xã …"), so
        # the kind only filters hits on current names.
        hits = [(e, a) for e, a in self._exact.get(key, []) if a is not None or allowed(e)]
        if not hits and query_kind is not None:
            hits = [(e, None) for e in self._bare.get(bare, []) if allowed(e)]
        if not hits and query_kind is None:
            hits = [(e, None) for e in self._bare.get(key, [])]
        names_only = [(e, a) for e, a in hits if a is None]
        if len(names_only) == 1:
            hits = names_only
        if len(hits) == 1:
            entry, alias = hits[0]
            return UnitMatch(text, unit=entry, via_alias=alias)
        if len(hits) > 1:
            return UnitMatch(text, ambiguous=tuple(e for e, _ in hits))
        return UnitMatch(text, suggestions=self.suggest(text))

    def suggest(self, text: str, limit: int = 3, cutoff: float = 55) -> tuple[UnitEntry, ...]:
        found = process.extract(
            fold(text), self._choices, scorer=fuzz.ratio, limit=limit * 3, score_cutoff=cutoff
        )
        seen: dict[int, UnitEntry] = {}
        for _choice, _score, index in found:
            entry = self._choice_units[index]
            seen.setdefault(entry.id, entry)
        return tuple(list(seen.values())[:limit])
