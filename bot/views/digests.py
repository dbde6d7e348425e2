"""The weekly digests as they are sent: the office's Monday digest (overdue tasks by unit,
who cannot be reached) with the chart of the standing now after it, and the leaders'
overview (the standing now, as a leader asking "tình hình tháng này" gets it) with its
buttons and chart. Data from :mod:`bot.services.digests`."""

from __future__ import annotations

from bot.i18n import translations
from bot.services.digests import Digest
from bot.services.standing import Standing
from bot.transport import Reply
from bot.views.common import and_more, some_of
from bot.views.conflicts import digest_lines
from bot.views.plans import vn_date
from bot.views.standing import standing_chart, standing_reply


def digest_reply(data: Digest, language: str) -> Reply:
    """The weekly digest for the office and leaders."""
    _ = translations(language).gettext
    lines = [_("Weekly digest.")]
    if data.overdue:
        count = sum(len(tasks) for _unit, tasks in data.overdue)
        lines.append(
            _("{count} overdue tasks in {units} units:").format(
                count=count, units=len(data.overdue)
            )
        )
        for unit, tasks in data.overdue[:20]:
            listed = [
                _("{code} ({days} days)").format(code=code, days=days) for code, days in tasks
            ]
            lines.append(f"• {unit}: {some_of(listed, 8, 'tasks', _, ', ')}")
        if len(data.overdue) > 20:
            lines.append("… " + and_more(len(data.overdue) - 20, "units", _))
    else:
        lines.append(_("No task is overdue."))
    if data.unreachable:
        lines.append(
            _(
                "Units nobody can be reminded in (no registered official, no group): {units}."
            ).format(units=some_of(data.unreachable, 15, "units", _))
        )
    if data.blocked:
        lines.append(
            _("Reminders could not be delivered to (blocked the bot or left): {names}.").format(
                names=some_of(data.blocked, 15, "other", _)
            )
        )
    if data.stale:
        lines.append(
            _("{count} reminders were not sent because the bot was stopped too long.").format(
                count=data.stale
            )
        )
    lines += digest_lines(data.conflicts, data.conflicts_total, language)
    if data.requests:
        asked = [f"{r.unit}: {r.move.code} → {vn_date(r.move.due_after)}" for r in data.requests]
        lines.append(
            _("Requests for more time not answered ({count}): {requests} (/giahan).").format(
                count=len(asked), requests=some_of(asked, 8, "other", _)
            )
        )
    return Reply("\n".join(lines))


def office_digest_reply(data: Digest, now: Standing, language: str) -> tuple[Reply, bytes | None]:
    """The office's Monday digest, and the chart of the standing now to send after it
    (none when nothing of the plan was due yet)."""
    _ = translations(language).gettext
    chart = standing_chart(now, _) if now.charted else None
    return digest_reply(data, language), chart


def leaders_overview_reply(now: Standing, language: str) -> tuple[Reply, bytes | None]:
    """The leaders' weekly overview: the standing now with its buttons, as a leader asking
    would get it, and its chart to send after it."""
    heading = translations(language).gettext("Weekly summary for leaders.")
    overview = standing_reply(now, language, detail=True)
    overview.text = f"{heading}\n{overview.text}"
    chart = overview.attachments[0].content if overview.attachments else None
    overview.attachments = []
    return overview, chart
