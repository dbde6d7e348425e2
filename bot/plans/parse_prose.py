"""Tasks written as prose: a numbered heading and labelled lines. Pure: no I/O.

The shape read::

    II. NHIỆM VỤ CỤ THỂ                      ← a heading without fields: a section
    1. Rà soát, đơn giản hóa TTHC            ← a heading followed by fields: a task
    Nội dung: …                              ← (optional) added to the content
    - Cơ quan chủ trì: Văn phòng HĐND và UBND
    - Cơ quan phối hợp: Các phòng, ban chuyên môn
    - Sản phẩm: Báo cáo kết quả rà soát
    - Thời gian thực hiện: Quý II/2025

Labels (before a colon, bullets or a letter "a)" allowed): lead "Cơ quan/Đơn vị chủ
trì", "Cơ quan/Đơn vị thực hiện", "Trách nhiệm", "Chủ trì"; cooperating "Cơ quan/Đơn vị
phối hợp", "Phối hợp"; timeframe "Thời gian (thực hiện/hoàn thành)", "Thời hạn", "Tiến
độ"; product "(Dự kiến) sản phẩm", "Kết quả (dự kiến)", "Hình thức"; content "Nội
dung", "Nhiệm vụ" (after the heading's title, with ": "). A label with nothing after
its colon takes the bullet lines below it, which may be labels themselves::

    1. Công khai thủ tục hành chính
    a) Nhiệm vụ: Niêm yết, công khai đầy đủ TTHC …
    b) Cơ quan thực hiện:
    - Đơn vị chủ trì: Văn phòng HĐND và UBND xã
    - Đơn vị phối hợp: Công an xã
    c) Thời gian thực hiện: Thường xuyên

Labels may also follow each other on one line, after ". ", ";" or "(": "1. Rà soát
TTHC. Cơ quan thực hiện: X. Thời gian thực hiện: Quý II/2025", "2. Niêm yết TTHC (chủ
trì: X; thời gian: thường xuyên)".

Headings are numbered ("1.", "1.2.", "a)", "II.", "A.") or "Nhiệm vụ 3:"; a task is a
heading followed by at least a unit or timeframe field. A line under the heading may
say who does it as a sentence instead: "Công an xã chủ trì, phối hợp với Đoàn Thanh
niên thực hiện hằng quý", "Giao Văn phòng HĐND và UBND xã thực hiện trước ngày
30/6/2026" (also "Giao cho …", "UBND xã giao …", "Đồng chí Chủ tịch …"), "Giao Hội Nông
dân xã phối hợp Công chức Địa chính thực hiện …" (or "… số
hóa …, thực hiện từ tháng 4 …": the time from where it starts) (the unit given the task
leads; a dash before the sentence changes nothing, unless other items under the heading
are tasks of their own: then it is one too) give the lead, the cooperating units and
the timeframe, and the words between the doer and the time go on the heading's content
("Bộ phận Một cửa thực hiện số hóa 100% hồ sơ …, báo cáo trước ngày 15 …": what is done,
then when). A line right under the heading that starts with its unit and a task's verb
("Văn phòng … tổng hợp báo cáo quý, 6 tháng, năm …") says who does it too, and the
reports it names are its timeframe. So does the
heading's end, in parentheses ("1. Công khai TTHC (Văn phòng … chủ trì; thời gian: …)")
or after a colon ("4. Báo cáo …: Công chức … thực hiện hằng quý"), and a "- " item
under the heading that says its doer so, or starts with it and goes on with the task's
verb ("- Giao Công chức … tiếp nhận, xử lý … thường xuyên"; one that "phối hợp"
cooperates), is a task of its own; the doer may come after
another sentence of the line, which goes on the content. Under the plan's purposes,
requirements or how it is carried out ("Mục đích", "Yêu cầu", "Tổ chức thực hiện"),
such a sentence assigns no task. A line after a
task's fields that states a percentage ("Tỷ lệ số hóa … đạt 100%") goes on its content,
for its indicator. A task's section is the closest heading above it, without fields, of
a higher level (roman above arabic, "1" above "1.1").

**A unit as a heading** ("1. Văn phòng HĐND và UBND xã", "Công an xã:", a bold unit
name, "Trách nhiệm của Phòng Tư pháp") leads every task listed under it: each deeper
heading, and each "- " item that is not the continuation of a task's fields, is a task
with that lead (unless it names its own), with or without a time line. A heading holding
a task's verb ("UBND xã ban hành Kế hoạch …") is no unit heading. An unnumbered unit
heading ranks just below the section it is in, so numbered tasks under it are its and
the next unit heading or section ends it. A heading "Hội Liên hiệp Phụ nữ xã: <task>"
is that unit's task. A task under a unit that starts "Phối hợp với <unit> <verb> …"
works with that unit.

A task (one with a lead or a partner) with no time line takes the timeframe its
sentence ends with, if short and readable ("…, hoàn thành trước 30/9/2027", "… định kỳ
hằng quý"); else it has none: the parser warns NO_TIMEFRAME, listed to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from bot.language.normalize import plain
from bot.language.timeframes import TimeframeKind, parse_timeframe
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
    (
        "content",
        re.compile(
            r"noi dung(?: cong viec| nhiem vu| thuc hien)?|yeu cau|"
            r"(?:ten )?nhiem vu(?: duoc giao)?|cong viec"
        ),
    ),
]
# A letter before a label: "a) Nhiệm vụ:", "c) Thời gian thực hiện:".
_LABEL_CODE_RE = re.compile(r"^[a-zđ]\s*[.)]\s+")
# A heading that names the unit doing the tasks listed under it (plain text).
# The words a unit's name starts with (plain text).
_UNIT_START = (
    r"(?:van phong|ubnd|uy ban nhan dan|phong (?!chong\b|ngua\b)|cong an|"
    r"cong chuc|can bo|bo phan|trung tam|chi cuc|kho bac|bao hiem xa hoi|ban chi huy|"
    r"hoi (?:nong dan|lien hiep phu nu|cuu chien binh)|doan thanh nien|"
    r"mat tran|tram y te|truong (?:mam non|tieu hoc|trung hoc)|thu truong|(?:pho )?chu tich|"
    r"cac (?:phong|co quan|don vi|ban|cong chuc|xa|phuong|hoi|doan|thon|to dan pho|khu pho)\b)"
)
# Words before the unit a sentence gives a task to: "Giao (cho) …", "UBND xã giao …",
# "Đồng chí …" (plain text)
_GIVEN = (
    r"(?:giao\s+(?:cho\s+)?|(?:ubnd|uy ban nhan dan)"
    r"(?:\s+(?:xa|phuong|thi tran|huyen|thi xa|quan|thanh pho)\b[^,;.:]*?)?\s+giao\s+(?:cho\s+)?)?"
    r"(?:(?:dong chi|d/c)\s+)?"
)
_UNIT_HEADING_RE = re.compile(
    r"^(?:(?:trach nhiem|nhiem vu)\s+(?:cua|doi voi)\s+|giao\s+)?"
    rf"(?P<unit>{_UNIT_START}[^:]*?)"
    r"(?:\s+(?:co trach nhiem|chu tri|thuc hien|chiu trach nhiem)[^:]*)?\s*:?\s*$"
)
_UNIT_HEADING_WORDS = 16
# Verbs a task starts with: a heading holding one is a task, not a unit ("tiếp nhận"
# inside "Bộ phận tiếp nhận và trả kết quả" is a name).
_TASK_VERB_RE = re.compile(
    r"\b(?:ban hanh|xay dung|to chuc|trien khai|ra soat|tham muu|kiem tra|cong bo|"
    r"cong khai|niem yet|(?<!bo phan )tiep nhan|huong dan|theo doi|bao cao|tuyen truyen|"
    r"cap nhat|so hoa|giai quyet|xu ly|don doc|danh gia|tong hop|cung cap|nang cao|"
    r"dam bao|bao dam|thong ke|ky|phe duyet|de nghi|de xuat)\b"
)
# A line under a task's heading that says who does it, as a sentence: "Công an xã chủ
# trì, phối hợp với Đoàn Thanh niên thực hiện hằng quý", "Giao Văn phòng HĐND và UBND
# xã thực hiện trước ngày 30/6/2026" (plain text): the lead, the units it works with,
# and what follows (its timeframe, if any).
_DOER_RE = re.compile(
    rf"^{_GIVEN}(?P<lead>(?:{_UNIT_START}|so (?!hoa|lieu|luong)|cuc )[^,;.:]*?)\s*,?\s+"
    r"(?:(?:chu tri|thuc hien|co trach nhiem|chiu trach nhiem|phu trach)\b"
    r"(?:\s*,?\s*phoi hop (?:voi\s+)?"
    r"(?P<coop>.+?)(?=\s+(?:thuc hien|trien khai|to chuc)\b|[.;]|$"
    r"|\s+" + _TASK_VERB_RE.pattern + r"))?"  # "… phối hợp với Công an xã hướng dẫn …"
    # "Giao Hội Nông dân xã phối hợp (với) Công chức Địa chính thực hiện …", "… số hóa …"
    r"|phoi hop (?:voi\s+)?(?P<with>[^,;.:]+?)(?=\s+(?:thuc hien|trien khai|to chuc)\b"
    r"|\s+(?P<verb>" + _TASK_VERB_RE.pattern + r")))"
)


class Doer(NamedTuple):
    """Who does a task and when, as a sentence says it, and what it says is done."""

    lead: str
    coop: str
    time: str
    what: str = ""


# The level of an unnumbered "Công an xã:" line: below numbered headings, above "a)".
_UNIT_LINE_LEVEL = 5
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
    label = _LABEL_CODE_RE.sub("", label)
    for role, pattern in _LABELS:
        if pattern.fullmatch(label):
            return role, line[m.start("value") :].strip()
    return None


def _role(label: str) -> str | None:
    key = _LABEL_CODE_RE.sub("", " ".join(plain(label).split()))
    key = re.sub(r"^[-+•*–]\s*", "", key)
    for role, pattern in _LABELS:
        if pattern.fullmatch(key):
            return role
    return None


def _inline_fields(text: str) -> list[str]:
    """A line holding several labels cut into one line each: "1. Rà soát TTHC. Cơ quan
    thực hiện: X. Thời gian thực hiện: Quý II" → the heading and two fields; "(chủ trì:
    X; thời gian: Y)" and "- Cơ quan thực hiện: X; thời gian thực hiện: Y" likewise."""
    if ":" not in text:
        return [text]
    p = plain(text)
    cuts: list[int] = []
    for colon in re.finditer(":", p):
        start = max(p.rfind(";", 0, colon.start()), p.rfind("(", 0, colon.start()))
        dot = p.rfind(". ", 0, colon.start())
        start = max(start, dot + 1 if dot >= 0 else -1)
        if colon.start() - start > 45:
            continue
        if _role(p[start + 1 : colon.start()]) is not None and start >= 0:
            cuts.append(start)
    if not cuts:
        return [text]
    pieces = []
    previous = 0
    for cut in cuts:
        pieces.append(text[previous:cut])
        previous = cut + 1
    pieces.append(text[previous:])
    out = [pieces[0].strip()] if pieces[0].strip() else []
    out += [piece.strip(" ;.()") for piece in pieces[1:] if piece.strip(" ;.()")]
    return out


