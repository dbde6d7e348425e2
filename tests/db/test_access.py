"""Every command, question and button, as every role: an official sees their own unit's
detail and the area's totals, never another unit's detail nor another person's name, and
acts only on what is theirs (``bot.services.access``, ``docs/access.md``)."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import func, select

from bot.language.periods import Period
from bot.services import access, periodic, reports
from bot.services.identity import Actor
from bot.transport import Kind, Reply
from storage.db import Database
from storage.models import (
    Assignment,
    IndicatorValue,
    Official,
    PendingReport,
    Reminder,
    ReminderState,
    Role,
    StatusUpdate,
    Unit,
)
from tests.db.test_reports import COMMUNE, LEADER, NOW, OFFICE, WARD, Chat

OTHER_UNIT, OTHER_PERSON = "Phường Lê Lợi", "Người 201"  # the ward and its official


def _seed(chat: Chat, db: Database) -> dict[str, int]:
    """Reports of the ward and the commune, a question left open by the ward, reminders
    sent to the ward; the ids someone might forge buttons with."""
    chat.say(WARD, "nv 3 xong, nv 15 chậm do thiếu người, so hoa 85/100, hai long 96%")
    chat.say(COMMUNE, "nv 3 đang thực hiện, so hoa 70/100")
    chat.say(OFFICE, "Phường Lê Lợi: nv 13 xong")
    chat.say(WARD, "nv 13 xong 50%")  # open: waits for the ward's choice
    with db.session() as session:
        ward = session.scalar(select(Unit.id).where(Unit.name == OTHER_UNIT))
        assignment = session.scalar(
            select(Assignment.id).where(Assignment.unit_id == ward).limit(1)
        )
        official = session.scalar(select(Official.id).where(Official.telegram_user_id == WARD))
        reminder = Reminder(
            key="deadline:test>ward",
            kind="deadline",
            assignment_id=assignment,
            unit_id=ward,
            official_id=official,
            due_at=NOW,
            state=ReminderState.SENT,
        )
        session.add(reminder)
        session.flush()
        ward_report = session.scalar(
            select(StatusUpdate.inbound_message_id).order_by(StatusUpdate.id).limit(1)
        )
        pending = session.scalar(select(PendingReport.id))
    assert ward is not None and ward_report is not None and pending is not None
    return {"ward": ward, "reminder": reminder.id, "report": ward_report, "pending": pending}


def _commands(ids: dict[str, int]) -> list[tuple[Kind, str, str | None]]:
    """(kind, text or callback data, command) for everything a person can send."""
    unit = OTHER_UNIT
    command = [
        ("lichsu", unit),
        ("lichsu", f"{unit} nv 3"),
        ("lichsu", ""),
        ("nhiemvu", unit),
        ("nhiemvu", ""),
        ("tinhhinh", unit),
        ("tinhhinh", "quý 4"),
        ("tinhhinh", ""),
        ("nhacviec", ""),
        ("kehoach", ""),
        ("trogiup", ""),
        ("huy", ""),
    ]
    questions = [
        f"tiến độ {unit}",
        "xã nào chậm?",
        "đơn vị nào chưa báo cáo?",
        "nhiệm vụ 3 ai chưa xong?",
        "số hóa tháng này thế nào?",
        "tình hình tháng này",
        "tình hình quý 4",
    ]
    key = "2025-12"
    buttons = [
        f"q:late:{key}",
        f"q:ov:{key}",
        f"q:xlsx:{key}",
        f"q:unit:{key}:{ids['ward']}",
        f"rep:undo:{ids['report']}",
        f"rep:ok:{ids['pending']}",
        f"rep:pick:{ids['pending']}:1",
        f"rep:no:{ids['pending']}",
        f"rem:snz:{ids['reminder']}:1",
        f"rem:done:{ids['reminder']}",
        "plan:ok:1",
        "plan:no:1",
        "plan:xlsx:1",
    ]
    return (
        [(Kind.COMMAND, args, name) for name, args in command]
        + [(Kind.TEXT, text, None) for text in questions]
        + [(Kind.CALLBACK, data, None) for data in buttons]
    )


def _send(chat: Chat, user: int, kind: Kind, text: str, command: str | None) -> list[Reply]:
    if kind is Kind.CALLBACK:
        return chat.press_data(user, text)
    if kind is Kind.COMMAND:
        return chat.send(user, f"/{command} {text}".strip(), kind=kind, command=command,
                         args=tuple(text.split()))  # fmt: skip
    return chat.send(user, text)


def _everything_shown(replies: list[Reply]) -> str:
    """Every text the person receives, the cells of spreadsheets included."""
    parts = []
    for reply in replies:
        parts += [reply.text, *(b.label for row in reply.buttons for b in row)]
        for item in reply.attachments:
            parts.append(item.caption or "")
            if item.filename.endswith(".xlsx"):
                book = openpyxl.load_workbook(io.BytesIO(item.content), read_only=True)
                for sheet in book.worksheets:
                    for row in sheet.iter_rows(values_only=True):
                        parts += [str(v) for v in row if v is not None]
    return "\n".join(parts)


def _facts(db: Database) -> tuple[int, ...]:
    """What changing anything would change: standing facts, reminders, open questions."""
    with db.session() as session:
        return (
            session.scalar(
                select(func.count()).select_from(StatusUpdate).where(
                    StatusUpdate.retracted_at.is_(None)
                )
            ),
            session.scalar(
                select(func.count()).select_from(IndicatorValue).where(
                    IndicatorValue.retracted_at.is_(None)
                )
            ),
            session.scalar(select(func.count()).select_from(Reminder)),
            session.scalar(
                select(func.count()).select_from(PendingReport).where(
                    PendingReport.closed_at.is_(None)
                )
            ),
        )  # fmt: skip


def test_an_official_sees_and_touches_only_their_own_unit(chat: Chat, reporting: Database) -> None:
    ids = _seed(chat, reporting)
    before = _facts(reporting)
    for kind, text, command in _commands(ids):
        if command == "huy":
            continue  # the commune's own undo is allowed; checked below
        replies = _send(chat, COMMUNE, kind, text, command)
        shown = _everything_shown(replies)
        assert OTHER_UNIT not in shown, (kind, text, shown)
        assert OTHER_PERSON not in shown and "Người 203" not in shown, (kind, text, shown)
        assert not any(a.is_picture for r in replies for a in r.attachments), (kind, text)
        assert _facts(reporting) == before, (kind, text)
    # asking for the ward by name is answered with what they may see, said plainly
    [refused] = chat.send(COMMUNE, f"/lichsu {OTHER_UNIT}", kind=Kind.COMMAND,
                          command="lichsu", args=tuple(OTHER_UNIT.split()))  # fmt: skip
    assert "không xem chi tiết của đơn vị khác" in refused.text
    [late] = chat.send(COMMUNE, "xã nào chậm?")
    assert "dành cho Văn phòng và lãnh đạo" in late.text
    # their own unit, in full
    [own] = chat.send(COMMUNE, "/lichsu", kind=Kind.COMMAND, command="lichsu")
    assert "Xã Đường Lâm" in own.text and "Người 202" in own.text


def test_an_officials_own_history_hides_other_peoples_names(
    chat: Chat, reporting: Database
) -> None:
    _seed(chat, reporting)
    [own] = chat.send(WARD, "/lichsu", kind=Kind.COMMAND, command="lichsu")
    assert "Người 201" in own.text  # their own
    assert "Người 203" not in own.text and "— Văn phòng" in own.text  # the office's report


@pytest.mark.parametrize("user", [OFFICE, LEADER])
def test_the_office_and_leaders_see_every_unit(chat: Chat, reporting: Database, user: int) -> None:
    ids = _seed(chat, reporting)
    shown = {}
    for kind, text, command in _commands(ids):
        if kind is Kind.CALLBACK and not text.startswith("q:"):
            continue  # acting on others' reports is tested elsewhere
        shown[(command or text, text)] = _everything_shown(_send(chat, user, kind, text, command))
    assert OTHER_PERSON in shown[("lichsu", OTHER_UNIT)]
    assert OTHER_UNIT in shown[("nhiemvu", OTHER_UNIT)]
    assert OTHER_UNIT in shown[(f"tiến độ {OTHER_UNIT}", f"tiến độ {OTHER_UNIT}")]
    assert OTHER_UNIT in shown[(f"q:unit:2025-12:{ids['ward']}",) * 2]


def test_forged_buttons_act_only_for_their_owner(chat: Chat, reporting: Database) -> None:
    ids = _seed(chat, reporting)
    before = _facts(reporting)
    for user in (COMMUNE, LEADER):
        for data in (
            f"rep:undo:{ids['report']}",
            f"rep:pick:{ids['pending']}:1",
            f"rep:no:{ids['pending']}",
            f"rem:snz:{ids['reminder']}:3",
            f"rem:done:{ids['reminder']}",
            "plan:ok:1",
        ):
            chat.press_data(user, data)
            assert _facts(reporting) == before, (user, data)
    # the ward's own official snoozes their reminder
    chat.press_data(WARD, f"rem:snz:{ids['reminder']}:1")
    assert _facts(reporting)[2] == before[2] + 1


def test_the_table_is_what_the_services_enforce(reporting: Database) -> None:
    official = Actor(1, "vi", official_id=1, role=Role.OFFICIAL, unit_id=7, unit_name="X")
    leader = Actor(2, "vi", official_id=2, role=Role.LEADER)
    assert access.may_see(official, access.View.UNIT, 7)
    assert not access.may_see(official, access.View.UNIT, 8)
    assert not access.may_see(official, access.View.RANKING)
    assert access.may_see(official, access.View.NAMES, official_id=1)
    assert not access.may_see(official, access.View.NAMES, official_id=2)
    assert access.may_see(leader, access.View.RANKING)
    with pytest.raises(access.NotAllowed):
        access.reminder_unit(leader)  # a leader without a unit has no reminders of theirs
    nobody = Actor(3, "vi")
    assert all(access.scope(nobody, view) is access.Scope.NONE for view in access.View)
    with pytest.raises(access.NotAllowed):
        reports.history(reporting, official, 8)


def test_the_periodic_report_of_an_official_is_their_own_units(
    chat: Chat, reporting: Database
) -> None:
    """Nothing of another unit, nor another person's name, in an official's report; the
    whole area's for the office."""
    ids = _seed(chat, reporting)
    with reporting.session() as session:
        person = session.scalars(select(Official).where(Official.telegram_user_id == COMMUNE)).one()
        commune = Actor(
            COMMUNE, "vi", official_id=person.id, role=person.role, unit_id=person.unit_id
        )
    office = Actor(OFFICE, "vi", role=Role.OFFICE)

    def report(viewer: Actor, unit_id: int | None = None) -> periodic.PeriodicReport:
        december = Period.month(2025, 12)  # sent on 20/11, after the cut-off day
        return periodic.report_data(
            reporting,
            december,
            NOW.date(),
            viewer=viewer,
            tz=ZoneInfo("Asia/Ho_Chi_Minh"),
            cutoff_day=15,
            unit_id=unit_id,
        )

    own = report(commune)
    assert own.log and own.unit != OTHER_UNIT
    assert OTHER_UNIT not in repr(own) and OTHER_PERSON not in repr(own)
    with pytest.raises(access.NotAllowed):
        report(commune, ids["ward"])
    area = repr(report(office))
    assert OTHER_UNIT in area and OTHER_PERSON in area
    assert report(office, ids["ward"]).unit == OTHER_UNIT
