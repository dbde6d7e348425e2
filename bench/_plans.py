"""What the plan benches share: the Sơn Tây unit catalogue that plans are resolved
against, in a database of its own made for the run."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bot.matching import UnitCatalogue
from bot.services import units as unit_service
from storage.db import Database

DATA = Path(__file__).parents[1] / "tests" / "data"


@contextlib.contextmanager
def son_tay_catalogue() -> Iterator[UnitCatalogue]:
    """The catalogue of ``tests/data/son-tay-units.csv``, in a temporary SQLite file."""
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'plans.db'}")
        db.ensure_ready()
        unit_service.import_units(db, DATA / "son-tay-units.csv")
        with db.session() as session:
            yield unit_service.unit_catalogue(session)
