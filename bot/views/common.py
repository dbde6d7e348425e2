"""Replies about registration, help and groups, rendered through the locale catalogue."""

from __future__ import annotations

import re
import secrets
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, tzinfo

from bot.checks import required
from bot.i18n import translations
from bot.matching import Decision, UnitEntry, UnitMatch
from bot.services.access import View, may_see
from bot.services.groups import BindResult
from bot.services.identity import Actor, Redeem, RedeemResult
from bot.transport import Reply
from storage.models import Role


def and_more(count: int, what: str, _) -> str:
    """ "and 7 more units" / "and 7 more tasks": what was left out of a list, by its noun
    (``what``: "units", "tasks", "indicators", or "other" for a mixed list)."""
    return {
        "units": _("and {count} more units"),
        "tasks": _("and {count} more tasks"),
        "indicators": _("and {count} more indicators"),
        "other": _("and {count} more"),
    }[what].format(count=count)


def some_of(items: Sequence[str], limit: int | None, what: str, _, separator: str = "; ") -> str:
    """ "a; b; c and 7 more units": the first ``limit`` items (all with None)."""
    text = separator.join(items[:limit])
    if limit is not None and len(items) > limit:
        text += " " + and_more(len(items) - limit, what, _)
    return text


_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def code_runs(codes: Sequence[str], limit: int | None, _) -> str:
    """Task codes for a sentence, runs of consecutive numbers joined: "1–3, 5, 2.1–2.3"
    (a run of two stays two codes); past ``limit`` listed items, the tasks left out are
    counted ("… and 12 more tasks")."""
    runs: list[list[str]] = []
    previous: tuple[str, int] | None = None
    for code in codes:
        match = _NUMBERED.match(code)
        key = (match.group(1), int(match.group(2))) if match else None
        if key and previous and key == (previous[0], previous[1] + 1) and runs:
            runs[-1].append(code)
        else:
            runs.append([code])
        previous = key
    items: list[tuple[str, int]] = []
    for run in runs:
        if len(run) > 2:
            items.append((f"{run[0]}–{run[-1]}", len(run)))
        else:
            items += [(code, 1) for code in run]
    shown = items if limit is None else items[:limit]
    text = ", ".join(item for item, _count in shown)
    left = sum(count for _item, count in items[len(shown) :])
    if left:
        text += " " + and_more(left, "tasks", _)
    return text


def file_problem(path: object, exc: OSError, language: str, *, writing: bool = False) -> str:
    """Why a file could not be read (or written), in the reader's words, naming the file
    (the system's own message is English)."""
    _ = translations(language).gettext
    if isinstance(exc, FileNotFoundError):
        reason = _("no such file or folder")
    elif isinstance(exc, IsADirectoryError):
        reason = _("it is a folder, not a file")
    elif isinstance(exc, PermissionError):
        reason = _("permission denied")
    else:
        reason = _("system error {code}").format(code=exc.errno or "?")
    template = (
        _("Cannot write {path}: {reason}.") if writing else _("Cannot read {path}: {reason}.")
    )
    return template.format(path=path, reason=reason)


def role_name(role: Role, language: str, *, short: bool = False) -> str:
    """The role in words; ``short`` for a label ("office"), else as people are told it."""
    _ = translations(language).gettext
    return {
        Role.OFFICIAL: _("focal official"),
        Role.OFFICE: _("office") if short else _("office (tracks every unit)"),
        Role.LEADER: _("leader"),
        Role.ADMIN: _("administrator"),
    }[role]


