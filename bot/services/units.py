"""Use cases for the unit catalogue: load the official list, import a file, list, resolve.

Reading the office's file is bounded (the ``MAX_UNIT_*`` limits below): its size and a
workbook's unpacked size are checked before it is opened, rows are streamed (a workbook
in openpyxl's read-only mode) and counted as they come, and reading stops at the first
limit passed with an error that says it; nothing is stored then.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.checks import required
from bot.i18n import N_
from bot.language.normalize import fold, nfc
from bot.language.units import normalise_kind
from bot.matching import Decision, UnitCatalogue, UnitEntry, UnitMatch
from bot.services.reference import catalogue as reference_catalogue
from bot.services.reference import changed as reference_changed
from storage.catalogue import OfficialUnit, resolve_province
from storage.db import Database
from storage.models import MAX_KIND_CHARS, AliasKind, Unit, UnitAlias, UnitKind, UnitSource
from storage.queries import active_units

# -- resolving what people write ------------------------------------------------------


def unit_catalogue(session: Session) -> UnitCatalogue:
    """The deployment's units, indexed for matching (kept while the units are unchanged)."""
    return reference_catalogue(session)


class UnitNotResolved(LookupError):
    """A unit name that matched no unit, or several: carries the match for the message."""

    def __init__(self, match: UnitMatch) -> None:
        super().__init__(match.query)
        self.match = match


def resolve_unit(session: Session, text: str) -> Unit:
    match = unit_catalogue(session).match(text)
    if match.unit is None:
        raise UnitNotResolved(match)
    unit = session.get(Unit, match.unit.id)
    unit = required(unit, "unit")
    return unit


# -- the official list ------------------------------------------------------------------


@dataclass
class LoadReport:
    province: str
    former_name: str | None
    units: int
    created: int = 0
    renamed: int = 0
    unchanged: int = 0
    retired: int = 0
    aliases_added: int = 0
    renames: list[tuple[str, str]] = field(default_factory=list)


def _add_alias(unit: Unit, alias: str, kind: AliasKind, note: str | None) -> bool:
    key = fold(alias)
    if not key or key == fold(unit.name) or any(a.fold_key == key for a in unit.aliases):
        return False
    unit.aliases.append(UnitAlias(alias=nfc(alias), fold_key=key, kind=kind, note=note))
    return True


def _former_note(district: str | None, province: str, divided: bool) -> str:
    where = ", ".join(p for p in (district, province) if p)
    return f"{where}; divided" if divided else where


def load_official(db: Database, province_query: str) -> LoadReport:
    """Load a province and its current communes, wards and special zones.

    Units are found again by official code, then by name, so loading twice changes
    nothing and a newer list renames units without changing their ids; the old name is
    kept as an alias. Former (pre-2025) names become aliases.
    """
    official, former_name = resolve_province(province_query)
    with db.session() as session:
        province = session.scalar(
            select(Unit).where(Unit.code == official.code, Unit.parent_id.is_(None))
        ) or session.scalar(
            select(Unit).where(Unit.name == official.name, Unit.parent_id.is_(None))
        )
        report = LoadReport(province=official.name, former_name=former_name, units=0)
        if province is None:
            province = Unit(
                name=official.name, kind=UnitKind(official.kind), source=UnitSource.OFFICIAL
            )
            session.add(province)
        province.short_name, province.code = official.short_name, official.code
        for name in official.former:
            report.aliases_added += _add_alias(province, name, AliasKind.FORMER, None)
        session.flush()

        existing = list(
            session.scalars(
                select(Unit).where(
                    Unit.parent_id == province.id, Unit.source == UnitSource.OFFICIAL
                )
            )
        )
        by_code = {u.code: u for u in existing if u.code}
        by_name = {fold(u.name): u for u in existing}
        seen: set[int] = set()
        for item in official.units:
            unit = by_code.get(item.code) or by_name.get(fold(item.name))
            if unit is None:
                unit = Unit(parent=province, source=UnitSource.OFFICIAL, name=item.name)
                session.add(unit)
                report.created += 1
            elif unit.name != item.name:
                report.renames.append((unit.name, item.name))
                old_name = unit.name
                _apply(unit, item)
                _add_alias(unit, old_name, AliasKind.FORMER, None)
                report.renamed += 1
            else:
                report.unchanged += 1
            _apply(unit, item)
            for former in item.former:
                note = _former_note(former.district, former.province, former.divided)
                report.aliases_added += _add_alias(unit, former.name, AliasKind.FORMER, note)
            session.flush()
            seen.add(unit.id)
        for unit in existing:
            if unit.id not in seen and unit.active:
                unit.active = False
                report.retired += 1
        report.units = len(official.units)
        reference_changed(session)
    return report


