"""A message that reports and asks: the report is read from the clauses that report, the
question from the clauses that ask, each as if sent alone; a message that only reports or
only asks reads as before. Every case is also read typed without diacritics."""

from __future__ import annotations

import itertools
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.understanding import interpret
from bot.understanding.mixed import split_question
from bot.understanding.model import Intent, Interpretation, ProblemCode, UnitDecision
from tests.unit.test_understanding import KS, NQ, context, describe

D, IP, NS, DL = "done", "in_progress", "not_started", "delayed"


def bare(text: str) -> str:
    """``text`` as typed on a phone without a Vietnamese keyboard: no diacritics, đ → d."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def read(text: str) -> tuple[Interpretation, dict]:
    ctx = context("kh", NQ)
    result = interpret(text, ctx)
    return result, describe(result, ctx)


def asked(result: Interpretation) -> dict:
    assert result.question is not None, result
    return describe(result.question, context("kh", NQ))


# (message, the report's tasks, the report's indicators, the question's tasks, the
# question's indicators): tasks as (code, status, percent, note), indicators as
# (indicator code, value, numerator, denominator) as ``describe`` gives them.
MIXED = [
    # the examples of the issue, and the ways the same is written
    ("nv 3.1 xong, nv 3.2 thế nào?", [("3.1", D, None, None)], [], ["3.2"], []),
    ("nv 3.1 xong; nv 3.2 ra sao?", [("3.1", D, None, None)], [], ["3.2"], []),
    ("nv 3.1 xong. nv 3.2 đạt chưa?", [("3.1", D, None, None)], [], ["3.2"], []),
    ("nv 3.1 xong\nnv 3.2 thế nào", [("3.1", D, None, None)], [], ["3.2"], []),
    ("nv 3.1 đã hoàn thành, còn nv 3.2?", [("3.1", D, None, None)], [], ["3.2"], []),
    ("nv 3.1 đã hoàn thành còn nv 3.2 thì sao", [("3.1", D, None, None)], [], ["3.2"], []),
    ("nv 3.1 xong nv 3.2 thế nào", [("3.1", D, None, None)], [], ["3.2"], []),
    ("NV 3.1 XONG, NV 3.2 THẾ NÀO?", [("3.1", D, None, None)], [], ["3.2"], []),
    ("nv 3.1 xong, 3.2 ntn?", [("3.1", D, None, None)], [], ["3.2"], []),
    ("nv 3.1 xong, còn 3.2 xong chưa?", [("3.1", D, None, None)], [], ["3.2"], []),
    ("nv 3.1 xong, nv 3.2 có xong không?", [("3.1", D, None, None)], [], ["3.2"], []),
    ("nv 3.1 xong rồi nhé. Cho hỏi nv 3.2 đến đâu rồi", [("3.1", D, None, None)], [], ["3.2"], []),
    ("nv 3.1 xong\n\nnv 3.2 ?", [("3.1", D, None, None)], [], ["3.2"], []),
    ("nv 3.1 xong - nv 3.2 ra sao", [("3.1", D, None, None)], [], ["3.2"], []),
    # chat shorthand: "chx" (chưa), "r" (rồi), "ht" (hoàn thành), "dc" (được), "hs" (hồ sơ)
    ("nv 3.1 xong r, 3.2 xong chx?", [("3.1", D, None, None)], [], ["3.2"], []),
    ("NV 3.1 HT, NV 3.2 sao r", [("3.1", D, None, None)], [], ["3.2"], []),
    ("so hoa 85/100 hs, hs truc tuyen dc chua", [], [("6", "85.00", "85", "100")], [], ["4"]),
    # the question first
    ("nv 3.2 thế nào? nv 3.1 xong rồi", [("3.1", D, None, None)], [], ["3.2"], []),
    # several items reported, with a reason, a percent, a unit, a period
    (
        "nv 3.1 xong, 3.2 đang làm, 3.4 ra sao?",
        [("3.1", D, None, None), ("3.2", IP, None, None)],
        [],
        ["3.4"],
        [],
    ),
    (
        "nv 3.1 chậm do thiếu người, nv 3.2 thế nào",
        [("3.1", DL, None, "thiếu người")],
        [],
        ["3.2"],
        [],
    ),
    (
        "Phường Ngô Quyền: 3.1 xong, 3.2 chưa thực hiện; còn 3.4 thế nào ạ",
        [("3.1", D, None, None), ("3.2", NS, None, None)],
        [],
        ["3.4"],
        [],
    ),
    ("tháng 10: nv 3.1 xong, nv 3.2 thế nào?", [("3.1", D, None, None)], [], ["3.2"], []),
    # a figure and a question
    ("so hoa 85%, ho so truc tuyen dat chua?", [], [("6", "85", None, None)], [], ["4"]),
    ("số hóa 85%, hồ sơ trực tuyến đạt chưa?", [], [("6", "85", None, None)], [], ["4"]),
    ("số hóa 85% hồ sơ trực tuyến đạt chưa", [], [("6", "85", None, None)], [], ["4"]),
    (
        "thanh toán trực tuyến 90%, hài lòng 95%, số hóa đạt chưa",
        [],
        [("5", "90", None, None), ("10", "95", None, None)],
        [],
        ["6"],
    ),
    (
        "nv 3.1 hoàn thành 100%. Số hóa tháng này bao nhiêu?",
        [("3.1", D, 100, None)],
        [],
        [],
        ["6"],
    ),
    ("so hoa 85%; xa nao cham?", [], [("6", "85", None, None)], [], []),
    # a summary asked for after a report
    ("nv 3.1 xong.\ntình hình tháng này", [("3.1", D, None, None)], [], [], []),
    ("nv 3.1 xong, tình hình tháng này thế nào?", [("3.1", D, None, None)], [], [], []),
    ("nv 3.1 xong; nhiệm vụ nào chưa xong?", [("3.1", D, None, None)], [], [], []),
    # what is left to send, its "còn" cut off with the report before it
    ("nv 3.1 xong rồi, còn gửi gì nữa không", [("3.1", D, None, None)], [], [], []),
    ("nv 3.1 xong. Còn phải nộp gì nữa không ạ", [("3.1", D, None, None)], [], [], []),
    ("nv 3.1 xong, còn làm gì thêm nữa", [("3.1", D, None, None)], [], [], []),
]


@pytest.mark.parametrize("typed", ["as written", "without diacritics"])
@pytest.mark.parametrize(("text", "tasks", "indicators", "q_tasks", "q_indicators"), MIXED)
def test_a_message_that_reports_and_asks_gives_both(
    typed: str, text: str, tasks, indicators, q_tasks, q_indicators
) -> None:
    message = text if typed == "as written" else bare(text)
    if typed != "as written":  # a reason is kept as written
        tasks = [(c, s, p, bare(n) if n else n) for c, s, p, n in tasks]
    result, seen = read(message)
    assert result.intent is Intent.REPORT, (message, seen)
    assert seen["tasks"] == tuple(tasks), message
    assert seen["indicators"] == tuple(indicators), message
    question = asked(result)
    assert result.question.intent is Intent.QUERY
    assert tuple(t[0] for t in question["tasks"]) == tuple(q_tasks), message
    assert tuple(i[0] for i in question["indicators"]) == tuple(q_indicators), message
    assert result.text == message  # the report keeps the whole message
    assert not result.question.bare_question


def test_the_question_keeps_its_own_words_and_unit() -> None:
    result, _seen = read("nv 3.1 xong, còn xã Kim Sơn thế nào?")
    question = result.question
    assert question is not None and question.text == "xã Kim Sơn thế nào?"
    assert question.unit is not None and question.unit.decision is UnitDecision.MATCH
    assert question.unit.unit is not None and question.unit.unit.name == KS
    # the report stays the sender's: the unit named in the question is not its unit
    assert result.unit is not None and result.unit.decision is UnitDecision.SENDER


def test_a_report_part_that_is_wrong_still_comes_with_its_question() -> None:
    """Nothing of a wrong part is stored (its problems stop it), and the question is
    answered all the same."""
    result, seen = read("nv 9.9 xong, nv 3.2 thế nào?")
    assert seen["tasks"] == (("?9.9", D, None, None),)
    assert [p.code for p in result.problems] == [ProblemCode.UNKNOWN_TASK]
    assert result.question is not None and asked(result)["tasks"][0][0] == "3.2"
    unsure, _seen = read("nv 3.1 xong 50%, nv 3.2 thế nào?")
    assert ProblemCode.STATUS_UNCLEAR in [p.code for p in unsure.problems]
    assert unsure.question is not None


@pytest.mark.parametrize("text", ["3.1 ok, 3.2 thế nào", "nv 3.1 xng, nv 3.2 thế nào?"])
def test_a_report_whose_status_is_not_understood_is_still_a_report(text: str) -> None:
    """A code with words of its own that say no status was a report tried: read as one
    (its reply asks for the status, storing nothing), and the question beside it."""
    result, seen = read(text)
    assert result.intent is Intent.REPORT and seen["tasks"] == (("3.1", None, None, None),)
    assert result.question is not None and asked(result)["tasks"][0][0] == "3.2"


def test_a_correction_that_asks() -> None:
    result, seen = read("sửa: nv 3.1 xong, nv 3.2 thế nào?")
    assert result.intent is Intent.CORRECTION and seen["tasks"] == (("3.1", D, None, None),)
    assert result.question is not None


# Only a question: read whole, as before (the codes it names are what it asks about).
QUESTIONS = [
    ("nv 3.1, nv 3.2 thế nào?", ["3.1", "3.2"]),
    ("nv 3.1 xong chưa?", ["3.1"]),
    ("3.1 xong chx", ["3.1"]),
    ("nv 3.1 ht chx ạ", ["3.1"]),
    ("nv 3.1 thế nào rồi", ["3.1"]),
    ("nv 3.1 đã hoàn thành chưa ạ?", ["3.1"]),
    ("tiến độ nv 3.1?", ["3.1"]),
    ("Cho hỏi nv 3.1, nv 3.2 thế nào?", ["3.1", "3.2"]),
    ("Phường Ngô Quyền: nv 3.1, nv 3.2 thế nào?", ["3.1", "3.2"]),
    ("số hóa đạt chưa?", []),
    ("tình hình tháng này", []),
    ("xã nào chậm?", []),
    ("đơn vị nào chưa báo cáo, xã nào chậm?", []),
    ("hủy nv 3.1, nv 3.2 thế nào?", ["3.1", "3.2"]),
]


@pytest.mark.parametrize("typed", ["as written", "without diacritics"])
@pytest.mark.parametrize(("text", "codes"), QUESTIONS)
def test_a_message_that_only_asks_is_one_question(typed: str, text: str, codes) -> None:
    message = text if typed == "as written" else bare(text)
    result, seen = read(message)
    assert result.intent is Intent.QUERY, (message, seen)
    assert result.question is None
    assert [t[0] for t in seen["tasks"]] == codes


# Only a report (with the words that look like a question but are not one).
REPORTS = [
    ("nv 3.1 xong", [("3.1", D, None, None)]),
    ("nv 3.1 xong, nv 3.2 chưa hoàn thành", [("3.1", D, None, None), ("3.2", IP, None, None)]),
    ("nv 3.1 xong rồi à?", [("3.1", D, None, None)]),
    ("nv 3.1 xong, cảm ơn", [("3.1", D, None, None)]),
    ("nv 3.1 xong; 3.2 chưa", [("3.1", D, None, None), ("3.2", IP, None, None)]),
    ("nv 3.1 chưa xong, nv 3.2 không đạt", [("3.1", IP, None, None), ("3.2", None, None, None)]),
    ("nv 3.1 xong, tiến độ chung đảm bảo", [("3.1", D, None, None)]),
    ("Tiến độ: nv 3.1 xong", [("3.1", D, None, None)]),
    ("Số liệu tháng 10:\nnv 3.1 xong", [("3.1", D, None, None)]),
    (
        "Tình hình tháng 10\nnv 3.1 xong\nnv 3.2 đang làm",
        [("3.1", D, None, None), ("3.2", IP, None, None)],
    ),
    # a "?" that asks nothing to answer
    ("nv 3.1 xong, ok chưa ạ?", [("3.1", D, None, None)]),
    ("nv 3.1 xong, đúng không?", [("3.1", D, None, None)]),
]


@pytest.mark.parametrize("typed", ["as written", "without diacritics"])
@pytest.mark.parametrize(("text", "tasks"), REPORTS)
def test_a_message_that_only_reports_is_one_report(typed: str, text: str, tasks) -> None:
    message = text if typed == "as written" else bare(text)
    result, seen = read(message)
    assert result.intent is Intent.REPORT, (message, seen)
    assert result.question is None, message
    assert seen["tasks"] == tuple(tasks)


def test_a_heading_keeps_its_period_for_the_report() -> None:
    result, _seen = read("Tình hình tháng 10\nnv 3.1 xong")
    assert result.period is not None and result.period.start.month == 10


@pytest.mark.parametrize(
    ("text", "report", "question"),
    [
        ("nv 3.1 xong, nv 3.2 thế nào?", "nv 3.1 xong,", "nv 3.2 thế nào?"),
        ("nv 3.1 xong. còn nv 3.2 ra sao?", "nv 3.1 xong.", "nv 3.2 ra sao?"),
        ("nv 3.1 xong còn 3.2 thì sao", "nv 3.1 xong", "3.2 thì sao"),
        ("Thế còn nv 3.2?\nnv 3.1 xong", "nv 3.1 xong", "nv 3.2?"),
    ],
)
def test_where_a_message_is_cut(text: str, report: str, question: str) -> None:
    split = split_question(text)
    assert split is not None
    assert " ".join(split.report.split()) == report
    assert " ".join(split.question.split()) == question
    assert len(split.report) == len(split.question) == len(text)


@pytest.mark.parametrize(
    "text", ["nv 3.1 xong", "nv 3.1 xong chưa?", "tình hình tháng này", "", "   ", "?"]
)
def test_a_message_of_one_kind_is_not_cut(text: str) -> None:
    assert split_question(text) is None


# Every report with every question, joined every way: each part reads as it does alone.
JOINED_REPORTS = [
    "nv 3.1 xong",
    "3.1, 3.2 hoàn thành",
    "nv 3.4 đang thực hiện 60%",
    "số hóa 85/100 hồ sơ",
    "thanh toán trực tuyến 81%, hài lòng 96%",
    "Phường Ngô Quyền: nv 3.1 xong",
    "nv 3.2 chưa thực hiện",
    # with nothing between them and the question, where a reason or a count's noun ends
    # is not known: these are joined by a separator only
    "nv 4.1 chậm do thiếu người",
    "hồ sơ trực tuyến 640 trên 1.000",
]
JOINED_QUESTIONS = [
    "nv 3.2 thế nào?",
    "còn nv 4.2 ra sao",
    "hồ sơ trực tuyến đạt chưa?",
    "xã nào chậm?",
    "tình hình tháng này thế nào?",
    "nv 5.1 xong chưa?",
    "số hóa bao nhiêu?",
    "thế còn nv 4.2?",
    "nhiệm vụ 4.2 đến đâu rồi?",
    "tiến độ xã Kim Sơn thế nào?",
]
SEPARATORS = [", ", "; ", ". ", "\n", " - ", ". Còn ", "? ", " "]


def _parts(result: Interpretation) -> tuple:
    ctx = context("kh", NQ)
    seen = describe(result, ctx)
    unit = result.unit.unit.name if result.unit and result.unit.unit else None
    return seen["tasks"], seen["indicators"], unit


@pytest.mark.parametrize("typed", ["as written", "without diacritics"])
def test_every_report_joined_to_every_question_reads_as_its_parts(typed: str) -> None:
    ctx = context("kh", NQ)
    form = (lambda s: s) if typed == "as written" else bare
    wrong = []
    for report, question, sep in itertools.product(JOINED_REPORTS, JOINED_QUESTIONS, SEPARATORS):
        if sep == " " and report in JOINED_REPORTS[-2:]:
            continue
        text = form(report + sep + question)
        result = interpret(text, ctx)
        alone = interpret(form(report), ctx)
        asked_alone = interpret(form(question), ctx)
        if (
            result.question is None
            or _parts(result) != _parts(alone)
            or _parts(result.question)[:2] != _parts(asked_alone)[:2]
        ):
            wrong.append(text)
    assert not wrong, wrong


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [*JOINED_REPORTS, *JOINED_QUESTIONS, *SEPARATORS, "?", "còn", "chưa", "nv", "ạ"]
        ),
        max_size=8,
    ).map("".join)
    | st.text(max_size=60)
)
def test_cutting_never_fails_and_keeps_the_text_aligned(text: str) -> None:
    split = split_question(text)
    if split is not None:
        width = len(unicodedata.normalize("NFC", text))
        assert len(split.report) == len(split.question) == width
        assert split.report.strip() and split.question.strip()
    interpret(text, context("kh", NQ))  # never raises, whatever the parts


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("nv 3.1 chậm do chưa biết làm thế nào", "chưa biết làm thế nào"),
        ("nv 3.1 cham vi chua biet lam the nao", "chua biet lam the nao"),
    ],
)
def test_the_words_of_a_reason_never_ask(text: str, reason: str) -> None:
    result, seen = read(text)
    assert result.intent is Intent.REPORT and result.question is None
    assert seen["tasks"] == (("3.1", DL, None, reason),)
