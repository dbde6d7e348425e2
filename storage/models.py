"""SQLAlchemy 2 typed models for every entity of the design (docs/architecture.md).

Some tables (plans, tasks, indicators, status updates, reminders) are filled by later
features; they exist from the first migration so the schema grows by migrations only.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}  # noqa: RUF012


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    """A portable enum column: VARCHAR with a CHECK constraint, values as stored."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=24,
        values_callable=lambda members: [m.value for m in members],
    )


MAX_KIND_CHARS = 60  # a kind word kept as written ("Ban Chỉ huy Quân sự", "Chi cục Thuế")


class UnitKind(enum.StrEnum):
    """The kinds with a code of their own. ``units.kind`` holds one of these codes or,
    for any other body a plan or a file names ("Công an", "Hội Nông dân", "Chi cục
    Thuế"), the kind word as it was written (``bot.language.units.normalise_kind``)."""

    PROVINCE = "tinh"
    CITY = "thanh_pho"
    COMMUNE = "xa"
    WARD = "phuong"
    SPECIAL_ZONE = "dac_khu"
    DISTRICT = "huyen"
    TOWN = "thi_xa"
    TOWNLET = "thi_tran"
    DEPARTMENT = "so"
    OFFICE = "van_phong"
    DIVISION = "phong"
    BOARD = "ban"
    CENTER = "trung_tam"
    AGENCY = "co_quan"
    OTHER = "khac"


class AliasKind(enum.StrEnum):
    FORMER = "former"
    ABBREVIATION = "abbreviation"
    OTHER = "other"


class UnitSource(enum.StrEnum):
    OFFICIAL = "official"
    IMPORT = "import"
    MANUAL = "manual"
    PLAN = "plan"  # created by the office from a plan's preview (see UnitChange)


class Role(enum.StrEnum):
    OFFICIAL = "official"
    OFFICE = "office"
    LEADER = "leader"
    ADMIN = "admin"


class TaskUnitRole(enum.StrEnum):
    LEAD = "lead"
    COOPERATE = "cooperate"


class TaskStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DELAYED = "delayed"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


class ReminderState(enum.StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    CANCELLED = "cancelled"
    FAILED = "failed"


class Meta(Base):
    """Small key/value facts about the deployment (the bot's username, …)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("parent_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str | None] = mapped_column(String(200))
    # A UnitKind code, or another kind word as written (no constraint: any body).
    kind: Mapped[str] = mapped_column(String(MAX_KIND_CHARS))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("units.id", ondelete="RESTRICT"), index=True
    )
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    source: Mapped[UnitSource] = mapped_column(_enum(UnitSource, "unit_source"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")
    aliases: Mapped[list[UnitAlias]] = relationship(
        back_populates="unit", cascade="all, delete-orphan", order_by="UnitAlias.id"
    )

    def __repr__(self) -> str:
        return f"Unit({self.id}, {self.name!r}, {self.kind})"


class UnitAlias(Base):
    """Another name of a unit: a former (pre-2025) name, an abbreviation, a common form."""

    __tablename__ = "unit_aliases"
    __table_args__ = (UniqueConstraint("unit_id", "fold_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200))
    fold_key: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[AliasKind] = mapped_column(_enum(AliasKind, "alias_kind"))
    note: Mapped[str | None] = mapped_column(String(300))

    unit: Mapped[Unit] = relationship(back_populates="aliases")


class UnitChange(Base):
    """A change to the units made from a chat, with who made it and the update that made
    it (the row in the message log): today a unit created from a plan's preview."""

    __tablename__ = "unit_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(24))  # "created"
    # What the change was made from (the name as the plan wrote it).
    detail: Mapped[str | None] = mapped_column(Text)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"))
    official_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))
    inbound_message_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_messages.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Official(Base):
    """A person bound to a Telegram account, a unit and a role."""

    __tablename__ = "officials"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "official_role"))
    full_name: Mapped[str] = mapped_column(String(200))
    username: Mapped[str | None] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(8))
    telegram_language: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit | None] = relationship()


