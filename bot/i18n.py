"""Gettext catalogues under ``locales/``: Vietnamese by default, English second.

Message ids in the code are English; ``locales/vi`` translates every one of them (a
test checks that), ``locales/en`` may leave them as they are.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

from bot.config import SUPPORTED_LANGUAGES

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "dondoc"
DEFAULT_LANGUAGE = "vi"

Translations = gettext.NullTranslations


@cache
def translations(language: str) -> Translations:
    """The catalogue for ``language`` (``vi`` or ``en``); unknown languages get ``vi``."""
    if language not in SUPPORTED_LANGUAGES:
        language = DEFAULT_LANGUAGE
    return gettext.translation(DOMAIN, LOCALES_DIR, languages=[language], fallback=False)


def pick_language(*candidates: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """The first supported language among ``candidates``.

    Candidates are tried in order (a stored choice, then Telegram's ``language_code``
    such as ``en-US``); anything unsupported is skipped.
    """
    for candidate in candidates:
        if not candidate:
            continue
        base = candidate.strip().lower().replace("_", "-").split("-", 1)[0]
        if base in SUPPORTED_LANGUAGES:
            return base
    return default


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it yet (it is translated
    where it is shown, in the reader's language)."""
    return message
