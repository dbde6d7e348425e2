"""The periodic Word report rendered by LibreOffice (headless) to PDF: a sensible number of
pages, the text (Vietnamese letters included) surviving, Times New Roman's metric twin as
the only font, page numbers from page 2.

Needs ``soffice`` (Debian: libreoffice-writer-nogui), ``pdftotext``/``pdfinfo``/``pdffonts``
(poppler-utils) and a Times New Roman with Vietnamese letters (fonts-liberation2); .ci/run
installs them. Skipped, saying so, where they are missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.charts import Bar, progress_chart
from bot.views.documents.report_docx import report_docx
from bot.views.documents.template import load_template
from tests.periodic_fixtures import UNITS, area_report, empty_report

TOOLS = ("soffice", "pdftotext", "pdfinfo", "pdffonts")
MISSING = [tool for tool in TOOLS if shutil.which(tool) is None]
pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=(
        f"{', '.join(MISSING)} not installed: the rendering of the Word report needs "
        "LibreOffice and poppler (apt-get install libreoffice-writer-nogui poppler-utils "
        "fonts-liberation2; .ci/run installs them when it can)"
    ),
)
CONVERT_SECONDS = 240  # a cold LibreOffice start on a busy machine


def _pdf(tmp_path: Path, name: str, data: bytes) -> Path:
    source = tmp_path / f"{name}.docx"
    source.write_bytes(data)
    # A private profile: parallel runs do not wait on one another's lock.
    profile = (tmp_path / "libreoffice-profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=CONVERT_SECONDS,
    )
    pdf = tmp_path / f"{name}.pdf"
    assert pdf.exists(), "LibreOffice wrote no PDF"
    return pdf


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)[1])


def _text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", *pages, str(pdf), "-"], check=True, capture_output=True, text=True
    )
    return out.stdout


def _words(text: str) -> str:
    return " ".join(text.split())


def _chart() -> bytes:
    counts = {"done": 2, "late": 1, "in_progress": 1, "overdue": 1, "not_reported": 0}
    bars = [Bar(unit, counts, 60.0) for unit in UNITS]
    legend = {state: state for state in (*counts, "partial")}
    return progress_chart(bars, "Tiến độ quý III/2025", legend)


def test_the_report_renders_with_its_text(tmp_path: Path) -> None:
    data = report_docx(area_report(), load_template(), _chart(), "vi")
    pdf = _pdf(tmp_path, "area", data)
    assert 3 <= _pages(pdf) <= 6
    text = _words(_text(pdf))
    for phrase in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: ……/BC-UBND",
        "Sơn Tây, ngày 05 tháng 9 năm 2025",
        "BÁO CÁO",
        "một cửa liên thông quý III năm 2025",
        "(Số liệu từ ngày 15/6/2025 đến ngày 14/9/2025)",
        "I. KẾT QUẢ THỰC HIỆN",
        "Xã Bắc Sơn – 14 ngày",
        "Vướng do thiếu máy quét",
        "85,53%",
        "1.300/1.520",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
        "[Văn phòng bổ sung đề xuất, kiến nghị]",
        "Nơi nhận:",
        "TM. ỦY BAN NHÂN DÂN",
        "Phụ lục",
        "SỐ LIỆU CÁC CHỈ TIÊU CỦA TỪNG ĐƠN VỊ",
    ):
        assert phrase in text, phrase
    # The page number: not on page 1, "2" at the top of page 2.
    first, second = _text(pdf, 1).split(), _text(pdf, 2).split()
    assert first[0] != "1"
    assert second[0] == "2"
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True)
    names = [line.split()[0] for line in fonts.stdout.splitlines()[2:]]
    assert names, "no font in the PDF"
    assert all(("LiberationSerif" in n or "TimesNewRoman" in n) for n in names), (
        f"fonts other than Times New Roman (or its metric twin) were used: {names}; "
        "is fonts-liberation2 installed?"
    )


def test_a_window_with_nothing_sent_is_one_page(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path, "empty", report_docx(empty_report(), load_template(), None, "vi"))
    assert _pages(pdf) == 1
    text = _words(_text(pdf))
    assert "không có đơn vị nào gửi báo cáo" in text
    assert "Sơn Tây, ngày 20 tháng 01 năm 2025" in text
