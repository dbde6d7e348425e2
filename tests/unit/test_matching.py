"""Fold keys and the unit matcher's exact/alias/bare-name rules (no guessing)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.language.normalize import fold
from bot.language.units import kind_from_word, split_kind
from bot.matching import UnitCatalogue, UnitEntry

CATALOGUE = UnitCatalogue(
    [
        UnitEntry(1, "Xã Sơn Dương", "xa", ("Thị trấn Sơn Dương",)),
        UnitEntry(2, "Phường Sơn Dương", "phuong"),
        UnitEntry(3, "Trung tâm Phục vụ hành chính công", "trung_tam", ("TTPVHCC",)),
        UnitEntry(4, "Xã Hồng Thái", "xa"),
        UnitEntry(5, "Phòng Kinh tế", "phong", ("PKT",)),
    ]
)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Xã Sơn Dương", "xa son duong"),
        ("XÃ  SƠN   DƯƠNG!!", "xa son duong"),
        ("Đặc khu Côn Đảo", "dac khu con dao"),
        ("tỷ lệ 72,5% (85/100) nv 2.1.", "ty le 72,5% 85/100 nv 2.1"),
        ("VP HĐND&UBND", "vp hdnd ubnd"),
        ("", ""),
    ],
)
def test_fold(text: str, key: str) -> None:
    assert fold(text) == key


def test_decomposed_input_folds_like_composed() -> None:
    composed = "Phường Hà Giang 1"
    assert fold(unicodedata.normalize("NFD", composed)) == fold(composed)


@given(st.text())
def test_fold_is_idempotent_and_plain(text: str) -> None:
    key = fold(text)
    assert fold(key) == key
    assert key == key.strip() and "  " not in key


@pytest.mark.parametrize(
    ("text", "unit_id", "alias"),
    [
        ("xa son duong", 1, None),
        ("Phường Sơn Dương", 2, None),
        ("thi tran son duong", 1, "Thị trấn Sơn Dương"),  # a former name
        ("ttpvhcc", 3, "TTPVHCC"),
        ("Hồng Thái", 4, None),  # only one unit has that bare name
        ("pkt", 5, "PKT"),
    ],
)
def test_exact_matches(text: str, unit_id: int, alias: str | None) -> None:
    match = CATALOGUE.match(text)
    assert match.unit is not None and match.unit.id == unit_id
    assert match.via_alias == alias


def test_a_bare_name_shared_by_two_units_is_ambiguous() -> None:
    match = CATALOGUE.match("Sơn Dương")
    assert match.unit is None
    assert {e.id for e in match.ambiguous} == {1, 2}


def test_a_typo_is_only_suggested_never_picked() -> None:
    match = CATALOGUE.match("xa son duogn")
    assert match.unit is None
    assert match.suggestions[0].id == 1


def test_nothing_close_gives_no_suggestion() -> None:
    assert CATALOGUE.match("Bộ Quốc phòng Hoa Kỳ").suggestions == ()


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("Xã", "xa"),
        ("phuong", "phuong"),
        ("Đặc khu", "dac_khu"),
        ("văn phòng", "van_phong"),
        ("dac_khu", "dac_khu"),
        ("Sở", "so"),
        ("hành tinh", None),
    ],
)
def test_kind_words(word: str, kind: str | None) -> None:
    assert kind_from_word(word) == kind


def test_split_kind_keeps_department_words() -> None:
    assert split_kind("Thị trấn Sơn Dương") == ("thi_tran", "son duong")
    assert split_kind("Phòng Kinh tế") == (None, "phong kinh te")
