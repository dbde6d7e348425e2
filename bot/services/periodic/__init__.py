"""The periodic report upward (quarter, half year, nine months, year, month): every
status, figure, reason and note of one reporting window, for the whole area or one unit.

:mod:`~bot.services.periodic.model` holds the values; the document writers in
``bot/views/documents/`` word and lay them out. :func:`report_data`
(:mod:`~bot.services.periodic.reading`) reads them from the database, judging each unit's
standing on each task by :mod:`~bot.services.periodic.standings`.
"""

from bot.services.periodic.model import (
    Behind,
    IndicatorReport,
    LogEntry,
    MonthFigures,
    PeriodicReport,
    Said,
    Section,
    Standing,
    TaskReport,
    UnitFigure,
    UnitStanding,
    Upcoming,
)
from bot.services.periodic.reading import report_data

__all__ = [
    "Behind",
    "IndicatorReport",
    "LogEntry",
    "MonthFigures",
    "PeriodicReport",
    "Said",
    "Section",
    "Standing",
    "TaskReport",
    "UnitFigure",
    "UnitStanding",
    "Upcoming",
    "report_data",
]
