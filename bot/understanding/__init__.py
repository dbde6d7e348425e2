"""Understanding chat messages: ``interpret(text, context) -> Interpretation``.

The package's public surface: :func:`interpret` (one message), :func:`unit_parts` (a
message cut into one part per unit it names), :func:`prepare` (the indexes built once
per plan) and :func:`parse_status_choice` (a status choice read back). What a message
is understood as is in :mod:`bot.understanding.model`.
"""

from bot.understanding.choices import parse_status_choice
from bot.understanding.interpret import interpret
from bot.understanding.prepare import prepare
from bot.understanding.units import unit_parts

__all__ = ["interpret", "parse_status_choice", "prepare", "unit_parts"]