def help_reply(actor: Actor, in_group: bool, *, undo_hours: int) -> Reply:
    """What this person can do, by role, in one or two phone screens: report (officials
    and the office), correct, undo, the history, the questions, reminders, the plan; the
    office also binds groups and sends the plan; in a group, /baocao."""
    _ = translations(actor.language).gettext
    reports = actor.role in (Role.OFFICIAL, Role.OFFICE, Role.ADMIN) or not actor.registered
    lines = [
        _(
            "Đôn Đốc tracks the plan for controlling administrative procedures: tasks, "
            "indicators and deadlines."
        ),
    ]
    if reports:
        lines += [
            "",
            _("Report by writing a plain message, with or without diacritics:"),
            _("• nv 2.1 xong · nv 3.4 dang thuc hien 60% · nv 7.1 chậm do thiếu nhân lực"),
            _("• so hoa 85/100 ho so, hai long 96% — indicator figures"),
        ]
        if actor.manages:
            lines.append(_("• Xã Sơn Dương: nv 2.1 xong — for a unit (the office)"))
        elif actor.unit_id is not None:
            lines.append(_("• xin gia hạn nv 4.3 đến 31/12 vì … — asks the office for more time"))
        if in_group:
            lines.append(_("In a group the bot may not see plain messages: /baocao nv 2.1 xong."))
        lines += [
            _(
                "Correct: “sửa: so hoa 88/100” replaces only the items it names; replying "
                "to the bot or editing your message corrects too."
            ),
            _(
                "Undo: “hủy” or /huy undoes your latest report within {hours} hours; older "
                "ones with the buttons of /lichsu."
            ).format(hours=undo_hours),
        ]
    lines += [
        "",
        _("/lichsu [unit] [task] who reported what, and when"),
        _("/nhiemvu [unit] a unit's tasks, deadlines and status"),
        _(
            "/tinhhinh [period | unit] progress with a chart; or ask: “xã nào chậm?”, "
            "“số hóa quý 3”, “nhiệm vụ 2.1 ai chưa xong?”"
        ),
    ]
    if actor.manages:
        lines.append(_("/nhacviec every unit's coming reminders"))
    elif reports:
        lines.append(
            _(
                "/nhacviec coming reminders · tạm dừng 3 ngày|2 tuần · tiếp tục · "
                "nhóm|riêng|cả hai (where they go)"
            )
        )
    else:
        lines.append(_("/nhacviec coming reminders · every week you get the month's overview"))
    lines.append(_("/kehoach the plan's outline"))
    if actor.registered and not in_group:
        if actor.unit_id is not None and not may_see(actor, View.RANKING):
            lines.append(_("/xuat quý 3 your unit's report for the quarter (Word and Excel)"))
        else:
            lines.append(_("/xuat quý 3 [unit] the report upward for the quarter (Word and Excel)"))
    if actor.manages:
        lines.append(_("Office: /nhom <unit, unit…> in a group binds it to its units."))
        lines.append(
            _("Office: gia hạn nv 4.3 đến 31/12 (or /giahan 4.3 31/12) sets a task's deadline.")
        )
        if in_group:
            lines.append(_("Office: send the plan file to the bot in a private chat."))
        else:
            lines.append(
                _(
                    "Office: send the plan here as a file (Word .docx, Excel .xlsx or text) to "
                    "import it; you will see a preview first."
                )
            )
    lines += ["", _("/ngonngu en English · /trogiup this help")]
    if not actor.registered:
        lines += [
            _("/start register with your invite link."),
            _("You are not registered yet: ask the office for your invite link."),
        ]
    return Reply("\n".join(lines))


def not_registered_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(
        _(
            "You are not registered with Đôn Đốc yet, so nothing you send is recorded.\n"
            "Ask the office (Văn phòng HĐND và UBND) for your invite link, open it and "
            "press Start. The link binds your Telegram account to your unit."
        )
    )


def welcome_reply(actor: Actor, *, undo_hours: int) -> Reply:
    _ = translations(actor.language).gettext
    role = required(actor.role, "the person's role")
    lines = [
        _("Hello {name}! You are registered as {role}").format(
            name=actor.full_name or "", role=role_name(role, actor.language)
        )
        + (_(" of {unit}.").format(unit=actor.unit_name) if actor.unit_name else "."),
    ]
    what = {
        Role.OFFICIAL: _(
            "You can report your unit's tasks and indicator figures here, "
            "and you will get reminders before deadlines."
        ),
        Role.OFFICE: _(
            "You can follow every unit, report for any unit, and manage the plan and the groups."
        ),
        Role.LEADER: _(
            "You can ask how the plan is going at any time, for example “tình hình tháng này”."
        ),
        Role.ADMIN: _("You can manage units, people, groups and the plan."),
    }[role]
    help_text = help_reply(actor, in_group=False, undo_hours=undo_hours).text
    return Reply("\n".join([*lines, what, "", help_text]))


def redeem_reply(result: RedeemResult, language: str, *, undo_hours: int) -> Reply:
    _ = translations(language).gettext
    if result.outcome in (Redeem.REGISTERED, Redeem.REBOUND):
        reply = welcome_reply(
            required(result.actor, "the person registered"), undo_hours=undo_hours
        )
        if result.outcome is Redeem.REBOUND:
            reply.text = _("Your registration was updated.") + "\n" + reply.text
        return reply
    reason = {
        Redeem.UNKNOWN: _("This invite code does not exist."),
        Redeem.EXPIRED: _("This invite code has expired."),
        Redeem.USED: _("This invite code has already been used."),
    }[result.outcome]
    return Reply(reason + " " + _("Nothing was changed. Ask the office for a new invite link."))


def too_many_codes_reply(until: datetime, language: str, tz: tzinfo) -> Reply:
    """Wrong invite codes too many times in a row: tries are refused for a while."""
    _ = translations(language).gettext
    return Reply(
        _(
            "Too many wrong or expired invite codes were sent from this account, so codes "
            "are not checked until {time}. Use the link the office sent you exactly as it "
            "is, or ask the office for a new one."
        ).format(time=until.astimezone(tz).strftime("%H:%M %d/%m/%Y"))
    )


