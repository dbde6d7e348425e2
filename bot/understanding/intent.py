"""The words that make a message an undo, a correction, a help request or a question.

Everything here reads ``plain(text)`` (lower case, no diacritics, same length as the
NFC text) or the fold key, so "hủy", "huy" and "HỦY" read alike. Where a plain word is
also another word with other diacritics ("nào"/"não"), the typed form is checked.
"""

from __future__ import annotations

import re

__all__ = [
    "asks_comparison",
    "asks_deadlines",
    "asks_figures_missing",
    "asks_open_tasks",
    "asks_own_gaps",
    "asks_ranking",
    "asks_task_list",
    "asks_who_reported",
    "correction_prefix",
    "is_help",
    "is_undo",
    "opens_asking",
    "question_kind",
    "question_spans",
    "question_words",
]

_POLITE = r"(?:\s+(?:a|nhe|nha|nhen|giup|giup em|giup toi|di|voi|em|ban|bot|ak|ah|nhe bot))*"

# "hủy", "/huy", "hủy báo cáo", "xóa báo cáo vừa rồi", "huỷ bc vừa gửi", "thu hồi báo cáo".
_OBJECT = r"(?:bao cao|bc|tin nhan|tin|ban tin|cai|lan bao cao)"
_UNDO = re.compile(
    r"(?:/?(?:huy|xoa|xoa bo|huy bo|thu hoi|rut lai)(?:@\w+)?(?:\s+" + _OBJECT + r")?"
    r"|bo\s+" + _OBJECT + r")"
    r"(?:\s+(?:vua roi|vua gui|vua nay|vua xong|luc nay|truoc|truoc do|cuoi|moi gui|nay|do|kia|"
    r"vua bao|da gui|em vua gui|em gui))?" + _POLITE
)
# A leading word that says "this corrects what I sent": "sửa:", "sửa lại:", "đính chính".
_CORRECTION = re.compile(
    r"\s*(?:(?P<strong>dinh chinh|sua lai|chinh lai|cap nhat lai|bao cao lai)(?!\w)"
    r"\s*[:\-–]?|(?P<weak>sua)(?!\w)\s*(?P<colon>[:\-–])?)\s*"
)
# Help: "trợ giúp", "hướng dẫn", "help", "cách báo cáo", "báo cáo thế nào", "/start".
_HELP = re.compile(
    r"^(?:/?(?:help|start|tro giup|huong dan)(?:@\w+)?"
    r"|(?:xin |cho (?:em |toi |minh )?(?:xin )?)?(?:tro giup|huong dan|help)"
    r"(?: (?:su dung|cach dung|dung bot|bao cao|cach bao cao|voi|a|nhe|em|giup|bot))*"
    r"|(?:cach|lam sao de|lam the nao de|lam sao|phai) (?:bao cao|dung bot|su dung bot|nhap)"
    r"(?: \w+){0,4}"
    r"|(?:bao cao|dung bot|su dung bot) (?:nhu )?the nao(?: \w+){0,2}"
    r"|(?:huong dan|tro giup|help)(?: \w+){0,5}"
    r")$"
)

