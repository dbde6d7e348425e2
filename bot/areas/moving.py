"""A task's deadline set or moved by the office: ``/giahan 4.3 31/12/2026``, "gia hạn nv
4.3 đến 31/12", "đặt hạn nv 5.1 ngày 30/12" (a task "Khi có yêu cầu"), and **Đồng ý đổi
hạn** under the proposal, which moves it and rebuilds the reminders. An official asks
for it instead ("xin gia hạn nv 4.3 đến 31/12 vì …"): the office gets a notice with the
same button, and **Không đồng ý**, which tells the official no."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from bot.areas.routes import commands
from bot.buttons import DeclineRequest, MoveDeadline
from bot.language.normalize import nfc, plain
from bot.language.numbers import find_task_codes
from bot.language.periods import PeriodKind, find_periods
from bot.language.statuses import split_reason
from bot.services import access, plans
from bot.services.identity import Actor
from bot.services.inbound import Claim
from bot.transport import Incoming, Reply
from bot.views import plans as plan_views

if TYPE_CHECKING:
    from bot.core import Core

# The words that open the office's message: "gia hạn", "đặt hạn", "đổi hạn", "lùi hạn".
_OPENING = re.compile(r"\s*/?(?:gia\s*han|dat\s+han|doi\s+han|lui\s+han)(?:@\w+)?(?!\w)")
# An official's request: "xin gia hạn", "đề nghị cho xã được lùi hạn", "em xin kéo dài
# thời hạn", "đề xuất đổi hạn"
_REQUEST = re.compile(
    r"(?<!\w)(?:xin|de nghi|de xuat|kien nghi)\s+(?:cho\s+(?:\w+\s+){0,4}?)?(?:duoc\s+)?"
    r"(?:gia\s*han|lui\s+(?:thoi\s+)?han|keo\s+dai\s+(?:thoi\s+)?han|doi\s+han)(?!\w)"
)
# What closes a request politely, not part of its reason: "… ạ", "… nhé", "…!"
_POLITE_END = re.compile(r"(?:[\s,.!]+(?:a|nhe|nha|nhen|ak|ah)(?!\w))*[\s,.!]*\Z")
# A day by its numbers: "31/12", "31/12/2026", "31-12-2026", "31.12.2026" (a dot only with
# the year: "4.3" is a task)
_DAY = re.compile(
    r"(?<![\d./-])(?P<d>\d{1,2})\s*(?:[/-]\s*(?P<m>\d{1,2})(?:\s*[/-]\s*(?P<y>\d{4}|\d{2}))?"
    r"|\.(?P<m2>\d{1,2})\.(?P<y2>\d{4}))(?![\d./-])"
)
# A code written bare right after them: "gia hạn 5 đến 30/12" (after "nv" it is found as
# any code is)
_BARE_CODE = re.compile(r"\s*(?:cho\s+)?(?:nhiem vu|nv)?\s*(?P<code>[0-9]{1,3})(?!\w)")


def is_deadline_move(text: str) -> bool:
    """Whether a message asks to set or move a task's deadline ("gia hạn nv 4.3 …")."""
    return _OPENING.match(plain(text)) is not None


def is_deadline_request(text: str) -> bool:
    """Whether a message asks for more time on a task ("xin gia hạn nv 4.3 …")."""
    return _REQUEST.search(plain(text)) is not None


def command(core: Core, incoming: Incoming, claim: Claim) -> list[Reply]:
    """``/giahan <task> <day>``."""
    return moved_by_words(core, claim.actor, "gia han " + " ".join(incoming.args))


def moved_by_words(core: Core, actor: Actor, text: str) -> list[Reply]:
    """The proposal (with **Đồng ý đổi hạn**), or what is wrong; without a task and a day,
    the officials' requests waiting, and how to write one."""
    language = actor.language
    if not access.may_do(actor, access.Act.SET_DEADLINE):
        may_ask = actor.unit_id is not None
        return [plan_views.deadline_office_only_reply(language, may_ask=may_ask)]
    today = core.today()
    asked = read_deadline(text, today)
    if asked is None and find_task_codes(text):  # the day is missing
        return [plan_views.deadline_usage_reply(language)]
    if asked is None:  # "/giahan" alone, "ai xin gia hạn?": the requests waiting
        pending = plans.pending_requests(core.db, today, viewer=actor)
        return [plan_views.deadline_requests_reply(pending, language, core.settings.tz)]
    code, day = asked
    found = plans.propose(core.db, code, day, today, viewer=actor)
    return [plan_views.deadline_reply(found, day, language)]


# Where a request's clause ends: a line, ";", a full stop, or a comma before another task
# ("xin gia hạn nv 4.2 đến 15/1, nv 4.3 xong"; a comma before "vì …" is the reason's)
_CLAUSE_END = re.compile(r"[;\n]|\.(?=\s|$)|,(?=\s*(?:nv|nvu|nhiem vu)(?!\w))")
# Where the clause before it ends: a line, ";", a full stop or a comma
_CLAUSE_START = re.compile(r"[;\n,]|\.(?=\s)")
# What a message's other part holds when it says nothing of its own: codes, list words
_NOTHING_ELSE = re.compile(r"(?:[\s,.;:\-–]|nv|nvu|nhiem vu|va)*")


