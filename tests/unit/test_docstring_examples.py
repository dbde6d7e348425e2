"""The examples in the code's docstrings hold: every ``>>>`` line under ``bot/`` is run."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import bot

ROOT = Path(bot.__file__).parent
WITH_EXAMPLES = sorted(
    ".".join(("bot", *path.relative_to(ROOT).with_suffix("").parts))
    for path in ROOT.rglob("*.py")
    if ">>>" in path.read_text(encoding="utf-8")
)


def test_the_examples_are_found() -> None:
    assert "bot.plans.national" in WITH_EXAMPLES  # the search itself can fail


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
