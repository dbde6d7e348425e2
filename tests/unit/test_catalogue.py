"""Tests for ``storage.catalogue``: the read-only catalogue of post-2025 administrative units.

Suggestions in ``UnknownProvince`` are full current province names ("Tỉnh Tuyên Quang").
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections import defaultdict

import pytest
from vietnamadminunits.database import query

from storage.catalogue import (
    FormerName,
    OfficialProvince,
    OfficialUnit,
    UnknownProvince,
    find_province,
    provinces,
    resolve_province,
    skipped_former_keys,
)

TUYEN_QUANG = "Tỉnh Tuyên Quang"
HA_NOI = "Thành phố Hà Nội"
HCM = "Thành phố Hồ Chí Minh"


def _unit(province: str, name: str) -> OfficialUnit:
    found = [unit for unit in find_province(province).units if unit.name == name]
    assert len(found) == 1, f"{name} not found exactly once in {province}"
    return found[0]


def _all_provinces() -> list[OfficialProvince]:
    return [find_province(name) for name, _ in provinces()]


def _is_nfc(text: str) -> bool:
    return unicodedata.normalize("NFC", text) == text


def test_tuyen_quang_header() -> None:
    province = find_province("Tuyên Quang")
    assert province.name == TUYEN_QUANG
    assert province.short_name == "Tuyên Quang"
    assert province.kind == "tinh"
    assert province.code == "08"
    assert province.former == ("Tỉnh Hà Giang",)


def test_tuyen_quang_units() -> None:
    units = {unit.name: unit for unit in find_province("Tuyên Quang").units}
    son_duong = units["Xã Sơn Dương"]
    assert (son_duong.short_name, son_duong.kind, son_duong.code) == ("Sơn Dương", "xa", "02536")
    ha_giang_1 = units["Phường Hà Giang 1"]
    assert (ha_giang_1.kind, ha_giang_1.code) == ("phuong", "00694")
    assert any(unit.kind == "phuong" for unit in units.values())


def test_unit_counts_match_the_dataset() -> None:
    rows = query("SELECT province, COUNT(*) AS n FROM admin_units GROUP BY province")
    expected = {row["province"]: row["n"] for row in rows}
    assert len(expected) == 34
    assert {p.name: len(p.units) for p in _all_provinces()} == expected
    assert expected[TUYEN_QUANG] == len(find_province("tuyen quang").units)


def test_totals() -> None:
    everything = _all_provinces()
    assert len(everything) == 34
    assert len({p.code for p in everything}) == 34
    assert sum(len(p.units) for p in everything) == 3321
    codes = [unit.code for p in everything for unit in p.units]
    assert len(set(codes)) == len(codes)
    kinds = [unit.kind for p in everything for unit in p.units]
    assert set(kinds) == {"xa", "phuong", "dac_khu"}
    assert kinds.count("dac_khu") == 13
    cities = sorted(p.short_name for p in everything if p.kind == "thanh_pho")
    assert cities == sorted(["Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"])
    assert {p.kind for p in everything} == {"tinh", "thanh_pho"}


def test_provinces_listing() -> None:
    listing = provinces()
    assert len(listing) == len(set(listing)) == 34
    assert (TUYEN_QUANG, "Tuyên Quang") in listing
    # Vietnamese-aware order: "Cà Mau" sorts with "C", before "Cao Bằng".
    shorts = [short for _, short in listing]
    assert shorts[0] == "An Giang"
    assert shorts.index("Cà Mau") < shorts.index("Cao Bằng")
    for name, short in listing:
        assert resolve_province(name) == (find_province(short), None)


def test_units_sorted_by_fold_then_name() -> None:
    from bot.language.normalize import fold

    for province in _all_provinces():
        names = [unit.name for unit in province.units]
        assert names == sorted(names, key=lambda n: (fold(n), n)), province.name


def test_everything_is_nfc() -> None:
    for province in _all_provinces():
        texts = [province.name, province.short_name, *province.former]
        for unit in province.units:
            texts += [unit.name, unit.short_name]
            for former in unit.former:
                texts += [former.name, former.province, former.district or ""]
        bad = [text for text in texts if not _is_nfc(text)]
        assert bad == [], province.name


@pytest.mark.parametrize(
    ("query_text", "expected"),
    [
        ("Tuyên Quang", TUYEN_QUANG),
        ("tuyen quang", TUYEN_QUANG),
        ("TUYÊN QUANG", TUYEN_QUANG),
        ("Tỉnh Tuyên Quang", TUYEN_QUANG),
        ("tinh tuyen quang", TUYEN_QUANG),
        ("  Tuyên   Quang ", TUYEN_QUANG),
        (unicodedata.normalize("NFD", "Tuyên Quang"), TUYEN_QUANG),
        ("Hà Nội", HA_NOI),
        ("ha noi", HA_NOI),
        ("TP Hà Nội", HA_NOI),
        ("Thành phố Hà Nội", HA_NOI),
        ("HN", HA_NOI),
        ("HCM", HCM),
        ("Hồ Chí Minh", HCM),
        ("TP.HCM", HCM),
        ("tphcm", HCM),
        ("thanh pho ho chi minh", HCM),
        ("Đắk Lắk", "Tỉnh Đắk Lắk"),
        ("dak lak", "Tỉnh Đắk Lắk"),
        ("Huế", "Thành phố Huế"),
    ],
)
def test_current_province_lookup(query_text: str, expected: str) -> None:
    province, former = resolve_province(query_text)
    assert province.name == expected
    assert former is None
    assert find_province(query_text) is province


@pytest.mark.parametrize(
    ("query_text", "expected", "former"),
    [
        ("Hà Giang", TUYEN_QUANG, "Tỉnh Hà Giang"),
        ("ha giang", TUYEN_QUANG, "Tỉnh Hà Giang"),
        ("Tỉnh Hà Giang", TUYEN_QUANG, "Tỉnh Hà Giang"),
        ("Bắc Kạn", "Tỉnh Thái Nguyên", "Tỉnh Bắc Kạn"),
        ("Vũng Tàu", HCM, "Tỉnh Bà Rịa - Vũng Tàu"),
        ("Bà Rịa - Vũng Tàu", HCM, "Tỉnh Bà Rịa - Vũng Tàu"),
        ("binh duong", HCM, "Tỉnh Bình Dương"),
        ("Hải Dương", "Thành phố Hải Phòng", "Tỉnh Hải Dương"),
    ],
)
def test_former_province_lookup(query_text: str, expected: str, former: str) -> None:
    province, matched = resolve_province(query_text)
    assert (province.name, matched) == (expected, former)
    assert former in province.former
    assert find_province(query_text).name == expected


def test_typo_suggests_the_intended_province() -> None:
    with pytest.raises(UnknownProvince) as caught:
        find_province("Tuyen Quan")
    error = caught.value
    assert isinstance(error, LookupError)
    assert error.query == "Tuyen Quan"
    assert error.suggestions[0] == TUYEN_QUANG
    assert 1 <= len(error.suggestions) <= 3
    assert "Tuyen Quan" in str(error)
    assert TUYEN_QUANG in str(error)


def test_nonsense_still_gets_current_suggestions() -> None:
    current = {name for name, _ in provinces()}
    with pytest.raises(UnknownProvince) as caught:
        resolve_province("Atlantis")
    suggestions = caught.value.suggestions
    assert len(suggestions) == 3
    assert len(set(suggestions)) == 3
    assert set(suggestions) <= current
    assert all(name in str(caught.value) for name in suggestions)


@pytest.mark.parametrize("query_text", ["", "   ", "!!!"])
def test_empty_query_has_no_suggestions(query_text: str) -> None:
    with pytest.raises(UnknownProvince) as caught:
        find_province(query_text)
    assert caught.value.suggestions == []


def test_son_duong_former_units() -> None:
    def former(name: str) -> FormerName:
        return FormerName(name, "Huyện Sơn Dương", TUYEN_QUANG, divided=False, default=True)

    unit = _unit("Tuyên Quang", "Xã Sơn Dương")
    assert unit.former == (
        former("Thị trấn Sơn Dương"),
        former("Xã Tú Thịnh"),
        former("Xã Hợp Thành"),
        former("Xã Phúc Ứng"),
    )
    assert all(f.district is not None and f.district.startswith("Huyện ") for f in unit.former)


def test_divided_former_unit_appears_under_each_successor() -> None:
    viet_lam = FormerName("Xã Việt Lâm", "Huyện Vị Xuyên", "Tỉnh Hà Giang", True, False)
    assert viet_lam in _unit("Tuyên Quang", "Xã Vị Xuyên").former
    as_default = dataclasses.replace(viet_lam, default=True)
    successor = _unit("Tuyên Quang", "Xã Việt Lâm")
    assert as_default in successor.former
    # A former name equal to the current one is kept: it carries the old district.
    assert any(f.name == successor.name for f in successor.former)


def test_former_units_from_another_province() -> None:
    unit = _unit("Tuyên Quang", "Phường Hà Giang 1")
    assert {f.province for f in unit.former} == {"Tỉnh Hà Giang"}
    assert {f.district for f in unit.former} == {"Thành phố Hà Giang"}
    assert (
        FormerName("Phường Nguyễn Trãi", "Thành phố Hà Giang", "Tỉnh Hà Giang", False, True)
        in unit.former
    )
    quang_trung = [f for f in unit.former if f.name == "Phường Quang Trung"]
    assert [(f.divided, f.default) for f in quang_trung] == [(True, False)]


@pytest.mark.parametrize(
    ("province", "unit", "former"),
    [
        ("HCM", "Đặc khu Côn Đảo", ("Huyện Côn Đảo", "Tỉnh Bà Rịa - Vũng Tàu")),
        ("Hải Phòng", "Đặc khu Bạch Long Vĩ", ("Huyện Bạch Long Vĩ", "Thành phố Hải Phòng")),
        ("Quảng Trị", "Đặc khu Cồn Cỏ", ("Huyện Cồn Cỏ", "Tỉnh Quảng Trị")),
        ("Đà Nẵng", "Đặc khu Hoàng Sa", ("Huyện Hoàng Sa", "Thành phố Đà Nẵng")),
        ("Quảng Ngãi", "Đặc khu Lý Sơn", ("Huyện Lý Sơn", "Tỉnh Quảng Ngãi")),
    ],
)
def test_island_special_zones(province: str, unit: str, former: tuple[str, str]) -> None:
    zone = _unit(province, unit)
    assert zone.kind == "dac_khu"
    name, old_province = former
    assert zone.former == (FormerName(name, None, old_province, False, True),)


def test_every_unit_has_former_names_and_divided_ones_have_one_default() -> None:
    assert skipped_former_keys() == {}
    defaults: dict[tuple[str, str | None, str], list[bool]] = defaultdict(list)
    for province in _all_provinces():
        for unit in province.units:
            assert unit.former, unit.name
            keys = [(f.name, f.district, f.province) for f in unit.former]
            assert len(keys) == len(set(keys)), unit.name
            for f in unit.former:
                if f.divided:
                    defaults[(f.name, f.district, f.province)].append(f.default)
                else:
                    assert f.default, (unit.name, f)
    assert defaults
    for key, flags in defaults.items():
        assert len(flags) >= 2, key
        assert flags.count(True) == 1, key


def test_dedupe_drops_only_exact_duplicates() -> None:
    from storage.catalogue import _dedupe

    first = FormerName("Xã A", "Huyện B", "Tỉnh C", divided=False, default=True)
    same_name_other_district = dataclasses.replace(first, district="Huyện D")
    entries = [
        (("02", "010", "00200"), same_name_other_district),
        (("02", "001", "00100"), first),
        (("02", "001", "00100"), first),
    ]
    assert _dedupe(entries) == (first, same_name_other_district)


def test_records_are_immutable() -> None:
    province = find_province("Tuyên Quang")
    with pytest.raises(dataclasses.FrozenInstanceError):
        province.name = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        province.units[0].code = "x"  # type: ignore[misc]
