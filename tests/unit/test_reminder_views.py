"""Reminder messages and the office's Monday digest, from data built by hand."""

from __future__ import annotations

from bot.services.digests import Digest
from bot.views.digests import digest_reply


def test_the_digest_counts_hidden_units_as_units_and_hidden_tasks_as_tasks() -> None:
    overdue = [(f"Xã {i:02d}", [(f"1.{t}", 30 + t) for t in range(1, 11)]) for i in range(61)]
    unreachable = [f"Phường {i:02d}" for i in range(17)]
    text = digest_reply(Digest(overdue, unreachable, 0), "vi").text
    # 61 units, 20 listed: "… và 41 đơn vị khác", not "41 nhiệm vụ khác"
    assert "… và 41 đơn vị khác" in text and "41 nhiệm vụ khác" not in text
    assert "1.8 (38 ngày) và 2 nhiệm vụ khác" in text  # each unit's tasks past eight
    assert "Phường 14 và 2 đơn vị khác" in text  # nobody to remind: units, all counted


def test_a_group_missing_reminder_names_thirty_units_and_counts_the_rest() -> None:
    from bot.transport import MAX_TEXT, utf16_length
    from bot.views.reminders import reminder_reply
    from scheduling.outgoing import Outgoing

    units = [f"Xã Trường Xuân Đông Phước {i:03d}" for i in range(300)]
    out = Outgoing(
        reminder_id=7,
        telegram_chat_id=-100,
        kind="missing",
        language="vi",
        group=True,
        unit_name="",
        task_code="4.2",
        task_content="Báo cáo tình hình, kết quả kiểm soát thủ tục hành chính",
        indicator_name=None,
        payload={"period": "2026-Q4", "deadline": "2026-12-15", "units": units},
        mentions=[],
    )
    text = reminder_reply(out).text
    assert utf16_length(text) <= MAX_TEXT
    assert units[29] in text and units[30] not in text
    assert "và 270 đơn vị khác" in text
