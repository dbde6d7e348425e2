"""Accuracy of the unit matcher on a test set generated from the official list.

    python -m bench.matching_accuracy [PROVINCE ...]

Prints, per province and overall: how many of the matcher's own decisions are right,
how often the right unit is accepted or offered for names typed without diacritics or
with one typo, and how often a name from another province is accepted.
"""

from __future__ import annotations

import sys
from collections import Counter

from bench._official import all_provinces, deployment
from bench.matching_set import TYPO_CATEGORIES, Case, build_cases, foreign_names
from bot.matching import Decision, UnitCatalogue

DEFAULT = ["Tuyên Quang", "Hải Phòng", "Đắk Lắk", "Hồ Chí Minh"]


def evaluate(catalogue: UnitCatalogue, cases: list[Case]) -> dict[str, Counter]:
    stats: dict[str, Counter] = {}
    for case in cases:
        match = catalogue.match(case.query)
        counter = stats.setdefault(case.category, Counter())
        counter["n"] += 1
        counter[match.decision.value] += 1
        if case.expected is None:
            continue
        if match.decision is Decision.MATCH:
            counter["right" if match.unit.id == case.expected else "wrong"] += 1
            if match.unit.id != case.expected:
                counter.setdefault("examples", 0)
                WRONG.append((case.query, match.unit.name, case.expected))
        if any(c.entry.id == case.expected for c in match.candidates) and (
            match.decision is not Decision.NONE
        ):
            counter["found"] += 1
        elif case.category in TYPO_CATEGORIES:
            MISSED.append((case.category, case.query, [c.entry.name for c in match.candidates]))
    return stats


WRONG: list[tuple[str, str, int]] = []
MISSED: list[tuple[str, str, list[str]]] = []


def summary(stats: dict[str, Counter]) -> tuple[float, float, float]:
    accepted = sum(c["right"] + c["wrong"] for c in stats.values())
    right = sum(c["right"] for c in stats.values())
    typo_n = sum(stats[k]["n"] for k in TYPO_CATEGORIES if k in stats)
    typo_found = sum(stats[k]["found"] for k in TYPO_CATEGORIES if k in stats)
    foreign = [stats[k] for k in ("foreign", "foreign_plain") if k in stats]
    foreign_n = sum(c["n"] for c in foreign)
    foreign_match = sum(c["match"] for c in foreign)
    return (
        100 * right / accepted if accepted else 100.0,
        100 * typo_found / typo_n if typo_n else 100.0,
        100 * foreign_match / foreign_n if foreign_n else 0.0,
    )


def main(names: list[str]) -> None:
    everyone = all_provinces()
    total: dict[str, Counter] = {}
    for name in names:
        province, catalogue = deployment(name)
        cases = build_cases(province, catalogue, foreign_names(province, everyone))
        stats = evaluate(catalogue, cases)
        precision, found, foreign = summary(stats)
        print(
            f"{province.name}: {len(cases)} queries; accepted right {precision:.2f} %; "
            f"no diacritics/one typo accepted or offered {found:.2f} %; "
            f"other provinces accepted {foreign:.2f} %"
        )
        for category, counter in stats.items():
            total.setdefault(category, Counter()).update(counter)
    print()
    print(
        f"{'category':<14} {'queries':>8} {'match':>7} {'ask':>6} {'none':>6} "
        f"{'wrong':>6} {'found':>7}"
    )
    for category, c in total.items():
        print(
            f"{category:<14} {c['n']:>8} {c['match']:>7} {c['ask']:>6} {c['none']:>6} "
            f"{c['wrong']:>6} {c['found']:>7}"
        )
    precision, found, foreign = summary(total)
    print()
    print(f"accepted and right:                     {precision:.2f} %  (target ≥ 99.5 %)")
    print(f"no diacritics/one typo found or offered: {found:.2f} %  (target ≥ 98 %)")
    print(f"other provinces' names accepted:         {foreign:.2f} %  (target ≤ 1 %)")
    if "-v" in sys.argv:
        for query, got, expected in WRONG[:60]:
            print("WRONG", query, "->", got, expected)
        for category, query, offered in MISSED[:80]:
            print("MISSED", category, query, offered)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    main(args or DEFAULT)
