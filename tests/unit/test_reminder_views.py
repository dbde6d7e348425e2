"""Reminder messages and the office's Monday digest, from data built by hand."""

from __future__ import annotations

from bot.views.reminders import digest_reply
from scheduling.service import Digest


def test_the_digest_counts_hidden_units_as_units_and_hidden_tasks_as_tasks() -> None:
    overdue = [(f"Xã {i:02d}", [(f"1.{t}", 30 + t) for t in range(1, 11)]) for i in range(61)]
    unreachable = [f"Phường {i:02d}" for i in range(17)]
    text = digest_reply(Digest(overdue, unreachable, 0), "vi").text
    # 61 units, 20 listed: "… và 41 đơn vị khác", not "41 nhiệm vụ khác"
    assert "… và 41 đơn vị khác" in text and "41 nhiệm vụ khác" not in text
    assert "1.8 (38 ngày) và 2 nhiệm vụ khác" in text  # each unit's tasks past eight
    assert "Phường 14 và 2 đơn vị khác" in text  # nobody to remind: units, all counted
