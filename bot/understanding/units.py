"""Which unit a message is about, and a message cut into one part per unit it names.

Owns :func:`find_unit` (a unit named in the text, with the words before it telling a
reporter from an addressee or a place; a leading type word and a name that matches
nothing: an unknown unit; else the sender's unit) and :func:`unit_parts` (a message
whose clauses each begin with a different unit, cut into one report per unit). Pure.
"""

from __future__ import annotations

import itertools
import re

from bot.language.normalize import nfc, plain
from bot.language.statuses import find_statuses, split_reason
from bot.matching import Decision, UnitSpan
from bot.understanding.intent import correction_prefix
from bot.understanding.model import (
    MAX_CANDIDATES,
    Context,
    Problem,
    ProblemCode,
    UnitDecision,
    UnitPick,
)
from bot.understanding.prepare import Prepared, prepare
from bot.understanding.text import WORD, Text, separators, word_set

__all__ = ["find_unit", "unit_parts"]

# What may stand before a unit's name at the start of a line: spaces and list marks.
_BULLET = " \t-–•*+>·:"
# A leading type word and the name after it ("xã Tân Lập", "P. Hồng Phong", "UBND x.Ba").
_TYPED_UNIT = re.compile(
    r"\s*(?:(?:ubnd|uy ban nhan dan)\s+)?"
    r"(?P<type>xa|phuong|thi tran|dac khu|(?:x|p|f)\s*\.)\s*"
)
# Words that end a unit's name as written after a type word.
_NAME_STOP = word_set(
    "nv nvu nhiem bao bc xong hoan ht dang da chua cham tre thang thg quy tuan ty nao the "
    "gui tinh tien hs so ket cap ve voi dat duoc co da la kinh xin em toi chung"
)
# The same, as typed with diacritics (their plain forms are also syllables of names).
_NAME_STOP_TYPED = word_set(
    "nhận thực triển tổ có không được vừa mới sẽ chúng mình chúng tôi đề hoàn rà công tiếp "
    "thông đến gửi nộp làm là và"
)
_NAME_MAX_WORDS = 4
_UNIT_RETRIES = 2
# Words before a unit's name that make it the addressee or a place, not the reporter.
_NOT_REPORTER = re.compile(
    r"(?<!\w)(?:gui|tai|o|voi|phoi hop|cung|den|toi|chuyen|nop|trinh|hon|so voi)\s*[:,]?\s*\Z"
)


def _in_reason(text: Text, start: int, end: int) -> bool:
    """Whether the unit named at ``start``–``end`` is in the reason given for a status
    ("nv 3.1 chậm do chờ xã Kim Sơn gửi số liệu"): named, not reporting."""
    hard, _soft = separators(text.p)
    clause = max((h + 1 for h in hard if h < start), default=0)
    before, reason = split_reason(text.t[clause:end])
    return reason is not None and clause + len(before) <= start and bool(find_statuses(before))


# "xã mình", "phường minh", "đơn vị mình": the sender's own unit ("mình" typed without
# its accent is also a syllable of names: "Xã Minh Sơn").
_OWN_UNIT = re.compile(r"(?<!\w)(?:xa|phuong|thi tran|don vi|dv|co quan|phong)\s+minh(?!\w)")


def _own_unit(text: Text, prep: Prepared, context: Context) -> tuple[int, int] | None:
    """Where the sender names their own unit ("xa minh da bao cao du chua"), unless the
    words name a unit ("xa minh son", a unit named "Minh"): not an unknown "Xã Minh"."""
    if context.sender_unit_id is None:
        return None
    p = text.masked_plain
    for m in _OWN_UNIT.finditer(p):
        after = WORD.search(p, m.end())
        longer = text.masked[m.start() : after.end()] if after else ""
        if longer and context.catalogue.match(longer).decision is Decision.MATCH:
            continue
        if any(plain(e.name) == m.group() for e in prep.units.values()):
            continue
        return m.span()
    return None


