"""Indicator figures: the words that name an indicator next to a quantity, the
indicator they name, and the figure as reported.

Owns reading the phrase before a quantity (known indicator words, back to an unknown
one) or after it ("72% hồ sơ trực tuyến"), matching it to one of the plan's
indicators (:func:`match_indicator`, memoised per plan), the :class:`IndicatorItem`
a quantity makes with the problems of its value (:func:`indicator_item`), and the
indicator a question names (:func:`query_indicator`). Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.language.abbreviations import expand
from bot.language.numbers import Quantity
from bot.matching import Decision, PhraseMatch
from bot.understanding.model import MAX_CANDIDATES, IndicatorItem, Problem, ProblemCode
from bot.understanding.prepare import HEAD_NOISE, MEMO_SIZE, Prepared
from bot.understanding.text import HUNDRED, Text, word_set, word_tokens

__all__ = [
    "IndicatorMatch",
    "Phrase",
    "indicator_item",
    "match_indicator",
    "names_enough",
    "phrase_after",
    "phrase_before",
    "query_indicator",
    "unit_word_start",
]

# Words at either end of an indicator phrase that are not part of the name (and kept
# inside it: "đồng bộ lên Cổng DVC").
_EDGE_FILLER = word_set(
    "dat la duoc khoang chiem uoc hien nay moi chi tieu da thi con tam gan hon bang co voi tai "
    "trong cua va ca tong cong den toi dc xap xi tren la em bao cao bc len vao"
)
# Words quoted from before a figure when none of them names an indicator.
_FALLBACK_WORDS = 6
# The most words of a question tried as an indicator's name.
_QUERY_WORDS = 6
# Words of a question that are not the indicator's ("kết quả số hóa", "số liệu").
_QUERY_FILLER = frozenset({"ket", "qua", "lieu", "chi", "tieu", "cac", "xa", "phuong", "nao"})


@dataclass
class Phrase:
    """The words read as an indicator's name next to a quantity."""

    written: str
    key: str  # expanded fold key of the kept words
    span: tuple[int, int]
    known: bool = True  # made of indicator words (else: the words before, as written)


# Spellings of filler words that the indicator names write otherwise.
_TOKEN_FIX = {
    "ti": "ty",
    "tyle": "ty le",
    "tile": "ty le",
    "tl": "ty le",
    "tt": "truc tuyen",  # "hồ sơ TT", "thanh toán tt"; "TT trực tuyến": below
    "online": "truc tuyen",
    "nop": "ho so",  # "nộp trực tuyến": dossiers filed online (not "nộp phí": below)
    "onl": "truc tuyen",
    "ttoan": "thanh toan",
    "hl": "hai long",
    "ng": "nguoi",  # "hài lòng ng dân": a phone's short "người"
    "ndan": "nguoi dan",
    "dn": "doanh nghiep",
}


def _spelled(prep: Prepared, token: str) -> str | None:
    """The token if it is an indicator word (or a short form of some, or a typo of one);
    the words it joins if it was typed without its spaces ("sohoa": "so hoa"); else None."""
    words = expand(_TOKEN_FIX.get(token, token)).split()
    if words and all(prep.known_word(w) for w in words):
        return token
    return prep.joined(token)


def phrase_before(prep: Prepared, text: Text, p: str, left: int, right: int) -> Phrase | None:
    """The indicator words right before a quantity: known words, back to an unknown one.

    With no known word right before it, the last few words (for the reply to quote).
    """
    tokens = word_tokens(p, left, right)
    kept: list[tuple[int, int, str]] = []
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        if token[2] == "do" and index and tokens[index - 1][2] == "trong":
            break  # "trong đó" (of which) ends the name: "…120 hồ sơ, trong đó trực tuyến 90"
        if kept and ":" in p[token[1] : kept[-1][0]]:
            break  # a heading before a colon ends it: "Số liệu quý 3: số hóa 88%"
        spelled = _spelled(prep, token[2])
        if spelled is not None or token[2] in _EDGE_FILLER:
            kept.append((token[0], token[1], spelled or token[2]))
            continue
        break
    kept.reverse()
    phrase = _trimmed(text, kept)
    if phrase is None:
        # the words of its clause before it, for the reply to quote ("DVC trực tuyến
        # toàn trình 45%": not "tuyến toàn trình")
        rest: list[tuple[int, int, str]] = []
        for token in reversed(tokens):
            if rest and re.search(r"[:,;]", p[token[1] : rest[-1][0]]):
                break
            if token[2] not in _EDGE_FILLER:
                rest.append(token)
            if len(rest) == _FALLBACK_WORDS:
                break
        phrase = _trimmed(text, rest[::-1], known=False)
    return phrase


