"""Matching what people write against the deployment's units, indicators and tasks.

Units (:class:`UnitCatalogue`): the catalogue is normalised once into an exact
dictionary and a list of bare keys (the name without its type word). A lookup reads
the text every way it can be read (abbreviations written out, a qualifier such as
"tỉnh …" split off, typing and OCR variants as *alternatives*), then tries, in order:

1. an exact key: the current name or an abbreviation alias (score 100);
2. a former name ("đơn vị cũ X nay là Y"; score 100, flagged);
3. ``fuzz.ratio`` over every bare key, with penalties for a different number
   ("Hà Giang 1" vs "2"), a different type word, and a reading that is a variant.

and decides (see ``docs/matching.md`` for why these numbers):

- **match**: one unit is clear: a unique exact hit, or a score ≥ ``MATCH_SCORE``
  that leads the next unit by ≥ ``MATCH_LEAD``;
- **ask**: a score in the ask zone (≥ ``ASK_SCORE``), a small lead, units that differ
  only by accents ("Cẩm Giang"/"Cẩm Giàng") when the accents were not typed, or one
  short word ("sơn") that only starts some names;
- **none**: nothing close enough, or a place qualified by another province.

Indicators and tasks (:class:`PhraseIndex`): a phrase is looked for inside long
names ("số hóa" in "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC"), weighting rare
words over common ones, and acronyms ("HSTT") are read against the initials of the
name's word runs.
"""

from __future__ import annotations

import enum
import functools
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.language.abbreviations import expand
from bot.language.normalize import accent_key, fold, has_diacritics, nfc, plain
from bot.language.units import KIND_WORDS, PREFIX_KINDS, UnitReading, body_kind, unit_readings
from bot.language.variants import is_syllable, variants

MATCH_SCORE = 85.0
MATCH_LEAD = 8.0
ASK_SCORE = 70.0
OFFER_SCORE = 55.0
IN_TEXT_ASK = 80.0  # an unsure unit inside a longer message must be at least this close
MAX_CANDIDATES = 5

VARIANT_PENALTY = 4.0
KIND_PENALTY = 10.0
BODY_PENALTY = 20.0  # two different bodies ("Hội Nông dân thị xã", "Công an thị xã")
FORMER_PENALTY = 3.0
WORDS_PENALTY = 4.0  # per word more or fewer than the name has
NUMBER_PENALTY = 25.0
NUMBER_MISSING_PENALTY = 10.0

# An office's type word written with its marks: no place starts so ("Phòng Tư pháp" is
# no "Xã Hoàng Su Phì", whose bare key reads alike; "Phong Thổ", unmarked, may be).
_OFFICE_WORDS = re.compile(
    r"(?:văn phòng|phòng|sở|trung tâm|chi cục|bộ phận|thanh tra|công an)\s", re.I
)

_NUMBERS = re.compile(r"\d+")


class Decision(enum.StrEnum):
    MATCH = "match"
    ASK = "ask"
    NONE = "none"


class Via(enum.StrEnum):
    """How the chosen or offered unit was found."""

    NAME = "name"
    ALIAS = "alias"
    FORMER = "former"
    FUZZY = "fuzzy"
    PREFIX = "prefix"


@dataclass(frozen=True)
class UnitEntry:
    id: int
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    parent_name: str | None = None
    former: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    entry: UnitEntry
    score: float
    via: Via
    matched: str  # the name or alias that matched, as stored

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.entry.id,
            "name": self.entry.name,
            "kind": kind_label(self.entry.kind),
            "score": round(self.score, 1),
        }