# Question words, on plain text. "… chưa" / "… không" ask only at the end of a clause
# ("đạt chưa?", "xong chưa ạ", "có đạt không?"): "chưa xong" and "không đạt" report.
_CLAUSE_END = r"\s*(?:a|vay|the|nhi|ha|nhe|ak|ah|ban|bot|em|anh|chi)?\s*\??\s*$"
# What is to be sent: "tháng này phải báo cáo gì", "cần gửi những gì", "phải nộp gì cho
# văn phòng"; "(còn) gửi gì nữa không" also without its "còn", cut off with the report
# before it ("đã gửi báo cáo rồi, còn …"); "không phải gửi gì nữa" says something.
_TO_SEND = (
    r"(?:(?:can|phai|con|se) (?:bao cao|bc|gui|nop|cap nhat)(?: (?:nhung|cac))?"
    r"(?: (?:viec|bao cao|bc|so lieu|chi tieu|noi dung|cai))? (?:gi|nao|cai gi)"
    r"|(?<!khong phai )(?<!khong can )(?:bao cao|bc|gui|nop|cap nhat)(?: them)? (?:gi|cai gi)"
    r"(?: them)? nua)"
)
# "(còn) làm gì nữa": what is left to do.
_LEFT_TO_DO = r"(?<!khong phai )(?<!khong can )lam(?: them)? (?:gi|cai gi)(?: them)? nua"
_QUESTION = re.compile(
    r"(?<!\w)(?:(?:nhu )?the nao|thenao|ntn|ra sao|rasao|thi sao|bao nhieu|bao nhiu|sao roi|sao r|"
    r"den dau(?: roi)?|"
    r"(?:xa|phuong|don vi|nhiem vu|nv|noi dung|chi tieu|so lieu|ai|co quan|phong|viec|"
    r"cong viec|ngay|hom) nao|"
    # what a task is ("nhiệm vụ 4.3 là gì"), what is left to do ("cần làm gì", "còn
    # những việc gì chưa làm"; "không có việc gì vướng" says something)
    r"la (?:(?:nhiem vu|nv|viec|noi dung|cong viec) )?gi|"
    r"(?:can|phai|con|se) (?:lam|thuc hien)(?: (?:nhung|cac))?"
    r"(?: (?:viec|nhiem vu|nv|cong viec))? (?:gi|nao)|" + _TO_SEND + "|"
    r"(?<!khong co )(?<!khong )(?:nhung |cac )?(?:viec|cong viec) (?:gi|nao)|" + _LEFT_TO_DO + "|"
    r"ai chua|ai da|ai (?:con )?thieu|bao gio|khi nao|luc nao|(?:duoc|dc) (?:chua|chx)|"
    r"(?:xong|hoan thanh|bao cao|ht|lam|nop|gui|xu ly|dat|co|kip|cap nhat|thuc hien|"
    r"trien khai|so hoa|ban hanh|niem yet|du|day du|het|du het) (?:chua|chx|roi chu|chua vay)"
    + _CLAUSE_END
    + "|"
    r"(?:xong|hoan thanh|dat|duoc|kip|on) (?:khong|ko|khg|hong|hok)" + _CLAUSE_END + "|"
    # "còn thiếu gì", "thiếu báo cáo gì không": what is left to do ("chưa làm gì", "không
    # thiếu gì" say something)
    r"(?<!khong )(?:con )?thieu"
    r"(?: (?:bao cao|ho so|nhiem vu|nv|so lieu|chi tieu))? (?:nhung )?(?:gi|cai gi|nao)"
    r"(?: khong| ko)?" + _CLAUSE_END + "|"
    r"(?:tinh hinh|tien do|ket qua|so lieu) (?:the nao|ra sao|sao roi|den dau)|"
    # "chậm những việc gì", "quá hạn gì", "còn nợ nhiệm vụ gì": which tasks
    r"(?:cham|qua han|tre han|no|vuong|vuong mac|ton)"
    r"(?: (?:nhung|cac))?(?: (?:viec|nhiem vu|nv|noi dung|cai|khoan))? (?:gi|chi)"
    + _CLAUSE_END
    + r")(?!\w)"
)
# "nào" typed with other diacritics is another word ("não", "nạo").
_NAO_FORMS = frozenset({"nao", "nào"})
_NAO = re.compile(r"(?<!\w)nao(?!\w)")
# Openings of a question or a request for a summary (when no status and no figure).
_ASKING_OPENERS = re.compile(
    r"^\s*(?:cho (?:toi |em |anh |chi |minh )?(?:xem|biet|hoi)\s+|xem\s+|hoi\s+|"
    r"bot oi[,\s]*|anh oi[,\s]*|chi oi[,\s]*)?"
    r"(?P<word>tinh hinh|tien do|tong hop|thong ke|danh sach|bao cao tong hop|"
    r"bao cao tinh hinh|so lieu|chi tieu)(?!\w)"
)
_SUMMARY_WORDS = re.compile(
    r"(?<!\w)(?:tinh hinh|tien do chung|tong hop|thong ke|bao cao nhanh|tom tat"
    r"|(?:ty|ti) le hoan thanh|ket qua thuc hien|so sanh)(?!\w)"
)
# How things compare with before: "so sánh với tháng trước"
_COMPARISON = re.compile(r"(?<!\w)so sanh(?!\w)")
# The whole ranking asked for: "bảng xếp hạng", "xếp hạng các xã"
_RANKING = re.compile(r"(?<!\w)(?:xep hang|thu hang)(?!\w)")
# A unit's list of tasks asked for: "danh sách nhiệm vụ", "các nhiệm vụ của xã mình",
# "nhiệm vụ của phường Lê Lợi", "xã mình có những nhiệm vụ nào", "còn làm gì nữa".
_TASK_LIST = re.compile(
    r"(?<!\w)(?:(?:danh sach|cac|nhung|tat ca|toan bo)\s+(?:cac\s+)?(?:nhiem vu|nv|viec)"
    r"|(?:nhiem vu|nv|viec|cong viec)\s+(?:duoc giao\s+)?(?:cua|giao cho)\s+\w+"
    r"|(?:can|phai|con)\s+(?:lam|thuc hien)(?:\s+(?:nhung|cac))?"
    r"(?:\s+(?:viec|nhiem vu|nv|cong viec))?\s+(?:gi|nao)"
    r"|(?:viec|nhiem vu|nv|cong viec)\s+(?:gi|nao)\s+(?:chua|con)(?:\s+\w+)?|"
    + _LEFT_TO_DO
    + r")(?!\w)"
)
# Only what is left to do: "cần làm gì", "còn việc gì chưa xong", "nhiệm vụ nào chưa
# hoàn thành".
_OPEN_TASKS = re.compile(
    r"(?<!\w)(?:(?:can|phai|con)\s+(?:lam|thuc hien)|chua\s+(?:lam|xong|hoan thanh|thuc hien|ht)"
    r"|con\s+(?:nhung\s+|cac\s+)?(?:viec|nhiem vu|nv|cong viec)|" + _LEFT_TO_DO + r")(?!\w)"
)


