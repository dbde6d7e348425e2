"""Understanding chat messages: ``interpret(text, context) -> Interpretation``."""

from bot.understanding.interpret import interpret
from bot.understanding.prepare import prepare

__all__ = ["interpret", "prepare"]