def group_added_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(
        _(
            "Hello! I am Đôn Đốc. I will post deadline reminders and answer questions "
            "about the plan here.\nThe office binds this group to its units with "
            "/nhom <unit, unit…>, for example: /nhom Xã Sơn Dương, Xã Hồng Thái.\n"
            "/trogiup explains how to report."
        )
    )


def unit_labels(entries: Sequence[UnitEntry]) -> list[str]:
    """Unit names, with the parent where two of them share a name."""
    counts = Counter(e.name for e in entries)
    return [
        f"{e.name} ({e.parent_name})" if counts[e.name] > 1 and e.parent_name else e.name
        for e in entries
    ]


def unit_problem(match: UnitMatch, language: str) -> str:
    """Why ``match`` did not give one unit, with the names to choose from."""
    _ = translations(language).gettext
    names = "; ".join(unit_labels([c.entry for c in match.candidates[:4]]))
    if match.reason == "other_area":
        return _("“{query}” is outside the area this bot serves.").format(query=match.query)
    if match.decision is Decision.ASK and names:
        return _("“{query}” could be several units: {names}. Write the full name.").format(
            query=match.query, names=names
        )
    if names:
        return _("I do not know the unit “{query}”. Did you mean: {names}?").format(
            query=match.query, names=names
        )
    return _("I do not know the unit “{query}”.").format(query=match.query)


def bind_reply(result: BindResult, language: str) -> Reply:
    _ = translations(language).gettext
    if not result.allowed:
        return Reply(_("Only the office or an administrator can bind this group to units."))
    if result.unresolved:
        lines = [unit_problem(m, language) for m in result.unresolved]
        lines.append(_("Nothing was changed. Example: /nhom Xã Sơn Dương, Phường Minh Xuân"))
        return Reply("\n".join(lines))
    lines = []
    if result.bound:
        lines.append(_("Bound to this group: {units}.").format(units="; ".join(result.bound)))
    if result.removed:
        lines.append(_("Removed from this group: {units}.").format(units="; ".join(result.removed)))
    if result.current:
        lines.append(_("This group serves: {units}.").format(units="; ".join(result.current)))
    else:
        lines.append(_("This group is not bound to any unit yet. Example: /nhom Xã Sơn Dương"))
    return Reply("\n".join(lines))


def not_understood_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(
        _(
            "I did not understand this message, so nothing was recorded. "
            "/trogiup shows how to write a report."
        )
    )


def stale_button_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(notice=_("This button is no longer valid."))


def group_only_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(_("/nhom works in a group chat: add me to the group, then send it there."))


def language_usage_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(_("Choose a language: /ngonngu vi (Tiếng Việt) or /ngonngu en (English)."))


def language_refused_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(_("Only the office or an administrator can change the group's language."))


def language_set_reply(language: str, *, group: bool) -> Reply:
    _ = translations(language).gettext
    if group:
        return Reply(_("This group's language is now English."))
    return Reply(_("Your language is now English."))


def not_allowed_reply(view: View, actor: Actor) -> Reply:
    """What a person asked for is beyond what their role sees (``bot.services.access``)."""
    _ = translations(actor.language).gettext
    if view is View.UNIT and actor.unit_name:
        return Reply(
            _(
                "You can see the details of your own unit ({unit}) and the area's totals "
                "(“tình hình tháng này”), not another unit's."
            ).format(unit=actor.unit_name)
        )
    if view is View.RANKING:
        return Reply(
            _(
                "The list by unit is for the office and leaders. You can see the area's "
                "totals (“tình hình tháng này”) and your own unit's details."
            )
        )
    if view is View.REMINDERS:
        return Reply(_("You are not linked to a unit, so there are no reminders to show."))
    return Reply(_("This is not available to your role."))


def new_reference() -> str:
    """A short id for a failure, to quote over the phone: 8 hexadecimal digits."""
    return secrets.token_hex(4)


def error_reply(reference: str, language: str, *, kept: bool = False) -> Reply:
    """What a person hears when handling their message failed; ``kept`` when it is kept
    to be handled again (the database was away)."""
    _ = translations(language).gettext
    if kept:
        return Reply(
            _(
                "Sorry, the bot cannot save anything right now (reference {reference}). "
                "Your message is kept and will be handled as soon as it can; there is no "
                "need to send it again."
            ).format(reference=reference)
        )
    return Reply(
        _(
            "Sorry, something went wrong while handling this (reference {reference}). "
            "Please send it again in a few minutes; if it keeps failing, tell the office "
            "this reference."
        ).format(reference=reference)
    )
