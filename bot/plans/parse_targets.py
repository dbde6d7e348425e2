"""Indicator targets: a target cell ("Tối thiểu 60") and targets stated in a task's text
("tỷ lệ nộp hồ sơ trực tuyến đạt 70%"). Pure: no I/O.

Comparators: "tối thiểu", "ít nhất", "không dưới", "không thấp hơn", "từ … trở lên",
"trên", "≥" give ``AT_LEAST``; "tối đa", "không quá", "không vượt quá", "dưới",
"≤" give ``AT_MOST``; "bằng", "=" give ``EQUAL``. A bare number ("100", "đạt 70%") is
``AT_LEAST``: a target is met by reaching it, and for 100 % that is the same as equal.

A percentage in a task's text becomes a target named after what it measures:

* "<subject> đạt [tỷ lệ] [tối thiểu] N%" → the subject, with "Tỷ lệ" put before it
  when the text says "đạt tỷ lệ" ("… số hóa kết quả … đạt tỷ lệ tối thiểu 80%" →
  "Tỷ lệ số hóa kết quả …"); leading verbs ("Tiếp tục", "triển khai thực hiện") go;
* "[Tối thiểu] N% <noun phrase>" at the start of a clause → "Tỷ lệ <noun phrase>"
  ("100% TTHC nội bộ … được rà soát" → "Tỷ lệ TTHC nội bộ … được rà soát");
* "<verb> [tối thiểu] N% <object>" → "<verb> <object>" ("cắt giảm tối thiểu 10% chi phí
  tuân thủ TTHC" → "Cắt giảm chi phí tuân thủ TTHC").

Clauses end at ";", a sentence end, a line break and ", trong số đó," / ", trong đó".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from bot.language.normalize import nfc, plain
from bot.language.numbers import parse_number
from bot.plans.model import Comparator

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
    return Target(_comparator(p[: m.start()], p[m.end() :]), value, "%" in p or "phan tram" in p)


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


_PERCENT = re.compile(r"(?<![\d.,/])(\d{1,3}(?:[.,]\d{1,2})?)\s*(?:%|phan tram\b)")
_CLAUSE_END = re.compile(
    r";|\n|\.(?=\s+[A-ZĐÀ-Ỹ])|\.\s*$|,\s*(?:trong (?:so )?do|dong thoi)\s*,?\s*"
)
# Words between a subject and its number ("đạt tỷ lệ tối thiểu tương ứng là").
_LINK_WORDS = (
    r"dat|la|tuong ung|toi thieu|it nhat|khong duoi|khong thap hon|khong it hon|tu|tren|"
    r"toi da|khong qua|khong vuot qua|duoi|ty le|o muc|muc|bang|khoang|len|chiem"
)
_TRAILING_LINKS = re.compile(rf"(?:(?<=\s)|^)(?:(?:{_LINK_WORDS})\s*)+$")
_LEADING_VERBS = re.compile(
    r"^(?:(?:tiep tuc|trien khai|thuc hien|day manh|phan dau|bao dam|dam bao|tang cuong|"
    r"nang cao|nang|to chuc|duy tri)\s+)+"
)
_SUBJECT_START = re.compile(r"(?:muc tieu|nham|de)\s+", re.I)
_MEASURE_HEAD = re.compile(r"^(?:ty le|muc do|so luong|chi so)\b")


# Percentages read in one text: a task states one to three; each is read against its
# whole clause, so reading all of a text made of percentages took time quadratic in it.
MAX_STATED = 20


def stated_targets(text: str) -> list[StatedTarget]:
    """Percent targets stated in a task's text, in order (the first MAX_STATED
    percentages are read)."""
    text = " ".join(line.strip() for line in nfc(text).split("\n") if line.strip())
    p = plain(text)
    found: list[StatedTarget] = []
    separators = [(m.start(), m.end()) for m in _CLAUSE_END.finditer(p)]
    for m in islice(_PERCENT.finditer(p), MAX_STATED):
        value = parse_number(m.group(1))
        if value is None:
            continue
        start = max((e for s, e in separators if e <= m.start()), default=0)
        end = min((s for s, _ in separators if s >= m.end()), default=len(p))
        # The clause may hold an earlier percentage: the subject starts after it.
        earlier = [e.end() for e in _PERCENT.finditer(p, start, m.start())]
        name, links = _name(text, p, start, m.start(), m.end(), end, earlier)
        if not name:
            continue
        comparator = _comparator(links, p[m.end() : end])
        found.append(StatedTarget(name, comparator, value))
    return found


def _name(
    text: str, p: str, start: int, num_start: int, num_end: int, end: int, earlier: list[int]
) -> tuple[str, str]:
    """The name of what a percentage measures, and the link words before the number."""
    before_p = p[start:num_start]
    links = _TRAILING_LINKS.search(before_p)
    link_words = links.group(0) if links else ""
    core_end = start + (links.start() if links else len(before_p))
    core_start = start
    if earlier:
        comma = p.rfind(",", earlier[-1], core_end)
        core_start = comma + 1 if comma >= 0 else earlier[-1]
    subject = text[core_start:core_end].strip(" ,:-")
    subject_p = p[core_start:core_end].strip(" ,:-")
    after = text[num_end:end]
    after = re.sub(r"^\s*(?:trở lên|trở xuống|tro len|tro xuong)\b", "", after, flags=re.I)
    after = after.strip(" ,.:;-")
    has_dat = re.search(r"\b(?:dat|len)\b", link_words) is not None
    has_rate = re.search(r"\bty le\b", link_words) is not None
    if subject and has_dat:
        name = _drop_leading_verbs(subject, subject_p)
        if has_rate and not _MEASURE_HEAD.match(plain(name)):
            name = "Tỷ lệ " + _lower_first(name)
    elif not subject:
        if not after:
            return "", link_words
        after = re.sub(r"^(?:các|những)\s+", "", after, flags=re.I)
        name = "Tỷ lệ " + _lower_first(after)
    else:
        head = subject
        found = list(_SUBJECT_START.finditer(plain(subject)))
        if found:
            head = subject[found[-1].end() :]
        elif "," in head:
            head = head[head.rfind(",") + 1 :]
        verb = " ".join(head.split()[-3:]) if len(head.split()) > 3 else head
        verb_p = plain(verb)
        if re.search(r"\b(?:dat|la)\b", verb_p) or not after:
            return "", link_words
        name = f"{verb} {after}"
    name = " ".join(name.split()).strip(" ,.;:-")
    return (name[:1].upper() + name[1:] if name else ""), link_words


def _drop_leading_verbs(subject: str, subject_p: str) -> str:
    m = _LEADING_VERBS.match(subject_p)
    if m and m.end() < len(subject_p):
        return subject[m.end() :]
    return subject


def _lower_first(text: str) -> str:
    """Lower-case the first word unless it is an acronym ("TTHC", "UBND")."""
    words = text.split(" ", 1)
    if words and (len(words[0]) > 1 and words[0].isupper()):
        return text
    return text[:1].lower() + text[1:]
