"""Reporting by message: understand, check, store with history, undo, complete a choice.

A message is read against the reference data (units, the current plan's tasks and
indicators) by :func:`bot.understanding.interpret`; this service adds what needs the
database: who may report for which unit, and a figure that jumps more than
``JUMP_POINTS`` from the unit's previous period. Then:

- a problem that makes the message wrong: nothing is stored, the reply says what to fix;
- something unsure (a unit, task or indicator to choose, a figure to confirm): nothing is
  stored yet; the interpretation waits in ``pending_reports`` until the sender chooses;
- otherwise every fact is stored at once, append-only, carrying the sender, the time, the
  period and the inbound message it came from. The current status of each assignment is
  upserted in the same transaction. Undo and corrections retract rows; nothing is deleted.

Each public function is one unit of work (one transaction). The modules:
``outcome`` (what handling produces), ``reading`` (understanding with the database's
checks), ``messages`` (handling one message), ``ledger`` (the facts and the current
status), ``undoing``, ``questions`` (a report waiting for a choice), ``history``
(``/lichsu``), ``conflicts`` (two reporters who disagree) and ``settling`` (the office
keeping one of them).
"""

from bot.services.reports.conflicts import ConflictView, Side, Window, open_conflicts
from bot.services.reports.history import UNDO_BUTTONS, History, HistoryRow, history
from bot.services.reports.messages import handle, record_done
from bot.services.reports.outcome import (
    Asked,
    Fact,
    Message,
    Outcome,
    OutcomeKind,
    Question,
    StoredTask,
    StoredValue,
    fact_key,
)
from bot.services.reports.questions import cancel, choose, dump, load, question
from bot.services.reports.reading import JUMP_POINTS, preview, understand
from bot.services.reports.settling import Settled, Settlement, settle
from bot.services.reports.undoing import undo

__all__ = [
    "JUMP_POINTS",
    "UNDO_BUTTONS",
    "Asked",
    "ConflictView",
    "Fact",
    "History",
    "HistoryRow",
    "Message",
    "Outcome",
    "OutcomeKind",
    "Question",
    "Settled",
    "Settlement",
    "Side",
    "StoredTask",
    "StoredValue",
    "Window",
    "cancel",
    "choose",
    "dump",
    "fact_key",
    "handle",
    "history",
    "load",
    "open_conflicts",
    "preview",
    "question",
    "record_done",
    "settle",
    "understand",
    "undo",
]
