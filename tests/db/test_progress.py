"""Progress for a period, read from the current state, through the core and Telegram-free."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.config import Settings
from bot.core import Core
from bot.language.periods import Period
from bot.language.timeframes import parse_timeframe
from bot.plans.model import Comparator, IndicatorDraft, PlanDraft, TaskDraft
from bot.plans.resolve import resolve_plan
from bot.services import plans, progress
from bot.services.access import staff
from bot.services.identity import Actor
from bot.services.units import import_units, unit_catalogue
from bot.transport import Button, Kind, Reply
from bot.views.reminders import reminder_reply
from scheduling.outgoing import outgoing
from storage.db import Database
from storage.models import Official, Reminder, ReminderState, Role, Unit
from tests.db.test_reports import Chat

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")  # the deployment's time zone in these tests

DATA = Path(__file__).parents[1] / "data"
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)

STAFF = staff()  # what the office and leaders may see


def _task(code: str, due: str, units: list[str]) -> TaskDraft:
    return TaskDraft(
        code=code,
        content=f"Nhiệm vụ {code}",
        lead=units,
        timeframe_text=due,
        timeframe=parse_timeframe(due, 2026),
    )


def plan_draft(
    *more: TaskDraft, indicators: tuple[IndicatorDraft, ...] = (), second_due: str = "30/11/2026"
) -> PlanDraft:
    """The tests' plan: tasks 1 (10/11), 2 (``second_due``) and 3 (15/10), and ``more``."""
    return PlanDraft(
        title="Kế hoạch 2026",
        issuer="UBND thị xã Sơn Tây",
        year=2026,
        tasks=[
            _task("1", "Trước ngày 10/11/2026", ["Phường Lê Lợi", "Xã Đường Lâm"]),
            _task("2", f"Trước ngày {second_due}", ["Phường Lê Lợi", "Xã Đường Lâm"]),
            _task("3", "Trước ngày 15/10/2026", ["Phường Lê Lợi"]),
            *more,
        ],
        indicators=[
            IndicatorDraft("1", "Tỷ lệ số hóa hồ sơ", "%", Comparator.AT_LEAST, Decimal(80)),
            *indicators,
        ],
    )


def _setup(db: Database, *more: TaskDraft, indicators: tuple[IndicatorDraft, ...] = ()) -> None:
    import_units(db, DATA / "son-tay-units.csv")
    draft = plan_draft(*more, indicators=indicators)
    with db.session() as session:
        catalogue = unit_catalogue(session)
    actor = Actor(user_id=None, language="vi", role=Role.OFFICE)
    plans.confirm(db, plans.store_draft(db, resolve_plan(draft, catalogue), "kh", actor, NOW), NOW)
    with db.session() as session:
        for telegram_id, role, name in (
            (201, Role.OFFICIAL, "Phường Lê Lợi"),
            (202, Role.OFFICIAL, "Xã Đường Lâm"),
            (204, Role.LEADER, None),
        ):
            unit = session.scalar(select(Unit.id).where(Unit.name == name)) if name else None
            session.add(
                Official(telegram_user_id=telegram_id, role=role, unit_id=unit, full_name="A")
            )


def test_overview_counts_by_status_and_units(db: Database, clock) -> None:
    _setup(db)
    clock.now = datetime(2026, 11, 5, 2, 0, tzinfo=UTC)
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    chat.say(201, "nv 1 xong")  # on time (due 10/11)
    clock.now = NOW
    chat.say(201, "nv 2 đang thực hiện")
    chat.say(201, "so hoa 85/100")
    chat.say(202, "so hoa 70/100")
    # Figures sent on 20/11 are for December (after the cut-off day, the 15th).
    december = Period.month(2026, 12)
    data = progress.overview(
        db,
        Period.month(2026, 11),
        date(2026, 11, 20),
        indicator_periods=(december,),
        viewer=STAFF,
        tz=HANOI,
    )
    assert data.indicator_period == december
    by_name = {u.name: u for u in data.units}
    ward, commune = by_name["Phường Lê Lợi"], by_name["Xã Đường Lâm"]
    assert ward.counts == {"done": 1, "late": 0, "in_progress": 1, "overdue": 0, "not_reported": 0}
    assert commune.counts["overdue"] == 1 and commune.counts["not_reported"] == 1
    assert commune.behind == ["1"]
    assert data.most_behind[0].name == "Xã Đường Lâm"
    assert data.percent == 25.0
    [indicator] = data.indicators
    assert (indicator.reported, indicator.meeting) == (2, 1)
    assert indicator.area == Decimal("77.5")  # 155 / 200, not the mean of percentages


