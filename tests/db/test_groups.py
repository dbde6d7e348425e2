"""A group is recorded when the bot joins; the office binds it to units with /nhom."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.core import Core
from bot.services.identity import create_invite, redeem_invite
from bot.transport import ChatRef, ChatType, Incoming, Kind, UserRef
from storage.db import Database
from storage.models import Chat, Role

GROUP = ChatRef(-1001, ChatType.SUPERGROUP, "Đầu mối TTHC")
OFFICE = UserRef(501, "Lê Văn Phòng", None, "vi")
OFFICIAL = UserRef(502, "Đỗ Thị Xã", None, "vi")


@pytest.fixture
def core(area: Database, settings: Settings, clock) -> Core:
    core = Core(db=area, settings=settings, clock=clock)
    for user, role, unit in (
        (OFFICE, Role.OFFICE, None),
        (OFFICIAL, Role.OFFICIAL, "Xã Hồng Thái"),
    ):
        code = create_invite(
            area, role=role, unit_query=unit, now=clock(), days=1, created_by="test"
        ).code
        redeem_invite(area, code, user, clock())
    return core


def _say(
    core: Core,
    user: UserRef,
    update_id: int,
    kind: Kind,
    command: str | None = None,
    args: tuple[str, ...] = (),
) -> list[str]:
    incoming = Incoming(
        "telegram",
        update_id,
        kind,
        GROUP,
        user,
        core.clock(),
        text=f"/{command}" if command else None,
        command=command,
        args=args,
    )
    claim = core.begin(incoming)
    assert claim is not None
    return [r.text for r in core.handle(incoming, claim)]


def _bound(core: Core) -> list[str]:
    with core.db.session() as session:
        chat = session.scalar(select(Chat).where(Chat.telegram_chat_id == GROUP.id))
        return [u.name for u in chat.units] if chat else []


def test_adding_the_bot_records_the_group_and_explains_binding(core: Core) -> None:
    greeting = _say(core, OFFICE, 1, Kind.BOT_ADDED)
    assert "/nhom" in greeting[0]
    with core.db.session() as session:
        chat = session.scalar(select(Chat))
        assert (chat.telegram_chat_id, chat.title, chat.active) == (GROUP.id, GROUP.title, True)
    assert _say(core, OFFICE, 2, Kind.BOT_REMOVED) == []
    with core.db.session() as session:
        assert session.scalar(select(Chat.active)) is False


def test_office_binds_and_unbinds_units(core: Core) -> None:
    _say(core, OFFICE, 1, Kind.BOT_ADDED)
    reply = _say(
        core, OFFICE, 2, Kind.COMMAND, "nhom", ("xa", "son", "duong,", "P.", "Minh", "Xuân")
    )
    assert "Xã Sơn Dương" in reply[0] and "Phường Minh Xuân" in reply[0]
    assert _bound(core) == ["Phường Minh Xuân", "Xã Sơn Dương"]
    reply = _say(core, OFFICE, 3, Kind.COMMAND, "nhom", ("xoá", "Phường", "Minh", "Xuân"))
    assert "Đã bỏ khỏi nhóm: Phường Minh Xuân" in reply[0]
    assert _bound(core) == ["Xã Sơn Dương"]
    shown = _say(core, OFFICIAL, 4, Kind.COMMAND, "nhom")
    assert "Nhóm này phục vụ: Xã Sơn Dương" in shown[0]


def test_an_unknown_unit_changes_nothing_and_suggests(core: Core) -> None:
    _say(core, OFFICE, 1, Kind.BOT_ADDED)
    reply = _say(
        core, OFFICE, 2, Kind.COMMAND, "nhom", ("Xã", "Hồng", "Thái,", "Xã", "Sơn", "Dông")
    )
    assert "Xã Sơn Dông" in reply[0] and "Xã Sơn Dương" in reply[0]
    assert "Chưa thay đổi gì" in reply[0]
    assert _bound(core) == []


def test_only_office_or_admin_may_bind(core: Core) -> None:
    reply = _say(core, OFFICIAL, 1, Kind.COMMAND, "nhom", ("Xã", "Hồng", "Thái"))
    assert "Chỉ Văn phòng" in reply[0]
    assert _bound(core) == []


def test_a_group_title_with_nul_characters_is_stored_without_them(core: Core) -> None:
    # PostgreSQL refuses NUL in text; Telegram lets a title hold one.
    titled = ChatRef(GROUP.id, GROUP.type, "Đầu\x00 mối\x00")
    for update_id, kind, command, args in (
        (1, Kind.BOT_ADDED, None, ()),
        (2, Kind.COMMAND, "nhom", ("Xã", "Hồng", "Thái")),
    ):
        incoming = Incoming(
            "telegram", update_id, kind, titled, OFFICE, core.clock(), command=command, args=args
        )
        claim = core.begin(incoming)
        assert claim is not None
        assert core.handle(incoming, claim)[0].text
    assert _bound(core) == ["Xã Hồng Thái"]
    with core.db.session() as session:
        assert session.scalar(select(Chat.title)) == "Đầu mối"
    # A group first seen when it is bound (the bot was added before it recorded groups).
    other = ChatRef(-1002, ChatType.GROUP, "\x00Nhóm\x00 hai")
    incoming = Incoming(
        "telegram", 3, Kind.COMMAND, other, OFFICE, core.clock(), command="nhom",
        args=("Xã", "Sơn", "Dương"),
    )  # fmt: skip
    claim = core.begin(incoming)
    assert claim is not None and "Xã Sơn Dương" in core.handle(incoming, claim)[0].text
    with core.db.session() as session:
        titles = session.scalars(select(Chat.title).order_by(Chat.telegram_chat_id)).all()
    assert titles == ["Nhóm hai", "Đầu mối"]
