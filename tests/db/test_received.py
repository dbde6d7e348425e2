"""Who has reported lately, asked in a word ("hôm nay ai đã báo cáo?", "tuần này xã nào
đã báo cáo"), through the core: the units by local day, the latest first, what each
sent; withdrawn reports left out; nobody: since when."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.config import Settings
from bot.core import Core
from storage.db import Database
from tests.db.test_progress import NOW, _setup
from tests.db.test_reports import Chat


def test_who_has_reported_lately(db: Database, clock) -> None:
    _setup(db)
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    clock.now = datetime(2026, 11, 19, 16, 30, tzinfo=UTC)  # 23:30 on 19/11 in Hà Nội
    chat.say(202, "nv 2 xong")
    clock.now = NOW  # 09:00 on 20/11
    chat.say(201, "so hoa 85/100, nv 2 dang lam 50%")
    # it was not understood, or answered with the standing
    for asked in ("hôm nay ai đã báo cáo?", "co bao cao moi khong"):
        [today] = chat.send(204, asked)
        assert today.text.splitlines() == [
            "Hôm nay (20/11/2026): 1 đơn vị đã báo cáo.",
            "• 09:00 Phường Lê Lợi: 1 nhiệm vụ, 1 chỉ tiêu",
        ], (asked, today.text)
    [yesterday] = chat.send(204, "hom qua xa nao bao cao")  # the local day, not UTC's
    assert yesterday.text.splitlines() == [
        "Ngày 19/11/2026: 1 đơn vị đã báo cáo.",
        "• 23:30 Xã Đường Lâm: 1 nhiệm vụ",
    ], yesterday.text
    [week] = chat.send(204, "tuần này những đơn vị nào đã báo cáo")
    assert week.text.splitlines() == [
        "Từ 16/11/2026 đến 20/11/2026: 2 đơn vị đã báo cáo.",
        "• 20/11 09:00 Phường Lê Lợi: 1 nhiệm vụ, 1 chỉ tiêu",
        "• 19/11 23:30 Xã Đường Lâm: 1 nhiệm vụ",
    ], week.text
    # a report withdrawn was not received; nobody today says since when
    chat.say(201, "hủy")
    [nobody] = chat.send(204, "ai đã báo cáo hôm nay")
    assert nobody.text.splitlines() == [
        "Hôm nay (20/11/2026): chưa có đơn vị nào báo cáo.",
        "Báo cáo gần nhất: Xã Đường Lâm, lúc 23:30 ngày 19/11/2026.",
    ], nobody.text
    # an official sees no other unit's reports
    [official] = chat.send(201, "hôm nay ai đã báo cáo?")
    assert "đã báo cáo." not in official.text and "Đường Lâm" not in official.text


def test_the_leaders_other_words_for_the_standing(db: Database, clock) -> None:
    _setup(db)
    clock.now = NOW
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    # they were not understood ("tỷ lệ hoàn thành" was even read as a task reported done)
    for asked in ("ty le hoan thanh chung", "so sánh với tháng trước", "kết quả thực hiện"):
        [reply] = chat.send(204, asked)
        assert reply.text.startswith("Tình hình đến 20/11/2026 (kế hoạch năm 2026):"), asked
    [ranking] = chat.send(204, "bảng xếp hạng")
    [sheet] = ranking.attachments
    assert sheet.filename.endswith(".xlsx") and sheet.content[:2] == b"PK"