def test_reported_progress_of_unfinished_tasks_counts(db: Database, clock, monkeypatch) -> None:
    """A unit half way through its task stood at 0 % on the chart and in the text."""
    from bot.views import progress as progress_views

    _setup(db)
    clock.now = NOW  # 20/11: task 1 (due 10/11) is overdue, task 2 (due 30/11) is not
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    chat.say(201, "nv 2 đang thực hiện 50%")  # in progress, half done
    chat.say(202, "nv 1 đang thực hiện 40%")  # overdue, but 40 % done
    data = progress.overview(db, Period.month(2026, 11), date(2026, 11, 20), viewer=STAFF, tz=HANOI)
    by_name = {u.name: u for u in data.units}
    ward, commune = by_name["Phường Lê Lợi"], by_name["Xã Đường Lâm"]
    assert ward.partial == {"in_progress": 0.5} and ward.percent == 25.0  # 0.5 of 2 tasks
    assert commune.partial == {"overdue": 0.4} and commune.percent == 20.0
    assert data.percent == 22.5  # (0.5 + 0.4) / 4

    drawn = {}

    def chart(bars, *args):
        drawn.update({b.label: b for b in bars})
        return b"\x89PNG"

    monkeypatch.setattr(progress_views, "progress_chart", chart)
    [reply] = chat.send(204, "tinh hinh thang 11")
    assert "Tiến độ: 22,5% (nhiệm vụ chưa xong tính theo % đã báo cáo)." in reply.text
    assert drawn["Phường Lê Lợi"].percent == 25.0
    assert drawn["Phường Lê Lợi"].partial == {"in_progress": 0.5}  # drawn hatched
    assert drawn["Xã Đường Lâm"].partial == {"overdue": 0.4}


def test_the_chairman_asks_in_a_word(db: Database, clock) -> None:
    _setup(db)
    clock.now = NOW
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    [reply] = chat.send(204, "tinh hinh thang nay")  # the standing on 20/11
    assert reply.text.startswith(
        "Tình hình đến 20/11/2026 (kế hoạch năm 2026):\n"
        "Đã đến hạn: 3 lượt nhiệm vụ — 0 xong đúng hạn, 3 quá hạn ở 2 đơn vị.\n"
        "Quá hạn lâu nhất: nhiệm vụ 3, hạn 15/10/2026, trễ 36 ngày (1 đơn vị).\n"
    )
    assert "Chậm nhất: Phường Lê Lợi: 3 (36 ngày), 1 (10 ngày); Xã Đường Lâm: 1 (10 ngày)." in (
        reply.text
    )
    [picture] = reply.attachments
    assert picture.is_picture and picture.content[:4] == b"\x89PNG"
    [official] = chat.send(202, "tình hình tháng này")
    assert official.attachments == [] and official.buttons == []
    # their own, from any month, and what is due later this month
    assert "Đơn vị của bạn: 1 quá hạn: 1 (10 ngày); 1 còn hạn trong tháng." in official.text
    assert "Chậm nhất" not in official.text and "Chưa báo cáo" not in official.text


def test_questions_about_a_task_an_indicator_a_unit_and_who_is_late(db: Database, clock) -> None:
    _setup(db)
    clock.now = datetime(2026, 11, 5, 2, 0, tzinfo=UTC)
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    chat.say(201, "nv 1 xong")
    clock.now = NOW
    chat.say(201, "so hoa 85/100")
    chat.say(202, "so hoa 70/100")

    [task] = chat.send(204, "nhiệm vụ 1 ai chưa xong?")
    assert task.text.startswith("1 Nhiệm vụ 1")
    assert "quá hạn (1): Xã Đường Lâm" in task.text and "đã xong (1): Phường Lê Lợi" in task.text

    [figure] = chat.send(204, "số hóa tháng này thế nào?")
    assert "1/2 đơn vị đạt ≥ 80%" in figure.text and "Toàn địa bàn: 77,5%" in figure.text
    assert figure.text.index("✗ Xã Đường Lâm: 70%") < figure.text.index("✓ Phường Lê Lợi")
    [chart] = figure.attachments  # bars against the target line, and the area's trend
    assert chart.is_picture and chart.content[:4] == b"\x89PNG"
    assert figure.text.startswith("Tỷ lệ số hóa hồ sơ, tháng 12/2026:")  # sent after the 15th
    detail = progress.indicator_detail(db, 1, Period.month(2026, 12), viewer=STAFF)
    assert detail is not None
    [(month, area)] = detail.trend
    assert month == Period.month(2026, 12) and area == Decimal("77.5")

    [late] = chat.send(204, "xã nào chậm?")
    assert (
        "Quá hạn đến 20/11/2026: 2 đơn vị" in late.text
        and "• Xã Đường Lâm: 1 (10 ngày)" in late.text
    )

    [unit] = chat.send(204, "tiến độ phường Lê Lợi tháng này")
    assert unit.text.startswith("Phường Lê Lợi, tháng 11/2026: 2 lượt nhiệm vụ đến hạn")
    # asked now: where it stands on the plan so far too (task 3 was due in October)
    assert unit.text.splitlines()[1] == (
        "Đến 20/11/2026: 2 lượt nhiệm vụ đã đến hạn — 1 xong đúng hạn, 1 quá hạn."
    )
    # overdue since October, too: each overdue task said, with what it is
    assert "Đang quá hạn:\n• 3 Nhiệm vụ 3 — hạn 15/10/2026, quá 36 ngày" in unit.text
    [october] = chat.send(204, "tiến độ phường Lê Lợi tháng 10")  # a month named: its own
    assert october.text.startswith("Phường Lê Lợi, tháng 10/2026: 1 lượt nhiệm vụ đến hạn")
    assert "Đến 20/11/2026" not in october.text
    assert "Báo cáo gần đây của Phường Lê Lợi" in unit.text  # its latest reports
    # its own figure against the target (it read "1/1 đơn vị đạt", "toàn địa bàn 85%")
    assert "• Tỷ lệ số hóa hồ sơ: 85% — đạt ≥ 80%" in unit.text and "toàn địa bàn" not in unit.text
    assert unit.attachments == []  # no chart of one bar
    [own] = chat.send(202, "tiến độ phường Lê Lợi")  # an official: not another unit's detail
    assert own.text.startswith("Chi tiết của đơn vị khác dành cho Văn phòng và lãnh đạo.")
    assert "Tình hình của đơn vị bạn (Xã Đường Lâm):\nXã Đường Lâm, tháng" in own.text
    assert "Đến 20/11/2026: 1 lượt nhiệm vụ đã đến hạn — 1 quá hạn." in own.text
    assert "Lê Lợi" not in own.text  # their own unit's standing instead
    # its buttons are their own unit's, and answer them
    [earlier] = chat.press(202, own, next(b.label for row in own.buttons for b in row))
    assert earlier.text.startswith("Xã Đường Lâm, tháng 10/2026")