# What a unit has not sent or not met: "đã báo cáo đủ chưa", "còn thiếu gì", "chỉ tiêu
# nào chưa đạt", "số liệu tháng này", "tháng này phải báo cáo gì".
_OWN_GAPS = re.compile(
    r"(?<!\w)(?:thieu|(?:du|day du|het|du het) (?:chua|chx)|chua (?:dat|gui|nop)"
    r"|chi tieu|so lieu|" + _TO_SEND + r")(?!\w)"
)


# When things are due: "hạn báo cáo quý là ngày nào", "khi nào hết hạn gửi số liệu".
_DEADLINE = re.compile(r"(?<!\w)(?:han|han chot|thoi han|het han|den han)(?!\w)")
_WHEN = re.compile(r"(?<!\w)(?:ngay nao|hom nao|khi nao|bao gio|luc nao|la ngay|ngay may)(?!\w)")


# Figures not sent, asked of the units: "xã nào chưa gửi số liệu", "ai chưa nộp số liệu
# tháng 11", "đơn vị nào thiếu số liệu".
_FIGURES_MISSING = re.compile(
    r"(?<!\w)(?:(?:chua|chx|khong|ko) (?:gui|nop|bao cao|cap nhat|co)|thieu) (?:so lieu|chi tieu)"
    r"(?!\w)"
)

# Who has reported: "hôm nay ai đã báo cáo?", "tuần này xã nào đã gửi báo cáo", "có báo
# cáo mới không", "hôm nay có gì mới" ("ai chưa báo cáo" asks who is late)
_WHO_REPORTED = re.compile(
    r"(?<!\w)(?:(?:ai|(?:nhung |cac )?(?:xa|phuong|don vi|dv|co quan|phong) nao)"
    r"(?: (?:da|vua|moi|co))? (?:gui |nop )?(?:bao cao|bc|so lieu)"
    r"|(?:bao cao|tin|gi) moi)(?!\w)"
)


# The units doing best asked for: "xã nào làm tốt nhất", "đơn vị nào dẫn đầu", "top 5
# xã", "xã nào hoàn thành nhiều nhất" (with a word of lateness it asks who is worst)
_BEST = re.compile(
    r"(?<!\w)(?:(?:tot|gioi|nhanh|dung han) nhat|dan dau|xuat sac|top(?: \d+)?|"
    r"(?:hoan thanh|xong|lam duoc) (?:nhieu|som) nhat)(?!\w)"
)
_WORST = re.compile(r"(?<!\w)(?:cham|tre|qua han|chua|kem|yeu|thap)(?!\w)")

# The office asking to remind units: "nhắc các xã chậm", "đôn đốc các đơn vị chưa gửi số
# liệu", "bot nhắc giúp các phường quá hạn" (units in the plural: "nhắc tôi …" is not)
_CHASE = re.compile(
    r"^\s*(?:(?:bot|ban|hay|em|anh|chi)\s+)*(?:nhac(?:\s+nho)?|don doc)\s+"
    r"(?:(?:giup|lai|ngay|di)\s+)*(?:(?:cac|nhung|tat ca(?:\s+cac)?)\s+)?"
    r"(?:xa|phuong|don vi|dv|thi tran|co quan|ben|noi|dia phuong)(?!\w)"
)


def is_undo(folded: str) -> bool:
    """Whether the whole message asks to take back the last report."""
    return bool(_UNDO.fullmatch(folded.strip()))


def is_help(folded: str) -> bool:
    return bool(_HELP.match(folded.strip()))


def correction_prefix(p: str) -> tuple[int, bool] | None:
    """Where a leading "sửa:"/"đính chính" ends in ``p`` and whether it is explicit.

    Explicit: "sửa:", "sửa lại", "đính chính" (the message is a correction even with
    nothing readable after it). A bare "sửa" without a colon counts only when a report
    follows; the caller decides.
    """
    m = _CORRECTION.match(p)
    if m is None:
        return None
    if m.group("strong"):
        return m.end(), True
    return m.end(), bool(m.group("colon"))


