"""Vietnamese text handling. Pure functions: no I/O, no database, no Telegram."""

from bot.language.normalize import fold, nfc

__all__ = ["fold", "nfc"]
