"""Catalogues built from the official list, shared by the matching benchmarks."""

from __future__ import annotations

from bot.matching import UnitCatalogue, UnitEntry
from storage.catalogue import OfficialProvince, find_province, provinces

# Departments every deployment has besides its communes and wards.
DEPARTMENTS = [
    ("Văn phòng HĐND và UBND tỉnh", "van_phong", ("VP UBND tỉnh",)),
    ("Sở Tư pháp", "so", ()),
    ("Sở Nội vụ", "so", ()),
    ("Sở Tài chính", "so", ()),
    ("Sở Xây dựng", "so", ()),
    ("Sở Nông nghiệp và Môi trường", "so", ()),
    ("Sở Khoa học và Công nghệ", "so", ()),
    ("Sở Y tế", "so", ()),
    ("Sở Giáo dục và Đào tạo", "so", ()),
    ("Sở Công Thương", "so", ()),
    ("Sở Văn hóa, Thể thao và Du lịch", "so", ()),
    ("Trung tâm Phục vụ hành chính công tỉnh", "trung_tam", ("TTPVHCC",)),
    ("Công an tỉnh", "co_quan", ()),
]


def province_entries(province: OfficialProvince, start_id: int = 1) -> list[UnitEntry]:
    entries = [
        UnitEntry(
            id=start_id,
            name=province.name,
            kind=province.kind,
            former=province.former,
        )
    ]
    for offset, unit in enumerate(province.units, start=1):
        entries.append(
            UnitEntry(
                id=start_id + offset,
                name=unit.name,
                kind=unit.kind,
                parent_name=province.name,
                former=tuple(dict.fromkeys(f.name for f in unit.former if f.name != unit.name)),
            )
        )
    return entries


def deployment(province_name: str) -> tuple[OfficialProvince, UnitCatalogue]:
    """A deployment's catalogue: one province's units and its departments."""
    province = find_province(province_name)
    entries = province_entries(province)
    next_id = max(e.id for e in entries) + 1
    for offset, (name, kind, aliases) in enumerate(DEPARTMENTS):
        entries.append(
            UnitEntry(next_id + offset, name, kind, aliases=aliases, parent_name=province.name)
        )
    return province, UnitCatalogue(entries)


def all_provinces() -> list[OfficialProvince]:
    return [find_province(name) for name, _kind in provinces()]


def nationwide() -> UnitCatalogue:
    """Every commune, ward and special zone of the country (3,321), with former names."""
    entries: list[UnitEntry] = []
    for province in all_provinces():
        entries += province_entries(province, start_id=len(entries) + 1)[1:]
    return UnitCatalogue(entries)
