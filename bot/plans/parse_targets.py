"""Indicator targets: a target cell ("Tối thiểu 60") and targets stated in prose ("tỷ lệ
nộp hồ sơ trực tuyến đạt 70%"). Pure: no I/O.

Comparators: "tối thiểu", "ít nhất", "không dưới", "không thấp hơn", "từ … trở lên",
"trên", "≥" give ``AT_LEAST``; "tối đa", "không quá", "không vượt quá", "dưới",
"≤" give ``AT_MOST``; "bằng", "=" give ``EQUAL``. A bare 100 ("100", "100% hồ sơ") is
``EQUAL`` (all of them); another bare number ("đạt 70%") is ``AT_LEAST``: a target is met
by reaching it.

**Stated targets** (:func:`stated_targets`): one per percentage, named by what it
measures. A line is cut into one clause per percentage: at ";", a sentence end, "trong
đó", "đồng thời", and between two percentages at the separator ("," "và" "hoặc") that
starts the next subject (one beginning "tỷ lệ", "mức độ" … first, else the last). Then:

* "<subject> đạt [tỷ lệ] [tối thiểu] N%" → the subject from its measure word ("Năm
  2025, tỷ lệ …" → "Tỷ lệ …"), "Tỷ lệ" put before a subject without one; leading verbs
  ("Tiếp tục", "phấn đấu") and purpose words ("với mục tiêu", "nhằm") go;
* "[Phấn đấu] [tối thiểu] N% <noun phrase>" → "Tỷ lệ <noun phrase>";
* "<change verb> [tối thiểu] N% <object>" → "<verb> <object>" ("cắt giảm tối thiểu 10%
  chi phí tuân thủ TTHC" → "Cắt giảm chi phí tuân thủ TTHC");
* "Tỷ lệ A, B lần lượt đạt 60% và 80%" → "Tỷ lệ A", "Tỷ lệ B";
* "… đạt 100% ở cấp xã và 98% ở cấp huyện" → "… (cấp xã)", "… (cấp huyện)";
* a line ending with ":" names the subject of the items below it that state a bare
  target ("- Đạt tối thiểu 80%"; "- Cấp xã: 98%" → "<subject> (cấp xã)");
* "Trường hợp …" / "Nếu …" (a rule) and a percentage with nothing measured give none.

A name stops before what qualifies it ("mà …", "so với …", "theo quy định"), and one
longer than 16 words is cut at "và …" (not "và các …") or "trên …". A name that is one of
the national indicators (:mod:`bot.plans.national`) becomes its standard name, the
plan's wording kept (``StatedTarget.written``).

**The plan's targets** (:func:`plan_targets`): the lines under a heading naming targets
("II. MỤC TIÊU, CHỈ TIÊU"), read the same way; in a plan without one, the lines under
its purposes ("I. MỤC ĐÍCH, YÊU CẦU … phấn đấu tỷ lệ … đạt 98%"). A sub-heading under
it starts a block of its own, the subject of the items below when it ends with ":"
("2. Tỷ lệ hồ sơ giải quyết đúng hạn:"), else no part of what follows ("1. Mục đích").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from bot.language.normalize import fold, nfc, plain
from bot.language.numbers import parse_number
from bot.plans.model import Comparator
from bot.plans.national import national_indicator
from bot.plans.parse_common import code_kind, level_of, split_code

_AT_LEAST = re.compile(
    r"toi thieu|it nhat|khong duoi|khong thap hon|khong it hon|tro len|>=|≥|\btren\b|lon hon"
)
_AT_MOST = re.compile(r"toi da|khong qua|khong vuot qua|(?<!khong )\bduoi\b|<=|≤|nho hon|tro xuong")
_EQUAL = re.compile(r"\bbang\b|^=|\bdung\b")
_NUMBER = re.compile(r"\d{1,3}(?:[.,]\d+)?|\d+")


@dataclass(frozen=True)
class Target:
    comparator: Comparator
    value: Decimal
    percent: bool


def parse_target(text: str) -> Target | None:
    """A target cell: "100", "Tối thiểu 60", "≥ 80%", "Không dưới 90 %"."""
    p = plain(text)
    m = _NUMBER.search(p)
    if m is None:
        return None
    value = parse_number(m.group(0))
    if value is None:
        return None
    comparator = _comparator(p[: m.start()], p[m.end() :])
    bare = not re.search(r"[^\d\s.,%]", p.replace("phan tram", ""))
    if bare and value == 100:
        comparator = Comparator.EQUAL  # "100": all of them
    return Target(comparator, value, "%" in p or "phan tram" in p)


def _comparator(before: str, after: str) -> Comparator:
    before = before[-40:]
    after = after[:20]
    if _AT_LEAST.search(before) or re.match(r"\s*(?:%\s*)?tro len", after):
        return Comparator.AT_LEAST
    if _AT_MOST.search(before) or re.match(r"\s*(?:%\s*)?tro xuong", after):
        return Comparator.AT_MOST
    if _EQUAL.search(before.strip()):
        return Comparator.EQUAL
    return Comparator.AT_LEAST


@dataclass(frozen=True)
class StatedTarget:
    name: str
    comparator: Comparator
    value: Decimal
    written: str = ""  # the plan's own wording, when ``name`` is a national indicator's


_PERCENT = re.compile(r"(?<![\d.,/])(\d{1,3}(?:[.,]\d{1,2})?)\s*(?:%|phan tram\b)")
_CLAUSE_END = re.compile(r";|\.\s*$|,\s*(?:trong (?:so )?do|dong thoi)\s*,?\s*|\s\s+-\s")
# A sentence's end: a stop before a capital, found on the text as written (``plain``
# lowers the case, and keeps every character where it stands); not an abbreviation's
# ("TP. Hà Nội").
_SENTENCE_END = re.compile(r"(?<![A-ZĐ])\.(?=\s+[A-ZĐÀ-Ỹ])")
# Words between a subject and its number ("đạt tỷ lệ tối thiểu tương ứng là").
_LINK_WORDS = (
    r"dat|la|tuong ung|toi thieu|it nhat|khong duoi|khong thap hon|khong it hon|tren|"
    r"toi da|khong qua|khong vuot qua|duoi|ty le|ti le|o muc|muc|bang|khoang|len|chiem|"
    r"lan luot|phai|can|se|van|luon|lon hon|nho hon|cao hon|thap hon|it hon|xuong|con|"
    r"phan dau|bao dam|dam bao"
)
# "từ" only right before the number ("đạt từ 95% trở lên"; "điện tử" is no link).
_TRAILING_LINKS = re.compile(rf"(?:(?<=\s)|^)(?:(?:(?:{_LINK_WORDS})\s*)+(?:tu\s*)?|tu\s*)$")
_LEADING_VERBS = re.compile(
    r"^(?:(?:tiep tuc|trien khai|thuc hien|day manh|phan dau|bao dam|dam bao|tang cuong|"
    r"nang cao|to chuc|duy tri|chi tieu|muc tieu|yeu cau|co|de|nham|dat|va|hoac|con|"
    r"dong thoi|trong do|cu the|rieng|nam \d{4}|den (?:het )?nam \d{4}|"
    r"trong (?:nam|giai doan) [\d\- ]+)(?:[\s,:]+|$))+"
)
# Where a subject starts inside the words before a number ("… với mục tiêu cắt giảm").
_SUBJECT_START = re.compile(r"(?:\bmuc tieu|\bnham|\bde|\bphan dau|\bbao dam|\bdam bao|:)\s+")
_MEASURE_HEAD = re.compile(r"(?:^|\s)(?:ty le|ti le|muc do|so luong|chi so)\s")
# Verbs of change: the name keeps the verb ("Cắt giảm chi phí tuân thủ TTHC").
_CHANGE_VERB = re.compile(r"^(?:cat giam|giam thieu|giam|tang(?: them)?|rut ngan|tiet kiem|nang)$")
# Where a name stops: what follows qualifies the measure ("… mà cá nhân phải bỏ ra").
_QUALIFIER = re.compile(
    r"\s(?:ma|nham|de|so voi|theo quy dinh|theo ke hoach|tren dia ban|trong nam \d{4}|"
    r"nam \d{4}|vao nam \d{4}|den nam \d{4})(?:\s|$)"
)
# Boundaries a long name is cut at, in order of preference.
_NAME_CUTS = (re.compile(r"\s(?:va|hoac)\s(?!cac\b|nhung\b)"), re.compile(r"\stren\s"))
_NAME_WORDS = 16  # a name longer than this is cut at a boundary after _NAME_MIN words
_NAME_MIN = 6
# Where a target holds, after its number ("ở cấp xã", "đối với TTHC đủ điều kiện").
_WHERE = re.compile(r"^(?P<drop>(?:(?:o|tai|rieng)\s+)?)(?:doi voi|cap (?:xa|huyen|tinh|phuong))\b")
_MAX_NAME_CHARS = 400  # the words read around a number for its name, at most
_VERB_WORDS = 3  # at most this many words before "N% <object>" are a verb, not a subject
_CONDITIONAL = re.compile(r"^(?:truong hop|neu)\b")
_TAIL = re.compile(r"^\s*(?:%\s*)?(?:tro len|tro xuong)\b")


# Percentages read in one text: a task states one to three; each is read against its
# whole clause, so reading all of a text made of percentages took time quadratic in it.
MAX_STATED = 20


def stated_targets(text: str, subject: str = "") -> list[StatedTarget]:
    """Percent targets stated in a text, in order: one per percentage (the first
    MAX_STATED are read), each named by what it measures.

    A line ending with ":" names the subject of the "- " items below it that state a
    bare target ("Tỷ lệ hồ sơ giải quyết đúng hạn:" / "- Cấp xã: tối thiểu 95%");
    ``subject`` does so for the whole text (a heading above it)."""
    found: list[StatedTarget] = []
    context = subject
    for line in _logical_lines(nfc(text)):
        bare = _BULLET.sub("", line).strip()
        if bare.endswith(":") and not _PERCENT.search(plain(bare)):
            context = re.sub(r"^(?:về|ve)\s+", "", bare.rstrip(": "), flags=re.I)
            continue
        found.extend(_line_targets(line, context))
        if len(found) >= MAX_STATED:
            break
    return found[:MAX_STATED]


_BULLET = re.compile(r"^\s*(?:[-+•*–]|[a-zđ][.)]|\d{1,2}(?:\.\d{1,2})*[.)])\s+")


def _logical_lines(text: str) -> list[str]:
    """Lines with wrapped text joined: a new line starts at a bullet, a number, or after
    a line ending with ":" or ";"."""
    out: list[str] = []
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        if out and not _BULLET.match(line) and not out[-1].endswith((":", ";")):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _line_targets(text: str, context: str) -> list[StatedTarget]:
    p = plain(text)
    percents = [m for m in islice(_PERCENT.finditer(p), MAX_STATED)]
    if not percents:
        return []
    ends = [(m.start(), m.end()) for m in _CLAUSE_END.finditer(p)]
    ends += [(m.start(), m.end()) for m in _SENTENCE_END.finditer(nfc(text))]
    bounds: list[tuple[int, int]] = []
    for i, m in enumerate(percents):
        hard_start = max((e for s, e in ends if e <= m.start()), default=0)
        hard_end = min((s for s, _ in ends if s >= m.end()), default=len(p))
        start = hard_start
        if i > 0 and percents[i - 1].end() > hard_start:
            start = _split(p, percents[i - 1].end(), m.start())
        if i > 0 and bounds and bounds[-1][1] > start:
            bounds[-1] = (bounds[-1][0], start)
        bounds.append((start, hard_end))
    # "Tỷ lệ A, B lần lượt đạt 60% và 80%": the subjects are shared out in order.
    shared = _respectively(text, p, percents, bounds)
    found: list[StatedTarget] = []
    previous = ""
    for i, m in enumerate(percents):
        value = parse_number(m.group(1))
        if value is None:
            continue
        start, end = bounds[i]
        if _CONDITIONAL.match(_BULLET.sub("", p[start:].lstrip(" ,-"))):
            continue  # "Trường hợp … thì …": a rule, not a target
        if shared is not None:
            name, links = shared[i], _links(p, start, m.start())
        else:
            name, links = _name(text, p, (start, m.start(), m.end(), end), context, previous)
        if not name:
            continue
        previous = re.sub(r"\s*\([^()]*\)$", "", name)  # "… đạt 100% ở cấp xã và 98% ở cấp huyện"
        comparator = _stated_comparator(links, p[m.end() : end], value)
        found.append(_national(name, comparator, value))
    return found


def _split(p: str, previous_end: int, number_start: int) -> int:
    """Where the clause of a number starts, after the previous number's clause."""
    tail = _TAIL.match(p, previous_end)
    left = tail.end() if tail else previous_end
    region = p[left:number_start]
    seps = [m for m in re.finditer(r",\s*|\s+va\s+|\s+hoac\s+|\s+con\s+", region)]
    if not seps:
        return left
    for sep in seps:
        rest = region[sep.end() :]
        rest = re.sub(r"^(?:va|con|dong thoi|trong do)\s+", "", rest)
        if _MEASURE_HEAD.match(" " + rest):
            return left + sep.start()
    return left + seps[-1].start()


