"""The statuses a sender chooses between when a task's words and its figure disagree.

Owns the choices of a :data:`~bot.understanding.model.ProblemCode.STATUS_UNCLEAR`
problem ("xong 50%", "nv 3.1 100%"): which statuses are offered
(:func:`status_choices`), and each choice written as a string that a button or a
parked report can carry and read back ("in_progress:50": :func:`status_choice`,
:func:`parse_status_choice`). Pure.
"""

from __future__ import annotations

from bot.language.statuses import Status

__all__ = ["parse_status_choice", "status_choice", "status_choices"]


def status_choice(status: Status, percent: int | None) -> str:
    """One choice of a :data:`ProblemCode.STATUS_UNCLEAR` problem: "in_progress:50"."""
    return f"{status.value}:{'' if percent is None else percent}"


def parse_status_choice(choice: str) -> tuple[Status, int | None]:
    """The status and percent a choice written by :func:`status_choice` stands for."""
    status, _, percent = choice.partition(":")
    return Status(status), int(percent) if percent else None


def status_choices(status: Status | None, percent: int | None) -> tuple[str, ...]:
    """The statuses to choose from when a task's words and its figure disagree, or ()
    when they agree. Nothing stronger than the words is ever chosen for the sender:
    a figure without a finishing word is progress, and 100 % without one is asked."""
    if percent is None:
        return ()
    by_figure = Status.NOT_STARTED if percent == 0 else Status.IN_PROGRESS
    if status is None:
        if percent < 100:
            return ()
        return (status_choice(Status.DONE, 100), status_choice(Status.IN_PROGRESS, None))
    if status is Status.DONE:
        if percent >= 100:
            return ()
        return (status_choice(Status.DONE, None), status_choice(by_figure, percent))
    if status in (Status.IN_PROGRESS, Status.DELAYED):
        if 0 < percent < 100:
            return ()
        if percent == 0:
            return (status_choice(status, None), status_choice(Status.NOT_STARTED, None))
        return (status_choice(Status.DONE, 100), status_choice(status, None))
    if status is Status.NOT_STARTED:
        if percent == 0:
            return ()
        done = Status.DONE if percent >= 100 else Status.IN_PROGRESS
        return (status_choice(Status.NOT_STARTED, None), status_choice(done, percent))
    # Not applicable ("không phát sinh") with a figure.
    if percent == 0:
        return ()
    return (status_choice(status, None), status_choice(by_figure, percent))
