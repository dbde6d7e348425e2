"""The office sends a plan naming a unit the list lacks, creates it from the preview, sees
the task with its lead and imports the plan; an official pressing the button creates
nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.db import Database
from storage.models import Assignment, Plan, Role, Task, TaskUnitRole, Unit, UnitChange
from tests.e2e.test_plan_import import _count, _register, app  # noqa: F401 (the fixture it runs in)
from tests.fakebot import FakeBotAPI

PLAN = """UBND THỊ XÃ SƠN TÂY

KẾ HOẠCH
Phòng thủ dân sự năm 2025

| STT | Nội dung nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành |
|---|---|---|---|---|
| 1 | Tập huấn dân quân tự vệ | BCH QS thị xã | Phòng Nội vụ | Quý II/2025 |
| 2 | Niêm yết thủ tục | Phòng Tư pháp | Phòng Nội vụ | Quý I/2025 |
"""
WRITTEN = "BCH QS thị xã"
# the town's own military command, as the plan of UBND thị xã Sơn Tây means it
NEW = "Ban Chỉ huy Quân sự thị xã Sơn Tây"


def _labels(fake: FakeBotAPI, message: dict) -> list[str]:
    return [label for row in fake.buttons(message) for label, _data in row]


@pytest.mark.usefixtures("app")
async def test_the_office_creates_a_missing_unit_from_the_preview_and_imports(
    fake: FakeBotAPI, area: Database, clock
) -> None:
    office = await _register(fake, area, clock, Role.OFFICE, None)
    official = await _register(fake, area, clock, Role.OFFICIAL, "Phường Lê Lợi")
    mark = fake.mark()
    fake.send_document(office, office, "ke-hoach-pttd.txt", content=PLAN.encode())
    await fake.wait_for("sendMessage", since=mark)
    preview = fake.last_bot_message(office)
    assert f"không tìm thấy đơn vị: “{WRITTEN}”" in preview["text"]
    assert "Đơn vị chưa có trong danh sách (1)" in preview["text"]
    assert f"Tạo “{NEW}”" in _labels(fake, preview)

    # an official pressing it (a forged press) creates nothing
    mark = fake.mark()
    fake.press(official, preview, text=f"Tạo “{NEW}”")
    [refusal] = await fake.wait_for("sendMessage", since=mark)
    assert "Chỉ Văn phòng" in refusal.params["text"]
    assert _count(area, Unit, Unit.name == NEW) == 0
    assert _count(area, UnitChange) == 0

    mark = fake.mark()
    fake.press(office, preview, text=f"Tạo “{NEW}”")
    await fake.wait_for("sendMessage", since=mark)
    updated = fake.last_bot_message(office)
    assert "không tìm thấy đơn vị" not in updated["text"]
    assert f"{NEW} (1)" in updated["text"]  # the task now has its lead
    assert not [label for label in _labels(fake, updated) if label.startswith("Tạo")]
    with area.session() as session:
        change = session.scalar(select(UnitChange))
        assert change is not None and change.inbound_message_id is not None
        assert change.official_id is not None
    assert _count(area, Plan, Plan.draft.is_(False)) == 0  # still nothing imported

    # pressed again on the first preview: harmless
    mark = fake.mark()
    fake.press(office, preview, text=f"Tạo “{NEW}”")
    await fake.wait_for("sendMessage", since=mark)
    assert _count(area, Unit, Unit.name == NEW) == 1
    assert _count(area, UnitChange) == 1

    mark = fake.mark()
    fake.press(office, updated, text="Nhập")
    await fake.wait_for("sendMessage", since=mark)
    assert "Đã nhập kế hoạch năm 2025: 2 nhiệm vụ" in fake.last_bot_message(office)["text"]
    with area.session() as session:
        lead = session.scalar(
            select(Unit.name)
            .join(Assignment, Assignment.unit_id == Unit.id)
            .join(Task)
            .join(Plan)
            .where(Plan.draft.is_(False), Task.code == "1", Assignment.role == TaskUnitRole.LEAD)
        )
    assert lead == NEW