def _respectively(
    text: str, p: str, percents: list[re.Match[str]], bounds: list[tuple[int, int]]
) -> list[str] | None:
    """The names shared out by "lần lượt" ("respectively"), or None."""
    if len(percents) < 2:
        return None
    first = percents[0]
    m = re.search(r"\blan luot\b", p[bounds[0][0] : first.start()])
    if m is None:
        return None
    cut = bounds[0][0] + m.start()
    subject = text[bounds[0][0] : cut]
    subject = _TRAILING_LINKS.sub("", subject.rstrip()).strip(" ,:-")
    parts = [x.strip(" ,") for x in re.split(r",\s*|\s+và\s+|\s+va\s+", subject) if x.strip(" ,")]
    if len(parts) != len(percents):
        return None
    head = _MEASURE_HEAD.match(" " + plain(parts[0]))
    names = []
    for part in parts:
        name = part
        if head and not _MEASURE_HEAD.match(" " + plain(part)):
            name = text[bounds[0][0] :][: head.end() - 1].strip() + " " + _lower_first(part)
            name = " ".join(name.split())
        names.append(_finish(_drop_leading_verbs(name)))
    return names


def _links(p: str, start: int, number_start: int) -> str:
    links = _TRAILING_LINKS.search(p[start:number_start])
    return links.group(0) if links else ""


