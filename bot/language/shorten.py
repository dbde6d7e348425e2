"""Shortening text for lists, buttons and chart labels: cut at a word, end with "…".

One helper for every place a task's content, an indicator's or a unit's name is shown
shortened, so a name is never cut in the middle of a word ("giải q…"). Pure.
"""

from __future__ import annotations

ELLIPSIS = "…"
# Left at the end of a cut they read as a dangling clause: "Niêm yết, …" → "Niêm yết…".
_TRAILING = " ,;:.-–—(/&"


def shorten(text: str, size: int) -> str:
    """``text`` on one line, at most ``size`` characters: whole words and "…" when cut.

    Runs of white space become one space. A single word longer than ``size`` is the one
    case cut inside a word (there is no boundary to cut at, or only punctuation before
    it: ", aaa" cut to 4 is ", a…").
    """
    text = " ".join(text.split())
    if len(text) <= size:
        return text
    room = max(size - len(ELLIPSIS), 1)
    head = text[:room]
    if text[room] != " " and " " in head:
        head = head.rsplit(" ", 1)[0]  # the word under the cut goes whole
    head = head.rstrip(_TRAILING) or text[:room].rstrip()
    return head + ELLIPSIS