@dataclass(frozen=True)
class UnitMatch:
    """The outcome of one lookup: a decision, and the candidates best first."""

    query: str
    decision: Decision
    candidates: tuple[Candidate, ...] = ()
    reason: str = ""

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    @property
    def unit(self) -> UnitEntry | None:
        """The unit, only when the decision is *match*."""
        return self.candidates[0].entry if self.decision is Decision.MATCH else None

    @property
    def former_name(self) -> str | None:
        """The former name the match went through ("X, now Y"), if it did."""
        best = self.best
        if self.decision is Decision.MATCH and best and best.via is Via.FORMER:
            return best.matched
        return None

    @property
    def choices(self) -> tuple[UnitEntry, ...]:
        return tuple(c.entry for c in self.candidates)

    def as_dict(self) -> dict[str, object]:
        return {
            "query": self.query,
            "decision": self.decision.value,
            "match": self.candidates[0].as_dict() if self.decision is Decision.MATCH else None,
            "candidates": [c.as_dict() for c in self.candidates[:MAX_CANDIDATES]],
        }


_KIND_LABELS = {
    "tinh": "tỉnh",
    "thanh_pho": "thành phố",
    "xa": "xã",
    "phuong": "phường",
    "dac_khu": "đặc khu",
    "huyen": "huyện",
    "thi_xa": "thị xã",
    "thi_tran": "thị trấn",
    "so": "sở",
    "van_phong": "văn phòng",
    "phong": "phòng",
    "ban": "ban",
    "trung_tam": "trung tâm",
    "co_quan": "cơ quan",
    "khac": "khác",
}


def kind_label(kind: str) -> str:
    """The Vietnamese type word of a stored kind (``dac_khu`` → ``đặc khu``)."""
    return _KIND_LABELS.get(kind, kind)


@dataclass(frozen=True)
class UnitSpan:
    """A unit found inside a longer message, with where it was written."""

    match: UnitMatch
    start: int
    end: int


def _numbers(key: str) -> frozenset[str]:
    return frozenset(n.lstrip("0") or "0" for n in _NUMBERS.findall(key))


@dataclass
class _Key:
    entry: int  # index into entries
    via: Via
    matched: str
    kind: str | None  # the type word of this key (a former name may carry another)
    bare: str
    accent: str
    numbers: frozenset[str]
    body: str | None = None  # the body the name starts with (Công an, Hội Nông dân …)