def _name(
    text: str, p: str, span: tuple[int, int, int, int], context: str, previous: str
) -> tuple[str, str]:
    """The name of what a percentage measures, and the link words before the number.

    ``span`` is (clause start, number start, number end, clause end); ``previous`` the
    name of the target before it on the line, for "… và 98% ở cấp huyện"."""
    start, num_start, num_end, end = span
    before_p = p[start:num_start]
    links = _TRAILING_LINKS.search(before_p)
    link_words = links.group(0) if links else ""
    core_end = start + (links.start() if links else len(before_p))
    core_start = start
    # The last purpose word or colon with a subject after it ("Tỷ lệ … quá hạn: dưới 2%"
    # keeps the words before its colon).
    for found in reversed(list(_SUBJECT_START.finditer(p, start, core_end))):
        if p[found.end() : core_end].strip(" ,:-"):
            core_start = found.end()
            break
    if core_end - core_start > _MAX_NAME_CHARS:  # a run-on clause: its last words
        core_start = p.find(" ", core_end - _MAX_NAME_CHARS, core_end) + 1 or core_start
    end = min(end, num_end + _MAX_NAME_CHARS)
    subject = text[core_start:core_end].strip(" ,:-")
    subject_p = p[core_start:core_end].strip(" ,:-")
    # "…, 100% hồ sơ": the number starts its noun phrase after a comma.
    comma = subject_p.rfind(",")
    if comma >= 0 and not _MEASURE_HEAD.search(" " + subject_p) and _BULLET.sub("", subject) == "":
        subject = ""
    subject = _BULLET.sub("", subject).strip(" ,:-")
    subject = _drop_leading_verbs(subject)
    after = text[num_end:end]
    if re.match(r"\s*,", after):
        after = ""  # "… tăng thêm 10%, nhưng …": the number ends its phrase
    after = re.sub(r"^\s*(?:trở lên|trở xuống|tro len|tro xuong)\b", "", after, flags=re.I)
    after = after.strip(" ,.:;-")
    after = re.sub(r"^(?:các|những|cac|nhung)\s+", "", after, flags=re.I)
    subject_key = plain(subject)
    qualifier = _WHERE.match(plain(after))
    if qualifier is not None:
        # "… đạt 100% ở cấp xã": where the target holds, after the name.
        where = " ".join(after[qualifier.end("drop") :].split()).rstrip(" ,.;:")
        if subject:
            return _finish(_rate(subject, text)) + f" ({where})", link_words
        if context or previous:
            return f"{context or previous} ({where})", link_words
    # "- Cấp xã: tối thiểu 98%" under a heading that names the subject.
    label = re.match(
        r"^(?P<label>[^:,]{1,40}?)\s*:", _BULLET.sub("", text[start:num_start].strip())
    )
    if context and (not subject or label):
        name = context
        if label:
            name = f"{context} ({_lower_first(label.group('label'))})"
        return _finish(_rate(name, text)), link_words
    if subject_key and _CHANGE_VERB.match(subject_key):
        if not after:
            return "", link_words
        return _finish(f"{subject} {after}"), link_words
    if not subject:
        if not after:
            return "", link_words
        return _finish(_rate(after, text)), link_words
    head = _MEASURE_HEAD.search(" " + subject_key)
    if head is not None:
        subject = subject[max(head.start(), 0) :].strip()
    elif (
        after
        and len(subject.split()) <= _VERB_WORDS
        and not re.search(r"\b(?:dat|la)\b", link_words)
    ):
        # "Số hóa 100% kết quả giải quyết TTHC": a verb and its object.
        subject = f"{subject} {after}"
    return _finish(_rate(subject, text)), link_words


