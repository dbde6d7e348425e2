"""Plans that are not the samples (``tests/synthetic_plans.py``), read from the Word and
Excel files an office would send: every row's code, lead and timeframe as the plan wrote
them, and the same reading from either file."""

from __future__ import annotations

import pytest

from bot.language.normalize import fold
from bot.plans.parser import parse_plan
from bot.plans.readers import read_document
from tests.synthetic_plans import plan, plan_docx, plan_xlsx

SEEDS = range(12)


def _reading(data: bytes, name: str) -> dict[str, tuple]:
    draft = parse_plan(read_document(data, name))
    return {
        t.code: (
            tuple(t.lead),
            tuple(t.cooperating),
            t.timeframe.schedule if t.timeframe else None,
            t.timeframe_text,
        )
        for t in draft.tasks
    }


@pytest.mark.parametrize("seed", SEEDS)
def test_a_made_up_plan_reads_as_written(seed: int) -> None:
    made = plan(seed)
    word = _reading(plan_docx(made), f"{made.name}.docx")
    assert set(word) == {row.code for row in made.rows}
    for row in made.rows:
        lead, _coop, schedule, when = word[row.code]
        assert [fold(u) for u in lead] == [fold(row.lead)], row.code
        assert when == row.when and schedule is not None, row.code
    # the same plan kept in Excel (titles merged across, leads merged down) reads the same
    assert _reading(plan_xlsx(made), f"{made.name}.xlsx") == word
