"""Indexes built once per :class:`~bot.understanding.model.Context`.

``prepare(context)`` returns a :class:`Prepared` holding what interpreting a message
needs that depends only on the context's plan and catalogue: tasks by code and by
written code, the indicator phrase index and its vocabulary, the unit entries by id,
and (lazily, per unit) the phrase index over the tasks' contents. The result is cached
on the catalogue and on the plan's tasks and indicators, so the indexes are built
once per plan, not once per message.
"""

from __future__ import annotations

import re
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from bot.language.abbreviations import ABBREVIATIONS, expand
from bot.language.normalize import fold
from bot.language.units import KIND_WORDS
from bot.language.variants import is_syllable
from bot.matching import PhraseIndex, PhraseItem, UnitCatalogue, UnitEntry
from bot.understanding.counted import ratio_of
from bot.understanding.model import Context, IndicatorRef, TaskRef

__all__ = ["Prepared", "normalise_code", "prepare", "task_label"]

_CACHE_SIZE = 16
MEMO_SIZE = 20_000  # words and phrases remembered per plan
_cache: OrderedDict[tuple[object, ...], tuple[UnitCatalogue, Prepared]] = OrderedDict()

# Leading words of an indicator's name that carry no meaning of their own.
HEAD_NOISE = ("ty le ", "muc do ", "chi tieu ")


def normalise_code(code: str) -> str:
    """A task code as ``find_task_codes`` writes it: ``02.b`` → ``2.B``, ``ii.3`` → ``II.3``."""
    parts = []
    for part in code.strip().split("."):
        part = part.strip()
        parts.append(str(int(part)) if part.isdigit() else part.upper())
    return ".".join(parts)


def task_label(task: TaskRef, words: int = 6) -> str:
    """``"II.1 Xây dựng kế hoạch kiểm soát…"``: the code and the first words."""
    content = task.content.split()
    head = " ".join(content[:words])
    more = "…" if len(content) > words else ""
    return f"{task.code} {head}{more}".strip()


_INDEX_WORDS = 40


def _index_text(content: str) -> str:
    """A task's content as the phrase index reads it: each word once, numbers left out.

    Contents run long (decree numbers, dates); the words that tell tasks apart come
    first, and scoring a fragment against fewer words is what keeps matching fast.
    """
    seen: dict[str, None] = {}
    for word in expand(content).split():
        if len(word) > 1 and not any(ch.isdigit() for ch in word):
            seen.setdefault(word, None)
    return " ".join(list(seen)[:_INDEX_WORDS])


def _head(text: str) -> str:
    key = expand(text)
    for noise in HEAD_NOISE:
        if key.startswith(noise):
            return key[len(noise) :]
    return key


@dataclass
class Prepared:
    tasks: list[TaskRef]
    by_id: dict[int, TaskRef]
    by_code: dict[str, list[TaskRef]]
    by_written: dict[str, list[TaskRef]]
    units: dict[int, UnitEntry]
    indicators: list[IndicatorRef]
    indicator_by_id: dict[int, IndicatorRef]
    indicator_index: PhraseIndex
    indicator_heads: dict[int, tuple[str, ...]]  # id → name and aliases without "tỷ lệ"
    indicator_counts: dict[int, str | None]  # id → what it is a ratio of (:mod:`.counted`)
    vocabulary: list[str]  # words of the indicator names (expanded fold keys)
    task_vocabulary: frozenset[str]
    task_words: dict[int, frozenset[str]]  # id → words of its content (expanded fold key)
    unit_words: frozenset[str]  # every word of a unit's name, alias or former name (folded)
    vocabulary_set: frozenset[str] = frozenset()
    acronyms: frozenset[str] = frozenset()  # initials of runs of 3-6 words of a name
    known_words: dict[str, bool] = field(default_factory=dict)
    joined_words: dict[str, str | None] = field(default_factory=dict)
    indicator_matches: dict[str, Any] = field(default_factory=dict)
    _content: dict[int | None, tuple[PhraseIndex, dict[int, TaskRef]]] = field(default_factory=dict)

    def unit_tasks(self, unit_id: int | None) -> list[TaskRef]:
        if unit_id is None:
            return self.tasks
        return [t for t in self.tasks if unit_id in t.unit_ids]

    def content_index(self, unit_id: int | None) -> tuple[PhraseIndex, dict[int, TaskRef]]:
        """The phrase index over the contents of the unit's tasks (all tasks for None)."""
        if unit_id not in self._content:
            tasks = self.unit_tasks(unit_id) or self.tasks
            items = [
                PhraseItem(t.id, t.code, (_index_text(t.content),)) for t in tasks if t.content
            ]
            self._content[unit_id] = (PhraseIndex(items), {t.id: t for t in tasks})
        return self._content[unit_id]

    def known_acronym(self, word: str) -> bool:
        return word in self.acronyms and not is_syllable(word)

    def joined(self, word: str) -> str | None:
        """A word typed without its spaces ("sohoa", "tructuyen", "dichvucong") as the
        indicator words it joins: when it is no syllable itself and splits into two or
        three syllables that are each a word of the names; None otherwise."""
        cache = self.joined_words
        if word not in cache:
            if len(cache) > MEMO_SIZE:
                cache.clear()
            cache[word] = None if is_syllable(word) else self._split(word, 3)
        return cache[word]

    def _split(self, word: str, parts: int) -> str | None:
        if word in self.vocabulary_set and is_syllable(word):
            return word
        if parts == 1:
            return None
        for cut in range(2, len(word) - 1):
            head = word[:cut]
            if head in self.vocabulary_set and is_syllable(head):
                rest = self._split(word[cut:], parts - 1)
                if rest is not None:
                    return f"{head} {rest}"
        return None

    def known_word(self, word: str) -> bool:
        """Whether ``word`` (folded, expanded) is, or is a typo of, an indicator word."""
        cache = self.known_words
        if word not in cache:
            if len(cache) > MEMO_SIZE:
                cache.clear()
            if word in self.vocabulary_set or self.known_acronym(word):
                cache[word] = True
            elif len(word) < 4 or not self.vocabulary:
                cache[word] = False
            elif len(word) == 4:
                # a letter left out of a five-letter word ("tuyn" for "tuyen"): the same
                # first letter, nothing else changed
                cache[word] = any(
                    len(v) == 5 and v[0] == word[0] and fuzz.ratio(word, v) >= 88
                    for v in self.vocabulary
                )
            else:
                cache[word] = (
                    process.extractOne(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=80)
                    is not None
                )
        return cache[word]