def _rate(name: str, text: str) -> str:
    """``name`` with "Tỷ lệ" before it unless it names its measure ("Mức độ hài lòng")."""
    if _MEASURE_HEAD.match(" " + plain(name)):
        return name
    rate = "Ty le" if text.isascii() else "Tỷ lệ"
    return f"{rate} {_lower_first(name)}"


def _finish(name: str) -> str:
    """A name tidied: qualifiers after the measure dropped, a long one cut, capitalised."""
    name = " ".join(name.split()).strip(" ,.;:-")
    m = _QUALIFIER.search(plain(name), len(name.split()[0]) if name else 0)
    if m:
        name = name[: m.start()]
    for cut in _NAME_CUTS:
        if len(name.split()) <= _NAME_WORDS:
            break
        key = plain(name)
        floor = len(" ".join(name.split()[:_NAME_MIN]))
        for found in cut.finditer(key, floor):
            if key.count("(", 0, found.start()) == key.count(")", 0, found.start()):
                name = name[: found.start()]
                break
    name = name.strip(" ,.;:-")
    return name[:1].upper() + name[1:] if name else ""


def _stated_comparator(links: str, after: str, value: Decimal) -> Comparator:
    comparator = _comparator(links, after)
    bare = not (_AT_LEAST.search(links) or _AT_MOST.search(links) or _TAIL.match(after))
    if bare and value == 100:
        return Comparator.EQUAL  # "100% hồ sơ …": all of them
    return comparator


