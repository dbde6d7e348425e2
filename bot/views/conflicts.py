"""Two reporters who disagree, in words: the office's notice with a button to keep each
report, the answer to a press, and the lines of the Monday digest. Data from
:mod:`bot.services.reports.conflicts` (times already local)."""

from __future__ import annotations

from typing import Any

from bot.buttons import KeepEarlier, KeepLater
from bot.i18n import translations
from bot.language.shorten import shorten
from bot.services.reports import ConflictView, Settled, Settlement, Side
from bot.transport import Button, Reply
from bot.views.common import and_more
from bot.views.plans import vn_date
from bot.views.reports import figure_text, period_name, status_name
from storage.models import ConflictEnd

MAX_DIGEST_CONFLICTS = 15  # listed in the Monday digest; the rest are counted


def side_value(side: Side, _: Any) -> str:
    """ "đã xong", "đang thực hiện (50%)", "85% (85/100)"."""
    if side.status is not None:
        text = status_name(side.status, _)
        return text + (f" ({side.percent}%)" if side.percent is not None else "")
    return figure_text(side.value, side.numerator, side.denominator, side.measure or "", _)


def side_who(side: Side, _: Any) -> str:
    if side.who and side.by_office:
        return _("{name} (the office)").format(name=side.who)
    return side.who or (_("the office") if side.by_office else _("the unit's official"))


def _about(conflict: ConflictView, _: Any) -> str:
    """ "Xã Đường Lâm — Tỷ lệ số hóa…, tháng 11/2025"."""
    about = f"{conflict.unit} — {shorten(conflict.subject, 60)}"
    if conflict.period is not None:
        about += ", " + period_name(conflict.period, _)
    elif conflict.period_start is not None:
        about += ", " + _("period from {date}").format(date=vn_date(conflict.period_start))
    return about


def _when(side: Side) -> str:
    return side.at.strftime("%H:%M %d/%m")


def conflict_notice_reply(conflict: ConflictView, language: str) -> Reply:
    """The office's notice: both reports, who sent each and when, and a button to keep
    each."""
    _ = translations(language).gettext
    earlier, later = conflict.earlier, conflict.later
    lines = [
        "⚠️ " + _("Two reports disagree: {about}").format(about=_about(conflict, _)),
        "• "
        + _("{when}, {who}: {value}").format(
            when=_when(earlier), who=side_who(earlier, _), value=side_value(earlier, _)
        ),
        "• "
        + _("{when}, {who}: {value} (stands now)").format(
            when=_when(later), who=side_who(later, _), value=side_value(later, _)
        ),
        _(
            "Which one is right? Keeping the earlier one withdraws the later; keeping the "
            "later one only closes this."
        ),
    ]
    buttons = [
        [
            Button(
                _("Keep {value} ({who})").format(
                    value=shorten(side_value(earlier, _), 30), who=shorten(side_who(earlier, _), 30)
                ),
                KeepEarlier(conflict.id).pack(),
            )
        ],
        [
            Button(
                _("Keep {value} ({who})").format(
                    value=shorten(side_value(later, _), 30), who=shorten(side_who(later, _), 30)
                ),
                KeepLater(conflict.id).pack(),
            )
        ],
    ]
    return Reply("\n".join(lines), buttons=buttons)


def settled_reply(settlement: Settlement, language: str) -> Reply:
    """The answer to a press of either button."""
    _ = translations(language).gettext
    conflict = settlement.conflict
    if settlement.kind is Settled.NOT_ALLOWED:
        return Reply(_("Only the office decides which report to keep: nothing was changed."))
    gone = _("These reports no longer disagree (one was undone or replaced): nothing was changed.")
    if settlement.kind is Settled.GONE or conflict is None:
        return Reply(gone)
    if settlement.kind is Settled.ALREADY:
        if conflict.resolution in (ConflictEnd.WITHDRAWN, ConflictEnd.AGREED):
            return Reply(gone)  # closed by the reporters themselves
        return Reply(_already(conflict, _))
    kept, dropped = (
        (conflict.earlier, conflict.later)
        if settlement.kept_earlier
        else (conflict.later, conflict.earlier)
    )
    text = _("Kept {value} sent by {who} for {about}.").format(
        value=side_value(kept, _), who=side_who(kept, _), about=_about(conflict, _)
    )
    if settlement.kept_earlier:
        text += " " + _("The report of {who} ({value}) was withdrawn.").format(
            who=side_who(dropped, _), value=side_value(dropped, _)
        )
    return Reply(text)


def _already(conflict: ConflictView, _: Any) -> str:
    from_side = {"earlier": conflict.earlier, "later": conflict.later}
    side = from_side.get(conflict.resolution.value if conflict.resolution else "")
    if side is not None:
        text = _("Already settled: {value} sent by {who} was kept.").format(
            value=side_value(side, _), who=side_who(side, _)
        )
        if conflict.closed_by:
            text += " " + _("(by {name})").format(name=conflict.closed_by)
        return text + " " + _("Nothing more was changed.")
    return _("This disagreement is already closed: nothing was changed.")


def digest_lines(conflicts: list[ConflictView], total: int, language: str) -> list[str]:
    """The open disagreements for the Monday digest (nothing when there are none)."""
    if not total:
        return []
    _ = translations(language).gettext
    lines = [_("Reports that disagree, not settled yet ({count}):").format(count=total)]
    for conflict in conflicts[:MAX_DIGEST_CONFLICTS]:
        earlier, later = conflict.earlier, conflict.later
        lines.append(
            "• "
            + _(
                "{about}: {first} ({first_who}, {first_when}) or {second} ({second_who}, "
                "{second_when})"
            ).format(
                about=_about(conflict, _),
                first=side_value(earlier, _),
                first_who=side_who(earlier, _),
                first_when=earlier.at.strftime("%d/%m"),
                second=side_value(later, _),
                second_who=side_who(later, _),
                second_when=later.at.strftime("%d/%m"),
            )
        )
    shown = min(len(conflicts), MAX_DIGEST_CONFLICTS)
    if total > shown:
        lines.append("… " + and_more(total - shown, "other", _))
    return lines
