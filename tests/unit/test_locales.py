"""The catalogues: every message translated to Vietnamese, .mo files in sync with .po."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR, pick_language, translations

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "storage", "scheduling")


def _source_messages() -> set[str]:
    found: set[str] = set()
    for package in PACKAGES:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package,
            method_map=[("**.py", "python")],
            keywords={"_": None, "gettext": None, "N_": None},
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def _po(language: str):
    with (LOCALES_DIR / language / "LC_MESSAGES" / "dondoc.po").open("rb") as f:
        return read_po(f, locale=language)


def test_every_message_in_the_code_has_a_vietnamese_translation() -> None:
    catalog = _po("vi")
    missing = sorted(
        m
        for m in _source_messages()
        if m not in catalog or not catalog[m].string or catalog[m].fuzzy
    )
    assert missing == [], "run `make locales` and translate: " + "; ".join(missing)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_compiled_catalogues_match_their_sources(language: str) -> None:
    po = _po(language)
    with (LOCALES_DIR / language / "LC_MESSAGES" / "dondoc.mo").open("rb") as f:
        mo = read_mo(f)
    expected = {m.id: m.string for m in po if m.id and m.string and not m.fuzzy}
    compiled = {m.id: m.string for m in mo if m.id and m.string}
    assert compiled == expected, "run `make locales` to recompile the .mo files"


def test_placeholders_survive_translation() -> None:
    import re

    for message in _po("vi"):
        if message.id and message.string:
            assert set(re.findall(r"\{\w+\}", message.id)) == set(
                re.findall(r"\{\w+\}", message.string)
            ), message.id


def test_translations_load() -> None:
    assert translations("vi").gettext("leader") == "lãnh đạo"
    assert translations("en").gettext("leader") == "leader"
    assert translations("fr").gettext("leader") == "lãnh đạo"  # unsupported → Vietnamese


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        ((None, "en-US"), "en"),
        (("vi", "en"), "vi"),
        ((None, "fr"), "vi"),
        ((None, None), "vi"),
        (("en", None), "en"),
        ((None, "EN_gb"), "en"),
    ],
)
def test_language_choice_order(candidates: tuple, expected: str) -> None:
    assert pick_language(*candidates) == expected
