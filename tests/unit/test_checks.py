"""Run-time checks instead of asserts: a value that must be there, or a clear error."""

import pytest

from bot.checks import Missing, required


def test_a_value_that_is_there_is_returned() -> None:
    assert required(0, "a count") == 0
    assert required("", "a name") == ""


def test_a_missing_value_says_what_is_missing() -> None:
    with pytest.raises(Missing, match="the unit is missing"):
        required(None, "the unit")