class Invite(Base):
    """A one-time registration code, opened as a deep link ``t.me/<bot>?start=<code>``."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    role: Mapped[Role] = mapped_column(_enum(Role, "invite_role"))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))

    unit: Mapped[Unit | None] = relationship()


class WebLink(Base):
    """A one-time link to the web pages, sent by ``/web`` in a private chat: only the
    SHA-256 of its random token is kept; it opens one session, once, before it expires."""

    __tablename__ = "web_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class WebSession(Base):
    """A session on the web pages, opened from a :class:`WebLink`: the cookie carries its
    random key (signed); only the key's SHA-256 is kept. It ends on logout, on
    ``/web thoat``, or after the idle time (``DONDOC_WEB_IDLE_MINUTES``) since last seen."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class Chat(Base):
    """A group chat the bot is in, bound to the units whose reminders go there."""

    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    type: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(8))
    quiet_start_minute: Mapped[int] = mapped_column(SmallInteger, default=21 * 60)
    quiet_end_minute: Mapped[int] = mapped_column(SmallInteger, default=7 * 60)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    added_by_user_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    units: Mapped[list[Unit]] = relationship(secondary="chat_units", order_by="Unit.name")


class ChatUnit(Base):
    __tablename__ = "chat_units"

    chat_id: Mapped[int] = mapped_column(
        ForeignKey("chats.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class InboundMessage(Base):
    """Every inbound update (idempotency) and the raw text behind every stored fact.

    A Telegram update is logged as it is fetched, with its ``payload``, before Telegram is
    told it was received; ``claimed_at`` is set when handling starts and ``handled_at``
    when its replies went out (the payload is then dropped). A row left unhandled by a
    crash or an outage is handled again (``handlers/intake.py``).

    An update is known by its transport, the bot that received it (Telegram's ids start
    over for a new token) and its id, while ``live``: a row answered longer ago than
    Telegram's redelivery horizon is retired (``live`` NULL, which the unique key never
    compares equal), so a new update that reuses its id is taken as new
    (``bot/services/inbound.py``).
    """

    __tablename__ = "inbound_messages"
    __table_args__ = (
        UniqueConstraint("transport", "bot_id", "update_id", "live"),
        Index(None, "chat_id", "handled_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transport: Mapped[str] = mapped_column(String(16))
    # The bot's own id (the number before ":" in its token); 0 for the console and demo.
    bot_id: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    update_id: Mapped[int] = mapped_column(BigInteger)
    live: Mapped[bool | None] = mapped_column(Boolean, default=True)
    kind: Mapped[str] = mapped_column(String(24))
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    official_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), index=True)
    text: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    claimed_at: Mapped[datetime | None]
    # The instance handling it (``Core.instance``): on PostgreSQL each instance holds an
    # advisory lock keyed by it while it runs, so a dead one's claims are released.
    claimed_by: Mapped[str | None] = mapped_column(String(36))
    handled_at: Mapped[datetime | None] = mapped_column(index=True)


class JobRun(Base):
    """A scheduled job's run in one slot (its due time, rounded to its interval): the
    instance that inserts the row runs the job; the others, finding it, skip that slot
    (``scheduling/jobs.py``)."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("name", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    slot: Mapped[datetime]
    started_at: Mapped[datetime]


class Plan(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(String(300))
    year: Mapped[int | None] = mapped_column(Integer)
    # Where the year was read (bot.plans.model.YearSource: title, label, deadlines, date,
    # assumed); None for a plan without a year or imported before it was recorded.
    year_source: Mapped[str | None] = mapped_column(String(16))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    source_filename: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A preview waiting for the office to confirm it (Nhập) or drop it (Hủy).
    draft: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))
    # What looked wrong when the file was read: [{"kind", "task_code", "detail"}].
    warnings: Mapped[list[dict[str, str | None]]] = mapped_column(
        JSON, default=list, server_default="[]"
    )
    # How the file was read (bot.plans.model.Source.as_json); None before it was recorded.
    source: Mapped[dict[str, object] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None]

    tasks: Mapped[list[Task]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Task.position"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Indicator.id"
    )
    duties: Mapped[list[PlanDuty]] = relationship(cascade="all, delete-orphan")


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    written_code: Mapped[str | None] = mapped_column(String(32))
    code_generated: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    product: Mapped[str | None] = mapped_column(Text)
    lead_text: Mapped[str | None] = mapped_column(Text)
    cooperate_text: Mapped[str | None] = mapped_column(Text)
    timeframe_text: Mapped[str | None] = mapped_column(Text)
    timeframe_kind: Mapped[str | None] = mapped_column(String(16))
    due_date: Mapped[date | None] = mapped_column(Date)
    start_date: Mapped[date | None] = mapped_column(Date)
    recurrence: Mapped[str | None] = mapped_column(String(32))
    # Set when a corrected plan no longer has this task; its history stays.
    withdrawn_at: Mapped[datetime | None]

    plan: Mapped[Plan] = relationship(back_populates="tasks")
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="task", cascade="all, delete-orphan"
    )


class DeadlineChange(Base):
    """A task's deadline set or moved from a chat by the office ("gia hạn nv 4.3 đến
    31/12"): what it was, what it became, who did it and when. The task holds the new
    deadline; these rows are its history."""

    __tablename__ = "deadline_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    kind_before: Mapped[str | None] = mapped_column(String(16))  # the task's timeframe kind
    due_before: Mapped[date | None] = mapped_column(Date)
    due_after: Mapped[date] = mapped_column(Date)
    official_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Assignment(Base):
    """A task given to one responsible unit (lead or cooperating)."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("task_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[TaskUnitRole] = mapped_column(_enum(TaskUnitRole, "assignment_role"))

    task: Mapped[Task] = relationship(back_populates="assignments")
    unit: Mapped[Unit] = relationship()


class Indicator(Base):
    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(Text)
    measure: Mapped[str] = mapped_column(String(16))
    comparator: Mapped[str] = mapped_column(String(4))
    target: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    # "table": from an indicator table; "task": a target stated in a task's text, which
    # the office keeps or drops in the preview (``keep``).
    source: Mapped[str] = mapped_column(String(8), default="table", server_default="table")
    task_code: Mapped[str | None] = mapped_column(String(32))
    units_text: Mapped[str | None] = mapped_column(Text)
    keep: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    withdrawn_at: Mapped[datetime | None]

    plan: Mapped[Plan] = relationship(back_populates="indicators")


class IndicatorValue(Base):
    __tablename__ = "indicator_values"
    __table_args__ = (
        Index(None, "indicator_id", "unit_id", "period_start"),
        Index(None, "created_at", "id"),  # the log of reports, newest first
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    # None: the unit said nothing arose in the period ("không phát sinh", "0/0"), so it
    # has no figure (numerator and denominator None too); never counted in a value.
    value: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    numerator: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    denominator: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))
    inbound_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbound_messages.id"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retracted_at: Mapped[datetime | None]
    retracted_by_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_messages.id"))


class StatusUpdate(Base):
    """Append-only history of a task's status for one responsible unit."""

    __tablename__ = "status_updates"
    __table_args__ = (Index(None, "created_at", "id"),)  # the log of reports, newest first

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    period_start: Mapped[date | None] = mapped_column(Date)
    status: Mapped[TaskStatus] = mapped_column(_enum(TaskStatus, "task_status"))
    percent: Mapped[int | None] = mapped_column(SmallInteger)
    note: Mapped[str | None] = mapped_column(Text)
    evidence_file_id: Mapped[str | None] = mapped_column(String(255))
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))
    inbound_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbound_messages.id"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Done on a day the report wrote ("hoàn thành ngày 28/11"): the start of that day,
    # local; None when it wrote none (``created_at`` stands for it).
    done_at: Mapped[datetime | None]
    retracted_at: Mapped[datetime | None]
    # The message that withdrew it: a correction (undoing the correction restores this
    # row) or an undo.
    retracted_by_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_messages.id"))

    @property
    def finished_at(self) -> datetime:
        """When the work was finished, for a report of it done: the day written, else
        when the report was sent."""
        return self.done_at or self.created_at


