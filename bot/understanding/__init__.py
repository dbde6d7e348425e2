"""Understanding chat messages: ``interpret(text, context) -> Interpretation``."""

from bot.understanding.interpret import interpret, unit_parts
from bot.understanding.prepare import prepare

__all__ = ["interpret", "prepare", "unit_parts"]
