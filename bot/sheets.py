"""Writing spreadsheet cells safely: text stays text, numbers stay numbers.

Every workbook the bot writes (the plan's details, the progress ranking, the plan
template, the periodic report's workbook) goes through :func:`put` or :func:`append`,
or, in a write-only workbook (its rows appended as cells made beforehand),
:func:`store`, or, for a text openpyxl leaves as it is, :func:`plain` (a bare value).
openpyxl turns any string that starts with ``=`` into a formula, so a unit name or a
plan cell such as ``=HYPERLINK(…)`` would become live in the office's Excel.
Here a string is always stored as a string (``data_type "s"``), and one that a
spreadsheet would read as a formula when the cell is edited (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) also gets Excel's quote prefix (the cell's
style ``quotePrefix``, what typing ``'`` before the text does): the value read back is
the original text, without an apostrophe added (a text such as ``#N/A`` is not made an
error value either).
Characters a workbook cannot hold (C0 controls) are dropped and
text is cut at Excel's 32,767 characters a cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32_767  # Excel's limit on a cell's text


def clean(text: str) -> str:
    """``text`` as a cell can hold it: without C0 controls, cut at Excel's limit."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL_CHARS]


def plain(text: str) -> str | None:
    """``text`` cleaned when openpyxl, given it as a bare value (``append`` of a string),
    keeps it as that text: not a formula, not an error value, nothing to quote; else
    ``None`` (the text needs a cell of its own, through :func:`store`). A bare value is
    the fast way in a write-only sheet: no cell is made for it."""
    text = clean(text)
    if text.startswith(FORMULA_STARTS) or text in ERROR_CODES:
        return None
    return text


def store(cell: Cell, value: Any) -> Cell:
    """Set ``value`` in ``cell`` (a sheet's, or a ``WriteOnlyCell`` for a write-only sheet's
    ``append``): a string as text whatever it starts with."""
    if isinstance(value, str):
        text = clean(value)
        cell.value = text
        cell.data_type = "s"
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write ``value`` to a cell: a string as text whatever it starts with."""
    return store(ws.cell(row=row, column=column), value)


def append(ws: Worksheet, values: Iterable[Any]) -> list[Cell]:
    """Write ``values`` to the row below the last one, like ``Worksheet.append``."""
    row = ws._current_row + 1  # where openpyxl's own append writes
    return [put(ws, row, column, value) for column, value in enumerate(values, start=1)]
