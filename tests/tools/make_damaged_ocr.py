"""Make damaged OCR texts of the sample plans, as a scanner without Vietnamese data would.

Each sample's Word twin (``tests/plans_fixtures.sample_docx``) is converted to PDF with
LibreOffice, its pages rasterised at 200 dpi with poppler, each page mildly rotated,
blurred and sprinkled with noise with Pillow (a fixed seed: the same output each run),
and read by Tesseract with the English data only (``-l eng``). The pages' texts are
written, one after the other, to ``tests/data/plans/damaged/<sample>.txt``.

The repair step was built looking at those texts. To tell whether it reads damaged text
in general or only those texts, ``--variants`` makes others that nobody tuned it on
(``tests/data/plans/damaged/<variant>/<sample>.txt``, :data:`VARIANTS`): other seeds, the
pages at 225, 250 or 300 dpi or laid out in landscape (as many appendices are), and
Tesseract told the page is one block of text (``--psm 6``: rows read straight across the
columns, as simpler scanner software does) or a column of blocks of varying size
(``--psm 4``).

Slow (about a minute a sample and variant); the tests read the committed outputs. Run
from the repository root::

    .venv/bin/python tests/tools/make_damaged_ocr.py [--variants] [SAMPLE ...]
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.plans_fixtures import SAMPLE_NAMES, sample_docx

OUT = Path(__file__).resolve().parents[1] / "data" / "plans" / "damaged"


@dataclass(frozen=True)
class Variant:
    seed: str = ""  # added to the sample's name to seed the damage
    dpi: int = 200
    landscape: bool = False
    psm: int | None = None  # Tesseract's page segmentation mode; None: its default (3)


ORIGINAL = Variant()
VARIANTS = {
    "300dpi": Variant(seed="-300", dpi=300),
    "landscape": Variant(seed="-landscape", landscape=True),
    "one-block": Variant(seed="-block", psm=6),
    "250dpi-columns": Variant(seed="-columns", dpi=250, psm=4),
    "landscape-block": Variant(seed="-lblock", landscape=True, psm=6),
    "225dpi": Variant(seed="-final1", dpi=225),
    "landscape-columns": Variant(seed="-final2", landscape=True, psm=4),
}


def _damage(page: Path, rng: random.Random) -> Path:
    image = Image.open(page).convert("L")
    image = image.rotate(rng.uniform(-1.2, 1.2), resample=Image.BICUBIC, expand=True, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.0)))
    pixels = image.load()
    width, height = image.size
    for _ in range(width * height // 200):  # salt and pepper on 0.5 % of the pixels
        x, y = rng.randrange(width), rng.randrange(height)
        pixels[x, y] = 0 if rng.random() < 0.5 else 255
    out = page.with_suffix(".damaged.png")
    image.save(out)
    return out


def _landscape(data: bytes) -> bytes:
    import io

    import docx
    from docx.enum.section import WD_ORIENT

    document = docx.Document(io.BytesIO(data))
    for section in document.sections:
        width, height = section.page_width, section.page_height
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = max(width, height), min(width, height)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make(name: str, variant: Variant = ORIGINAL) -> str:
    rng = random.Random(name + variant.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        docx = folder / f"{name}.docx"
        data = sample_docx(name)
        docx.write_bytes(_landscape(data) if variant.landscape else data)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(variant.dpi),
                "-png",
                str(folder / f"{name}.pdf"),
                str(folder / "p"),
            ],
            check=True,
            timeout=180,
        )
        texts = []
        for page in sorted(folder.glob("p-*.png")):
            damaged = _damage(page, rng)
            psm = ["--psm", str(variant.psm)] if variant.psm is not None else []
            result = subprocess.run(
                ["tesseract", str(damaged), "-", "-l", "eng", *psm],
                check=True,
                capture_output=True,
                timeout=300,
            )
            texts.append(result.stdout.decode("utf-8"))
        return "\n".join(texts)


def main(argv: list[str]) -> None:
    variants = {"": ORIGINAL}
    if "--variants" in argv:
        argv = [a for a in argv if a != "--variants"]
        variants = VARIANTS
    for folder, variant in variants.items():
        out = OUT / folder
        out.mkdir(parents=True, exist_ok=True)
        for name in argv or SAMPLE_NAMES:
            (out / f"{name}.txt").write_text(make(name, variant), encoding="utf-8")
            print(folder or "original", name, "written")


if __name__ == "__main__":
    main(sys.argv[1:])