def phrase_after(prep: Prepared, text: Text, p: str, left: int, right: int) -> Phrase | None:
    """The indicator words right after a quantity's noun ("72% hồ sơ trực tuyến")."""
    tokens = word_tokens(p, left, right)
    kept: list[tuple[int, int, str]] = []
    for token in tokens:
        spelled = _spelled(prep, token[2])
        if spelled is not None or token[2] in _EDGE_FILLER:
            kept.append((token[0], token[1], spelled or token[2]))
            continue
        break
    return _trimmed(text, kept)


def unit_word_start(p: str, q: Quantity) -> int:
    """Where the quantity's noun starts ("180 hồ sơ" → "hồ sơ"), to read it with what follows."""
    if q.unit_word is None:
        return q.span[1]
    pattern = r"\s+".join(re.escape(w) for w in q.unit_word.split()) + r"\Z"
    m = re.search(pattern, p[q.span[0] : q.span[1]])
    return q.span[0] + m.start() if m else q.span[1]


def _longest_known_run(prep: Prepared, p: str) -> list[tuple[int, int, str]]:
    best: list[tuple[int, int, str]] = []
    run: list[tuple[int, int, str]] = []
    for token in word_tokens(p, 0, len(p)):
        spelled = _spelled(prep, token[2])
        if spelled is not None and token[2] not in _QUERY_FILLER:
            run.append((token[0], token[1], spelled))
            if len(run) > len(best):
                best = list(run)
        else:
            run = []
    return best


def _trimmed(text: Text, kept: list[tuple[int, int, str]], *, known: bool = True) -> Phrase | None:
    while kept and kept[0][2] in _EDGE_FILLER:
        kept = kept[1:]
    while kept and kept[-1][2] in _EDGE_FILLER:
        kept = kept[:-1]
    if not kept:
        return None
    start, end = kept[0][0], kept[-1][1]
    words = [token for _s, _e, token in kept]
    key = " ".join(expand(_fixed(token, words[i + 1 : i + 2])) for i, token in enumerate(words))
    return Phrase(text.t[start:end], key, (start, end), known)


def _fixed(token: str, following: list[str]) -> str:
    """The token as indicator names write it: "tt" is "trực tuyến", but "thanh toán"
    before "trực tuyến" ("TT trực tuyến", "tt online"); "nộp" is filing dossiers, but
    paying before a fee or tax ("nộp phí", "nộp thuế")."""
    after = _TOKEN_FIX.get(following[0], following[0]) if following else ""
    if token == "tt" and after in ("truc", "truc tuyen"):
        return "thanh toan"
    if token == "nop" and after in ("phi", "le", "thue", "tien"):
        return "thanh toan"
    return _TOKEN_FIX.get(token, token)


def names_enough(prep: Prepared, phrase: Phrase | None) -> bool:
    """Two words or more, or an acronym: one common word ("độ", "kết") names nothing."""
    if phrase is None or not phrase.known:
        return False
    words = phrase.key.split()
    return len(words) >= 2 or prep.known_acronym(words[0])


@dataclass(frozen=True)
class IndicatorMatch:
    """The plan's indicators a phrase names: one (``MATCH``), several to choose from
    (``ASK``), or none."""

    decision: Decision
    ids: tuple[int, ...]
    names: tuple[str, ...]
    strong: bool = True  # False: chosen only because the phrase starts one name
    confirm: bool = False  # one to ask about: the phrase names more than it


