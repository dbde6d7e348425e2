"""Stopping the reminders a report answers (``scheduling.answers``): the real
``ReminderCancelling`` cancels exactly the pending rows of what was answered, in the
caller's transaction."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from scheduling.answers import AnsweredReminders, ReminderCancelling
from storage.db import Database
from storage.models import (
    Assignment,
    Indicator,
    Plan,
    Reminder,
    ReminderState,
    Task,
    TaskUnitRole,
    Unit,
    UnitKind,
    UnitSource,
)

CANCELLING: ReminderCancelling = AnsweredReminders()


def _states(db: Database) -> dict[str, ReminderState]:
    with db.session() as session:
        return dict(session.execute(select(Reminder.key, Reminder.state)).all())


@pytest.fixture
def rows(db: Database) -> dict[str, int]:
    """Two communes, a task assigned to both, an indicator, and reminders about them."""
    with db.session() as session:
        first = Unit(name="Xã Một", kind=UnitKind.COMMUNE, source=UnitSource.MANUAL)
        second = Unit(name="Xã Hai", kind=UnitKind.COMMUNE, source=UnitSource.MANUAL)
        plan = Plan(title="Kế hoạch thử")
        session.add_all([first, second, plan])
        session.flush()
        task = Task(plan_id=plan.id, code="1", position=1, content="Nhiệm vụ một")
        indicator = Indicator(
            plan_id=plan.id, code="CT1", name="Số hóa", measure="percent", comparator=">="
        )
        session.add_all([task, indicator])
        session.flush()
        answered = Assignment(task_id=task.id, unit_id=first.id, role=TaskUnitRole.LEAD)
        other = Assignment(task_id=task.id, unit_id=second.id, role=TaskUnitRole.LEAD)
        session.add_all([answered, other])
        session.flush()

        def remind(key: str, due: datetime, state=ReminderState.PENDING, **about) -> None:
            session.add(Reminder(key=key, kind="due", due_at=due, state=state, payload={}, **about))

        nov_30 = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
        dec_1 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
        remind("task:in-period>g1", nov_30, assignment_id=answered.id, unit_id=first.id)
        remind("task:next-period>g1", dec_1, assignment_id=answered.id, unit_id=first.id)
        remind(
            "task:sent>g1",
            nov_30,
            ReminderState.SENT,
            assignment_id=answered.id,
            unit_id=first.id,
        )
        remind("task:other-unit>g1", nov_30, assignment_id=other.id, unit_id=second.id)
        ind, one, two = indicator.id, first.id, second.id
        for key, unit_id, state in (
            (f"indicator:{ind}:{one}:2026-11>g1", one, ReminderState.PENDING),
            (f"indicator:{ind}:{one}:2026-11>p5", one, ReminderState.PENDING),
            (f"indicator:{ind}:{one}:2026-11>p6", one, ReminderState.SENT),
            (f"indicator:{ind}:{one}:2026-12>g1", one, ReminderState.PENDING),
            (f"indicator:{ind}:{two}:2026-11>g1", two, ReminderState.PENDING),
        ):
            remind(key, nov_30, state, indicator_id=ind, unit_id=unit_id)
        return {"assignment": answered.id, "indicator": ind, "unit": one, "other": two}


def test_the_real_implementation_is_a_reminder_cancelling() -> None:
    assert isinstance(AnsweredReminders(), ReminderCancelling)
    assert not isinstance(object(), ReminderCancelling)


def test_a_periodic_report_stops_its_periods_reminders_only(
    db: Database, rows: dict[str, int]
) -> None:
    with db.session() as session:
        CANCELLING.answered_task(session, rows["assignment"], date(2026, 11, 30))
    states = _states(db)
    assert states["task:in-period>g1"] is ReminderState.CANCELLED
    assert states["task:next-period>g1"] is ReminderState.PENDING  # the next period's
    assert states["task:sent>g1"] is ReminderState.SENT  # what was sent stays sent
    assert states["task:other-unit>g1"] is ReminderState.PENDING  # another unit's


def test_a_task_reported_done_stops_all_its_reminders(db: Database, rows: dict[str, int]) -> None:
    with db.session() as session:
        CANCELLING.answered_task(session, rows["assignment"], None)
    states = _states(db)
    assert states["task:in-period>g1"] is ReminderState.CANCELLED
    assert states["task:next-period>g1"] is ReminderState.CANCELLED
    assert states["task:other-unit>g1"] is ReminderState.PENDING


def test_a_figure_stops_the_reminders_of_its_indicator_unit_and_period(
    db: Database, rows: dict[str, int]
) -> None:
    ind, one, two = rows["indicator"], rows["unit"], rows["other"]
    with db.session() as session:
        CANCELLING.answered_figure(session, ind, one, "2026-11")
    states = _states(db)
    assert states[f"indicator:{ind}:{one}:2026-11>g1"] is ReminderState.CANCELLED
    assert states[f"indicator:{ind}:{one}:2026-11>p5"] is ReminderState.CANCELLED
    assert states[f"indicator:{ind}:{one}:2026-11>p6"] is ReminderState.SENT
    assert states[f"indicator:{ind}:{one}:2026-12>g1"] is ReminderState.PENDING
    assert states[f"indicator:{ind}:{two}:2026-11>g1"] is ReminderState.PENDING
    assert states["task:in-period>g1"] is ReminderState.PENDING


def test_nothing_stops_when_the_report_is_not_stored(db: Database, rows: dict[str, int]) -> None:
    with pytest.raises(RuntimeError), db.session() as session:
        CANCELLING.answered_task(session, rows["assignment"], None)
        CANCELLING.answered_figure(session, rows["indicator"], rows["unit"], "2026-11")
        raise RuntimeError("storing the report failed")
    assert set(_states(db).values()) == {ReminderState.PENDING, ReminderState.SENT}