class ConflictEnd(enum.StrEnum):
    """How a disagreement between two reporters was closed."""

    EARLIER = "earlier"  # the office kept the earlier report (the later one withdrawn)
    LATER = "later"  # the office kept the later report
    SUPERSEDED = "superseded"  # a newer disagreement about the same item replaced it
    WITHDRAWN = "withdrawn"  # one of the two reports was undone
    AGREED = "agreed"  # the later reporter came back to the earlier value
    CORRECTED = "corrected"  # the office corrected the item ("sửa: …")


class ReportConflict(Base):
    """Two reporters who disagree about one item of one unit: a task's status (for the
    same period) or an indicator's figure (for the same period). Exactly one pair of
    fact columns is set: the two status updates, or the two figures. Open while
    ``closed_at`` is null; the office settles it by keeping either report."""

    __tablename__ = "report_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    earlier_update_id: Mapped[int | None] = mapped_column(
        ForeignKey("status_updates.id", ondelete="CASCADE")
    )
    later_update_id: Mapped[int | None] = mapped_column(
        ForeignKey("status_updates.id", ondelete="CASCADE")
    )
    earlier_value_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator_values.id", ondelete="CASCADE")
    )
    later_value_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator_values.id", ondelete="CASCADE")
    )
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))
    resolution: Mapped[ConflictEnd | None] = mapped_column(_enum(ConflictEnd, "conflict_end"))