def _national(name: str, comparator: Comparator, value: Decimal) -> StatedTarget:
    national = national_indicator(name)
    if national is None or fold(national.name) == fold(name):
        return StatedTarget(name, comparator, value)
    return StatedTarget(national.name, comparator, value, written=name)


def _drop_leading_verbs(subject: str) -> str:
    m = _LEADING_VERBS.match(plain(subject))
    if m and m.end() < len(subject):
        return subject[m.end() :]
    return subject if not m else ""


def _lower_first(text: str) -> str:
    """Lower-case the first word unless it is an acronym ("TTHC", "UBND")."""
    words = text.split(" ", 1)
    if words and (len(words[0]) > 1 and words[0].isupper()):
        return text
    return text[:1].lower() + text[1:]


# Words of a heading above the plan's targets ("II. MỤC TIÊU, CHỈ TIÊU", "Chỉ tiêu cụ thể").
_TARGET_HEADING = re.compile(r"\b(?:chi tieu|muc tieu)\b")
# Where a plan has no such heading, its targets are stated in its purposes ("I. MỤC
# ĐÍCH, YÊU CẦU … phấn đấu tỷ lệ … đạt 98%").
_PURPOSE_HEADING = re.compile(r"\b(?:muc dich|yeu cau)\b")


def plan_targets(lines: list[str]) -> list[StatedTarget]:
    """Targets stated in the prose under a heading that names targets ("2. Mục tiêu, chỉ
    tiêu cụ thể", "PHỤ LỤC VỀ CHỈ TIÊU …", or an unnumbered "Chỉ tiêu:" over a list),
    down to the next heading of its level or above; in a plan without such a heading,
    under the one naming its purposes ("I. MỤC ĐÍCH, YÊU CẦU"). Headings are numbered
    lines ("II.", "2.", "a)") without a percentage, and lines in capitals."""
    return _targets_under(lines, _TARGET_HEADING) or _targets_under(lines, _PURPOSE_HEADING)