def test_an_official_asks_for_their_tasks_and_what_is_overdue(db: Database, clock) -> None:
    _setup(db)
    clock.now = NOW
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    chat.say(201, "nv 3 dang lam 40%")
    for asked in ("nhiệm vụ của phường mình", "danh sach nhiem vu"):  # as /nhiemvu
        [tasks] = chat.send(201, asked)
        lines = tasks.text.splitlines()
        assert lines[0] == "Nhiệm vụ của Phường Lê Lợi (3):"
        # past its deadline and not done: said overdue, with what was reported
        assert lines[3] == ("• 3 Nhiệm vụ 3 — 15/10/2026 — quá hạn 36 ngày (đang thực hiện)"), lines
        assert lines[2].endswith("— 30/11/2026 — chưa báo cáo")  # not due yet
    # "nhiệm vụ nào quá hạn?": their own unit's, each task a line (it was refused as the
    # office's list of every unit)
    [late] = chat.send(201, "nhiệm vụ nào quá hạn?")
    assert late.text.startswith("Phường Lê Lợi, tháng 11/2026")
    assert "• 3 Nhiệm vụ 3 — hạn 15/10/2026, quá 36 ngày" in late.text
    assert "Xã Đường Lâm" not in late.text
    # the leader naming a unit gets that unit's list
    [leader] = chat.send(204, "nhiem vu cua xa duong lam")
    assert leader.text.startswith("Nhiệm vụ của Xã Đường Lâm (2):")
    # what is left to do: not the finished, the overdue first (it was not understood, or
    # read as a report on a task found by "còn những việc gì")
    chat.say(201, "nv 1 xong")
    for asked in (
        "tháng này cần làm gì",
        "còn những việc gì chưa làm",
        "viec nao chua xong",
        "con lam gi nua khong",
        "làm gì thêm nữa ạ",  # its "còn" cut off with a report before it
    ):
        [left] = chat.send(201, asked)
        lines = left.text.splitlines()
        assert lines[0] == "Việc còn phải làm của Phường Lê Lợi (2):", (asked, left.text)
        assert lines[1].startswith("• 3 Nhiệm vụ 3 — 15/10/2026 — quá hạn 36 ngày")
        assert lines[2] == "• 2 Nhiệm vụ 2 — 30/11/2026 — chưa báo cáo"
    # what a task is
    [what] = chat.send(201, "nhiệm vụ 2 là gì")
    assert "• 2 Nhiệm vụ 2 — 30/11/2026 — chưa báo cáo" in what.text, what.text


