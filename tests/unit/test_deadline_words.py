"""The words of a deadline set or asked for ("gia hạn nv 4.3 đến 31/12", "xin gia hạn nv
4.3 đến hết tháng 12 vì …"): the task and the day read, a request told from a report in
the same message. Pure (no database)."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from bot.areas.moving import is_deadline_move, is_deadline_request, read_deadline, split_request

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("gia hạn nv 4.3 đến 31/12/2026", ("4.3", date(2026, 12, 31))),
        ("gia han nv 4.3 den 31/12", ("4.3", date(2026, 12, 31))),
        ("đặt hạn nv 5.1 ngày 15/1", ("5.1", date(2027, 1, 15))),  # the next 15/1
        ("gia hạn 5 đến 30.12.2026", ("5", date(2026, 12, 30))),
        ("gia hạn nv 4.3 đến ngày 5 tháng 1", ("4.3", date(2027, 1, 5))),
        # a month or a quarter: its last day
        ("gia hạn nv 4.3 đến hết tháng 12", ("4.3", date(2026, 12, 31))),
        ("gia han nv 2 den thang 1", ("2", date(2027, 1, 31))),
        ("gia hạn nv 4.3 đến quý 1/2027", ("4.3", date(2027, 3, 31))),
        ("gia hạn nv 4.3", None),
        ("gia hạn đến 31/12", None),
    ],
)
def test_the_task_and_the_day(text: str, read: tuple[str, date] | None) -> None:
    assert read_deadline(text, TODAY) == read


@pytest.mark.parametrize(
    ("text", "move", "asks"),
    [
        ("gia hạn nv 4.3 đến 31/12", True, False),
        ("/giahan 4.3 31/12", True, False),
        ("xin gia hạn nv 4.3 đến 31/12", False, True),
        ("Em xin gia han nv 4.3 den 31/12 a", False, True),
        ("đề nghị cho xã được lùi hạn nv 2 đến 15/1", False, True),
        ("Xã Sơn Dương đề xuất kéo dài thời hạn nv 2", False, True),
        ("nv 4.3 xong", False, False),
        ("xin lỗi, gia hạn nộp là khi nào", False, False),
    ],
)
def test_set_or_asked(text: str, move: bool, asks: bool) -> None:
    assert (is_deadline_move(text), is_deadline_request(text)) == (move, asks)


@pytest.mark.parametrize(
    ("text", "code", "rest"),
    [
        ("xin gia hạn nv 4.2 đến 15/1 vì chờ, thiếu người", "4.2", ""),
        ("nv 4.3 đã xong, xin gia hạn nv 4.2 đến 15/1", "4.2", "nv 4.3 đã xong"),
        ("xin gia hạn nv 4.2 đến 15/1, nv 4.3 xong", "4.2", "nv 4.3 xong"),
        ("so hoa 90%; xin gia han nv 4.2 den 15/1", "4.2", "so hoa 90%"),
        # no task in the request: the one right before it, kept in the report too
        ("nv 4.2 đang làm, xin gia hạn đến 15/1", "4.2", "nv 4.2 đang làm"),
        ("nv 4.2, xin gia hạn đến 15/1", "4.2", ""),
        ("nv 4.2 xin gia hạn đến 15/1 vì chờ hướng dẫn, mong Văn phòng đồng ý ạ", "4.2", ""),
    ],
)
def test_a_request_and_a_report_in_one_message(text: str, code: str, rest: str) -> None:
    asked, other = split_request(text)
    assert read_deadline(asked, TODAY) == (code, date(2027, 1, 15))
    assert other == rest


def test_decomposed_text_is_read_alike() -> None:
    """Some phones send letters and their marks apart (NFD): the spans are the same."""
    text = unicodedata.normalize("NFD", "nv 4.3 đã xong, xin gia hạn nv 4.2 đến 15/1 vì chờ")
    asked, rest = split_request(text)
    assert read_deadline(asked, TODAY) == ("4.2", date(2027, 1, 15))
    assert rest == "nv 4.3 đã xong"
