"""The offline console: same core, numbered buttons, files saved to disk."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import select

from bot.config import Settings
from bot.console import Console, console_official, messages
from bot.core import Core
from bot.transport import Attachment, Button, Reply
from storage.db import Database
from storage.models import InboundMessage, Official, Role


def _console(area: Database, settings: Settings, clock, tmp_path: Path, **who) -> tuple:
    core = Core(db=area, settings=settings, clock=clock)
    official = console_official(core, who.get("unit"), who.get("role"))
    out = io.StringIO()
    return Console(core, official, out, tmp_path / "out"), out, official


def test_default_person_is_an_office_user_made_once(area, settings, clock, tmp_path) -> None:
    _, _, first = _console(area, settings, clock, tmp_path)
    _, _, again = _console(area, settings, clock, tmp_path)
    assert first.role is Role.OFFICE and first.id == again.id
    assert first.telegram_user_id < 0  # never a real Telegram account


def test_acting_as_a_unit(area, settings, clock, tmp_path) -> None:
    console, out, official = _console(area, settings, clock, tmp_path, unit="xa hong thai")
    assert (official.role, official.unit.name) == (Role.OFFICIAL, "Xã Hồng Thái")
    console.run(lines=["/start", "", "hello"])
    text = out.getvalue()
    assert "cán bộ đầu mối của Xã Hồng Thái" in text
    assert "Tôi chưa hiểu tin nhắn này" in text
    with area.session() as session:
        rows = session.scalars(select(InboundMessage).order_by(InboundMessage.id)).all()
        assert [(r.transport, r.text) for r in rows] == [
            ("console", "/start"),
            ("console", "hello"),
        ]
        assert all(r.official_id == official.id for r in rows)


def test_a_line_ending_in_a_backslash_goes_on_at_the_next(area, settings, clock, tmp_path) -> None:
    console, _, _ = _console(area, settings, clock, tmp_path, unit="xa hong thai")
    console.run(lines=["Báo cáo: \\", "1) nv 1 xong \\", "", "2) so hoa 90%", "hello \\"])
    with area.session() as session:
        texts = session.scalars(select(InboundMessage.text).order_by(InboundMessage.id)).all()
    # a message of two lines (a blank line ends it), the next line alone, the last one
    assert texts == ["Báo cáo:\n1) nv 1 xong", "2) so hoa 90%", "hello"]


def test_typed_lines_go_on_after_a_backslash_with_their_own_prompt(
    area, settings, clock, tmp_path
) -> None:
    console, _, _ = _console(area, settings, clock, tmp_path)
    typed = iter(["so hoa 90% \\", "hai long 97%", "/thoat", "never read"])
    shown: list[str] = []

    def prompt(text: str) -> str:
        shown.append(text)
        return next(typed)

    assert list(messages(console._typed(prompt))) == ["so hoa 90%\nhai long 97%"]
    assert shown == ["> ", "… ", "> "]


def test_update_ids_continue_across_sessions(area, settings, clock, tmp_path) -> None:
    console, _, _ = _console(area, settings, clock, tmp_path, role=Role.LEADER)
    console.run(lines=["/trogiup", "/trogiup"])
    console2, _, _ = _console(area, settings, clock, tmp_path, role=Role.LEADER)
    console2.run(lines=["/trogiup"])
    with area.session() as session:
        ids = session.scalars(select(InboundMessage.update_id)).all()
    assert sorted(ids) == [1, 2, 3]


def test_buttons_are_numbered_and_pressed_by_number(area, settings, clock, tmp_path) -> None:
    console, out, _ = _console(area, settings, clock, tmp_path)
    picture = Attachment("chart.png", b"\x89PNG fake", is_picture=True, caption="Tiến độ")
    console._print(
        [
            Reply(
                "Chọn:",
                buttons=[[Button("Có", "yes"), Button("Không", "no")]],
                attachments=[picture],
            )
        ]
    )
    lines = out.getvalue().splitlines()
    assert "  [1] Có" in lines and "  [2] Không" in lines
    saved = [Path(line) for line in lines if line.endswith("chart.png")]
    assert len(saved) == 1 and saved[0].read_bytes() == b"\x89PNG fake"
    replies = console.send("2")  # presses "Không"
    assert replies[0].notice == "Nút này không còn hiệu lực."
    with area.session() as session:
        assert (
            session.scalar(select(InboundMessage.kind).order_by(InboundMessage.id.desc()))
            == "callback"
        )


def test_bold_parts_are_shown_between_stars(area, settings, clock, tmp_path) -> None:
    console, out, _ = _console(area, settings, clock, tmp_path)
    text = "Xem trước 📋\n⚠️ Cập nhật này sẽ rút 5/10 nhiệm vụ. Còn lại: 5."
    console._print([Reply(text, bold=("Cập nhật này sẽ rút 5/10 nhiệm vụ.", "không có"))])
    assert out.getvalue().splitlines()[1] == "⚠️ **Cập nhật này sẽ rút 5/10 nhiệm vụ.** Còn lại: 5."


def test_console_people_are_ordinary_officials(area, settings, clock, tmp_path) -> None:
    _console(area, settings, clock, tmp_path, unit="TTPVHCC", role=Role.OFFICE)
    with area.session() as session:
        official = session.scalar(select(Official).where(Official.role == Role.OFFICE))
        assert official.unit.name == "Trung tâm Phục vụ hành chính công"
        # Shown to others (the history's "who"): in Vietnamese, not "Console (office, …)"
        assert official.full_name.startswith("Bảng điều khiển (Văn phòng")


def test_a_file_that_cannot_be_read_is_named_in_vietnamese(area, settings, clock, tmp_path) -> None:
    console, out, _ = _console(area, settings, clock, tmp_path)
    missing = tmp_path / "ke-hoach.docx"
    assert console.send(f"/tep {missing}") == []
    text = out.getvalue()
    assert f"Không đọc được tệp {missing}: không có tệp hay thư mục này." in text
    assert "No such file" not in text


def test_a_file_is_sent_with_its_caption(area, settings, clock, tmp_path) -> None:
    console, _out, _ = _console(area, settings, clock, tmp_path, unit="xa hong thai")
    folder = tmp_path / "báo cáo"
    folder.mkdir()
    sent = folder / "quý 3.docx"
    sent.write_bytes(b"PK\x03\x04")
    seen = []
    real = console.core.handle

    def handle(incoming, claim):
        seen.append((incoming.file.name, incoming.text))
        return real(incoming, claim)

    console.core.handle = handle
    console.send(f"/tep {sent}")  # a path with spaces, whole
    console.send(f"/tep {sent.with_name('x.docx')}")  # no such file: nothing sent
    (tmp_path / "bc.docx").write_bytes(b"PK\x03\x04")
    console.send(f"/tep {tmp_path / 'bc.docx'} đã gửi báo cáo quý 3")
    assert seen == [("quý 3.docx", None), ("bc.docx", "đã gửi báo cáo quý 3")]


def test_a_failure_is_answered_and_the_console_goes_on(
    area, settings, clock, tmp_path, caplog
) -> None:
    console, out, _ = _console(area, settings, clock, tmp_path)

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    real = console.core.handle
    console.core.handle = broken
    console.run(lines=["tình hình tháng này"])
    console.core.handle = real
    console.run(lines=["/trogiup"])
    text = out.getvalue()
    assert "Xin lỗi, bot gặp lỗi khi xử lý tin này (mã lỗi" in text
    assert "Đôn Đốc theo dõi" in text  # the next message is handled as usual
    assert any("boom" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)