def test_an_official_asks_what_their_unit_has_not_sent(db: Database, clock) -> None:
    _setup(db, _task("4", "Báo cáo hằng quý", ["Phường Lê Lợi", "Xã Đường Lâm"]))
    clock.now = NOW  # 20/11: figures sent now are December's (due 14/12)
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    chat.say(201, "so hoa 85/100")
    # "đã báo cáo đủ chưa", "tháng này phải báo cáo gì" were not understood; "còn thiếu
    # gì", "chỉ tiêu nào chưa đạt" answered with the whole area's standing
    for asked in (
        "xa minh da bao cao du chua",
        "còn thiếu gì không?",
        "chi tieu nao chua dat",
        "thang nay xa co phai bao cao gi khong",
        "em cần gửi những gì ạ",
        "gui gi nua khong a",  # as a question after a report is cut ("đã gửi …, còn …")
    ):
        [gaps] = chat.send(202, asked)
        assert gaps.text.startswith("Xã Đường Lâm, tháng 11/2026"), (asked, gaps.text)
        assert (
            "Chưa gửi số liệu kỳ tháng 12/2026 (hạn 14/12/2026): Tỷ lệ số hóa hồ sơ." in gaps.text
        ), gaps.text
        assert "Báo cáo định kỳ chưa gửi: 4 (quý III/2026, hạn 14/09/2026)." in gaps.text
        # the quarter's report due with the month's figures is named before it is late
        assert "Báo cáo định kỳ cần gửi: 4 (quý IV/2026, hạn 14/12/2026)." in gaps.text
        assert "Lê Lợi" not in gaps.text
    [sent] = chat.send(201, "đã gửi đủ chưa ạ")
    assert "Đã gửi đủ số liệu kỳ tháng 12/2026." in sent.text, sent.text
    assert "• Tỷ lệ số hóa hồ sơ: 85% — đạt ≥ 80%" in sent.text
    # nothing arose counts as sent; the quarter's report sent ends the line
    chat.say(202, "so hoa khong phat sinh")
    chat.say(202, "bao cao quy 3: nv 4 xong")
    [done] = chat.send(202, "con thieu gi")
    assert "Đã gửi đủ số liệu kỳ tháng 12/2026." in done.text, done.text
    assert "Báo cáo định kỳ chưa gửi" not in done.text
    assert "Báo cáo định kỳ cần gửi: 4 (quý IV/2026" in done.text
    chat.say(202, "bao cao quy 4: nv 4 xong")
    [sent_all] = chat.send(202, "con thieu gi")
    assert "Báo cáo định kỳ" not in sent_all.text, sent_all.text
    # a past month asked: its own figures, not today's periodic reports
    [october] = chat.send(204, "tiến độ phường Lê Lợi tháng 10")
    assert "Chưa gửi số liệu kỳ tháng 10/2026 (hạn 14/10/2026)" in october.text, october.text
    assert "Báo cáo định kỳ" not in october.text
    # the leader asking gets the area; naming a unit, that unit's
    [area] = chat.send(204, "chỉ tiêu nào chưa đạt")
    assert not area.text.startswith("Xã"), area.text
    [named] = chat.send(204, "phuong le loi con thieu gi")
    assert named.text.startswith("Phường Lê Lợi, tháng 11/2026"), named.text
    assert "Báo cáo định kỳ chưa gửi: 4 (quý III/2026, hạn 14/09/2026)." in named.text


def _figures(db: Database, clock) -> Chat:
    """Two indicators; on 20/11 (December's figures coming in) the ward sent both, the
    commune one."""
    online = IndicatorDraft("2", "Tỷ lệ hồ sơ trực tuyến", "%", Comparator.AT_LEAST, Decimal(60))
    _setup(db, indicators=(online,))
    clock.now = NOW  # 20/11: figures sent now are December's (due 14/12)
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    chat.say(201, "so hoa 85/100, ho so truc tuyen 60/100")
    chat.say(202, "so hoa 70/100")
    return chat


def test_who_has_not_sent_the_figures(db: Database, clock) -> None:
    chat = _figures(db, clock)
    # it answered with the standing (who reported nothing at all), not who sent figures
    for asked in ("xã nào chưa gửi số liệu?", "ai thieu so lieu"):
        [missing] = chat.send(204, asked)
        assert missing.text.splitlines() == [
            "Số liệu kỳ tháng 12/2026 (hạn 14/12/2026): 1/2 đơn vị đã gửi đủ.",
            "Gửi thiếu (1): Xã Đường Lâm (thiếu 1).",
        ], (asked, missing.text)
    [november] = chat.send(204, "đơn vị nào chưa nộp số liệu tháng 11")
    assert november.text.splitlines() == [
        "Số liệu kỳ tháng 11/2026 (hạn 14/11/2026): 0/2 đơn vị đã gửi đủ.",
        "Chưa gửi gì (2): Phường Lê Lợi; Xã Đường Lâm.",
    ], november.text
    # the standing counts them (the leaders' weekly overview and the office's digest too)
    [standing] = chat.send(204, "tình hình tháng này")
    assert "Đã gửi đủ số liệu kỳ tháng 12/2026 (hạn 14/12/2026): 1/2 đơn vị." in standing.text
    [theirs] = chat.send(201, "tình hình tháng này")
    assert "Đã gửi đủ số liệu" not in theirs.text  # an official: their own unit's line
    # an official: their own unit's, naming what is missing
    [own] = chat.send(202, "xa minh chua gui so lieu nao")
    assert "Chưa gửi số liệu kỳ tháng 12/2026 (hạn 14/12/2026): Tỷ lệ hồ sơ trực tuyến." in own.text
    assert "Lê Lợi" not in own.text


def _chased_once(chat: Chat, office: Reply, remind: Button) -> Reply:
    """The office (203) presses **Nhắc các đơn vị này**: what it says; pressed again the
    same day nothing more is queued, and the leader (204) may not press it."""
    [chased] = chat.press(203, office, remind.label)
    [again] = chat.press(203, office, remind.label)
    assert again.text == "Hôm nay đã nhắc các đơn vị này rồi."
    [refused] = chat.press_data(204, remind.data)
    assert refused.text.startswith("Chỉ Văn phòng hoặc quản trị viên được nhắc")
    return chased


