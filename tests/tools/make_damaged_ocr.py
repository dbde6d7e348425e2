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

Every rule was still written looking at the same three plans. ``--synthetic [K:]N`` damages
plans that are not the samples (``tests/synthetic_plans.py``: made up from a seed, other
levels, units, columns, numbering and timeframes), plan ``k`` the way of variant ``k``
(the original's way, then each of :data:`VARIANTS` in turn), into
``tests/data/plans/damaged/synthetic/synthetic-<k>.txt``, with what the plan holds beside
it (``synthetic-<k>.json``: its units, year and task rows), which the bench scores
against.

Slow (about a minute a sample and variant); the tests read the committed outputs. Run
from the repository root::

    .venv/bin/python tests/tools/make_damaged_ocr.py [--variants] [SAMPLE ...]
    .venv/bin/python tests/tools/make_damaged_ocr.py --synthetic 16      # plans 0–15
    .venv/bin/python tests/tools/make_damaged_ocr.py --synthetic 16:24   # plans 16–23
"""

from __future__ import annotations

import dataclasses
import json
import random
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.plans_fixtures import SAMPLE_NAMES, sample_docx
from tests.synthetic_plans import plan, plan_docx

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
    """The sample ``name``'s damaged text."""
    return damage(sample_docx(name), name, variant)


def damage(data: bytes, name: str, variant: Variant = ORIGINAL) -> str:
    """A .docx's damaged text: printed, scanned, read without Vietnamese data."""
    rng = random.Random(name + variant.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        docx = folder / f"{name}.docx"
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


def synthetic(seeds: range) -> None:
    """Damage the made-up plans of ``seeds``, each the way of one variant in turn."""
    out = OUT / "synthetic"
    out.mkdir(parents=True, exist_ok=True)
    ways = [ORIGINAL, *VARIANTS.values()]
    for seed in seeds:
        made = plan(seed)
        variant = ways[seed % len(ways)]
        text = damage(plan_docx(made), made.name, variant)
        (out / f"{made.name}.txt").write_text(text, encoding="utf-8")
        held = {
            "units": list(made.units),
            "year": made.year,
            "damaged": dataclasses.asdict(variant),
            "rows": [{"code": r.code, "lead": r.lead, "when": r.when} for r in made.rows],
        }
        (out / f"{made.name}.json").write_text(
            json.dumps(held, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        print(made.name, "written")


def main(argv: list[str]) -> None:
    if "--synthetic" in argv:
        first, _, last = argv[argv.index("--synthetic") + 1].rpartition(":")
        synthetic(range(int(first or 0), int(last)))
        return
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