def _apply(unit: Unit, item: OfficialUnit) -> None:
    unit.name, unit.short_name, unit.code = item.name, item.short_name, item.code
    unit.kind = UnitKind(item.kind)
    unit.active = True


# -- a file from the office -------------------------------------------------------------

COLUMN_NAMES = {
    "name": {"name", "ten", "ten don vi", "don vi"},
    "kind": {"kind", "loai", "loai don vi", "cap"},
    "parent": {"parent", "cap tren", "don vi cap tren", "truc thuoc", "don vi cha"},
    "aliases": {"aliases", "alias", "ten khac", "ten goi khac", "viet tat"},
}
REQUIRED = ("name", "kind", "parent", "aliases")


@dataclass(frozen=True)
class RowError:
    line: int
    message: str
    args: dict[str, Any] = field(default_factory=dict)


class UnitImportError(ValueError):
    """The file was refused; ``errors`` says why, line by line. Nothing was stored."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


# Limits on the office's file (docs/architecture.md, "Bounded work"). A province has
# about 3,400 units with its departments; the whole country 3,321 communes and wards.
MAX_UNIT_FILE_BYTES = 10 * 1024 * 1024  # the file as stored
MAX_UNIT_UNPACKED_BYTES = 20 * 1024 * 1024  # a workbook's parts, unpacked, summed
MAX_UNIT_ROWS = 20_000  # rows, the header included
MAX_UNIT_CELLS = 200_000  # cells read, empty ones included (four columns are used)
MAX_UNIT_CELL_CHARS = 2_000  # one cell (the aliases cell holds several names)
MAX_UNIT_NAME_CHARS = 200  # a name, a parent, an alias: the database columns' width
MAX_UNIT_READ_SECONDS = 15  # reading and checking the file


def _too_big(line: int, message: str, limit: int) -> UnitImportError:
    return UnitImportError([RowError(line, message, {"limit": limit})])


def _unreadable_xlsx(exc: Exception) -> UnitImportError:
    """openpyxl failed on the file (opening it, or reading a row): why, for the person."""
    return UnitImportError(
        [RowError(0, N_("not a readable .xlsx file: {reason}"), {"reason": str(exc)})]
    )


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """The first sheet's rows and their numbers, streamed (read-only mode), gaps included
    as empty rows."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNIT_UNPACKED_BYTES:
            raise _too_big(
                0,
                N_("the file unpacks to more than {limit} MB; a list of units is far smaller"),
                MAX_UNIT_UNPACKED_BYTES // 2**20,
            )
        workbook = load_workbook(path, read_only=True, data_only=True)
    except UnitImportError:
        raise
    except Exception as exc:
        raise _unreadable_xlsx(exc) from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the stored dimension may lie: read the rows themselves
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, list(values)
    except UnitImportError:
        raise
    except Exception as exc:
        raise _unreadable_xlsx(exc) from exc
    finally:
        workbook.close()


