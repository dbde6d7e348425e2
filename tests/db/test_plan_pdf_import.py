"""A plan sent as a PDF goes through the command line (``dondoc plan import FILE.pdf
--json``) like its Word file: the same tasks, units resolved the same way, stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from storage.db import Database
from storage.models import Plan, Task
from tests.pdf_fixtures import needs_libreoffice, sample_pdf
from tests.plans_fixtures import sample_docx

SAMPLE = "ke-hoach-thi-xa-son-tay-2025"


@pytest.fixture
def env(son_tay: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", son_tay.url)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    return son_tay


def _import(capsys: pytest.CaptureFixture[str], path: Path, *flags: str) -> dict:
    assert main(["plan", "import", str(path), *flags, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@needs_libreoffice
def test_plan_import_of_a_pdf_reads_as_its_word_file(
    env: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    word, pdf = tmp_path / "ke-hoach.docx", tmp_path / "ke-hoach.pdf"
    word.write_bytes(sample_docx(SAMPLE))
    pdf.write_bytes(sample_pdf(SAMPLE))
    from_word = _import(capsys, word, "--dry-run")
    from_pdf = _import(capsys, pdf)
    assert from_pdf["imported"] is True
    assert len(from_pdf["tasks"]) == 26
    assert from_pdf["tasks"] == from_word["tasks"]  # units resolved to the same ids
    assert (from_pdf["title"], from_pdf["year"]) == (from_word["title"], from_word["year"])
    with env.session() as session:
        assert session.scalar(select(func.count()).select_from(Plan)) == 1
        assert session.scalar(select(func.count()).select_from(Task)) == 26


def test_plan_import_of_a_damaged_pdf_stores_nothing(
    env: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "hong.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(300))
    assert main(["plan", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Không mở được tệp PDF “hong.pdf”" in err and "Chưa nhập gì" in err
    with env.session() as session:
        assert session.scalar(select(func.count()).select_from(Plan)) == 0