def test_the_office_reminds_the_units_missing_figures(db: Database, clock) -> None:
    chat = _figures(db, clock)
    [missing] = chat.send(204, "xã nào chưa gửi số liệu?")
    # the office reminds them with a button (the leader has none): the units missing
    # figures get a reminder now, once a day however often it is pressed
    with db.session() as session:
        session.add(Official(telegram_user_id=203, role=Role.OFFICE, full_name="VP"))
    assert missing.buttons == []
    [office] = chat.send(203, "xã nào chưa gửi số liệu?")
    [[remind]] = office.buttons
    assert remind.label == "Nhắc các đơn vị này"
    chased = _chased_once(chat, office, remind)
    assert chased.text.startswith("Đang nhắc 1 đơn vị gửi số liệu kỳ tháng 12/2026"), chased.text
    chat.core.rebuild_schedule()  # the schedule's rebuild leaves them be
    with db.session() as session:
        rows = session.scalars(select(Reminder).where(Reminder.kind == "chase")).all()
        assert [(r.state, r.payload["indicators"]) for r in rows] == [
            (ReminderState.PENDING, ["Tỷ lệ hồ sơ trực tuyến"])
        ]
        chase_id = rows[0].id
    sent = outgoing(db, chase_id, "vi")
    assert sent is not None and sent.unit_name == "Xã Đường Lâm"
    text = reminder_reply(sent).text
    assert text.startswith(
        "⏰ Xã Đường Lâm: số liệu kỳ tháng 12/2026 hạn 14/12/2026, chưa gửi: Tỷ lệ hồ sơ trực"
        " tuyến. (Văn phòng nhắc)"
    ), text
    # pressed the next evening, in the quiet hours: said when they will go
    clock.now = datetime(2026, 11, 21, 15, 30, tzinfo=UTC)  # 22:30 in Hà Nội
    [night] = chat.press(203, office, remind.label)
    assert night.text.startswith(
        "Sẽ nhắc 1 đơn vị gửi số liệu kỳ tháng 12/2026 lúc 07:00 ngày 22/11/2026"
    ), night.text
    # due then (what /nhacviec lists), and pressed again that morning: nothing more
    with db.session() as session:
        due = session.scalars(
            select(Reminder.due_at).where(Reminder.kind == "chase").order_by(Reminder.id.desc())
        ).first()
        assert due is not None and due.astimezone(HANOI) == datetime(
            2026, 11, 22, 7, 0, tzinfo=HANOI
        )
    clock.now = datetime(2026, 11, 22, 1, 30, tzinfo=UTC)  # 08:30 in Hà Nội
    [morning] = chat.press(203, office, remind.label)
    assert morning.text == "Hôm nay đã nhắc các đơn vị này rồi.", morning.text
    # sent meanwhile: nothing left to remind of when it goes (the sender cancels it)
    chat.say(202, "ho so truc tuyen 50/100")
    later = outgoing(db, chase_id, "vi")
    assert later is not None and later.payload["indicators"] == []


def test_the_office_reminds_the_units_late_on_tasks(db: Database, clock) -> None:
    """Nhắc các đơn vị này under "xã nào chậm?": each unit late on tasks is reminded of
    them now; what is done, or given a later deadline, before it goes is left out."""
    _setup(db)
    clock.now = NOW  # 20/11: task 1 (10/11) and Lê Lợi's task 3 (15/10) are overdue
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    chat.say(202, "nv 1 xong")  # Đường Lâm: nothing late
    with db.session() as session:
        session.add(Official(telegram_user_id=203, role=Role.OFFICE, full_name="VP"))
    [leader] = chat.send(204, "xã nào chậm?")
    assert leader.buttons == []  # a leader looks, the office chases
    [office] = chat.send(203, "xa nao cham")
    assert "Phường Lê Lợi: 3 (36 ngày), 1 (10 ngày)" in office.text, office.text
    [[remind]] = office.buttons
    assert remind.label == "Nhắc các đơn vị này"
    chased = _chased_once(chat, office, remind)
    assert chased.text == (
        "Đang nhắc 1 đơn vị về các nhiệm vụ quá hạn (trong nhóm vài tin mỗi phút)."
    ), chased.text
    chat.core.rebuild_schedule()  # the schedule's rebuild leaves it be
    with db.session() as session:
        [row] = session.scalars(select(Reminder).where(Reminder.kind == "chase-late")).all()
        assert row.state == ReminderState.PENDING
        assert [t["code"] for t in row.payload["tasks"]] == ["3", "1"]
        chase_id = row.id
    sent = outgoing(db, chase_id, "vi")
    assert sent is not None and sent.unit_name == "Phường Lê Lợi"
    assert reminder_reply(sent).text.splitlines()[:2] == [
        "⏰ Phường Lê Lợi: nhiệm vụ đã quá hạn mà chưa xong: 3 “Nhiệm vụ 3” (hạn 15/10/2026); 1"
        " “Nhiệm vụ 1” (hạn 10/11/2026). (Văn phòng nhắc) Trả lời tin này để nêu lý do / tiến"
        " độ.",
        "Trả lời bằng một tin nhắn, ví dụ: nv 3 chậm do …",
    ]
    # done meanwhile: left out when it goes
    chat.say(201, "nv 3 xong")
    later = outgoing(db, chase_id, "vi")
    assert later is not None and [t["code"] for t in later.payload["tasks"]] == ["1"]
    # given a later deadline meanwhile: nothing left (the sender cancels it)
    [proposal] = chat.send(203, "gia hạn nv 1 đến 31/12/2026")
    chat.press(203, proposal, "Đồng ý đổi hạn")
    last = outgoing(db, chase_id, "vi")
    assert last is not None and last.payload["tasks"] == []
    [none_late] = chat.send(203, "xã nào chậm?")
    assert none_late.buttons == [], none_late.text


