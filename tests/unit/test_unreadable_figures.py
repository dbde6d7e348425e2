"""A figure that is not a number after an indicator's name ("so hoa 8o/100", "hai long
9l%", "thanh toán trực tuyến tám mươi phần trăm"): the indicator is recognised, nothing is
stored, and the reply quotes the figure, offers the reading of letters typed for digits
(only to resend) and shows how to write it. Elsewhere such text reads as before."""

from __future__ import annotations

import pytest

from bot.language.numbers import find_unreadable
from bot.services.reference import Reference
from bot.services.reports import OutcomeKind
from bot.services.reports.reading import decide
from bot.understanding import interpret
from bot.understanding.model import Intent, ProblemCode
from bot.views.reports import problem_text, reply_for
from tests.unit.test_understanding import NQ, context, describe, indicator_code

# -- the language layer: what is not a number, and its reading -----------------------------

FOUND = [
    ("so hoa 8o/100", [("8o/100", "80/100")]),
    ("so hoa 8O%", [("8O%", "80%")]),
    ("hai long 9l%", [("9l%", "91%")]),
    ("HS truc tuyen 1oo%", [("1oo%", "100%")]),
    ("so hoa 85/loo", [("85/loo", "85/100")]),
    ("so hoa 8o tren 1oo ho so", [("8o tren 1oo ho so", "80 tren 100 ho so")]),
    ("tiếp nhận 12o hồ sơ", [("12o hồ sơ", "120 hồ sơ")]),
    ("(8o%)", [("8o%", "80%")]),
    ("so hoa 8x%", [("8x%", None)]),
    ("so hoa 8e/100 hs", [("8e/100", None)]),
    ("thanh toan truc tuyen tam muoi phan tram", [("tam muoi phan tram", None)]),
    ("số hóa tám mươi phần trăm", [("tám mươi phần trăm", None)]),
    ("hài lòng chín mươi lăm %", [("chín mươi lăm %", None)]),
    ("so hoa ba muoi tren mot tram", [("ba muoi tren mot tram", None)]),
    ("so hoa 8o%, hai long 9l%", [("8o%", "80%"), ("9l%", "91%")]),
    ("so hoa mot tram linh nam phan tram", [("mot tram linh nam phan tram", None)]),
    ("hai long tram phan tram", [("tram phan tram", None)]),
    ("ty le tam muoi %", [("tam muoi %", None)]),  # "le" does not begin a number
    ("ho so truc tuyen ba muoi ho so", [("ba muoi ho so", None)]),
]

NOTHING = [
    "so hoa 80/100",
    "hai long 96%",
    "45/KH-UBND",  # a document number
    "T10/2025",  # a month written short
    "85%hs",  # a number and its noun, glued
    "hài lòng",  # "hai" typed with other diacritics is not "two"
    "hai long",  # one number word alone is no figure
    "ty le hai long 96%",
    "so hoa nam nay dat 85%",
    "trạm y tế",
    "nv 2.l xong",  # a task code, not a figure
    "năm 2o25",  # not a quantity even read with digits
    "COVID-19",
]


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_what_is_not_a_number_is_found_with_its_reading(text: str, expected) -> None:
    found = [(u.text, u.reading.text if u.reading else None) for u in find_unreadable(text)]
    assert found == expected


@pytest.mark.parametrize("text", NOTHING)
def test_numbers_and_words_are_not_taken_for_unreadable_figures(text: str) -> None:
    assert find_unreadable(text) == []


def test_spans_index_the_text_as_typed() -> None:
    text = "Số hóa: 8o/100 hồ sơ"
    (found,) = find_unreadable(text)
    assert text[found.span[0] : found.span[1]] == found.text == "8o/100 hồ sơ"


# -- understanding: the indicator with no value, and the problem that says why -----------------


def read(text: str):
    ctx = context("kh", NQ)
    return interpret(text, ctx), ctx


@pytest.mark.parametrize(
    ("text", "code", "value", "reading"),
    [
        ("so hoa 8o/100", "6", "8o/100", "80/100"),
        ("so hoa 8O%", "6", "8O%", "80%"),
        ("hai long 9l%", "10", "9l%", "91%"),
        ("so hoa 8o", "6", "8o", "80"),
        ("8o% ho so truc tuyen", "4", "8o%", "80%"),  # the name after the figure
        ("thanh toan truc tuyen tam muoi phan tram", "5", "tam muoi phan tram", None),
        ("Tỷ lệ hài lòng: chín mươi lăm %", "10", "chín mươi lăm %", None),
        ("so hoa 8x%", "6", "8x%", None),
        # a reading the indicator cannot take is not offered
        ("so hoa 1o5%", "6", "1o5%", None),
        ("so hoa 12o/100", "6", "12o/100", None),
    ],
)
def test_the_indicator_is_recognised_and_no_value_is_read(text, code, value, reading) -> None:
    result, ctx = read(text)
    assert result.intent is Intent.REPORT
    (item,) = result.indicators
    assert [indicator_code(ctx, i) for i in item.indicator_ids] == [code]
    assert item.value is None and item.numerator is None and item.denominator is None
    assert item.quantity == value
    (problem,) = result.problems
    assert problem.code is ProblemCode.UNREADABLE_FIGURE
    assert problem in result.blocking  # nothing of the message is stored
    assert problem.value == value and problem.reading == reading
    names = {i.id: i.name for i in ctx.indicators}
    assert problem.candidates == (names[item.indicator_ids[0]],)
    assert problem.subject == item.written and problem.subject


