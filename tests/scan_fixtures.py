"""Scans and photos of the sample plans, made as an office's scanner or phone would.

Each sample's Word twin (:func:`tests.plans_fixtures.sample_docx`) is printed to PDF by
LibreOffice, its pages rasterised at 200 dpi by Poppler (``pdftoppm``), then each page
is turned slightly (±1°, alternating), blurred and sprinkled with noise with Pillow
(a fixed seed: the same scan every run). :func:`scanned_pdf` puts pages back together as
an image-only PDF (no text layer), :func:`photo_png` gives one page as a PNG photo.
A ``seed`` other than 0 (and another ``dpi``) makes another scan of the same pages, one
the OCR rules were not studied on (``python -m bench.plan_ocr --seed 1 --dpi 250``).

Everything is cached for the session: LibreOffice and the rasterising take seconds.
"""

from __future__ import annotations

import functools
import io
import random
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from bot.plans import scan
from bot.services import conversion
from tests.plans_fixtures import sample_docx

SCAN_DPI = 200


def have_tools() -> str | None:
    """Why scans cannot be made or read here, or None."""
    from bot.services import ocr

    if conversion.converter() is None:
        return "LibreOffice (soffice) is not installed: .ci/run installs libreoffice-writer-nogui"
    lacking = ocr.missing()
    if lacking:
        return "OCR needs " + ", ".join(lacking) + ": .ci/run installs tesseract-ocr-vie"
    return None


@functools.cache
def sample_pdf(name: str) -> bytes:
    """The sample's Word twin printed to PDF by LibreOffice."""
    return docx_pdf(sample_docx(name))


@functools.cache
def docx_pdf(data: bytes) -> bytes:
    """A .docx printed to PDF by LibreOffice."""
    program = conversion.converter()
    assert program is not None
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "plan.docx").write_bytes(data)
        subprocess.run(
            [
                program,
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work / "out"),
                str(work / "plan.docx"),
            ],
            check=True,
            capture_output=True,
            timeout=240,
        )
        return (work / "out" / "plan.pdf").read_bytes()


@functools.cache
def page_texts(name: str) -> tuple[str, ...]:
    """The text layer of each page of the sample's PDF."""
    return pdf_page_texts(sample_pdf(name))


@functools.cache
def pdf_page_texts(data: bytes) -> tuple[str, ...]:
    """The text layer of each page of a PDF."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "plan.pdf"
        pdf.write_bytes(data)
        done = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
        )
    return tuple(done.stdout.decode("utf-8").split("\f"))


def appendix_pages(name: str) -> list[int]:
    """The 1-based pages that hold a task table (its header, repeated on each page:
    "STT  Nội dung …")."""
    header = re.compile(r"^\s*(?:STT|TT|Stt)\s+Nội dung", re.MULTILINE)
    return [i for i, text in enumerate(page_texts(name), start=1) if header.search(text)]


def pdf_pages(pdf: bytes) -> int:
    """How many pages a PDF has (pdftotext ends each page with a form feed)."""
    texts = pdf_page_texts(pdf)
    return len(texts) - 1 if len(texts) > 1 and not texts[-1].strip() else len(texts)


def pdf_scan(pdf: bytes, seed: int = 0, dpi: int = SCAN_DPI, slant: float = 0.0) -> bytes:
    """Every page of a PDF as a scanner makes it: an image-only PDF."""
    pages = tuple(range(1, pdf_pages(pdf) + 1))
    return _as_pdf(_scanned(pdf, pages, seed, dpi, slant), dpi)


def _slanted(image: Image.Image, slant: float, index: int) -> Image.Image:
    """The page photographed at a slant: one edge (the top on odd pages, the bottom on
    even ones) nearer the lens, the far one narrower by ``slant`` of the width each side."""
    width, height = image.size
    inset = slant * width
    page = [(0, 0), (width, 0), (width, height), (0, height)]
    if index % 2:
        seen = [(inset, 0), (width - inset, 0), (width, height), (0, height)]
    else:
        seen = [(0, 0), (width, 0), (width - inset, height), (inset, height)]
    return scan.warped(image, seen, page)  # each page point to where the photo shows it


def _degrade(image: Image.Image, index: int, seed: int = 0, slant: float = 0.0) -> Image.Image:
    """A scanner's page: turned a little (±1°), blurred, with noise; with ``slant``, a
    phone's photo taken at a slant (:func:`_slanted`) first."""
    if slant:
        image = _slanted(image, slant, index)
    rng = random.Random(index if not seed else f"{seed}-{index}")
    angle = (1.0 if index % 2 else -1.0) * rng.uniform(0.6, 1.0)
    turned = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    blurred = np.asarray(turned.filter(ImageFilter.GaussianBlur(0.8)), dtype=np.int16)
    generator = np.random.default_rng(index if not seed else (seed, index))
    noise = generator.normal(0, 14, blurred.shape).astype(np.int16)
    return Image.fromarray(np.clip(blurred + noise, 0, 255).astype(np.uint8))


@functools.cache
def scanned_pages(
    name: str, pages: tuple[int, ...], seed: int = 0, dpi: int = SCAN_DPI, slant: float = 0.0
) -> tuple[Image.Image, ...]:
    """The given 1-based pages of the sample as degraded grey scans."""
    return _scanned(sample_pdf(name), pages, seed, dpi, slant)


def _scanned(
    pdf: bytes, pages: tuple[int, ...], seed: int, dpi: int, slant: float = 0.0
) -> tuple[Image.Image, ...]:
    assert shutil.which("pdftoppm") is not None
    out = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "plan.pdf").write_bytes(pdf)
        for page in pages:
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    str(dpi),
                    "-gray",
                    "-png",
                    "-singlefile",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    str(work / "plan.pdf"),
                    str(work / f"p{page}"),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
            with Image.open(work / f"p{page}.png") as image:
                out.append(_degrade(image.convert("L"), page, seed, slant))
    return tuple(out)


@functools.cache
def scanned_pdf(
    name: str, pages: tuple[int, ...], seed: int = 0, dpi: int = SCAN_DPI, slant: float = 0.0
) -> bytes:
    """An image-only PDF of the given pages, as a scanner makes it (a phone at a slant)."""
    return _as_pdf(scanned_pages(name, pages, seed, dpi, slant), dpi)


def _as_pdf(images: tuple[Image.Image, ...], dpi: int) -> bytes:
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=list(images[1:]), resolution=dpi)
    return buffer.getvalue()


@functools.cache
def photo_png(name: str, page: int) -> bytes:
    """One page of the sample as a PNG picture."""
    buffer = io.BytesIO()
    scanned_pages(name, (page,))[0].save(buffer, "PNG")
    return buffer.getvalue()
