"""A status said of every task of the unit ("đã xong hết các nhiệm vụ"), and the codes a
status is said without ("xong hết trừ nv 2.1"): read against the thị xã's plan, for a
commune that is assigned 16 of its tasks."""

from __future__ import annotations

from datetime import date

import pytest

from bot.language.statuses import Status
from bot.understanding import interpret
from bot.understanding.model import Intent, ProblemCode
from bot.views.reports import problem_text
from tests.unit.test_understanding import SD, assert_well_formed, context, unit_id

D, IP, NS = Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED


def _ctx():
    return context("kh", SD)


def _assigned() -> list[str]:
    return [t.code for t in _ctx().tasks if unit_id(SD) in t.unit_ids]


def _read(text: str):
    result = interpret(text, _ctx())
    assert_well_formed(result, _ctx())
    return result


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("da xong het cac nv", D),
        ("Đã hoàn thành tất cả các nhiệm vụ được giao", D),
        ("xong het roi a", D),
        ("Toàn bộ nhiệm vụ đã hoàn thành", D),
        ("lam xong ca roi nhe", D),
        ("cac nhiem vu deu dang trien khai", IP),
        ("Các nhiệm vụ của xã đều đang thực hiện", IP),
        ("toan bo nhiem vu chua trien khai", NS),
        ("Đã hoàn thành 100% nhiệm vụ", D),
        ("hoan thanh 100 % cac nv duoc giao", D),
        ("da hoan thanh cac nhiem vu.", D),
        ("Xã đã hoàn thành các nhiệm vụ", D),
    ],
)
def test_every_task_of_the_unit_is_read_to_confirm(text: str, status: Status) -> None:
    result = _read(text)
    assert result.intent is Intent.REPORT
    assert [t.written for t in result.tasks] == _assigned()
    assert all(t.every and t.status is status and len(t.task_ids) == 1 for t in result.tasks)
    (problem,) = result.problems
    assert problem.code is ProblemCode.EVERY_TASK and problem.value == "16"
    assert problem in result.asking  # a yes settles it; nothing is stored before


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # the share is the first task's; "nhiệm vụ 4.1" after it is a task of its own
        ("nv 3.2 xong 100% nhiem vu 4.1 dang lam 50%", ["3.2", "4.1"]),
        # "các nhiệm vụ" followed by the codes they are
        ("da hoan thanh cac nhiem vu, nv 2.2, 3.1", ["2.2", "3.1"]),
        ("đã hoàn thành các nhiệm vụ 2.2 và 3.1", ["2.2", "3.1"]),
    ],
)
def test_the_words_for_every_task_before_a_code_name_that_code(text: str, codes: list[str]) -> None:
    result = _read(text)
    assert [t.written for t in result.tasks] == codes
    assert not any(t.every for t in result.tasks)


def test_every_task_but_one_named_after_a_comma() -> None:
    result = _read("đã hoàn thành các nhiệm vụ, riêng nv 3.1 đang làm")
    by_code = {t.written: t.status for t in result.tasks}
    assert set(by_code) == set(_assigned())
    assert by_code.pop("3.1") is IP
    assert set(by_code.values()) == {D}


def test_the_reason_goes_with_every_task() -> None:
    result = _read("toan bo nhiem vu chua trien khai do chua co kinh phi")
    assert {t.note for t in result.tasks} == {"chua co kinh phi"}


@pytest.mark.parametrize(
    ("text", "left_out"),
    [
        ("da xong het cac nv tru nv 3.1", {"3.1"}),
        ("xong het tru 3.1 va 3.2", {"3.1", "3.2"}),
        ("Đã hoàn thành tất cả nhiệm vụ, ngoại trừ nhiệm vụ 5.2", {"5.2"}),
    ],
)
def test_tasks_left_out_take_no_status(text: str, left_out: set[str]) -> None:
    result = _read(text)
    codes = [t.written for t in result.tasks]
    assert codes == [c for c in _assigned() if c not in left_out]
    assert all(t.status is D for t in result.tasks)
    assert result.problems[0].value == str(16 - len(left_out))