def unit_heading(title: str) -> str | None:
    """The unit a heading names when the heading is a unit ("Công an xã:"), else None."""
    text = title.strip().rstrip(":").strip()
    if not text or len(text.split()) > _UNIT_HEADING_WORDS or text.endswith((".", ";")):
        return None
    m = _UNIT_HEADING_RE.match(plain(text))
    if m is None:
        return None
    unit_p = m.group("unit")
    if _TASK_VERB_RE.search(unit_p):
        return None  # "UBND xã ban hành Kế hoạch …" is a task, not a unit
    unit = text[m.start("unit") : m.end("unit")].strip(" ,.:;-")
    words = unit.split()
    if re.match(r"(?:cong chuc|can bo)\b", unit_p) and (
        len(words) < 3 or not words[2][:1].isupper()
    ):
        return None  # "Công chức, viên chức …" is no one unit; "Công chức Tư pháp" is
    return unit


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
    items = [
        _Line(piece, b and index == 0, h if index == 0 else 0)
        for t, b, h in lines
        for index, piece in enumerate(_inline_fields(t))
    ]
    tasks: list[RawTask] = []
    headings: list[tuple[Section, bool]] = []  # every heading so far, with "has fields"
    current: RawTask | None = None
    current_heading: tuple[str, str, int] | None = None  # code, title, level
    pending_field: str | None = None
    description: list[str] = []
    last_letter: str | None = None
    last_roman: str | None = None

    unit_stack: list[tuple[float, str]] = []  # units named by headings: (rank, unit)
    units: set[int] = set()  # ids of the unit headings' sections
    inherited: set[int] = set()  # ids of tasks whose lead is their heading's unit
    under_unit = False  # the current heading is itself a unit heading
    last_field: str | None = None  # the role of the last labelled line, for wrapped lines
    # the heading's task whose doer a "- " item said as a sentence: that item's words
    by_item: dict[int, str] = {}

    def start_task(bullet: str | None = None) -> RawTask | None:
        if current_heading is None:
            return None
        code, title, level = current_heading
        if bullet is not None:
            code, title, level = "", bullet, level + 1
        content = title
        for extra in description:
            content = _with_content(content, extra)
        section_path = _section_path(headings, level, include_last=bullet is not None)
        task = RawTask(
            written=code,
            content=content,
            section=section_path[-1] if section_path else None,
            sections=tuple(section_path),
        )
        if unit_stack:
            task.lead = unit_stack[-1][1]
            inherited.add(id(task))
        tasks.append(task)
        if headings and bullet is None:
            headings[-1] = (headings[-1][0], True)
        return task

    def own_doer(task: RawTask, doer: Doer) -> None:
        """The doer a task's own words name: its lead, not the unit heading's above."""
        if id(task) in inherited:
            task.lead = ""
            inherited.discard(id(task))
        _set_doer(task, doer)

    def in_purposes() -> bool:
        """The current heading is, or is under, one of the plan's purposes, its
        requirements or how it is carried out: a sentence there assigns no task."""
        if not headings:
            return False
        own = headings[-1][0]
        path = [own, *_section_path(headings, own.level)]
        return any(_PURPOSES_RE.search(plain(section.title)) for section in path)

    for line in items:
        text = line.text.strip()
        if not text:
            continue
        found = _field(text)
        if found is not None:
            role, value = found
            last_field = role
            if role == "content":
                if current is None:
                    description.append(value)
                else:
                    current.content = _with_content(current.content, value)
                pending_field = None
                continue
            if current is None:
                current = start_task()
                if current is None:
                    continue
            if role == "lead" and id(current) in inherited:
                current.lead = ""  # the task names its own lead
                inherited.discard(id(current))
            _set(current, role, value)
            pending_field = role if not value else None
            continue
        if pending_field is not None and current is not None and _BULLET_RE.match(text):
            _set(current, pending_field, text)
            continue
        item = _BULLET_RE.sub("", text) if _BULLET_RE.match(text) else None
        said = None
        if item is not None and current_heading is not None and not in_purposes():
            said = _title_doer(item)
            if said is None and (acting := _item_doer(item)) is not None:
                said = item, acting  # "- Giao X tiếp nhận …", "- X rà soát … trong quý II"
        if said is not None:
            # "- Cập nhật … (Công chức Văn hóa - Xã hội thực hiện hằng tháng)": a task
            # of its own, an item under the heading
            if current is not None and id(current) in by_item:
                # the item before, read as the heading's doer, is an item's task too
                current.content = by_item.pop(id(current))
                current.written = ""
                headings[-1] = (headings[-1][0], False)
                path = _section_path(headings, headings[-1][0].level + 1, include_last=True)
                current.section, current.sections = path[-1], tuple(path)
            current = start_task(said[0])
            if current is not None:
                own_doer(current, said[1])
            pending_field = None
            continue
        if unit_stack and _BULLET_RE.match(text):
            fields_done = current is not None and bool(current.time or current.product)
            if under_unit or current is None or fields_done:
                current = start_task(_BULLET_RE.sub("", text))
                pending_field = None
                continue
        heading = _heading(line)
        if heading is None and unit_heading(text) is not None and text.endswith(":"):
            heading = ("", text)  # "Công an xã:" above the tasks it leads
        if heading is not None:
            code, title = heading
            kind = code_kind(code, last_letter, last_roman)
            if kind == "letter":
                last_letter, last_roman = code, None
            elif kind == "roman":
                last_roman = code
            # An unnumbered heading ranks above numbered ones.
            unnumbered = line.heading - 10 if line.heading else -1
            unit = unit_heading(title)
            rank: float
            if code:
                level = level_of(code, kind)
                rank = level
            elif unit is not None:
                # An unnumbered unit heading ("Công an xã:", a bold unit name) ranks just
                # below the section it is in: numbered tasks under it stay its, the next
                # unit heading or section ends it.
                above = [
                    h.level for h, has_fields in headings if not has_fields and id(h) not in units
                ]
                rank = (above[-1] if above else _UNIT_LINE_LEVEL) + 0.5
                level = int(rank) + 1
            else:
                level = unnumbered if line.heading or line.bold else _UNIT_LINE_LEVEL
                rank = level
            current = None
            pending_field = None
            last_field = None
            description = []
            current_heading = (code, title, level)
            section = Section(code, title.rstrip(" :"), level, kind)
            headings.append((section, False))
            while unit_stack and unit_stack[-1][0] >= rank:
                unit_stack.pop()
            under_unit = unit is not None
            if unit is not None:
                unit_stack.append((rank, unit))
                units.add(id(section))
                continue
            said = _title_doer(title) if not in_purposes() else None
            if said is None and not in_purposes():
                said = _unit_then_task(title)
            if said is not None:
                # "1. Công khai TTHC (Văn phòng … chủ trì; …)", "4. Báo cáo …: Công
                # chức … thực hiện hằng quý": the heading says who does it
                title, doer = said
                current_heading = (code, title, level)
                headings[-1] = (Section(code, title.rstrip(" :"), level, kind), False)
                current = start_task()
                if current is not None:
                    own_doer(current, doer)
            elif unit_stack:
                current = start_task()  # a task listed under a unit heading
            continue
        pending_field = None
        if text[:1].islower() and last_field is not None:
            # A wrapped line goes on with the field above it.
            if current is None and last_field == "content" and description:
                description[-1] = join_text(description[-1], text)
                continue
            if current is not None and last_field != "content":
                _set(current, last_field, text)
                continue
        last_field = None
        sentence = item if item is not None else text  # "- Giao X thực hiện …" too
        found_doer = _sentence_doer(sentence) if current_heading is not None else None
        if found_doer is None and current is None and current_heading is not None:
            # "Văn phòng … tổng hợp báo cáo quý, 6 tháng, năm …" right under its heading
            acting = _item_doer(sentence)
            found_doer = ("", acting) if acting is not None else None
        if found_doer is not None and (current is None or not current.lead) and not in_purposes():
            # "… Công an xã chủ trì, phối hợp với … thực hiện hằng quý": the task's fields
            before, doer = found_doer
            if before and current is None and len(description) < 5:
                description.append(before)  # the sentences before it: its content
            started = current is None
            current = current or start_task()
            if current is not None:
                _set_doer(current, doer)
                if started and item is not None:
                    by_item[id(current)] = item
            continue
        if current is not None and id(current) in inherited:
            if not (current.time or current.product or current.coop):
                current.content = join_text(current.content, text)  # its wrapped text
            continue
        if current is not None and _PERCENT_RE.search(text):
            # a target the task states after its fields ("Tỷ lệ số hóa … đạt 100%"),
            # offered as the task's indicator
            current.content = join_text(current.content, text)
            continue
        if current is None and current_heading is not None and len(description) < 5:
            description.append(text)
    found = [task for task in tasks if task.lead or task.coop or task.time]
    for task in found:
        if not task.time:
            task.time = _time_at_end(task.content) or _reports_named(task.content)
        if not task.coop and (m := _WITH_RE.match(plain(task.content))):
            task.coop = task.content[m.start("unit") : m.end("unit")]
    return found


