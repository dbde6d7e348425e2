"""The one shortening helper: whole words, "…" when cut, never longer than asked."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.language.shorten import shorten


@pytest.mark.parametrize(
    ("text", "size", "expected"),
    [
        ("Xã Sơn Dương", 26, "Xã Sơn Dương"),
        # The tester's case: a task content cut inside "quyết".
        ("Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", 30, "Số hóa hồ sơ, kết quả giải…"),
        ("Trung tâm Phục vụ hành chính công tỉnh", 26, "Trung tâm Phục vụ hành…"),
        # A cut that falls right after a word keeps that word.
        ("Niêm yết công khai thủ tục", 14, "Niêm yết công…"),
        # Punctuation left dangling at the cut goes.
        ("Tỷ lệ hồ sơ trực tuyến, trên tổng số", 24, "Tỷ lệ hồ sơ trực tuyến…"),
        ("  Báo cáo\n  tuần  ", 60, "Báo cáo tuần"),  # white space on one line
        ("Supercalifragilistic", 8, "Superca…"),  # one long word: no boundary to cut at
        ("", 10, ""),
    ],
)
def test_shorten(text: str, size: int, expected: str) -> None:
    assert shorten(text, size) == expected


@given(st.text(alphabet="ab ,ơ", max_size=60), st.integers(min_value=2, max_value=40))
@example(text=", aa", size=3)  # found by hypothesis: a cut right after punctuation
@example(text=", aaa", size=4)  # … and only punctuation before the word under the cut
def test_never_longer_than_asked_and_a_prefix_of_the_words(text: str, size: int) -> None:
    short = shorten(text, size)
    one_line = " ".join(text.split())
    assert len(short) <= size
    if short.endswith("…") and short != one_line:
        head = short[:-1]
        assert one_line.startswith(head)
        # cut at a word: the next character of the original is a space or punctuation,
        # unless the first word alone was too long (only punctuation before it counts
        # for nothing: ", aaa" cut to 4 is ", a…", not ",…")
        rest = one_line[len(head) :]
        room = one_line[: size - 1]
        before_last_space = room.rsplit(" ", 1)[0] if " " in room else ""
        assert rest[:1] in (" ", ",") or not before_last_space.strip(" ,;:.-–—(/&")
    else:
        assert short == one_line
