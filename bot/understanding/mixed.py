"""A message that reports and asks: where its report ends and its question begins.

Owns :func:`split_question`: "nv 3.1 xong, nv 3.2 thế nào?", "so hoa 85%, ho so truc
tuyen dat chua?", "nv 1.1 xong. còn nv 1.3 ra sao?", "nv 2.1 xong\\nxã nào chậm?" are cut
into the clauses that report and the clauses that ask. Whether each part then reads as
a report and as a question is for :func:`bot.understanding.interpret` to decide (it
reads each part on its own, and the whole message as before when they do not). Pure.

A clause is what lies between separators (hard: ``;``, a new line, a full stop, ``!``,
``?``; soft: a comma, a spaced dash). A clause asks when it holds question words
("thế nào", "ra sao", "bao nhiêu", "xã nào", "đạt chưa", "xong không" …), when it ends
with "?" and holds no status and no figure ("còn nv 1.2?"), or when a sentence opens
with "tình hình", "tiến độ" … and holds neither. Inside one clause that asks, a status
or a figure written before the question words, followed by a task code or other words,
ends the report there ("nv 3.1 xong nv 3.2 thế nào"), or a "còn" after it does ("nv 3.1
xong còn 3.2 thì sao"). A leading "còn" ("and what about") is left out of the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.language.normalize import nfc, plain
from bot.language.numbers import find_quantities, find_task_codes
from bot.language.statuses import find_statuses
from bot.understanding.intent import opens_asking, question_words
from bot.understanding.text import WORD, separators

__all__ = ["Split", "split_question"]


@dataclass(frozen=True)
class Split:
    """The message with the question blanked out, and with the report blanked out (both
    the length of the NFC text; a blanked run that separates two parts opens with a new
    line, so the parts never run together)."""

    report: str
    question: str


# "còn", "thế còn", "vậy còn", "con" typed without diacritics: "and what about …".
_STILL = re.compile(r"(?<!\w)(?:(?:the|vay|the thi|vay thi) )?con(?!\w)")
_STILL_FORMS = frozenset({"còn", "con"})
# Words that join a report to its question and say nothing themselves.
_FILLER = frozenset({"con", "va", "thi", "the", "vay", "nhung", "la", "a", "oi", "voi", "nhe"})


def split_question(text: str) -> Split | None:
    """The report part and the question part of ``text``; None when no clause asks or
    every clause does (the message is read whole, as a report or as a question)."""
    t = nfc(text) if isinstance(text, str) else ""
    p = plain(t)
    if not p.strip():
        return None
    hard, soft = separators(p)
    hard_set = set(hard)
    owner = [""] * len(t)  # per character: "r" (report) or "q" (question)
    starts = [0, *(s + 1 for s in soft)]
    ends = [*soft, len(p)]
    asked = False
    reported = False
    for start, end in zip(starts, ends, strict=True):
        cut = _clause(t, p, start, end, opens=start == 0 or start - 1 in hard_set)
        last = min(end + 1, len(t))  # the separator goes with its clause
        for i in range(start, last):
            owner[i] = "q" if cut is not None and i >= cut else "r"
        if cut is not None:
            asked = True
            if WORD.search(p, start, cut):
                reported = True
        elif WORD.search(p, start, end):
            reported = True
    if not asked or not reported:
        return None
    return Split(_keep(t, p, owner, "r"), _keep(t, p, owner, "q"))


def _clause(t: str, p: str, start: int, end: int, *, opens: bool) -> int | None:
    """Where the question begins in the clause ``p[start:end]``; None when it does not ask."""
    words = question_words(t, p, start, end)
    sep = p[end] if end < len(p) else ""
    clause_t = t[start:end]
    statuses = [(start + s.span[0], start + s.span[1]) for s in find_statuses(clause_t)]
    figures = [(start + q.span[0], start + q.span[1]) for q in find_quantities(clause_t)]
    if not words:
        plainly = not statuses and not figures
        if plainly and (sep == "?" or (opens and opens_asking(p[start:end]))):
            return start
        return None
    first = words[0][0]
    before = [span for span in [*statuses, *figures] if span[1] <= first]
    if not before:
        return start
    reported_end = max(e for _s, e in before)
    cut = reported_end
    for m in _STILL.finditer(p, reported_end, first):
        if t[m.end() - 3 : m.end()].lower() in _STILL_FORMS:
            cut = m.start()
            break
    asked = find_task_codes(t[cut:end]) or any(
        w.group() not in _FILLER for w in WORD.finditer(p, cut, first)
    )
    if not asked:
        return None  # "hoàn thành 100% chưa" with nothing else: read as today
    return cut


def _keep(t: str, p: str, owner: list[str], side: str) -> str:
    """``t`` with the other side's characters blanked, a new line opening each blanked
    run that has text of this side before it; a leading "còn" of the question blanked."""
    out = []
    kept_before = False
    previous = side
    for i, ch in enumerate(t):
        if owner[i] == side:
            out.append(ch)
            kept_before = kept_before or not ch.isspace()
        elif previous == side and kept_before:
            out.append("\n")
        else:
            out.append(" ")
        previous = owner[i]
    kept = "".join(out)
    if side == "q":
        kept = _STILL_LEAD.sub(lambda m: " " * len(m.group()), kept)
    return kept


# A "còn" (or "thế còn", "vậy còn") opening a question's clause: only the joining word.
_STILL_LEAD = re.compile(
    r"(?:^|(?<=[\n,;.!?]))\s*(?:(?:thế|vậy|the|vay)\s+)?(?:còn|con)(?!\w)", re.IGNORECASE
)