class CurrentStatus(Base):
    """The latest non-retracted status per assignment and period, upserted with each update."""

    __tablename__ = "current_status"

    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), primary_key=True
    )
    period_key: Mapped[str] = mapped_column(String(16), primary_key=True)
    status_update_id: Mapped[int] = mapped_column(ForeignKey("status_updates.id"))
    status: Mapped[TaskStatus] = mapped_column(_enum(TaskStatus, "current_task_status"))
    percent: Mapped[int | None] = mapped_column(SmallInteger)
    # When the standing status began: the first report of it (done and not applicable
    # count as one) after the last report saying otherwise. "Done on time" is judged by it.
    since: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlanDuty(Base):
    """A reporting duty the plan states in its prose ("định kỳ hằng quý báo cáo …")."""

    __tablename__ = "plan_duties"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    recurrence: Mapped[str | None] = mapped_column(String(32))
    unit_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    # A weekly duty's day and hour ("16 giờ … thứ Năm hằng tuần": 3, 16:00), if written.
    weekday: Mapped[int | None] = mapped_column(SmallInteger)
    due_time: Mapped[time | None] = mapped_column(Time)


class CalendarDay(Base):
    """A day the office declared off, or a weekend day worked instead (``working``)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(200))


class PendingReport(Base):
    """A report waiting for the sender's choice or confirmation: nothing of it is stored
    as a fact until it is completed (then its facts carry the original message's id)."""

    __tablename__ = "pending_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    inbound_message_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_messages.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]


class Reminder(Base):
    """One reminder occurrence: the schedule is data, claimed and sent by one repeating job."""

    __tablename__ = "reminders"
    __table_args__ = (Index(None, "state", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE")
    )
    indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE")
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    official_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))
    chat_id: Mapped[int | None] = mapped_column(ForeignKey("chats.id"))
    due_at: Mapped[datetime]
    state: Mapped[ReminderState] = mapped_column(
        _enum(ReminderState, "reminder_state"), default=ReminderState.PENDING
    )
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    claimed_at: Mapped[datetime | None]
    # The instance sending it (storage.instances): a dead one's rows are taken over.
    claimed_by: Mapped[str | None] = mapped_column(String(36))
    sent_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
