"""What every plan reader shares: the limits on what one file may hold, the error a file
that cannot be read raises, the budget that counts rows, cells, characters and time, and
telling a file's kind from its bytes (zip packages, OLE2 compound files, text encodings).

Pure: bytes in, answers out. ``bot.plans.readers`` picks the reader; the readers
(``docx``, ``xlsx``, ``text``) use what is here.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import PurePosixPath

from bot.plans.model import Document, Paragraph

# --- limits (docs/architecture.md, "Bounded work"; measured in docs/benchmarks.md) -------
# The largest sample plan: 93 table rows, 60 paragraphs, 33,000 characters, its longest
# cell 880 characters; its largest XML part 69 KB (a sheet).

MAX_BYTES = 20 * 1024 * 1024  # the file: the Bot API's download limit
# Declared uncompressed size of a zip package's members, summed: a zip bomb guard.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# One XML part of a package (a Word body, a sheet, the shared strings): parsed whole by
# lxml/openpyxl, at about 6-7 times its size in memory.
MAX_XML_BYTES = 16 * 1024 * 1024
MAX_ROWS = 2_000  # table rows and paragraphs of a document
MAX_CELLS = 50_000  # table cells of a document; also cells a workbook stores
MAX_TEXT_CHARS = 500_000  # characters of a document
MAX_LINE_CHARS = 10_000  # one line of a text file, one paragraph, one table cell
MAX_READ_SECONDS = 10  # reading one file, when the caller gives a clock
MAX_PDF_PAGES = 100  # pages of a PDF, refused before any is read (plans have 5 to 40)

REASONS = frozenset(
    {
        "corrupt_docx",
        "corrupt_xlsx",
        "corrupt_pdf",
        "scanned_pdf",
        "encrypted",
        "empty",
        "unsupported_type",
        "too_large",
        "unpacked_too_large",
        "content_too_large",
        "too_many_rows",
        "too_many_cells",
        "too_long",
        "line_too_long",
        "too_slow",
        "too_many_pages",
    }
)
# The reasons that say a limit was passed, with the limit each one states.
LIMITS = {
    "too_large": MAX_BYTES,
    "unpacked_too_large": MAX_UNPACKED_BYTES,
    "content_too_large": MAX_XML_BYTES,
    "too_many_rows": MAX_ROWS,
    "too_many_cells": MAX_CELLS,
    "too_long": MAX_TEXT_CHARS,
    "line_too_long": MAX_LINE_CHARS,
    "too_slow": MAX_READ_SECONDS,
    "too_many_pages": MAX_PDF_PAGES,
}

TEXT_EXTENSIONS = frozenset({"", ".txt", ".text", ".md", ".markdown", ".csv", ".tsv"})
DOCX_EXTENSIONS = frozenset({".docx", ".docm", ".dotx", ".dotm"})
XLSX_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})

SAVE_AS = "save the plan as .docx (Word) or .xlsx (Excel) and send it again"


class PlanFileError(ValueError):
    """A file that cannot be read as a plan.

    ``reason`` is a machine key: ``corrupt_docx``, ``corrupt_xlsx``, ``encrypted``,
    ``empty``, ``unsupported_type``, or a limit passed (a key of :data:`LIMITS`:
    ``too_large``, ``too_many_rows`` …). ``detail`` says more, in
    English, for logs and for the views to build on. ``file_type`` names what the
    file turned out to be when that is known ("pdf", "image", "doc", "xls", "odt",
    "rtf", "docx", "xlsx", "text", "binary").
    """

    def __init__(self, reason: str, detail: str = "", *, file_type: str | None = None) -> None:
        self.reason = reason
        self.detail = detail
        self.file_type = file_type
        super().__init__(f"{reason}: {detail}" if detail else reason)


class Budget:
    """What reading one file has used: rows, cells and characters of the Document, and
    time when a clock is given. Each count raises :class:`PlanFileError` as soon as it
    passes its limit, so a reader stops there instead of reading on."""

    def __init__(
        self, clock: Callable[[], float] | None = None, seconds: float = MAX_READ_SECONDS
    ) -> None:
        self._clock = clock
        self._deadline = 0.0 if clock is None else clock() + seconds
        self.rows = 0
        self.cells = 0
        self.chars = 0

    def tick(self) -> None:
        """Refuse the file when reading it has taken too long."""
        if self._clock is not None and self._clock() > self._deadline:
            raise PlanFileError("too_slow", f"reading took more than {MAX_READ_SECONDS} s")

    def text(self, text: str) -> None:
        """A paragraph's or a cell's text."""
        if len(text) > MAX_LINE_CHARS:
            raise PlanFileError(
                "line_too_long", f"a paragraph or cell is longer than {MAX_LINE_CHARS} characters"
            )
        self.chars += len(text)
        if self.chars > MAX_TEXT_CHARS:
            raise PlanFileError("too_long", f"more than {MAX_TEXT_CHARS} characters")

    def row(self, cells: int) -> None:
        """A table row of ``cells`` cells, or a paragraph (no cells)."""
        self.rows += 1
        self.cells += cells
        if self.rows > MAX_ROWS:
            raise PlanFileError("too_many_rows", f"more than {MAX_ROWS} rows and paragraphs")
        if self.cells > MAX_CELLS:
            raise PlanFileError("too_many_cells", f"more than {MAX_CELLS} table cells")
        self.tick()

    def paragraph(self, text: str) -> None:
        self.text(text)
        self.row(0)

    def table_row(self, texts: list[str] | tuple[str, ...]) -> None:
        for text in texts:
            self.text(text)
        self.row(len(texts))

    def count(self, document: Document) -> None:
        """Count a Document read without counting as it went."""
        for block in document.blocks:
            if isinstance(block, Paragraph):
                self.paragraph(block.text)
            else:
                for row in block.rows:
                    self.table_row([cell.text for cell in row])


_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
MAX_NAME_CHARS = 300  # a file name as stored (plans.source_filename)


def clean_name(name: str) -> str:
    """A file name as it can be stored and shown: no NUL (PostgreSQL text cannot hold
    it) nor other control characters, at most MAX_NAME_CHARS characters."""
    return _CONTROLS.sub("", name).strip()[:MAX_NAME_CHARS]


def extension(name: str) -> str:
    """The lower-case extension of a file name (".docx"), "" when there is none."""
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


# --- sniffing ------------------------------------------------------------------------

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_WORKBOOK_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))

_IMAGE_MAGICS = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"BM",  # Windows bitmap
    b"II*\x00",  # TIFF, little-endian
    b"MM\x00*",  # TIFF, big-endian
)


def sniff_image(head: bytes) -> bool:
    if any(head.startswith(magic) for magic in _IMAGE_MAGICS):
        # "BM" is also how some text starts; a bitmap's header says its own size.
        if head.startswith(b"BM"):
            return len(head) >= 14 and head[6:10] == b"\x00\x00\x00\x00"
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return True
    # HEIC/HEIF/AVIF (phone photos): an ISO box "ftyp" with an image brand.
    return head[4:8] == b"ftyp" and head[8:12] in {
        b"heic",
        b"heix",
        b"hevc",
        b"mif1",
        b"msf1",
        b"avif",
    }


def ole2_error(data: bytes, name: str) -> PlanFileError:
    """An OLE2 compound file: an encrypted OOXML package or a legacy Office file."""
    if _ENCRYPTED_PACKAGE in data or _ENCRYPTION_INFO in data:
        return PlanFileError(
            "encrypted",
            "the file is protected by a password: remove the password and send it again",
            file_type="xlsx" if extension(name) in XLSX_EXTENSIONS else "docx",
        )
    ext = extension(name)
    if any(stream in data for stream in _WORKBOOK_STREAMS) and _WORD_STREAM not in data:
        file_type = "xls"
    elif _WORD_STREAM in data:
        file_type = "doc"
    else:
        file_type = "xls" if ext in {".xls", ".xlt"} else "doc"
    old = ".xls (Excel 97-2003)" if file_type == "xls" else ".doc (Word 97-2003)"
    return PlanFileError(
        "unsupported_type", f"{old} files are not read: {SAVE_AS}", file_type=file_type
    )


_DOCX_TYPES = (
    "wordprocessingml.document.main+xml",
    "wordprocessingml.template.main+xml",
    "ms-word.document.macroenabled.main+xml",
    "ms-word.template.macroenabledtemplate.main+xml",
)
_XLSX_TYPES = (
    "spreadsheetml.sheet.main+xml",
    "spreadsheetml.template.main+xml",
    "ms-excel.sheet.macroenabled.main+xml",
    "ms-excel.template.macroenabled.main+xml",
)


def _zip_kind(archive: zipfile.ZipFile, name: str, expect: str | None) -> str:
    """``"docx"``, ``"xlsx"`` or raise: what an Office zip package holds."""
    names = set(archive.namelist())
    types = ""
    if "[Content_Types].xml" in names:
        try:
            types = archive.read("[Content_Types].xml")[:1_000_000].decode("utf-8", "replace")
        except Exception:  # a broken member: decided by the part names below
            types = ""
    types = types.lower()
    if any(t in types for t in _DOCX_TYPES) or "word/document.xml" in names:
        return "docx"
    if any(t in types for t in _XLSX_TYPES) or "xl/workbook.xml" in names:
        return "xlsx"
    if "presentationml" in types or "ppt/presentation.xml" in names:
        raise PlanFileError(
            "unsupported_type", f"PowerPoint files are not read: {SAVE_AS}", file_type="pptx"
        )
    if "mimetype" in names:
        try:
            mimetype = archive.read("mimetype")[:200].decode("ascii", "replace")
        except Exception:
            mimetype = ""
        if mimetype.startswith("application/vnd.oasis.opendocument"):
            file_type = "ods" if "spreadsheet" in mimetype else "odt"
            raise PlanFileError(
                "unsupported_type",
                f"OpenDocument files are not read: {SAVE_AS}",
                file_type=file_type,
            )
    ext = extension(name)
    if expect == "docx" or (expect is None and ext in DOCX_EXTENSIONS):
        raise PlanFileError(
            "corrupt_docx", "the zip package holds no Word document", file_type="docx"
        )
    if expect == "xlsx" or ext in XLSX_EXTENSIONS:
        raise PlanFileError(
            "corrupt_xlsx", "the zip package holds no Excel workbook", file_type="xlsx"
        )
    raise PlanFileError(
        "unsupported_type", f"a zip archive is not a plan: {SAVE_AS}", file_type="zip"
    )


def package_kind(data: bytes, name: str, expect: str | None = None) -> str:
    """``"docx"`` or ``"xlsx"``: what a zip package holds; PlanFileError otherwise.

    Also refuses zip bombs (more than MAX_UNPACKED_BYTES declared, or one XML part over
    MAX_XML_BYTES) and encrypted zips; both are read off the zip directory.
    ``expect`` ("docx" or "xlsx") is what the caller wants, for the error's reason;
    without it the file's extension decides.
    """
    expect_xlsx = extension(name) in XLSX_EXTENSIONS if expect is None else expect == "xlsx"
    corrupt = "corrupt_xlsx" if expect_xlsx else "corrupt_docx"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
                raise PlanFileError(
                    "unpacked_too_large",
                    f"the file unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB",
                )
            for info in infos:
                if info.file_size > MAX_XML_BYTES and info.filename.lower().endswith(
                    (".xml", ".rels")
                ):
                    raise PlanFileError(
                        "content_too_large",
                        f"{info.filename} unpacks to more than {MAX_XML_BYTES // 2**20} MB",
                    )
            if any(info.flag_bits & 0x1 for info in infos):
                raise PlanFileError("encrypted", "the zip package is encrypted")
            return _zip_kind(archive, name, expect)
    except PlanFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise PlanFileError(corrupt, f"not a readable zip package ({exc})") from exc
    except Exception as exc:  # zipfile raises assorted errors on hostile input
        raise PlanFileError(corrupt, f"not a readable zip package ({exc!r})") from exc


# --- text ------------------------------------------------------------------------------

# C0 controls a text file does not contain (tab, newlines, form feed and the DOS
# end-of-file mark excepted).
_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")


_PUNCTUATION = frozenset(".,;:!?()[]{}<>-–—_/\\|%&+*=#@'\"…“”‘’•")


def decode_text(data: bytes) -> str | None:
    """The text of a plain-text file, NFC, or None when it does not look like text."""
    text: str | None = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1258")
            except UnicodeDecodeError:
                return None
            # Windows-1258 decodes almost any bytes: only take text that reads as text.
            sample = text[:20_000]
            plain = sum(
                ch.isalnum() or ch.isspace() or ch in _PUNCTUATION or unicodedata.combining(ch) > 0
                for ch in sample
            )
            if plain < 0.85 * len(sample):
                return None
    if _BINARY_CONTROLS.search(text):
        return None
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


# --- dispatch --------------------------------------------------------------------------