def test_what_was_read_as_a_number_inside_it_is_not_a_figure() -> None:
    # "so hoa 8o/100%" once read "100%" as a figure of an unknown indicator "so hoa 8o"
    result, _ctx = read("so hoa 8o/100%")
    assert [p.code for p in result.problems] == [ProblemCode.UNREADABLE_FIGURE]
    assert [i.value for i in result.indicators] == [None]


def test_the_items_understood_beside_it_keep_their_reading() -> None:
    result, ctx = read("nv 3.1 xong, so hoa 8o/100, hai long 96%")
    assert describe(result, ctx) == {
        "intent": "report",
        "tasks": (("3.1", "done", None, None),),
        "indicators": (("6", None, None, None), ("10", "96", None, None)),
        "problems": ("unreadable_figure",),
    }


@pytest.mark.parametrize(
    "text",
    [
        "so hoa 80/100",  # a number
        "hai long 96% (9l/100)",  # a restatement that names nothing: the figure stands
        "gui 8o/100 ho so",  # no indicator named
        "so hao 8o%",  # no indicator named ("so hao" is unknown)
        "so hoa T10/2025: 85%",
        "nv 3.1 dat 8o%",  # a task's figure: not an indicator's
    ],
)
def test_without_an_indicator_before_it_the_message_reads_as_before(text: str) -> None:
    result, _ctx = read(text)
    assert ProblemCode.UNREADABLE_FIGURE not in [p.code for p in result.problems]


def test_someone_who_oversees_reports_rather_than_asks() -> None:
    ctx = context("kh", None)
    ctx = type(ctx)(**{**ctx.__dict__, "oversees": True})
    result = interpret("Phường Ngô Quyền: so hoa 8o/100", ctx)
    assert result.intent is Intent.REPORT
    assert [p.code for p in result.problems] == [ProblemCode.UNREADABLE_FIGURE]


# -- the reply --------------------------------------------------------------------------------


def reply(text: str, language: str = "en") -> tuple[OutcomeKind, str]:
    result, ctx = read(text)
    ref = Reference(None, ctx.catalogue, tuple(ctx.tasks), tuple(ctx.indicators))
    outcome = decide(result, ref)
    return outcome.kind, reply_for(outcome, language).text


def test_the_reply_names_the_indicator_quotes_the_figure_and_shows_how() -> None:
    kind, text = reply("so hoa 8o/100")
    assert kind is OutcomeKind.REJECTED
    assert text.splitlines() == [
        "Nothing was recorded from this message:",
        "• I recognised the indicator “Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC”, but "
        "“8o/100” is not a number (did you mean 80/100?). Write it with digits, for "
        "example: so hoa 80/100",
        "Send the corrected message again.",
    ]


@pytest.mark.parametrize(
    ("text", "quoted", "example"),
    [
        (
            "thanh toan truc tuyen tam muoi phan tram",
            "“tam muoi phan tram”",
            "thanh toan truc tuyen 85%",
        ),
        ("so hoa 8x%", "“8x%”", "so hoa 85%"),
        ("so hoa ba muoi tren mot tram", "“ba muoi tren mot tram”", "so hoa 85/100"),
        ("so hoa 1o5%", "“1o5%”", "so hoa 85%"),
    ],
)
def test_with_no_reading_the_example_has_the_shape_written(text, quoted, example) -> None:
    kind, answer = reply(text)
    assert kind is OutcomeKind.REJECTED
    assert f"but {quoted} is not a number." in answer
    assert "did you mean" not in answer
    assert answer.rstrip().splitlines()[1].endswith(f"for example: {example}")


def test_the_other_items_are_shown_as_understood_and_not_stored() -> None:
    # the rule of a message with one wrong item ("nv 2.1 xong, nv 99 xong")
    kind, text = reply("nv 3.1 xong, so hoa 8o/100, hai long 96%")
    assert kind is OutcomeKind.REJECTED
    lines = text.splitlines()
    assert lines[0] == "Nothing was recorded from this message:"
    assert "“8o/100” is not a number (did you mean 80/100?)" in lines[1]
    assert lines[2] == "I understood the rest as:"
    assert lines[3].startswith("• 3.1 ") and lines[3].endswith("— done")
    assert lines[4].startswith("• Mức độ hài lòng") and ": 96%" in lines[4]
    assert lines[-1] == "Send the corrected message again."
    assert not any("Tỷ lệ số hóa" in line and ":" in line.split("”")[-1] for line in lines[2:])


def test_the_vietnamese_reply_quotes_the_figure_and_its_reading() -> None:
    result, _ctx = read("hai long 9l%")
    text = problem_text(result.problems[0], "vi")
    assert "9l%" in text and "91%" in text and "hai long 91%" in text