class UnitCatalogue:
    """The deployment's units, indexed once for fast, careful lookups."""

    def __init__(self, entries: Iterable[UnitEntry]) -> None:
        self.entries: list[UnitEntry] = list(entries)
        self._keys: list[_Key] = []
        self._by_key: dict[str, list[int]] = defaultdict(list)  # full key → key indexes
        self._by_bare: dict[str, list[int]] = defaultdict(list)
        self._first_word: dict[str, list[int]] = defaultdict(list)
        self._choices: list[str] = []  # fuzzy choices: bare keys
        self._choice_keys: list[int] = []
        self._areas: set[str] = set()  # bare keys of the provinces in the catalogue
        for index, entry in enumerate(self.entries):
            written = [(entry.name, Via.NAME)]
            written += [(a, Via.ALIAS) for a in entry.aliases]
            written += [(f, Via.FORMER) for f in entry.former]
            for text, via in written:
                for reading in unit_readings(text)[:1]:
                    self._add(index, via, text, reading)
            if entry.kind in ("tinh", "thanh_pho") and entry.parent_name is None:
                for text, _via in written:
                    self._areas.update(r.bare for r in unit_readings(text))

    def _add(self, index: int, via: Via, text: str, reading: UnitReading) -> None:
        if not reading.key:
            return
        if any(self._keys[k].entry == index for k in self._by_key.get(reading.key, ())):
            return
        kind = reading.kind or (self.entries[index].kind if via is Via.NAME else None)
        key = _Key(
            index,
            via,
            nfc(text),
            kind,
            reading.bare,
            _accent_bare(text),
            _numbers(reading.key),
            body_kind(reading.key),
        )
        position = len(self._keys)
        self._keys.append(key)
        self._by_key[reading.key].append(position)
        if (
            reading.kind is not None
            or via is not Via.NAME
            or self.entries[index].kind not in PREFIX_KINDS
        ):
            self._by_bare[reading.bare].append(position)
        if via is not Via.FORMER:
            self._first_word[reading.bare.split()[0]].append(position)
        self._choices.append(reading.bare)
        self._choice_keys.append(position)

    def __len__(self) -> int:
        return len(self.entries)

    @functools.cached_property
    def words(self) -> frozenset[str]:
        """Every word (fold key) of the units' names, aliases and former names."""
        return frozenset(
            word
            for entry in self.entries
            for text in (entry.name, *entry.aliases, *entry.former)
            for word in fold(text.replace("&", " ")).split()
        )

    # -- one name -------------------------------------------------------------------

    def match(self, text: str, *, kind: str | None = None) -> UnitMatch:
        """Decide which unit ``text`` names (see the module docstring)."""
        query = nfc(text).strip()
        readings = [(r, 0.0) for r in unit_readings(query) if r.bare]
        if not readings:
            return UnitMatch(query, Decision.NONE, reason="empty")
        for reading, _ in list(readings):
            for variant in variants(reading.key):
                readings += [(r, VARIANT_PENALTY) for r in unit_readings(variant) if r.bare]
        for reading, penalty in list(readings):
            readings += [(r, penalty + VARIANT_PENALTY) for r in _type_typos(reading)]
        if self._areas and any(self._foreign(r) for r, _ in readings[:2]):
            return UnitMatch(query, Decision.NONE, reason="other_area")
        accents = has_diacritics(query)
        query_accent = _accent_bare(query)
        allowed = self._kind_filter(kind)

        exact = self._exact(readings, allowed)
        # A type word alone is no name to read fuzzily: "tt" ("thị trấn", "trung tâm")
        # was offered "Xã Trung Hà"; exactly, it is the name of "Phường Trung Tâm".
        named = [(r, p) for r, p in readings if r.kind is not None or r.bare not in KIND_WORDS]
        fuzzy = self._fuzzy(named, allowed, office=_OFFICE_WORDS.match(query) is not None)
        if exact:
            return self._decide_exact(query, exact, fuzzy, accents, query_accent)
        shortword = self._short_word(readings[0][0], allowed)
        if shortword is not None:
            return UnitMatch(query, Decision.ASK, shortword, reason="short_word")
        # A name whose every word is a real syllable may well be a real place elsewhere
        # ("Tân Lạc" is not a typo of "Tân Lập"): it is never accepted on a fuzzy score.
        # The text's own readings count ("xa tn long" is also read "xã thanh niên long").
        typo_evident = any(
            not (is_syllable(w) or w.isdigit())
            for reading, penalty in readings
            if not penalty
            for w in reading.bare.split()
        )
        return self._decide_fuzzy(query, fuzzy, accents, query_accent, typo_evident)

    def _kind_filter(self, kind: str | None):
        wanted = KIND_WORDS.get(fold(kind.replace("_", " ")), kind) if kind else None

        def allowed(index: int) -> bool:
            return wanted is None or self.entries[index].kind == wanted

        return allowed

    def _foreign(self, reading: UnitReading) -> bool:
        """Whether the text names a province that is not the deployment's."""
        return any(
            kind in ("tinh", "thanh_pho") and name not in self._areas
            for kind, name in reading.qualifiers
        )

    def _exact(self, readings, allowed) -> dict[int, Candidate]:
        found: dict[int, Candidate] = {}
        for reading, penalty in readings:
            positions = list(self._by_key.get(reading.key, ()))
            if reading.kind is None or not positions:
                positions += [
                    p
                    for p in self._by_bare.get(reading.bare, ())
                    if p not in positions and self._kind_ok(reading.kind, self._keys[p])
                ]
            for position in positions:
                key = self._keys[position]
                if not allowed(key.entry):
                    continue
                candidate = Candidate(
                    self.entries[key.entry], 100.0 - penalty, key.via, key.matched
                )
                _keep_best(found, key.entry, candidate)
        # A current name or abbreviation beats a former name of another unit.
        if any(c.via is not Via.FORMER for c in found.values()):
            found = {i: c for i, c in found.items() if c.via is not Via.FORMER}
        return found

    @staticmethod
    def _kind_ok(query_kind: str | None, key: _Key) -> bool:
        return query_kind is None or key.kind is None or key.kind == query_kind

    def _fuzzy(self, readings, allowed, office: bool = False) -> dict[int, Candidate]:
        """Units whose keys read like the readings, scored (``office``: the text names an
        office by its marked type word, never a place)."""
        found: dict[int, Candidate] = {}
        for reading, penalty in readings:
            hits = process.extract(
                reading.bare,
                self._choices,
                scorer=fuzz.ratio,
                limit=12,
                score_cutoff=OFFER_SCORE - 5,
            )
            wanted_numbers = _numbers(reading.bare)
            query_words = len(reading.bare.split())
            query_body = body_kind(reading.key)
            for _choice, score, choice_index in hits:
                key = self._keys[self._choice_keys[choice_index]]
                if not allowed(key.entry):
                    continue
                score -= penalty + (FORMER_PENALTY if key.via is Via.FORMER else 0.0)
                if wanted_numbers != key.numbers:
                    both = wanted_numbers and key.numbers
                    score -= NUMBER_PENALTY if both else NUMBER_MISSING_PENALTY
                if not self._kind_ok(reading.kind, key):
                    score -= KIND_PENALTY
                if query_body != key.body:
                    score -= BODY_PENALTY if query_body and key.body else KIND_PENALTY
                if office and self.entries[key.entry].kind in PREFIX_KINDS:
                    score -= BODY_PENALTY
                score -= WORDS_PENALTY * abs(len(key.bare.split()) - query_words)
                via = Via.FORMER if key.via is Via.FORMER else Via.FUZZY
                candidate = Candidate(self.entries[key.entry], score, via, key.matched)
                _keep_best(found, key.entry, candidate)
        return found

    def _short_word(self, reading: UnitReading, allowed) -> tuple[Candidate, ...] | None:
        """One short word that only starts names: the units it starts, to choose from."""
        words = reading.bare.split()
        if len(words) != 1 or len(words[0]) > 5 or not is_syllable(words[0]):
            return None
        found: dict[int, Candidate] = {}
        for position in self._first_word.get(words[0], ()):
            key = self._keys[position]
            if allowed(key.entry) and self._kind_ok(reading.kind, key):
                candidate = Candidate(self.entries[key.entry], 60.0, Via.PREFIX, key.matched)
                _keep_best(found, key.entry, candidate)
        if not found:
            return None
        return tuple(
            sorted(found.values(), key=lambda c: (_bare(c.entry.name), c.entry.name))[
                :MAX_CANDIDATES
            ]
        )

    def _twins(self, best: Candidate, others: Sequence[Candidate]) -> list[Candidate]:
        """Other candidates whose name differs from the best one only by diacritics."""
        key = _name_key(best.entry.name)
        return [c for c in others if c.entry.id != best.entry.id and _name_key(c.entry.name) == key]

    def _resolve_accents(
        self, pool: list[Candidate], accents: bool, query_accent: str
    ) -> list[Candidate]:
        """Among accent twins, the ones whose accents match what was typed (if typed)."""
        if not accents:
            return pool
        same = [c for c in pool if _accent_bare(c.matched) == query_accent]
        return same or pool

    def _decide_exact(self, query, exact, fuzzy, accents, query_accent) -> UnitMatch:
        hits = sorted(exact.values(), key=_rank)
        top = [c for c in hits if c.score == hits[0].score]
        top = self._resolve_accents(top, accents, query_accent)
        rest = [c for c in hits if c not in top]
        neighbours = sorted(
            (c for i, c in fuzzy.items() if all(c.entry.id != h.entry.id for h in hits)),
            key=_rank,
        )
        candidates = tuple((top + rest + neighbours)[:MAX_CANDIDATES])
        if len(top) == 1:
            twins = self._twins(top[0], neighbours + rest)
            if twins and not accents:
                return UnitMatch(query, Decision.ASK, candidates, reason="accent_twins")
            return UnitMatch(query, Decision.MATCH, candidates, reason=top[0].via.value)
        return UnitMatch(query, Decision.ASK, candidates, reason="several")

    def _decide_fuzzy(self, query, fuzzy, accents, query_accent, typo_evident) -> UnitMatch:
        ranked = sorted(fuzzy.values(), key=_rank)
        if not ranked or ranked[0].score < OFFER_SCORE:
            return UnitMatch(query, Decision.NONE, reason="nothing_close")
        best = ranked[0]
        second = ranked[1].score if len(ranked) > 1 else 0.0
        clear = best.score >= MATCH_SCORE and best.score - second >= MATCH_LEAD
        if clear and typo_evident:
            return UnitMatch(query, Decision.MATCH, (best, *ranked[1:MAX_CANDIDATES]), "fuzzy")
        if best.score >= ASK_SCORE:
            pool = [c for c in ranked if c.score >= max(best.score - 15, OFFER_SCORE)]
            pool = self._resolve_accents(pool, accents, query_accent) if len(pool) > 1 else pool
            offered = pool[: max(2, min(4, len(pool)))]
            if len(offered) < 2 and len(ranked) > 1:
                offered = ranked[:2]
            return UnitMatch(query, Decision.ASK, tuple(offered), reason="unsure")
        nearest = tuple(c for c in ranked if c.score >= OFFER_SCORE)[:3]
        return UnitMatch(query, Decision.NONE, nearest, reason="nothing_close")

    # -- a unit inside a message -------------------------------------------------------

    def find_in(self, text: str, *, max_words: int = 9) -> UnitSpan | None:
        """The unit named inside ``text``, with its span in ``nfc(text)``.

        Windows of 1–``max_words`` words are tried. A window that starts with a type
        word or an abbreviation (``xã``, ``P.``, ``UBND``, ``TTPVHCC``) is matched like a
        name and may come back *ask* when it is close (``IN_TEXT_ASK`` or more); any
        other window counts only when it is exactly a name of two or more words or an
        alias, so ordinary words are not taken for units. A typed window wins over a
        plain one it overlaps ("xã Hà Giang" is not the province once called Hà Giang).
        """
        source = nfc(text)
        words = [(m.start(), m.end()) for m in re.finditer(r"[^\W_]+", plain(source))]
        found: list[tuple[tuple[float, ...], bool, UnitSpan]] = []
        for i in range(len(words)):
            head = source[words[i][0] : words[i][1]]
            typed = _starts_with_type(head, source[words[i][1] :])
            for size in range(min(max_words, len(words) - i), 0, -1):
                start, end = words[i][0], words[i + size - 1][1]
                window = source[start:end]
                if not typed and not self._exact_window(window):
                    continue
                match = self.match(window)
                best = match.best
                if best is None or match.decision is Decision.NONE:
                    continue
                if match.decision is Decision.ASK and (
                    not typed or match.reason == "short_word" or best.score < IN_TEXT_ASK
                ):
                    continue
                weight = 2.0 if match.decision is Decision.MATCH else 1.0
                rank = (weight, best.score, float(size), float(-start))
                found.append((rank, typed, UnitSpan(match, start, end)))
        if not found:
            return None
        found.sort(key=lambda item: item[0], reverse=True)
        _, typed, chosen = found[0]
        if not typed:
            for _r, other_typed, other in found:
                if other_typed and other.start < chosen.end and chosen.start < other.end:
                    return other
        return chosen

    def _exact_window(self, window: str) -> bool:
        for reading in unit_readings(window):
            for key in (reading.key, reading.bare):
                positions = self._by_key.get(key, ()) or self._by_bare.get(key, ())
                for position in positions:
                    entry_key = self._keys[position]
                    if entry_key.via is Via.ALIAS or len(entry_key.bare.split()) >= 2:
                        return True
        return False


