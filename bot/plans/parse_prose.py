"""Tasks written as prose: a numbered heading and labelled lines. Pure: no I/O.

The shape read::

    II. NHIỆM VỤ CỤ THỂ                      ← a heading without fields: a section
    1. Rà soát, đơn giản hóa TTHC            ← a heading followed by fields: a task
    Nội dung: …                              ← (optional) added to the content
    - Cơ quan chủ trì: Văn phòng HĐND và UBND
    - Cơ quan phối hợp: Các phòng, ban chuyên môn
    - Sản phẩm: Báo cáo kết quả rà soát
    - Thời gian thực hiện: Quý II/2025

Labels (before a colon, bullets allowed): lead "Cơ quan/Đơn vị chủ trì", "Cơ quan/Đơn
vị thực hiện", "Trách nhiệm", "Chủ trì"; cooperating "Cơ quan/Đơn vị phối hợp",
"Phối hợp"; timeframe "Thời gian (thực hiện/hoàn thành)", "Thời hạn", "Tiến độ";
product "(Dự kiến) sản phẩm", "Kết quả (dự kiến)", "Hình thức". A label with nothing
after its colon takes the bullet lines below it. Headings are numbered ("1.", "1.2.",
"a)", "II.", "A.") or "Nhiệm vụ 3:"; a task is a heading followed by at least a unit
or timeframe field. Its section is the closest heading above it, without fields, of
a higher level (roman above arabic, "1" above "1.1").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.language.normalize import plain
from bot.plans.parse_common import RawTask, Section, code_kind, join_text, level_of, split_code

_LABELS: list[tuple[str, re.Pattern[str]]] = [
    ("coop", re.compile(r"(?:(?:co quan|don vi|bo phan)\s+)?phoi hop")),
    (
        "lead",
        re.compile(
            r"(?:(?:co quan|don vi|bo phan|nguoi)(?:\s*,\s*don vi)?\s+)?"
            r"(?:chu tri|thuc hien|phu trach)|trach nhiem(?: thuc hien)?|phan cong"
        ),
    ),
    (
        "time",
        re.compile(
            r"thoi gian(?: thuc hien| hoan thanh)?|thoi han(?: hoan thanh| thuc hien)?|"
            r"tien do(?: thuc hien| hoan thanh)?|han hoan thanh"
        ),
    ),
    (
        "product",
        re.compile(
            r"(?:du kien )?san pham(?: du kien| dau ra)?|ket qua(?: du kien| dau ra| can dat)?|"
            r"hinh thuc(?: san pham)?"
        ),
    ),
    ("content", re.compile(r"noi dung(?: cong viec| nhiem vu)?|yeu cau")),
]
_FIELD_RE = re.compile(r"^\s*(?:[-+•*–]\s*)?(?P<label>[^:]{2,40}?)\s*:\s*(?P<value>.*)$", re.S)
_TASK_WORD_RE = re.compile(r"^\s*(?:nhiem vu|noi dung|hoat dong)\s+(?P<code>\d{1,3})\s*[:.]\s*")
_BULLET_RE = re.compile(r"^\s*[-+•*–]\s*")


@dataclass
class _Line:
    text: str
    bold: bool
    heading: int


def _field(line: str) -> tuple[str, str] | None:
    m = _FIELD_RE.match(line)
    if m is None:
        return None
    label = " ".join(plain(m.group("label")).split())
    for role, pattern in _LABELS:
        if pattern.fullmatch(label):
            return role, line[m.start("value") :].strip()
    return None


def _heading(line: _Line) -> tuple[str, str] | None:
    """(number, title) when the line is a heading, else None."""
    text = line.text.strip()
    if _BULLET_RE.match(text):
        return None
    m = _TASK_WORD_RE.match(plain(text))
    if m:
        return m.group("code"), text[m.end() :].strip()
    code, rest = split_code(text)
    if code and rest and (re.match(r"^\s*\S+\s*[.)]", text) or line.heading or line.bold):
        return code, rest
    if code and rest and "." in code:
        return code, rest
    if (line.heading or line.bold) and len(text) < 200 and _field(text) is None:
        return "", text
    return None


def prose_tasks(lines: list[tuple[str, bool, int]]) -> list[RawTask]:
    """Tasks written as headings with labelled lines, in order."""
    items = [_Line(t, b, h) for t, b, h in lines]
    tasks: list[RawTask] = []
    headings: list[tuple[Section, bool]] = []  # every heading so far, with "has fields"
    current: RawTask | None = None
    current_heading: tuple[str, str, int] | None = None  # code, title, level
    pending_field: str | None = None
    description: list[str] = []
    last_letter: str | None = None
    last_roman: str | None = None

    def start_task() -> RawTask | None:
        if current_heading is None:
            return None
        code, title, level = current_heading
        content = title
        for extra in description:
            content = join_text(content, extra) if content else extra
        section_path = _section_path(headings, level)
        task = RawTask(
            written=code,
            content=content,
            section=section_path[-1] if section_path else None,
            sections=tuple(section_path),
        )
        tasks.append(task)
        if headings:
            headings[-1] = (headings[-1][0], True)
        return task

    for line in items:
        text = line.text.strip()
        if not text:
            continue
        found = _field(text)
        if found is not None:
            role, value = found
            if role == "content":
                if current is None:
                    description.append(value)
                else:
                    current.content = join_text(current.content, value)
                pending_field = None
                continue
            if current is None:
                current = start_task()
                if current is None:
                    continue
            _set(current, role, value)
            pending_field = role if not value else None
            continue
        if pending_field is not None and current is not None and _BULLET_RE.match(text):
            _set(current, pending_field, text)
            continue
        heading = _heading(line)
        if heading is not None:
            code, title = heading
            kind = code_kind(code, last_letter, last_roman)
            if kind == "letter":
                last_letter, last_roman = code, None
            elif kind == "roman":
                last_roman = code
            # An unnumbered heading ranks above numbered ones.
            unnumbered = line.heading - 10 if line.heading else -1
            level = level_of(code, kind) if code else unnumbered
            current = None
            pending_field = None
            description = []
            current_heading = (code, title, level)
            headings.append((Section(code, title, level, kind), False))
            continue
        pending_field = None
        if current is None and current_heading is not None and len(description) < 5:
            description.append(text)
    return [task for task in tasks if task.lead or task.coop or task.time]


def _set(task: RawTask, role: str, value: str) -> None:
    if role == "lead":
        task.lead = join_text(task.lead, value) if task.lead else value
    elif role == "coop":
        task.coop = join_text(task.coop, value) if task.coop else value
    elif role == "time":
        task.time = join_text(task.time, value) if task.time else value
    elif role == "product":
        task.product = join_text(task.product, value) if task.product else value


def _section_path(headings: list[tuple[Section, bool]], level: int) -> list[Section]:
    """The headings above the task's own (the last one), without fields, by level."""
    path: list[Section] = []
    bound = level
    for section, has_fields in reversed(headings[:-1]):
        if not has_fields and section.level < bound:
            path.append(section)
            bound = section.level
    return list(reversed(path))
