"""What a plan looks like for the views: the summary of a draft, an imported plan or a
file read but not stored, and what importing a draft would do (which plan it updates,
what it withdraws, which plan is then in use)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bot.language.normalize import fold
from bot.plans.files import clean_name
from bot.plans.model import IndicatorDraft, TaskDraft, WarningKind
from bot.plans.resolve import ResolvedPlan, issuer_name, new_unit_names
from bot.services.plans.moving import kept_move, moves_in_force
from bot.services.plans.reading import warning_json
from bot.services.units import unit_catalogue
from storage import current_plan as current
from storage.db import Database
from storage.models import (
    Assignment,
    Indicator,
    Plan,
    Task,
)


def indicator_row(draft: IndicatorDraft) -> Indicator:
    return Indicator(
        code=draft.code,
        name=draft.name,
        measure=draft.measure[:16],
        comparator=draft.comparator.value,
        target=draft.target,
        aliases=list(draft.aliases),
        source=draft.source,
        task_code=draft.task_code,
        units_text=draft.units_text,
        keep=True,
    )


@dataclass(frozen=True)
class WithdrawalAlarm:
    """When an update withdraws "many" tasks: more than ``tasks`` of them, or more than
    ``share`` of the plan (so a small plan losing a few is flagged too)."""

    tasks: int
    share: float

    def raised(self, withdrawn: int, total: int) -> bool:
        return withdrawn > self.tasks or (total > 0 and withdrawn > self.share * total)


# An update that withdraws more than 3 tasks, or more than a fifth of the plan, says so
# in bold in the preview, before Nhập.
WITHDRAWAL_ALARM = WithdrawalAlarm(tasks=3, share=0.2)


@dataclass(frozen=True)
class PlanBrief:
    """An imported plan, in a list or as the one a file updates."""

    id: int
    year: int | None
    title: str
    tasks: int  # tasks not withdrawn


@dataclass(frozen=True)
class UpdateTarget:
    """The imported plan a draft would update, what the update would withdraw, and what
    it does to the deadlines the office moved."""

    plan: PlanBrief
    withdrawn: list[str]  # codes of its tasks the draft does not have
    current: bool  # it is the plan in use
    # the office's deadlines the file leaves be (it says what the plan said before), and
    # those it sets again (code, the office's deadline, what the file says)
    kept_deadlines: list[tuple[str, date]] = field(default_factory=list)
    reset_deadlines: list[tuple[str, date, str]] = field(default_factory=list)

    @property
    def alarming(self) -> bool:
        return WITHDRAWAL_ALARM.raised(len(self.withdrawn), self.plan.tasks)


@dataclass
class PlanSummary:
    """What a preview or an imported plan looks like, for the views."""

    plan_id: int
    title: str
    issuer: str | None
    year: int | None
    filename: str | None
    draft: bool
    tasks: int
    by_kind: dict[str, int]
    by_unit: list[tuple[str, int]]  # unit name → tasks it leads or cooperates on
    units: int  # distinct responsible units
    indicators: list[Indicator]
    warnings: list[dict[str, Any]]
    assignments: int = 0
    duties: int = 0
    year_source: str | None = None  # bot.plans.model.YearSource
    source: dict[str, Any] | None = None  # bot.plans.model.Source.as_json: how it was read
    # A draft only: the plan it would update (None: it would be a new plan), the plan in
    # use now, and whether the draft, as a new plan, would be the one in use.
    target: UpdateTarget | None = None
    in_use: PlanBrief | None = None
    becomes_current: bool = False
    # Names the plan gives that no unit has and the office may create: (key, name), the
    # key as bot.plans.resolve.new_unit_key gives it.
    new_units: list[tuple[int, str]] = field(default_factory=list)


def own_place(plan: Plan, session: Session) -> str | None:
    """The issuer whose own bodies the plan names by their kind alone, as the deployment
    names it (:func:`~bot.plans.resolve.issuer_name`)."""
    return issuer_name(plan.issuer, unit_catalogue(session))


def read_damaged(plan: Plan) -> bool:
    """Whether the plan was read from damaged OCR text (its words repaired)."""
    return bool((plan.source or {}).get("repaired_words"))


def new_units(
    warnings: list[dict[str, Any]], issuer: str | None, damaged: bool = False
) -> list[tuple[int, str]]:
    """The units the "unit not found" warnings of a plan of ``issuer`` (read from
    ``damaged`` text or not) could create, once each."""
    written = [
        w.get("detail") or ""
        for w in warnings
        if w.get("kind") == WarningKind.UNRESOLVED_UNIT.value
    ]
    return list(new_unit_names(written, issuer, damaged).items())


def load_plan(session: Session, plan_id: int) -> Plan | None:
    return session.scalar(
        select(Plan)
        .where(Plan.id == plan_id)
        .options(
            selectinload(Plan.tasks).selectinload(Task.assignments).selectinload(Assignment.unit),
            selectinload(Plan.indicators),
            selectinload(Plan.duties),
        )
    )


def summary(db: Database, plan_id: int, today: date) -> PlanSummary | None:
    """A plan's summary; for a draft, also what importing it would do on ``today``."""
    with db.session() as session:
        plan = load_plan(session, plan_id)
        if plan is None:
            return None
        return summarise_plan(plan, session, today)


def brief(session: Session, plan: Plan) -> PlanBrief:
    count = session.scalar(
        select(func.count()).where(Task.plan_id == plan.id, Task.withdrawn_at.is_(None))
    )
    return PlanBrief(plan.id, plan.year, plan.title, count or 0)