def match_indicator(prep: Prepared, key: str) -> IndicatorMatch:
    """The indicators a phrase's key names (remembered per plan); a phrase that starts
    only one indicator's name chooses it, weakly."""
    cache = prep.indicator_matches
    if key in cache:
        return cache[key]
    if len(cache) > MEMO_SIZE:
        cache.clear()
    match: PhraseMatch = prep.indicator_index.match(key)
    decision = match.decision
    candidates = list(match.candidates)
    if decision is not Decision.MATCH:
        head = key
        for noise in HEAD_NOISE:
            if head.startswith(noise):
                head = head[len(noise) :]
        if len(head) >= 4:
            pool = candidates or [None]
            heads = [
                i.id
                for i in prep.indicators
                if (pool == [None] or any(c.item.id == i.id for c in candidates))
                and any(h == head or h.startswith(head + " ") for h in prep.indicator_heads[i.id])
            ]
            if len(heads) == 1:
                chosen = prep.indicator_by_id[heads[0]]
                result = IndicatorMatch(Decision.MATCH, (chosen.id,), (chosen.name,), False)
                cache[key] = result
                return result
    top = candidates[:1] if decision is Decision.MATCH else candidates[:MAX_CANDIDATES]
    # one indicator close enough to ask about, but the phrase also says what another
    # names and it does not ("hồ sơ đúng hạn" for "… phản ánh, kiến nghị đúng hạn"): asked,
    # not taken
    confirm = (
        decision is Decision.ASK
        and len(top) == 1
        and prep.indicator_index.leaves_out(key, top[0].item.id)
    )
    result = IndicatorMatch(
        decision, tuple(c.item.id for c in top), tuple(c.item.label for c in top), confirm=confirm
    )
    cache[key] = result
    return result


def indicator_item(
    prep: Prepared, q: Quantity, phrase: Phrase | None, match: IndicatorMatch | None
) -> tuple[IndicatorItem, list[Problem]]:
    """The figure a quantity reports for the indicator it names, and what is wrong with
    it (an unknown or ambiguous indicator, a value out of range)."""
    problems: list[Problem] = []
    written = phrase.written if phrase else ""
    item = IndicatorItem(written=written, quantity=q.text)
    subject = written or q.text
    if match is None or match.decision is Decision.NONE or not match.ids:
        names = match.names if match and match.names else tuple(i.name for i in prep.indicators)
        problems.append(Problem(ProblemCode.UNKNOWN_INDICATOR, subject, names[:10]))
        measure = "%"
    elif match.decision is Decision.ASK and (len(match.ids) > 1 or match.confirm):
        item.indicator_ids = match.ids
        problems.append(Problem(ProblemCode.AMBIGUOUS_INDICATOR, subject, match.names))
        measures = {prep.indicator_by_id[i].measure for i in match.ids}
        measure = measures.pop() if len(measures) == 1 else "%"
    else:
        item.indicator_ids = match.ids[:1]
        measure = prep.indicator_by_id[match.ids[0]].measure
    percent = measure == "%"

    def out_of_range() -> None:
        if item.indicator_ids:  # an unknown indicator's range is unknown too
            problems.append(Problem(ProblemCode.VALUE_OUT_OF_RANGE, subject, value=q.text))

    if q.kind == "percent":
        item.value = q.value
        if q.value is None or not percent or q.value < 0 or q.value > HUNDRED:
            out_of_range()
    elif q.kind == "ratio":
        item.numerator, item.denominator = q.numerator, q.denominator
        if q.numerator == 0 and q.denominator == 0 and item.indicator_ids:
            item.not_arising = True  # "0/0": nothing arose, no figure
        elif not q.denominator or q.numerator is None:
            out_of_range()
        else:
            item.value = q.value if percent else q.numerator
            if q.numerator < 0 or q.denominator < 0:
                out_of_range()
            elif q.numerator > q.denominator:
                problems.append(
                    Problem(ProblemCode.NUMERATOR_EXCEEDS_DENOMINATOR, subject, value=q.text)
                )
    else:
        item.value = q.value
        if q.value is None or q.value < 0:
            out_of_range()
        elif percent and item.indicator_ids and (q.unit_word is not None or q.value > HUNDRED):
            # a count of dossiers is not a percentage: the total it is of is missing
            problems.append(Problem(ProblemCode.COUNT_FOR_PERCENT, subject, value=q.text))
    return item, problems


def query_indicator(prep: Prepared, source: Text, p: str) -> tuple[Phrase, IndicatorMatch] | None:
    """The indicator a question names: the longest run of its words that matches one."""
    run = _longest_known_run(prep, p)[:_QUERY_WORDS]
    for size in range(len(run), 0, -1):
        for start in range(len(run) - size + 1):
            phrase = _trimmed(source, run[start : start + size])
            if phrase is None:
                continue
            if not names_enough(prep, phrase):
                continue
            match = match_indicator(prep, phrase.key)
            if match.decision is Decision.MATCH:
                return phrase, match
    return None