def test_the_office_reminds_the_units_late_on_tasks_due_in_a_month(db: Database, clock) -> None:
    """Nhắc các đơn vị này under "xã nào chậm tháng 10?": each unit is reminded of its
    tasks due in October and still overdue, not of the others."""
    _setup(db)
    clock.now = NOW  # 20/11: task 1 (10/11) and Lê Lợi's task 3 (15/10) are overdue
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    with db.session() as session:
        session.add(Official(telegram_user_id=203, role=Role.OFFICE, full_name="VP"))
    [office] = chat.send(203, "xa nao cham thang 10")
    assert office.text.splitlines()[:2] == [
        "Quá hạn đến 20/11/2026: 1 đơn vị, 1 lượt nhiệm vụ (đến hạn trong tháng 10/2026):",
        "• Phường Lê Lợi: 3 (36 ngày)",
    ], office.text
    [[remind]] = office.buttons
    chased = _chased_once(chat, office, remind)
    assert chased.text.splitlines() == [
        "Đang nhắc 1 đơn vị về các nhiệm vụ quá hạn (trong nhóm vài tin mỗi phút).",
        "Chỉ các nhiệm vụ có hạn trong tháng 10/2026.",
    ], chased.text
    with db.session() as session:
        [row] = session.scalars(select(Reminder).where(Reminder.kind == "chase-late")).all()
        assert [t["code"] for t in row.payload["tasks"]] == ["3"]


def test_the_office_asks_in_words_to_remind_units(db: Database, clock) -> None:
    """ "nhắc các xã chậm", "đôn đốc các đơn vị chưa gửi số liệu" were not understood:
    who they are, with Nhắc các đơn vị này (a leader: the list alone)."""
    chat = _figures(db, clock)
    with db.session() as session:
        session.add(Official(telegram_user_id=203, role=Role.OFFICE, full_name="VP"))
    [late] = chat.send(203, "nhac cac xa cham")
    assert late.text.startswith("Quá hạn đến 20/11/2026: 2 đơn vị"), late.text
    assert [[b.data for b in row] for row in late.buttons] == [["q:chlate"]]
    [figures] = chat.send(203, "đôn đốc các đơn vị chưa gửi số liệu")
    assert figures.text.startswith("Số liệu kỳ tháng 12/2026 (hạn 14/12/2026)"), figures.text
    [[remind]] = figures.buttons
    assert remind.label == "Nhắc các đơn vị này"
    [leader] = chat.send(204, "nhắc các xã chậm")
    assert leader.text.startswith("Quá hạn đến") and leader.buttons == [], leader.text


def test_a_leader_asks_who_is_doing_best(db: Database, clock) -> None:
    """ "xã nào làm tốt nhất" got the standing (the units most behind): the units with
    the most done on time of what was due, none overdue."""
    _setup(db)
    clock.now = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    chat.say(201, "nv 1 xong, nv 3 xong")  # Lê Lợi: both before their deadlines
    clock.now = NOW  # 20/11: Đường Lâm's task 1 (10/11) overdue
    for asked in ("xã nào làm tốt nhất", "don vi nao dan dau"):
        [best] = chat.send(204, asked)
        assert best.text.splitlines() == [
            "Làm tốt nhất đến 20/11/2026 (xong đúng hạn trên số việc đã đến hạn, không có "
            "việc quá hạn, không thiếu báo cáo định kỳ):",
            "• Phường Lê Lợi: 2/2 đúng hạn",
        ], (asked, best.text)
    [worst] = chat.send(204, "xã nào chậm nhất")  # not the best
    assert worst.text.startswith("Quá hạn đến 20/11/2026"), worst.text


def test_a_unit_missing_a_periodic_report_is_not_doing_best(db: Database, clock) -> None:
    _setup(db, _task("4", "Báo cáo hằng quý", ["Phường Lê Lợi"]))
    clock.now = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    chat.say(201, "nv 1 xong, nv 3 xong")
    clock.now = NOW  # the third quarter's report (task 4) not sent
    [best] = chat.send(204, "xã nào làm tốt nhất")
    assert best.text == (
        "Đến 20/11/2026, đơn vị nào có nhiệm vụ đã đến hạn cũng còn việc quá hạn hoặc thiếu báo "
        "cáo định kỳ."
    ), best.text


