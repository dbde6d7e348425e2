"""Importing the plan: read a file, preview it as a draft, confirm or drop it; which
plan is in use.

The pipeline is pure up to :func:`read_plan` (file → Document → PlanDraft → units
resolved). A preview is stored as a *draft* plan (its tasks and assignments as they
would be), so the preview survives a restart and "Xem chi tiết" can list it. Confirming
a draft either makes it a new plan or, when it is a corrected version of an imported
plan **of the same year** (same title, or same issuer), merges it into that plan:
changed tasks are updated by code, new ones added, missing ones marked withdrawn. A plan
of another year is always a new plan: plans of several years are kept side by side and
:mod:`storage.current_plan` says which one is in use (the office may choose another with
``/kehoach``: :func:`use_plan`). The preview says which plan a file will update, or that
it will be a new plan, and warns when an update would withdraw many tasks
(:data:`WITHDRAWAL_ALARM`). Assignments that have reported statuses are never deleted,
so no history is lost. Every public function is one unit of work (one transaction).

Reading is bounded (:mod:`bot.plans.readers`' limits, and ``MAX_READ_SECONDS`` on the
``timer`` given); a file name is stored and shown without NUL or other control
characters (:func:`~bot.plans.files.clean_name`: PostgreSQL text cannot hold NUL).

The modules: ``reading`` (a file read, nothing stored; its JSON), ``summaries`` (what a
plan or a draft looks like, and what importing it would do), ``drafts`` (storing,
settling and dropping a preview), ``confirming`` (a draft becomes or corrects a plan),
``in_use`` (the plan in use and what the views list of it), ``moving`` (a task's
deadline set or moved by the office, or asked for by an official).
"""

from bot.services.plans.confirming import ImportOutcome, confirm
from bot.services.plans.drafts import (
    choose_unit,
    create_units,
    discard,
    preview,
    set_task_indicators,
    store_draft,
)
from bot.services.plans.in_use import (
    IndicatorRecord,
    PlanChoice,
    PlanRecord,
    TaskRecord,
    UnitTask,
    current_plan_id,
    plan_choice,
    plan_record,
    sections,
    unit_tasks,
    use_plan,
)
from bot.services.plans.moving import (
    DECLINED_NOTICE,
    GRANTED_NOTICE,
    REQUEST_NOTICE,
    Declined,
    Move,
    Pending,
    Refusal,
    Refused,
    Request,
    decline,
    move,
    pending_requests,
    propose,
    request,
)
from bot.services.plans.reading import PlanError, plan_json, read_plan
from bot.services.plans.summaries import (
    WITHDRAWAL_ALARM,
    PlanBrief,
    PlanSummary,
    UpdateTarget,
    WithdrawalAlarm,
    dry_run_summary,
    summarise,
    summary,
)

__all__ = [
    "DECLINED_NOTICE",
    "GRANTED_NOTICE",
    "REQUEST_NOTICE",
    "WITHDRAWAL_ALARM",
    "Declined",
    "ImportOutcome",
    "IndicatorRecord",
    "Move",
    "Pending",
    "PlanBrief",
    "PlanChoice",
    "PlanError",
    "PlanRecord",
    "PlanSummary",
    "Refusal",
    "Refused",
    "Request",
    "TaskRecord",
    "UnitTask",
    "UpdateTarget",
    "WithdrawalAlarm",
    "choose_unit",
    "confirm",
    "create_units",
    "current_plan_id",
    "decline",
    "discard",
    "dry_run_summary",
    "move",
    "pending_requests",
    "plan_choice",
    "plan_json",
    "plan_record",
    "preview",
    "propose",
    "read_plan",
    "request",
    "sections",
    "set_task_indicators",
    "store_draft",
    "summarise",
    "summary",
    "unit_tasks",
    "use_plan",
]