def find_unit(text: Text, prep: Prepared, context: Context) -> tuple[UnitPick, list[Problem]]:
    """The unit the message is about, its words blanked out in ``text``, and what is
    wrong with it (an ambiguous or unknown name). The sender's own unit named as such
    ("xã mình") is the sender's."""
    own = _own_unit(text, prep, context)
    if own is not None:
        text.mask(*own)
    masked = text.masked
    found = _find_in(prep, context, masked)
    retries = _UNIT_RETRIES
    while found is not None and (
        _NOT_REPORTER.search(text.p, 0, found.start) or _in_reason(text, found.start, found.end)
    ):
        # "Kính gửi Văn phòng UBND", "niêm yết tại Bộ phận Một cửa", "cao hơn xã A", "chậm
        # do chờ xã A gửi số liệu": named, not reporting.
        masked = masked[: found.start] + " " * (found.end - found.start) + masked[found.end :]
        found = _find_in(prep, context, masked) if retries else None
        retries -= 1
    if found is not None:
        written = text.t[found.start : found.end]
        span = (found.start, found.end)
        text.mask(*span)
        match = found.match
        if match.decision is Decision.MATCH and match.unit is not None:
            return UnitPick(UnitDecision.MATCH, match.unit, written=written, span=span), []
        choices = match.choices[:MAX_CANDIDATES]
        problem = Problem(ProblemCode.AMBIGUOUS_UNIT, written, tuple(c.name for c in choices))
        return UnitPick(UnitDecision.ASK, None, choices, written, span), [problem]
    unknown = _unknown_unit(text)
    if unknown is not None:
        start, end = unknown
        written = text.t[start:end]
        text.mask(start, end)
        nearest = context.catalogue.match(written).candidates[:3]
        problem = Problem(ProblemCode.UNKNOWN_UNIT, written, tuple(c.entry.name for c in nearest))
        return UnitPick(UnitDecision.NONE, None, written=written, span=(start, end)), [problem]
    if context.sender_unit_id is not None:
        entry = prep.units.get(context.sender_unit_id)
        if entry is not None:
            return UnitPick(UnitDecision.SENDER, entry), []
    return UnitPick(UnitDecision.NONE), []


_OPENERS = frozenset({"ubnd", "uy", "ttpvhcc", "xa", "phuong", "p", "x", "f", "q", "tt", "dk"})
_TWO_WORD_OPENERS = frozenset({"dac khu", "thi tran", "thi xa", "thanh pho", "trung tam"})
_AFTER_OPENER = 5  # words kept after a type word: the name, even misspelt


