"""Speed of reading a plan and building its preview, against just opening the file.

    python -m bench.plan_import

Target: a 50-task plan parses and previews in under one second; the text decision
parses alone in under 0.5 s (a unit test asserted that until timing left the tests).
The baseline, in the same run, is the straightforward way of getting the text out of
each format: python-docx opening the file and reading every paragraph and every cell
(``row.cells``), openpyxl reading every value, or decoding and splitting the text.
"""

from __future__ import annotations

import io
import statistics
import time
from pathlib import Path

import docx
from openpyxl import load_workbook

from bench._official import deployment
from bot.plans.parser import parse_plan
from bot.plans.readers import read_document
from bot.services.plans import read_plan, summarise
from bot.views.plans import preview_text
from tests.plans_fixtures import sample_docx, sample_xlsx

SAMPLES = Path(__file__).parents[1] / "tests" / "data" / "plans"
NAME = "quyet-dinh-huyen-son-tay-2025.txt"


def _median(function, repeat: int = 7) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def _text_plainly(data: bytes) -> list[list[str]]:
    return [line.split("\t") for line in data.decode("utf-8").splitlines()]


def _docx_plainly(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += [cell.text for cell in row.cells]
    return texts


def _xlsx_plainly(data: bytes) -> list[object]:
    book = load_workbook(io.BytesIO(data), data_only=True)
    return [
        v for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row
    ]


def main() -> None:
    _, catalogue = deployment("Tuyên Quang")
    files = {
        "text": (NAME, (SAMPLES / NAME).read_bytes()),
        "docx": (NAME.replace(".txt", ".docx"), sample_docx(NAME)),
        "xlsx": (NAME.replace(".txt", ".xlsx"), sample_xlsx(NAME)),
    }
    floors = {"text": _text_plainly, "docx": _docx_plainly, "xlsx": _xlsx_plainly}
    for kind, (name, data) in files.items():
        resolved = read_plan(data, name, catalogue, 2025)
        tasks = len(resolved.tasks)

        def full(data=data, name=name) -> None:
            plan = read_plan(data, name, catalogue, 2025)
            preview_text(summarise(plan, name), "vi")

        ours = _median(full)
        read_only = _median(lambda data=data, name=name: read_document(data, name))
        document = read_document(data, name)
        parse_only = _median(lambda document=document: parse_plan(document, year=2025))
        floor = _median(lambda data=data, kind=kind: floors[kind](data))
        print(
            f"{kind:>4}: {tasks} tasks, {len(data) / 1024:.0f} KiB; read + parse + resolve + "
            f"preview {ours * 1e3:.0f} ms (reading alone {read_only * 1e3:.0f} ms, "
            f"parsing alone {parse_only * 1e3:.0f} ms); "
            f"plain text extraction {floor * 1e3:.1f} ms (ratio {ours / floor:.1f})"
        )


if __name__ == "__main__":
    main()