def _targets_under(lines: list[str], heading: re.Pattern[str]) -> list[StatedTarget]:
    found: list[StatedTarget] = []
    block: list[str] = []
    section: int | None = None  # the level of the target heading we are under
    last_letter: str | None = None
    last_roman: str | None = None

    def flush() -> None:
        if block and len(found) < MAX_STATED:
            found.extend(stated_targets("\n".join(block)))
        block.clear()

    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        level = _heading_level(line, last_letter, last_roman)
        if level is not None:
            code = split_code(line)[0]
            kind = code_kind(code, last_letter, last_roman)
            if kind == "letter":
                last_letter, last_roman = code, None
            elif kind == "roman":
                last_roman = code
            if section is not None and level <= section:
                flush()
                section = None
            if section is None and heading.search(plain(line)):
                section = level
                continue
            if section is not None:
                # a sub-heading starts a block of its own: one naming a subject
                # ("2. Tỷ lệ hồ sơ giải quyết đúng hạn:") heads it, another ("1. Mục
                # đích") is no part of the sentence below it
                flush()
                if line.endswith(":"):
                    block.append(line)
                continue
        if section is not None:
            block.append(line)
    flush()
    return found[:MAX_STATED]


def _heading_level(line: str, last_letter: str | None, last_roman: str | None) -> int | None:
    if _PERCENT.search(plain(line)) or len(line) > 200:
        return None
    letters = [c for c in line if c.isalpha()]
    if len(line.split()) >= 2 and letters and all(c.isupper() for c in letters):
        return -1
    code, rest = split_code(line)
    if not code and _LABEL_HEADING.match(plain(line)):
        return _LABEL_LEVEL  # "Chỉ tiêu:" over a list: below every numbered heading
    if not code or not rest or re.match(r"^[-+•*–]", line):
        return None
    return level_of(code, code_kind(code, last_letter, last_roman))


# A short unnumbered line naming targets, ending with ":" ("Chỉ tiêu:", "Các chỉ tiêu cụ
# thể năm 2026:"): the heading of the list below it, as a plan typed without numbered
# headings writes it.
_LABEL_HEADING = re.compile(r"^(?:cac\s+)?(?:chi tieu|muc tieu)\b[^:]{0,40}:\s*$")
_LABEL_LEVEL = 90