# A task that starts with whom its lead works with: "Phối hợp với Đoàn Thanh niên
# hướng dẫn người dân …" (under "Trách nhiệm của Công an xã:").
_WITH_RE = re.compile(
    rf"^phoi hop (?:voi\s+)?(?P<unit>{_UNIT_START}[^,;.:]*?)\s+" + _TASK_VERB_RE.pattern
)


def _time_at_end(text: str) -> str:
    """The timeframe a task's sentence ends with, without a label ("…, hoàn thành trước
    30/9/2027", "… định kỳ hằng quý"): from where it starts to the end, when short and
    read as a timeframe; "" when the sentence ends otherwise."""
    p = plain(text)
    for m in _TIME_START_RE.finditer(p):
        rest = text[m.start() :].strip(" .;")
        if len(rest) > _MAX_TRAILING_TIME or p.startswith("nam ", m.start()):
            continue  # (a year alone is the work's, "Kế hoạch … năm 2027": no deadline)
        if parse_timeframe(rest, None).kind is not TimeframeKind.UNKNOWN:
            return rest
        break
    return ""


def _reports_named(text: str) -> str:
    """The periodic reports a task's sentence names ("tổng hợp báo cáo quý, 6 tháng,
    năm gửi UBND tỉnh" → "báo cáo quý, 6 tháng, năm"), as its timeframe; "" when none."""
    m = _REPORTS_RE.search(plain(text))
    if m is None:
        return ""
    found = text[m.start() : m.end()]
    return found if parse_timeframe(found, None).kind is TimeframeKind.RECURRING else ""