def test_a_task_named_apart_keeps_its_own_status() -> None:
    result = _read("Tất cả nhiệm vụ đã hoàn thành, riêng nv 3.1 đang thực hiện 70%")
    by_code = {t.written: t for t in result.tasks}
    assert by_code["3.1"].status is IP and by_code["3.1"].percent == 70
    assert not by_code["3.1"].every
    assert sorted(by_code) == sorted(_assigned())
    assert all(t.status is D for code, t in by_code.items() if code != "3.1")
    assert [p.value for p in result.problems if p.code is ProblemCode.EVERY_TASK] == ["15"]


def test_a_code_after_except_never_takes_the_status_before_it() -> None:
    # once stored as done: the opposite of what was written
    result = _read("nv 3.2 xong, tru nv 3.1")
    assert [(t.written, t.status) for t in result.tasks] == [("3.2", D)]


@pytest.mark.parametrize(
    "text",
    [
        "so lieu da gui het roi",  # the figures, not the tasks
        "da nop het",
        "da xong het chua?",  # a question
        "ngoai ra nv 3.1 dang lam",  # "besides", not "except"
        "da hoan thanh cac nhiem vu tuyen truyen",  # some tasks, by their content
        "nv 3.1 va 3.2 xong het roi",  # the tasks named
    ],
)
def test_what_is_not_every_task(text: str) -> None:
    result = _read(text)
    assert not any(t.every for t in result.tasks)
    assert ProblemCode.EVERY_TASK not in {p.code for p in result.problems}


def test_a_listed_code_still_takes_the_closing_status() -> None:
    result = _read("nv 3.1\nnv 3.2\nđã xong hết")
    assert [(t.written, t.status, t.every) for t in result.tasks] == [
        ("3.1", D, False),
        ("3.2", D, False),
    ]


def test_with_no_unit_settled_the_unit_is_asked_for_by_name() -> None:
    office = context("kh")  # no unit of its own
    for text, subject in (("xong het cac nv", ""), ("xa son: xong het cac nv", "xa son")):
        result = interpret(text, office)
        assert not result.tasks
        (problem,) = result.problems
        assert problem.code is ProblemCode.UNKNOWN_UNIT and problem.subject == subject
        assert problem in result.blocking


def test_the_problems_in_words() -> None:
    result = _read("xong het tru 3.1")
    text = problem_text(result.problems[0], "vi")
    assert "“xong het”" in text and "(15," in text and "trừ nv" in text


def test_a_code_left_out_of_a_list_leaves_the_others_their_status() -> None:
    result = _read("Hoàn thành: 3.1, 3.2, trừ 3.4")
    assert [(t.written, t.status) for t in result.tasks] == [("3.1", D), ("3.2", D)]


def test_every_other_task_after_a_code_left_out() -> None:
    result = _read("nv 3.1 xong. Ngoài nv 3.2 ra thì các nv khác đang làm")
    by_code = {t.written: t.status for t in result.tasks}
    assert by_code.pop("3.1") is D and "3.2" not in by_code
    assert sorted(by_code) == sorted(set(_assigned()) - {"3.1", "3.2"})
    assert set(by_code.values()) == {IP}


def test_every_task_said_done_on_a_day_to_come_is_refused() -> None:
    result = _read("đã xong hết các nhiệm vụ ngày 20/11/2025")  # today is 5/11/2025
    assert {t.done_on for t in result.tasks} == {date(2025, 11, 20)}
    assert [(p.code, p.value) for p in result.blocking] == [(ProblemCode.DONE_DATE, "20/11/2025")]
    on_time = _read("đã xong hết các nhiệm vụ ngày 3/11/2025")
    assert not on_time.blocking and {t.done_on for t in on_time.tasks} == {date(2025, 11, 3)}
    assert problem_text(result.blocking[0], "vi") == (
        "“đã xong hết các nhiệm vụ” ngày 20/11/2025: ngày này chưa đến, hoặc trước năm của kế "
        "hoạch. Hãy ghi ngày đã xong kèm năm, hoặc bỏ ngày."
    )


def test_a_task_left_out_that_the_plan_has_not_is_said() -> None:
    result = _read("xong het tru nv 9.9")
    assert [p.code for p in result.blocking] == [ProblemCode.UNKNOWN_TASK]
    assert result.blocking[0].subject == "9.9"
