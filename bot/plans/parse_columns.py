"""Column roles of a plan's tables, found from their header words. Pure: no I/O.

A header cell is read on its fold key (no diacritics, lower case), so "Đơn vị chủ trì",
"DON VI CHU TRI" and OCR damage such as "Don vi chñ tri" or "Néi dung céng viéc" give
the same role; a cell that matches no keyword exactly is compared with rapidfuzz
(``partial_ratio`` ≥ 80 on keywords of six letters or more), then with its spaces
removed (OCR runs words together: "Cơquanthựụchiện").

Roles, in the order they are tried on one cell (the first that fits wins, so
"Thời gian thực hiện" is a timeframe and "Cơ quan phối hợp" cooperates):

``note`` (ghi chú) · ``code`` (STT, TT, Số TT) · ``start`` (bắt đầu, từ ngày: a
timeframe's start given a column of its own, "Thời gian bắt đầu | Thời gian hoàn thành"
or "Bắt đầu | Kết thúc" under a merged "Thời gian") · ``time`` (thời gian, thời hạn,
tiến độ, kết thúc, đến ngày) · ``coop`` (phối hợp) · ``lead`` (chủ trì, trách nhiệm,
phụ trách) · ``target`` (chỉ tiêu năm …, mục tiêu, giá trị) · ``content`` (nội dung,
nhiệm vụ, công việc, hoạt động, tên chỉ tiêu) · ``product`` (sản phẩm, kết quả, hình
thức) · ``measure`` (đơn vị tính, ĐVT) · ``lead`` (đơn vị/cơ quan … thực hiện, đơn vị,
cơ quan).

A bare "Đơn vị" is the measure in an indicator table and the lead elsewhere. A task
table's other content columns ("Nhiệm vụ | Nội dung cụ thể", "Chỉ tiêu/kết quả cần
đạt") are its ``details``, their text put after the content's. Of several lead columns,
the one saying "chủ trì" leads, and one naming a person in charge ("Lãnh đạo phụ
trách") only when there is no other. A matrix's columns (:func:`mark_columns`) are
units or periods marked in each row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.language.normalize import fold

NOTE, CODE, CONTENT, LEAD, COOP, START, TIME, PRODUCT, MEASURE, TARGET, COMPARE = (
    "note",
    "code",
    "content",
    "lead",
    "coop",
    "start",
    "time",
    "product",
    "measure",
    "target",
    "compare",  # "So sánh": Tối thiểu / Tối đa / Bằng, beside a bare target number
)

_CODE_WORDS = {"stt", "tt", "so tt", "so thu tu", "thu tu", "s tt", "t t", "no", "so"}
# (role, keywords) tried in order; a keyword matches as a whole-word substring.
_RULES: list[tuple[str, tuple[str, ...]]] = [
    (NOTE, ("ghi chu",)),
    (COMPARE, ("so sanh",)),
    (START, ("bat dau", "tu ngay")),
    (
        TIME,
        (
            "thoi gian",
            "thoi han",
            "tien do",
            "han hoan thanh",
            "thoi diem",
            "moc thoi gian",
            "ket thuc",
            "den ngay",
        ),
    ),
    (COOP, ("phoi hop",)),
    (LEAD, ("chu tri", "trach nhiem", "phu trach")),
    (
        TARGET,
        (
            "chi tieu nam",
            "chi tieu giao",
            "chi tieu ke hoach",
            "muc tieu",
            "gia tri",
            "ke hoach nam",
            "muc phan dau",
            "phan dau",
        ),
    ),
    (CONTENT, ("noi dung", "nhiem vu", "ten chi tieu")),
    (PRODUCT, ("san pham", "ket qua", "hinh thuc", "dau ra")),
    (CONTENT, ("cong viec", "hoat dong", "chuong trinh", "giai phap")),
    (MEASURE, ("don vi tinh", "dvt")),
]
# Generic words: a lead column when nothing more specific is named.
_GENERIC_LEAD = ("thuc hien", "don vi", "co quan", "bo phan", "nguoi")
# "phối hợp" after OCR: "phéi hgp", "phoi hap".
_OCR_COOP = re.compile(r"\bph[a-z]{1,2}i h[a-z]p\b")
_FUZZY_MIN = 80
_MAX_HEADER_CELL = 90  # characters: longer cells are body text, not headers


def _has_word(key: str, word: str) -> bool:
    return f" {word} " in f" {key} "


def cell_role(text: str) -> str | None:
    """The role a header cell names, or None."""
    if len(text) > _MAX_HEADER_CELL:
        return None
    key = fold(text)
    if not key:
        return None
    if key in _CODE_WORDS or re.fullmatch(r"s[o0]? ?t ?t", key):
        return CODE
    if _has_word(key, "chi tieu") and not any(
        _has_word(key, w) for w in ("noi dung", "ten", "nhiem vu")
    ):
        return TARGET if re.search(r"\d{4}|nam|giao|ke hoach|muc", key) else CONTENT
    for role, words in _RULES:
        if any(_has_word(key, word) for word in words):
            return role
    if _OCR_COOP.search(key):
        return COOP
    residual = _residual(key)
    if len(residual) >= 4:
        for role, words in _RULES:
            for word in words:
                if len(word) >= 6 and fuzz.partial_ratio(word, residual) >= _FUZZY_MIN:
                    return role
    if any(_has_word(key, word) for word in _GENERIC_LEAD):
        return LEAD
    # OCR ran the words together ("Cơquanthựụchiện"): a keyword of six letters or more
    # inside the cell, spaces aside
    squeezed = key.replace(" ", "")
    for role, words in (*_RULES, (LEAD, _GENERIC_LEAD)):
        if any(len(w) >= 6 and w in squeezed for w in (word.replace(" ", "") for word in words)):
            return role
    if len(key) <= 4 and max(fuzz.ratio(key, "stt"), fuzz.ratio(key, "tt")) >= 66:
        return CODE
    return None


def _residual(key: str) -> str:
    """The fold key without the generic words that every unit header shares."""
    for word in (*_GENERIC_LEAD, "du kien"):
        key = f" {key} ".replace(f" {word} ", " ").strip()
    return key


@dataclass(frozen=True)
class Columns:
    """The role of each column of a table: role → column index."""

    roles: dict[str, int]
    width: int
    indicator: bool = False
    # A matrix's columns (index, the name heading it): mark_columns. An assignment
    # matrix's units, each task's role marked in its cell ("CT"/"x": leads, "PH":
    # cooperates); a timeline's periods, the task done in those marked.
    marks: tuple[tuple[int, str], ...] = ()
    periods: tuple[tuple[int, str], ...] = ()
    # A task table's other content columns, after the first ("Nhiệm vụ | Nội dung cụ
    # thể", "… | Chỉ tiêu/kết quả cần đạt"): their text goes on the task's content.
    details: tuple[int, ...] = ()

    def signature(self) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(self.roles.items()))


def header_roles(cells: Sequence[str]) -> dict[int, str]:
    """Column index → role for the cells of one row that name a role."""
    found: dict[int, str] = {}
    for index, text in enumerate(cells):
        role = cell_role(text.strip())
        if role is not None:
            found[index] = role
    return found


# A column naming the leader in charge of a task, a person ("Lãnh đạo phụ trách")
_PERSON_IN_CHARGE = re.compile(r"\b(?:lanh dao|nguoi|can bo|dong chi|ca nhan)\b")


def _lead_rank(key: str) -> int:
    """Which of several lead columns names the unit that leads: "chủ trì" first, then
    any other but one naming a person in charge."""
    if _has_word(key, "chu tri"):
        return 0
    return 2 if _PERSON_IN_CHARGE.search(key) else 1


def looks_like_header(cells: Sequence[str]) -> bool:
    """Whether a row of cell texts reads as a task or indicator table's header."""
    return detect_columns(cells) is not None