_PERIOD_WORD = r"(?:hang |moi )?(?:tuan|thang|quy|6 thang|sau thang|nam)\b"
_REPORTS_RE = re.compile(
    rf"\bbao cao (?:dinh ky\s+)?{_PERIOD_WORD}(?:\s*(?:,|va|;)\s*{_PERIOD_WORD})*"
)
_MAX_TRAILING_TIME = 40  # characters: a timeframe at a sentence's end, not a clause
_PERCENT_RE = re.compile(r"\d\s*%")
# A heading's last part in parentheses (its ")" may have gone to a field cut off it).
_TITLE_PARENS_RE = re.compile(r"\(([^()]*)\)?\s*[.;]?\s*$")


# Sections of a plan that state its purposes, requirements or how it is carried out.
_PURPOSES_RE = re.compile(r"\b(?:muc dich|yeu cau|to chuc thuc hien|can cu)\b")
# Where a sentence starts inside a line: after a stop, before a capital.
_SENTENCE_START_RE = re.compile(r"(?<=[.;])\s+(?=[A-ZĐÀ-Ỹ])")


def _set_doer(task: RawTask, doer: Doer) -> None:
    """The lead, cooperating units and timeframe a doer sentence gives, where the task
    has none of its own."""
    for role, value in (("lead", doer.lead), ("coop", doer.coop), ("time", doer.time)):
        if value and not getattr(task, role):
            _set(task, role, value)
    if doer.what and plain(doer.what) not in plain(task.content):
        task.content = _with_content(task.content, doer.what)


