"""Understanding chat messages: intent, unit, period, tasks, indicators and problems.

The contexts are built without a database: the units of ``tests/data/son-tay-units.csv``
(plus a few more), the plans of ``tests/data/plans`` read, parsed and resolved, and a
small hand-made plan whose numbering restarts in each section.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.language.normalize import fold
from bot.language.periods import reporting_period
from bot.language.statuses import Status
from bot.language.units import kind_from_word
from bot.matching import UnitCatalogue, UnitEntry
from bot.plans.parser import parse_plan
from bot.plans.readers import read_document
from bot.plans.resolve import resolve_plan
from bot.understanding import interpret, prepare
from bot.understanding.intent import (
    asks_best,
    asks_chase,
    asks_deadlines,
    asks_figures_missing,
    asks_own_gaps,
)
from bot.understanding.model import (
    ASKING,
    Context,
    IndicatorRef,
    Intent,
    Interpretation,
    ProblemCode,
    TaskRef,
    UnitDecision,
)
from bot.views.reports import problem_text

DATA = Path(__file__).parents[1] / "data"
TODAY = date(2025, 11, 5)  # a Wednesday; the current reporting month is 2025-11
KH = "ke-hoach-thi-xa-son-tay-2025"
QD = "quyet-dinh-huyen-son-tay-2025"

# Units added to the catalogue for the examples officials write.
EXTRA_UNITS = [
    ("Xã Sơn Dương", "xa", ()),
    ("Xã Cẩm Giang", "xa", ()),
    ("Xã Cẩm Giàng", "xa", ()),
    ("Xã Minh Quang", "xa", ()),  # "xa minh": the sender's own ("xã mình"), not this one
]


@cache
def catalogue() -> UnitCatalogue:
    with (DATA / "son-tay-units.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    entries = [
        UnitEntry(
            index + 1,
            row["name"],
            kind_from_word(row["kind"]) or "khac",
            tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
            row["parent"] or None,
        )
        for index, row in enumerate(rows)
    ]
    for name, kind, aliases in EXTRA_UNITS:
        entries.append(UnitEntry(len(entries) + 1, name, kind, aliases, "Thị xã Sơn Tây"))
    return UnitCatalogue(entries)


def unit_id(name: str) -> int:
    return next(e.id for e in catalogue().entries if e.name == name)


@cache
def plan(name: str) -> tuple[tuple[TaskRef, ...], tuple[IndicatorRef, ...]]:
    path = DATA / "plans" / f"{name}.txt"
    draft = parse_plan(read_document(path.read_bytes(), path.name))
    resolved = resolve_plan(draft, catalogue())
    tasks = tuple(
        TaskRef(
            id=position,
            code=task.draft.code,
            content=task.draft.content,
            unit_ids=frozenset(task.units()),
            written_code=task.draft.written_code or None,
            timeframe_kind=task.draft.timeframe.kind.value if task.draft.timeframe else None,
        )
        for position, task in enumerate(resolved.tasks, start=1)
    )
    indicators = tuple(
        IndicatorRef(
            id=index,
            code=indicator.code,
            name=indicator.name,
            measure=indicator.measure,
            comparator=indicator.comparator.value,
            target=indicator.target,
        )
        for index, indicator in enumerate(draft.indicators, start=1)
    )
    return tasks, indicators


def section_plan() -> tuple[TaskRef, ...]:
    """A plan numbering its tasks 1, 2 again in each section (codes I.1 … II.2)."""
    lq, nq = unit_id("Phường Lê Lợi"), unit_id("Phường Ngô Quyền")
    return (
        TaskRef(1, "I.1", "Xây dựng kế hoạch kiểm soát TTHC năm 2025", frozenset({nq}), "1"),
        TaskRef(2, "I.2", "Rà soát quy trình nội bộ giải quyết TTHC", frozenset({lq, nq}), "2"),
        TaskRef(3, "II.1", "Niêm yết công khai TTHC tại Bộ phận Một cửa", frozenset({lq}), "1"),
        TaskRef(4, "II.2", "Số hóa hồ sơ tiếp nhận tại Bộ phận Một cửa", frozenset({lq, nq}), "2"),
    )


@cache
def context(which: str, sender: str | None = None) -> Context:
    _tasks, indicators = plan(QD)
    if which == "kh":
        tasks = plan(KH)[0]
    elif which == "qd":
        tasks = plan(QD)[0]
    else:
        tasks = section_plan()
    sender_id = unit_id(sender) if sender else None
    return Context(catalogue(), tasks, indicators, TODAY, sender_unit_id=sender_id)


def task_code(ctx: Context, task_id: int) -> str:
    return next(t.code for t in ctx.tasks if t.id == task_id)


def indicator_code(ctx: Context, indicator_id: int) -> str:
    return next(i.code for i in ctx.indicators if i.id == indicator_id)


# -- the table ---------------------------------------------------------------------------

D, IP, NS, DL, NA = "done", "in_progress", "not_started", "delayed", "not_applicable"
NQ, LL, KS, SD, VP = (
    "Phường Ngô Quyền",
    "Phường Lê Lợi",
    "Xã Kim Sơn",
    "Xã Sơn Dương",
    "Văn phòng HĐND và UBND thị xã",
)
MQ = "Xã Minh Quang"
P = ProblemCode
MONTH = "2025-11"


@dataclass(frozen=True)
class Case:
    text: str
    intent: str = "report"
    ctx: str = "kh"
    sender: str | None = NQ
    unit: str | None = None  # "match:Name", "sender:Name", "ask", "none"; None: not checked
    period: str | None = MONTH
    written: str | None = None  # the period as written (checked when given)
    tasks: tuple = ()  # (code | "?written" | "a|b", status, percent, note)
    indicators: tuple = ()  # (indicator code | "?" | "a|b", value, numerator, denominator)
    problems: tuple = ()


def R(text: str, **kw) -> Case:
    for key in ("tasks", "indicators", "problems"):
        if key in kw:
            kw[key] = tuple(kw[key])
    return Case(text, **kw)


def T(code: str, status: str | None = None, percent: int | None = None, note: str | None = None):
    return (code, status, percent, note)


def I(code: str, value: str | None, num: str | None = None, den: str | None = None):  # noqa: E743
    return (code, value, num, den)


CASES: list[Case] = [
    # --- the examples of the brief ---------------------------------------------------
    R(
        "Xã Sơn Dương báo cáo: nhiệm vụ 3.1 đã hoàn thành",
        unit=f"match:{SD}",
        tasks=[T("3.1", D)],
    ),
    R(
        "Xã Sơn Dương báo cáo: nhiệm vụ 2.1 đã hoàn thành",
        unit=f"match:{SD}",
        tasks=[T("2.1", D)],
        problems=[P.TASK_NOT_ASSIGNED],
    ),
    R("nv 3.4 dang thuc hien, khoang 60%", unit=f"sender:{NQ}", tasks=[T("3.4", IP, 60)]),
    # a unit named in a reason or a comparison is not the one reporting (the report was
    # refused: "you may not report for Xã Kim Sơn"); status words in a reason are its own
    R(
        "nv 3.1 cham do cho xa Kim Son gui so lieu",
        unit=f"sender:{NQ}",
        tasks=[T("3.1", DL, note="cho xa Kim Son gui so lieu")],
    ),
    R(
        "nv 3.1 cham do xa Kim Son chua gui",
        unit=f"sender:{NQ}",
        tasks=[T("3.1", DL, note="xa Kim Son chua gui")],
    ),
    R("so hoa 85%, cao hon xa Kim Son", unit=f"sender:{NQ}", indicators=[I("6", "85")]),
    R("nv 3.1 cham do ben thue chua gui", tasks=[T("3.1", DL, note="ben thue chua gui")]),
    R(
        "nv 3.1 cham do thieu nguoi nv 3.2 xong",
        tasks=[T("3.1", DL, note="thieu nguoi"), T("3.2", D)],
    ),
    # held up, with its reason; a reason in status words is the note, not a status
    R(
        "nv 3.1 khong thuc hien duoc vi chua co kinh phi",
        tasks=[T("3.1", DL, note="chua co kinh phi")],
    ),
    R(
        "nv 3.1 cham do gap kho khan ve kinh phi",
        tasks=[T("3.1", DL, note="gap kho khan ve kinh phi")],
    ),
    # "1 phần" is a word of the status, no percent
    R("nv 3.1 hoan thanh 1 phan", tasks=[T("3.1", IP)]),
    R(
        "P. Ngo Quyen: 3.1, 3.2 xong; 3.4 chua thuc hien",
        sender=None,
        unit=f"match:{NQ}",
        tasks=[T("3.1", D), T("3.2", D), T("3.4", NS)],
    ),
    R(
        "P. Ngo Quyen: 1.1, 1.2 xong; 1.3 chua thuc hien",
        sender=None,
        unit=f"match:{NQ}",
        tasks=[T("1.1", D), T("1.2", D), T("1.3", NS)],
        problems=[P.TASK_NOT_ASSIGNED] * 3,
    ),
    R(
        "hoàn thành nhiệm vụ 3.1 và 3.2",
        unit=f"sender:{NQ}",
        tasks=[T("3.1", D), T("3.2", D)],
    ),
    R(
        "xong kế hoạch tuyên truyền rồi ạ",
        sender=VP,
        unit=f"sender:{VP}",
        tasks=[T("1.2", D)],
        problems=[P.NEEDS_CONFIRMATION],
    ),
    R(
        "tỷ lệ hồ sơ trực tuyến tháng 10: 72,5%",
        period="2025-10",
        written="tháng 10",
        indicators=[I("4", "72.5")],
    ),
    R(
        "so hoa 85/100 ho so, thanh toan truc tuyen 81%, hai long 96%",
        indicators=[I("6", "85.00", "85", "100"), I("5", "81"), I("10", "96")],
    ),
    R(
        "TTPVHCC quý 3: hồ sơ trực tuyến 640 trên 1.000",
        sender=None,
        unit="match:Trung tâm Phục vụ hành chính công",
        period="2025-Q3",
        written="quý 3",
        indicators=[I("4", "64.00", "640", "1000")],
    ),
    R("nv 7.1 chậm do thiếu nhân lực", tasks=[T("7.1", DL, None, "thiếu nhân lực")]),
    R("nv 3.2 xong, ảnh niêm yết", tasks=[T("3.2", D)]),
    R("HT 3.1 3.2", tasks=[T("3.1", D), T("3.2", D)]),
    R("3.1 ht, 3.2 HT", tasks=[T("3.1", D), T("3.2", D)]),
    # --- several items, statuses before and after ---------------------------------------
    R(
        "nhiệm vụ 3.1: đã hoàn thành; nhiệm vụ 3.2: đang thực hiện (70%); "
        "nhiệm vụ 3.4 chưa thực hiện",
        tasks=[T("3.1", D), T("3.2", IP, 70), T("3.4", NS)],
    ),
    R(
        "xa son duong bao cao nv 3.1 ht, 3.2 ht, 3.4 dang lam",
        unit=f"match:{SD}",
        tasks=[T("3.1", D), T("3.2", D), T("3.4", IP)],
    ),
    R(
        "Xã Sơn Dương:\n3.1 HT\n3.2 đang làm 50%\n3.4 chậm do chờ hướng dẫn của thành phố",
        unit=f"match:{SD}",
        tasks=[T("3.1", D), T("3.2", IP, 50), T("3.4", DL, None, "chờ hướng dẫn của thành phố")],
    ),
    R(
        "nv 4.2 xong, nv 5.1 vướng mắc do chưa có văn bản hướng dẫn, nv 5.2 đang thực hiện",
        tasks=[T("4.2", D), T("5.1", DL, None, "chưa có văn bản hướng dẫn"), T("5.2", IP)],
    ),
    R(
        "Đã hoàn thành các nhiệm vụ: 3.1, 3.2, 3.4",
        tasks=[T("3.1", D), T("3.2", D), T("3.4", D)],
    ),
    R(
        "Hoàn thành: 3.1, 3.2\nĐang thực hiện: 3.4, 4.2",
        tasks=[T("3.1", D), T("3.2", D), T("3.4", IP), T("4.2", IP)],
    ),
    R(
        "Hoàn thành:\n- 3.1\n- 3.2\nĐang thực hiện:\n- 3.4",
        tasks=[T("3.1", D), T("3.2", D), T("3.4", IP)],
    ),
    R("xong nv 3.1, nv 3.2 đang làm", tasks=[T("3.1", D), T("3.2", IP)]),
    R(
        "xong 3.1, 3.2; đang làm 3.4, 4.2",
        tasks=[T("3.1", D), T("3.2", D), T("3.4", IP), T("4.2", IP)],
    ),
    R("nv 3.1\nnv 3.2\nđã xong hết", tasks=[T("3.1", D), T("3.2", D)]),
    # every task of the unit, to confirm; none left when each is named apart
    R(
        "xong hết các nhiệm vụ",
        ctx="sec",
        tasks=[T("I.1", D), T("I.2", D), T("II.2", D)],
        problems=[P.EVERY_TASK],
    ),
    R(
        "Đã hoàn thành tất cả nhiệm vụ, trừ nv I.1, I.2 và II.2",
        ctx="sec",
        problems=[P.NO_TASK_LEFT],
    ),
    R("nv 3.1 xong. nv 3.2 dang lam 40%", tasks=[T("3.1", D), T("3.2", IP, 40)]),
    R("3.1, 3.2 hoàn thành", tasks=[T("3.1", D), T("3.2", D)]),
    R("nv 3.1, 3.2 xong 100%", tasks=[T("3.1", D, 100), T("3.2", D, 100)]),
    R("nv 3.1 xong - nv 3.2 chưa làm", tasks=[T("3.1", D), T("3.2", NS)]),
    R("NV3.4 đang thực hiện đạt 60%", tasks=[T("3.4", IP, 60)]),
    R("nv 3.4 đang triển khai được khoảng 45,5%", tasks=[T("3.4", IP, 46)]),
    # A figure without a finishing word is progress; 100 % alone is asked.
    R("nv 3.1 100%", tasks=[T("3.1", None, 100)], problems=[P.STATUS_UNCLEAR]),
    R("nv 3.1 0%", tasks=[T("3.1", NS, 0)]),
    R(
        "nv 3.1 70%, nv 3.2 100%",
        tasks=[T("3.1", IP, 70), T("3.2", None, 100)],
        problems=[P.STATUS_UNCLEAR],
    ),
    # Each item's status comes from its own words: never from a neighbour's.
    R("nv 3.1 da xong 100%, nv 3.2 dat 80%", tasks=[T("3.1", D, 100), T("3.2", IP, 80)]),
    R("3.1 ok, 3.2 dang lam", tasks=[T("3.1"), T("3.2", IP)]),
    R("nv 3.1 70%, nv 3.2 xong", tasks=[T("3.1", IP, 70), T("3.2", D)]),
    R("nv 3.1 đạt 40%, 3.2 hoàn thành", tasks=[T("3.1", IP, 40), T("3.2", D)]),
    R("nv 3.2 xong, nv 3.1 được 30%", tasks=[T("3.2", D), T("3.1", IP, 30)]),
    R("3.1 ok; 3.2 xong", tasks=[T("3.1"), T("3.2", D)]),
    R("nv 3.1 rồi, nv 3.2 đang làm", tasks=[T("3.1"), T("3.2", IP)]),
    R("3.1 niêm yết, 3.2 xong", tasks=[T("3.1"), T("3.2", D)]),
    R("nv 3.1 đã xong, 3.2 60%", tasks=[T("3.1", D), T("3.2", IP, 60)]),
    R("nv 3.1 xong, 3.2", tasks=[T("3.1", D), T("3.2")]),  # 3.2: asked, not guessed
    R("nv 3.1 đã xong, còn 3.2", tasks=[T("3.1", D), T("3.2")]),
    R("3.1, 3.2, 3.4 đang làm", tasks=[T("3.1", IP), T("3.2", IP), T("3.4", IP)]),
    R("3.1 và 3.2 xong, 3.4 đạt 20%", tasks=[T("3.1", D), T("3.2", D), T("3.4", IP, 20)]),
    R("nv 3.1 6/10, nv 3.2 xong", tasks=[T("3.1", IP, 60), T("3.2", D)]),
    R("nv 3.1 0%, nv 3.2 xong", tasks=[T("3.1", NS, 0), T("3.2", D)]),
    R(
        "Hoàn thành:\n- 3.1 niêm yết\n- 3.2 số hóa hồ sơ",
        tasks=[T("3.1", D), T("3.2", D)],
    ),
    # A status and a figure that disagree are asked, never stored as either.
    R("nv 3.1 xong 50%", tasks=[T("3.1", D, 50)], problems=[P.STATUS_UNCLEAR]),
    R("nv 3.1 hoàn thành 80%", tasks=[T("3.1", D, 80)], problems=[P.STATUS_UNCLEAR]),
    R("nv 3.1 da ht dat 90%", tasks=[T("3.1", D, 90)], problems=[P.STATUS_UNCLEAR]),
    R("nv 3.1 xong 0%", tasks=[T("3.1", D, 0)], problems=[P.STATUS_UNCLEAR]),
    R("nv 3.1 chưa thực hiện 30%", tasks=[T("3.1", NS, 30)], problems=[P.STATUS_UNCLEAR]),
    R("nv 3.1 đang thực hiện 100%", tasks=[T("3.1", IP, 100)], problems=[P.STATUS_UNCLEAR]),
    R("nv 3.1 chậm, đạt 100%", tasks=[T("3.1", DL, 100)], problems=[P.STATUS_UNCLEAR]),
    R("nv 3.1 dat 100%", tasks=[T("3.1", None, 100)], problems=[P.STATUS_UNCLEAR]),
    R("nv 3.1 10/10", tasks=[T("3.1", None, 100)], problems=[P.STATUS_UNCLEAR]),
    R("nv 3.1 chậm, mới được 30%", tasks=[T("3.1", DL, 30)]),
    R("nv 3.1 đang làm 0%", tasks=[T("3.1", IP, 0)], problems=[P.STATUS_UNCLEAR]),
    R("nv 3.1 xong 100%", tasks=[T("3.1", D, 100)]),
    R("nv 3.1 chưa thực hiện, 0%", tasks=[T("3.1", NS, 0)]),
    # Periods that name none, or lie outside the plan's year, are refused.
    R(
        "so hoa tháng 5/2016: 85%",
        period="2016-05",
        written="tháng 5/2016",
        indicators=[I("6", "85")],
        problems=[P.PERIOD_OUTSIDE_PLAN],
    ),
    R(
        "số hóa năm 1900 đạt 85%",
        period="1900",
        indicators=[I("6", "85")],
        problems=[P.PERIOD_OUTSIDE_PLAN],
    ),
    R(
        "nv 3.1 xong quý 4/2024",
        period="2024-Q4",
        tasks=[T("3.1", D)],
        problems=[P.PERIOD_OUTSIDE_PLAN],
    ),
    R("so hoa quý 5: 85%", indicators=[I("6", "85")], problems=[P.INVALID_PERIOD]),
    R("so hoa thang 13: 85%", indicators=[I("6", "85")], problems=[P.INVALID_PERIOD]),
    R("nv 3.1 xong ngày 31/2", tasks=[T("3.1", D)], problems=[P.INVALID_PERIOD]),
    R("nv 3.1 xong ngày 30/10", tasks=[T("3.1", D)]),
    R("so hoa tháng 10: 80%", period="2025-10", indicators=[I("6", "80")]),
    R("so hoa tháng 1/2025: 80%", period="2025-01", indicators=[I("6", "80")]),
    # The same item twice with different values is not guessed.
    R(
        "so hoa 80/100, so hoa 90/100",
        indicators=[I("6", "80.00", "80", "100"), I("6", "90.00", "90", "100")],
        problems=[P.REPEATED_ITEM],
    ),
    R(
        "so hoa 80%, hai long 96%, so hoa 80%",
        indicators=[I("6", "80"), I("10", "96"), I("6", "80")],
    ),
    R("nv 3.1 xong; nv 3.1 đang làm", tasks=[T("3.1", IP)], problems=[P.REPEATED_ITEM]),
    R("nv 3.1 xong, nv 3.2 xong, nv 3.1 xong", tasks=[T("3.1", D), T("3.2", D)]),
    R("nv 3.1", tasks=[T("3.1")]),
    R("nv 3.1 không phát sinh hồ sơ", tasks=[T("3.1", NA)]),
    R("nv 3.1 chưa xong", tasks=[T("3.1", IP)]),
    R("nv 3.1 trễ hạn vì chờ ý kiến của UBND", tasks=[T("3.1", DL, None, "chờ ý kiến của UBND")]),
    R(
        "nv 3.1 chậm, lý do: thiếu kinh phí; nv 3.2 xong",
        tasks=[T("3.1", DL, None, "thiếu kinh phí"), T("3.2", D)],
    ),
    R("nv 8.2 xong", tasks=[T("8.2", D)]),
    R("nv 8.2 (2) xong", tasks=[T("8.2 (2)", D)]),
    R("nv 6.1 đã xong", tasks=[T("6.1", D)], problems=[P.TASK_NOT_ASSIGNED]),
    R("nv 02.1 da hoan thanh", sender=VP, tasks=[T("2.1", D)]),
    R(
        "Phuong Ngo Quyen bao cao nv 13 da hoan thanh, nv 20 dang thuc hien 50%",
        ctx="qd",
        sender=None,
        unit=f"match:{NQ}",
        tasks=[T("13", D), T("20", IP, 50)],
    ),
    R(
        "NV 9 HT, NV 10 HT; nv 11 chậm tiến độ vì chưa có hướng dẫn",
        ctx="qd",
        tasks=[T("9", D), T("10", D), T("11", DL, None, "chưa có hướng dẫn")],
    ),
    R("nv 12 ok xong 100%", ctx="qd", tasks=[T("12", D, 100)]),
    R("nv 12, 13 đang triển khai đạt 70%", ctx="qd", tasks=[T("12", IP, 70), T("13", IP, 70)]),
    R("nhiệm vụ 27 số hóa 85%", ctx="qd", tasks=[T("27", IP, 85)]),
    R("nv 27 xong, số hóa 85%", ctx="qd", tasks=[T("27", D)], indicators=[I("6", "85")]),
    R(
        "nv 27 xong 60%, số hóa 85%",
        ctx="qd",
        tasks=[T("27", D, 60)],
        indicators=[I("6", "85")],
        problems=[P.STATUS_UNCLEAR],
    ),
    R("nv 3 uoc dat 60%", ctx="qd", tasks=[T("3", IP, 60)]),
    R("nv 3 được 6/10", ctx="qd", tasks=[T("3", IP, 60)]),
    R("nv 5, 6 xong", ctx="qd", sender=VP, tasks=[T("5", D), T("6", D)]),
    # a range: the tasks between its ends too, in the plan's order, of the sender's unit
    # (Phường Ngô Quyền does not lead 5)
    R("nv 1.1-1.3 xong", sender=VP, tasks=[T("1.1", D), T("1.2", D), T("1.3", D)]),
    R(
        "nv 1.1 – 1.4 đã hoàn thành",
        sender=VP,
        tasks=[T("1.1", D), T("1.2", D), T("1.3", D), T("1.4", D)],
    ),
    R("nv 3 đến 7 đã xong", ctx="qd", tasks=[T("3", D), T("4", D), T("6", D), T("7", D)]),
    R("tu nv 3 den nv 7 xong", ctx="qd", tasks=[T("3", D), T("4", D), T("6", D), T("7", D)]),
    R("nv 12 - 14 dang lam", ctx="qd", tasks=[T("12", IP), T("13", IP), T("14", IP)]),
    # "tỷ lệ hoàn thành 80%" is a share done, not done (100%: done)
    R("nv 3 tỷ lệ hoàn thành 80%", ctx="qd", tasks=[T("3", IP, 80)]),
    R("nv 3 tien do hoan thanh 50%", ctx="qd", tasks=[T("3", IP, 50)]),
    R("nv 3 ty le hoan thanh 100%", ctx="qd", tasks=[T("3", D, 100)]),
    R("nv 7-3 xong", ctx="qd", tasks=[T("7", D), T("3", D)]),  # no range backwards
    # an end the plan has not: refused, nothing between guessed
    R(
        "nv 2.1 den 2.3 xong",
        sender=VP,
        tasks=[T("2.1", D), T("?2.3", D)],
        problems=[P.UNKNOWN_TASK],
    ),
    R(
        "tiến độ nv 12 xã Kim Sơn đã hoàn thành",
        ctx="qd",
        sender=None,
        unit=f"match:{KS}",
        tasks=[T("12", D)],
    ),
    R("nv 3.1 xong, nv 3.2 chưa", tasks=[T("3.1", D), T("3.2", IP)]),
    R("nv3.1 xong nv3.2 xong nv3.4 chua", tasks=[T("3.1", D), T("3.2", D), T("3.4", IP)]),
    # "th" after "đang" is "thực hiện" (the line had no status before)
    R("3.1 - ht\n3.2 - ht\n3.4 - dang th", tasks=[T("3.1", D), T("3.2", D), T("3.4", IP)]),
    R("3.1 - ht\n3.4 - dang tim hieu", tasks=[T("3.1", D), T("3.4")]),
    R("3.1\n3.2\n3.4 xong", tasks=[T("3.1", D), T("3.2", D), T("3.4", D)]),
    R("Nv 3,1 xong", tasks=[T("3.1", D)]),
    # check marks are done; another mark says something else, asked (3.2 was done)
    R("3.1 ✅\n3.2 ✅\n3.4 đang làm", tasks=[T("3.1", D), T("3.2", D), T("3.4", IP)]),
    R("nv 3.1 xong, 3.2 ❌", tasks=[T("3.1", D), T("3.2")]),
    R("nv 3.1 đã trình ký, 3.2 hoàn thiện", tasks=[T("3.1", IP), T("3.2", D)]),
    # its own words say nothing of a status, the next one in its line does (it was asked)
    R("nv 3.1 không có gì vướng mắc, đang làm", tasks=[T("3.1", IP)]),
    R("nv 3.1 niêm yết đầy đủ, 3.2 xong", tasks=[T("3.1"), T("3.2", D)]),
    # done on a day not yet come (today 5/11/2025)
    R("nv 3.1 xong ngày 20/11/2025", tasks=[T("3.1", D)], problems=[P.DONE_DATE]),
    R(
        "- NV 3.1: Hoàn thành\n- NV 3.2: Đang thực hiện, đạt 50%\n- NV 3.4: Chưa thực hiện",
        tasks=[T("3.1", D), T("3.2", IP, 50), T("3.4", NS)],
    ),
    R(
        "Em báo cáo ạ: NV 3.1 HT 100%. NV 3.2 HT. NV 4.2 đang làm 50%",
        tasks=[T("3.1", D, 100), T("3.2", D), T("4.2", IP, 50)],
    ),
    R("3.4 dang lam duoc 30% do thieu kinh phi", tasks=[T("3.4", IP, 30, "thieu kinh phi")]),
    R("nv 40 đã tổ chức 2 buổi tuyên truyền", ctx="qd", tasks=[T("40")]),
    # Plans numbered 1, 2, 3 …: officials leave out "nv".
    R(
        "3, 13 hoàn thành; 15 chậm do thiếu nhân lực",
        ctx="qd",
        sender=LL,
        tasks=[T("3", D), T("13", D), T("15", DL, None, "thiếu nhân lực")],
    ),
    R(
        "p le loi: 3 xong, so hoa 85/100",
        ctx="qd",
        sender=None,
        unit=f"match:{LL}",
        tasks=[T("3", D)],
        indicators=[I("6", "85.00", "85", "100")],
    ),
    R("xong 3, 4 và 9", ctx="qd", tasks=[T("3", D), T("4", D), T("9", D)]),
    R(
        "15 chậm do thiếu 2 cán bộ",
        ctx="qd",
        tasks=[T("15", DL, None, "thiếu 2 cán bộ")],
    ),
    R("so hoa 45, nv 3 xong", ctx="qd", tasks=[T("3", D)], indicators=[I("6", "45")]),
    R("3, 13 hoàn thành", tasks=[], intent="other"),
    # a phone's decimal comma for the code's dot, when the plan has that code
    R("3,1 xong; 3,2 dang lam", tasks=[T("3.1", D), T("3.2", IP)]),
    R("3,1 va 3,2 da xong", tasks=[T("3.1", D), T("3.2", D)]),
    R("so hoa 3,1%", indicators=[I("6", "3.1")]),
    R("3,1 xong", ctx="qd", tasks=[], intent="other"),  # no task 3.1: 3 and 1 not guessed
    R(
        "nv 22 đạt 99% hài lòng",
        ctx="qd",
        tasks=[T("22")],
        indicators=[I("10", "99")],
    ),
    # --- units ------------------------------------------------------------------------
    R(
        "nv 3.1: Đã thực hiện niêm yết công khai đầy đủ TTHC tại bộ phận một cửa",
        unit=f"sender:{NQ}",
        tasks=[T("3.1", D)],
    ),
    R(
        "Kính gửi Văn phòng UBND, xã Kim Sơn báo cáo nv 3.1 xong",
        unit=f"match:{KS}",
        tasks=[T("3.1", D)],
    ),
    R("Kim Sơn 3.1 xong", unit=f"match:{KS}", tasks=[T("3.1", D)]),
    R("son loc 3.1 xong", unit="match:Phường Sơn Lộc", tasks=[T("3.1", D)]),
    R(
        "phuong quang trung nv 3.1 chua lam",
        sender=None,
        unit="match:Phường Quang Trung",
        tasks=[T("3.1", NS)],
    ),
    R(
        "Phuong Quang Trug nv 3.1 xong",
        sender=None,
        unit="match:Phường Quang Trung",
        tasks=[T("3.1", D)],
    ),
    R(
        "UBND xã Kim Sơn: nv 3.1, 3.2 xong",
        sender=None,
        unit=f"match:{KS}",
        tasks=[T("3.1", D), T("3.2", D)],
    ),
    R(
        "ubnd xa kim son nv 3.1 xong",
        sender=None,
        unit=f"match:{KS}",
        tasks=[T("3.1", D)],
    ),
    R(
        "xã Kim Sơn nv 1.1 xong",
        sender=None,
        unit=f"match:{KS}",
        tasks=[T("1.1", D)],
        problems=[P.TASK_NOT_ASSIGNED],
    ),
    R(
        "xã Sơn Dươg nv 3.1 xong",
        sender=None,
        unit="ask",
        tasks=[T("3.1", D)],
        problems=[P.AMBIGUOUS_UNIT],
    ),
    R(
        "xa cam giang nv 3.1 xong",
        sender=None,
        unit="ask",
        tasks=[T("3.1", D)],
        problems=[P.AMBIGUOUS_UNIT],
    ),
    R(
        "Xã Cẩm Giàng: nv 3.1 xong",
        sender=None,
        unit="match:Xã Cẩm Giàng",
        tasks=[T("3.1", D)],
    ),
    R(
        "x. Hong Phong nv 3.1 xong",
        unit="none",
        tasks=[T("3.1", D)],
        problems=[P.UNKNOWN_UNIT],
    ),
    R(
        "xã Tân Lập báo cáo nv 3.1 đã hoàn thành",
        unit="none",
        tasks=[T("3.1", D)],
        problems=[P.UNKNOWN_UNIT],
    ),
    R("nv 3.1 xong", sender=None, unit="none", tasks=[T("3.1", D)]),
    R(
        "Văn phòng UBND: nv 1.1 xong",
        sender=None,
        unit=f"match:{VP}",
        tasks=[T("1.1", D)],
    ),
    R(
        "Phòng Tư pháp báo cáo nv 30 đang thực hiện",
        ctx="qd",
        sender=None,
        unit="match:Phòng Tư pháp",
        tasks=[T("30", IP)],
    ),
    # --- periods ------------------------------------------------------------------------
    R("tháng 10/2025 nv 3.1 xong", period="2025-10", written="tháng 10/2025", tasks=[T("3.1", D)]),
    R("quý III nv 3.1 xong", period="2025-Q3", tasks=[T("3.1", D)]),
    R("T10 nv 3.1 xong", period="2025-10", tasks=[T("3.1", D)]),
    R("6 tháng đầu năm: nv 3.1 xong", period="2025-H1", tasks=[T("3.1", D)]),
    R("tháng trước nv 3.1 xong", period="2025-10", tasks=[T("3.1", D)]),
    R("tuần này nv 3.1 xong", period="2025-W45", tasks=[T("3.1", D)]),
    R("hôm nay nv 3.1 xong", period=MONTH, written=None, tasks=[T("3.1", D)]),
    R(
        "tháng 12/2025 nv 3.1 xong",
        period="2025-12",
        tasks=[T("3.1", D)],
        problems=[P.FUTURE_PERIOD],
    ),
    R("tháng sau nv 3.1 xong", period="2025-12", tasks=[T("3.1", D)], problems=[P.FUTURE_PERIOD]),
    R(
        "Phường Lê Lợi báo cáo tháng 10/2025: số hoá 120/150 hồ sơ; thanh toán trực tuyến "
        "đạt 82%; mức độ hài lòng 97%",
        sender=None,
        unit=f"match:{LL}",
        period="2025-10",
        indicators=[I("6", "80.00", "120", "150"), I("5", "82"), I("10", "97")],
    ),
    # --- indicators -----------------------------------------------------------------------
    R(
        "72% hồ sơ trực tuyến, 81% thanh toán trực tuyến",
        indicators=[I("4", "72"), I("5", "81")],
    ),
    R("Kết quả: 72% hồ sơ trực tuyến", indicators=[I("4", "72")]),
    R("so hoa 85, hai long 96", indicators=[I("6", "85"), I("10", "96")]),
    R("ti le ho so truc tuyen 70%", indicators=[I("4", "70")]),
    R("HS truc tuyen 640/1000", indicators=[I("4", "64.00", "640", "1000")]),
    R("tỷ lệ hồ sơ trực tuyến 640/1.000 hồ sơ", indicators=[I("4", "64.00", "640", "1000")]),
    R("số hóa đạt 1.234/2.000 hồ sơ", indicators=[I("6", "61.70", "1234", "2000")]),
    R("tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC: 91%", indicators=[I("6", "91")]),
    R("công bố công khai TTHC đúng hạn 100%", indicators=[I("1", "100")]),
    R("xử lý phản ánh kiến nghị đúng hạn đạt 100%", indicators=[I("9", "100")]),
    R("Mức độ hài lòng của người dân đạt 98,5%", indicators=[I("10", "98.5")]),
    R("hài lòng 95 %", indicators=[I("10", "95")]),
    R(
        "hồ sơ trực tuyến 1.200/1.000",
        indicators=[I("4", "120.00", "1200", "1000")],
        problems=[P.NUMERATOR_EXCEEDS_DENOMINATOR],
    ),
    R("số hóa 85/0", indicators=[I("6", None, "85", "0")], problems=[P.VALUE_OUT_OF_RANGE]),
    R("so hoa 120%", indicators=[I("6", "120")], problems=[P.VALUE_OUT_OF_RANGE]),
    R("so hoa -5%", indicators=[I("6", "-5")], problems=[P.VALUE_OUT_OF_RANGE]),
    # a count (a number above 100, or of dossiers) for a percentage: its total is asked for
    R("so hoa 185", indicators=[I("6", "185")], problems=[P.COUNT_FOR_PERCENT]),
    R("so hoa 85 ho so", indicators=[I("6", "85")], problems=[P.COUNT_FOR_PERCENT]),
    R("so hao 85%", indicators=[I("?", "85")], problems=[P.UNKNOWN_INDICATOR]),
    # A figure that is not a number, after an indicator's name: the indicator with no value.
    R("so hoa 8o/100", indicators=[I("6", None)], problems=[P.UNREADABLE_FIGURE]),
    R("hai long 9l%", indicators=[I("10", None)], problems=[P.UNREADABLE_FIGURE]),
    R(
        "thanh toan truc tuyen tam muoi phan tram",
        indicators=[I("5", None)],
        problems=[P.UNREADABLE_FIGURE],
    ),
    R(
        "nv 3.1 xong, so hoa 8x%",
        tasks=[T("3.1", D)],
        indicators=[I("6", None)],
        problems=[P.UNREADABLE_FIGURE],
    ),
    R("đạt 85%", indicators=[I("?", "85")], problems=[P.UNKNOWN_INDICATOR]),
    R(
        "HSTT 70%",
        # Task 21's "100% hồ sơ … được đồng bộ" is the appendix's row 2 (an alias of it).
        indicators=[I("2|20-CT1|4", "70")],
        problems=[P.AMBIGUOUS_INDICATOR],
    ),
    R(
        "Báo cáo quý 3 năm 2025: tỷ lệ số hóa 1.250/1.300 hồ sơ (96,15%)",
        period="2025-Q3",
        written="quý 3 năm 2025",
        indicators=[I("6", "96.15", "1250", "1300")],
    ),
    R("số hoá đạt 100% (50/50 hồ sơ)", indicators=[I("6", "100", "50", "50")]),
    R(
        "Tiếp nhận 250 hồ sơ, trong đó 180 hồ sơ trực tuyến",
        indicators=[I("4", "72.00", "180", "250")],
    ),
    # parts named after the total: a ratio each, the total no figure of its own
    R(
        "Trong tháng tiếp nhận 120 hồ sơ, trong đó hồ sơ trực tuyến 90, số hóa 100",
        indicators=[I("4", "75.00", "90", "120"), I("6", "83.33", "100", "120")],
    ),
    R(
        "tiep nhan 120 hs trong do hs truc tuyen 90 hs, so hoa 100 hs",
        indicators=[I("4", "75.00", "90", "120"), I("6", "83.33", "100", "120")],
    ),
    # a total received, then the counts done of it, each named (no "trong đó")
    R(
        "số hóa: tiếp nhận 120 hs, đã số hóa 110 hs",
        indicators=[I("6", "91.67", "110", "120")],
    ),
    R(
        "tổng số giao dịch thanh toán 50, thanh toán trực tuyến 42",
        indicators=[I("5", "84.00", "42", "50")],
    ),
    R(
        "Tiếp nhận: 120 hồ sơ\nSố hóa: 110 hồ sơ\nHồ sơ trực tuyến: 90",
        indicators=[I("6", "91.67", "110", "120"), I("4", "75.00", "90", "120")],
    ),
    R(
        "tiep nhan 120 hs, so hoa 110 hs. tiep nhan 30 giao dich, thanh toan truc tuyen 25",
        indicators=[I("6", "91.67", "110", "120"), I("5", "83.33", "25", "30")],
    ),
    # a count after a total of other things is no part of it: payments are counted over
    # the payment transactions, feedback over the feedback received (2.5 % was stored
    # for "3 phản ánh … of 120 hồ sơ"); the sender is told what the total is not of
    R(
        "tiep nhan 120 ho so, so hoa 110, phan anh kien nghi dung han 3",
        indicators=[I("6", "91.67", "110", "120"), I("9", None)],
        problems=[P.NOT_OF_TOTAL],
    ),
    R(
        "Tiếp nhận 120 hồ sơ, trong đó thanh toán trực tuyến 90, số hóa 100",
        indicators=[I("5", None), I("6", "83.33", "100", "120")],
        problems=[P.NOT_OF_TOTAL],
    ),
    R(
        "tiep nhan 120 ho so, thanh toan truc tuyen 90",
        indicators=[I("5", None)],
        problems=[P.NOT_OF_TOTAL],
    ),
    # a part named by words several indicators share is the one counting what the total
    # counts ("trực tuyến" of 40 payment transactions: payments; it was not understood)
    R("tiep nhan 40 giao dich, truc tuyen 33", indicators=[I("5", "82.50", "33", "40")]),
    R(
        "tổng số giao dịch thanh toán 40, trực tuyến 33",
        indicators=[I("5", "82.50", "33", "40")],
    ),
    # the parts of a total run on past a figure of its own (number 356 for "số hóa" was
    # refused as a count for a percentage after "120/150 giao dịch")
    R(
        "tiếp nhận 356 hồ sơ, trực tuyến 300, thanh toán trực tuyến 120/150 giao dịch, số hóa 356",
        indicators=[
            I("4", "84.27", "300", "356"),
            I("5", "80.00", "120", "150"),
            I("6", "100.00", "356", "356"),
        ],
    ),
    R(
        "tiep nhan 120 hs, so hoa 95%, truc tuyen 90",
        indicators=[I("6", "95"), I("4", "75.00", "90", "120")],
    ),
    # a total that says nothing of what it counts takes any part
    R("tiep nhan: 50, thanh toan truc tuyen 40", indicators=[I("5", "80.00", "40", "50")]),
    # words several indicators share ("giải quyết") name no part: that count stays none
    R(
        "Số hồ sơ tiếp nhận: 120; đã giải quyết: 118; số hóa: 110",
        indicators=[I("6", "91.67", "110", "120")],
    ),
    # a part named with the total's noun: "trực tuyến 150" of "200 hồ sơ" is hồ sơ trực
    # tuyến, as "trực tuyến 150/200 hồ sơ" is (both asked between three before)
    R(
        "tiep nhan 200 ho so, truc tuyen 150, so hoa 180",
        indicators=[I("4", "75.00", "150", "200"), I("6", "90.00", "180", "200")],
    ),
    R("truc tuyen 150/200 ho so", indicators=[I("4", "75.00", "150", "200")]),
    # names and figures in turn with no comma: each figure takes the name before it (the
    # name of the next figure was taken when the one before was weak: 90 % for payments)
    R(
        "số hóa 90% thanh toán trực tuyến 85% hài lòng 95%",
        indicators=[I("6", "90"), I("5", "85"), I("10", "95")],
    ),
    R("90% số hóa 85% thanh toán trực tuyến", indicators=[I("6", "90"), I("5", "85")]),
    # a percentage written as a change is no figure: refused, saying so ("số hóa tăng 5%"
    # stored 5 % for another indicator; "tăng 20%" after a task was its percent)
    R(
        "so hoa tang 5% so voi thang truoc",
        period="2025-10",
        problems=[P.CHANGE_NOT_FIGURE],
    ),
    R(
        "nv 3.1 dang lam, tang 20% so voi thang truoc",
        period="2025-10",
        tasks=[T("3.1", IP)],
        problems=[P.CHANGE_NOT_FIGURE],
    ),
    R(
        "thanh toan truc tuyen 82%, giam 3%",
        indicators=[I("5", "82")],
        problems=[P.CHANGE_NOT_FIGURE],
    ),
    R("so hoa hon 80%", indicators=[I("6", "80")]),  # a level passed, as before
    # a heading before a colon names no figure ("số liệu" made "số hóa" the data reuse
    # indicator)
    R("so lieu quy 3: so hoa 88%", period="2025-Q3", indicators=[I("6", "88")]),
    # when something will be done is no reporting period ("tháng 12" was read as December
    # 2024 and the report refused as outside the plan); "đến tháng 10" is one
    R("nv 3.2: dang lam, du kien xong cuoi thang 12", tasks=[T("3.2", IP)]),
    R("nv 3.2 se hoan thanh trong quy 1", tasks=[T("3.2", IP)]),
    R("so lieu den het thang 10: so hoa 85%", period="2025-10", indicators=[I("6", "85")]),
    # words typed without their spaces on a phone ("sohoa" was no indicator)
    R("sohoa 90%, thanhtoan tructuyen 82%", indicators=[I("6", "90"), I("5", "82")]),
    R("tyle hoso tructuyen 75%, hailong 95%", indicators=[I("4", "75"), I("10", "95")]),
    R("truc tuyen 80%", indicators=[I("3|4|5", "80")], problems=[P.AMBIGUOUS_INDICATOR]),
    # a count greater than the total is no part of it; a count alone is no percentage:
    # the sender is told the total is missing
    R("tong so 40 hs, so hoa 45 hs", indicators=[I("6", "45")], problems=[P.COUNT_FOR_PERCENT]),
    R("so hoa 110 hs", indicators=[I("6", "110")], problems=[P.COUNT_FOR_PERCENT]),
    # a total received with no part says how many came in: no figure ("tiếp nhận" is in
    # an indicator's name)
    R("nv 3.1 xong, tiep nhan 120 hs, gui 2 anh", tasks=[T("3.1", D)]),
    R("tiep nhan 120 ho so", intent="other"),
    # figures written with two periods: refused (all went to the first period)
    R(
        "so hoa thang 10 85%, thanh toan truc tuyen thang 9 80%",
        period="2025-10",
        indicators=[I("6", "85"), I("5", "80")],
        problems=[P.SEVERAL_PERIODS],
    ),
    R(
        "Bao cao thang 10: so hoa 85%, thang 10 thanh toan 80%",
        period="2025-10",
        indicators=[I("6", "85"), I("5", "80")],
    ),
    R(
        "nv 3.1 xong thang 10, nv 3.2 xong thang 11",
        period="2025-10",
        tasks=[T("3.1", D), T("3.2", D)],
    ),
    # nothing arose for an indicator: an item with no figure (it was a task by content,
    # or a total of zero refused); a task's "không phát sinh" stays the task's
    R("thanh toan truc tuyen khong phat sinh", indicators=[I("5", None)]),
    R(
        "so hoa 85%, thanh toan truc tuyen: khong phat sinh giao dich",
        indicators=[I("6", "85"), I("5", None)],
    ),
    R("khong phat sinh ho so truc tuyen", indicators=[I("4", None)]),
    R("thanh toan truc tuyen 0/0", indicators=[I("5", None, "0", "0")]),
    R("nv 3.1 khong phat sinh, so hoa 90%", tasks=[T("3.1", NA)], indicators=[I("6", "90")]),
    # a zero glossed "không phát sinh" is that, not a figure (it was a task by content)
    R("hồ sơ trực tuyến: 0 (không phát sinh)", indicators=[I("4", None)]),
    R(
        "thanh toan truc tuyen 0 - khong phat sinh, so hoa 45/50",
        indicators=[I("5", None), I("6", "90.00", "45", "50")],
    ),
    R("nv 3.1 0 (không phát sinh)", tasks=[T("3.1", NA)]),
    # a list's item numbers are no figures ("3) Số hóa …" is not "số hóa 3")
    R(
        "1) NV 3.1 đã xong; 2) NV 3.2 đạt 75%; 3) Số hóa đạt 95/100 hồ sơ",
        tasks=[T("3.1", D), T("3.2", IP, 75)],
        indicators=[I("6", "95.00", "95", "100")],
    ),
    R("(1) so hoa 90%; (2) hai long 97%", indicators=[I("6", "90"), I("10", "97")]),
    R(
        "1. nv 3.1 đạt 80%. 2. so hoa 90%",
        tasks=[T("3.1", IP, 80)],
        indicators=[I("6", "90")],
    ),
    # in a plan numbered 1, 2, 3 …, an item's number right before a status is the task's
    # code, its percent on the same line its own (nothing was read before)
    R(
        "Báo cáo:\n3. xong\n13. chậm do thiếu người",
        ctx="qd",
        tasks=[T("3", D), T("13", DL, note="thiếu người")],
    ),
    R("3) Hoàn thành\n13) đang thực hiện 50%", ctx="qd", tasks=[T("3", D), T("13", IP, 50)]),
    R("1/ so hoa 90%\n2/ hai long 97%", indicators=[I("6", "90"), I("10", "97")]),
    R("Báo cáo:\n1- so hoa 90%\n2- hai long 97%", indicators=[I("6", "90"), I("10", "97")]),
    R(
        "so hoa 5 hs (trong do 3) chua",
        tasks=[T("8.2 (2)", IP)],  # by its content, to confirm
        indicators=[I("6", "60.00", "3", "5")],
        problems=[P.NEEDS_CONFIRMATION],
    ),
    # a report sent, no code: the unit's periodic report ("Báo cáo về tình hình …", not
    # "Triển khai … chế độ báo cáo"), to confirm (it was not understood)
    R(
        "da gui bao cao quy 4",
        ctx="qd",
        period="2025-Q4",
        tasks=[T("50", D)],
        problems=[P.NEEDS_CONFIRMATION],
    ),
    R(
        "Báo cáo tháng 11 đã nộp rồi ạ",
        ctx="qd",
        tasks=[T("50", D)],
        problems=[P.NEEDS_CONFIRMATION],
    ),
    # sent "already" without "đã", "bc" for "báo cáo", sent again
    R("em gui bao cao roi nhe", ctx="qd", tasks=[T("50", D)], problems=[P.NEEDS_CONFIRMATION]),
    R(
        "bao cao quy 4 em nop roi",
        ctx="qd",
        period="2025-Q4",
        tasks=[T("50", D)],
        problems=[P.NEEDS_CONFIRMATION],
    ),
    R("da nop bc thang 11 a", ctx="qd", tasks=[T("50", D)], problems=[P.NEEDS_CONFIRMATION]),
    R("em gửi lại báo cáo rồi ạ", ctx="qd", tasks=[T("50", D)], problems=[P.NEEDS_CONFIRMATION]),
    R("em gửi rồi ạ", ctx="qd", intent="other"),  # sent what: nothing is guessed
    R("đã gửi báo cáo", tasks=[T("?báo cáo", D)], problems=[P.UNKNOWN_TASK]),  # no such task
    # figures sent: the status introduces them, no task is looked for
    R("Đã gửi số liệu tháng 11: số hóa 90%", indicators=[I("6", "90")]),
    R("da nop du so lieu: hai long 97%", indicators=[I("10", "97")]),
    R("hs truc tuyen 72 %, tt truc tuyen 80 %", indicators=[I("4", "72"), I("5", "80")]),
    # "tt" is "trực tuyến" after its noun, "online" too; "nộp" is filing dossiers
    R("thanh toan tt 180/245", indicators=[I("5", "73.47", "180", "245")]),
    R("ho so tt 245/300", indicators=[I("4", "81.67", "245", "300")]),
    R("thanh toan online 180/245", indicators=[I("5", "73.47", "180", "245")]),
    R("hs nop online 245/300", indicators=[I("4", "81.67", "245", "300")]),
    # "tt" after "thanh toán", "hồ sơ" is "trực tuyến", no "thứ tự": 80 is no task 80
    R("thanh toan tt 80%", indicators=[I("5", "80")]),
    R("thanh toan tt 80", indicators=[I("5", "80")]),
    R("TT 3 xong", ctx="qd", tasks=[T("3", D)]),
    R("nop truc tuyen 245/300", indicators=[I("4", "81.67", "245", "300")]),
    R("Tỷ lệ hồ sơ trực tuyến = 180/250 = 72%", indicators=[I("4", "72.00", "180", "250")]),
    R("xử lý phản ánh kiến nghị: 3/3 đúng hạn", indicators=[I("9", "100.00", "3", "3")]),
    R(
        "Tỷ lệ hồ sơ trực tuyến: 65%; Tỷ lệ thanh toán trực tuyến: 82%; tỷ lệ số hóa: 90%; "
        "hài lòng: 98%",
        indicators=[I("4", "65"), I("5", "82"), I("6", "90"), I("10", "98")],
    ),
    R("đạt 100% chỉ tiêu số hóa", indicators=[I("6", "100")]),
    R(
        "xã Kim Sơn tháng 10: số hóa 85%, nv 3.1 xong",
        sender=None,
        unit=f"match:{KS}",
        period="2025-10",
        tasks=[T("3.1", D)],
        indicators=[I("6", "85")],
    ),
    R("em gửi 3 ảnh niêm yết ạ", intent="other"),
    R("Có 2 hồ sơ quá hạn", intent="other"),
    R(
        "nv 3.1 xong, gửi kèm 2 ảnh chụp bảng niêm yết",
        tasks=[T("3.1", D)],
    ),
    # --- tasks by content -------------------------------------------------------------
    R(
        "đã số hóa kết quả giải quyết TTHC xong",
        ctx="qd",
        tasks=[T("27", D)],
        problems=[P.NEEDS_CONFIRMATION],
    ),
    R(
        "công khai thủ tục hành chính đã xong",
        ctx="qd",
        tasks=[T("11|12|13|6", D)],
        problems=[P.AMBIGUOUS_TASK],
    ),
    R(
        "dang trien khai su dung hoa don dien tu",
        ctx="qd",
        sender=VP,
        tasks=[T("18", IP)],
        problems=[P.NEEDS_CONFIRMATION],
    ),
    # --- codes that do not resolve ---------------------------------------------------------
    R("nv 2.9 xong", tasks=[T("?2.9", D)], problems=[P.UNKNOWN_TASK]),
    R("nv 99 xong", ctx="qd", tasks=[T("?99", D)], problems=[P.UNKNOWN_TASK]),
    R("nv 1 xong", ctx="sec", sender=NQ, tasks=[T("I.1", D)]),
    R("nv 1 xong", ctx="sec", sender=LL, tasks=[T("II.1", D)]),
    R(
        "nv 1 xong",
        ctx="sec",
        sender=KS,
        tasks=[T("I.1|II.1", D)],
        problems=[P.AMBIGUOUS_TASK],
    ),
    R(
        "nv 2 đang làm",
        ctx="sec",
        sender=NQ,
        tasks=[T("I.2|II.2", IP)],
        problems=[P.AMBIGUOUS_TASK],
    ),
    R("nv II.1 xong", ctx="sec", sender=LL, tasks=[T("II.1", D)]),
    R(
        "nv II.1 xong",
        ctx="sec",
        sender=NQ,
        tasks=[T("II.1", D)],
        problems=[P.TASK_NOT_ASSIGNED],
    ),
    R(
        "nv 5 làm được 150%",
        ctx="qd",
        sender=VP,
        tasks=[T("5")],
        problems=[P.VALUE_OUT_OF_RANGE],
    ),
    # --- corrections ----------------------------------------------------------------------
    R("sửa: nv 3.1 đang thực hiện 50%", intent="correction", tasks=[T("3.1", IP, 50)]),
    R("sua lai: nv 3.1 chua xong", intent="correction", tasks=[T("3.1", IP)]),
    R("Sửa lại nv 3.2 xong", intent="correction", tasks=[T("3.2", D)]),
    R("đính chính so hoa 90%", intent="correction", indicators=[I("6", "90")]),
    R("sửa nv 3.1 đang làm", intent="correction", tasks=[T("3.1", IP)]),
    R("sửa:", intent="correction"),
    # the unit named first, then "sửa:" (it was a new report, disagreeing with the last)
    R(
        "Xã Kim Sơn: sửa: nv 3.1 đang làm 50%",
        intent="correction",
        unit=f"match:{KS}",
        tasks=[T("3.1", IP, 50)],
    ),
    R(
        "xa kim son sua lai nv 3.2 xong",
        intent="correction",
        unit=f"match:{KS}",
        tasks=[T("3.2", D)],
    ),
    R(
        "Xã Kim Sơn - đính chính: số hóa 90%",
        intent="correction",
        unit=f"match:{KS}",
        indicators=[I("6", "90")],
    ),
    # --- undo -----------------------------------------------------------------------------
    R("hủy", intent="undo", period=None),
    R("huy", intent="undo", period=None),
    R("/huy", intent="undo", period=None),
    R("Hủy báo cáo", intent="undo", period=None),
    R("huy bc vua roi", intent="undo", period=None),
    R("xóa báo cáo vừa rồi", intent="undo", period=None),
    R("xoá báo cáo vừa gửi nhé", intent="undo", period=None),
    R("hủy nv 3.1", intent="undo", period=None, tasks=[T("3.1")]),
    R("xoa nv 3, 5", ctx="qd", intent="undo", period=None, tasks=[T("3"), T("5")]),
    R(
        "hủy nv 3 đến 6",
        ctx="qd",
        intent="undo",
        period=None,
        tasks=[T("3"), T("4"), T("5"), T("6")],
    ),
    R("huy nv 1.1-1.3", intent="undo", period=None, tasks=[T("1.1"), T("1.2"), T("1.3")]),
    # --- help -----------------------------------------------------------------------------
    R("trợ giúp", intent="help"),
    R("tro giup", intent="help"),
    R("hướng dẫn", intent="help"),
    R("huong dan bao cao", intent="help"),
    R("help", intent="help"),
    R("/help", intent="help"),
    R("cách báo cáo", intent="help"),
    R("làm sao để báo cáo", intent="help"),
    # --- queries -------------------------------------------------------------------------
    R("tình hình tháng này", intent="query", written="tháng này"),
    R("tinh hinh", intent="query"),
    R("bao cao nhanh", intent="query"),
    # what is left to do, what a task is (the first was read as a task found by "còn
    # những việc gì", not started)
    R("còn những việc gì chưa làm", intent="query"),
    R("việc nào chưa hoàn thành", intent="query"),
    R("tháng này cần làm gì", intent="query", written="tháng này"),
    R("nhiệm vụ 3.1 là gì", intent="query", tasks=[T("3.1")]),
    R("tóm tắt tháng này", intent="query", written="tháng này"),
    R("tình hình xã Kim Sơn quý 3", intent="query", unit=f"match:{KS}", period="2025-Q3"),
    R("tiến độ xã Kim Sơn", intent="query", unit=f"match:{KS}"),
    R("xã nào chậm?", intent="query"),
    # a unit's list of tasks asked for
    R("nhiem vu cua xa minh", intent="query"),
    R("danh sách nhiệm vụ", intent="query"),
    R("các nhiệm vụ được giao cho xã Kim Sơn", intent="query", unit=f"match:{KS}"),
    # which tasks a unit is late on: a question, not a report that it is late
    R("xa kim son cham nhung viec gi", intent="query", unit=f"match:{KS}"),
    R("Xã Kim Sơn quá hạn những nhiệm vụ gì?", intent="query", unit=f"match:{KS}"),
    R("xa kim son qua han gi", intent="query", unit=f"match:{KS}"),
    R("nv 3.1 cham do thieu may tinh", tasks=[T("3.1", DL, note="thieu may tinh")]),
    R("xa nao cham", intent="query"),
    R("đơn vị nào chưa báo cáo", intent="query"),
    R("ai chưa báo cáo?", intent="query"),
    R("cho hoi xa minh con thieu gi", intent="query"),
    R("còn thiếu báo cáo gì không ạ", intent="query"),
    R("không thiếu gì", intent="other"),
    # whether a unit has sent everything, its indicators asked for (not understood)
    R("xa minh da bao cao du chua", intent="query"),
    R("đã gửi đủ chưa ạ", intent="query"),
    R("chỉ tiêu của xã tháng này", intent="query", written="tháng này"),
    R("chi tieu nao chua dat", intent="query"),
    # when things are due (not understood: "ngày nào" was no question word)
    R("han bao cao quy la ngay nao", intent="query"),
    R("hạn nộp số liệu là hôm nào", intent="query"),
    # who has not sent the figures
    R("ai thieu so lieu", intent="query"),
    R("xa minh chua gui so lieu nao", intent="query"),
    # "xa minh" is "xã mình", the sender's own unit (it was an unknown "Xã Minh", or a
    # unit to choose among those named Minh …); a unit named Minh … stays that unit
    R("xa minh nv 3.1 xong", tasks=[T("3.1", D)]),
    R("phuong minh con thieu gi", intent="query"),
    R("xa minh quang nv 3.1 xong", unit=f"match:{MQ}", tasks=[T("3.1", D)]),
    R("bao nhiêu xã đã hoàn thành nv 5", intent="query", ctx="qd", tasks=[T("5")]),
    R(
        "số hóa quý 3 thế nào",
        intent="query",
        ctx="qd",
        period="2025-Q3",
        indicators=[I("6", None)],
    ),
    R(
        "tỷ lệ hồ sơ trực tuyến của phường Lê Lợi ra sao",
        intent="query",
        unit=f"match:{LL}",
        indicators=[I("4", None)],
    ),
    R("kết quả số hóa tháng 10?", intent="query", period="2025-10", indicators=[I("6", None)]),
    R("nv 3.1 thế nào rồi", intent="query", tasks=[T("3.1")]),
    R("nv 3.1 xong chưa?", intent="query", tasks=[T("3.1")]),
    R("tiến độ nv 3.1?", intent="query", tasks=[T("3.1")]),
    R("có gì mới không?", intent="query"),
    # --- chit-chat -----------------------------------------------------------------------
    R("ok", intent="other"),
    R("cảm ơn", intent="other"),
    R("dạ em cảm ơn ạ", intent="other"),
    R("chào cả nhà", intent="other"),
    R("dạ vâng", intent="other"),
    R("Dạ vâng ạ", intent="other"),
    R("👍", intent="other", period=None),
    R("...", intent="other", period=None),
    R("", intent="other", period=None),
    R("đã nhận", intent="other"),
    R("xong rồi ạ", intent="other"),
    R("đã hoàn thành", intent="other"),
    R("hôm nay em bận, mai em báo cáo", intent="other"),
    R("chúc cả nhà cuối tuần vui vẻ", intent="other"),
    # --- the task's own verb after "đang", a part done, chat's shorthand --------------
    R("NV 3.1 đang rà soát", tasks=[T("3.1", IP)]),
    R("nv 3.4 dang xay dung ke hoach", tasks=[T("3.4", IP)]),
    R("nv 3.4 đang chờ ý kiến của huyện", tasks=[T("3.4", IP)]),
    R("3.4 moi dc 1 nua", tasks=[T("3.4", IP)]),
    R("nv 3.4 mới làm được một nửa", tasks=[T("3.4", IP)]),
    R("nv 3.1 đã xg", tasks=[T("3.1", D)]),
    # --- an indicator's words abbreviated, or with "lên" ------------------------------
    R("kq xu ly dong bo len cong dvc qg 97%", indicators=[I("2", "97")]),
    R("ho so dong bo len cong dvc 97%", indicators=[I("2", "97")]),
]

# Every message again, decomposed (NFD) as some phones send it.
NFD_CASES = [
    Case(unicodedata.normalize("NFD", c.text), **{k: v for k, v in vars(c).items() if k != "text"})
    for c in CASES[:30]
    if not c.text.isascii()
]


def describe(result: Interpretation, ctx: Context) -> dict[str, object]:
    def codes(ids: tuple[int, ...], which) -> str:
        return "|".join(sorted(which(ctx, i) for i in ids))

    tasks = tuple(
        (
            codes(t.task_ids, task_code) if t.task_ids else f"?{t.written}",
            t.status.value if t.status else None,
            t.percent,
            t.note,
        )
        for t in result.tasks
    )
    indicators = tuple(
        (
            codes(i.indicator_ids, indicator_code) if i.indicator_ids else "?",
            None if i.value is None else str(i.value),
            None if i.numerator is None else str(i.numerator),
            None if i.denominator is None else str(i.denominator),
        )
        for i in result.indicators
    )
    return {
        "intent": result.intent.value,
        "tasks": tasks,
        "indicators": indicators,
        "problems": tuple(sorted(p.code.value for p in result.problems)),
    }


def unit_label(result: Interpretation) -> str | None:
    pick = result.unit
    if pick is None:
        return None
    if pick.decision in (UnitDecision.MATCH, UnitDecision.SENDER):
        assert pick.unit is not None
        return f"{pick.decision.value}:{pick.unit.name}"
    return pick.decision.value


@pytest.mark.parametrize("case", CASES + NFD_CASES, ids=lambda c: c.text[:60] or "<empty>")
def test_messages(case: Case) -> None:
    ctx = context(case.ctx, case.sender)
    result = interpret(case.text, ctx)
    expected = {
        "intent": case.intent,
        "tasks": case.tasks,
        "indicators": case.indicators,
        "problems": tuple(sorted(p.value for p in case.problems)),
    }
    assert describe(result, ctx) == expected
    if case.unit is not None:
        assert unit_label(result) == case.unit
    if case.period is not None:
        assert result.period is not None and result.period.key == case.period
    if case.written is not None:
        assert result.period_written == case.written
    assert_well_formed(result, ctx)


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 100
    intents = {c.intent for c in CASES}
    assert intents == {i.value for i in Intent}
    codes = {p for c in CASES for p in c.problems}
    found_by_the_service = {ProblemCode.NOT_ALLOWED, ProblemCode.REPEATED_UNIT}
    assert codes >= set(ProblemCode) - found_by_the_service


# -- details the table does not show -------------------------------------------------


def test_unit_pick_details() -> None:
    result = interpret("P. Ngo Quyen: nv 3.1 xong", context("kh"))
    assert result.unit is not None and result.unit.written == "P. Ngo Quyen"
    assert result.unit.span == (0, 12)

    asked = interpret("xã Sơn Dươg nv 3.1 xong", context("kh"))
    assert asked.unit is not None and asked.unit.decision is UnitDecision.ASK
    names = {u.name for u in asked.unit.candidates}
    assert {"Xã Sơn Dương", "Xã Sơn Đông"} <= names
    assert set(asked.problems[0].candidates) == names

    unknown = interpret("xã Tân Lập báo cáo nv 3.1 đã hoàn thành", context("kh", NQ))
    assert unknown.unit is not None and unknown.unit.written == "xã Tân Lập"
    assert unknown.problems[0].code is ProblemCode.UNKNOWN_UNIT
    assert unknown.problems[0].subject == "xã Tân Lập"

    near = interpret("x. Hong Phong nv 3.1 xong", context("kh"))
    assert near.problems[0].subject == "x. Hong Phong"


def test_default_period_follows_the_cutoff() -> None:
    ctx = context("kh", NQ)
    late = Context(ctx.catalogue, ctx.tasks, ctx.indicators, date(2025, 11, 20), ctx.sender_unit_id)
    result = interpret("nv 3.1 xong", late)
    assert result.period == reporting_period(date(2025, 11, 20))
    assert result.period is not None and result.period.key == "2025-12"
    assert result.period_written is None
    assert not result.problems  # the default period is never "future"


def test_problem_subjects_and_candidates() -> None:
    ctx = context("sec", KS)
    result = interpret("nv 1 xong", ctx)
    (problem,) = result.problems
    assert problem.subject == "1"
    assert problem.candidates == (
        "I.1 Xây dựng kế hoạch kiểm soát…",
        "II.1 Niêm yết công khai TTHC tại…",
    )

    unknown = interpret("nv 2.9 xong", context("kh", NQ)).problems[0]
    assert unknown.subject == "2.9"
    assert unknown.candidates and unknown.candidates[0] == "2.2"

    value = interpret("so hoa 120%", context("kh")).problems[0]
    assert (value.subject, value.value) == ("so hoa", "120%")

    future = interpret("tháng sau nv 3.1 xong", context("kh", NQ)).problems[0]
    assert future.subject == "tháng sau"

    content = interpret("xong kế hoạch tuyên truyền rồi ạ", context("kh", VP))
    (item,) = content.tasks
    assert item.by_content and item.written == "kế hoạch tuyên truyền"
    assert content.problems[0].candidates[0].startswith("1.2 Kế hoạch thông tin")

    unknown_indicator = interpret("đạt 85%", context("kh")).problems[0]
    assert unknown_indicator.subject == "85%"
    assert len(unknown_indicator.candidates) == 10


def test_indicator_written_and_quantity() -> None:
    result = interpret("so hoa 85/100 ho so, thanh toan truc tuyen 81%", context("kh"))
    first, second = result.indicators
    assert (first.written, first.quantity) == ("so hoa", "85/100 ho so")
    assert (second.written, second.quantity) == ("thanh toan truc tuyen", "81%")
    assert first.value == Decimal("85.00")


def test_a_count_over_its_total_named_in_between() -> None:
    """ "12 hồ sơ trực tuyến trên tổng 20": the words between the count and its total
    name the indicator; the figure is the ratio (it was two counts, refused)."""
    result = interpret("hom nay nop 12 ho so truc tuyen tren tong 20", context("kh"))
    (item,) = result.indicators
    assert item.value == Decimal("60.00") and not result.problems
    assert item.written == "ho so truc tuyen" and len(item.indicator_ids) == 1


@pytest.mark.parametrize(
    ("text", "unused"),
    [
        # named with indicator words, but no one indicator: left out and said so (it was
        # dropped without a word)
        ("tiếp nhận 120 hồ sơ, trực tuyến 90, đúng hạn 118", ["đúng hạn 118"]),
        ("so hoa 90%, giai quyet 118 ho so", ["giai quyet 118 ho so"]),
        # a number naming nothing, in a task's clause, or a total received: unsaid
        ("so hoa 90%, gui 2 anh", []),
        ("nv 3.1 xong, da giai quyet 2 ho so", []),
        ("tiep nhan 120 hs, so hoa 95%", []),
        ("so hoa 90%", []),
    ],
)
def test_counts_named_by_no_one_indicator_are_listed(text: str, unused: list[str]) -> None:
    result = interpret(text, context("kh"))
    assert result.unused == unused
    assert result.indicators or result.tasks  # what else was reported stands


def test_a_part_saying_nothing_of_what_it_counts_names_no_indicator_of_other_things() -> None:
    """In a plan whose one "đúng hạn" indicator counts feedback, "đúng hạn 138" after 140
    dossiers received is of the dossiers (resolved on time, tracked by no indicator): not
    recorded, and said so; the message's other figures stand (it was refused, after being
    stored as 138/140 for feedback). Words naming the feedback are refused as before."""
    from dataclasses import replace

    ctx = context("kh")
    feedback_only = replace(ctx, indicators=tuple(i for i in ctx.indicators if i.id != 1))
    result = interpret("tiếp nhận 140 hồ sơ, trực tuyến 110, đúng hạn 138", feedback_only)
    assert [(i.written, i.value) for i in result.indicators] == [("trực tuyến", Decimal("78.57"))]
    assert result.unused == ["đúng hạn 138"] and not result.problems
    named = interpret("tiep nhan 140 ho so, phan anh kien nghi dung han 3", feedback_only)
    assert [p.code for p in named.problems] == [ProblemCode.NOT_OF_TOTAL]


def test_one_indicator_close_but_short_of_the_phrase_is_asked_about() -> None:
    """The plan has no "hồ sơ giải quyết đúng hạn": "đúng hạn" alone is the complaints'
    indicator's, but "hồ sơ" names others; that one is asked about, not stored. A typo
    in a word of the one it names still finds it."""
    names = [
        "Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận, giải quyết TTHC",
        "Tỷ lệ thanh toán trực tuyến trên tổng số giao dịch thanh toán của dịch vụ công",
        "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC",
        "Tỷ lệ xử lý phản ánh, kiến nghị đúng hạn",
        "Mức độ hài lòng của người dân, doanh nghiệp",
    ]
    indicators = [IndicatorRef(i, str(i), name) for i, name in enumerate(names, 1)]
    ctx = Context(catalogue(), plan(KH)[0], indicators, TODAY)
    result = interpret("ty le ho so dung han thang 11 la 98,5%", ctx)
    (problem,) = result.problems
    assert problem.code is P.AMBIGUOUS_INDICATOR
    assert problem.candidates == ("Tỷ lệ xử lý phản ánh, kiến nghị đúng hạn",)
    # a letter left out of a short word, a phone's "ng" for "người": still found
    for message, indicator in (("thanh toan truc tuyn 81%", 2), ("hai long ng dan 96%", 5)):
        result = interpret(message, ctx)
        assert not result.problems, message
        assert result.indicators[0].indicator_ids == (indicator,), message


def test_a_figure_a_correction_denies_is_no_report() -> None:
    """ "… là 88% chứ không phải 85%": 85% is the figure taken back, not a second one
    (its words "chứ không phải" were an unknown indicator and nothing was stored)."""
    for message in (
        "số hóa tháng 11 là 88% chứ không phải 85% ạ",
        "so hoa 88% thay vi 85%",
        "so hoa 88%, khong phai la 85%",
    ):
        result = interpret(message, context("kh"))
        assert not result.problems, message
        (item,) = result.indicators
        assert item.value == Decimal(88), message


def test_content_match_prefers_the_units_tasks() -> None:
    # Task 1.2 is the office's: a ward writing the same words is asked to confirm, and told.
    result = interpret("xong kế hoạch tuyên truyền rồi ạ", context("kh", NQ))
    codes = [p.code for p in result.problems]
    assert ProblemCode.NEEDS_CONFIRMATION in codes
    assert ProblemCode.TASK_NOT_ASSIGNED in codes


def test_prepare_is_cached_per_plan() -> None:
    ctx = context("qd", NQ)
    assert prepare(ctx) is prepare(ctx)
    # A new Context for the next message (same catalogue, same plan): the same indexes.
    again = Context(ctx.catalogue, list(ctx.tasks), list(ctx.indicators), date(2025, 12, 1))
    assert prepare(again) is prepare(ctx)
    other = Context(ctx.catalogue, ctx.tasks[:-1], ctx.indicators, ctx.today)
    assert prepare(other) is not prepare(ctx)


# -- properties ------------------------------------------------------------------------


def assert_well_formed(result: Interpretation, ctx: Context) -> None:
    codes = [p.code for p in result.problems]
    task_ids = {t.id for t in ctx.tasks}
    indicator_ids = {i.id for i in ctx.indicators}
    assert isinstance(result.intent, Intent)
    if result.intent in (Intent.REPORT, Intent.CORRECTION, Intent.QUERY):
        assert result.unit is not None and result.period is not None
    if result.intent is Intent.REPORT:
        # (or its one figure refused as a change, or every task of a unit not settled)
        said = {P.CHANGE_NOT_FIGURE, P.UNKNOWN_UNIT, P.NO_TASK_LEFT}
        assert result.tasks or result.indicators or said & set(codes)
    if result.intent in (Intent.OTHER, Intent.HELP):
        assert not result.tasks and not result.indicators
    for task in result.tasks:
        assert set(task.task_ids) <= task_ids
        if not task.task_ids:
            assert ProblemCode.UNKNOWN_TASK in codes
        elif len(task.task_ids) > 1:
            assert ProblemCode.AMBIGUOUS_TASK in codes
        if task.by_content:
            assert {ProblemCode.NEEDS_CONFIRMATION, ProblemCode.AMBIGUOUS_TASK} & set(codes) or (
                ProblemCode.UNKNOWN_TASK in codes
            )
        assert task.percent is None or 0 <= task.percent <= 100
        assert task.status is None or isinstance(task.status, Status)
    for item in result.indicators:
        assert set(item.indicator_ids) <= indicator_ids
        if result.intent is Intent.QUERY:
            continue
        if not item.indicator_ids:
            assert ProblemCode.UNKNOWN_INDICATOR in codes
        elif len(item.indicator_ids) > 1:
            assert ProblemCode.AMBIGUOUS_INDICATOR in codes
        assert item.quantity
        if not item.indicator_ids:
            continue  # the value of an unknown indicator is checked once it is known
        if item.value is None and ProblemCode.UNREADABLE_FIGURE in codes:
            continue  # "so hoa 8o/100": no figure was read
        if item.not_arising:
            assert item.value is None and item.indicator_ids
            continue  # "thanh toán trực tuyến không phát sinh", "0/0": no figure
        if item.value is None or item.value < 0 or (item.value > 100 and not item.numerator):
            refused = {P.VALUE_OUT_OF_RANGE, P.COUNT_FOR_PERCENT, P.NOT_OF_TOTAL}
            assert refused & set(codes)
        if item.numerator is not None and item.denominator and item.numerator > item.denominator:
            assert ProblemCode.NUMERATOR_EXCEEDS_DENOMINATOR in codes
    unit = result.unit
    if unit is not None:
        if unit.decision is UnitDecision.ASK:
            assert ProblemCode.AMBIGUOUS_UNIT in codes and unit.candidates
        if unit.decision in (UnitDecision.MATCH, UnitDecision.SENDER):
            assert unit.unit is not None
    if result.blocking:
        assert result.problems
    for problem in result.problems:
        assert problem.code is not ProblemCode.NOT_ALLOWED
        assert problem.code in ASKING or problem in result.blocking


FRAGMENTS = [
    "nv 3.1",
    "3.2",
    "nhiệm vụ 9.9",
    "xong",
    "chưa thực hiện",
    "đang làm",
    "chậm do thiếu người",
    "HT",
    "60%",
    "150%",
    "85/100",
    "0/0",
    "120/100 hồ sơ",
    "-5%",
    "8o/100",
    "9l%",
    "tám mươi phần trăm",
    "so hoa",
    "hài lòng",
    "ho so truc tuyen",
    "tháng 10",
    "quý 3",
    "tháng sau",
    "xã Kim Sơn",
    "P. Ngo Quyen",
    "xã Tân Lập",
    "xã Sơn Dươg",
    "TTPVHCC",
    "sửa:",
    "hủy",
    "?",
    ",",
    ";",
    "\n",
    ":",
    "ạ",
    "và",
    "kế hoạch tuyên truyền",
    "thế nào",
    "tình hình",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    ctx = context("kh", NQ)
    result = interpret(text, ctx)
    assert_well_formed(result, ctx)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=10),
    st.sampled_from(["kh", "qd", "sec"]),
    st.sampled_from([None, NQ, KS]),
    st.booleans(),
)
def test_messages_made_of_report_fragments(
    parts: list[str], which: str, sender: str | None, decompose: bool
) -> None:
    text = " ".join(parts)
    if decompose:
        text = unicodedata.normalize("NFD", text)
    ctx = context(which, sender)
    result = interpret(text, ctx)
    assert_well_formed(result, ctx)


# -- no status stronger than an item's own words ----------------------------------------

_STRENGTH = {None: 0, NS: 1, NA: 1, IP: 2, DL: 2, D: 3}
# Words written after a task code, and the status they say on their own (None: none;
# "?": a status and a figure that disagree, which must be asked).
OWN_WORDS = {
    "xong": D,
    "đã hoàn thành": D,
    "da xong 100%": D,
    "HT": D,
    "đang làm": IP,
    "dang thuc hien 40%": IP,
    "đạt 80%": IP,
    "60%": IP,
    "được 3/10": IP,
    "chậm do thiếu người": DL,
    "chua thuc hien": NS,
    "0%": NS,
    "không phát sinh hồ sơ": NA,
    "ok": None,
    "rồi": None,
    "niêm yết tại bộ phận một cửa": None,
    "xong 50%": "?",
    "hoàn thành 80%": "?",
    "100%": "?",
    "đang thực hiện 100%": "?",
    "chưa thực hiện 30%": "?",
}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(sorted(OWN_WORDS)), min_size=1, max_size=4),
    st.sampled_from([", ", "; ", "\n", ". ", " - "]),
    st.sampled_from(["nv ", "", "nhiệm vụ "]),
    st.booleans(),
)
def test_no_status_is_stronger_than_its_own_words(
    words: list[str], separator: str, prefix: str, bare_first: bool
) -> None:
    codes = ["3.1", "3.2", "3.4", "4.2"][: len(words)]
    items = [f"{prefix}{code} {own}" for code, own in zip(codes, words, strict=True)]
    if bare_first:
        items.insert(0, f"{prefix}4.1")  # a bare code may share a neighbour's status
    ctx = context("kh", NQ)
    result = interpret(separator.join(items), ctx)
    by_code = {task_code(ctx, t.task_ids[0]): t for t in result.tasks if len(t.task_ids) == 1}
    asked = {p.subject for p in result.problems if p.code is ProblemCode.STATUS_UNCLEAR}
    for code, own in zip(codes, words, strict=True):
        item = by_code[code]
        expected = OWN_WORDS[own]
        if expected == "?":
            assert item.written in asked, (code, own, result)
            continue
        assert item.written not in asked
        got = item.status.value if item.status else None
        assert got == expected, (code, own, separator, result.tasks)
    if bare_first:
        shared = by_code["4.1"]
        said = [_STRENGTH[OWN_WORDS[w]] for w in words if OWN_WORDS[w] != "?"]
        if shared.written not in asked:
            status = shared.status.value if shared.status else None
            assert _STRENGTH[status] <= max(said, default=0)


@pytest.mark.parametrize(
    "text", ["6 tháng đầu năm", "6 thang dau nam", "quý 3", "Quy III", "năm 2025", "tháng 10?"]
)
def test_a_period_alone_from_someone_who_oversees_is_a_question(text: str) -> None:
    from dataclasses import replace

    ctx = replace(context("kh", VP), oversees=True)
    result = interpret(text, ctx)
    assert result.intent is Intent.QUERY and result.period_written is not None
    # from an official it is not a question about progress, and nothing to store
    official = interpret(text, context("kh", NQ))
    assert official.intent is not Intent.REPORT


def test_a_period_with_other_words_is_not_a_bare_question() -> None:
    from dataclasses import replace

    ctx = replace(context("kh", VP), oversees=True)
    assert interpret("quý 3 họp giao ban", ctx).intent is Intent.OTHER


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # a heading with its colon before the first unit goes with every part; a unit
        # after a comma with a status of its own opens a part (one unit read both: "xong"
        # and "đang làm 50%" asked as one task's)
        (
            "nv 3.1: xa son duong xong, xa kim son dang lam 50%",
            ["nv 3.1: xa son duong xong", "nv 3.1: xa kim son dang lam 50%"],
        ),
        (
            "nv 3.1: xa son duong dang lam 50%, xa kim son xong",
            ["nv 3.1: xa son duong dang lam 50%", "nv 3.1: xa kim son xong"],
        ),
        (
            "so hoa: xa son duong 80%, xa kim son 90%",
            ["so hoa: xa son duong 80%", "so hoa: xa kim son 90%"],
        ),
        ("nv 3.1 xong, kiem tra tai xa kim son", None),
        (
            "P. Ngo Quyen: so hoa 80/100; Xa Kim Son: so hoa 90/100",
            ["P. Ngo Quyen: so hoa 80/100", "Xa Kim Son: so hoa 90/100"],
        ),
        (
            "Số liệu tháng 10:\nPhường Ngô Quyền: số hóa 80/100\nXã Kim Sơn: số hóa 90/100",
            [
                "Số liệu tháng 10:\nPhường Ngô Quyền: số hóa 80/100",
                "Số liệu tháng 10:\nXã Kim Sơn: số hóa 90/100",
            ],
        ),
        (
            "sửa: - P. Ngô Quyền nv 3.1 xong\n- Xã Tân Lập nv 3.1 đang làm",
            ["sửa: - P. Ngô Quyền nv 3.1 xong", "sửa: - Xã Tân Lập nv 3.1 đang làm"],
        ),
        # units listed before one report: the report is each one's (it was the first's)
        (
            "P. Ngô Quyền, Xã Kim Sơn: nv 4.2 đã gửi báo cáo",
            ["P. Ngô Quyền: nv 4.2 đã gửi báo cáo", "Xã Kim Sơn: nv 4.2 đã gửi báo cáo"],
        ),
        (  # the surer name second: the list still starts at the first
            "Kim Sơn, Phường Ngô Quyền: nv 4.2 đã gửi báo cáo",
            ["Kim Sơn: nv 4.2 đã gửi báo cáo", "Phường Ngô Quyền: nv 4.2 đã gửi báo cáo"],
        ),
        (
            "Số liệu tháng 10: p ngo quyen va xa kim son so hoa 80/100",
            [
                "Số liệu tháng 10:\np ngo quyen so hoa 80/100",
                "Số liệu tháng 10:\nxa kim son so hoa 80/100",
            ],
        ),
        # after a comma, a unit with a report of its own (it was one part: "nv 3.1 given
        # twice with different statuses")
        (
            "p ngo quyen nv 3.1 xong, xa kim son nv 3.1 chua xong",
            ["p ngo quyen nv 3.1 xong", "xa kim son nv 3.1 chua xong"],
        ),
        ("P. Ngô Quyền nv 3.1 xong, Xã Kim Sơn phối hợp", None),
        # one unit, or a unit named inside a clause: one part
        ("P. Ngo Quyen: nv 3.1 xong; so hoa 80/100", None),
        ("P. Ngo Quyen, tháng 10: nv 3.1 xong", None),
        ("P. Ngo Quyen: 3.1 xong; P. Ngô Quyền: so hoa 80%", None),
        ("nv 3.1 xong, đã gửi Xã Kim Sơn phối hợp", None),
    ],
)
def test_a_message_naming_several_units_is_cut_per_unit(text: str, parts) -> None:
    from bot.understanding import unit_parts

    ctx = context("kh", VP)
    assert unit_parts(text, ctx) == (parts or [text])
    for part in parts or []:
        assert interpret(part, ctx).unit.decision in (
            UnitDecision.MATCH,
            UnitDecision.NONE,
            UnitDecision.ASK,
        )


def test_figures_of_several_periods_are_refused_with_the_periods_named() -> None:
    result = interpret("so hoa thang 10 85%, thanh toan truc tuyen thang 9 80%", context("kh", NQ))
    [problem] = result.blocking
    assert problem_text(problem, "vi") == (
        "Tin nhắn này nêu nhiều kỳ (thang 10, thang 9): mỗi tin chỉ ghi số liệu cho một kỳ. "
        "Hãy gửi số liệu của mỗi kỳ thành một tin riêng."
    )


def test_a_count_for_a_percentage_is_answered_with_how_to_write_it() -> None:
    result = interpret("so hoa 45 hs", context("kh", NQ))
    assert [p.code for p in result.problems] == [ProblemCode.COUNT_FOR_PERCENT]
    assert problem_text(result.problems[0], "vi") == (
        "45 hs cho “so hoa”: chỉ tiêu này tính theo tỷ lệ (%). Hãy ghi số đã làm trên tổng "
        "số, ví dụ “so hoa 110/120”, hoặc ghi tỷ lệ, “92%”."
    )


@pytest.mark.parametrize(
    ("text", "done_on"),
    [
        ("nv 3.1 hoàn thành ngày 3/11", date(2025, 11, 3)),
        ("nv 3.1 da xong vao ngay 28/10/2025", date(2025, 10, 28)),
        ("nv 3.1 xong hôm qua", date(2025, 11, 4)),
        ("nv 3.1 xong 28/10", date(2025, 10, 28)),  # a day and month, not a ratio
        ("nv 3.1 hoàn thành (28/10)", date(2025, 10, 28)),
        ("nv 3.1 xong", None),
        ("nv 3.1 xong, ngày 3/11 đã gửi ảnh", None),  # another clause's day
        ("nv 3.1 đang làm, dự kiến xong ngày 30/11", None),  # when it will be
        ("nv 3.1 chậm, ngày 3/11 mới nhận văn bản", None),
    ],
)
def test_the_day_a_task_was_done(text: str, done_on: date | None) -> None:
    ctx = replace(context("kh", NQ), plan_year=2025)
    result = interpret(text, ctx)
    [item] = result.tasks
    assert item.done_on == done_on
    assert result.blocking == []


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("nv 3.1 xong ngày 20/11/2025", "20/11/2025"),  # not yet come (today 5/11/2025)
        ("nv 3.1 xong ngày 20/11", "20/11/2024"),  # its latest past: last year's, before the plan
    ],
)
def test_a_task_done_on_a_day_to_come_is_refused(text: str, day: str) -> None:
    ctx = replace(context("kh", NQ), plan_year=2025)
    [problem] = interpret(text, ctx).blocking
    assert (problem.code, problem.subject, problem.value) == (ProblemCode.DONE_DATE, "3.1", day)
    assert problem_text(problem, "vi").startswith(
        f"Nhiệm vụ 3.1 xong ngày {day}: ngày này chưa đến"
    )


@pytest.mark.parametrize(
    ("asked", "gaps"),
    [
        ("xa minh da bao cao du chua", True),
        ("còn thiếu gì không", True),
        ("chi tieu nao chua dat", True),
        ("số liệu tháng này", True),
        ("thang nay xa co phai bao cao gi khong", True),
        ("em cần gửi những gì ạ", True),
        ("phải nộp gì cho văn phòng", True),
        ("còn thiếu báo cáo nào không", True),
        ("còn gửi gì nữa không", True),
        # its "còn" cut off with a report before it ("đã gửi báo cáo rồi, còn …")
        ("gui gi them nua khong a", True),
        ("tình hình chỉ tiêu tháng này", False),  # the standing answers
        ("nhiệm vụ của xã mình", False),
        ("xã nào chậm?", False),
    ],
)
def test_what_a_unit_has_not_sent_is_asked(asked: str, gaps: bool) -> None:
    assert asks_own_gaps(fold(asked)) is gaps


@pytest.mark.parametrize(
    ("asked", "when"),
    [
        ("han bao cao quy la ngay nao", True),
        ("khi nào hết hạn gửi số liệu?", True),
        ("hạn chót là bao giờ", True),
        ("nv 2.1 hạn 30/11", False),  # no question of when
        ("khi nào xã Kim Sơn báo cáo", False),  # no deadline asked
    ],
)
def test_when_things_are_due_is_asked(asked: str, when: bool) -> None:
    assert asks_deadlines(fold(asked)) is when


@pytest.mark.parametrize(
    ("asked", "missing"),
    [
        ("xã nào chưa gửi số liệu?", True),
        ("đơn vị nào chưa nộp số liệu tháng 11", True),
        ("ai thieu so lieu", True),
        ("xã nào chưa báo cáo", False),  # who is late: the tasks
        ("số liệu tháng này", False),
    ],
)
def test_who_has_not_sent_the_figures_is_asked(asked: str, missing: bool) -> None:
    assert asks_figures_missing(fold(asked)) is missing


@pytest.mark.parametrize(
    ("asked", "chase"),
    [
        ("nhắc các xã chậm", True),
        ("nhac cac don vi chua gui so lieu", True),
        ("đôn đốc các xã quá hạn", True),
        ("bot nhắc giúp các phường chưa báo cáo", True),
        ("Nhắc nhở tất cả các đơn vị quá hạn", True),
        ("nhắc tôi trước 3 ngày", False),  # the person's own reminders
        ("nhắc việc đã nhận", False),
        ("nv 4.3 đã nhắc các xã", False),
    ],
)
def test_the_office_asks_to_remind_units(asked: str, chase: bool) -> None:
    assert asks_chase(fold(asked)) is chase


@pytest.mark.parametrize(
    ("asked", "best"),
    [
        ("xã nào làm tốt nhất", True),
        ("don vi nao dan dau", True),
        ("top 5 xã", True),
        ("xã nào hoàn thành nhiều nhất?", True),
        ("xã nào chậm nhất", False),
        ("xã nào quá hạn nhiều nhất", False),
        ("nhiệm vụ nào nhiều xã chưa hoàn thành nhất", False),
    ],
)
def test_who_is_doing_best_is_asked(asked: str, best: bool) -> None:
    assert asks_best(fold(asked)) is best


def test_a_request_to_remind_units_is_a_question() -> None:
    """ "nhắc các xã chậm" was not understood: "chậm" is a status, and no code was named."""
    for asked in ("nhắc các xã chậm", "đôn đốc các đơn vị chưa gửi số liệu"):
        result = interpret(asked, context("qd", NQ))
        assert result.intent is Intent.QUERY, (asked, result)
        assert result.tasks == [] and result.problems == [], asked


def test_an_unknown_indicator_is_quoted_as_written() -> None:
    """The words before a figure that name no indicator are quoted back to the end of
    their clause (the reply quoted "tuyến toàn trình" of "DVC trực tuyến toàn trình")."""
    ctx = context("kh", NQ)
    ctx = replace(ctx, indicators=tuple(i for i in ctx.indicators if i.id != 3))
    for text, quoted in (
        ("DVC trực tuyến toàn trình 45%", "DVC trực tuyến toàn trình"),
        ("Số liệu tháng 11: dịch vụ công toàn trình đạt 45%", "dịch vụ công toàn trình"),
    ):
        result = interpret(text, ctx)
        assert [(p.code, p.subject) for p in result.problems] == [
            (ProblemCode.UNKNOWN_INDICATOR, quoted)
        ], text
