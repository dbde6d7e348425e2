"""The office sends the plan file in private: preview, details, import, then the outline."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.config import Settings
from bot.services.identity import create_invite
from bot.services.units import import_units
from storage.db import Database
from storage.models import Assignment, Plan, Role, StatusUpdate, Task
from tests.e2e.conftest import application
from tests.fakebot import FakeBotAPI, running_app
from tests.scan_fixtures import appendix_pages, have_tools, photo_png

DATA = Path(__file__).parents[1] / "data"
SAMPLE = DATA / "plans" / "ke-hoach-thi-xa-son-tay-2025.txt"


@pytest.fixture
async def app(area: Database, settings: Settings, clock, fake: FakeBotAPI) -> AsyncIterator:
    import_units(area, DATA / "son-tay-units.csv")
    async with running_app(application(area, settings, clock, fake), fake) as running:
        yield running


async def _register(fake: FakeBotAPI, db: Database, clock, role: Role, unit: str | None):
    user = fake.add_user(first_name=role.value)
    code = create_invite(db, role=role, unit_query=unit, now=clock(), days=7, created_by="t").code
    mark = fake.mark()
    fake.send_text(user, user, f"/start {code}")
    await fake.wait_for("sendMessage", since=mark)
    return user


def _count(db: Database, model, *where) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


async def test_preview_details_import_and_outline(
    app, fake: FakeBotAPI, area: Database, clock
) -> None:
    office = await _register(fake, area, clock, Role.OFFICE, None)
    mark = fake.mark()
    fake.send_document(office, office, SAMPLE.name, content=SAMPLE.read_bytes())
    await fake.wait_for("sendMessage", since=mark)
    preview = fake.last_bot_message(office)
    text = preview["text"]
    assert "26 nhiệm vụ" in text and "2025" in text
    assert "8.2" in text  # the duplicate code is shown to check
    assert _count(area, Plan, Plan.draft.is_(False)) == 0  # nothing imported yet
    labels = [b["text"] for row in preview["reply_markup"]["inline_keyboard"] for b in row]
    assert labels[:3] == ["Nhập", "Hủy", "Xem chi tiết"]

    mark = fake.mark()
    fake.press(office, preview, text="Xem chi tiết")
    calls = await fake.wait_for("sendDocument", since=mark)
    document = calls[0].params["document"]
    sheet = load_workbook(io.BytesIO(document.content)).active
    # Đôn Đốc's plan workbook: title, year, header, then the sections and 26 tasks
    assert sheet["A3"].value == "STT" and sheet["H3"].value == "Đôn Đốc hiểu"
    tasks = [row for row in sheet.iter_rows(min_row=4) if "." in str(row[0].value)]
    assert len(tasks) == 26
    assert tasks[0][0].value == "1.1" and tasks[0][4].value == "Tháng 01/2025"
    assert "hạn 31/01/2025" in tasks[0][7].value

    mark = fake.mark()
    fake.press(office, preview, text="Nhập")
    await fake.wait_for("sendMessage", since=mark)
    assert "Đã nhập kế hoạch năm 2025: 26 nhiệm vụ" in fake.last_bot_message(office)["text"]
    assert _count(area, Plan, Plan.draft.is_(False)) == 1
    assert _count(area, Task) == 26

    mark = fake.mark()
    fake.send_text(office, office, "/kehoach")
    await fake.wait_for("sendMessage", since=mark)
    outline = fake.last_bot_message(office)["text"]
    assert "26 nhiệm vụ" in outline and "Xây dựng văn bản" in outline

    mark = fake.mark()
    fake.send_text(office, office, "/nhiemvu phuong le loi")
    await fake.wait_for("sendMessage", since=mark)
    tasks = fake.last_bot_message(office)["text"]
    assert tasks.startswith("Nhiệm vụ của Phường Lê Lợi")
    assert "chưa báo cáo" in tasks


async def test_cancel_imports_nothing(app, fake: FakeBotAPI, area: Database, clock) -> None:
    office = await _register(fake, area, clock, Role.OFFICE, None)
    mark = fake.mark()
    fake.send_document(office, office, SAMPLE.name, content=SAMPLE.read_bytes())
    await fake.wait_for("sendMessage", since=mark)
    preview = fake.last_bot_message(office)
    mark = fake.mark()
    fake.press(office, preview, text="Hủy")
    await fake.wait_for("sendMessage", since=mark)
    assert "chưa nhập gì" in fake.last_bot_message(office)["text"].lower()
    assert _count(area, Plan) == 0
    mark = fake.mark()
    fake.press(office, preview, text="Nhập")  # the old button no longer imports anything
    await fake.wait_for("sendMessage", since=mark)
    assert _count(area, Plan) == 0


async def test_an_official_cannot_import_and_a_non_plan_is_explained(
    app, fake: FakeBotAPI, area: Database, clock
) -> None:
    official = await _register(fake, area, clock, Role.OFFICIAL, "Xã Sơn Dương")
    mark = fake.mark()
    fake.send_document(official, official, "ke-hoach.docx", content=b"PK\x03\x04whatever")
    await fake.wait_for("sendMessage", since=mark)
    # not imported, and told what a file of theirs needs (a caption) and whose the plan is
    text = fake.last_bot_message(official)["text"]
    assert text.startswith("Tệp này không có chú thích nên chưa ghi nhận gì.")
    assert text.endswith("Kế hoạch do Văn phòng nhập.")

    office = await _register(fake, area, clock, Role.OFFICE, None)
    mark = fake.mark()
    fake.send_document(office, office, "ghi-chu.txt", content="Họp giao ban.".encode())
    await fake.wait_for("sendMessage", since=mark)
    reply = fake.last_bot_message(office)["text"]
    assert "ghi-chu.txt" in reply and "Chưa nhập gì" in reply
    assert _count(area, Plan) == 0


async def test_a_word_file_with_indicators(app, fake: FakeBotAPI, area: Database, clock) -> None:
    from tests.plans_fixtures import sample_docx

    office = await _register(fake, area, clock, Role.OFFICE, None)
    name = "quyet-dinh-huyen-son-tay-2025.txt"
    mark = fake.mark()
    fake.send_document(office, office, "quyet-dinh.docx", content=sample_docx(name))
    await fake.wait_for("sendMessage", since=mark)
    text = fake.last_bot_message(office)["text"]
    assert "50 nhiệm vụ" in text and "Chỉ tiêu (10):" in text
    assert "tối thiểu 60%" in text  # the online-dossier target
    # ("Các phòng, ban, ngành; UBND cấp xã phối hợp" leads 9; "… và UBND cấp xã phối hợp"
    # names no lead for 10)
    assert "nhiệm vụ chưa có đơn vị chủ trì: 7, 10, 11" in text


async def test_a_photo_without_the_caption_or_unreadable_is_explained(
    app, fake: FakeBotAPI, area: Database, clock
) -> None:
    office = await _register(fake, area, clock, Role.OFFICE, None)
    mark = fake.mark()
    fake.send_photo(office, office)
    await fake.wait_for("sendMessage", since=mark)
    assert "chú thích “kế hoạch”" in fake.last_bot_message(office)["text"]
    mark = fake.mark()
    fake.send_photo(office, office, caption="Kế Hoạch")  # not a picture Pillow can open
    await fake.wait_for("sendMessage", since=mark)
    reply = fake.last_bot_message(office)["text"]
    assert "Không mở được" in reply and "Chưa nhập gì" in reply
    mark = fake.mark()
    fake.send_document(office, office, "scan.pdf", content=b"%PDF-1.7\n" + bytes(200))
    await fake.wait_for("sendMessage", since=mark)
    reply = fake.last_bot_message(office)["text"]
    assert "Không mở được tệp PDF" in reply and "Word (.docx)" in reply
    assert _count(area, Plan) == 0


@pytest.mark.ocr
@pytest.mark.skipif(have_tools() is not None, reason=have_tools() or "")
async def test_a_photo_captioned_ke_hoach_is_previewed(
    app, fake: FakeBotAPI, area: Database, clock
) -> None:
    office = await _register(fake, area, clock, Role.OFFICE, None)
    name = "ke-hoach-thi-xa-son-tay-2025"
    photo = photo_png(name, appendix_pages(name)[0])
    mark = fake.mark()
    fake.send_photo(office, office, caption="ke hoach", content=photo, width=1800, height=2300)
    await fake.wait_for("sendMessage", since=mark, timeout=240)
    reply = fake.last_bot_message(office)
    assert "cần kiểm tra" in reply["text"]
    assert reply.get("reply_markup")  # the preview's buttons: Nhập / Hủy
    with area.session() as session:
        drafts = session.scalars(select(Plan)).all()
    assert len(drafts) == 1 and drafts[0].source_filename == "photo.jpg"


async def test_plans_of_two_years_a_bold_warning_and_the_choice_of_plan(
    app, fake: FakeBotAPI, area: Database, clock
) -> None:
    from tests import plans_fixtures as fx

    office = await _register(fake, area, clock, Role.OFFICE, None)
    official = await _register(fake, area, clock, Role.OFFICIAL, "Xã Sơn Dương")

    async def send(name: str, content: bytes) -> dict:
        mark = fake.mark()
        fake.send_document(office, office, name, content=content)
        await fake.wait_for("sendMessage", since=mark)
        return fake.last_bot_message(office)

    async def press(message: dict, label: str, user=office) -> dict:
        mark = fake.mark()
        fake.press(user, message, text=label)
        await fake.wait_for("sendMessage", since=mark)
        return fake.last_bot_message(user)

    await press(await send("ke-hoach-2026.xlsx", fx.year_plan_xlsx(2026)), "Nhập")

    # A correction that drops half the tasks: the warning is bold, after an emoji (two
    # UTF-16 code units) and Vietnamese letters in the file name.
    drop = ("6", "7", "8", "9", "10")
    preview = await send("kế-hoạch-sửa 📋.xlsx", fx.year_plan_xlsx(2026, drop=drop))
    text = preview["text"]
    alarm = "Cập nhật này sẽ rút 5/10 nhiệm vụ của kế hoạch năm 2026 đang dùng."
    [entity] = preview["entities"]
    assert entity["type"] == "bold" and text.index("📋") < text.index(alarm)
    assert entity["offset"] == text.index(alarm) + 1 and entity["length"] == len(alarm)
    utf16 = text.encode("utf-16-le")
    start, end = 2 * entity["offset"], 2 * (entity["offset"] + entity["length"])
    assert utf16[start:end].decode("utf-16-le") == alarm
    await press(preview, "Hủy")

    # The plan for 2027 is a new plan; the 2026 one keeps its ten tasks and stays in use.
    preview = await send("ke-hoach-2027.xlsx", fx.year_plan_xlsx(2027))
    assert "năm 2027" in preview["text"] and "entities" not in preview
    done = await press(preview, "Nhập")
    assert done["text"].startswith("Đã nhập kế hoạch năm 2027: 10 nhiệm vụ")
    with area.session() as session:
        years = dict(
            session.execute(
                select(Plan.year, func.count(Task.id))
                .join(Task)
                .where(Task.withdrawn_at.is_(None))
                .group_by(Plan.year)
            ).all()
        )
    assert years == {2026: 10, 2027: 10}

    mark = fake.mark()
    fake.send_text(official, official, "/kehoach")
    await fake.wait_for("sendMessage", since=mark)
    seen = fake.last_bot_message(official)
    assert "Các kế hoạch (2):" in seen["text"] and "reply_markup" not in seen

    mark = fake.mark()
    fake.send_text(office, office, "/kehoach")
    await fake.wait_for("sendMessage", since=mark)
    outline = fake.last_bot_message(office)
    switched = await press(outline, "Dùng kế hoạch năm 2027")
    assert "Kế hoạch đang dùng do Văn phòng chọn" in switched["text"]
    mark = fake.mark()
    fake.send_text(official, official, "nv 8 xong")
    await fake.wait_for("sendMessage", since=mark)
    assert "8 Tự kiểm tra" in fake.last_bot_message(official)["text"]
    with area.session() as session:
        [year] = session.scalars(
            select(Plan.year).join(Task).join(Assignment).join(StatusUpdate)
        ).all()
    assert year == 2027


async def test_a_file_name_with_nul_is_stored_without_it(
    app, fake: FakeBotAPI, area: Database, clock
) -> None:
    # PostgreSQL text cannot hold NUL: the upload used to fail there with no reply.
    office = await _register(fake, area, clock, Role.OFFICE, None)
    mark = fake.mark()
    fake.send_document(office, office, "ke-hoach\x00-2025.txt", content=SAMPLE.read_bytes())
    await fake.wait_for("sendMessage", since=mark)
    text = fake.last_bot_message(office)["text"]
    assert "26 nhiệm vụ" in text and "ke-hoach-2025.txt" in text and "\x00" not in text
    with area.session() as session:
        [name] = session.scalars(select(Plan.source_filename)).all()
    assert name == "ke-hoach-2025.txt"

    mark = fake.mark()
    fake.send_document(office, office, "ghi\x00chu.txt", content=b"\x00\x01\x02 not text")
    await fake.wait_for("sendMessage", since=mark)
    text = fake.last_bot_message(office)["text"]
    assert "Chưa nhập gì" in text and "\x00" not in text


async def test_a_huge_workbook_is_refused_in_seconds_with_the_limit(
    app, fake: FakeBotAPI, area: Database, clock
) -> None:
    from bot.plans.files import MAX_ROWS
    from tests import hostile_files

    office = await _register(fake, area, clock, Role.OFFICE, None)
    mark = fake.mark()
    fake.send_document(office, office, "bang.xlsx", content=hostile_files.plan_xlsx(100_000))
    await fake.wait_for("sendMessage", since=mark)
    text = fake.last_bot_message(office)["text"]
    assert f"hơn {MAX_ROWS:,} dòng".replace(",", ".") in text and "Chưa nhập gì" in text
    assert _count(area, Plan) == 0


async def _corrected_details(
    fake: FakeBotAPI, office, message, cells: dict[str, tuple[int, str]]
) -> bytes:
    """The workbook "Xem chi tiết" sends, as the office corrects it in Excel: in the
    task rows ``cells`` names by code, the column given set to the text given."""
    mark = fake.mark()
    fake.press(office, message, text="Xem chi tiết")
    calls = await fake.wait_for("sendDocument", since=mark)
    book = load_workbook(io.BytesIO(calls[0].params["document"].content))
    for row in book.active.iter_rows(min_row=4):
        if row[0].value in cells:
            column, text = cells[row[0].value]
            row[column].value = text
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def test_the_office_corrects_the_details_and_sends_them_back(
    app, fake: FakeBotAPI, area: Database, clock
) -> None:
    """The workbook "Xem chi tiết" sends of a plan read from damaged OCR text, corrected
    in Excel where the text lost a cell (4.2's time) or the reading guessed one (5.5's
    lead, lost, taken from the row above) and sent back, is previewed and imported as
    the corrected plan."""
    office = await _register(fake, area, clock, Role.OFFICE, None)
    mark = fake.mark()
    damaged = DATA / "plans" / "damaged" / SAMPLE.name  # OCR without Vietnamese data
    fake.send_document(office, office, SAMPLE.name, content=damaged.read_bytes())
    await fake.wait_for("sendMessage", since=mark)
    preview = fake.last_bot_message(office)
    assert "chưa có thời gian thực hiện: 4.2" in preview["text"]
    assert "chưa có đơn vị chủ trì" not in preview["text"]  # 5.5: the lead above
    assert "cần kiểm tra từng nhiệm vụ" in preview["text"] and "5.5" in preview["text"]
    corrected_file = await _corrected_details(
        fake,
        office,
        preview,
        {
            "4.2": (4, "Trước ngày 30/9/2025"),  # read without a timeframe
            "5.5": (2, "Phòng Tư pháp"),  # its lead guessed from the row above
        },
    )
    mark = fake.mark()
    fake.send_document(office, office, "ke-hoach-da-sua.xlsx", content=corrected_file)
    await fake.wait_for("sendMessage", since=mark)
    corrected = fake.last_bot_message(office)
    assert "26 nhiệm vụ" in corrected["text"]
    assert "thời gian thực hiện: 4.2" not in corrected["text"]
    assert "chủ trì: 5.5" not in corrected["text"]
    mark = fake.mark()
    fake.press(office, corrected, text="Nhập")
    await fake.wait_for("sendMessage", since=mark)
    assert "Đã nhập kế hoạch năm 2025: 26 nhiệm vụ" in fake.last_bot_message(office)["text"]
    with area.session() as session:
        task = session.scalars(select(Task).where(Task.code == "4.2")).one()
        assert task.due_date is not None and task.due_date.isoformat() == "2025-09-30"
        lead = session.scalars(select(Task).where(Task.code == "5.5")).one()
        assert [a.unit.name for a in lead.assignments if a.role.value == "lead"] == [
            "Phòng Tư pháp"
        ]


async def test_the_plan_in_use_is_corrected_from_its_workbook(
    app, fake: FakeBotAPI, area: Database, clock
) -> None:
    """/kehoach gives the office the plan in use as its workbook; corrected and sent
    back, it previews as an update of that plan, then updates the task changed."""
    office = await _register(fake, area, clock, Role.OFFICE, None)
    mark = fake.mark()
    fake.send_document(office, office, SAMPLE.name, content=SAMPLE.read_bytes())
    await fake.wait_for("sendMessage", since=mark)
    mark = fake.mark()
    fake.press(office, fake.last_bot_message(office), text="Nhập")
    await fake.wait_for("sendMessage", since=mark)

    mark = fake.mark()
    fake.send_text(office, office, "/kehoach")
    await fake.wait_for("sendMessage", since=mark)
    outline = fake.last_bot_message(office)
    assert "tệp “Xem chi tiết” đã sửa trong Excel" in outline["text"]
    leader = await _register(fake, area, clock, Role.LEADER, None)
    mark = fake.mark()
    fake.send_text(leader, leader, "/kehoach")
    await fake.wait_for("sendMessage", since=mark)
    seen = fake.last_bot_message(leader)
    assert "Xem chi tiết" not in seen["text"] and "reply_markup" not in seen  # office only
    corrected_file = await _corrected_details(
        fake, office, outline, {"2.1": (4, "Trước ngày 15/11/2025")}
    )
    mark = fake.mark()
    fake.send_document(office, office, "ke-hoach.xlsx", content=corrected_file)
    await fake.wait_for("sendMessage", since=mark)
    preview = fake.last_bot_message(office)
    assert "cập nhật kế hoạch năm 2025" in preview["text"]
    mark = fake.mark()
    fake.press(office, preview, text="Nhập")
    await fake.wait_for("sendMessage", since=mark)
    done = fake.last_bot_message(office)["text"]
    assert "0 nhiệm vụ mới, 1 sửa đổi, 0 rút khỏi kế hoạch, 25 không đổi" in done
    assert _count(area, Plan, Plan.draft.is_(False)) == 1
    with area.session() as session:
        task = session.scalars(select(Task).where(Task.code == "2.1")).one()
        assert task.due_date is not None and task.due_date.isoformat() == "2025-11-15"
        assert (
            session.scalar(
                select(func.count()).select_from(Task).where(Task.withdrawn_at.is_not(None))
            )
            == 0
        )