def test_who_is_late_names_the_periodic_reports_not_sent(db: Database, clock) -> None:
    _setup(db, _task("4", "Báo cáo hằng quý", ["Phường Lê Lợi", "Xã Đường Lâm"]))
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    clock.now = datetime(2026, 9, 10, 2, 0, tzinfo=UTC)
    chat.say(201, "nv 4 xong")  # September's: the third quarter's report
    clock.now = NOW  # 20/11: the third quarter's deadline (14/9) is past, the fourth's not
    missed = progress.missed_reports(db, NOW.date(), viewer=STAFF, cutoff_day=15)
    assert [(m.code, m.period.key, m.deadline, m.units) for m in missed] == [
        ("4", "2026-Q3", date(2026, 9, 14), ["Xã Đường Lâm"])
    ]
    [late] = chat.send(204, "xã nào chậm?")
    assert (
        "Báo cáo định kỳ chưa gửi:\n• 4 Nhiệm vụ 4 — quý III/2026 (hạn 14/09/2026): Xã Đường Lâm"
    ) in late.text
    # both sent: nothing to say
    clock.now = datetime(2026, 9, 11, 2, 0, tzinfo=UTC)
    chat.say(202, "nv 4 xong")
    assert progress.missed_reports(db, NOW.date(), viewer=STAFF, cutoff_day=15) == []


def test_a_periodic_report_sent_after_its_deadline_is_for_its_own_quarter(
    db: Database, clock
) -> None:
    _setup(db, _task("4", "Báo cáo hằng quý", ["Phường Lê Lợi", "Xã Đường Lâm"]))
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    # 18/9: the third quarter's deadline (14/9) has just passed; by the cut-off the day
    # reports into October (it was stored so, the fourth quarter's, and the third's
    # report counted as never sent)
    clock.now = datetime(2026, 9, 18, 2, 0, tzinfo=UTC)
    [reply] = chat.send(201, "nv 4 xong")
    assert "• 4 Nhiệm vụ 4 (kỳ báo cáo quý III/2026) — đã xong" in reply.text, reply.text
    assert "tháng 10/2026" not in reply.text  # the task is named with its own period
    clock.now = datetime(2026, 9, 19, 2, 0, tzinfo=UTC)
    [fixed] = chat.send(201, "sửa: nv 4 đang làm 80%")  # a correction the day after
    # what it replaced: the same quarter's
    assert "(kỳ báo cáo quý III/2026) — thay đã xong bằng đang thực hiện (80%)" in fixed.text
    chat.say(201, "nv 4 xong")
    chat.say(202, "nv 4 xong")
    missed = progress.missed_reports(db, NOW.date(), viewer=STAFF, cutoff_day=15)
    assert missed == []  # both sent for the third quarter
    # 10/12: the fourth quarter's deadline (14/12) is near: its report
    clock.now = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
    [december] = chat.send(202, "nv 4 xong")
    assert "(kỳ báo cáo quý IV/2026)" in december.text
    later = date(2026, 12, 20)  # after the fourth quarter's deadline
    missed = progress.missed_reports(db, later, viewer=STAFF, cutoff_day=15)
    assert [(m.period.key, m.units) for m in missed] == [("2026-Q4", ["Phường Lê Lợi"])]
    # a period written is kept: the third quarter's, sent in December
    chat.say(201, "báo cáo quý 3: nv 4 xong")
    missed = progress.missed_reports(db, later, viewer=STAFF, cutoff_day=15)
    assert [(m.period.key, m.units) for m in missed] == [("2026-Q4", ["Phường Lê Lợi"])]
    # a month written is a month of the task's quarter: December's report is the
    # fourth quarter's (it was stored for December, and the quarter counted as not sent)
    [month] = chat.send(201, "Báo cáo tháng 12: nv 4 xong")
    assert "(kỳ báo cáo quý IV/2026) — đã xong" in month.text, month.text
    assert progress.missed_reports(db, later, viewer=STAFF, cutoff_day=15) == []


def test_a_periodic_report_sent_named_by_its_words(db: Database, clock) -> None:
    quarterly = replace(
        _task("4", "Báo cáo hằng quý", ["Phường Lê Lợi", "Xã Đường Lâm"]),
        content="Báo cáo kết quả kiểm soát thủ tục hành chính",
    )
    _setup(db, quarterly)
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    clock.now = NOW  # 20/11: the third quarter's report (due 14/9) not sent by either
    # "đã gửi báo cáo quý 3", no code: the unit's periodic report, to confirm (it was not
    # understood)
    [asked] = chat.send(201, "da gui bao cao quy 3")
    assert "4 Báo cáo kết quả kiểm soát thủ tục hành chính" in asked.text, asked.text
    [stored] = chat.press(201, asked, asked.buttons[0][0].label)
    assert "(kỳ báo cáo quý III/2026) — đã xong" in stored.text, stored.text
    missed = progress.missed_reports(db, NOW.date(), viewer=STAFF, cutoff_day=15)
    assert [(m.period.key, m.units) for m in missed] == [("2026-Q3", ["Xã Đường Lâm"])]


