"""Invites, registration, the actor behind an update, and idempotency, through the core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.core import Core
from bot.services.identity import InviteError, Redeem, create_invite, redeem_invite
from bot.services.units import UnitNotResolved
from bot.transport import ChatRef, ChatType, Incoming, Kind, UserRef
from storage.db import Database
from storage.models import InboundMessage, Invite, Official, Role
from storage.queries import set_meta

ALICE = UserRef(1001, "Nguyễn Thị An", "an_nguyen", "vi")
BOB = UserRef(1002, "Trần Văn Bình", None, "en-US")


def _incoming(
    user: UserRef,
    update_id: int,
    *,
    command: str | None = None,
    args: tuple[str, ...] = (),
    text: str | None = None,
    chat: ChatRef | None = None,
    clock=None,
) -> Incoming:
    from datetime import UTC, datetime

    return Incoming(
        transport="telegram",
        update_id=update_id,
        kind=Kind.COMMAND if command else Kind.TEXT,
        chat=chat or ChatRef(user.id, ChatType.PRIVATE),
        user=user,
        date=clock() if clock else datetime.now(UTC),
        text=text or (f"/{command} {' '.join(args)}".strip() if command else None),
        command=command,
        args=args,
    )


def _run(core: Core, incoming: Incoming) -> list[str]:
    claim = core.begin(incoming)
    if claim is None:
        return ["<duplicate>"]
    return [r.text for r in core.handle(incoming, claim)]


@pytest.fixture
def core(area: Database, settings: Settings, clock) -> Core:
    return Core(db=area, settings=settings, clock=clock)


def test_invite_then_start_binds_the_account(core: Core, clock) -> None:
    with core.db.session() as session:
        set_meta(session, "bot_username", "dondoc_bot")
    info = create_invite(
        core.db,
        role=Role.OFFICIAL,
        unit_query="xa son duong",
        now=clock(),
        days=7,
        created_by="test",
    )
    assert info.unit_name == "Xã Sơn Dương"
    assert info.link == f"https://t.me/dondoc_bot?start={info.code}"
    assert len(info.code) >= 16 and info.code.replace("-", "").replace("_", "").isalnum()

    replies = _run(core, _incoming(ALICE, 1, command="start", args=(info.code,), clock=clock))
    assert "Nguyễn Thị An" in replies[0]
    assert "cán bộ đầu mối của Xã Sơn Dương" in replies[0]
    assert "/trogiup" in replies[0]
    with core.db.session() as session:
        official = session.scalar(select(Official).where(Official.telegram_user_id == ALICE.id))
        assert (official.role, official.unit.name) == (Role.OFFICIAL, "Xã Sơn Dương")

    # /start again without a code: greeted as registered, not asked to register.
    again = _run(core, _incoming(ALICE, 2, command="start", clock=clock))
    assert "Xã Sơn Dương" in again[0]


def test_a_code_works_once(core: Core, clock) -> None:
    info = create_invite(
        core.db, role=Role.OFFICE, unit_query=None, now=clock(), days=7, created_by="test"
    )
    assert redeem_invite(core.db, info.code, ALICE, clock()).outcome is Redeem.REGISTERED
    assert redeem_invite(core.db, info.code, BOB, clock()).outcome is Redeem.USED
    reply = _run(core, _incoming(BOB, 5, command="start", args=(info.code,), clock=clock))
    assert "already been used" in reply[0]  # Bob's Telegram is in English
    with core.db.session() as session:
        assert session.scalar(select(Official).where(Official.telegram_user_id == BOB.id)) is None


def test_expired_and_made_up_codes_bind_nothing(core: Core, clock) -> None:
    info = create_invite(
        core.db, role=Role.LEADER, unit_query=None, now=clock(), days=1, created_by="test"
    )
    clock.advance(days=1, seconds=1)
    expired = _run(core, _incoming(ALICE, 1, command="start", args=(info.code,), clock=clock))
    assert "hết hạn" in expired[0]
    made_up = _run(core, _incoming(ALICE, 2, command="start", args=("nope",), clock=clock))
    assert "không tồn tại" in made_up[0]
    with core.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Official)) == 0
        assert session.scalar(select(Invite.used_at)) is None


def test_language_follows_telegram_when_no_choice_is_stored(core: Core, clock) -> None:
    info = create_invite(
        core.db,
        role=Role.OFFICIAL,
        unit_query="Phường Minh Xuân",
        now=clock(),
        days=7,
        created_by="test",
    )
    reply = _run(core, _incoming(BOB, 1, command="start", args=(info.code,), clock=clock))
    assert "You are registered as focal official of Phường Minh Xuân" in reply[0]
    with core.db.session() as session:
        official = session.scalar(select(Official))
        official.locale = "vi"
    help_text = _run(core, _incoming(BOB, 2, command="trogiup", clock=clock))
    assert "Báo cáo bằng tin nhắn thường" in help_text[0]


def test_an_official_invite_needs_a_known_unit(core: Core, clock) -> None:
    with pytest.raises(InviteError):
        create_invite(
            core.db, role=Role.OFFICIAL, unit_query=None, now=clock(), days=7, created_by="test"
        )
    with pytest.raises(UnitNotResolved) as info:
        create_invite(
            core.db,
            role=Role.OFFICIAL,
            unit_query="Xã Không Tồn Tại",
            now=clock(),
            days=7,
            created_by="test",
        )
    assert info.value.match.unit is None


def test_unregistered_people_are_told_how_to_register_and_nothing_is_kept(
    core: Core, clock
) -> None:
    reply = _run(core, _incoming(ALICE, 7, text="xa son duong nv 2.1 xong", clock=clock))
    assert "chưa đăng ký" in reply[0]
    with core.db.session() as session:
        row = session.scalar(select(InboundMessage))
        assert row.update_id == 7
        assert (row.text, row.user_id, row.official_id) == (None, None, None)


def test_a_redelivered_update_is_ignored(core: Core, clock) -> None:
    first = _run(core, _incoming(ALICE, 42, command="trogiup", clock=clock))
    assert first and first[0]
    assert _run(core, _incoming(ALICE, 42, command="trogiup", clock=clock)) == ["<duplicate>"]


def test_unregistered_chatter_in_a_group_gets_no_reply(core: Core, clock) -> None:
    group = ChatRef(-100, ChatType.SUPERGROUP, "Đầu mối TTHC")
    assert _run(core, _incoming(ALICE, 1, text="chào cả nhà", chat=group, clock=clock)) == []


def test_invite_expiry_is_the_configured_number_of_days(core: Core, clock) -> None:
    info = create_invite(
        core.db, role=Role.ADMIN, unit_query=None, now=clock(), days=3, created_by="test"
    )
    assert info.expires_at - clock() == timedelta(days=3)


def test_a_stored_language_choice_wins_over_telegram(core: Core, clock) -> None:
    code = create_invite(
        core.db,
        role=Role.OFFICIAL,
        unit_query="Xã Hồng Thái",
        now=clock(),
        days=7,
        created_by="test",
    ).code
    redeem_invite(core.db, code, ALICE, clock())  # Alice's Telegram is Vietnamese
    assert _run(core, _incoming(ALICE, 1, command="ngonngu", args=("en",), clock=clock)) == [
        "Your language is now English."
    ]
    assert "Report by writing" in _run(core, _incoming(ALICE, 2, command="trogiup", clock=clock))[0]
    assert _run(core, _incoming(ALICE, 3, command="ngonngu", args=("vi",), clock=clock)) == [
        "Đã chuyển sang tiếng Việt."
    ]
    usage = _run(core, _incoming(ALICE, 4, command="ngonngu", args=("fr",), clock=clock))
    assert "/ngonngu vi" in usage[0]


def test_a_group_has_its_own_language(core: Core, clock) -> None:
    group = ChatRef(-77, ChatType.GROUP, "Nhóm")
    office_code = create_invite(
        core.db, role=Role.OFFICE, unit_query=None, now=clock(), days=7, created_by="test"
    ).code
    redeem_invite(core.db, office_code, ALICE, clock())
    added = _incoming(ALICE, 1, chat=group, clock=clock)
    added = Incoming(**{**added.__dict__, "kind": Kind.BOT_ADDED})
    core.handle(added, core.begin(added))
    assert _run(
        core, _incoming(ALICE, 2, command="ngonngu", args=("en",), chat=group, clock=clock)
    ) == ["This group's language is now English."]
    # Alice's own language stays Vietnamese in private, English in the group.
    assert "Báo cáo bằng" in _run(core, _incoming(ALICE, 3, command="trogiup", clock=clock))[0]
    in_group = _run(core, _incoming(ALICE, 4, command="trogiup", chat=group, clock=clock))
    assert "Report by writing" in in_group[0]


def test_guessing_codes_is_refused_for_a_while_without_asking_the_database(
    core: Core, clock, monkeypatch
) -> None:
    import bot.services.identity as identity

    real = create_invite(
        core.db, role=Role.OFFICE, unit_query=None, now=clock(), days=7, created_by="test"
    )
    expired = create_invite(
        core.db, role=Role.OFFICE, unit_query=None, now=clock(), days=1, created_by="test"
    )
    clock.advance(days=1, seconds=1)
    # Four made-up codes and an expired one within ten minutes…
    for update_id, code in enumerate(["aaa", "bbb", expired.code, "ccc", "ddd"], start=1):
        reply = _run(core, _incoming(ALICE, update_id, command="start", args=(code,), clock=clock))
        assert "không tồn tại" in reply[0] or "hết hạn" in reply[0]
        clock.advance(minutes=2)
    # …then even the right code is not checked: the database is not asked.
    asked = []
    monkeypatch.setattr(identity, "redeem_invite", lambda *a: asked.append(a))
    refused = _run(core, _incoming(ALICE, 10, command="start", args=(real.code,), clock=clock))
    assert refused[0].startswith("Tài khoản này đã gửi quá nhiều mã mời sai")
    # Half an hour after the last wrong code (09:08 in Hà Nội).
    assert "đến 09:38 10/03/2026" in refused[0]
    assert asked == []
    monkeypatch.undo()
    # Someone else is not held up.
    other = _run(core, _incoming(BOB, 11, command="start", args=("eee",), clock=clock))
    assert "does not exist" in other[0]
    # Half an hour after the last wrong code, the right code works.
    clock.advance(minutes=28)
    welcome = _run(core, _incoming(ALICE, 12, command="start", args=(real.code,), clock=clock))
    assert "Nguyễn Thị An" in welcome[0]


def test_wrong_codes_spread_over_more_than_ten_minutes_are_not_held_against_anyone(
    core: Core, clock
) -> None:
    for update_id in range(1, 9):
        reply = _run(core, _incoming(ALICE, update_id, command="start", args=("x",), clock=clock))
        assert "không tồn tại" in reply[0]
        clock.advance(minutes=3)  # five tries take twelve minutes


def test_the_count_of_wrong_codes_remembers_a_bounded_number_of_people(clock) -> None:
    from bot.services.identity import InviteGuesses

    guesses = InviteGuesses(limit=2, max_users=3)
    for user_id in range(1, 5):  # the first person is forgotten when the fourth comes
        guesses.wrong(user_id, clock())
        guesses.wrong(user_id, clock())
    assert guesses.blocked_until(1, clock()) is None
    assert all(guesses.blocked_until(u, clock()) is not None for u in (2, 3, 4))
    guesses.forget(4)
    assert guesses.blocked_until(4, clock()) is None


def test_a_name_with_nul_characters_registers_without_them(core: Core, clock) -> None:
    # PostgreSQL refuses NUL in text; Telegram lets a display name hold one.
    info = create_invite(
        core.db, role=Role.OFFICIAL, unit_query="Xã Sơn Dương", now=clock(), days=7,
        created_by="test",
    )  # fmt: skip
    nul = UserRef(1003, "Lê\x00 Văn\x00 Nul", "le_nul", "vi")
    welcome = _run(core, _incoming(nul, 1, command="start", args=(info.code,), clock=clock))
    assert "Lê Văn Nul" in welcome[0] and "\x00" not in welcome[0]
    with core.db.session() as session:
        official = session.scalar(select(Official).where(Official.telegram_user_id == nul.id))
        assert official.full_name == "Lê Văn Nul"
    # Registered, they report as anyone else.
    assert "\x00" not in _run(core, _incoming(nul, 2, text="nv 1 xong", clock=clock))[0]