def _csv_rows(raw: bytes) -> Iterator[tuple[int, list[Any]]]:
    """The rows and the line each ends on."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UnitImportError(
            [RowError(line, N_("the file is not UTF-8 text; save it as CSV UTF-8"))]
        ) from exc
    text = text.replace("\x00", "")  # PostgreSQL text cannot hold NUL
    first_line = text[: text.find("\n")] if "\n" in text else text
    # The delimiter is read off the header only: ";" also separates aliases in a cell.
    delimiter = max(",;\t", key=first_line[: MAX_UNIT_CELL_CHARS * 4].count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for values in reader:
            yield reader.line_num, values
    except csv.Error as exc:  # a field over csv's own limit, a broken quote …
        raise UnitImportError(
            [
                RowError(
                    reader.line_num, N_("not a readable CSV file: {reason}"), {"reason": str(exc)}
                )
            ]
        ) from exc


def read_table(
    path: Path, timer: Callable[[], float] = time.monotonic
) -> list[tuple[int, list[str]]]:
    """Rows of a CSV or XLSX file with their line numbers (1 = the header).

    Refused (:class:`UnitImportError`) over the ``MAX_UNIT_*`` limits, as soon as one is
    passed; ``timer`` bounds the time to MAX_UNIT_READ_SECONDS."""
    size = path.stat().st_size
    if size > MAX_UNIT_FILE_BYTES:
        raise _too_big(
            0,
            N_("the file is larger than {limit} MB; a list of units is far smaller"),
            MAX_UNIT_FILE_BYTES // 2**20,
        )
    is_xlsx = path.suffix.lower() in (".xlsx", ".xlsm")
    rows_in = _xlsx_rows(path) if is_xlsx else _csv_rows(path.read_bytes())
    deadline = timer() + MAX_UNIT_READ_SECONDS
    rows: list[tuple[int, list[str]]] = []
    cells = 0
    for count, (line, values) in enumerate(rows_in, start=1):
        if count > MAX_UNIT_ROWS:
            raise _too_big(
                line,
                N_("more than {limit} rows; a list of units has a few thousand"),
                MAX_UNIT_ROWS,
            )
        cells += len(values)
        if cells > MAX_UNIT_CELLS:
            raise _too_big(
                line,
                N_("more than {limit} cells; a list of units has four columns"),
                MAX_UNIT_CELLS,
            )
        if count % 500 == 0 and timer() > deadline:
            raise _too_big(
                line,
                N_("reading the file took more than {limit} seconds"),
                MAX_UNIT_READ_SECONDS,
            )
        row = ["" if v is None else str(v).strip() for v in values]
        if any(len(c) > MAX_UNIT_CELL_CHARS for c in row):
            raise _too_big(
                line, N_("a cell is longer than {limit} characters"), MAX_UNIT_CELL_CHARS
            )
        rows.append((line, row))
    return rows


def _header(row: list[str]) -> tuple[dict[str, int], list[str]]:
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        key = fold(cell)
        for column, names in COLUMN_NAMES.items():
            if key in names and column not in found:
                found[column] = index
    return found, [c for c in REQUIRED if c not in found]


@dataclass
class _Row:
    line: int
    name: str
    kind: str
    parent: str
    aliases: list[str]


def import_units(
    db: Database, path: Path, timer: Callable[[], float] = time.monotonic
) -> ImportReport:
    """Add or update units from a CSV/XLSX file with the columns name,kind,parent,aliases.

    The whole file is checked first; if any row is wrong nothing is stored and every
    error is reported with its line number. Each parent is matched once and each parent's
    children are indexed once, so the work grows with the file, not with its square.
    """
    table = [(n, row) for n, row in read_table(path, timer) if any(row)]
    if not table:
        raise UnitImportError([RowError(1, N_("the file is empty"))])
    header_line, header = table[0]
    columns, missing = _header(header)
    if missing:
        raise UnitImportError(
            [
                RowError(
                    header_line, N_("missing column(s): {columns}"), {"columns": ", ".join(missing)}
                )
            ]
        )

    def cell(row: list[str], column: str) -> str:
        index = columns[column]
        return nfc(row[index]).strip() if index < len(row) else ""

    rows, errors = [], []
    for line, raw in table[1:]:
        row = _Row(
            line,
            " ".join(cell(raw, "name").split()),
            normalise_kind(cell(raw, "kind")),
            cell(raw, "parent"),
            [a.strip() for a in cell(raw, "aliases").split(";") if a.strip()],
        )
        if not row.name:
            errors.append(RowError(line, N_("the name is empty")))
        if any(len(n) > MAX_UNIT_NAME_CHARS for n in (row.name, row.parent, *row.aliases)):
            errors.append(
                RowError(
                    line,
                    N_("a name is longer than {limit} characters"),
                    {"limit": MAX_UNIT_NAME_CHARS},
                )
            )
        if not row.kind:
            errors.append(RowError(line, N_("the kind is empty (write xã, phòng, Công an …)")))
        elif len(row.kind) > MAX_KIND_CHARS:
            errors.append(
                RowError(
                    line,
                    N_("the kind is longer than {limit} characters"),
                    {"limit": MAX_KIND_CHARS},
                )
            )
        rows.append(row)

    with db.session() as session:
        catalogue = unit_catalogue(session)
        file_names = {fold(r.name): r for r in rows if r.name}
        parents: dict[int, int | str | None] = {}
        seen: dict[tuple[str, str], int] = {}
        matches: dict[str, UnitMatch] = {}
        for row in rows:
            parent_ref: int | str | None = None
            if row.parent:
                parent_key = fold(row.parent)
                if parent_key in file_names and parent_key != fold(row.name):
                    parent_ref = parent_key
                else:
                    if row.parent not in matches:
                        matches[row.parent] = catalogue.match(row.parent)
                    match = matches[row.parent]
                    if match.unit is not None:
                        parent_ref = match.unit.id
                    else:
                        names = "; ".join(_label(e) for e in match.choices[:4])
                        if match.decision is Decision.ASK:
                            message = N_("parent “{parent}” is ambiguous: {names}")
                        elif names:
                            message = N_("unknown parent “{parent}”; did you mean: {names}?")
                        else:
                            message = N_("unknown parent “{parent}”")
                        errors.append(
                            RowError(row.line, message, {"parent": row.parent, "names": names})
                        )
            parents[row.line] = parent_ref
            key = (fold(row.name), str(parent_ref))
            if row.name and key in seen:
                errors.append(
                    RowError(
                        row.line,
                        N_("duplicate name “{name}” (also on line {other})"),
                        {"name": row.name, "other": seen[key]},
                    )
                )
            seen.setdefault(key, row.line)
        if errors:
            session.rollback()
            raise UnitImportError(sorted(errors, key=lambda e: e.line))

        report = ImportReport()
        created: dict[str, Unit] = {}
        children = _Children(session)
        for row in rows:
            ref = parents[row.line]
            parent: Unit | None = None
            if isinstance(ref, str):
                parent = created.get(ref) or children.find(None, ref)
            elif isinstance(ref, int):
                parent = session.get(Unit, ref)
            kind = row.kind
            unit = children.find(parent, fold(row.name))
            new = unit is None
            if unit is None:
                unit = Unit(name=row.name, kind=kind, source=UnitSource.IMPORT)
                unit.parent = parent
                session.add(unit)
                children.add(parent, unit)
                report.created.append(row.name)
                changed = True
            else:
                changed = unit.kind != kind or not unit.active
                unit.kind, unit.active = kind, True
            for alias in row.aliases:
                changed |= _add_alias(
                    unit,
                    alias,
                    AliasKind.ABBREVIATION if alias.isupper() else AliasKind.OTHER,
                    None,
                )
            created[fold(row.name)] = unit
            if not new:
                (report.updated if changed else report.unchanged).append(row.name)
        session.flush()
        reference_changed(session)
    return report


class _Children:
    """Each parent's children by folded name, loaded once per parent (with their aliases)
    and kept up to date as units are added; ``None`` is the top level."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_parent: dict[Unit | None, dict[str, Unit]] = {}  # mapped objects hash by id

    def _of(self, parent: Unit | None) -> dict[str, Unit]:
        if parent not in self.by_parent:
            found: dict[str, Unit] = {}
            if parent is None or parent.id is not None:
                where = Unit.parent_id.is_(None) if parent is None else Unit.parent_id == parent.id
                stmt = select(Unit).where(where).options(selectinload(Unit.aliases))
                for unit in self.session.scalars(stmt):
                    found.setdefault(fold(unit.name), unit)
            self.by_parent[parent] = found
        return self.by_parent[parent]

    def find(self, parent: Unit | None, name_key: str) -> Unit | None:
        return self._of(parent).get(name_key)

    def add(self, parent: Unit | None, unit: Unit) -> None:
        self._of(parent).setdefault(fold(unit.name), unit)


def _label(entry: UnitEntry) -> str:
    return f"{entry.name} ({entry.parent_name})" if entry.parent_name else entry.name


# -- listing ----------------------------------------------------------------------------


@dataclass
class UnitNode:
    id: int
    name: str
    kind: str
    code: str | None
    source: str
    aliases: list[str]
    children: list[UnitNode] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "code": self.code,
            "source": self.source,
            "aliases": self.aliases,
            "children": [c.as_dict() for c in self.children],
        }


def unit_tree(db: Database) -> list[UnitNode]:
    with db.session() as session:
        units = active_units(session)
        nodes = {
            u.id: UnitNode(
                u.id, u.name, u.kind, u.code, u.source.value, [a.alias for a in u.aliases]
            )
            for u in units
        }
        roots: list[UnitNode] = []
        for u in units:
            node = nodes[u.id]
            parent = nodes.get(u.parent_id) if u.parent_id else None
            (parent.children if parent else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: (n.kind not in ("xa", "phuong", "dac_khu"), fold(n.name)))
    return roots