def _is_code_like(text: str) -> bool:
    return bool(re.fullmatch(r"(?:[IVXLC]{1,6}|[A-ZĐ]|\d{1,3})(?:[.\-]\d{1,3})*[.)]?", text))


def detect_columns(cells: Sequence[str], sub: Sequence[str] | None = None) -> Columns | None:
    """The columns named by a header row (and the sub-header row below it), or None.

    A header names a content column and at least two other roles, or a content column
    and one of code/lead/time; a cell that reads like a task code or body text makes
    the row no header. An indicator table's header has "chỉ tiêu" and a target column.
    """
    texts = [c.strip() for c in cells]
    non_empty = [t for t in texts if t]
    if len(non_empty) < 2 or any(len(t) > _MAX_HEADER_CELL for t in non_empty):
        return None
    if any(_is_code_like(t) for t in non_empty):
        return None
    found = header_roles(texts)
    if sub is not None:
        for index, role in header_roles([c.strip() for c in sub]).items():
            if role in (LEAD, COOP, START, TIME, PRODUCT, TARGET, MEASURE) or index not in found:
                found[index] = role
    contents = [i for i, role in found.items() if role == CONTENT]
    if len(contents) > 1:
        # "Nội dung chỉ tiêu | … | Chỉ tiêu" (Đôn Đốc's template): the bare one is the target.
        for index in contents:
            if fold(texts[index]) == "chi tieu":
                found[index] = TARGET
    names_indicators = any(
        "chi tieu" in fold(t) for i, t in enumerate(texts) if found.get(i) in (CONTENT, TARGET)
    )
    if names_indicators and TARGET not in found.values():
        # "Chỉ tiêu | ĐVT | Năm 2025": a column named by a year is the target.
        for index, text in enumerate(texts):
            if index not in found and re.fullmatch(r"(?:nam )?(?:19|20)\d{2}", fold(text)):
                found[index] = TARGET
                break
    indicator = names_indicators and TARGET in found.values()
    if indicator:
        for index, text in enumerate(texts):
            if fold(text) in ("don vi", "dv"):
                found[index] = MEASURE
    roles: dict[str, int] = {}
    for index, role in sorted(found.items()):
        roles.setdefault(role, index)
    leads = [i for i, role in sorted(found.items()) if role == LEAD]
    if len(leads) > 1:
        # "Lãnh đạo phụ trách | Cơ quan chủ trì": the unit that leads, not its leader
        roles[LEAD] = min(leads, key=lambda i: _lead_rank(fold(texts[i])))
    if CONTENT not in roles:
        return None
    others = set(roles) - {CONTENT, NOTE}
    if len(others) < 2 and not (others & {CODE, LEAD, TIME, TARGET}):
        return None
    details = (
        ()
        if indicator
        else tuple(
            i for i, role in sorted(found.items()) if role == CONTENT and i != roles[CONTENT]
        )
    )
    return Columns(roles, len(texts), indicator, details=details)