# Type words long enough that a typo in them can be recognised ("phuonh", "puhong").
_TYPE_WORDS = [w for w, kind in KIND_WORDS.items() if kind in PREFIX_KINDS and len(w) >= 4]


def _type_typos(reading: UnitReading) -> list[UnitReading]:
    """Readings of a name whose type word has a typo in it."""
    if reading.kind is not None:
        return []
    words = reading.key.split()
    found = []
    for word in _TYPE_WORDS:
        size = len(word.split())
        if len(words) > size:
            head = " ".join(words[:size])
            if head != word and fuzz.ratio(head, word) >= 80:
                rest = " ".join(words[size:])
                found.append(UnitReading(f"{word} {rest}", KIND_WORDS[word], rest))
    return found


# Words that open a unit's name inside a message. "huyện", "quận" and "tỉnh" are left
# out: there are no districts since 2025, and "quan trọng", "tình hình" are common words.
# The bodies a plan names open one too (by their abbreviation or their first two words),
# so "Công an xã Đường Lâm" is not read as the commune it ends with.
_OPENERS = frozenset(
    {"ubnd", "uy", "ttpvhcc", "xa", "phuong", "p", "x", "f", "q", "tt", "dk"}
    | {"bch", "bchqs", "hnd", "dtn", "hlhpn", "hccb", "mttq", "ubmttq", "bhxh", "kbnn", "cct"}
    | {"ttyt", "tyt"}
)
_TWO_WORD_OPENERS = frozenset(
    {"dac khu", "thi tran", "thi xa", "thanh pho", "trung tam"}
    | {"cong an", "ban chi", "hoi nong", "doan thanh", "hoi lien", "hoi cuu", "mat tran"}
    | {"bao hiem", "chi cuc", "kho bac", "tram y", "ca xa", "ca phuong"}
)


