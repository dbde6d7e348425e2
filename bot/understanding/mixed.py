"""A message that reports and asks: where its report ends and its question begins.

Owns :func:`split_question`: "nv 3.1 xong, nv 3.2 thế nào?", "so hoa 85%, ho so truc
tuyen dat chua?", "nv 1.1 xong. còn nv 1.3 ra sao?", "nv 2.1 xong\\nxã nào chậm?" are cut
into the clauses that report and the clauses that ask. Whether each part then reads as
a report and as a question is for :func:`bot.understanding.interpret` to decide (it
reads each part on its own, and the whole message as before when they do not). Pure.

A clause is what lies between separators (hard: ``;``, a new line, a full stop, ``!``,
``?``; soft: a comma, a spaced dash). A clause asks when it holds question words
("thế nào", "ra sao", "bao nhiêu", "xã nào", "đạt chưa", "xong không" …), when it ends
with "?" and holds no status and no figure ("còn nv 1.2?"), or when the last sentence
is "tình hình …", "tiến độ …" with neither (before a report, or before a colon, such a
line is the report's heading: "Tình hình tháng 10\nnv 3.1 xong", "Tiến độ:"). Inside one
clause, a status or a figure written before the question words ends the report; the
question begins at what it is about: a "còn" ("nv 3.1 xong còn 3.2 thì sao", also
before a "?" with no question words), else a task code ("nv 3.1 xong nv 3.2 thế nào"),
else question words that name it ("… xong xã nào chậm?"), else "tình hình", "tiến độ",
else right after the report when words stand before "thế nào", "đạt chưa" ("số hóa 85%
hồ sơ trực tuyến đạt chưa"); with nothing between ("nv 3.1 xong thế nào", "85% đạt
chưa") the clause is not cut. A leading "còn" is left out of the question.

:func:`words_after_codes` tells a report whose status was not understood ("3.1 ok, 3.2
thế nào": the reply asks for it) from the codes a question is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.language.normalize import nfc, plain
from bot.language.numbers import find_quantities, find_task_codes
from bot.language.statuses import find_statuses
from bot.understanding.intent import opens_asking, question_words
from bot.understanding.text import WORD, separators

__all__ = ["Split", "split_question", "words_after_codes"]


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
# Question words that name what they ask about, so the question begins with them:
# "nv 3.1 xong xã nào chậm?", "… tình hình tháng này thế nào?".
_SUBJECT = re.compile(
    r"(?:xa|phuong|don vi|nhiem vu|nv|noi dung|chi tieu|ai|co quan|phong|tinh hinh|tien do|"
    r"ket qua|so lieu)(?!\w)"
)
_SUMMARY = re.compile(r"(?<!\w)(?:tinh hinh|tien do|ket qua|so lieu)(?!\w)")
# "nv", "nhiệm vụ" right before a task code.
_CODE_LEAD = re.compile(r"(?<!\w)(?:nv|nvu|nhiem vu|nhiemvu)\s*[.:]?\s*$")
# A reason right after a status: "chậm do …", "chưa xong vì …" ("độ", "đo" are other
# words; "vì" is typed with or without its accent).
_REASON = re.compile(r"[\s,:\-–]*(?P<word>do|vi|ly do|li do|nguyen nhan|tai vi|boi vi)(?!\w)")
_REASON_FORMS = {"vi": frozenset({"vì"}), "ly do": frozenset({"lý do", "lí do"})}
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
        # "tình hình …" asks as the last sentence; before a report it is its heading
        last = WORD.search(p, end) is None
        alone = last and (start == 0 or start - 1 in hard_set)
        cut = _clause(t, p, start, end, opens=alone)
        stop = min(end + 1, len(t))  # the separator goes with its clause
        for i in range(start, stop):
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
    said = [*statuses, *figures]
    if not words:
        if not said:
            if sep == "?" or (opens and opens_asking(p[start:end])):
                return start
            return None
        if sep != "?":
            return None
        # "nv 3.1 xong thế còn nv 3.2?": a "còn" after what is reported opens the question
        still = _still(t, p, max(e for _s, e in said), end)
        return still if still is not None and _names(t, p, still, end) else None
    first, first_end = words[0]
    before = [span for span in said if span[1] <= first]
    if not before:
        return start
    reported_end = max(e for _s, e in before)
    # What the question is about begins at a "còn", else at a task code, else at the
    # question words when they name it ("xã nào", "tình hình"), else at "tình hình",
    # "tiến độ" before them; else right after what is reported, when words name
    # something before "thế nào", "đạt chưa" … (an indicator: "hồ sơ trực tuyến").
    cut = _still(t, p, reported_end, first)
    if cut is None:
        cut = _code_start(t, p, reported_end, first)
    if cut is None and _SUBJECT.match(p, first, first_end):
        cut = first
    if cut is None:
        summary = _SUMMARY.search(p, reported_end, first)  # "tiến độ xã A thế nào"
        cut = summary.start() if summary is not None else None
    if cut is None:
        cut = reported_end
        if not _names(t, p, cut, first):
            return None  # "nv 3.1 xong thế nào", "85% đạt chưa": read whole, as before
        if _reason_at(t, p, cut):
            return None  # "chậm do chưa biết làm thế nào": the words are the reason's
    return cut


def _reason_at(t: str, p: str, at: int) -> bool:
    """Whether a reason ("do …", "vì …", "lý do …") begins at ``at``."""
    m = _REASON.match(p, at)
    if m is None:
        return False
    word = m.group("word")
    typed = t[m.start("word") : m.end("word")].lower()
    return typed == word or typed in _REASON_FORMS.get(word, frozenset())


def _still(t: str, p: str, start: int, end: int) -> int | None:
    """Where a "còn" ("thế còn", "vậy còn") stands in ``p[start:end]``, if one does."""
    for m in _STILL.finditer(p, start, end):
        if t[m.end() - 3 : m.end()].lower() in _STILL_FORMS:
            return m.start()
    return None


def _code_start(t: str, p: str, start: int, end: int) -> int | None:
    """Where the first task code in ``p[start:end]`` begins, with its "nv" before it."""
    codes = find_task_codes(t[start:end])
    if not codes:
        return None
    at = start + codes[0].span[0]
    lead = _CODE_LEAD.search(p, start, at)
    return lead.start() if lead is not None else at


def _names(t: str, p: str, start: int, end: int) -> bool:
    """Whether ``p[start:end]`` names something to ask about: a task code, or a word that
    is not only a joining word."""
    if find_task_codes(t[start:end]):
        return True
    return any(w.group() not in _FILLER for w in WORD.finditer(p, start, end))


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


def words_after_codes(text: str) -> bool:
    """Whether a task code in ``text`` is followed by words of its own before the next
    code or separator ("3.1 ok", "nv 3.1 xng"): a report tried, whose status was not
    understood, rather than the codes a question is about ("nv 3.1, nv 3.2 thế nào?")."""
    t = nfc(text) if isinstance(text, str) else ""
    p = plain(t)
    _hard, soft = separators(p)
    codes = find_task_codes(t)
    for index, code in enumerate(codes):
        end = code.span[1]
        stop = codes[index + 1].span[0] if index + 1 < len(codes) else len(p)
        stop = min([stop, *(s for s in soft if s >= end)])
        lead = _CODE_LEAD.search(p, end, stop)
        if lead is not None:
            stop = lead.start()
        if any(w.group() not in _FILLER for w in WORD.finditer(p, end, stop)):
            return True
    return False
