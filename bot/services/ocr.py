"""Scans and photos of a plan read by OCR: a PDF without a text layer, or a picture
(.jpg, .png, a photo sent in Telegram), into a :class:`~bot.plans.model.Document` of
kind ``ocr``.

Poppler gives a PDF's pages (at most :data:`MAX_PAGES`; ``pdfinfo`` counts them first):
a scan whose every page is one picture gives its pictures as the scanner made them
(``pdfimages``), any other PDF is rendered (``pdftoppm -r 300``: ten times slower on a
scan, as it resamples the picture). Pillow opens a picture (turned as its EXIF says,
scaled into a size Tesseract reads well). :mod:`bot.plans.scan` turns each page upright
and finds its ruled tables; Tesseract reads the page with its Vietnamese data (``-l
vie``, TSV output: words with their boxes and confidences), and :mod:`bot.plans.scan`
lays the words out into paragraphs and table cells.

The programs run as :mod:`bot.services.conversion` runs LibreOffice: in a temporary
folder of their own, each in its own process group, killed whole when the time left of
the file's budget (``seconds``, ``DONDOC_OCR_SECONDS``) runs out. Nothing is left on disk.
Every failure is an :class:`OcrError`: ``no_ocr`` (Tesseract, its Vietnamese data or
Poppler is not installed: the office is told so), ``ocr_too_slow``, ``too_many_scanned_pages``,
``unreadable_image`` (not a picture Pillow can open) or ``ocr_failed``.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageFilter, ImageOps

from bot.plans import scan
from bot.plans.model import Document

log = logging.getLogger(__name__)

OCR_SECONDS = 300  # one file, all pages (about 5 s a page on a 2-core machine)
MAX_PAGES = 40  # a decision's appendix may run to 30 pages; a longer scan is refused
RENDER_DPI = 300
LANGUAGE = "vie"
# A picture is scaled so that its longer side is in this range (pixels): a phone photo
# of an A4 page at 12 MP is about 4000 px; Tesseract reads 10-12 pt text best at about
# 300 dpi, 3500 px for A4 (a 200 dpi scan is scaled up: "5.2" is no longer read "3.2").
MIN_SIDE, MAX_SIDE = 3300, 4200
MAX_PIXELS = 60_000_000  # a picture larger than this is refused before it is decoded


class OcrError(Exception):
    """``reason``: ``no_ocr``, ``ocr_too_slow``, ``too_many_scanned_pages``, ``unreadable_image``
    or ``ocr_failed``; ``detail`` is for the log."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


@functools.cache
def _languages(program: str) -> frozenset[str]:
    try:
        done = subprocess.run(
            [program, "--list-langs"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    lines = (done.stdout + done.stderr).decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and " " not in line.strip())


def missing(pdf: bool = True) -> list[str]:
    """What OCR needs and this machine lacks: "tesseract", "tesseract-ocr-vie",
    "poppler-utils" (for a PDF only); empty when OCR can run."""
    lacking = []
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        lacking.append("tesseract")
    elif LANGUAGE not in _languages(tesseract):
        lacking.append("tesseract-ocr-vie")
    if pdf and any(shutil.which(p) is None for p in ("pdftoppm", "pdfinfo", "pdfimages")):
        lacking.append("poppler-utils")
    return lacking


class _Clock:
    """The time left of one file's budget."""

    def __init__(self, seconds: float, timer: Callable[[], float]) -> None:
        self.timer = timer
        self.deadline = timer() + seconds
        self.seconds = seconds

    def left(self) -> float:
        remaining = self.deadline - self.timer()
        if remaining <= 0:
            raise OcrError("ocr_too_slow", f"more than {self.seconds:.0f} s")
        return remaining


def _run(command: list[str], clock: _Clock, cwd: Path) -> bytes:
    """Run a program in its own process group; its output, or OcrError."""
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, killed whole on a timeout
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},  # one core: others share the machine
    )
    seconds = clock.left()
    try:
        out, errors = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired as exc:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise OcrError("ocr_too_slow", f"{command[0]} still running after {seconds:.0f} s") from exc
    if process.returncode != 0:
        detail = errors.decode("utf-8", "replace").strip()[-300:]
        raise OcrError("ocr_failed", f"{command[0]} exit {process.returncode}: {detail}")
    return out


def _pdf_info(pdf: Path, pages: int | None, clock: _Clock) -> str:
    command = ["pdfinfo"] + (["-f", "1", "-l", str(pages)] if pages else []) + [str(pdf)]
    return _run(command, clock, pdf.parent).decode("utf-8", "replace")


def _page_count(info: str) -> int:
    for line in info.splitlines():
        if line.startswith("Pages:"):
            try:
                return int(line.split(":", 1)[1])
            except ValueError:
                break
    raise OcrError("ocr_failed", "pdfinfo gave no page count")


def _scanned_images(pdf: Path, pages: int, clock: _Clock) -> list[Path] | None:
    """The pages' pictures as the scanner made them, when each page is one picture and
    none is turned (``pdfimages``: no resampling, a tenth of the time of rendering);
    None otherwise."""
    rotations = re.findall(r"^Page\s+\d+\s+rot:\s+(\d+)", _pdf_info(pdf, pages, clock), re.M)
    if any(r != "0" for r in rotations):
        return None
    listing = _run(["pdfimages", "-list", str(pdf)], clock, pdf.parent).decode("utf-8", "replace")
    per_page: dict[int, int] = {}
    for line in listing.splitlines()[2:]:
        fields = line.split()
        if len(fields) > 2 and fields[0].isdigit() and fields[2] == "image":
            per_page[int(fields[0])] = per_page.get(int(fields[0]), 0) + 1
    if sorted(per_page) != list(range(1, pages + 1)) or any(n != 1 for n in per_page.values()):
        return None
    _run(["pdfimages", "-png", str(pdf), str(pdf.parent / "scan")], clock, pdf.parent)
    found = sorted(pdf.parent.glob("scan-*.png"))
    return found if len(found) == pages else None