def _sentence_doer(text: str) -> tuple[str, Doer] | None:
    """The first sentence of a line that says who does the task (:func:`_doer`), with
    the sentences before it; None when none does."""
    starts = [0, *(m.end() for m in _SENTENCE_START_RE.finditer(text))]
    for start in starts:
        doer = _doer(text[start:])
        if doer is not None:
            return text[:start].strip(), doer
    return None


def _unit_then_task(title: str) -> tuple[str, Doer] | None:
    """A heading naming its unit, then after a colon its task ("3. Hội Liên hiệp Phụ
    nữ xã: tuyên truyền thanh toán trực tuyến, quý II/2027"): the task, and the unit as
    its lead (the timeframe is read off the task's end later); None otherwise."""
    head, colon, rest = title.partition(": ")
    unit = unit_heading(head) if colon and rest.strip() else None
    return (rest.strip(), Doer(unit, "", "")) if unit is not None else None


def _title_doer(title: str) -> tuple[str, Doer] | None:
    """A heading that says who does its task, in parentheses or after a colon: the
    title without it, and the doer (:func:`_doer`); None when it says none."""
    m = _TITLE_PARENS_RE.search(title)
    if m is not None and (doer := _doer(m.group(1))) is not None:
        return title[: m.start()].rstrip(" ,;:-"), doer
    head, colon, rest = title.partition(": ")
    if colon and (doer := _doer(rest)) is not None:
        return head.rstrip(), doer
    return None


