"""Which status each task mention takes, the runs of codes that share one, and the
reason written after a status.

Owns :func:`assign_statuses` (a status after codes in the same soft clause applies to
them and to no code after it, one before codes with none after applies forward, a line
of nothing but codes takes the status of the lines around it, a line with other words
takes none),
:func:`number_groups` (codes sharing a status and a clause share a percentage) and
:func:`status_notes` ("chậm do thiếu nhân lực"). Pure.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

from bot.language.normalize import plain
from bot.language.statuses import split_reason
from bot.understanding.text import WORD, Events, TaskMention, Text, word_set

__all__ = ["assign_statuses", "number_groups", "status_notes"]


def _forward(events: Events, index: int, masked: str) -> bool:
    """Whether a status applies to the codes after it ("Hoàn thành: 1.1, 1.2")."""
    mention = events.statuses[index]
    start, end = mention.span
    if re.match(r"\s*[:\-–]", masked[end : end + 4]):
        return True
    clause = events.soft_of(start)
    before = after = False
    for item in events.codes:
        if events.soft_of(item.span[0]) != clause:
            continue
        if item.span[1] <= start:
            # Only codes after the previous status of the clause count as "before".
            previous = [s for s in events.statuses[:index] if events.soft_of(s.span[0]) == clause]
            if not previous or item.span[0] >= previous[-1].span[1]:
                before = True
        elif item.span[0] >= end:
            after = True
    return after and not before


_LIST_WORDS = word_set("nv nvu nhiem vu muc va so stt cong viec noi dung")


def assign_statuses(events: Events, masked: str) -> None:
    """Give each task mention the index of its status mention (or None)."""
    statuses = events.statuses
    blank = list(plain(masked))
    for c in events.codes:
        blank[c.span[0] : c.span[1]] = " " * (c.span[1] - c.span[0])
    for s in statuses:
        blank[s.span[0] : s.span[1]] = " " * (s.span[1] - s.span[0])
    events.own_words = _with_own_words(events, "".join(blank))
    if not statuses:
        return
    events.forward = [_forward(events, i, masked) for i in range(len(statuses))]
    events.coded = {events.hard_of(c.span[0]) for c in events.codes}
    words: dict[int, bool] = {}
    for m in WORD.finditer("".join(blank)):
        if m.group() not in _LIST_WORDS and not m.group().isdigit():
            words[events.hard_of(m.start())] = True
    events.bare = {clause for clause in events.coded if clause not in words}
    starts = [s.span[0] for s in statuses]
    following: TaskMention | None = None
    for item in reversed(events.codes):  # a code may take the status of the one after it
        k = bisect.bisect_left(starts, item.span[1])
        nxt = k if k < len(statuses) else None
        prv = k - 1 if k > 0 else None
        if prv is not None and statuses[prv].span[1] > item.span[0]:
            prv = prv - 1 if prv > 0 else None  # overlapping (should not happen)
        listed = following is not None and (nxt is None or following.span[0] < starts[nxt])
        item.status = _choose(events, item, prv, nxt, following if listed else None)
        following = None if item.excluded else item  # "3.1, 3.2, trừ 3.4": not 3.4's


def _with_own_words(events: Events, blank: str) -> set[int]:
    """The task mentions followed by words of their own: anything but list words before
    the next task mention, status or soft separator, or a figure or a mark there."""
    bounds = sorted(
        [c.span[0] for c in events.codes] + [s.span[0] for s in events.statuses] + events.soft
    )
    in_status = [s.span for s in events.statuses]
    own: set[int] = set()
    for item in events.codes:
        start = item.span[1]
        k = bisect.bisect_left(bounds, start)
        end = bounds[k] if k < len(bounds) else len(blank)
        words = [w for w in WORD.findall(blank[start:end]) if w not in _LIST_WORDS]
        figure = any(
            start <= q.span[0] < end and not any(a <= q.span[0] < b for a, b in in_status)
            for q in events.quantities
        )
        # a mark other than a check mark ("3.2 ❌", "3.2 👍") says something of its own
        marked = any(unicodedata.category(ch) == "So" for ch in blank[start:end])
        if figure or marked or any(not w.isdigit() for w in words):
            own.add(item.span[0])
    return own


def _choose(
    events: Events, item: TaskMention, prv: int | None, nxt: int | None, listed: TaskMention | None
) -> int | None:
    """Which status a task mention takes (the index of the mention, or None).

    A code left out ("trừ nv 2.1", ``item.excluded``) takes only the next status in its
    soft clause ("riêng nv 2.1 đang làm"). Else, in order: the next status in its soft
    clause, the previous one there. A mention with
    words of its own after it ("3.1 ok", "nv 4.3 đạt 80%") takes no other status but a
    header or closing line ("Hoàn thành:", "đã xong hết"), or the next status of its
    line with no other code before it ("nv 2.1 không có gì vướng mắc, đang làm"). A
    bare code followed by another code before any status (``listed``: "3.1, 3.2 xong",
    "3.1\n3.2\n3.4 xong") shares that code's status, whatever it is, and its figure
    (``item.joined``). Then
    the next status in its hard clause unless that one leads other codes, the previous
    one there; then, outside its clause, a header before it, a trailer after it, any
    status around it, but only for a line with nothing but codes or a status standing
    on its own line.
    """
    pos = item.span[0]
    spans, forward = events.statuses, events.forward
    clause = events.hard_of(pos)

    def in_soft(index: int | None) -> bool:
        return index is not None and events.soft_of(spans[index].span[0]) == events.soft_of(pos)

    def in_hard(index: int | None) -> bool:
        return index is not None and events.hard_of(spans[index].span[0]) == clause

    def alone(index: int | None) -> bool:
        """A status on a line of its own ("Hoàn thành:", "đã xong hết")."""
        return index is not None and events.hard_of(spans[index].span[0]) not in events.coded

    if item.excluded:
        # "xong hết trừ nv 2.1": left out of the status before it; only its own counts
        # ("riêng nv 2.1 đang làm"), not every task's after it ("ngoài nv 3.2 ra thì các
        # nv khác đang làm")
        if (
            in_soft(nxt)
            and nxt is not None
            and not _code_between(events, item, spans[nxt].span[0])
            and not (events.every is not None and pos < events.every[0] < spans[nxt].span[0])
        ):
            return nxt
        return None
    if in_soft(nxt):
        return nxt
    if in_soft(prv):
        return prv
    if pos in events.own_words:
        # Its own words say nothing of a status: only a status on a line of its own
        # (a header "Hoàn thành:" or a closing "đã xong hết") may apply to it, or the
        # next one in its line with no other code before it ("nv 2.1 không có gì vướng
        # mắc, đang làm").
        if prv is not None and forward[prv] and alone(prv):
            return prv
        if nxt is not None and not forward[nxt] and alone(nxt):
            return nxt
        if (
            in_hard(nxt)
            and nxt is not None
            and not forward[nxt]
            and not _code_between(events, item, spans[nxt].span[0])
        ):
            return nxt
        return None
    if listed is not None:
        item.joined = True
        return listed.status
    if in_hard(nxt) and nxt is not None and not forward[nxt]:
        return nxt
    if in_hard(prv) and prv is not None and not forward[prv] and _closes_codes(events, prv):
        return None  # "nv 3.1 xong, 3.2": the status is 3.1's; 3.2's is asked
    if in_hard(prv):
        return prv
    if in_hard(nxt):
        return nxt
    # The clause has no status. A bare list line ("- 3.1") takes the status around it;
    # a line with other words ("3.4 - dang th") only a status standing on its own line.
    bare = clause in events.bare
    if prv is not None and forward[prv] and (bare or alone(prv)):
        return prv
    if nxt is not None and not forward[nxt] and (bare or alone(nxt)):
        return nxt
    if prv is not None and (bare or alone(prv)):
        return prv
    if nxt is not None and (bare or alone(nxt)):
        return nxt
    return None


def number_groups(events: Events) -> None:
    """Number runs of codes that share a status and a clause ("1.1, 1.2 xong"); a code
    with words of its own ends its run ("nv 3.1 niêm yết, nv 3.2 0%": the 0 % is 3.2's)."""
    group = 0
    previous: TaskMention | None = None
    starts = [s.span[0] for s in events.statuses]
    for item in events.codes:
        if previous is not None:
            between = bisect.bisect_left(starts, item.span[0]) - bisect.bisect_left(
                starts, previous.span[1]
            )
            figures = any(
                previous.span[1] <= q.span[0] and q.span[1] <= item.span[0]
                for q in events.quantities
            )
            if (
                item.status != previous.status
                or previous.span[0] in events.own_words
                or (
                    not previous.joined
                    and events.hard_of(item.span[0]) != events.hard_of(previous.span[0])
                )
                or between
                or figures
            ):
                group += 1
        item.group = group
        previous = item


# What ends a note but belongs to the next item: "…, nv", "… và nhiệm vụ".
_NOTE_TAIL = re.compile(
    r"(?:[\s,;:.\-–]+(?:nv|nvu|nhiem vu|muc|va|con|cong viec|noi dung)(?!\w)[\s.:#]*)+\Z"
    r"|[\s,;:.\-–]+\Z"
)


def status_notes(events: Events, text: Text) -> dict[int, str]:
    """The reason written after each status mention ("chậm do thiếu nhân lực")."""
    notes: dict[int, str] = {}
    bounds = sorted(
        [c.span[0] for c in events.codes if c.code is not None]
        + [s.span[0] for s in events.statuses]
        + events.hard
    )
    for index, mention in enumerate(events.statuses):
        start = mention.span[0]
        k = bisect.bisect_right(bounds, start)
        end = bounds[k] if k < len(bounds) else len(text.t)
        _before, reason = split_reason(text.t[start:end])
        if reason:
            cut = _NOTE_TAIL.search(plain(reason))
            reason = reason[: cut.start()] if cut else reason
            if reason:
                notes[index] = reason
    return notes


def _closes_codes(events: Events, index: int) -> bool:
    """Whether status ``index`` follows codes of its own soft clause ("nv 3.1 xong"): it
    is theirs, not that of a code after it in another clause."""
    start = events.statuses[index].span[0]
    clause = events.soft_of(start)
    return any(c.span[1] <= start and events.soft_of(c.span[0]) == clause for c in events.codes)


def _code_between(events: Events, item: TaskMention, start: int) -> bool:
    """Whether another task mention stands between ``item`` and ``start``."""
    return any(item.span[1] <= c.span[0] < start for c in events.codes if c is not item)