def _effect(
    session: Session,
    summary: PlanSummary,
    title: str,
    issuer: str | None,
    year: int | None,
    deadlines: dict[str, tuple[str | None, date | None, str]],
    today: date,
) -> None:
    """Fill in what importing a draft (its tasks: code → timeframe kind, deadline and
    wording) would do: which plan it updates (and withdraws from, and the deadlines the
    office moved it keeps or sets again), which plan is in use, and whether a new plan
    would be the one in use."""
    plans = current.imported_plans(session)
    choice = current.read_choice(session)
    in_use_id = current.pick(plans, choice, today.year)
    in_use = session.get(Plan, in_use_id) if in_use_id is not None else None
    summary.in_use = brief(session, in_use) if in_use is not None else None
    target = same_plan_as(session, title, issuer, year)
    if target is None:
        # As a new plan (the newest one), would it be the plan in use once imported?
        newest = max((p.id for p in plans), default=0) + 1
        hypothetical = [*plans, current.PlanYear(newest, year)]
        summary.becomes_current = current.pick(hypothetical, choice, today.year) == newest
        return
    standing = session.scalars(
        select(Task)
        .where(Task.plan_id == target.id, Task.withdrawn_at.is_(None))
        .order_by(Task.position)
    ).all()
    withdrawn = [t.code for t in standing if t.code not in deadlines]
    kept: list[tuple[str, date]] = []
    reset: list[tuple[str, date, str]] = []
    moves = moves_in_force(session, standing)
    for task in standing:
        move = moves.get(task.id)
        if move is None or task.code not in deadlines:
            continue
        kind, due, written = deadlines[task.code]
        if kept_move(move, kind, due):
            kept.append((task.code, move.due))
        elif (kind, due) != ("due", move.due):
            reset.append((task.code, move.due, written))
    summary.target = UpdateTarget(
        brief(session, target), withdrawn, target.id == in_use_id, kept, reset
    )


def summarise_plan(plan: Plan, session: Session, today: date) -> PlanSummary:
    tasks = [t for t in plan.tasks if t.withdrawn_at is None]
    per_unit: Counter[str] = Counter()
    for task in tasks:
        for assignment in task.assignments:
            per_unit[assignment.unit.name] += 1
    result = PlanSummary(
        plan_id=plan.id,
        title=plan.title,
        issuer=plan.issuer,
        year=plan.year,
        filename=plan.source_filename,
        draft=plan.draft,
        tasks=len(tasks),
        by_kind=dict(Counter(t.timeframe_kind or "unknown" for t in tasks)),
        by_unit=sorted(per_unit.items(), key=lambda item: (-item[1], fold(item[0]))),
        units=len(per_unit),
        indicators=[i for i in plan.indicators if i.withdrawn_at is None],
        warnings=list(plan.warnings or []),
        assignments=sum(len(t.assignments) for t in tasks),
        duties=len(plan.duties),
        year_source=plan.year_source,
        source=plan.source,
        new_units=(
            new_units(list(plan.warnings or []), own_place(plan, session), read_damaged(plan))
            if plan.draft
            else []
        ),
    )
    if plan.draft:
        deadlines = {t.code: (t.timeframe_kind, t.due_date, t.timeframe_text or "") for t in tasks}
        _effect(session, result, plan.title, plan.issuer, plan.year, deadlines, today)
    return result


def summarise(resolved: ResolvedPlan, filename: str) -> PlanSummary:
    """The summary of a plan that was read but not stored (``--dry-run``)."""
    filename = clean_name(filename)
    draft = resolved.draft
    per_unit: Counter[str] = Counter()
    assignments = 0
    for task in resolved.tasks:
        for unit, _role in task.units().values():
            per_unit[unit.name] += 1
            assignments += 1
    return PlanSummary(
        plan_id=0,
        title=draft.title or filename,
        issuer=draft.issuer,
        year=draft.year,
        filename=filename,
        draft=True,
        tasks=len(resolved.tasks),
        by_kind=dict(
            Counter(
                t.draft.timeframe.kind.value if t.draft.timeframe else "unknown"
                for t in resolved.tasks
            )
        ),
        by_unit=sorted(per_unit.items(), key=lambda item: (-item[1], fold(item[0]))),
        units=len(per_unit),
        indicators=[indicator_row(i) for i in draft.indicators],
        warnings=[warning_json(w) for w in draft.warnings],
        assignments=assignments,
        duties=len(resolved.duties),
        year_source=draft.year_source.value if draft.year_source else None,
        source=draft.source.as_json() if draft.source else None,
    )


def dry_run_summary(
    db: Database, resolved: ResolvedPlan, filename: str, today: date
) -> PlanSummary:
    """The summary of a plan read but not stored, with what importing it would do."""
    result = summarise(resolved, filename)
    draft = resolved.draft
    with db.session() as session:
        _effect(
            session,
            result,
            draft.title or filename,
            draft.issuer,
            draft.year,
            {t.draft.code: draft_deadline(t.draft) for t in resolved.tasks},
            today,
        )
    return result


def draft_deadline(task: TaskDraft) -> tuple[str, date | None, str]:
    """A task read from a file: its timeframe kind and deadline as they are stored (no
    timeframe read: "unknown"), and its wording."""
    timeframe = task.timeframe
    kind = timeframe.kind.value if timeframe else "unknown"
    return kind, timeframe.due if timeframe else None, task.timeframe_text or ""


def same_plan_as(session: Session, title: str, issuer: str | None, year: int | None) -> Plan | None:
    same_year = Plan.year.is_(None) if year is None else Plan.year == year
    candidates = session.scalars(
        select(Plan)
        .where(Plan.draft.is_(False), Plan.active.is_(True), same_year)
        .order_by(Plan.id.desc())
    ).all()
    for plan in candidates:
        if fold(plan.title) == fold(title):
            return plan
    for plan in candidates:
        if plan.issuer and issuer and fold(plan.issuer) == fold(issuer):
            return plan
    return None
