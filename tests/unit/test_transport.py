"""Replies as Telegram gets them: bold parts as message entities in UTF-16 code units."""

from __future__ import annotations

import pytest

from bot.transport import Button, Reply
from handlers.common import bold_entities


def test_bold_offsets_count_utf16_code_units() -> None:
    # "📋" is one Python character but two UTF-16 code units; Vietnamese letters are one.
    text = "Tệp 📋 đã đọc.\n⚠️ Cập nhật này sẽ rút 10/10 nhiệm vụ. Kiểm tra năm."
    part = "Cập nhật này sẽ rút 10/10 nhiệm vụ."
    [entity] = bold_entities(Reply(text, bold=(part,))) or []
    assert entity.type == "bold"
    assert entity.offset == text.index(part) + 1  # the emoji's second code unit
    assert entity.length == len(part)
    encoded = text.encode("utf-16-le")
    start, end = 2 * entity.offset, 2 * (entity.offset + entity.length)
    assert encoded[start:end].decode("utf-16-le") == part


def test_only_parts_found_become_entities_in_text_order() -> None:
    reply = Reply("một hai ba hai", bold=("ba", "bốn", "hai"))
    assert [(e.offset, e.length) for e in bold_entities(reply) or []] == [(4, 3), (8, 2)]
    assert bold_entities(Reply("không đậm")) is None


def test_button_data_is_at_most_64_bytes() -> None:
    Button("Dùng kế hoạch năm 2027", "plan:use:2147483647")
    with pytest.raises(ValueError, match="64 bytes"):
        Button("x", "plan:use:" + "9" * 60)


# -- Telegram's limits: the last guard before sending ---------------------------------------


def _sent_text(parts: list[Reply]) -> str:
    return "\n".join(part.text for part in parts if part.text)


def test_a_long_text_is_cut_at_line_breaks_within_4096_utf16_units() -> None:
    from bot.transport import MAX_TEXT, fit, utf16_length

    # Each line: Vietnamese letters (one unit each) and an emoji (two units).
    lines = [f"• {i} Niêm yết công khai thủ tục 📋 — đã xong" for i in range(1, 400)]
    text = "\n".join(lines)
    assert len(text) < 2 * MAX_TEXT * 5 and utf16_length(text) > len(text)
    reply = Reply(text, buttons=[[Button("Hủy", "rep:undo:1")]], notice="Đã ghi")
    parts = fit(reply)
    assert len(parts) > 1
    assert all(utf16_length(part.text) <= MAX_TEXT for part in parts)
    assert _sent_text(parts) == text  # nothing lost: only the line breaks between parts
    assert all(part.text.split("\n")[0].startswith("• ") for part in parts)  # whole lines
    assert [bool(part.buttons) for part in parts] == [False] * (len(parts) - 1) + [True]
    assert parts[0].notice == "Đã ghi" and all(p.notice is None for p in parts[1:])


def test_emoji_are_counted_as_two_units() -> None:
    from bot.transport import fit, split_text

    text = "📋" * 2048 + "\n" + "📋"  # 4,096 units, a line break, then two more
    assert split_text(text) == [(0, 2048), (2049, 2050)]
    assert [part.text for part in fit(Reply("📋" * 2048))] == ["📋" * 2048]


def test_a_line_longer_than_the_limit_is_cut_at_a_space_then_anywhere() -> None:
    from bot.transport import split_text

    words = "xã " * 2000  # one line of 6,000 characters
    pieces = split_text(words, 4096)
    assert len(pieces) == 2 and all(words[s:e].split() for s, e in pieces)
    assert all(not words[s:e].endswith("x") for s, e in pieces)  # never inside a word
    assert split_text("a" * 5000, 4096) == [(0, 4096), (4096, 5000)]
    assert split_text("\n\n\n   \n") == []  # nothing to send


def test_bold_parts_go_with_their_piece_and_are_not_cut() -> None:
    from bot.transport import fit

    first = "Cập nhật này sẽ rút 10/10 nhiệm vụ."
    second = "Kiểm tra năm."
    text = "\n".join([first, *("dòng " + str(i) for i in range(1200)), second, first])
    parts = fit(Reply(text, bold=(first, second)))
    assert len(parts) > 1
    assert parts[0].bold == (first,)  # its first occurrence, in the first piece
    assert parts[-1].bold == (second,)  # not the later repeat of the first part
    for part in parts:
        for start, end in part.bold_spans():
            assert part.text[start:end] in (first, second)


def test_a_cut_avoids_the_inside_of_a_bold_part() -> None:
    from bot.transport import split_text

    bold = "đậm " * 10  # 40 characters with spaces inside
    text = "a " * 2030 + bold + "b " * 10
    start = text.index(bold)
    pieces = split_text(text, 4096, [(start, start + len(bold))])
    assert all(not s < start < e or e >= start + len(bold) for s, e in pieces)
    assert pieces[0][1] <= start


def test_long_captions_notices_and_keyboards_are_brought_within_limits() -> None:
    from bot.transport import MAX_BUTTONS, MAX_NOTICE, Attachment, fit, utf16_length

    caption = "Biểu đồ 📊 " * 200  # 2,200 units
    chart = Attachment("chart.png", b"png", is_picture=True, caption=caption)
    small = Attachment("a.xlsx", b"x", caption="Bảng")
    rows = [[Button(str(i), f"x:{i}")] for i in range(150)]
    parts = fit(Reply("Tình hình", buttons=rows, attachments=[chart, small], notice="ồ" * 300))
    assert [bool(p.text) for p in parts] == [True, True, False, False]
    assert parts[1].text == caption  # the caption goes before its picture, as text
    assert parts[2].attachments[0].caption is None
    assert parts[3].attachments[0].caption == "Bảng"
    assert sum(len(row) for row in parts[0].buttons) == MAX_BUTTONS
    assert parts[0].notice and utf16_length(parts[0].notice) <= MAX_NOTICE
    assert parts[0].notice.endswith("…")


def test_a_reply_within_the_limits_is_unchanged() -> None:
    from bot.transport import fit

    reply = Reply("Đã ghi nhận", buttons=[[Button("Hủy", "rep:undo:1")]], bold=("ghi",))
    assert fit(reply) == [reply]
