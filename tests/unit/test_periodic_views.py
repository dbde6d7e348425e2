"""The answer to /xuat: what it says, its files' names, and the chart drawn from the
report's standings."""

from __future__ import annotations

import dataclasses
import io

from docx import Document
from openpyxl import load_workbook
from PIL import Image

from bot.language.periods import Period
from bot.views.documents.template import load_template
from bot.views.periodic import chart, file_stem, report_reply
from tests.periodic_fixtures import area_report, empty_report


def test_the_files_are_named_after_the_period_and_the_unit() -> None:
    report = area_report()
    assert file_stem(report) == "bao-cao-quy-3-2025"
    own = dataclasses.replace(report, unit="Xã Sơn Dương")
    assert file_stem(own) == "bao-cao-quy-3-2025-xa-son-duong"
    named = {
        Period.month(2025, 10): "bao-cao-thang-10-2025",
        Period.half(2025, 1): "bao-cao-6-thang-2025",
        Period.half(2025, 2): "bao-cao-6-thang-cuoi-nam-2025",
        Period.nine_months(2025): "bao-cao-9-thang-2025",
        Period.year(2025): "bao-cao-nam-2025",
    }
    for period, stem in named.items():
        assert file_stem(dataclasses.replace(report, period=period)) == stem


def test_the_reply_carries_both_documents_and_says_what_they_cover() -> None:
    reply = report_reply(area_report(), load_template(), True, "vi")
    assert reply.text.startswith("Báo cáo quý III/2025: số liệu từ 15/06/2025 đến 14/09/2025.")
    assert "chưa kết thúc" not in reply.text
    names = [a.filename for a in reply.attachments]
    assert names == ["bao-cao-quy-3-2025.docx", "bao-cao-quy-3-2025.xlsx"]
    Document(io.BytesIO(reply.attachments[0].content))  # both open
    load_workbook(io.BytesIO(reply.attachments[1].content))


def test_an_open_window_and_an_empty_one_are_said() -> None:
    reply = report_reply(empty_report(), load_template(), False, "vi")
    assert "Kỳ báo cáo chưa kết thúc" in reply.text
    assert "chưa đơn vị nào gửi báo cáo" in reply.text
    assert len(reply.attachments) == 2  # still drafted: the report says there is no data


def test_the_chart_counts_lead_units_only() -> None:
    report = area_report()
    picture = chart(report, "vi")
    assert picture is not None and Image.open(io.BytesIO(picture)).format == "PNG"
    no_leads = dataclasses.replace(
        report,
        sections=tuple(
            dataclasses.replace(
                s,
                tasks=tuple(
                    dataclasses.replace(
                        t, units=tuple(dataclasses.replace(u, lead=False) for u in t.units)
                    )
                    for t in s.tasks
                ),
            )
            for s in report.sections
        ),
    )
    assert chart(no_leads, "vi") is None
