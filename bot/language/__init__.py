"""Vietnamese text handling. Pure functions: no I/O, no database, no Telegram."""

from bot.language.normalize import fold, nfc, plain, strip_diacritics

__all__ = ["fold", "nfc", "plain", "strip_diacritics"]