def _doer(text: str) -> Doer | None:
    """(lead, cooperating units, timeframe, what is done) of a line saying who does the
    task as a sentence (``_DOER_RE``): the timeframe from where one starts ("thực hiện
    hằng quý" → "hằng quý"), what is done the words between the doer and it ("Bộ phận
    Một cửa thực hiện số hóa 100% hồ sơ …; báo cáo … trước ngày 15 …")."""
    p = plain(text)
    m = _DOER_RE.match(_titles_masked(p))  # ("Văn phòng - Thống kê": no verb "thống kê")
    # (a verb inside the name is a task's, but not a title's word: _titles_masked)
    if m is None or _TASK_VERB_RE.search(_titles_masked(m.group("lead"))):
        return None
    lead = text[m.start("lead") : m.end("lead")].strip(" ,")
    named = "coop" if m.group("coop") else "with" if m.group("with") else None
    coop = text[m.start(named) : m.end(named)].strip(" ,") if named else ""
    if m.group("verb"):  # "… phối hợp với X số hóa …, thực hiện từ tháng 4": when it starts
        start = m.start("verb")
    else:
        rest = re.sub(r"^\W*(?:thuc hien|trien khai|to chuc thuc hien)\s+", "", p[m.end() :])
        start = len(p) - len(rest)
    time = _TIME_START_RE.search(p, start)
    if time is not None:
        end = time.start()
    elif not m.group("verb") and _TIME_WORDS_RE.search(p, start):
        end = start  # "thực hiện theo quy định": all of it
    else:
        end = len(p)
    when = text[end:].strip(" .;")
    what = _THEN_DONE_RE.sub("", text[start:end].strip(" .,;"))
    return Doer(lead, coop, when, what if len(what.split()) >= _MIN_WHAT_WORDS else "")