# What a matrix's cell holds: the unit leads ("CT", "Chủ trì", "x", "✓") or cooperates
# ("PH", "Phối hợp"); under a period, the task is done then ("x").
_LEAD_MARKS = frozenset({"x", "ct", "chu tri", "c tri", "v", "✓", "√", "•", "*", "+"})
_COOP_MARKS = frozenset({"ph", "phoi hop", "p hop", "ph hop"})
_NEVER_MARKED = (CODE, CONTENT, PRODUCT, NOTE, TARGET, MEASURE, COMPARE)
_MIN_MARKED = 2  # a matrix has two columns or more
# A period heading a column of a timeline ("Quý II", "Tháng 3", "T3", "Q2", "Năm 2027")
_PERIOD = re.compile(
    r"(?:quy [ivx]{1,3}|quy [1-4]|q ?[1-4]|thang \d{1,2}|t ?\d{1,2}|tuan \d{1,2}|"
    r"6 thang (?:dau|cuoi) nam|nam (?:19|20)\d{2}|(?:19|20)\d{2})(?: ?/ ?(?:19|20)\d{2})?"
)
# A column of a progress table, not a unit ("Đã hoàn thành", "Chưa thực hiện", "Đạt")
_STATUS = re.compile(
    r"(?:(?:da|chua|dang) )?(?:hoan thanh|thuc hien|trien khai|xong)\b.*"
    r"|(?:ket qua|tinh trang|ty le)\b.*|dat|khong dat|co|khong"
)


def mark_role(text: str) -> str | None:
    """LEAD or COOP for a matrix's cell ("CT", "x" / "PH"), None for other text; ""
    for an empty cell."""
    key = " ".join(fold(text.replace(".", " ")).split()) or text.strip()
    if not key:
        return ""
    if key in _LEAD_MARKS:
        return LEAD
    if key in _COOP_MARKS:
        return COOP
    return None


def mark_columns(
    columns: Columns, header: Sequence[str], body: Sequence[Sequence[str]]
) -> tuple[Columns, int]:
    """``columns`` with a matrix's columns, when a table has them (and the row of names
    under the header it used, below a merged "Đơn vị thực hiện" or "Thời gian"): two
    columns or more, outside the content and other named columns, each headed by a name
    (in the header, or the row under it) and holding nothing but marks, some of them.
    Headed by periods ("Quý I | Quý II | …", "T1 … T12"), they are a timeline: the task
    is done in the periods marked; else by units (an assignment matrix, "Văn phòng |
    Công an xã | …": "CT"/"x" leads, "PH" cooperates). A time, lead or cooperating
    column among them is one of the matrix's, not its role.
    """
    never = {columns.roles[r] for r in _NEVER_MARKED if r in columns.roles}
    candidates = [i for i in range(columns.width) if i not in never]

    def marks_only(rows: Sequence[Sequence[str]], index: int) -> bool:
        roles = [mark_role(row[index] if index < len(row) else "") for row in rows]
        return None not in roles and any(roles)

    for names, used in ((header, 0), (body[0] if body else (), 1)):
        rows = body[used:]
        named = [
            (i, names[i].strip())
            for i in candidates
            if i < len(names) and names[i].strip() and mark_role(names[i]) is None
            if marks_only(rows, i)
        ]
        periods = tuple((i, n) for i, n in named if _PERIOD.fullmatch(fold(n)))
        units = tuple(
            (i, n)
            for i, n in named
            if not _PERIOD.fullmatch(fold(n)) and not _STATUS.fullmatch(fold(n))
        )
        periods = periods if len(periods) >= _MIN_MARKED else ()
        units = units if len(units) >= _MIN_MARKED else ()
        if periods or units:
            taken = {i for i, _ in (*periods, *units)}
            roles = {r: i for r, i in columns.roles.items() if i not in taken}
            return (
                Columns(roles, columns.width, columns.indicator, units, periods, columns.details),
                used,
            )
    return columns, 0
