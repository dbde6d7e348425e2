"""The deadlines ahead, asked in a word: "hạn báo cáo là ngày nào?" (a unit's, else the
plan's), through the core."""

from __future__ import annotations

from bot.config import Settings
from bot.core import Core
from storage.db import Database
from tests.db.test_progress import NOW, _setup, _task
from tests.db.test_reports import Chat


def test_the_deadlines_ahead_asked_in_a_word(db: Database, clock) -> None:
    _setup(db, _task("4", "Báo cáo hằng quý", ["Phường Lê Lợi", "Xã Đường Lâm"]))
    clock.now = NOW  # 20/11: tasks 1 (10/11) and 3 (15/10) past due, 2 due 30/11
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    # it was not understood ("ngày nào" was no question word), or read as an indicator
    for asked in ("han bao cao la ngay nao", "Hạn nộp báo cáo là hôm nào?"):
        [ahead] = chat.send(201, asked)
        assert ahead.text.splitlines() == [
            "Hạn sắp tới của Phường Lê Lợi:",
            "• 30/11/2026 — 2 Nhiệm vụ 2",
            "• 14/12/2026 — số liệu kỳ tháng 12/2026 (chưa gửi 1 chỉ tiêu)",
            "• 14/12/2026 — báo cáo định kỳ quý IV/2026: 4 Nhiệm vụ 4 (chưa gửi)",
            "Đang quá hạn: 3, 1.",
        ], ahead.text
    chat.say(201, "nv 2 xong, nv 4 xong, so hoa 85/100")
    [sent] = chat.send(201, "khi nào hết hạn gửi số liệu?")
    assert sent.text.splitlines()[1:] == [
        "• 14/12/2026 — số liệu kỳ tháng 12/2026 (đã gửi đủ)",
        "• 14/12/2026 — báo cáo định kỳ quý IV/2026: 4 Nhiệm vụ 4 (đã gửi)",
        "Đang quá hạn: 3, 1.",
    ], sent.text
    # the leader: the plan's deadlines, no unit's word on them; a unit named, its own
    [plan] = chat.send(204, "hạn chót là bao giờ")
    assert plan.text.splitlines() == [
        "Hạn sắp tới:",
        "• 30/11/2026 — 2 Nhiệm vụ 2",
        "• 14/12/2026 — số liệu kỳ tháng 12/2026",
        "• 14/12/2026 — báo cáo định kỳ quý IV/2026: 4 Nhiệm vụ 4",
    ], plan.text
    [named] = chat.send(204, "hạn của xã Đường Lâm là khi nào")
    assert named.text.startswith("Hạn sắp tới của Xã Đường Lâm:\n• 30/11/2026 — 2 Nhiệm vụ 2")
    # an official naming another unit gets their own
    [own] = chat.send(202, "hạn của phường Lê Lợi là khi nào")
    assert own.text.startswith("Hạn sắp tới của Xã Đường Lâm:"), own.text