# words left between what is done and its time ("…, thực hiện trước ngày …", "… và")
_THEN_DONE_RE = re.compile(
    r"[\s,;]*(?:(?:thực hiện|thuc hien|hoàn thành|hoan thanh|và|va)[\s,;]*)*$", re.I
)
_MIN_WHAT_WORDS = 2


# An item that names who does it, then what: "Giao Công chức Văn phòng - Thống kê tiếp
# nhận, xử lý phản ánh thường xuyên", "Công an xã phối hợp tuyên truyền … trong quý II"
# (plain text; "Thống kê" of "Văn phòng - Thống kê" masked as a title's word first).
_ITEM_DOER_RE = re.compile(
    rf"^{_GIVEN}(?P<lead>(?:{_UNIT_START}|so (?!hoa|lieu|luong)|cuc )"
    r"(?:(?!phoi hop voi )[^,;.:])*?)\s+"
    # "Giao X phối hợp với Y tuyên truyền …": X leads, working with Y
    r"(?:phoi hop voi (?P<with>[^,;.:]+?)\s+)?"
    r"(?:(?:dinh_ky|thuong xuyen|hang (?:ngay|tuan|thang|quy|nam))\s+)?"  # "định kỳ báo cáo"
    r"(?P<coop>phoi hop\s+)?(?P<act>" + _TASK_VERB_RE.pattern + ")"
)
# Where a timeframe starts inside a sentence (plain text).
_TIME_START_RE = re.compile(
    r"\b(?:thuong xuyen|hang (?:ngay|tuan|thang|quy|nam)|dinh ky|truoc (?:ngay\b|\d)|"
    r"trong (?:quy|thang|nam|\d)|tu (?:ngay|thang|quy|nam|\d)|quy [ivx\d]|thang \d|"
    r"nam \d{4}|khi co yeu cau|"
    r"theo ke hoach|dot xuat)"
)


