"""Loading the official list, importing the office's file, listing the tree."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import event, func, select, update

from bot.services import units as units_service
from bot.services.units import (
    MAX_UNIT_READ_SECONDS,
    MAX_UNIT_ROWS,
    MAX_UNIT_UNPACKED_BYTES,
    UnitImportError,
    UnitNotResolved,
    import_units,
    load_official,
    read_table,
    resolve_unit,
    unit_catalogue,
    unit_tree,
)
from storage.catalogue import UnknownProvince, find_province
from storage.db import Database
from storage.models import Unit, UnitAlias
from tests import hostile_files as hostile


def _count(db: Database, model: type) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_load_official_province_is_idempotent(db: Database) -> None:
    official = find_province("Tuyên Quang")
    first = load_official(db, "tuyen quang")
    assert first.province == "Tỉnh Tuyên Quang"
    assert first.created == len(official.units) == first.units
    assert first.aliases_added > 0
    units, aliases = _count(db, Unit), _count(db, UnitAlias)
    assert units == len(official.units) + 1

    second = load_official(db, "Tỉnh Tuyên Quang")
    assert (second.created, second.renamed, second.aliases_added) == (0, 0, 0)
    assert second.unchanged == len(official.units)
    assert (_count(db, Unit), _count(db, UnitAlias)) == (units, aliases)


def test_former_names_become_aliases(db: Database) -> None:
    load_official(db, "Tuyên Quang")
    with db.session() as session:
        unit = resolve_unit(session, "Thị trấn Sơn Dương")  # a pre-2025 name
        assert unit.name == "Xã Sơn Dương"
        alias = next(a for a in unit.aliases if a.alias == "Thị trấn Sơn Dương")
        assert "Huyện Sơn Dương" in (alias.note or "")
        province = resolve_unit(session, "Tỉnh Hà Giang")  # a merged province
        assert province.name == "Tỉnh Tuyên Quang"


def test_a_newer_list_renames_without_changing_ids(db: Database) -> None:
    load_official(db, "Tuyên Quang")
    with db.session() as session:
        unit = session.scalar(select(Unit).where(Unit.name == "Xã Sơn Dương"))
        unit_id = unit.id
        # Pretend the stored name is an older spelling of the same official code.
        session.execute(update(Unit).where(Unit.id == unit_id).values(name="Xã Sơn Dương Cũ"))
    report = load_official(db, "Tuyên Quang")
    assert report.renamed == 1
    assert report.renames == [("Xã Sơn Dương Cũ", "Xã Sơn Dương")]
    with db.session() as session:
        unit = session.get(Unit, unit_id)
        assert unit.name == "Xã Sơn Dương"
        assert "Xã Sơn Dương Cũ" in [a.alias for a in unit.aliases]


def test_an_unknown_province_suggests_the_closest(db: Database) -> None:
    with pytest.raises(UnknownProvince) as info:
        load_official(db, "Tuyen Quan")
    assert info.value.suggestions[0] == "Tỉnh Tuyên Quang"
    assert _count(db, Unit) == 0


def test_import_adds_departments_with_aliases(db: Database, units_csv: Path) -> None:
    report = import_units(db, units_csv)
    assert len(report.created) == 6
    with db.session() as session:
        centre = resolve_unit(session, "ttpvhcc")
        assert centre.name == "Trung tâm Phục vụ hành chính công"
        assert centre.parent.name == "Tỉnh Thử Nghiệm"
        assert resolve_unit(session, "xa son duong").name == "Xã Sơn Dương"
    again = import_units(db, units_csv)
    assert (again.created, again.updated) == ([], [])
    assert len(again.unchanged) == 6


def test_import_attaches_to_loaded_official_units(db: Database, tmp_path: Path) -> None:
    load_official(db, "Tuyên Quang")
    path = tmp_path / "depts.csv"
    path.write_text(
        "name,kind,parent,aliases\nPhòng Kinh tế,phòng,xa son duong,PKT\n", encoding="utf-8"
    )
    import_units(db, path)
    with db.session() as session:
        unit = resolve_unit(session, "PKT")
        assert (unit.name, unit.parent.name) == ("Phòng Kinh tế", "Xã Sơn Dương")


def test_import_reads_xlsx(db: Database, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Tên", "Loại", "Cấp trên", "Tên khác"])  # Vietnamese headers work too
    sheet.append(["Tỉnh X", "tỉnh", None, None])
    sheet.append(["Sở Tư pháp", "sở", "Tỉnh X", "STP; Sở TP"])
    path = tmp_path / "units.xlsx"
    workbook.save(path)
    report = import_units(db, path)
    assert report.created == ["Tỉnh X", "Sở Tư pháp"]
    with db.session() as session:
        assert resolve_unit(session, "Sở TP").name == "Sở Tư pháp"


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        ("name,kind,aliases\nXã A,xã,\n", 1, "parent"),
        ("name,kind,parent,aliases\nXã A,xã,Tỉnh Không Có,\n", 2, "unknown parent"),
        ("name,kind,parent,aliases\nXã A,xã,,\nXã A,xã,,\n", 3, "duplicate name"),
        ("name,kind,parent,aliases\nXã A,  ,,\n", 2, "kind is empty"),
        ("name,kind,parent,aliases\nXã A," + "k" * 61 + ",,\n", 2, "longer than 60"),
        ("name,kind,parent,aliases\n,xã,,\n", 2, "name is empty"),
    ],
)
def test_bad_files_are_refused_whole(
    db: Database, tmp_path: Path, content: str, line: int, fragment: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UnitImportError) as info:
        import_units(db, path)
    assert any(
        e.line == line and fragment in e.message.format(**e.args) for e in info.value.errors
    ), info.value.errors
    assert _count(db, Unit) == 0


def test_a_bad_row_stores_nothing_from_the_file(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(
        "name,kind,parent,aliases\nTỉnh Z,tỉnh,,\nXã Q,xã,Tỉnh Không Có,\n", encoding="utf-8"
    )
    with pytest.raises(UnitImportError):
        import_units(db, path)
    assert _count(db, Unit) == 0


def test_invalid_utf8_is_refused_with_its_line(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"name,kind,parent,aliases\nXa A,xa,,\nX\xe3 B,xa,,\n")  # Latin-1 "ã"
    with pytest.raises(UnitImportError) as info:
        import_units(db, path)
    assert info.value.errors[0].line == 3
    assert "UTF-8" in info.value.errors[0].message


def test_unsure_unit_lists_the_nearest(area: Database) -> None:
    with area.session() as session, pytest.raises(UnitNotResolved) as info:
        resolve_unit(session, "xa son dong")  # every word a real syllable: maybe elsewhere
    assert info.value.match.choices[0].name == "Xã Sơn Dương"


def test_an_evident_typo_resolves(area: Database) -> None:
    with area.session() as session:
        assert resolve_unit(session, "xa son duongg").name == "Xã Sơn Dương"


def test_former_names_reach_the_matcher_as_former_names(db: Database) -> None:
    load_official(db, "Tuyên Quang")
    with db.session() as session:
        catalogue = unit_catalogue(session)
    entry = next(e for e in catalogue.entries if e.name == "Xã Sơn Dương")
    assert "Thị trấn Sơn Dương" in entry.former
    assert "Thị trấn Sơn Dương" not in entry.aliases
    match = catalogue.match("thi tran son duong")
    assert match.unit == entry and match.former_name == "Thị trấn Sơn Dương"


def test_unit_tree_nests_children(area: Database) -> None:
    tree = unit_tree(area)
    assert [n.name for n in tree] == ["Tỉnh Thử Nghiệm"]
    children = [c.name for c in tree[0].children]
    assert children[:3] == ["Phường Minh Xuân", "Xã Hồng Thái", "Xã Sơn Dương"]
    assert "Trung tâm Phục vụ hành chính công" in children
    as_dict = tree[0].as_dict()
    assert as_dict["children"][0]["kind"] == "phuong"


# --- bounded reading -------------------------------------------------------------------


def never_called(*args, **kwargs):
    pytest.fail("the units were matched")


def _refused(db: Database, path: Path, **kwargs) -> str:
    with pytest.raises(UnitImportError) as info:
        import_units(db, path, **kwargs)
    assert _count(db, Unit) == 0
    [error] = info.value.errors
    return error.message.format(**error.args)


class CountingClock:
    """A clock that stands still and counts its readings: reading units reads it once
    to set the deadline, then once every 500 rows."""

    def __init__(self) -> None:
        self.readings = 0

    def __call__(self) -> float:
        self.readings += 1
        return 0.0


@pytest.mark.parametrize(
    ("name", "build", "expected", "readings"),
    [
        # 25 MB: refused by its size before it is read (ran past 10 minutes before).
        ("units.csv", lambda: hostile.units_csv(1_000_000), "larger than 10 MB", 0),
        ("units.csv", lambda: hostile.units_csv(MAX_UNIT_ROWS), "more than 20000 rows", 41),
        ("units.xlsx", lambda: hostile.units_xlsx(MAX_UNIT_ROWS), "more than 20000 rows", 41),
        ("units.csv", lambda: hostile.one_line_text(5 * 2**20), "not a readable CSV", 1),
        ("units.csv", lambda: b"name,kind\n" + b"x," * 250_000, "more than 200000 cells", 1),
        ("units.csv", lambda: "name,kind\n" + "x" * 2001 + ",xã", "longer than 2000", 1),
    ],
    ids=["1M-row csv", "csv rows", "xlsx rows", "one 5 MB line", "wide", "long cell"],
)
def test_a_units_file_over_the_limits_is_refused_before_any_unit_is_matched(
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    build,
    expected: str,
    readings: int,
) -> None:
    # Refused while the rows are read, at the row that passes a limit (20,000 rows: the
    # clock read 1 + 20,000 // 500 times), and before the matching and storing that took
    # minutes on big files. The time is measured in bench/big_files.py.
    path = tmp_path / name
    data = build()
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    monkeypatch.setattr(units_service, "unit_catalogue", never_called)
    clock = CountingClock()
    assert expected in _refused(db, path, timer=clock)
    assert clock.readings == readings


def test_a_workbook_of_units_unpacking_too_far_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "units.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (MAX_UNIT_UNPACKED_BYTES + 1))
    assert "unpacks to more than 20 MB" in _refused(db, path)


def test_reading_units_watches_the_clock(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes(hostile.units_csv(1_000))
    ticks = iter(range(0, 10_000, MAX_UNIT_READ_SECONDS))
    message = _refused(db, path, timer=lambda: float(next(ticks)))
    assert "took more than 15 seconds" in message


def test_a_units_file_just_under_the_limits_reads(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes(hostile.units_csv(MAX_UNIT_ROWS - 1))
    rows = read_table(path)
    assert len(rows) == MAX_UNIT_ROWS and rows[-1][1][0] == f"Phòng số {MAX_UNIT_ROWS - 2}"
    path = tmp_path / "units.xlsx"
    path.write_bytes(hostile.units_xlsx(MAX_UNIT_ROWS - 1))
    assert len(read_table(path)) == MAX_UNIT_ROWS


def test_a_name_longer_than_its_column_is_a_row_error(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text(f"name,kind,parent,aliases\n{'X' * 201},phòng,,\n", encoding="utf-8")
    assert "longer than 200 characters" in _refused(db, path)


def test_nul_in_a_units_file_is_dropped(db: Database, tmp_path: Path) -> None:
    # PostgreSQL text cannot hold NUL.
    path = tmp_path / "units.csv"
    path.write_bytes("name,kind,parent,aliases\nPhòng\x00 Nội vụ,phòng,,PNV\x00\n".encode())
    assert import_units(db, path).created == ["Phòng Nội vụ"]
    with db.session() as session:
        assert resolve_unit(session, "PNV").name == "Phòng Nội vụ"


def test_importing_many_units_reads_each_parent_once(db: Database, tmp_path: Path) -> None:
    # Each row used to load its parent's children again: 3,400 units took 150 s. Now the
    # queries do not grow with the rows (each unit is still one INSERT: units refer to
    # units, so SQLAlchemy inserts them one by one).
    path = tmp_path / "units.csv"
    lines = ["name,kind,parent,aliases", "Tỉnh X,tỉnh,,"]
    lines += [f"Phòng số {i},phòng,Tỉnh X,PS{i}" for i in range(1500)]
    path.write_text("\n".join(lines), encoding="utf-8")
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        report = import_units(db, path)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(report.created) == 1501 and _count(db, Unit) == 1501
    assert len(statements) < 20, len(statements)
    statements.clear()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        again = import_units(db, path)  # nothing new: found again, not duplicated
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(again.unchanged) == 1501 and _count(db, Unit) == 1501
    assert len(statements) < 20, len(statements)


# --- units of every kind ---------------------------------------------------------------

DATA = Path(__file__).parent.parent / "data"

# name → the kind stored: a code, a known body's usual form, or the word as written
BODIES = {
    "Công an xã Đường Lâm": "Công an",
    "Công an phường Lê Lợi": "Công an",
    "Ban Chỉ huy Quân sự thị xã": "Ban Chỉ huy Quân sự",
    "Hội Nông dân thị xã": "Hội Nông dân",
    "Đoàn Thanh niên thị xã": "đoàn thể",
    "Hội Liên hiệp Phụ nữ thị xã": "hội",
    "Ủy ban Mặt trận Tổ quốc thị xã": "Mặt trận Tổ quốc",
    "Bảo hiểm xã hội thị xã Sơn Tây": "Bảo hiểm xã hội",
    "Chi cục Thuế khu vực Sơn Tây - Ba Vì": "Chi cục Thuế",
    "Kho bạc Nhà nước Sơn Tây": "Kho bạc Nhà nước",
    "Trung tâm Y tế thị xã": "trung_tam",
    "Công chức Tư pháp - Hộ tịch xã Đường Lâm": "Công chức",
    "Công chức Văn hóa - Xã hội xã Đường Lâm": "Công chức",
    "Tổ dân phố số 5": "tổ dân phố",
}


@pytest.fixture
def bodies(db: Database) -> Database:
    import_units(db, DATA / "son-tay-units.csv")
    report = import_units(db, DATA / "son-tay-bodies.csv")
    assert report.created == list(BODIES)
    return db


def test_units_of_every_kind_are_imported(bodies: Database) -> None:
    with bodies.session() as session:
        stored = {
            u.name: (u.kind, u.parent.name if u.parent else None)
            for u in session.scalars(select(Unit).where(Unit.name.in_(BODIES)))
        }
    assert {name: kind for name, (kind, _parent) in stored.items()} == BODIES
    assert stored["Công an xã Đường Lâm"][1] == "Xã Đường Lâm"
    assert stored["Chi cục Thuế khu vực Sơn Tây - Ba Vì"][1] == "Thị xã Sơn Tây"


def test_importing_the_bodies_again_changes_nothing(bodies: Database) -> None:
    report = import_units(bodies, DATA / "son-tay-bodies.csv")
    assert report.created == [] and report.updated == []
    assert len(report.unchanged) == len(BODIES)


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("CA xã Đường Lâm", "Công an xã Đường Lâm"),
        ("cong an xa duong lam", "Công an xã Đường Lâm"),
        ("Công an P. Lê Lợi", "Công an phường Lê Lợi"),
        ("BCH QS thị xã", "Ban Chỉ huy Quân sự thị xã"),
        ("Ban CHQS thi xa", "Ban Chỉ huy Quân sự thị xã"),
        ("HND thị xã", "Hội Nông dân thị xã"),
        ("Hội ND thị xã", "Hội Nông dân thị xã"),
        ("ĐTN thị xã", "Đoàn Thanh niên thị xã"),
        ("Đoàn TN thị xã", "Đoàn Thanh niên thị xã"),
        ("Hội LHPN thị xã", "Hội Liên hiệp Phụ nữ thị xã"),
        ("MTTQ thị xã", "Ủy ban Mặt trận Tổ quốc thị xã"),
        ("UB MTTQ thi xa", "Ủy ban Mặt trận Tổ quốc thị xã"),
        ("BHXH thị xã Sơn Tây", "Bảo hiểm xã hội thị xã Sơn Tây"),
        ("CC Thuế khu vực Sơn Tây - Ba Vì", "Chi cục Thuế khu vực Sơn Tây - Ba Vì"),
        ("KBNN Sơn Tây", "Kho bạc Nhà nước Sơn Tây"),
        ("TTYT thị xã", "Trung tâm Y tế thị xã"),
        ("CC TP-HT xã Đường Lâm", "Công chức Tư pháp - Hộ tịch xã Đường Lâm"),
        ("cong chuc van hoa xa hoi xa duong lam", "Công chức Văn hóa - Xã hội xã Đường Lâm"),
        ("TDP 5", "Tổ dân phố số 5"),
        ("xã Đường Lâm", "Xã Đường Lâm"),  # the commune is still the commune
        ("Công an thị xã", "Công an thị xã"),
    ],
)
def test_bodies_are_found_as_officials_write_them(
    bodies: Database, written: str, name: str
) -> None:
    with bodies.session() as session:
        assert resolve_unit(session, written).name == name


def test_a_body_inside_a_message_is_not_taken_for_its_commune(bodies: Database) -> None:
    with bodies.session() as session:
        catalogue = unit_catalogue(session)
    found = catalogue.find_in("CA xã Đường Lâm đã hoàn thành nhiệm vụ 2.1")
    assert found is not None and found.match.unit is not None
    assert found.match.unit.name == "Công an xã Đường Lâm"
    found = catalogue.find_in("xã Đường Lâm đã hoàn thành nhiệm vụ 2.1")
    assert found is not None and found.match.unit is not None
    assert found.match.unit.name == "Xã Đường Lâm"


def test_unit_tree_shows_a_written_kind(bodies: Database) -> None:
    def walk(nodes):
        for node in nodes:
            yield node
            yield from walk(node.children)

    kinds = {n.name: n.kind for n in walk(unit_tree(bodies))}
    assert kinds["Công an xã Đường Lâm"] == "Công an"
    assert kinds["Xã Đường Lâm"] == "xa"
