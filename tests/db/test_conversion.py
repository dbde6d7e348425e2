"""Old and OpenDocument plan files (.doc, .odt, .rtf, .xls, .ods) read through
LibreOffice like the .docx or .xlsx they become; without LibreOffice, or when it fails,
the office is told what to send instead and nothing is imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.services import conversion, plans
from bot.services.units import unit_catalogue
from bot.views.plans import plan_error_reply
from storage.db import Database
from tests.db.test_plans import SAMPLES
from tests.pdf_fixtures import needs_libreoffice, save_as, word_97
from tests.plans_fixtures import sample_docx, sample_xlsx

SAMPLE = "ke-hoach-thi-xa-son-tay-2025.txt"


@needs_libreoffice
@pytest.mark.parametrize(
    ("target", "filter_name"),
    [("doc", "doc:MS Word 97"), ("odt", "odt"), ("xls", "xls:MS Excel 97"), ("ods", "ods")],
)
def test_an_old_or_open_file_reads_like_the_text(
    son_tay: Database, target: str, filter_name: str
) -> None:
    source = "xlsx" if target in ("xls", "ods") else "docx"
    twin = sample_xlsx(SAMPLE) if source == "xlsx" else sample_docx(SAMPLE)
    if target == "doc":
        data = word_97(twin)
    else:
        data = save_as(twin, source, filter_name)
        assert data is not None
    with son_tay.session() as session:
        catalogue = unit_catalogue(session)
    read = plans.read_plan(data, f"ke-hoach.{target}", catalogue, None)
    text = plans.read_plan((SAMPLES / SAMPLE).read_bytes(), SAMPLE, catalogue, None)
    assert [t.draft.code for t in read.tasks] == [t.draft.code for t in text.tasks]
    assert [t.draft.timeframe for t in read.tasks] == [t.draft.timeframe for t in text.tasks]
    assert [sorted(t.units()) for t in read.tasks] == [sorted(t.units()) for t in text.tasks]
    assert read.draft.source is not None and read.draft.source.format == target  # as sent


def test_without_libreoffice_the_office_is_told_what_to_send(
    son_tay: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(conversion, "converter", lambda: None)
    doc = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048)  # an OLE2 file named .doc
    with son_tay.session() as session:
        catalogue = unit_catalogue(session)
    with pytest.raises(plans.PlanError) as refused:
        plans.read_plan(doc, "ke-hoach.doc", catalogue, None)
    assert (refused.value.reason, refused.value.file_type) == ("no_converter", "doc")
    text = plan_error_reply("no_converter", "ke-hoach.doc", "vi", "doc").text
    assert text.startswith("“ke-hoach.doc” là tệp Word cũ (.doc): để đọc loại tệp này")
    assert text.endswith("lưu lại dạng .docx hoặc .xlsx rồi gửi lại.")


@needs_libreoffice
def test_a_file_libreoffice_cannot_convert_is_refused_plainly(son_tay: Database) -> None:
    broken = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"not a document" * 100
    with son_tay.session() as session:
        catalogue = unit_catalogue(session)
    with pytest.raises(plans.PlanError) as refused:
        plans.read_plan(broken, "hong.doc", catalogue, None)
    # LibreOffice either gives up, or opens the bytes as text in which there is no plan.
    assert refused.value.reason in ("conversion_failed", "no_tasks", "empty")


def test_a_conversion_that_takes_too_long_is_stopped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The whole process group is killed at the timeout (a stand-in program that hangs)."""
    hanging = tmp_path / "soffice"
    hanging.write_text("#!/bin/sh\nsleep 30 &\nwait\n")
    hanging.chmod(0o755)
    monkeypatch.setattr(conversion, "converter", lambda: str(hanging))
    with pytest.raises(conversion.ConversionError) as stopped:
        conversion.convert(b"x", "doc", seconds=0.5)
    assert stopped.value.reason == "failed" and "no result after" in stopped.value.detail
