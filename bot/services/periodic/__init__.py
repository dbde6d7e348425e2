"""The periodic report upward (quarter, half year, nine months, year, month): every
status, figure, reason and note of one reporting window, for the whole area or one unit.

:mod:`~bot.services.periodic.model` holds the values; the document writers in
``bot/views/documents/`` word and lay them out.
"""

from bot.services.periodic.model import (
    Behind,
    IndicatorReport,
    LogEntry,
    PeriodicReport,
    Said,
    Section,
    Standing,
    TaskReport,
    UnitFigure,
    UnitStanding,
    Upcoming,
)

__all__ = [
    "Behind",
    "IndicatorReport",
    "LogEntry",
    "PeriodicReport",
    "Said",
    "Section",
    "Standing",
    "TaskReport",
    "UnitFigure",
    "UnitStanding",
    "Upcoming",
]
