"""Speed of the unit matcher, against the straightforward way, in the same run.

    python -m bench.matching_speed

Targets: ≤ 100 µs a query over one province's units plus departments, ≤ 1 ms over all
3,321 communes and wards, after a one-off index build. The straightforward way is
rapidfuzz's ``process.extractOne`` with ``WRatio`` and its default processor over the
names, per query (no index, no decision).
"""

from __future__ import annotations

import statistics
import time

from rapidfuzz import fuzz, process, utils

from bench._official import all_provinces, deployment, nationwide
from bench.matching_set import build_cases, foreign_names
from bot.matching import UnitCatalogue


def _per_query(function, queries: list[str], repeat: int = 3) -> float:
    """Median over ``repeat`` runs of the mean seconds per query."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for query in queries:
            function(query)
        runs.append((time.perf_counter() - start) / len(queries))
    return statistics.median(runs)


def measure(label: str, catalogue: UnitCatalogue, queries: list[str], build: float) -> None:
    names = [e.name for e in catalogue.entries]
    ours = _per_query(catalogue.match, queries)
    naive = _per_query(
        lambda q: process.extractOne(q, names, scorer=fuzz.WRatio, processor=utils.default_process),
        queries,
    )
    print(
        f"{label}: {len(catalogue)} units, {len(queries)} queries; "
        f"index build {build * 1e3:.0f} ms; "
        f"match {ours * 1e6:.0f} µs/query; naive extractOne(WRatio) {naive * 1e6:.0f} µs/query "
        f"(ratio {ours / naive:.2f})"
    )


def main() -> None:
    everyone = all_provinces()
    start = time.perf_counter()
    province, catalogue = deployment("Tuyên Quang")
    build = time.perf_counter() - start
    cases = build_cases(province, catalogue, foreign_names(province, everyone)[:800])
    queries = [c.query for c in cases]
    measure("one province (Tuyên Quang) + departments", catalogue, queries, build)

    start = time.perf_counter()
    country = nationwide()
    build = time.perf_counter() - start
    measure("all communes and wards", country, queries[::4], build)


if __name__ == "__main__":
    main()
