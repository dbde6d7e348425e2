"""Turn an uploaded plan file into a :class:`~bot.plans.model.Document`.

``read_document(data, name)`` looks at the file's bytes first and its name second:

* a zip package is a Word (``.docx``, ``.docm``) or Excel (``.xlsx``, ``.xlsm``)
  file, told apart by its content types (``word/document.xml`` vs
  ``xl/workbook.xml`` when those are missing);
* an OLE2 compound file is either a password-protected Office file (``encrypted``)
  or a legacy ``.doc``/``.xls`` (``unsupported_type``, with its ``file_type``);
* a PDF is read from its text layer (:mod:`bot.plans.pdf`); a scan without one is
  ``scanned_pdf``, a password-protected one ``encrypted``, a damaged one ``corrupt_pdf``;
* images, RTF and OpenDocument files are ``unsupported_type``. The plan service
  converts ``.doc``, ``.xls``, ``.rtf``, ``.odt`` and ``.ods`` with LibreOffice
  (``bot.services.conversion``: this module does no I/O) and reads the result here;
* anything else is read as text when its name says so (``.txt``, ``.md``, ``.csv``,
  ``.tsv`` or no extension) and it decodes as UTF-8, UTF-16 with a BOM, or
  Windows-1258 without binary control characters.

Every failure is a :class:`PlanFileError` with a short English ``reason`` key the
views word for the user; no zipfile, lxml, python-docx or openpyxl exception leaks.

**Bounded work.** What one file may hold is capped (the ``MAX_*`` constants below, one
each; real plans hold tens to a few hundred rows and under 50,000 characters), and
every reader refuses a file as soon as it passes a cap, before the expensive work: the
size of the file and of each XML part of a package is read from the zip directory, a
workbook is surveyed in openpyxl's streaming mode before it is loaded whole, a text's
length and longest line are measured before any regular expression runs, and a Word
body is counted as it is walked. A :class:`Budget` counts rows, cells and characters
and, given a clock, the time spent (``too_slow``).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.plans.docx import read_docx
from bot.plans.files import (
    DOCX_EXTENSIONS,
    MAX_BYTES,
    MAX_TEXT_CHARS,
    OLE2_MAGIC,
    SAVE_AS,
    TEXT_EXTENSIONS,
    XLSX_EXTENSIONS,
    ZIP_MAGICS,
    Budget,
    PlanFileError,
    decode_text,
    extension,
    ole2_error,
    package_kind,
    sniff_image,
)
from bot.plans.model import Document, Paragraph, Table
from bot.plans.pdf import read_pdf
from bot.plans.text import read_text
from bot.plans.xlsx import read_xlsx


def _is_empty(document: Document) -> bool:
    for block in document.blocks:
        if isinstance(block, Paragraph) and block.text.strip():
            return False
        if isinstance(block, Table) and any(c.text.strip() for row in block.rows for c in row):
            return False
    return True


def read_document(
    data: bytes, name: str, budget: Budget | None = None, unit_names: Sequence[str] = ()
) -> Document:
    """Read a plan file (Word, Excel, PDF or text) into a Document, or raise PlanFileError.

    ``budget`` counts what the file holds against the limits; give it a clock
    (``Budget(time.monotonic)``) to bound the time too. Without one, only the sizes are
    bounded. ``unit_names`` (the deployment's unit names and former names) helps the
    repair of a text damaged by OCR (:mod:`bot.plans.repair`)."""
    if budget is None:
        budget = Budget()
    if len(data) > MAX_BYTES:
        raise PlanFileError("too_large", f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if not data:
        raise PlanFileError("empty", "the file is empty")
    ext = extension(name)
    head = data[:64]
    document: Document
    if head.startswith(ZIP_MAGICS):
        if package_kind(data, name) == "docx":
            document = read_docx(data, name, budget)
        else:
            document = read_xlsx(data, name, budget)
    elif head.startswith(OLE2_MAGIC):
        raise ole2_error(data, name)
    elif head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF"):
        document = read_pdf(data, name, budget)
    elif sniff_image(head):
        raise PlanFileError(
            "unsupported_type", f"a picture is not read as a plan: {SAVE_AS}", file_type="image"
        )
    elif head.startswith(b"{\\rtf"):
        raise PlanFileError(
            "unsupported_type", f"RTF files are not read: {SAVE_AS}", file_type="rtf"
        )
    elif ext in DOCX_EXTENSIONS:
        raise PlanFileError(
            "corrupt_docx", "the file is not a Word (.docx) package", file_type="docx"
        )
    elif ext in XLSX_EXTENSIONS:
        raise PlanFileError(
            "corrupt_xlsx", "the file is not an Excel (.xlsx) package", file_type="xlsx"
        )
    elif ext == ".pdf":
        raise PlanFileError("corrupt_pdf", "the file is not a PDF", file_type="pdf")
    elif ext in {".doc", ".dot"}:
        raise PlanFileError(
            "unsupported_type", f"the file is not a Word document: {SAVE_AS}", file_type="doc"
        )
    elif ext in {".xls", ".xlt"}:
        raise PlanFileError(
            "unsupported_type", f"the file is not an Excel workbook: {SAVE_AS}", file_type="xls"
        )
    elif ext in TEXT_EXTENSIONS:
        if len(data) > 4 * MAX_TEXT_CHARS:  # no encoding takes more than 4 bytes a character
            raise PlanFileError(
                "too_long", f"more than {MAX_TEXT_CHARS} characters", file_type="text"
            )
        text = decode_text(data)
        if text is None:
            raise PlanFileError(
                "unsupported_type", f"the file is not UTF-8 text: {SAVE_AS}", file_type="binary"
            )
        if not text.strip():
            raise PlanFileError("empty", "the file holds only blank text", file_type="text")
        document = read_text(text, name, budget, unit_names)
    else:
        raise PlanFileError(
            "unsupported_type", f"{ext or 'this'} files are not read: {SAVE_AS}", file_type="binary"
        )
    if _is_empty(document):
        raise PlanFileError("empty", "the file holds no text", file_type=document.kind)
    return document
