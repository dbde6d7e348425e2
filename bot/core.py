"""The one path every transport takes: an :class:`Incoming` in, :class:`Reply` objects out.

``begin`` logs the update (a redelivered one is dropped) and loads the actor; ``handle``
routes it to a service and renders the result. Telegram runs both from PTB handlers
(``handlers/``), the console calls them directly; both run them off the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from bot.config import SUPPORTED_LANGUAGES, Settings
from bot.language.periods import Period, PeriodKind, period_of, reporting_period
from bot.matching import Decision
from bot.services import access, groups, identity, inbound, plans, reports
from bot.services.identity import Actor
from bot.services.units import unit_catalogue
from bot.transport import MAX_FILE_BYTES, Incoming, Kind, Reply
from bot.views import common
from bot.views import plans as plan_views
from bot.views import reminders as reminder_views
from bot.views import reports as report_views
from scheduling import buttons, preferences, schedule, upcoming
from scheduling.policy import reminder_settings
from storage.db import Database

Clock = Callable[[], datetime]

HELP_COMMANDS = {"trogiup", "help", "huongdan"}
LANGUAGE_COMMANDS = {"ngonngu", "language"}
PLAN_COMMANDS = {"kehoach", "plan"}
REPORT_COMMANDS = {"baocao", "report"}
OVERVIEW_COMMANDS = {"tinhhinh", "progress"}
UNDO_COMMANDS = {"huy", "undo"}
HISTORY_COMMANDS = {"lichsu", "history"}
REMINDER_COMMANDS = {"nhacviec", "reminders"}
TASK_COMMANDS = {"nhiemvu", "tasks"}
UNDO_OUTCOMES = (
    reports.OutcomeKind.UNDONE,
    reports.OutcomeKind.NOTHING_TO_UNDO,
    reports.OutcomeKind.UNDO_TOO_OLD,
    reports.OutcomeKind.ALREADY_UNDONE,
)
# Files the office may send as the plan.
PLAN_SUFFIXES = (".docx", ".xlsx", ".xlsm", ".txt", ".md", ".doc", ".xls")


def _without_nul(incoming: Incoming) -> Incoming:
    """Text with NUL characters removed: PostgreSQL cannot store them, and they mean nothing."""
    text, data = incoming.text, incoming.callback_data
    if (text is None or "\x00" not in text) and (data is None or "\x00" not in data):
        return incoming
    return replace(
        incoming,
        text=text.replace("\x00", "") if text else text,
        callback_data=data.replace("\x00", "") if data else data,
        args=tuple(a.replace("\x00", "") for a in incoming.args),
    )


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Core:
    db: Database
    settings: Settings
    clock: Clock = system_clock
    invite_guesses: identity.InviteGuesses = field(default_factory=identity.InviteGuesses)

    def begin(self, incoming: Incoming) -> Actor | None:
        """Claim the update and find who sent it; None when it was handled before (or is
        being handled)."""
        incoming = _without_nul(incoming)
        with self.db.session() as session:
            actor = identity.load_actor(session, incoming)
            if not inbound.log_update(session, incoming, actor.official_id, self.clock()):
                return None
            return actor

    def finish(self, transport: str, update_id: int) -> None:
        """The update is answered (its replies went out, or it needed none)."""
        inbound.finish(self.db, transport, update_id, self.clock())

    def handle(self, incoming: Incoming, actor: Actor) -> list[Reply]:
        try:
            return self._handle(_without_nul(incoming), actor)
        except access.NotAllowed as refused:
            return [common.not_allowed_reply(refused.view, actor)]

    def _handle(self, incoming: Incoming, actor: Actor) -> list[Reply]:
        if incoming.kind is Kind.BOT_ADDED:
            language = actor.language
            groups.record_group(self.db, incoming.chat, actor.user_id, language, self.clock())
            return [common.group_added_reply(language)]
        if incoming.kind is Kind.BOT_REMOVED:
            groups.leave_group(self.db, incoming.chat, self.clock())
            return []
        if incoming.kind is Kind.COMMAND:
            return self._command(incoming, actor)
        if incoming.kind is Kind.CALLBACK:
            if (incoming.callback_data or "").startswith("plan:") and actor.registered:
                return self._plan_button(incoming, actor)
            if (incoming.callback_data or "").startswith("rep:") and actor.registered:
                return self._report_button(incoming, actor)
            if (incoming.callback_data or "").startswith("rem:") and actor.registered:
                return self._reminder_button(incoming, actor)
            if (incoming.callback_data or "").startswith("q:") and actor.registered:
                return [self._question_button(incoming, actor)]
            return [common.stale_button_reply(actor.language)]
        if incoming.kind in (Kind.TEXT, Kind.EDITED, Kind.MEDIA):
            return self._message(incoming, actor)
        return []

    def _command(self, incoming: Incoming, actor: Actor) -> list[Reply]:
        name = incoming.command or ""
        if name == "start":
            if incoming.args and not incoming.chat.is_group:
                code, user_id, now = incoming.args[0], incoming.user.id, self.clock()
                until = self.invite_guesses.blocked_until(user_id, now)
                if until is not None:  # guessing codes: refused without asking the database
                    return [common.too_many_codes_reply(until, actor.language, self.settings.tz)]
                result = identity.redeem_invite(self.db, code, incoming.user, now)
                if result.outcome in (identity.Redeem.UNKNOWN, identity.Redeem.EXPIRED):
                    self.invite_guesses.wrong(user_id, now)
                elif result.actor is not None:
                    self.invite_guesses.forget(user_id)
                return [
                    common.redeem_reply(result, actor.language, undo_hours=self.settings.undo_hours)
                ]
            if actor.registered:
                return [common.welcome_reply(actor, undo_hours=self.settings.undo_hours)]
            return [common.not_registered_reply(actor.language)]
        if name in HELP_COMMANDS:
            return [
                common.help_reply(
                    actor, incoming.chat.is_group, undo_hours=self.settings.undo_hours
                )
            ]
        if not actor.registered:
            return [common.not_registered_reply(actor.language)]
        if name in LANGUAGE_COMMANDS:
            return [self._language(incoming, actor)]
        if name in OVERVIEW_COMMANDS:
            text = " ".join(incoming.args) or "tình hình tháng này"
            if not text.startswith(("tình hình", "tinh hinh")):
                text = "tình hình " + text
            outcome = reports.preview(
                self.db, text, actor, self.today(), self.settings.report_cutoff_day
            )
            outcome.kind = reports.OutcomeKind.QUERY
            return [self._overview(outcome, actor, True)]
        if name in REPORT_COMMANDS:
            text = " ".join(incoming.args)
            if not text:
                return [
                    common.help_reply(
                        actor, incoming.chat.is_group, undo_hours=self.settings.undo_hours
                    )
                ]
            return self._report(incoming, actor, text, True) or [
                common.not_understood_reply(actor.language)
            ]
        if name in REMINDER_COMMANDS:
            return [self._upcoming(incoming, actor)]
        if name in HISTORY_COMMANDS:
            return [self._history(incoming, actor)]
        if name in UNDO_COMMANDS:
            return self._report(incoming, actor, "hủy", True) or []
        if name in PLAN_COMMANDS:
            return [self._plan_outline(actor)]
        if name in TASK_COMMANDS:
            return [self._unit_tasks(incoming, actor)]
        if name == "nhom":
            if not incoming.chat.is_group:
                return [common.group_only_reply(actor.language)]
            text = " ".join(incoming.args)
            result = groups.bind_units(self.db, incoming.chat, actor, text, self.clock())
            return [common.bind_reply(result, actor.language)]
        return [common.not_understood_reply(actor.language)]

    def _language(self, incoming: Incoming, actor: Actor) -> Reply:
        """``/ngonngu vi|en``: the person's language, or in a group the group's."""
        choice = incoming.args[0].lower() if incoming.args else ""
        if choice not in SUPPORTED_LANGUAGES:
            return common.language_usage_reply(actor.language)
        chat_id = incoming.chat.id if incoming.chat.is_group else None
        if not identity.set_language(self.db, actor, chat_id, choice):
            return common.language_refused_reply(actor.language)
        return common.language_set_reply(choice, group=chat_id is not None)

    def _message(self, incoming: Incoming, actor: Actor) -> list[Reply]:
        addressed = not incoming.chat.is_group or incoming.reply_to_bot
        if not actor.registered:
            # In a group, people talk to each other: only answer what is said to the bot.
            return [common.not_registered_reply(actor.language)] if addressed else []
        text = (incoming.text or "").strip()
        file = incoming.file
        private_media = incoming.kind is Kind.MEDIA and not incoming.chat.is_group
        if private_media and not text:
            # A file without a caption in private: the office's plan, or nothing to read.
            if actor.manages:
                if file is None or file.photo:
                    reply = plan_views.plan_error_reply(
                        "unsupported_type", "", actor.language, "image"
                    )
                    return [reply]
                return [self._plan_file(incoming, actor)]
            if file is not None and file.name.lower().endswith(PLAN_SUFFIXES):
                return [self._plan_file(incoming, actor)]
            return [common.not_understood_reply(actor.language)]
        if not text:
            return []
        replies = self._report(incoming, actor, text, addressed)
        if replies is not None:
            return replies
        if private_media and actor.manages and file is not None:
            # The caption is not a report: the office is sending a plan.
            if file.photo:
                return [
                    plan_views.plan_error_reply("unsupported_type", "", actor.language, "image")
                ]
            return [self._plan_file(incoming, actor)]
        return [common.not_understood_reply(actor.language)] if addressed else []

    # -- reports ----------------------------------------------------------------------

    def _report(
        self, incoming: Incoming, actor: Actor, text: str, addressed: bool
    ) -> list[Reply] | None:
        """Handle a report; None when the message is not one (nothing was done)."""
        message = reports.Message(
            transport=incoming.transport,
            update_id=incoming.update_id,
            chat_id=incoming.chat.id,
            message_id=incoming.message_id,
            text=text,
            edited=incoming.kind is Kind.EDITED,
            reply_to_bot=incoming.reply_to_bot,
            evidence_file_id=incoming.file.file_id if incoming.file else None,
        )
        outcome = reports.handle(
            self.db,
            message,
            actor,
            self.clock(),
            self.settings.tz,
            self.settings.report_cutoff_day,
            undo_window=self.settings.undo_window,
        )
        return self._report_replies(outcome, actor, addressed)

    def _report_replies(
        self, outcome: reports.Outcome, actor: Actor, addressed: bool
    ) -> list[Reply] | None:
        language = actor.language
        kind = outcome.kind
        if kind is reports.OutcomeKind.STORED:
            return [report_views.stored_reply(outcome, language)]
        if kind is reports.OutcomeKind.REJECTED:
            return [report_views.rejected_reply(outcome, language)]
        if kind is reports.OutcomeKind.ASK:
            asked = None
            if outcome.pending_id is not None:
                found = reports.pending_question(self.db, outcome.pending_id, self.today())
                asked = found[1] if found else None
            return [report_views.ask_reply(outcome, asked, language)]
        if kind is reports.OutcomeKind.INCOMPLETE:
            return [report_views.incomplete_reply(outcome, language)]
        if kind in UNDO_OUTCOMES:
            return [report_views.undone_reply(outcome, language, self.settings.tz)]
        if kind is reports.OutcomeKind.QUERY:
            # "tình hình tháng này" is answered where it is asked, groups included; a
            # bare "số hóa quý 3" from a leader only when said to the bot.
            bare = outcome.interpretation is not None and outcome.interpretation.bare_question
            if bare and not addressed:
                return []
            return [self._overview(outcome, actor, addressed)]
        if not addressed:
            return []  # chit-chat among people in a group
        if kind is reports.OutcomeKind.HELP:
            return [common.help_reply(actor, False, undo_hours=self.settings.undo_hours)]
        return None

    def _history(self, incoming: Incoming, actor: Actor) -> Reply:
        """``/lichsu [unit] [task code | indicator]``: who reported what, and when."""
        from bot.language.numbers import find_task_codes
        from bot.matching import PhraseIndex, PhraseItem
        from bot.services.reference import reference

        language = actor.language
        text = " ".join(incoming.args)
        with self.db.session() as session:
            ref = reference(session, self.today())
        unit_id, unit_name, rest = actor.unit_id, actor.unit_name, text
        found = ref.catalogue.find_in(text) if text else None
        if found is not None and found.match.unit is not None:
            unit_id, unit_name = found.match.unit.id, found.match.unit.name
            rest = (text[: found.start] + " " + text[found.end :]).strip()
        if unit_id is None or unit_name is None:
            return plan_views.unit_tasks_usage_reply(language)
        codes = find_task_codes(rest) if rest else []
        task_id = None
        if codes:  # the plan in use's task: codes repeat across years
            known = {t.code: t.id for t in ref.tasks}
            written = {t.written_code: t.id for t in ref.tasks if unit_id in t.unit_ids}
            task_id = known.get(codes[0].code) or written.get(codes[0].code)
        indicator_id = None
        if rest and task_id is None:
            index = PhraseIndex(
                [PhraseItem(i.id, i.name, (i.name, *i.aliases)) for i in ref.indicators]
            )
            item = index.match(rest).item
            indicator_id = item.id if item else None
        found = reports.history(self.db, actor, unit_id, task_id, indicator_id)
        return report_views.history_reply(unit_name, found, language, self.settings.tz)

    # -- reminders --------------------------------------------------------------------

    def rebuild_schedule(self) -> schedule.RebuildResult:
        return schedule.rebuild(self.db, reminder_settings(self.settings), self.clock())

    def _reminder_button(self, incoming: Incoming, actor: Actor) -> list[Reply]:
        language = actor.language
        parts = (incoming.callback_data or "").split(":")
        if len(parts) < 3 or not all(p.isdigit() for p in parts[2:]):
            return [common.stale_button_reply(language)]
        reminder_id = int(parts[2])
        if parts[1] == "snz" and len(parts) == 4:
            when = buttons.snooze(
                self.db,
                actor,
                reminder_id,
                max(1, min(int(parts[3]), 10)),
                self.clock(),
                reminder_settings(self.settings),
            )
            return [reminder_views.snoozed_reply(when, language, self.settings.tz)]
        if parts[1] == "done":
            assignment_id, _unit = buttons.reminder_assignment(self.db, reminder_id)
            if assignment_id is None:
                return [reminder_views.snoozed_reply(None, language, self.settings.tz)]
            outcome = reports.record_done(
                self.db,
                assignment_id,
                actor,
                self.clock(),
                self.settings.tz,
                self.settings.report_cutoff_day,
            )
            if outcome is not None and outcome.kind is reports.OutcomeKind.ALREADY:
                return [report_views.already_done_reply(language)]
            if outcome is None or outcome.kind is not reports.OutcomeKind.STORED:
                return [report_views.not_your_task_reply(language)]
            return [report_views.stored_reply(outcome, language)]
        return [common.stale_button_reply(language)]

    def _upcoming(self, incoming: Incoming, actor: Actor) -> Reply:
        """``/nhacviec``: what the sender's unit (the office: everyone) will be reminded of;
        ``tạm dừng 1 tuần`` / ``tiếp tục``: pause the unit's reminders, or end the pause;
        ``nhóm|riêng|cả hai``: where they go (read by ``bot.language.pauses``)."""
        from bot.language.pauses import Action, read_reminder_request

        language, tz, now = actor.language, self.settings.tz, self.clock()
        request = read_reminder_request(" ".join(incoming.args), self.today())
        if request.action is not Action.LIST and actor.unit_id is None:
            return reminder_views.pause_usage_reply(language)
        unit_name = actor.unit_name or ""
        if request.action is Action.DESTINATION:
            preferences.set_destination(self.db, actor.unit_id, request.destination)
            self.rebuild_schedule()
            return reminder_views.destination_reply(request.destination, language)
        if request.action is Action.PAUSE:
            if request.problem is not None or request.last_day is None:
                return reminder_views.pause_problem_reply(request, language)
            end, kept = preferences.pause(self.db, actor.unit_id, request.last_day, now, tz)
            return reminder_views.paused_reply(unit_name, end, kept, language, tz)
        if request.action is Action.RESUME:
            ended = preferences.resume(self.db, actor.unit_id, now)
            self.rebuild_schedule()
            return reminder_views.resumed_reply(unit_name, ended, language, tz)
        unit_id = access.reminder_unit(actor)
        items = upcoming.upcoming(self.db, unit_id, now)
        paused = preferences.pause_end(self.db, unit_id, now) if unit_id is not None else None
        unit = actor.unit_name if unit_id is not None else None
        return reminder_views.upcoming_reply(items, unit, language, tz, paused)

    # -- progress -----------------------------------------------------------------------

    def _overview(self, outcome: reports.Outcome, actor: Actor, in_private: bool) -> Reply:
        """ "tình hình tháng này", "/tinhhinh quý 3": totals, who is behind, and a chart."""
        from bot.language.normalize import fold
        from bot.services import progress
        from bot.views import progress as progress_views

        interpretation = outcome.interpretation
        today = self.today()
        written = (
            interpretation.period if interpretation and interpretation.period_written else None
        )
        period = written or period_of(PeriodKind.MONTH, today)
        detail = access.may_see(actor, access.View.RANKING)
        language = actor.language
        if interpretation is not None:
            # One task: "nhiệm vụ 2.1 ai chưa xong?" (an official: where their unit stands)
            tasks = [t for t in interpretation.tasks if len(t.task_ids) == 1]
            if tasks and detail:
                label, states = progress.task_states(
                    self.db, tasks[0].task_ids[0], today, viewer=actor
                )
                return progress_views.task_reply(label, states, language)
            if tasks and actor.unit_id is not None and actor.unit_name is not None:
                codes = {outcome.task_codes.get(t.task_ids[0]) for t in tasks}
                mine = plans.unit_tasks(self.db, actor, actor.unit_id, today)
                found_tasks = [t for t in mine if t.code in codes]
                if found_tasks:
                    return plan_views.unit_tasks_reply(actor.unit_name, found_tasks, language)
            # One indicator: "số hóa quý 3 thế nào?"
            figures = [i for i in interpretation.indicators if len(i.indicator_ids) == 1]
            if figures and detail:
                indicator_id = figures[0].indicator_ids[0]
                candidates = self._figure_periods(period, today)
                for asked in candidates:
                    found = progress.indicator_detail(self.db, indicator_id, asked, viewer=actor)
                    if found is None or found.figures:
                        break
                else:
                    asked = candidates[-1]
                return progress_views.indicator_reply(found, asked, language)
            # One unit: "tiến độ xã Sơn Dương" (an official: their own unit only)
            pick = interpretation.unit
            named = pick.unit if pick is not None and pick.decision == "match" else None
            if named is not None:
                return self._unit_reply(named.id, named.name, period, today, actor)
            # Who is late: "xã nào chậm?", "đơn vị nào chưa báo cáo?" (not for officials)
            key = fold(interpretation.text)
            if any(w in key for w in ("cham", "tre", "qua han", "chua bao cao")):
                silent_first = "chua bao cao" in key
                return self._late_reply(period, today, written, actor, silent_first)
        data = self.progress_overview(period, today, viewer=actor)
        own = None if detail else actor.unit_id
        # An official also sees their own unit's tasks overdue from any month.
        late = (
            next(iter(progress.overdue(self.db, today, own, viewer=actor)), None) if own else None
        )
        return progress_views.overview_reply(data, language, detail=detail, own_unit=own, late=late)

    def today(self) -> date:
        return self.clock().astimezone(self.settings.tz).date()

    def _figure_periods(self, period: Period, today: date) -> tuple[Period, ...]:
        """Where to look for indicator figures when asked about ``period``.

        After the cut-off day, figures sent without a period are for the next month
        (Decree 09/2019): asked about the current month, show the figures coming in now,
        else the month's own.
        """
        if period != period_of(PeriodKind.MONTH, today):
            return (period,)
        now = reporting_period(today, PeriodKind.MONTH, self.settings.report_cutoff_day)
        return (now, period) if now != period else (period,)

    def progress_overview(
        self, period: Period, today: date, unit_id: int | None = None, *, viewer: Actor
    ):
        from bot.services import progress

        return progress.overview(
            self.db,
            period,
            today,
            unit_id,
            viewer=viewer,
            tz=self.settings.tz,
            indicator_periods=self._figure_periods(period, today),
        )

    def _late_reply(
        self,
        period: Period,
        today: date,
        written: Period | None,
        actor: Actor,
        silent_first: bool = False,
    ) -> Reply:
        from bot.services import progress
        from bot.views import progress as progress_views

        late = progress.overdue(self.db, today, period=written, viewer=actor)
        quiet = progress.silent(self.db, period, today, viewer=actor, tz=self.settings.tz)
        return progress_views.late_reply(
            late, quiet, today, actor.language, due_in=written, silent_first=silent_first
        )

    def _question_button(self, incoming: Incoming, actor: Actor) -> Reply:
        """The buttons under an overview: who is late, the period before, the full list."""
        from bot.services import progress
        from bot.views import progress as progress_views

        parts = (incoming.callback_data or "").split(":")
        period = Period.from_key(parts[2]) if len(parts) in (3, 4) else None
        if period is None:
            return common.stale_button_reply(actor.language)
        access.require(actor, access.View.RANKING)
        today = self.today()
        if parts[1] == "late":
            return self._late_reply(period, today, None, actor)
        if parts[1] == "unit" and len(parts) == 4 and parts[3].isdigit():
            name = progress.unit_name(self.db, int(parts[3]))
            if name is None:
                return common.stale_button_reply(actor.language)
            return self._unit_reply(int(parts[3]), name, period, today, actor)
        data = self.progress_overview(period, today, viewer=actor)
        if parts[1] == "xlsx":
            return progress_views.ranking_reply(data, actor.language)
        return progress_views.overview_reply(data, actor.language, detail=True)

    def _unit_reply(
        self, unit_id: int, name: str, period: Period, today: date, actor: Actor
    ) -> Reply:
        """One unit: its tasks by status, its indicators, and its latest reports."""
        from bot.services import progress
        from bot.views import progress as progress_views

        language = actor.language
        data = self.progress_overview(period, today, unit_id, viewer=actor)
        late = next(iter(progress.overdue(self.db, today, unit_id, viewer=actor)), None)
        reply = progress_views.overview_reply(
            data, language, detail=True, unit=(unit_id, name), late=late
        )
        latest = reports.history(self.db, actor, unit_id, limit=3)
        if latest.rows:
            latest.undoable = []  # undone from /lichsu, not from a summary
            recent = report_views.history_reply(name, latest, language, self.settings.tz)
            reply.text += "\n" + recent.text
        return reply

    def _report_button(self, incoming: Incoming, actor: Actor) -> list[Reply]:
        language = actor.language
        parts = (incoming.callback_data or "").split(":")
        action = parts[1] if len(parts) > 2 else ""
        numbers = [int(p) for p in parts[2:] if p.isdigit()]
        if len(numbers) != len(parts) - 2 or not numbers:
            return [common.stale_button_reply(language)]
        now = self.clock()
        if action == "undo":
            outcome = reports.undo(self.db, numbers[0], actor, now)
            return [report_views.undone_reply(outcome, language, self.settings.tz)]
        if action == "no":
            if not reports.cancel(self.db, numbers[0], actor, now):
                return [report_views.gone_reply(language)]
            return [report_views.cancelled_reply(language)]
        if action in ("ok", "pick"):
            option = numbers[1] if action == "pick" and len(numbers) > 1 else None
            outcome = reports.choose(self.db, numbers[0], option, actor, now, self.today())
            if outcome is None:
                return [report_views.gone_reply(language)]
            return self._report_replies(outcome, actor, True) or []
        return [common.stale_button_reply(language)]

    # -- the plan ---------------------------------------------------------------------

    def _plan_file(self, incoming: Incoming, actor: Actor) -> Reply:
        language = actor.language
        if not actor.manages:
            return plan_views.plan_only_office_reply(language)
        file = incoming.file
        assert file is not None
        if file.content is None or (file.size or 0) > MAX_FILE_BYTES:
            return plan_views.plan_error_reply("too_large", file.name, language)
        try:
            summary = plans.preview(
                self.db, file.content, file.name, actor, self.clock(), self.today()
            )
        except plans.PlanError as exc:
            return plan_views.plan_error_reply(exc.reason, file.name, language, exc.file_type)
        return plan_views.preview_reply(summary, language)

    def _plan_button(self, incoming: Incoming, actor: Actor) -> list[Reply]:
        language = actor.language
        parts = (incoming.callback_data or "").split(":")
        action, raw_id = (parts[1], parts[2]) if len(parts) >= 3 else ("", "")
        if not actor.manages:
            if action == "use":
                return [plan_views.plan_choice_only_office_reply(language)]
            return [plan_views.plan_only_office_reply(language)]
        try:
            plan_id = int(raw_id)
        except ValueError:
            return [common.stale_button_reply(language)]
        if action == "ok":
            outcome = plans.confirm(self.db, plan_id, self.clock())
            if outcome is None:
                return [plan_views.plan_gone_reply(language)]
            self.rebuild_schedule()
            choice = plans.plan_choice(self.db, self.today())
            return [plan_views.outcome_reply(outcome, language, choice)]
        if action == "use":
            chosen = plans.use_plan(self.db, plan_id, self.today())
            if chosen is None:
                return [common.stale_button_reply(language)]
            self.rebuild_schedule()  # reminders follow the plan in use
            reply = self._plan_outline(actor)
            reply.notice = plan_views.plan_in_use_notice(chosen, language)
            return [reply]
        if action == "no":
            plans.discard(self.db, plan_id)
            return [plan_views.plan_cancelled_reply(language)]
        if action == "xlsx":
            rows = plans.detail_rows(self.db, plan_id)
            summary = plans.summary(self.db, plan_id, self.today())
            if rows is None or summary is None:
                return [plan_views.plan_gone_reply(language)]
            content = plan_views.detail_workbook(rows, summary.warnings, language)
            return [plan_views.detail_reply(content, language)]
        if action == "u" and len(parts) == 5 and parts[3].isdigit() and parts[4].isdigit():
            unit_id = int(parts[4]) or None
            summary = plans.choose_unit(self.db, plan_id, int(parts[3]), unit_id, self.today())
            if summary is None:
                return [plan_views.plan_gone_reply(language)]
            return [plan_views.preview_reply(summary, language)]
        if action in ("ti0", "ti1"):
            summary = plans.set_task_indicators(self.db, plan_id, action == "ti1", self.today())
            if summary is None:
                return [plan_views.plan_gone_reply(language)]
            return [plan_views.preview_reply(summary, language)]
        return [common.stale_button_reply(language)]

    def _plan_outline(self, actor: Actor) -> Reply:
        """``/kehoach``: the plan in use; with several plans, the list (and for the office,
        a button to use each other one)."""
        today = self.today()
        choice = plans.plan_choice(self.db, today)
        plan_id = choice.in_use
        summary = plans.summary(self.db, plan_id, today) if plan_id is not None else None
        sections = plans.sections(self.db, plan_id) if plan_id is not None else []
        return plan_views.outline_reply(summary, sections, actor.language, actor.manages, choice)

    def _unit_tasks(self, incoming: Incoming, actor: Actor) -> Reply:
        language = actor.language
        if incoming.args:
            with self.db.session() as session:
                match = unit_catalogue(session).match(" ".join(incoming.args))
            if match.decision is not Decision.MATCH or match.unit is None:
                return Reply(common.unit_problem(match, language))
            unit_id, unit_name = match.unit.id, match.unit.name
        elif actor.unit_id is not None and actor.unit_name is not None:
            unit_id, unit_name = actor.unit_id, actor.unit_name
        else:
            return plan_views.unit_tasks_usage_reply(language)
        tasks = plans.unit_tasks(self.db, actor, unit_id, self.today())
        return plan_views.unit_tasks_reply(unit_name, tasks, language)