def _starts_with_type(head: str, after: str) -> bool:
    word = fold(head)
    if word in _OPENERS:
        return True
    two = " ".join(fold(head + " " + after[:12]).split()[:2])
    return two in _TWO_WORD_OPENERS


@functools.lru_cache(maxsize=65536)
def _bare(name: str) -> str:
    return unit_readings(name)[0].bare


_name_key = functools.lru_cache(maxsize=65536)(fold)


@functools.lru_cache(maxsize=65536)
def _accent_bare(text: str) -> str:
    """The accent key of the name without its type word."""
    words = accent_key(text).split()
    size = len(_bare(text).split())
    return " ".join(words[-size:]) if size else ""


def _rank(candidate: Candidate) -> tuple[float, int, str]:
    order = {Via.NAME: 0, Via.ALIAS: 1, Via.FUZZY: 2, Via.FORMER: 3, Via.PREFIX: 4}
    return (-candidate.score, order[candidate.via], _name_key(candidate.entry.name))


def _keep_best(found: dict[int, Candidate], index: int, candidate: Candidate) -> None:
    current = found.get(index)
    if current is None or _rank(candidate) < _rank(current):
        found[index] = candidate


# -- phrases: indicators and tasks by name ----------------------------------------------

# Words that carry no meaning for telling indicators or tasks apart.
_STOP = frozenset(
    [
        "ty",
        "le",
        "cua",
        "cac",
        "va",
        "tren",
        "tong",
        "so",
        "trong",
        "duoc",
        "da",
        "dang",
        "la",
        "voi",
        "cho",
        "theo",
        "tai",
        "ve",
        "nhung",
        "mot",
        "thuc",
        "hien",
    ]
)


