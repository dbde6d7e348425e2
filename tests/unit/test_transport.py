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