def _find_in(prep: Prepared, context: Context, masked: str) -> UnitSpan | None:
    """``catalogue.find_in`` on the runs of words that may name a unit.

    Words that are in no unit's name and do not follow a type word cannot be part of
    a unit's name as written, so each run between them is searched on its own: the
    same unit as searching the whole message (save for messages naming several), for
    a fraction of the windows.
    """
    p = plain(masked)
    words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(p)]
    keep = [False] * len(words)
    for i, (_s, _e, word) in enumerate(words):
        two = f"{word} {words[i + 1][2]}" if i + 1 < len(words) else ""
        if word in _OPENERS or two in _TWO_WORD_OPENERS:
            for j in range(i, min(len(words), i + _AFTER_OPENER + 1 + (1 if two else 0))):
                keep[j] = True
        elif word in prep.unit_words:
            keep[i] = True
    best: tuple[tuple[float, ...], UnitSpan] | None = None
    i = 0
    while i < len(words):
        if not keep[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(words) and keep[j + 1]:
            j += 1
        start, end = words[i][0], words[j][1]
        found = context.catalogue.find_in(masked[start:end])
        if found is not None and found.match.best is not None:
            span = UnitSpan(found.match, found.start + start, found.end + start)
            size = float(len(WORD.findall(p, span.start, span.end)))
            weight = 2.0 if found.match.decision is Decision.MATCH else 1.0
            rank = (weight, found.match.best.score, size, float(-span.start))
            if best is None or rank > best[0]:
                best = (rank, span)
        i = j + 1
    return _tightened(prep, context, masked, best[1]) if best else None


def _tightened(prep: Prepared, context: Context, masked: str, found: UnitSpan) -> UnitSpan:
    """The shortest start of the span that names the same unit the same way.

    A window may run on past the name ("xã Kim Sơn tình hình …" reads "tình" as a
    province qualifier); those words belong to the message.
    """
    p = plain(masked)
    words = list(WORD.finditer(p, found.start, found.end))
    best = found.match.best
    if best is None or len(words) < 2 or words[-1].group() in prep.unit_words:
        return found
    for word in words[:-1]:
        match = context.catalogue.match(masked[found.start : word.end()])
        if (
            match.decision is found.match.decision
            and match.best is not None
            and match.best.entry.id == best.entry.id
        ):
            return UnitSpan(match, found.start, word.end())
    return found


def _unknown_unit(text: Text) -> tuple[int, int] | None:
    """A leading type word and the name written after it (``xã Tân Lập``, also after a
    list dash), if any."""
    p = text.masked_plain
    lead = len(p) - len(p.lstrip(_BULLET))
    m = _TYPED_UNIT.match(p, lead)
    if m is None:
        return None
    if m.group("type") in ("xa", "phuong") and not p[m.end("type") : m.end("type") + 1].isspace():
        return None
    end = m.end()
    words = 0
    for word in WORD.finditer(p, m.end()):
        between = p[end : word.start()]
        if words and between.strip():
            break  # punctuation ends the name
        typed = text.t[word.start() : word.end()].lower()
        if (
            word.group() in _NAME_STOP
            or typed in _NAME_STOP_TYPED
            or any(ch.isdigit() for ch in word.group())
        ):
            break
        end = word.end()
        words += 1
        if words == _NAME_MAX_WORDS:
            break
    if not words:
        return None
    return lead, end


_LIST_JOIN = re.compile(r"\s*(?:,|&|\+|va\b)\s*")


def _first_unit(prep: Prepared, context: Context, text: str) -> UnitSpan | None:
    """The first unit ``text`` names (``_find_in`` gives the surest one, which may come
    after another: "Tân Trịnh, Hà Giang 1: …")."""
    found = _find_in(prep, context, text)
    while found is not None and (earlier := _find_in(prep, context, text[: found.start])):
        found = earlier
    return found


def _units_listed(t: str, prep: Prepared, context: Context) -> str:
    """The text with each clause that opens with units listed ("Tân Trịnh, Hàm Yên: nv
    4.2 đã gửi báo cáo", "Xã A và xã B nv 2.1 xong", also after a heading: "Số liệu tháng
    10: xã A, xã B số hóa 80/100") written once per unit ("Tân Trịnh: …\nHàm Yên: …"):
    what follows the list is each one's report (it was stored for the first unit alone)."""
    p = plain(t)
    hard, _soft = separators(p)
    out: list[str] = []
    for left, right in itertools.pairwise([-1, *hard, len(t)]):
        clause = t[left + 1 : right]
        named: list[tuple[int, int]] = []
        found = _first_unit(prep, context, clause)
        lead = len(clause) - len(clause.lstrip(_BULLET))
        heading = found is not None and clause[: found.start].rstrip().endswith(":")
        if found is not None and (heading or not clause[lead : found.start].strip(_BULLET)):
            named.append((found.start, found.end))
            while (join := _LIST_JOIN.match(plain(clause), named[-1][1])) is not None:
                rest = clause[join.end() :]
                more = _first_unit(prep, context, rest)
                if more is None or rest[: more.start].strip():
                    break
                named.append((join.end() + more.start, join.end() + more.end))
        if len(named) < 2:
            out.append(t[max(left, 0) : right])
            continue
        body = clause[named[-1][1] :]
        lines = [f"{clause[a:b]}{body}" for a, b in named]
        # a heading before them ("Số liệu tháng 10:") on a line of its own: every unit's
        head = clause[: named[0][0]]
        head = f"{head.rstrip()}\n" if head.strip(_BULLET) else head
        out.append(t[max(left, 0) : left + 1] + head + "\n".join(lines))
    return "".join(out)


def unit_parts(text: str, context: Context) -> list[str]:
    """The message cut where a line or clause (after ";", a new line, a full stop, or a
    comma when a task code or a figure follows) begins with a unit's name, when two
    different units are named so ("Xã A: số hóa 80/100; Xã B: số hóa 90/100", "xa A so
    hoa 80/100, xa B so hoa 90/100"), or units are listed before one report (each gets it:
    :func:`_units_listed`): each part is read as a report of its own. Words before the
    first unit (a period, "sửa:", "số liệu tháng 11:") go with every part. One part, the
    whole text, otherwise."""
    if not isinstance(text, str):
        return [""]
    prep = prepare(context)
    t = _units_listed(nfc(text), prep, context)
    p = plain(t)
    hard, both = separators(p)
    hard_at = set(hard)
    bounds = [-1, *both, len(t)]
    starts: list[tuple[int, str]] = []  # where a unit opens a clause, and which one
    for left, right in itertools.pairwise(bounds):
        clause = t[left + 1 : right]
        after_comma = left >= 0 and left not in hard_at
        if after_comma and not any(c.isdigit() for c in clause) and not find_statuses(clause):
            continue  # after a comma, a unit with a report of its own ("…, xã B nv 2.1 xong")
        lead = len(clause) - len(clause.lstrip(_BULLET))
        prefix = correction_prefix(plain(clause)) if not starts else None
        if prefix is not None:  # "sửa: Xã A: …; Xã B: …"
            lead = prefix[0] + len(clause[prefix[0] :]) - len(clause[prefix[0] :].lstrip(_BULLET))
        if lead == len(clause):
            continue
        found = _find_in(prep, context, clause)
        before = clause[lead : found.start] if found is not None else ""
        # the first unit may follow a heading and its colon ("nv 4.3: xã A xong, xã B …",
        # "Số liệu tháng 11: xã A …"): the heading goes with every part
        heading = not starts and before.rstrip().endswith(":")
        if found is not None and (heading or not before.strip(_BULLET)):
            unit = found.match.unit  # an unsure name is told apart by how it is written
            key = f"#{unit.id}" if unit else plain(clause[found.start : found.end])
            starts.append((left + 1 + found.start, key))
            continue
        typed = _unknown_unit(Text(clause[lead:]))  # "Xã Tân Lập:" not in the list
        if typed is not None:
            start, end = lead + typed[0], lead + typed[1]
            starts.append((left + 1 + start, plain(clause[start:end])))
    if len({key for _start, key in starts}) < 2:
        return [text]
    preamble = t[: starts[0][0]]
    ends = [start for start, _key in starts[1:]] + [len(t)]
    parts = zip(starts, ends, strict=True)
    return [preamble + t[start:end].rstrip(_BULLET + ";.,\n\r") for (start, _key), end in parts]
