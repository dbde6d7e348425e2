"""What the code before made sure of, checked at run time (not with ``assert``, which
``python -O`` drops): :func:`required` returns a value that must be there, or raises an
error that says what is missing."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


class Missing(LookupError):
    """Something the code relies on is not there: a bug, or data changed under it."""


def required(value: T | None, what: str) -> T:
    """``value``, which must not be None; :class:`Missing` naming ``what`` if it is."""
    if value is None:
        raise Missing(f"{what} is missing")
    return value
