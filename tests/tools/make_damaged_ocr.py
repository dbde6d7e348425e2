"""Make damaged OCR texts of the sample plans, as a scanner without Vietnamese data would.

Each sample's Word twin (``tests/plans_fixtures.sample_docx``) is converted to PDF with
LibreOffice, its pages rasterised at 200 dpi with poppler, each page mildly rotated,
blurred and sprinkled with noise with Pillow (a fixed seed: the same output each run),
and read by Tesseract with the English data only (``-l eng``). The pages' texts are
written, one after the other, to ``tests/data/plans/damaged/<sample>.txt``.

Slow (about a minute a sample); the tests read the committed outputs. Run from the
repository root::

    .venv/bin/python tests/tools/make_damaged_ocr.py [SAMPLE ...]
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.plans_fixtures import SAMPLE_NAMES, sample_docx

OUT = Path(__file__).resolve().parents[1] / "data" / "plans" / "damaged"
DPI = 200


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


def make(name: str) -> str:
    rng = random.Random(name)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        docx = folder / f"{name}.docx"
        docx.write_bytes(sample_docx(name))
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        subprocess.run(
            ["pdftoppm", "-r", str(DPI), "-png", str(folder / f"{name}.pdf"), str(folder / "p")],
            check=True,
            timeout=180,
        )
        texts = []
        for page in sorted(folder.glob("p-*.png")):
            damaged = _damage(page, rng)
            result = subprocess.run(
                ["tesseract", str(damaged), "-", "-l", "eng"],
                check=True,
                capture_output=True,
                timeout=300,
            )
            texts.append(result.stdout.decode("utf-8"))
        return "\n".join(texts)


def main(argv: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name in argv or SAMPLE_NAMES:
        (OUT / f"{name}.txt").write_text(make(name), encoding="utf-8")
        print(name, "written")


if __name__ == "__main__":
    main(sys.argv[1:])
