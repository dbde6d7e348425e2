"""Fold and accent keys, abbreviations, variants, and the unit and phrase matchers."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.language.abbreviations import alternatives, expand
from bot.language.normalize import accent_key, fold, has_diacritics, nfc, plain
from bot.language.units import kind_from_word, split_kind, unit_readings
from bot.language.variants import is_strict_syllable, is_syllable, variants
from bot.matching import (
    Decision,
    PhraseIndex,
    PhraseItem,
    UnitCatalogue,
    UnitEntry,
    Via,
)

ENTRIES = [
    UnitEntry(1, "Xã Sơn Dương", "xa", former=("Thị trấn Sơn Dương", "Xã Hợp Thành")),
    UnitEntry(2, "Phường Sơn Dương", "phuong"),
    UnitEntry(3, "Trung tâm Phục vụ hành chính công", "trung_tam", ("TTPVHCC",)),
    UnitEntry(4, "Xã Hồng Thái", "xa"),
    UnitEntry(5, "Phòng Kinh tế", "phong", ("PKT",)),
    UnitEntry(6, "Xã Cẩm Giang", "xa"),
    UnitEntry(7, "Xã Cẩm Giàng", "xa"),
    UnitEntry(8, "Phường Hà Giang 1", "phuong", former=("Phường Trần Phú",)),
    UnitEntry(9, "Phường Hà Giang 2", "phuong", former=("Phường Nguyễn Trãi",)),
    UnitEntry(10, "Xã Sơn Thủy", "xa"),
    UnitEntry(11, "Xã Sơn Đông", "xa"),
    UnitEntry(12, "Văn phòng HĐND và UBND tỉnh", "van_phong", ("VP UBND tỉnh",)),
    UnitEntry(13, "Phường Ngô Quyền", "phuong"),
    UnitEntry(14, "Xã Tân Lập", "xa"),
    UnitEntry(15, "Tỉnh Tuyên Quang", "tinh", former=("Tỉnh Hà Giang",)),
    UnitEntry(16, "Xã Quản Bạ", "xa"),
    UnitEntry(17, "Đặc khu Cô Tô", "dac_khu"),
]
ENTRIES = [
    UnitEntry(
        e.id, e.name, e.kind, e.aliases, None if e.kind == "tinh" else "Tỉnh Tuyên Quang", e.former
    )
    for e in ENTRIES
]
CATALOGUE = UnitCatalogue(ENTRIES)


# -- keys ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Xã Sơn Dương", "xa son duong"),
        ("XÃ  SƠN   DƯƠNG!!", "xa son duong"),
        ("Đặc khu Côn Đảo", "dac khu con dao"),
        ("tỷ lệ 72,5% (85/100) nv 2.1.", "ty le 72,5% 85/100 nv 2.1"),
        ("VP HĐND&UBND", "vp hdnd ubnd"),
        ("ðà", "da"),
        ("", ""),
    ],
)
def test_fold(text: str, key: str) -> None:
    assert fold(text) == key


def test_decomposed_input_folds_like_composed() -> None:
    composed = "Phường Hà Giang 1"
    assert fold(unicodedata.normalize("NFD", composed)) == fold(composed)
    assert accent_key(unicodedata.normalize("NFD", composed)) == accent_key(composed)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("hoà", "hòa", True),
        ("Thuỷ", "thủy", True),
        ("Hoà Bình", "HÒA BÌNH", True),
        ("Cẩm Giang", "Cẩm Giàng", False),
        ("Sơn", "Son", False),
        ("Đông", "Dông", False),
    ],
)
def test_accent_key_ignores_only_where_the_tone_mark_sits(a: str, b: str, same: bool) -> None:
    assert (accent_key(a) == accent_key(b)) is same


def test_plain_keeps_length_so_spans_carry_over() -> None:
    text = unicodedata.normalize("NFD", "Xã Sơn Dương: 72,5%")
    assert plain(text) == "xa son duong: 72,5%"
    assert len(plain(text)) == len(nfc(text))


@given(st.text())
def test_keys_never_raise_and_are_idempotent(text: str) -> None:
    key = fold(text)
    assert fold(key) == key
    assert key == key.strip() and "  " not in key
    assert len(plain(text)) == len(nfc(text))
    assert accent_key(accent_key(text)) == accent_key(text) or any(c.isdigit() for c in text)
    expand(text)
    variants(key)
    unit_readings(text)
    assert has_diacritics(fold(text)) is False


# -- abbreviations and type words --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expanded"),
    [
        ("UBND P. Ngô Quyền", "uy ban nhan dan phuong ngo quyen"),
        ("x. Sơn Dương", "xa son duong"),
        ("F1", "phuong 1"),
        ("p12", "phuong 12"),
        ("TX Hà Giang", "thi xa ha giang"),
        ("Q. 3", "quan 3"),
        ("ĐK Cô Tô", "dac khu co to"),
        ("TTPVHCC", "trung tam phuc vu hanh chinh cong"),
        ("TT PVHCC tỉnh", "trung tam phuc vu hanh chinh cong tinh"),
        ("theo TT 01/2018", "theo thong tu 01/2018"),
        ("NV 2.1 HT", "nhiem vu 2.1 hoan thanh"),
        ("HS TTHC", "ho so thu tuc hanh chinh"),
        ("DVC trực tuyến", "dich vu cong truc tuyen"),
        ("VP HĐND", "van phong hoi dong nhan dan"),
    ],
)
def test_expand(text: str, expanded: str) -> None:
    assert expand(text) == expanded


def test_tt_alone_is_read_both_ways() -> None:
    assert alternatives("TT Sơn Dương") == ["thi tran son duong", "trung tam son duong"]
    # In unit names, report words stay as written ("hs" is not "hồ sơ" there).
    assert alternatives("xa hs bac", names=True) == ["xa hs bac"]


@pytest.mark.parametrize(
    ("text", "kind", "bare", "qualifiers"),
    [
        ("UBND xã Sơn Dương", "xa", "son duong", ()),
        ("p ngo quyen", "phuong", "ngo quyen", ()),
        ("Đặc khu Cô Tô", "dac_khu", "co to", ()),
        ("Phòng Kinh tế", None, "phong kinh te", ()),
        (
            "xã Tân Lập, huyện Yên Sơn, tỉnh Tuyên Quang",
            "xa",
            "tan lap",
            (("huyen", "yen son"), ("tinh", "tuyen quang")),
        ),
    ],
)
def test_unit_readings(text, kind, bare, qualifiers) -> None:
    readings = unit_readings(text)
    assert any(
        r.kind == kind and r.bare == bare and r.qualifiers == qualifiers for r in readings
    ), readings


def test_kind_words() -> None:
    assert kind_from_word("Đặc khu") == "dac_khu"
    assert kind_from_word("hành tinh") is None
    assert split_kind("Thị trấn Sơn Dương") == ("thi_tran", "son duong")
    assert split_kind("Phòng Kinh tế") == (None, "phong kinh te")


# -- variants --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("x son dwong", "x son duong"),
        ("x4 hong thai", "xa hong thai"),
        ("hanh chmh", "hanh chinh"),
        ("s0n duong", "son duong"),
        ("ha1 phong", "hai phong"),
        ("ddong hy", "dong hy"),
        ("son duongf", "son duong"),
    ],
)
def test_variants_offer_the_repaired_reading(key: str, expected: str) -> None:
    assert expected in variants(key)


@pytest.mark.parametrize("key", ["son duong", "phuong 1", "xa hong thai", "nguyen trai"])
def test_valid_words_get_no_variants(key: str) -> None:
    assert variants(key) == []


def test_syllables() -> None:
    assert all(is_syllable(w) for w in ["nghieng", "duong", "khuya", "a", "oanh", "gi"])
    assert not any(is_syllable(w) for w in ["dwong", "chmh", "x4", "tt", "puhong"])
    # strictly: only the vowel groups the language has ("gee", "see": OCR's shading)
    words = ["nghieng", "duong", "khuya", "a", "oanh", "gi", "quoc", "tuoi", "yeu", "xoong"]
    assert all(is_strict_syllable(w) for w in words)
    assert all(is_syllable(w) and not is_strict_syllable(w) for w in ["gee", "see", "ae", "ee"])


# -- units -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit_id", "via"),
    [
        ("xa son duong", 1, Via.NAME),
        ("UBND xã Sơn Dương", 1, Via.NAME),
        ("Phường Sơn Dương", 2, Via.NAME),
        ("p. son duong", 2, Via.NAME),
        ("thi tran son duong", 1, Via.FORMER),
        ("TT Sơn Dương", 1, Via.FORMER),  # "TT" read as thị trấn
        ("ttpvhcc", 3, Via.NAME),  # the abbreviation written out is the name
        ("TT PVHCC", 3, Via.NAME),
        ("Hồng Thái", 4, Via.NAME),  # only one unit has that bare name
        ("pkt", 5, Via.ALIAS),
        ("vp ubnd tinh", 12, Via.ALIAS),
        ("VP HĐND&UBND tỉnh", 12, Via.NAME),
        ("Phường Hà Giang 2", 9, Via.NAME),
        ("phuong tran phu", 8, Via.FORMER),
        ("Quản Bạ", 16, Via.NAME),  # "quan" is also a type word
        ("ĐK Cô Tô", 17, Via.NAME),
        ("xã Tân Lập tỉnh Tuyên Quang", 14, Via.NAME),
        ("xã Tân Lập tỉnh Hà Giang", 14, Via.NAME),  # the province's former name
    ],
)
def test_exact_names_aliases_and_former_names_match(text: str, unit_id: int, via: Via) -> None:
    match = CATALOGUE.match(text)
    assert match.decision is Decision.MATCH, match
    assert match.unit is not None and match.unit.id == unit_id
    assert match.best is not None and match.best.via is via
    assert match.best.score == 100.0


def test_a_former_name_says_so() -> None:
    match = CATALOGUE.match("Xã Hợp Thành")
    assert match.unit is not None and match.unit.id == 1
    assert match.former_name == "Xã Hợp Thành"
    assert CATALOGUE.match("Xã Sơn Dương").former_name is None


@pytest.mark.parametrize(
    ("text", "unit_id"),
    [
        ("x son dwong", 1),  # Telex leftover
        ("x4 hong thai", 4),  # OCR
        ("xa hongg thai", 4),  # an evident typo
        ("phuonh ngo quyen", 13),  # a typo in the type word
        ("puhong ngo quyen", 13),
    ],
)
def test_variants_and_evident_typos_match_below_100(text: str, unit_id: int) -> None:
    match = CATALOGUE.match(text)
    assert match.decision is Decision.MATCH, match
    assert match.unit is not None and match.unit.id == unit_id
    assert match.best is not None and 85 <= match.best.score < 100


def test_a_bare_name_shared_by_two_units_asks() -> None:
    match = CATALOGUE.match("Sơn Dương")
    assert match.decision is Decision.ASK and match.unit is None
    assert {c.entry.id for c in match.candidates[:2]} == {1, 2}


def test_a_real_looking_name_is_never_accepted_on_a_fuzzy_score() -> None:
    # "Sơn Đông" is a unit too; "son dung" could be a third place: ask, offer both.
    match = CATALOGUE.match("xa son dung")
    assert match.decision is Decision.ASK
    assert {1, 11} <= {c.entry.id for c in match.candidates}


@pytest.mark.parametrize("text", ["Cam Giang", "xa cam giang"])
def test_accent_twins_ask_unless_the_accents_were_typed(text: str) -> None:
    match = CATALOGUE.match(text)
    assert match.decision is Decision.ASK
    assert {c.entry.id for c in match.candidates[:2]} == {6, 7}


@pytest.mark.parametrize(("text", "unit_id"), [("Cẩm Giàng", 7), ("xã Cẩm Giang", 6)])
def test_typed_accents_pick_the_twin(text: str, unit_id: int) -> None:
    match = CATALOGUE.match(text)
    assert match.unit is not None and match.unit.id == unit_id


def test_a_different_number_is_not_the_same_ward() -> None:
    match = CATALOGUE.match("phuong ha giang 3")
    assert match.decision is not Decision.MATCH


def test_an_office_named_with_its_marks_is_never_offered_a_place() -> None:
    # "phong tu phap" reads like "hoang su phi" letter by letter; "Phòng" is no place
    places = UnitCatalogue(
        [UnitEntry(1, "Xã Hoàng Su Phì", "xa"), UnitEntry(2, "Xã Phong Thổ", "xa")]
    )
    for office in ("Phòng Tư pháp", "Phòng Nội vụ", "Sở Tư pháp"):
        match = places.match(office)
        assert match.decision is Decision.NONE and not match.candidates, office
    # unmarked, "phong" may start a place's name
    assert places.match("phong thoo").best.entry.id == 2


def test_a_type_word_alone_names_no_unit() -> None:
    """ "tt" is "thị trấn" or "trung tâm": their letters are no name's ("trung tam" reads
    like "trung ha", "lung tam": "tt trực tuyến" was asked which commune it named)."""
    places = UnitCatalogue([UnitEntry(1, "Xã Trung Hà", "xa"), UnitEntry(2, "Xã Lùng Tám", "xa")])
    for text in ("tt", "TT", "thị trấn", "trung tâm", "xã"):
        match = places.match(text)
        assert match.decision is Decision.NONE and not match.candidates, text
    assert places.match("xã Trung Ha").unit is not None  # with a name, as ever
    # a place named so is found by its name, exactly
    centre = UnitCatalogue([UnitEntry(3, "Phường Trung Tâm", "phuong")])
    assert centre.match("phường trung tâm").unit is not None
    assert places.find_in("so hoa 45/50 hs; tt truc tuyen 30/40") is None


def test_one_short_word_lists_the_units_it_starts() -> None:
    match = CATALOGUE.match("sơn")
    assert match.decision is Decision.ASK and match.reason == "short_word"
    assert [c.entry.id for c in match.candidates] == [11, 2, 1, 10]  # by bare name


def test_another_province_is_out_of_the_area() -> None:
    match = CATALOGUE.match("xã Tân Lập, tỉnh Phú Thọ")
    assert match.decision is Decision.NONE and match.reason == "other_area"


def test_nothing_close_is_none_without_candidates() -> None:
    match = CATALOGUE.match("Bộ Quốc phòng Hoa Kỳ")
    assert match.decision is Decision.NONE and match.candidates == ()
    assert CATALOGUE.match("   ").decision is Decision.NONE


def test_the_kind_filter() -> None:
    match = CATALOGUE.match("Sơn Dương", kind="phường")
    assert match.unit is not None and match.unit.id == 2


def test_json_shape() -> None:
    data = CATALOGUE.match("x son dwong").as_dict()
    assert data["query"] == "x son dwong" and data["decision"] == "match"
    assert data["match"] == {"id": 1, "name": "Xã Sơn Dương", "kind": "xã", "score": 96.0}
    assert data["candidates"][0] == data["match"]
    assert len(data["candidates"]) <= 5
    assert CATALOGUE.match("sơn").as_dict()["match"] is None


names = st.sampled_from([e.name for e in ENTRIES])


@settings(max_examples=60)
@given(names, st.sampled_from(["nfc", "nfd", "upper", "lower"]))
def test_a_name_typed_as_in_the_catalogue_matches_itself(name: str, form: str) -> None:
    text = {
        "nfc": name,
        "nfd": unicodedata.normalize("NFD", name),
        "upper": name.upper(),
        "lower": name.lower(),
    }[form]
    match = CATALOGUE.match(text)
    assert match.unit is not None and match.unit.name == name


@given(st.text(max_size=60))
def test_matching_never_raises(text: str) -> None:
    match = CATALOGUE.match(text)
    assert (match.unit is None) is (match.decision is not Decision.MATCH)
    CATALOGUE.find_in(text)


# -- a unit inside a message -------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "unit_id", "span"),
    [
        ("Xã Sơn Dương báo cáo: nhiệm vụ 2.1 đã hoàn thành", 1, "Xã Sơn Dương"),
        ("P. Ngo Quyen: 1.1, 1.2 xong", 13, "P. Ngo Quyen"),
        ("TTPVHCC quý 3: hồ sơ trực tuyến 640 trên 1.000", 3, "TTPVHCC"),
        ("bao cao cua xa son dwong nv 3 xong", 1, "xa son dwong"),
        ("Hồng Thái xong nv 2.1", 4, "Hồng Thái"),
    ],
)
def test_find_in_a_message(message: str, unit_id: int, span: str) -> None:
    found = CATALOGUE.find_in(message)
    assert found is not None and found.match.unit is not None
    assert found.match.unit.id == unit_id
    assert nfc(message)[found.start : found.end] == span


@pytest.mark.parametrize(
    "message",
    ["nv 3.4 dang thuc hien, khoang 60%", "xong kế hoạch tuyên truyền rồi ạ", "so hoa 85/100"],
)
def test_ordinary_words_are_not_taken_for_units(message: str) -> None:
    assert CATALOGUE.find_in(message) is None


def test_find_in_reports_an_unsure_unit_without_choosing() -> None:
    found = CATALOGUE.find_in("xã Sơn Dung báo cáo nv 2.1 xong")
    assert found is not None and found.match.decision is Decision.ASK


# -- indicators and tasks by phrase ------------------------------------------------------

INDICATORS = PhraseIndex(
    [
        PhraseItem(1, "HSTT", ("Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận",)),
        PhraseItem(2, "TTTT", ("Tỷ lệ thanh toán trực tuyến trên tổng số giao dịch thanh toán",)),
        PhraseItem(3, "SH", ("Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC",)),
        PhraseItem(4, "HL", ("Mức độ hài lòng của người dân, doanh nghiệp",)),
        PhraseItem(5, "CK", ("Tỷ lệ công bố, công khai TTHC đúng hạn",)),
    ]
)


@pytest.mark.parametrize(
    ("text", "item_id"),
    [
        ("hồ sơ trực tuyến", 1),
        ("ho so truc tuyen", 1),
        ("HSTT", 1),
        ("hs truc tuyen", 1),
        ("thanh toán trực tuyến", 2),
        ("thanh toan truc tuyen", 2),
        ("số hóa", 3),
        ("so hoa", 3),
        ("hai long", 4),
        ("mức độ hài lòng", 4),
        ("cong khai", 5),
        ("thanh toan truc tuyn", 2),  # a typo
    ],
)
def test_indicators_by_phrase(text: str, item_id: int) -> None:
    match = INDICATORS.match(text)
    assert match.decision is Decision.MATCH, match
    assert match.item is not None and match.item.id == item_id


def test_a_phrase_shared_by_indicators_asks() -> None:
    match = INDICATORS.match("trực tuyến")
    assert match.decision is Decision.ASK
    assert {c.item.id for c in match.candidates} == {1, 2}


def test_an_unrelated_phrase_is_none() -> None:
    assert INDICATORS.match("kế hoạch tuyên truyền").decision is Decision.NONE
    assert INDICATORS.match("").decision is Decision.NONE


def test_tasks_by_a_fragment_of_their_content() -> None:
    tasks = PhraseIndex(
        [
            PhraseItem(21, "2.1", ("Xây dựng kế hoạch tuyên truyền về cải cách TTHC",)),
            PhraseItem(22, "2.2", ("Rà soát, đánh giá quy định thủ tục hành chính",)),
            PhraseItem(31, "3.1", ("Niêm yết công khai TTHC tại Bộ phận Một cửa",)),
        ]
    )
    match = tasks.match("ke hoach tuyen truyen")
    assert match.item is not None and match.item.id == 21
    assert tasks.match("niem yet").candidates[0].item.id == 31
