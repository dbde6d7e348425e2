"""The matcher's accuracy targets, on the generated test set of two provinces.

``python -m bench.matching_accuracy`` prints the same figures for four provinces.
"""

from __future__ import annotations

import pytest

from bench._official import all_provinces, deployment
from bench.matching_accuracy import evaluate, summary
from bench.matching_set import build_cases, foreign_names


@pytest.mark.parametrize("province_name", ["Tuyên Quang", "Hải Phòng"])
def test_accuracy_targets(province_name: str) -> None:
    province, catalogue = deployment(province_name)
    cases = build_cases(province, catalogue, foreign_names(province, all_provinces()))
    stats = evaluate(catalogue, cases)
    right, found, foreign = summary(stats)
    assert stats["plain"]["n"] == len(province.units)
    assert stats["foreign"]["n"] > 1000
    assert right >= 99.5
    assert found >= 98.0
    assert foreign <= 1.0


@pytest.mark.parametrize("province_name", ["Tuyên Quang", "Hà Nội", "Gia Lai"])
def test_every_name_typed_as_listed_matches_itself(province_name: str) -> None:
    _, catalogue = deployment(province_name)
    for entry in catalogue.entries:
        match = catalogue.match(entry.name)
        assert match.unit == entry, (entry.name, match)
        assert match.best is not None and match.best.score == 100.0
