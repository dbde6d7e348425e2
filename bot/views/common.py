"""Replies about registration, help and groups, rendered through the locale catalogue."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Sequence

from bot.i18n import translations
from bot.matching import Decision, UnitEntry, UnitMatch
from bot.services.access import View
from bot.services.groups import BindResult
from bot.services.identity import Actor, Redeem, RedeemResult
from bot.transport import Reply
from storage.models import Role


def role_name(role: Role, language: str) -> str:
    _ = translations(language).gettext
    return {
        Role.OFFICIAL: _("focal official"),
        Role.OFFICE: _("office (tracks every unit)"),
        Role.LEADER: _("leader"),
        Role.ADMIN: _("administrator"),
    }[role]


def help_reply(actor: Actor, in_group: bool) -> Reply:
    _ = translations(actor.language).gettext
    parts = [
        _(
            "Đôn Đốc tracks the plan for controlling administrative procedures: tasks, "
            "indicators and deadlines."
        ),
        "",
        _("Report by writing a plain message, with or without diacritics:"),
        _("• nv 2.1 xong — task 2.1 is done"),
        _("• nv 3.4 dang thuc hien, 60% — in progress"),
        _("• nv 7.1 chậm do thiếu nhân lực — delayed, with the reason"),
        _("• so hoa 85/100 ho so, hai long 96% — indicator figures"),
        "",
        _("Ask: “tình hình tháng này”, “xã nào chậm?”, “số hóa quý 3”."),
        _("Reminders come before each deadline, in your group and in private."),
        "",
        _(
            "Commands: /trogiup this help · /start register with your invite link · "
            "/ngonngu en English"
        ),
    ]
    parts.append(_("/kehoach the plan's outline · /nhiemvu [unit] a unit's tasks"))
    if actor.manages and not in_group:
        parts.append(
            _(
                "Office: send the plan here as a file (Word .docx, Excel .xlsx or text) to "
                "import it; you will see a preview first."
            )
        )
    if in_group:
        parts.append(
            _("In a group, the office binds the group to its units with /nhom <unit, unit…>.")
        )
    if not actor.registered:
        parts += ["", _("You are not registered yet: ask the office for your invite link.")]
    return Reply("\n".join(parts))


def not_registered_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(
        _(
            "You are not registered with Đôn Đốc yet, so nothing you send is recorded.\n"
            "Ask the office (Văn phòng HĐND và UBND) for your invite link, open it and "
            "press Start. The link binds your Telegram account to your unit."
        )
    )


def welcome_reply(actor: Actor) -> Reply:
    _ = translations(actor.language).gettext
    assert actor.role is not None
    lines = [
        _("Hello {name}! You are registered as {role}").format(
            name=actor.full_name or "", role=role_name(actor.role, actor.language)
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
    }[actor.role]
    help_text = help_reply(actor, in_group=False).text
    return Reply("\n".join([*lines, what, "", help_text]))


def redeem_reply(result: RedeemResult, language: str) -> Reply:
    _ = translations(language).gettext
    if result.outcome in (Redeem.REGISTERED, Redeem.REBOUND):
        assert result.actor is not None
        reply = welcome_reply(result.actor)
        if result.outcome is Redeem.REBOUND:
            reply.text = _("Your registration was updated.") + "\n" + reply.text
        return reply
    reason = {
        Redeem.UNKNOWN: _("This invite code does not exist."),
        Redeem.EXPIRED: _("This invite code has expired."),
        Redeem.USED: _("This invite code has already been used."),
    }[result.outcome]
    return Reply(reason + " " + _("Nothing was changed. Ask the office for a new invite link."))


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


def error_reply(reference: str, language: str) -> Reply:
    """What a person hears when handling their message failed."""
    _ = translations(language).gettext
    return Reply(
        _(
            "Sorry, something went wrong while handling this (reference {reference}). "
            "Please send it again in a few minutes; if it keeps failing, tell the office "
            "this reference."
        ).format(reference=reference)
    )