def _titles_masked(p: str) -> str:
    """Plain text with "Thống kê" of the commune's civil servant "Văn phòng - Thống kê"
    masked ("thong_ke", as long): a title's word, not the verb "thống kê"."""
    return re.sub(r"(?<=van phong)(\W+thong) ke", r"\1_ke", p)


def _item_doer(text: str) -> Doer | None:
    """(lead, cooperating unit, timeframe, what is done: from the verb to the time) of
    a "- " item that starts with who does it and goes on with a task's verb
    (:data:`_ITEM_DOER_RE`); a unit that "phối hợp" cooperates, one that "phối hợp với"
    another leads and works with it. None when the item does not start so."""
    words = plain(text)
    p = _titles_masked(words).replace("dinh ky", "dinh_ky")  # ("định kỳ": no "ký", to sign)
    m = _ITEM_DOER_RE.match(p)
    if m is None:
        return None
    unit = text[m.start("lead") : m.end("lead")].strip(" ,")
    # (its timeframe after the verb, else the adverb before it: "định kỳ báo cáo")
    time = _TIME_START_RE.search(words, m.end()) or _TIME_START_RE.search(words, m.end("lead"))
    when = text[time.start() :].strip(" .;") if time is not None else ""
    end = time.start() if time is not None and time.start() > m.start("act") else len(text)
    what = _THEN_DONE_RE.sub("", text[m.start("act") : end].strip(" .,;"))
    what = what if len(what.split()) >= _MIN_WHAT_WORDS else ""
    if m.group("coop"):
        return Doer("", unit, when, what)
    partner = text[m.start("with") : m.end("with")].strip(" ,") if m.group("with") else ""
    return Doer(unit, partner, when, what)


# Words a timeframe is stated with, after the doer ("hằng quý", "trước ngày …").
_TIME_WORDS_RE = re.compile(
    r"\b(?:hang|thuong xuyen|dinh ky|truoc|trong|quy|thang|nam \d|theo|khi co|dot xuat)\b"
)


def _set(task: RawTask, role: str, value: str) -> None:
    if role == "lead":
        task.lead = join_text(task.lead, value) if task.lead else value
    elif role == "coop":
        task.coop = join_text(task.coop, value) if task.coop else value
    elif role == "time":
        task.time = join_text(task.time, value) if task.time else value
    elif role == "product":
        task.product = join_text(task.product, value) if task.product else value


def _with_content(content: str, value: str) -> str:
    """A task's title followed by its "Nội dung:" / "Nhiệm vụ:" text."""
    if not content:
        return value
    if not value or content.rstrip().endswith((":", ".", ";")):
        return join_text(content, value)
    return f"{content.rstrip()}: {value.strip()}"


def _section_path(
    headings: list[tuple[Section, bool]], level: int, *, include_last: bool = False
) -> list[Section]:
    """The headings above the task's own (the last one; or from the last one, for a
    "- " item under a heading), without fields, by level."""
    path: list[Section] = []
    bound = level
    for section, has_fields in reversed(headings if include_last else headings[:-1]):
        if not has_fields and section.level < bound:
            path.append(section)
            bound = section.level
    return list(reversed(path))