def _build(context: Context) -> Prepared:
    tasks = list(context.tasks)
    by_code: dict[str, list[TaskRef]] = defaultdict(list)
    by_written: dict[str, list[TaskRef]] = defaultdict(list)
    for task in tasks:
        by_code[normalise_code(task.code)].append(task)
        if task.written_code:
            by_written[normalise_code(task.written_code)].append(task)
    indicators = list(context.indicators)
    items = [PhraseItem(i.id, i.name, (i.name, *i.aliases)) for i in indicators]
    vocabulary: set[str] = set()
    acronyms: set[str] = set()
    for indicator in indicators:
        for text in (indicator.name, *indicator.aliases):
            words = expand(text).split()
            vocabulary.update(words)
            for size in range(3, 7):
                for start in range(len(words) - size + 1):
                    acronyms.add("".join(w[0] for w in words[start : start + size]))
    words_of = {task.id: frozenset(expand(task.content).split()) for task in tasks}
    task_words: set[str] = set()
    for words in words_of.values():
        task_words.update(w for w in words if len(w) >= 2)
    unit_words: set[str] = set(ABBREVIATIONS) | {w for k in KIND_WORDS for w in k.split()}
    for entry in context.catalogue.entries:
        for text in (entry.name, *entry.aliases, *entry.former):
            unit_words.update(fold(text.replace("&", " ")).split())
            unit_words.update(expand(text.replace("&", " ")).split())
    return Prepared(
        tasks=tasks,
        by_id={t.id: t for t in tasks},
        by_code=dict(by_code),
        by_written=dict(by_written),
        units={e.id: e for e in context.catalogue.entries},
        indicators=indicators,
        indicator_by_id={i.id: i for i in indicators},
        indicator_index=PhraseIndex(items),
        indicator_heads={i.id: tuple(_head(t) for t in (i.name, *i.aliases)) for i in indicators},
        indicator_counts={i.id: ratio_of(i.name, i.aliases) for i in indicators},
        vocabulary=sorted(w for w in vocabulary if not re.fullmatch(r"\d+", w)),
        vocabulary_set=frozenset(vocabulary),
        acronyms=frozenset(a for a in acronyms if not a.isdigit()),
        task_vocabulary=frozenset(task_words),
        task_words=words_of,
        unit_words=frozenset(unit_words),
    )


def prepare(context: Context) -> Prepared:
    """The indexes of ``context``, built on first use and cached.

    The cache is keyed on the catalogue object and on the tasks and indicators by
    value, so a service that builds a new Context for every message (same catalogue,
    same plan) still builds the indexes once.
    """
    key: tuple[object, ...] = (
        id(context.catalogue),
        tuple(context.tasks),
        tuple(context.indicators),
    )
    try:
        hash(key)
    except TypeError:  # unit ids given as a set: fall back on the objects' identity
        key = (id(context.catalogue), id(context.tasks), id(context.indicators))
    hit = _cache.get(key)
    if hit is not None and hit[0] is context.catalogue:
        _cache.move_to_end(key)
        return hit[1]
    prepared = _build(context)
    _cache[key] = (context.catalogue, prepared)
    while len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return prepared
