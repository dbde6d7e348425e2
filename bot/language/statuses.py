"""Task statuses in what officials type: ``xong``, ``chưa hoàn thành``, ``chậm do …``.

Matching runs on ``plain(text)`` on whole words, so ``chua xong`` and ``chưa xong`` read
the same; spans index ``nfc(text)``. Decisions on ambiguous input:

* Negated and modal phrases win over the phrase inside them (``chưa hoàn thành`` is in
  progress, ``chưa thực hiện``, ``chưa tổ chức``, ``chưa rà soát`` … not started);
  otherwise the longest phrase wins and mentions never overlap.
* ``không xong``/``không hoàn thành``, ``sẽ``/``sắp``/``dự kiến hoàn thành``,
  ``hoàn thành một phần``, ``(mới làm) được một nửa`` and ``đang`` with a task's own verb
  (``đang rà soát``, ``đang xây dựng``, ``đang chờ ý kiến``) are in progress; ``tạm
  dừng``, ``gặp khó khăn``, ``không (thể) thực hiện được``, ``chưa làm được`` are
  delayed (held up, not merely not begun); ``không chậm``, ``không vướng mắc``,
  ``không quá hạn``, ``không có gì vướng mắc``, ``không gặp khó khăn`` mention no
  status.
* Status words right after a reason word are the reason's ("chậm do gặp khó khăn",
  "chậm vì chưa triển khai được"): no mention of their own.
* A word typed with other diacritics is another word: ``chấm``, ``trẻ``, ``vương``,
  ``đăng``, ``dạ`` are not ``chậm``, ``trễ``, ``vướng``, ``đang``, ``đã``; without
  diacritics they are read as the status words.
* ``ht`` and ``HT`` are "hoàn thành", ``th`` after "chưa", "đang", "đã" is "thực
  hiện"; ``ok`` alone is not a status, ``ok xong`` is; a check mark (✅, ✔, ☑) is
  done; "đã hoàn thiện", and "hoàn thiện" ending its clause, are done ("đang hoàn
  thiện", "chưa hoàn thiện" in progress; "hoàn thiện biểu mẫu" is a task's words); put
  up for signature ("đã trình ký", "chờ ký") in progress;
  a keyboard's slips in them are read (``xog``, ``hoanthanh``, ``hoan thnah``), and chat's ``xg``.
* A product sent or issued is the work done: ``đã gửi (báo cáo)``, ``đã nộp``, ``đã ban
  hành``, ``đã niêm yết``; ``chưa gửi`` … is not started.
* :func:`split_reason` cuts at the first reason word after the first status mention
  (``do`` also means "by": "nv 2 do VP chủ trì chậm do thiếu người"); with no status
  mention, at the first reason word. A reason word at the very start, or with nothing
  after it, does not split.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from bot.language.normalize import nfc, plain

__all__ = ["Status", "StatusMention", "find_statuses", "parse_status", "split_reason"]


class Status(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DELAYED = "delayed"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class StatusMention:
    """A status phrase found in text; ``span`` indexes ``nfc(text)``."""

    status: Status
    span: tuple[int, int]
    text: str


# Accepted spellings of words whose plain form is ambiguous: typed without diacritics a
# word is accepted, typed with diacritics it must be one of these.
_FORMS: dict[str, frozenset[str]] = {
    "chua": frozenset({"chưa"}),
    "khong": frozenset({"không"}),
    "cham": frozenset({"chậm"}),
    "tre": frozenset({"trễ"}),
    "vuong": frozenset({"vướng"}),
    "mac": frozenset({"mắc"}),
    "dang": frozenset({"đang"}),
    "lam": frozenset({"làm"}),
    "da": frozenset({"đã"}),
    "kip": frozenset({"kịp"}),
    "han": frozenset({"hạn"}),
    "qua": frozenset({"quá", "qúa"}),
    "tien": frozenset({"tiến"}),
    "do": frozenset({"độ"}),
    "se": frozenset({"sẽ"}),
    "sap": frozenset({"sắp"}),
    "gan": frozenset({"gần"}),
    "hoan": frozenset({"hoàn"}),
    "thanh": frozenset({"thành"}),
    "tat": frozenset({"tất"}),
    "co": frozenset({"có"}),
    "xong": frozenset(),
    "tam": frozenset({"tạm"}),
    "dung": frozenset({"dừng", "dụng"}),  # "tạm dừng"; "không áp dụng"
    "ngung": frozenset({"ngưng", "ngừng"}),
    "gap": frozenset({"gặp"}),
    "kho": frozenset({"khó"}),
    "khan": frozenset({"khăn"}),
    "the": frozenset({"thể"}),
    "duoc": frozenset({"được"}),
    "phan": frozenset({"phần"}),
    "nua": frozenset({"nửa"}),
}

_NO = r"(?:khong|khg|ko|k|kh|hok)"
# with the slips of a phone keyboard: a letter dropped ("xog"), two swapped ("hoan
# thnah"), the space left out ("hoanthanh")
_DONE_WORDS = r"(?:xong|xog|xg|hoan\s*thanh|hoan\s+th(?:nah|ahn)|hoan\s+tat|hthanh|h\.\s?thanh)"

# (status or None for a phrase that only blocks others, tier, pattern). Lower tiers are
# chosen first: negated and modal phrases before the words inside them.
_PHRASES: list[tuple[Status | None, int, str]] = [
    (
        Status.NOT_STARTED,
        0,
        r"chua (?:duoc )?(?:thuc hien|th|lam|bat dau|trien khai|tien hanh|to chuc|xay dung|"
        r"ra soat|kiem tra|tap huan|tuyen truyen)|cth",  # "cth": chưa thực hiện
    ),
    # a product sent or issued: the work is done ("đã gửi báo cáo", "đã ban hành")
    (Status.NOT_STARTED, 0, r"chua (?:gui|nop|ban hanh|niem yet)"),
    (Status.IN_PROGRESS, 0, rf"(?:chua|{_NO}) {_DONE_WORDS}"),
    # will be, nearly or almost done ("sắp xong", "gần xong", "gần hoàn thành"): not yet
    (Status.IN_PROGRESS, 0, rf"(?:se|sap|du kien|gan(?: nhu)?|hau nhu) {_DONE_WORDS}"),
    (
        Status.IN_PROGRESS,
        0,
        r"(?:dang|dag|dg) (?:thuc hien|th|lam|trien khai|tien hanh|xu ly|xu li|hoan thien"
        r"|hoan thanh|chuan bi|soan thao|du thao|cho (?:phe duyet|duyet|ky)|trinh"
        # the task's own verb: "đang rà soát", "đang xây dựng kế hoạch", "đang chờ ý kiến"
        r"|ra soat|xay dung|tong hop|kiem tra|cap nhat|so hoa|niem yet|cong khai|tuyen truyen"
        r"|tap huan|to chuc|kien toan|danh gia|thong ke|cho (?:y kien|huong dan|ket qua))"
        r"|dth",  # "đth": đang thực hiện
    ),
    # "tỷ lệ hoàn thành 80%" names a share done, no status (at 100% it is done, below)
    (None, 0, r"(?:ty le|ti le|muc do|tien do) (?:hoan thanh|ht)(?! (?:dat )?100\s*%)"),
    # "hoàn thiện" (to finish, to perfect) not yet, or about to be
    (Status.IN_PROGRESS, 0, rf"(?:chua|{_NO}|se|sap|du kien|gan) hoan thien"),
    # put up for signature or approval: the product is made, not yet issued
    (Status.IN_PROGRESS, 0, r"(?:da )?trinh (?:ky|ki|duyet|phe duyet)|da trinh|cho (?:ky|ki)"),
    (Status.DELAYED, 0, r"chua kip"),
    # held up: paused, or cannot be done ("tạm dừng", "không thực hiện được vì …")
    (Status.DELAYED, 0, r"tam (?:dung|ngung)|(?:dung|ngung) thuc hien|gap kho khan"),
    (
        Status.DELAYED,
        0,
        rf"(?:{_NO}|chua) (?:the )?(?:thuc hien|th|lam|trien khai) duoc"
        rf"|{_NO} the (?:thuc hien|th|lam|trien khai)",
    ),
    # done in part: still in progress ("đã hoàn thành một phần", "xong một nửa", "mới làm
    # được một nửa")
    (
        Status.IN_PROGRESS,
        0,
        rf"(?:da )?{_DONE_WORDS} (?:(?:mot|1) phan|(?:mot|1) nua)"
        r"|(?:(?:moi|da) )?(?:(?:lam|thuc hien) )?(?:duoc|dc) (?:(?:mot|1) phan|(?:mot|1) nua)",
    ),
    (
        Status.NOT_APPLICABLE,
        0,
        rf"(?:{_NO}|chua) (?:co )?(?:(?:ho so|hs) )?phat sinh(?: (?:ho so|hs))?"
        rf"|{_NO} (?:ap dung|thuoc (?:doi tuong|tham quyen|pham vi))",
    ),
    # no delay, no difficulty: "không chậm", "không có gì vướng mắc", "không gặp khó khăn"
    (
        None,
        0,
        rf"(?:{_NO}|chua) (?:co |bi |gap )?(?:(?:viec|van de|dieu|gi|kho khan|nhung|cac) ){{0,3}}"
        r"(?:cham|tre|qua han|vuong mac|vuong|kho khan)",
    ),
    (Status.DELAYED, 1, r"(?:cham|tre) (?:tien do|han)"),
    (Status.DELAYED, 1, r"cham|tre|qua han|vuong mac|vuong"),
    (None, 1, r"cham (?:diem|cong|bai)|tre (?:em|so sinh|nho)"),
    (Status.DONE, 1, rf"(?:da |ok )?{_DONE_WORDS}(?: 100\s*%)?"),
    (Status.DONE, 1, r"da (?:thuc hien|th)|ht|done|\u2705|\u2714\ufe0f?|\u2611\ufe0f?"),
    (Status.DONE, 1, r"da (?:gui|nop|ban hanh|niem yet)"),
    # a report sent "already", without "đã": "em gửi báo cáo rồi", "bc quý 4 nộp rồi"
    (Status.DONE, 1, r"(?:gui|nop)(?= (?:lai )?(?:(?:bao cao|bc)(?: \S+){0,3} )?roi(?!\w))"),
    # "đã hoàn thiện", or "hoàn thiện" ending its clause ("nv 3.1 hoàn thiện"); before
    # its object it is a task's verb ("hoàn thiện biểu mẫu thống kê")
    (Status.DONE, 1, r"da hoan thien|hoan thien(?=\s*(?:[,;.!?\n]|$))"),
]
_COMPILED = [
    (status, tier, re.compile(r"(?<!\w)(?:" + pattern.replace(" ", r"\s+") + r")(?!\w)"))
    for status, tier, pattern in _PHRASES
]
_WORD_RE = re.compile(r"\w+")


def _spelled(t: str, p: str, start: int, end: int, forms: dict[str, frozenset[str]]) -> bool:
    for m in _WORD_RE.finditer(p, start, end):
        allowed = forms.get(m.group())
        if allowed is None:
            continue
        typed = t[m.start() : m.end()].lower()
        if typed != m.group() and typed not in allowed:
            return False
    return True


def _mentions(t: str, p: str) -> list[StatusMention]:
    candidates = []
    for status, tier, regex in _COMPILED:
        pos = 0
        while (m := regex.search(p, pos)) is not None:
            pos = m.start() + 1
            if _spelled(t, p, m.start(), m.end(), _FORMS):
                candidates.append((tier, m.start() - m.end(), m.start(), m.end(), status))
    candidates.sort(key=lambda c: c[:4])
    chosen: list[tuple[int, int, Status | None]] = []
    taken = bytearray(len(p))
    for _tier, _length, start, end, status in candidates:
        if not any(taken[start:end]):
            chosen.append((start, end, status))
            taken[start:end] = b"\x01" * (end - start)
    chosen.sort(key=lambda c: c[0])
    kept = [c for c in chosen if c[2]]
    return [
        StatusMention(status, (s, e), t[s:e])
        for k, (s, e, status) in enumerate(kept)
        if not (k and _in_reason(t, p, kept[k - 1][1], s))
    ]


_CLAUSE_END = re.compile(r"[,;.!?\n]")


def _in_reason(t: str, p: str, after: int, start: int) -> bool:
    """Whether a status phrase at ``start`` is the reason of the one ending at ``after``:
    a reason word before it in the clause, nothing ending the clause and no number (a
    task's code) in between ("chậm do gặp khó khăn", "chậm vì chưa triển khai được",
    "chậm do bên thuế chưa gửi")."""
    between = p[after:start]
    if _CLAUSE_END.search(between):
        return False
    for m in _REASON_RE.finditer(p, after, start):
        if re.search(r"\d", p[m.end() : start]) or not _is_reason_word(p, m.start(), m.end()):
            continue
        if _spelled(t, p, m.start(), m.end(), _REASON_FORMS):
            return True
    return False


def find_statuses(text: str) -> list[StatusMention]:
    """Status mentions in order of appearance.

    >>> [m.status.value for m in find_statuses("nv 2.1 chua hoan thanh, 2.2 xong")]
    ['in_progress', 'done']
    """
    t = nfc(text)
    return _mentions(t, plain(t))


def parse_status(text: str) -> Status | None:
    """The status when the text mentions exactly one (possibly more than once), else None."""
    statuses = {m.status for m in find_statuses(text)}
    return statuses.pop() if len(statuses) == 1 else None


_REASON_FORMS: dict[str, frozenset[str]] = {
    "do": frozenset(),  # "đo", "độ", "đồ", "dở" are other words
    "vi": frozenset({"vì"}),
    "ly": frozenset({"lý", "lí"}),
    "li": frozenset({"lí"}),
    "la": frozenset({"là"}),
    "tai": frozenset({"tại"}),
    "boi": frozenset({"bởi"}),
    "nguyen": frozenset({"nguyên"}),
    "nhan": frozenset({"nhân"}),
}
_REASON_RE = re.compile(
    r"(?<!\w)(?:nguyen\s+nhan|ly\s+do|li\s+do|la\s+do|tai\s+vi|boi\s+vi|do|vi)(?!\w)"
)
_IS_RE = re.compile(r"\s*:?\s*la(?!\w)")  # "nguyên nhân là …"
# Words around "do"/"vi" that make them part of another word, on plain text without
# diacritics: "tien do" (tiến độ), "do thi" (đô thị), "don vi" (đơn vị), "vi pham" …
_NOT_REASON_BEFORE = {
    "do": {"tien", "muc", "trinh", "che", "nhiet", "toc", "mat", "cuong", "gioi", "ban"},
    "vi": {"don", "pham", "hanh", "dia"},
}
_NOT_REASON_AFTER = {
    "do": {"thi", "dang", "luong", "do", "dung", "an"},
    "vi": {"pham", "tinh", "du", "the", "vay", "sao", "mo"},
}
_PUNCT = ",;:.-\u2013\u2014"


def _edge(ch: str) -> bool:
    return ch.isspace() or ch in _PUNCT


def _rtrim(s: str) -> str:
    end = len(s)
    while end and _edge(s[end - 1]):
        end -= 1
    return s[:end]


def _trim(s: str) -> str:
    start = 0
    while start < len(s) and _edge(s[start]):
        start += 1
    return _rtrim(s[start:])


def _is_reason_word(p: str, start: int, end: int) -> bool:
    word = p[start:end]
    if word not in _NOT_REASON_BEFORE:
        return True
    before = p[max(0, start - 30) : start].split()
    after = p[end : end + 30].split()
    if before and before[-1] in _NOT_REASON_BEFORE[word]:
        return False
    return not (after and after[0].strip(".,;:!?") in _NOT_REASON_AFTER[word])


def split_reason(text: str) -> tuple[str, str | None]:
    """Split off a trailing reason: ``"nv 7.1 chậm do thiếu người"`` → ``("nv 7.1 chậm",
    "thiếu người")``; ``(text, None)`` when there is none.
    """
    t = nfc(text)
    p = plain(t)
    mentions = _mentions(t, p)
    after = mentions[0].span[1] if mentions else 0
    pos = after
    while (m := _REASON_RE.search(p, pos)) is not None:
        pos = m.start() + 1
        if not _spelled(t, p, m.start(), m.end(), _REASON_FORMS):
            continue
        if not _is_reason_word(p, m.start(), m.end()):
            continue
        end = m.end()
        is_ = _IS_RE.match(p, end) if m.group()[:2] in ("ng", "ly", "li") else None
        if is_ and _spelled(t, p, end, is_.end(), _REASON_FORMS):
            end = is_.end()  # "lý do là …"
        before = _rtrim(t[: m.start()])
        reason = _trim(t[end:])
        if before and reason:
            return before, reason
    return text, None