def split_request(text: str) -> tuple[str, str]:
    """A message asking for more time, split into the request's clause and the rest, a
    report in the same message ("nv 4.3 đã xong, xin gia hạn nv 4.2 đến 15/1"). A request
    naming no task takes the one right before it ("nv 4.2 đang làm, xin gia hạn đến
    15/1"), which stays in the rest too; a rest with nothing but that code is empty."""
    text = nfc(text)  # the spans of plain() are nfc()'s
    folded = plain(text)
    asked = _REQUEST.search(folded)
    if asked is None:
        return text, ""
    starts = [m.end() for m in _CLAUSE_START.finditer(folded, 0, asked.start())]
    start = starts[-1] if starts else 0
    end_at = _CLAUSE_END.search(folded, asked.end())
    end = end_at.start() if end_at else len(text)
    request, rest = text[start:end], text[:start] + " " + text[end:]
    if not find_task_codes(request):
        before = find_task_codes(text[:start])
        if before:
            request = f"nv {before[-1].code} {request}"
    codes = find_task_codes(rest)
    left = rest
    for code in reversed(codes):
        left = left[: code.span[0]] + " " + left[code.span[1] :]
    if _NOTHING_ELSE.fullmatch(plain(left)):
        rest = ""
    return request, rest.strip(" ,;.\n")


def requested_by_words(core: Core, actor: Actor, text: str, addressed: bool) -> list[Reply]:
    """An official's request sent to the office, or what is missing or wrong (in a group,
    a request without its task or day only when said to the bot); the office's own
    words are a proposal."""
    if access.may_do(actor, access.Act.SET_DEADLINE):
        return moved_by_words(core, actor, text)
    language = actor.language
    if actor.unit_id is None:  # a leader: the office's to decide
        return [plan_views.deadline_office_only_reply(language)] if addressed else []
    words, reason = split_reason(text)  # (in NFC, as plain() counts)
    if reason:
        reason = reason[: _POLITE_END.search(plain(reason)).start()] or None
    today = core.today()
    found = _REQUEST.search(plain(words))
    if found is not None:  # the code may be on either side: "nv 4.3 xin gia hạn đến 31/12"
        words = words[: found.start()] + " " + words[found.end() :]
    asked = read_deadline(words, today)
    if asked is None:
        return [plan_views.deadline_request_usage_reply(language)] if addressed else []
    code, day = asked
    sent = plans.request(core.db, code, day, today, core.clock(), reason, viewer=actor)
    return [plan_views.deadline_request_reply(sent, day, language)]


def read_deadline(text: str, today: date) -> tuple[str, date] | None:
    """The task's code and the day a message names; None without both. A day written
    without its year is the next one from today ("31/12", "15/1" in December)."""
    text = nfc(text)
    opening = _OPENING.match(plain(text))
    rest = text[opening.end() :] if opening else text
    found = _day(rest, today)
    if found is None:
        return None
    day, span = found
    without_day = rest[: span[0]] + " " * (span[1] - span[0]) + rest[span[1] :]
    codes = find_task_codes(without_day)
    if codes:
        return codes[0].code, day
    bare = _BARE_CODE.match(plain(without_day))
    return (bare.group("code"), day) if bare else None


def _day(text: str, today: date) -> tuple[date, tuple[int, int]] | None:
    """The day ``text`` names and where: "31/12/2026", "31-12", "31.12.2026", "ngày 31
    tháng 12 năm 2026", "hết tháng 12" (its last day); a day without its year: the next
    one from today."""
    written = _DAY.search(text)
    if written is not None:
        month = int(written["m"] or written["m2"])
        year = int(written["y"] or written["y2"] or 0) or None
        if year is not None and year < 100:
            year += 2000
        try:
            found = date(year or today.year, month, int(written["d"]))
        except ValueError:
            return None
        return (found if year else _next(found, today)), written.span()
    mentions = find_periods(text, today)
    days = [m for m in mentions if m.period.kind is PeriodKind.DAY]
    # a day named in words; else a month, quarter or year ("đến hết tháng 12"): its last
    # day (the last one named: "nv 4.3 quý 4 xin lùi đến tháng 1/2027")
    mention = days[0] if days else (mentions[-1] if mentions else None)
    if mention is None:
        return None
    found = mention.period.end
    if not re.search(r"\d{4}", mention.text):
        found = _next(found, today)
    return found, mention.span


def _next(day: date, today: date) -> date:
    """``day``'s day and month, on or after ``today``."""
    for year in (today.year, today.year + 1):
        try:
            found = day.replace(year=year)
        except ValueError:  # 29/2
            continue
        if found >= today:
            return found
    return day


def _confirmed(core: Core, incoming: Incoming, claim: Claim, data: MoveDeadline) -> list[Reply]:
    actor = claim.actor
    if not access.may_do(actor, access.Act.SET_DEADLINE):
        return [plan_views.deadline_office_only_reply(actor.language)]
    found = plans.move(
        core.db, data.task_id, data.day.start, core.today(), core.clock(), viewer=actor
    )
    if isinstance(found, plans.Move):
        core.rebuild_schedule()  # the reminders follow the new deadline
    return [plan_views.deadline_moved_reply(found, data.day.start, actor.language)]


def _declined(core: Core, incoming: Incoming, claim: Claim, data: DeclineRequest) -> list[Reply]:
    actor = claim.actor
    if not access.may_do(actor, access.Act.SET_DEADLINE):
        return [plan_views.deadline_office_only_reply(actor.language)]
    found = plans.decline(core.db, data.request_id, core.clock(), viewer=actor)
    return [plan_views.deadline_declined_reply(found, actor.language)]


COMMANDS = commands(command, "giahan", "deadline")
BUTTONS = {MoveDeadline: _confirmed, DeclineRequest: _declined}