@dataclass(frozen=True)
class PhraseItem:
    id: int
    label: str
    texts: tuple[str, ...]  # the name and any aliases


@dataclass(frozen=True)
class PhraseCandidate:
    item: PhraseItem
    score: float


@dataclass(frozen=True)
class PhraseMatch:
    query: str
    decision: Decision
    candidates: tuple[PhraseCandidate, ...] = ()

    @property
    def item(self) -> PhraseItem | None:
        return self.candidates[0].item if self.decision is Decision.MATCH else None


def _words(text: str) -> list[str]:
    return [w for w in expand(text).split() if w not in _STOP]


@dataclass
class PhraseIndex:
    """Indicators or tasks found by a phrase of their name, an alias or an acronym."""

    items: list[PhraseItem]
    _tokens: list[list[list[str]]] = field(init=False, repr=False)
    _weight: dict[str, float] = field(init=False, repr=False)
    _acronyms: dict[str, set[int]] = field(init=False, repr=False)
    _exact: dict[str, set[int]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._tokens, self._acronyms, self._exact = [], defaultdict(set), defaultdict(set)
        frequency: dict[str, int] = defaultdict(int)
        for index, item in enumerate(self.items):
            token_lists = [_words(t) for t in item.texts]
            self._tokens.append(token_lists)
            for word in {w for tokens in token_lists for w in tokens}:
                frequency[word] += 1
            for text, tokens in zip(item.texts, token_lists, strict=True):
                self._exact[" ".join(tokens)].add(index)
                self._exact[fold(text)].add(index)
                full = expand(text).split()
                for size in range(2, 7):
                    for start in range(len(full) - size + 1):
                        initials = "".join(w[0] for w in full[start : start + size])
                        self._acronyms[initials].add(index)
        total = max(len(self.items), 1)
        self._weight = {w: math.log(1 + total / n) for w, n in frequency.items()}

    def match(self, text: str) -> PhraseMatch:
        query = nfc(text).strip()
        words = _words(query)
        if not words:
            return PhraseMatch(query, Decision.NONE)
        scores: dict[int, float] = {}
        joined = " ".join(words)
        for index in self._exact.get(joined, set()) | self._exact.get(fold(query), set()):
            scores[index] = 100.0
        if len(words) == 1 and not is_syllable(words[0]):
            for index in self._acronyms.get(words[0], ()):
                scores[index] = max(scores.get(index, 0.0), 90.0)
        for index, token_lists in enumerate(self._tokens):
            if index in scores:
                continue
            scores[index] = max((self._cover(words, t) for t in token_lists), default=0.0)
        ranked = sorted(
            (PhraseCandidate(self.items[i], s) for i, s in scores.items() if s >= 40),
            key=lambda c: (-c.score, c.item.id),
        )
        if not ranked:
            return PhraseMatch(query, Decision.NONE)
        best = ranked[0].score
        second = ranked[1].score if len(ranked) > 1 else 0.0
        if best >= MATCH_SCORE and best - second >= MATCH_LEAD:
            decision = Decision.MATCH
        elif best >= ASK_SCORE - 10:
            decision = Decision.ASK
        else:
            decision = Decision.NONE
        close = [c for c in ranked if c.score >= best - 15][:4]
        return PhraseMatch(query, decision, tuple(close))

    def leaves_out(self, text: str, item_id: int) -> bool:
        """Whether ``text`` has a word of another item's name that item ``item_id``'s
        names lack (not even misspelt): "hồ sơ đúng hạn" is not all of "Tỷ lệ xử lý phản
        ánh, kiến nghị đúng hạn", whose "đúng hạn" it shares, when "hồ sơ" names others."""
        index = next((i for i, item in enumerate(self.items) if item.id == item_id), None)
        if index is None:
            return False
        own = {w for tokens in self._tokens[index] for w in tokens}
        return any(
            word in self._weight  # a word of some item's name, and not of this one's
            and not any(fuzz.ratio(word, w) >= 80 for w in own)
            for word in _words(nfc(text))
        )

    def _cover(self, words: list[str], tokens: list[str]) -> float:
        """How much of the query's weight the item's words cover, typos forgiven."""
        if not tokens:
            return 0.0
        total = found = 0.0
        positions: list[int] = []
        for word in words:
            weight = self._weight.get(word, math.log(1 + len(self.items)) + 1)
            total += weight
            best_ratio, best_at = 0.0, -1
            for at, token in enumerate(tokens):
                ratio = 100.0 if token == word else fuzz.ratio(word, token)
                if ratio > best_ratio:
                    best_ratio, best_at = ratio, at
            if best_ratio >= 80:
                found += weight * best_ratio / 100
                positions.append(best_at)
        if not total:
            return 0.0
        in_order = all(b == a + 1 for a, b in itertools.pairwise(positions))
        bonus = 5.0 if len(positions) > 1 and in_order else 0.0
        return min(100.0, 90.0 * found / total + bonus)
