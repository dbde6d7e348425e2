"""Task statuses and reasons in what officials type."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.language.normalize import nfc
from bot.language.statuses import (
    Status,
    StatusMention,
    find_statuses,
    parse_status,
    split_reason,
)

NS, IP, DL, DN, NA = (
    Status.NOT_STARTED,
    Status.IN_PROGRESS,
    Status.DELAYED,
    Status.DONE,
    Status.NOT_APPLICABLE,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def strip_marks(text: str) -> str:
    decomposed = nfd(text.replace("đ", "d").replace("Đ", "D"))
    return nfc("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def test_status_values_match_storage() -> None:
    assert [s.value for s in Status] == [
        "not_started",
        "in_progress",
        "delayed",
        "done",
        "not_applicable",
    ]
    assert Status("done") is Status.DONE
    assert Status.DONE == "done"


# One status phrase per text: (text, status, the mention's text).
SINGLE: list[tuple[str, Status, str]] = [
    # not started
    ("chưa thực hiện", NS, "chưa thực hiện"),
    ("chưa làm", NS, "chưa làm"),
    ("chưa bắt đầu", NS, "chưa bắt đầu"),
    ("chưa triển khai", NS, "chưa triển khai"),
    ("chưa tiến hành", NS, "chưa tiến hành"),
    ("chưa được thực hiện", NS, "chưa được thực hiện"),
    ("nv 2.1 Chưa Thực Hiện", NS, "Chưa Thực Hiện"),
    # in progress
    ("chưa xong", IP, "chưa xong"),
    ("chưa hoàn thành", IP, "chưa hoàn thành"),
    ("chưa hoàn tất", IP, "chưa hoàn tất"),
    ("chưa hoàn thành 100%", IP, "chưa hoàn thành"),
    ("đang thực hiện", IP, "đang thực hiện"),
    # half done, preparing, awaiting approval: in progress (done, or no status, before)
    ("đã xong một nửa", IP, "đã xong một nửa"),
    ("đang chuẩn bị", IP, "đang chuẩn bị"),
    ("đang chờ phê duyệt", IP, "đang chờ phê duyệt"),
    ("dang soan thao", IP, "dang soan thao"),
    # nearly done is not done ("gần xong" was done)
    ("gần xong", IP, "gần xong"),
    ("gan hoan thanh", IP, "gan hoan thanh"),
    ("gần như hoàn thành", IP, "gần như hoàn thành"),
    ("hầu như xong", IP, "hầu như xong"),
    ("đang làm", IP, "đang làm"),
    ("đang triển khai", IP, "đang triển khai"),
    ("đang tiến hành", IP, "đang tiến hành"),
    ("đang xử lý", IP, "đang xử lý"),
    ("đang xử lí", IP, "đang xử lí"),
    ("không xong", IP, "không xong"),
    ("ko hoàn thành", IP, "ko hoàn thành"),
    ("sẽ hoàn thành trong tháng 10", IP, "sẽ hoàn thành"),
    ("dự kiến hoàn thành quý IV", IP, "dự kiến hoàn thành"),
    # delayed
    ("chậm", DL, "chậm"),
    ("chậm tiến độ", DL, "chậm tiến độ"),
    ("trễ", DL, "trễ"),
    ("trễ hạn", DL, "trễ hạn"),
    ("quá hạn", DL, "quá hạn"),
    ("vướng", DL, "vướng"),
    ("vướng mắc", DL, "vướng mắc"),
    ("chưa kịp", DL, "chưa kịp"),
    # held up: paused, or cannot be done (it read no status, or "not started")
    ("nv 3.1 tạm dừng", DL, "tạm dừng"),
    ("tam ngung do chua co kinh phi", DL, "tam ngung"),
    ("gặp khó khăn", DL, "gặp khó khăn"),
    ("không thực hiện được vì chưa có kinh phí", DL, "không thực hiện được"),
    ("ko the thuc hien", DL, "ko the thuc hien"),
    ("chưa làm được", DL, "chưa làm được"),
    # done in part is in progress (it read done)
    ("đã hoàn thành một phần", IP, "đã hoàn thành một phần"),
    ("xong 1 phan", IP, "xong 1 phan"),
    ("nv 7.1 CHẬM do thiếu người", DL, "CHẬM"),
    # done
    ("xong", DN, "xong"),
    ("đã xong", DN, "đã xong"),
    ("hoàn thành", DN, "hoàn thành"),
    ("đã hoàn thành", DN, "đã hoàn thành"),
    ("hoàn tất", DN, "hoàn tất"),
    ("đã thực hiện", DN, "đã thực hiện"),
    ("ht", DN, "ht"),
    ("HT", DN, "HT"),
    ("nv 2.1 HT.", DN, "HT"),
    ("done", DN, "done"),
    # a phone keyboard's slips
    ("nv 1.2 xog", DN, "xog"),
    ("nv 1.2 hoanthanh", DN, "hoanthanh"),
    ("nv 1.2 hoàn thnah", DN, "hoàn thnah"),
    ("chua hoanthanh", IP, "chua hoanthanh"),
    # chat shorthand for "xong"
    ("nv 1.2 đã xg", DN, "đã xg"),
    ("nv 1.2 chua xg", IP, "chua xg"),
    # the product sent or issued
    ("nv 4.2 da gui bc quy 4", DN, "da gui"),
    ("đã ban hành kế hoạch", DN, "đã ban hành"),
    ("chưa gửi báo cáo", NS, "chưa gửi"),
    ("nv 3.3: chưa tổ chức được do chưa có kinh phí", NS, "chưa tổ chức"),
    ("chua xay dung ke hoach", NS, "chua xay dung"),
    ("3.2 chua th", NS, "chua th"),
    ("3.1 dang th 70%", IP, "dang th"),
    ("nv 2.1 da th", DN, "da th"),
    ("Done!", DN, "Done"),
    ("ok xong", DN, "ok xong"),
    ("OK xong rồi", DN, "OK xong"),
    ("hoàn thành 100%", DN, "hoàn thành 100%"),
    ("hoan thanh 100 %", DN, "hoan thanh 100 %"),
    ("xong,85/100", DN, "xong"),
    ("Xã Sơn Dương nv 2.1 hoàn thành", DN, "hoàn thành"),
    ("dạ xong", DN, "xong"),  # "dạ" (yes) is not "đã"
    ("chùa xong", DN, "xong"),  # "chùa" (pagoda) is not "chưa"
    # a check mark; "hoàn thiện" said of the task, not before its object
    ("nv 3.1 ✅", DN, "✅"),
    ("3.1 ✔️, ảnh gửi kèm", DN, "✔️"),
    ("☑ 2.4", DN, "☑"),
    ("nv 3.1 đã hoàn thiện", DN, "đã hoàn thiện"),
    ("nv 3.1 hoàn thiện", DN, "hoàn thiện"),
    ("nv 3.1 hoàn thiện, gửi kèm ảnh", DN, "hoàn thiện"),
    ("chưa hoàn thiện", IP, "chưa hoàn thiện"),
    ("sắp hoàn thiện", IP, "sắp hoàn thiện"),
    ("đang hoàn thiện hồ sơ", IP, "đang hoàn thiện"),
    # put up for signature or approval: not issued yet
    ("đã trình ký", IP, "đã trình ký"),
    ("đã trình UBND", IP, "đã trình"),
    ("dự thảo chờ ký", IP, "chờ ký"),
    ("trình phê duyệt", IP, "trình phê duyệt"),
    # phones' shortenings and slips: "hthành", "đg làm", "dag thuc hien"
    ("hthành", DN, "hthành"),
    ("đã h.thành", DN, "đã h.thành"),
    ("đg làm", IP, "đg làm"),
    ("dag thuc hien", IP, "dag thuc hien"),
    ("đth", IP, "đth"),  # đang thực hiện
    ("nv 2.2 dth 50%", IP, "dth"),
    ("cth", NS, "cth"),  # chưa thực hiện
    ("đang hoàn thành hồ sơ", IP, "đang hoàn thành"),  # being finished
    # not applicable
    ("không phát sinh", NA, "không phát sinh"),
    ("ko phát sinh", NA, "ko phát sinh"),
    ("k phát sinh", NA, "k phát sinh"),
    ("không áp dụng", NA, "không áp dụng"),
    ("khong thuoc tham quyen", NA, "khong thuoc tham quyen"),
    ("kh phát sinh", NA, "kh phát sinh"),
    ("hok phát sinh", NA, "hok phát sinh"),
    ("khong phat sinh", NA, "khong phat sinh"),
    ("không có hồ sơ phát sinh", NA, "không có hồ sơ phát sinh"),
    ("không có phát sinh", NA, "không có phát sinh"),
    ("không phát sinh hồ sơ", NA, "không phát sinh hồ sơ"),
    ("k co hs phat sinh", NA, "k co hs phat sinh"),
    ("chưa phát sinh", NA, "chưa phát sinh"),
    ("K PHÁT SINH", NA, "K PHÁT SINH"),
]


# Without their diacritics these read differently ("chua xong" is "chưa xong").
DIACRITICS_MATTER = {"dạ xong", "chùa xong"}


def single(text: str) -> list[tuple[Status, str]]:
    return [(m.status, m.text) for m in find_statuses(text)]


@pytest.mark.parametrize(("text", "status", "mention"), SINGLE)
def test_find_statuses(text: str, status: Status, mention: str) -> None:
    assert single(text) == [(status, mention)]
    assert parse_status(text) is status


@pytest.mark.parametrize(("text", "status", "mention"), SINGLE)
def test_find_statuses_decomposed(text: str, status: Status, mention: str) -> None:
    assert single(nfd(text)) == [(status, mention)]


@pytest.mark.parametrize(
    ("text", "status", "mention"),
    [case for case in SINGLE if case[0] not in DIACRITICS_MATTER],
)
def test_find_statuses_without_diacritics(text: str, status: Status, mention: str) -> None:
    assert single(strip_marks(text)) == [(status, strip_marks(mention))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nv 2.1 chua hoan thanh, 2.2 xong", [(IP, "chua hoan thanh"), (DN, "xong")]),
        ("nv 1 xong, nv 2 chậm", [(DN, "xong"), (DL, "chậm")]),
        ("đang làm, chưa xong", [(IP, "đang làm"), (IP, "chưa xong")]),
        # status words right after a reason word are the reason's, no status of their own
        ("chậm do chưa xong việc khác", [(DL, "chậm")]),
        ("cham do gap kho khan ve kinh phi", [(DL, "cham")]),
        ("cham vi chua trien khai duoc", [(DL, "cham")]),
        ("nv 1 chậm do thiếu người, nv 2 chưa thực hiện", [(DL, "chậm"), (NS, "chưa thực hiện")]),
        ("xong do VP làm, chưa xong", [(DN, "xong"), (IP, "chưa xong")]),
        (
            "1.1 xong 1.2 chưa thực hiện 1.3 k phát sinh",
            [(DN, "xong"), (NS, "chưa thực hiện"), (NA, "k phát sinh")],
        ),
        ("xong xong", [(DN, "xong"), (DN, "xong")]),
    ],
)
def test_find_several_statuses(text: str, expected: list[tuple[Status, str]]) -> None:
    assert single(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "nv 2.1",
        "ok",
        "chưa",
        "đã",
        "đang",
        "không",
        "xongg",  # not the whole word
        "hoxong",
        "htx",  # "ht" only as its own token
        "HTX Nông nghiệp",
        "thực hiện",  # neither done nor not
        "phát sinh 5 hồ sơ",
        "hoàn thiện biểu mẫu thống kê",  # a task's words
        "❌",  # not a status: asked (it was another task's "xong")
        # other words that lose their diacritics to the same letters
        "chấm điểm",
        "cham diem",
        "chạm",
        "trẻ em",
        "tre em",
        "Vương",
        "đăng làm",
        "tám dùng",
        "tâm dung",
        "gập khó khăn",
        "không thể",
        # negated delays mention no status
        "không chậm",
        "ko vuong mac gi",
        "không có vướng mắc",
        "không có gì vướng mắc",
        "ko co gi vuong",
        "không gặp khó khăn gì",
        "không có khó khăn vướng mắc",
        "không quá hạn",
        "chưa trễ",
        # a share done names no status ("tỷ lệ hoàn thành 80%": in progress, by its figure)
        "tỷ lệ hoàn thành",
        "tiến độ hoàn thành 80%",
    ],
)
def test_no_status(text: str) -> None:
    assert find_statuses(text) == []
    assert parse_status(text) is None


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("nv 2.1 xong", DN),
        ("xong, xong hết", DN),
        ("đang làm, chưa xong", IP),
        ("nv 1 xong, nv 2 chậm", None),
        ("chưa hoàn thành, chậm", None),
        ("không có gì", None),
        ("", None),
        ("chưa hoàn thành", IP),
        ("chưa thực hiện", NS),
        ("đã thực hiện", DN),
    ],
)
def test_parse_status(text: str, status: Status | None) -> None:
    assert parse_status(text) is status


def test_mention_spans_index_nfc_text() -> None:
    text = nfd("Xã Hồng Thái: nhiệm vụ 2.1 đã hoàn thành, 2.2 chậm tiến độ")
    composed = nfc(text)
    mentions = find_statuses(text)
    assert mentions == [
        StatusMention(DN, (27, 40), "đã hoàn thành"),
        StatusMention(DL, (46, 58), "chậm tiến độ"),
    ]
    for m in mentions:
        assert composed[m.span[0] : m.span[1]] == m.text


# --- split_reason -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "before", "reason"),
    [
        ("nv 7.1 chậm do thiếu nhân lực", "nv 7.1 chậm", "thiếu nhân lực"),
        ("nv 7.1 cham do thieu nhan luc", "nv 7.1 cham", "thieu nhan luc"),
        ("nv 7.1 chậm, do thiếu nhân lực.", "nv 7.1 chậm", "thiếu nhân lực"),
        ("Chậm Do thiếu máy", "Chậm", "thiếu máy"),
        ("chậm DO mất điện", "chậm", "mất điện"),
        ("chậm vì mưa lũ", "chậm", "mưa lũ"),
        ("chậm vi mua lu", "chậm", "mua lu"),
        ("chậm tại vì mưa", "chậm", "mưa"),
        ("chậm bởi vì mưa", "chậm", "mưa"),
        ("chậm, lý do: thiếu máy", "chậm", "thiếu máy"),
        ("chậm lí do thiếu máy", "chậm", "thiếu máy"),
        ("cham ly do: thieu may", "cham", "thieu may"),
        ("chậm nguyên nhân: mất điện.", "chậm", "mất điện"),
        ("cham nguyen nhan mat dien", "cham", "mat dien"),
        ("chậm là do thiếu người", "chậm", "thiếu người"),
        ("chậm, nguyên nhân là thiếu người", "chậm", "thiếu người"),
        ("chậm, lý do: là thiếu người", "chậm", "thiếu người"),
        ("chậm, lý do lá thư", "chậm", "lá thư"),
        ("chậm tiến độ do thiếu người", "chậm tiến độ", "thiếu người"),
        ("cham tien do vi thieu nguoi", "cham tien do", "thieu nguoi"),
        ("cham tien do do thieu nguoi", "cham tien do", "thieu nguoi"),
        # "do" also means "by": the reason comes after the status
        ("nv 2 do VP chủ trì chậm do thiếu người", "nv 2 do VP chủ trì chậm", "thiếu người"),
        ("chậm do chưa xong việc khác", "chậm", "chưa xong việc khác"),
        # no status: the first reason word
        ("85% do mất mạng", "85%", "mất mạng"),
        ("số hóa 60/80 vì thiếu máy quét", "số hóa 60/80", "thiếu máy quét"),
    ],
)
def test_split_reason(text: str, before: str, reason: str) -> None:
    assert split_reason(text) == (before, reason)
    assert split_reason(nfd(text)) == (before, reason)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "xong",
        "nv 7.1 chậm",
        "chậm tiến độ",
        "cham tien do",  # "độ" without diacritics is not the reason word
        "chậm đo mưa",  # "đo" is not "do"
        "chậm vị mưa",  # "vị" is not "vì"
        "chậm vỉ mưa",
        "đo đạc chậm",
        "Xã Sơn Dương chậm",
        "Do thiếu người nên chậm",  # a leading reason is not split off
        "chậm do",  # nothing after the reason word
        "chậm do:",
        "cac don vi cham",  # "đơn vị"
        "chậm do thi",  # "đô thị" without diacritics
        "vi phạm, chậm",
        "nv 2 do VP chủ trì chậm",  # "do" before the status is "by"
        "mức do hài lòng",
    ],
)
def test_split_reason_without_reason(text: str) -> None:
    assert split_reason(text) == (text, None)


# --- properties ---------------------------------------------------------------------

VOCAB = [
    "chưa",
    "chua",
    "đã",
    "da",
    "đang",
    "không",
    "ko",
    "k",
    "xong",
    "hoàn thành",
    "hoan thanh",
    "thực hiện",
    "chậm",
    "tiến độ",
    "trễ",
    "hạn",
    "quá",
    "vướng mắc",
    "phát sinh",
    "hồ sơ",
    "HT",
    "ok",
    "do",
    "vì",
    "lý do",
    "nguyên nhân",
    "đo",
    "nv 2.1",
    "100%",
    ",",
    ":",
    " ",
    " ",
    " ",
]
MESSAGES = st.lists(st.sampled_from(VOCAB), max_size=16).map("".join)


def check_mentions(text: str, mentions: list[StatusMention]) -> None:
    composed = nfc(text)
    last_end = 0
    for m in mentions:
        start, end = m.span
        assert last_end <= start < end <= len(composed)
        assert composed[start:end] == m.text
        assert isinstance(m.status, Status)
        last_end = end


@given(st.text())
@example("\u0301")
@example("İ K xong")
def test_never_raises_on_any_text(text: str) -> None:
    mentions = find_statuses(text)
    check_mentions(text, mentions)
    status = parse_status(text)
    assert status is None or status in {m.status for m in mentions}
    before, reason = split_reason(text)
    assert isinstance(before, str)
    assert reason is None or (reason and reason == reason.strip())


@given(MESSAGES)
def test_messages(text: str) -> None:
    mentions = find_statuses(text)
    check_mentions(text, mentions)
    assert [(m.status, m.span) for m in find_statuses(nfd(text))] == [
        (m.status, m.span) for m in mentions
    ]
    before, reason = split_reason(text)
    if reason is None:
        assert before == text
    else:
        composed = nfc(text)
        assert composed.startswith(before) and before
        assert reason in composed[len(before) :]