def question_words(t: str, p: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The spans of the question words in ``p[start:end]``, a whole clause (its end is
    where "… chưa?" may stand); ``t`` is the typed text ("não" is not "nào")."""
    found = []
    for m in _QUESTION.finditer(p, start, len(p) if end is None else end):
        typed = (t[n.start() + m.start() : n.end() + m.start()] for n in _NAO.finditer(m.group()))
        if all(word.lower() in _NAO_FORMS for word in typed):
            found.append(m.span())
    return found


# A clause of its own that asks for a summary: "tình hình tháng này", "cho xem tiến độ".
_ASKING_CLAUSE = re.compile(
    r"^\s*(?:cho (?:toi |em |anh |chi |minh )?(?:xem|biet|hoi)\s+|xem\s+|hoi\s+|"
    r"bot oi[,\s]*)?(?:tinh hinh|tien do)(?!\w)[^:]*$"
)


def opens_asking(p: str) -> bool:
    """Whether the clause ``p`` is a summary asked for ("tình hình tháng này", "cho xem
    tiến độ xã Sơn Dương"); a heading before a colon ("Tiến độ:", "Số liệu tháng 11:")
    is not."""
    return _ASKING_CLAUSE.match(p) is not None


def question_kind(t: str, p: str, *, has_status: bool, has_figure: bool) -> bool:
    """Whether the message is a question (answered by the summaries)."""
    if question_words(t, p) or asks_chase(p):
        return True
    stripped = p.rstrip()
    if not has_status and not has_figure:
        if _ASKING_OPENERS.match(p) or _SUMMARY_WORDS.search(p) or asks_task_list(p):
            return True
        if asks_who_reported(p) or asks_ranking(p) or asks_best(p):
            return True
        if stripped.endswith("?"):
            return True
    return False


def asks_task_list(p: str) -> bool:
    """Whether ``p`` (plain) asks for a unit's list of tasks ("nhiệm vụ của xã mình",
    "tháng này cần làm gì")."""
    return _TASK_LIST.search(p) is not None


def asks_open_tasks(p: str) -> bool:
    """Whether a list of tasks asked for is of those left to do ("cần làm gì", "còn việc
    gì chưa xong")."""
    return _OPEN_TASKS.search(p) is not None


def asks_own_gaps(p: str) -> bool:
    """Whether ``p`` (plain) asks what a unit has not sent or not met ("đã báo cáo đủ
    chưa", "còn thiếu gì", "chỉ tiêu nào chưa đạt"): an official gets their own unit's."""
    return _OWN_GAPS.search(p) is not None and _SUMMARY_WORDS.search(p) is None


def asks_deadlines(p: str) -> bool:
    """Whether ``p`` (plain) asks when things are due ("hạn báo cáo quý là ngày nào",
    "khi nào hết hạn gửi số liệu")."""
    return _DEADLINE.search(p) is not None and _WHEN.search(p) is not None


def asks_figures_missing(p: str) -> bool:
    """Whether ``p`` (plain) asks who has not sent the figures ("xã nào chưa gửi số
    liệu")."""
    return _FIGURES_MISSING.search(p) is not None


def asks_who_reported(p: str) -> bool:
    """Whether ``p`` (plain) asks which units have reported lately ("hôm nay ai đã báo
    cáo?", "có báo cáo mới không")."""
    return _WHO_REPORTED.search(p) is not None


def asks_comparison(p: str) -> bool:
    """Whether ``p`` (plain) asks how things compare with before ("so sánh với tháng
    trước"): the standing now, which says it."""
    return _COMPARISON.search(p) is not None


def asks_ranking(p: str) -> bool:
    """Whether ``p`` (plain) asks for the ranking of every unit ("bảng xếp hạng")."""
    return _RANKING.search(p) is not None


def asks_chase(p: str) -> bool:
    """Whether ``p`` (plain) asks to remind units ("nhắc các xã chậm", "đôn đốc các đơn
    vị chưa gửi số liệu"): who they are, with the office's button that reminds them."""
    return _CHASE.match(p) is not None


def asks_best(p: str) -> bool:
    """Whether ``p`` (plain) asks which units are doing best ("xã nào làm tốt nhất",
    "đơn vị nào dẫn đầu"): none asking who is behind ("xã nào chậm nhất")."""
    return _BEST.search(p) is not None and _WORST.search(p) is None


def question_spans(p: str) -> list[tuple[int, int]]:
    """Where the question and summary words are, to leave them out of what is asked about."""
    spans = [m.span() for m in _QUESTION.finditer(p)]
    spans += [m.span() for m in _SUMMARY_WORDS.finditer(p)]
    spans += [m.span() for m in _WHO_REPORTED.finditer(p)]
    for opening in (_ASKING_OPENERS.match(p), _CHASE.match(p)):
        if opening is not None:
            spans.append(opening.span())
    return spans
