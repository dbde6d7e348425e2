"""/trogiup: what each person can do, by role, short enough for a phone."""

from __future__ import annotations

import pytest

from bot.services.identity import Actor
from bot.views.common import help_reply
from storage.models import Role

EVERYONE = ("/lichsu", "/nhiemvu", "/tinhhinh", "/nhacviec", "/kehoach", "/trogiup")
REPORTING = ("nv 2.1 xong", "sửa:", "hủy", "/huy", "48 giờ")


def _actor(role: Role | None, language: str = "vi") -> Actor:
    return Actor(
        user_id=1,
        language=language,
        official_id=None if role is None else 7,
        role=role,
        unit_id=3 if role is Role.OFFICIAL else None,
        unit_name="Xã Sơn Dương" if role is Role.OFFICIAL else None,
    )


def _fits_a_phone(text: str) -> None:
    # One or two screens of a phone: about 25 short lines, 1,500 characters.
    assert len(text) <= 1500 and len(text.splitlines()) <= 25, (len(text), text)


@pytest.mark.parametrize("in_group", [False, True])
def test_an_official_learns_to_report_correct_undo_and_pause(in_group: bool) -> None:
    text = help_reply(_actor(Role.OFFICIAL), in_group, undo_hours=48).text
    for word in (*EVERYONE, *REPORTING, "tạm dừng", "tiếp tục", "nhóm|riêng|cả hai", "xin gia hạn"):
        assert word in text, word
    assert "chỉ thay các mục được nêu" in text  # a correction replaces what it names
    assert ("/baocao" in text) is in_group
    assert "/nhom" not in text
    _fits_a_phone(text)


def test_the_office_also_binds_groups_and_sends_the_plan() -> None:
    text = help_reply(_actor(Role.OFFICE), False, undo_hours=48).text
    for word in (*EVERYONE, *REPORTING, "/nhom", "tệp kế hoạch", "Xã Sơn Dương: nv 2.1 xong"):
        assert word in text, word
    _fits_a_phone(text)
    in_group = help_reply(_actor(Role.OFFICE), True, undo_hours=48).text
    assert "/baocao" in in_group and "tin nhắn riêng" in in_group
    _fits_a_phone(in_group)


def test_a_leader_reads_and_asks() -> None:
    text = help_reply(_actor(Role.LEADER), False, undo_hours=48).text
    for word in EVERYONE:
        assert word in text, word
    assert "nv 2.1 xong" not in text and "/huy" not in text  # leaders do not report
    _fits_a_phone(text)


def test_someone_unregistered_is_told_how_to_register() -> None:
    text = help_reply(_actor(None), True, undo_hours=48).text
    assert "/start" in text and "chưa đăng ký" in text and "/baocao" in text
    _fits_a_phone(text)


def test_english() -> None:
    text = help_reply(_actor(Role.OFFICIAL, "en"), False, undo_hours=48).text
    assert "Report by writing" in text and "within 48 hours" in text and "/lichsu" in text


def test_the_help_states_the_configured_undo_window() -> None:
    text = help_reply(_actor(Role.OFFICIAL), False, undo_hours=6).text
    assert "trong vòng 6 giờ" in text and "48" not in text