def test_a_task_reported_done_on_an_earlier_day_counts_from_that_day(db: Database, clock) -> None:
    _setup(db)  # task 2 due 30/11, both units
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    clock.now = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
    [reply] = chat.send(201, "nv 2 đã hoàn thành ngày 28/11")
    assert "• 2 Nhiệm vụ 2 (hạn 30/11/2026) — đã xong ngày 28/11/2026" in reply.text, reply.text
    chat.say(202, "nv 2 xong")  # no day: done when sent, late
    [log] = chat.send(201, "/lichsu", kind=Kind.COMMAND, command="lichsu")
    assert "2 Nhiệm vụ 2: đã xong ngày 28/11/2026" in log.text, log.text
    states = {u.name: u.counts for u in core_overview(db, date(2026, 12, 6)).units}
    assert states["Phường Lê Lợi"]["done"] == 1 and states["Phường Lê Lợi"]["late"] == 0
    assert states["Xã Đường Lâm"]["late"] == 1
    # a day not come yet, or last year's (a day without its year is the latest past
    # one: 10/12 read on 2/12/2026 is 10/12/2025), is refused and nothing is stored
    for text in ("nv 1 xong ngày 10/12", "nv 1 xong ngày 10/12/2026"):
        [refused] = chat.send(202, text)
        assert "Nhiệm vụ 1 xong ngày 10/12/202" in refused.text, refused.text
        assert "chưa đến, hoặc trước năm của kế hoạch" in refused.text
    assert core_overview(db, date(2026, 12, 6)).units[0].counts["overdue"] >= 1
    # "xong hôm qua", "xong 28/11": the day as written
    [yesterday] = chat.send(202, "nv 1 xong hôm qua")
    assert "đã xong ngày 01/12/2026" in yesterday.text


def core_overview(db: Database, today: date):
    return progress.overview(db, Period.month(2026, 11), today, viewer=STAFF, tz=HANOI)


def test_the_buttons_under_an_overview(db: Database, clock) -> None:
    _setup(db)
    clock.now = NOW
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    [overview] = chat.send(204, "tình hình tháng này")
    labels = [b.label for row in overview.buttons for b in row]
    assert labels == ["Đơn vị nào chậm", "Tháng 11/2026", "Phường Lê Lợi"]  # the most behind
    [late] = chat.press(204, overview, "Đơn vị nào chậm")
    # every task past its deadline, whatever month it was due in, with its days late
    assert late.text.startswith("Quá hạn đến 20/11/2026: 2 đơn vị, 3 lượt nhiệm vụ:")
    assert "• Phường Lê Lợi: 3 (36 ngày), 1 (10 ngày)" in late.text
    [month] = chat.press(204, overview, "Tháng 11/2026")  # the deadlines in November
    assert month.text.startswith("tháng 11/2026: 4 lượt nhiệm vụ đến hạn — 2 quá hạn")
    [before] = chat.press(204, month, "Tháng 10/2026")
    assert before.text.startswith("tháng 10/2026: 1 lượt nhiệm vụ đến hạn — 1 quá hạn")
    [ward] = chat.press(204, overview, "Phường Lê Lợi")
    assert ward.text.startswith("Phường Lê Lợi, tháng 11/2026: 2 lượt nhiệm vụ đến hạn")
    assert "Đến 20/11/2026" not in ward.text  # the month's button: that month only
    assert (
        "Đang quá hạn:\n• 3 Nhiệm vụ 3 — hạn 15/10/2026, quá 36 ngày\n"
        "• 1 Nhiệm vụ 1 — hạn 10/11/2026, quá 10 ngày"
    ) in ward.text
    [earlier] = chat.press(204, ward, "Tháng 10/2026")  # the same unit, the month before
    assert earlier.text.startswith("Phường Lê Lợi, tháng 10/2026: 1 lượt nhiệm vụ đến hạn")


def test_more_than_thirty_units_offer_the_full_ranking(db: Database, clock) -> None:
    import io

    from openpyxl import load_workbook

    from bot.services.units import load_official

    load_official(db, "Tuyên Quang")
    draft = PlanDraft(
        title="Kế hoạch tỉnh",
        issuer="UBND tỉnh Tuyên Quang",
        year=2026,
        tasks=[_task("1", "Trước ngày 10/11/2026", ["UBND các xã, phường"])],
    )
    with db.session() as session:
        catalogue = unit_catalogue(session)
        session.add(Official(telegram_user_id=204, role=Role.LEADER, full_name="Chủ tịch"))
    actor = Actor(user_id=None, language="vi", role=Role.OFFICE)
    plans.confirm(db, plans.store_draft(db, resolve_plan(draft, catalogue), "kh", actor, NOW), NOW)
    clock.now = NOW
    chat = Chat(Core(db=db, settings=Settings(_env_file=None), clock=clock))
    [overview] = chat.send(204, "tình hình tháng này")
    assert overview.attachments and overview.attachments[0].is_picture
    [ranking] = chat.press(204, overview, "Xem đầy đủ")
    [sheet_file] = ranking.attachments
    sheet = load_workbook(io.BytesIO(sheet_file.content)).active
    assert sheet.max_row == 1 + 124 and sheet["A1"].value == "Đơn vị"
    assert {row[0].value for row in sheet.iter_rows(min_row=2)} >= {"Xã Sơn Dương"}
