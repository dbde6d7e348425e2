"""Reminder messages: what is due, how long is left, and an answer to copy; the answers
of ``/nhacviec`` (what is coming, pauses, where reminders go)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from bot.buttons import ReminderDone, Snooze
from bot.i18n import translations
from bot.language.pauses import MAX_PAUSE_DAYS, PauseProblem, ReminderRequest
from bot.language.periods import Period
from bot.language.shorten import shorten
from bot.transport import Button, Reply
from bot.views.common import some_of
from bot.views.plans import vn_date
from bot.views.reports import period_name
from scheduling.chase import KIND as CHASE
from scheduling.chase import LATE_KIND as CHASE_LATE
from scheduling.outgoing import Outgoing
from scheduling.upcoming import Upcoming

MAX_LISTED_UNITS = 30  # units named in a "still missing" reminder; the rest are counted


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def _period(value: Any) -> Period | None:
    return Period.from_key(value) if isinstance(value, str) else None


def reminder_reply(out: Outgoing) -> Reply:
    _ = translations(out.language).gettext
    payload = out.payload
    task = f"{out.task_code} “{shorten(out.task_content or '', 60)}”" if out.task_code else ""
    example = ""
    if out.kind == "due":
        days = int(payload.get("days_left") or 0)
        due = vn_date(_day(payload.get("due")))
        if days:
            text = _("{unit}: task {task} is due on {due}, {days} working days from now.").format(
                unit=out.unit_name, task=task, due=due, days=days
            )
        else:
            text = _("{unit}: task {task} is due today ({due}).").format(
                unit=out.unit_name, task=task, due=due
            )
        example = f"nv {out.task_code} xong"
    elif out.kind == "overdue":
        text = _("{unit}: task {task} is {days} days late (due {due}).").format(
            unit=out.unit_name,
            task=task,
            days=payload.get("days_late"),
            due=vn_date(_day(payload.get("due"))),
        )
        text += " " + _("Reply to this message with the reason or the progress.")
        example = f"nv {out.task_code} chậm do …"
    elif out.kind == "recurring":
        period = period_name(_period(payload.get("period")), _)
        deadline = vn_date(_day(payload.get("deadline")))
        if payload.get("stage") == "missing":
            text = _("{unit}: task {task} for {period} has not been reported (due {due}).")
        else:
            text = _("{unit}: task {task} for {period} is due on {due}.")
        text = text.format(unit=out.unit_name, task=task, period=period, due=deadline)
        example = f"nv {out.task_code} xong"
    elif out.kind == "missing":
        text = _("Task {task} for {period} (due {due}) is still missing from: {units}.").format(
            task=task,
            period=period_name(_period(payload.get("period")), _),
            due=vn_date(_day(payload.get("deadline"))),
            units=some_of(payload.get("units") or [], MAX_LISTED_UNITS, "units", _),
        )
        example = f"nv {out.task_code} xong"
    elif out.kind == "duty":
        due = vn_date(_day(payload.get("deadline")))
        if payload.get("time"):
            due = f"{payload['time']} {due}"
        text = _("{unit}: the periodic report for {period} is due on {due}: “{duty}”").format(
            unit=out.unit_name,
            period=period_name(_period(payload.get("period")), _),
            due=due,
            duty=shorten(out.duty_text or "", 120),
        )
    elif out.kind == "checkin":
        text = _("{unit}: how is the continuous task {task} going this quarter?").format(
            unit=out.unit_name, task=task
        )
        example = f"nv {out.task_code} đang thực hiện 60%"
    elif out.kind == "indicator":
        text = _("{unit}: the figure “{indicator}” for {period} is due on {due}.").format(
            unit=out.unit_name,
            indicator=shorten(out.indicator_name or "", 70),
            period=period_name(_period(payload.get("period")), _),
            due=vn_date(_day(payload.get("deadline"))),
        )
        example = "so hoa 85/100"
    elif out.kind == CHASE:
        text = _("{unit}: the figures for {period} are due on {due} and not sent yet: {items}.")
        text = text.format(
            unit=out.unit_name,
            period=period_name(_period(payload.get("period")), _),
            due=vn_date(_day(payload.get("deadline"))),
            items=some_of(
                [shorten(str(n), 60) for n in payload.get("indicators") or []],
                6,
                "indicators",
                _,
            ),
        )
        text += " " + _("(a reminder from the office)")
        example = "so hoa 85/100"
    elif out.kind == CHASE_LATE:
        tasks = [t for t in payload.get("tasks") or [] if isinstance(t, dict)]
        items = [
            _("{task} (due {due})").format(
                task=f"{t.get('code')} “{shorten(str(t.get('content') or ''), 50)}”",
                due=vn_date(_day(t.get("due"))),
            )
            for t in tasks
        ]
        text = _("{unit}: tasks past their deadline and not done: {items}.").format(
            unit=out.unit_name, items=some_of(items, 6, "tasks", _)
        )
        text += " " + _("(a reminder from the office)")
        text += " " + _("Reply to this message with the reason or the progress.")
        example = f"nv {tasks[0].get('code')} chậm do …" if tasks else ""
    else:
        text = out.unit_name
    lines = [("⏰ " + text)]
    if example:
        lines.append(_("Answer in one message, for example: {example}").format(example=example))
    if out.group and out.mentions:
        lines.append(", ".join(name for _user, name in out.mentions[:8]))
    buttons: list[list[Button]] = []
    if out.task_code and out.kind in ("due", "overdue", "recurring"):
        buttons.append([Button(_("Done"), ReminderDone(out.reminder_id).pack())])
    buttons.append(
        [
            Button(_("Remind me tomorrow"), Snooze(out.reminder_id, 1).pack()),
            Button(_("In 3 days"), Snooze(out.reminder_id, 3).pack()),
        ]
    )
    return Reply("\n".join(lines), buttons=buttons)


def snoozed_reply(when, language: str, tz) -> Reply:
    _ = translations(language).gettext
    if when is None:
        return Reply(_("This reminder is no longer open."))
    return Reply(
        _("I will remind you again on {date}.").format(
            date=when.astimezone(tz).strftime("%H:%M %d/%m/%Y")
        )
    )


def upcoming_reply(
    items: list[Upcoming],
    unit: str | None,
    language: str,
    tz,
    paused_until: datetime | None = None,
) -> Reply:
    _ = translations(language).gettext
    paused = ""
    if paused_until is not None:
        paused = _(
            "Paused until the end of {date} (/nhacviec tiếp tục to have them again)."
        ).format(date=_last_day(paused_until, tz))
    if not items:
        return Reply("\n".join(filter(None, [paused, _("No reminders in the next two weeks.")])))
    header = (
        _("Coming reminders for {unit}:").format(unit=unit)
        if unit
        else _("Coming reminders (every unit):")
    )
    lines = [header, *filter(None, [paused])]
    kinds = {
        "due": _("deadline"),
        "overdue": _("overdue"),
        "recurring": _("periodic report"),
        "checkin": _("progress check-in"),
        "indicator": _("figure"),
        "duty": _("periodic report"),
        "missing": _("periodic report"),
        CHASE: _("figure"),
        CHASE_LATE: _("overdue"),
    }
    for item in items:
        when = item.due_at.astimezone(tz).strftime("%d/%m %H:%M")
        who = "" if unit else f"{item.unit_name}: "
        about = f" — {shorten(item.subject, 50)}" if item.subject.strip() else ""
        kind = kinds.get(item.kind) or _("reminder")
        lines.append(f"• {when} — {who}{kind}{about}")
    return Reply("\n".join(lines))


def _last_day(end: datetime, tz) -> str:
    """The last local day a pause ending at ``end`` covers, as dd/mm/yyyy."""
    return vn_date((end - timedelta(microseconds=1)).astimezone(tz).date())


def paused_reply(unit: str, end: datetime, kept_longer: bool, language: str, tz) -> Reply:
    """The pause in force after asking for one; ``kept_longer``: a longer pause was
    running already and was kept, and the answer says so."""
    _ = translations(language).gettext
    if kept_longer:
        text = _(
            "Reminders for {unit} were already paused until the end of {date}, longer "
            "than you asked: the pause runs until then."
        )
    else:
        text = _("Reminders for {unit} are paused until the end of {date}.")
    text = text.format(unit=unit, date=_last_day(end, tz))
    return Reply(text + " " + _("To have them again now: /nhacviec tiếp tục."))


def pause_usage_reply(language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(
        _(
            "To pause your unit's reminders: /nhacviec tạm dừng 3 ngày, 2 tuần, 1 tháng or "
            "đến 20/12 (at most {days} days); /nhacviec tiếp tục turns them back on. "
            "Where they go: /nhacviec nhóm, /nhacviec riêng or /nhacviec cả hai."
        ).format(days=MAX_PAUSE_DAYS)
    )


def _asked(request: ReminderRequest, _) -> str:
    """ "2 months", "until 20/12/2026": the length a pause was asked for."""
    if request.unit is None:
        return _("until {date}").format(date=vn_date(request.last_day))
    return {
        "day": _("{count} days"),
        "week": _("{count} weeks"),
        "month": _("{count} months"),
        "year": _("{count} years"),
    }[request.unit].format(count=request.amount)


def pause_problem_reply(request: ReminderRequest, language: str) -> Reply:
    """Why a pause was not set, with what was read and how to write it."""
    _ = translations(language).gettext
    if request.problem is PauseProblem.TOO_LONG:
        text = _(
            "Nothing was changed: a pause lasts at most {days} days, and you asked for {asked}. "
            "Pause for a shorter time, for example /nhacviec tạm dừng 2 tuần, and pause "
            "again later if needed."
        ).format(days=MAX_PAUSE_DAYS, asked=_asked(request, _))
        return Reply(text)
    if request.problem is PauseProblem.PAST:
        text = _("Nothing was changed: {date} has already passed.").format(
            date=vn_date(request.last_day)
        )
        return Reply(text + " " + pause_usage_reply(language).text)
    if request.problem is PauseProblem.BAD_DATE:
        text = _("Nothing was changed: the date written is not a real date.")
        return Reply(text + " " + pause_usage_reply(language).text)
    text = _("Nothing was changed: I did not find how long to pause.")
    return Reply(text + " " + pause_usage_reply(language).text)


def resumed_reply(unit: str, end: datetime | None, language: str, tz) -> Reply:
    _ = translations(language).gettext
    if end is None:
        return Reply(
            _("Reminders for {unit} were not paused: nothing to change.").format(unit=unit)
        )
    return Reply(
        _("Reminders for {unit} are on again (the pause until the end of {date} is over).").format(
            unit=unit, date=_last_day(end, tz)
        )
    )


def destination_reply(choice: str, language: str) -> Reply:
    _ = translations(language).gettext
    return Reply(
        {
            "group": _("Your unit's reminders now go to its group only."),
            "private": _("Your unit's reminders now go to each official in private only."),
            "both": _("Your unit's reminders go to its group and to each official in private."),
        }[choice]
    )