def _render(data: bytes, work: Path, clock: _Clock) -> list[Image.Image]:
    pdf = work / "scan.pdf"
    pdf.write_bytes(data)
    pages = _page_count(_pdf_info(pdf, None, clock))
    if pages > MAX_PAGES:
        raise OcrError("too_many_scanned_pages", f"{pages} pages, at most {MAX_PAGES} are read")
    paths = _scanned_images(pdf, pages, clock)
    if paths is None:
        command = ["pdftoppm", "-r", str(RENDER_DPI), "-gray", "-png", str(pdf), str(work / "page")]
        _run(command, clock, work)
        paths = sorted(work.glob("page*.png"))
    if not paths:
        raise OcrError("ocr_failed", "no page rendered")
    return [_picture(path.read_bytes()) for path in paths]


def _picture(data: bytes) -> Image.Image:
    """A photo or a scanned picture, upright as its EXIF says, in grey levels, scaled."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise OcrError("unreadable_image", f"{opened.width}x{opened.height} pixels")
                image = ImageOps.exif_transpose(opened).convert("L")
    except OcrError:
        raise
    except (OSError, ValueError, Image.DecompressionBombError, Warning) as exc:
        raise OcrError("unreadable_image", repr(exc)) from exc
    side = max(image.size)
    if side < MIN_SIDE or side > MAX_SIDE:
        scale = (MIN_SIDE if side < MIN_SIDE else MAX_SIDE) / side
        size = (round(image.width * scale), round(image.height * scale))
        image = image.resize(size, Image.Resampling.LANCZOS)
    return image


def _read_page(
    image: Image.Image, index: int, work: Path, clock: _Clock
) -> tuple[scan.Page, list[scan.Word]]:
    upright = scan.unslant(scan.deskew(image))
    grids = scan.find_rules(upright)
    clean = scan.clean_page(upright)
    grids = scan.mark_ink(grids, clean)
    words = _tesseract(clean, f"ocr-{index:03d}", "3", work, clock)
    boxes = scan.missed_cells(clean, grids, words)
    if boxes:
        cells, tops = scan.strip(clean, boxes)
        again = scan.unstrip(_tesseract(cells, f"cells-{index:03d}", "6", work, clock), boxes, tops)
        words = scan.replace_cells(words, again, boxes)
    numbers = scan.numbered_cells(grids, words)
    if numbers:
        cells, tops = scan.strip(clean, numbers)
        # Tesseract's English model reads digits better than the Vietnamese one ("5.5"
        # read "5.2"); its data comes with Tesseract itself.
        tesseract = shutil.which("tesseract") or "tesseract"
        language = "eng" if "eng" in _languages(tesseract) else LANGUAGE
        readings = []
        # A bold "II" is read at one size or stroke width and not at another: read as it
        # is, twice as large, and with its strokes thinned.
        thinned = cells.filter(ImageFilter.MaxFilter(5))
        for factor, picture in (
            (1, cells),
            (2, cells.resize((cells.width * 2, cells.height * 2))),
            (1, thinned),
        ):
            name = f"numbers-{index:03d}-{len(readings)}"
            read = _tesseract(picture, name, "6", work, clock, scan.NUMBER_CHARS, language)
            readings.append(scan.unstrip(scan.scaled(read, factor), numbers, tops))
        words = scan.pick_numbers(words, readings, numbers)
    words = scan.recount_quarters(words, clean)  # (on every reading: "Quý II" for III)
    return scan.page_blocks(words, grids, upright.height), words


def _tesseract(
    image: Image.Image,
    name: str,
    psm: str,
    work: Path,
    clock: _Clock,
    chars: str = "",
    language: str = LANGUAGE,
) -> list[scan.Word]:
    path = work / f"{name}.png"
    image.save(path)
    command = ["tesseract", path.name, "stdout", "-l", language, "--psm", psm]
    if chars:
        command += ["-c", f"tessedit_char_whitelist={chars}"]
    command.append("tsv")
    return scan.read_tsv(_run(command, clock, work).decode("utf-8", "replace"))


def read_scan(
    data: bytes,
    name: str,
    kind: str,
    seconds: float = OCR_SECONDS,
    timer: Callable[[], float] = time.monotonic,
) -> Document:
    """A scanned PDF (``kind`` "pdf") or a picture ("image") read by OCR. Raises
    :class:`OcrError`."""
    lacking = missing(pdf=kind == "pdf")
    if lacking:
        raise OcrError("no_ocr", "missing: " + ", ".join(lacking))
    clock = _Clock(seconds, timer)
    started = timer()
    with tempfile.TemporaryDirectory(prefix="dondoc-ocr-") as folder:
        work = Path(folder)
        images = _render(data, work, clock) if kind == "pdf" else [_picture(data)]
        pages: list[scan.Page] = []
        words: list[scan.Word] = []
        for index, image in enumerate(images):
            page, found = _read_page(image, index, work, clock)
            pages.append(page)
            words.extend(found)
    confidence = scan.mean_confidence(words)
    log.info(
        "OCR read %s: %d pages, %d words, confidence %s, %.1f s",
        name,
        len(pages),
        len(words),
        confidence,
        timer() - started,
    )
    return scan.scan_document(name, pages, confidence)
