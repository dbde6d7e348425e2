"""Units of every kind: kind words, the abbreviations of the bodies a plan names, and
the names a plan's preview may create."""

from __future__ import annotations

import pytest

from bot.language.abbreviations import alternatives, expand
from bot.language.normalize import set_apart
from bot.language.units import guess_kind, normalise_kind
from bot.matching import Decision, UnitCatalogue, UnitEntry
from bot.plans.resolve import (
    Group,
    creatable_name,
    issuer_name,
    issuer_unit,
    new_unit_key,
    office_held,
    own_name,
    resolve_in_plan,
    resolve_unit,
    words_apart,
)


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("xã", "xa"),
        (" Phường ", "phuong"),
        ("TX", "thi_xa"),
        ("cơ quan", "co_quan"),
        ("Trung tâm", "trung_tam"),
        ("công an", "Công an"),
        ("Công an xã", "Công an"),
        ("CÔNG AN", "Công an"),
        ("Ban Chỉ huy Quân sự", "Ban Chỉ huy Quân sự"),
        ("ban chi huy quan su", "Ban Chỉ huy Quân sự"),
        ("Hội Nông dân", "Hội Nông dân"),
        ("BHXH", "Bảo hiểm xã hội"),
        ("KBNN", "Kho bạc Nhà nước"),
        ("Chi cục Thuế", "Chi cục Thuế"),
        ("MTTQ", "Mặt trận Tổ quốc"),
        ("công chức", "Công chức"),
        ("Tổ   dân phố", "Tổ dân phố"),  # unknown: as written, spaces tidied
        ("hội", "hội"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_a_kind_word_is_normalised_or_kept(written: str, kind: str) -> None:
    assert normalise_kind(written) == kind


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Xã Đường Lâm", "xa"),
        ("UBND phường Lê Lợi", "phuong"),
        ("Phòng Tư pháp", "phong"),
        ("Trung tâm Phục vụ hành chính công", "trung_tam"),
        ("Công an xã", "Công an"),
        ("CA xã Đường Lâm", "Công an"),
        ("Ban Chỉ huy Quân sự xã", "Ban Chỉ huy Quân sự"),
        ("Ban Quản lý dự án", "ban"),
        ("Hội Nông dân xã", "Hội Nông dân"),
        ("Đoàn Thanh niên xã", "Đoàn Thanh niên"),
        ("Hội LHPN xã", "Hội Liên hiệp Phụ nữ"),
        ("UBMTTQ xã", "Mặt trận Tổ quốc"),
        ("BHXH thị xã", "Bảo hiểm xã hội"),
        ("Chi cục Thuế khu vực Sơn Tây - Ba Vì", "Chi cục Thuế"),
        ("Kho bạc Nhà nước Sơn Tây", "Kho bạc Nhà nước"),
        ("Công chức Tư pháp - Hộ tịch", "Công chức"),
        ("Công chức Văn hóa - Xã hội", "Công chức"),
        ("Quản lý thị trường", "khac"),  # "quản" is no district here
        ("Tổ dân phố số 5", "khac"),
    ],
)
def test_a_kind_is_guessed_from_the_first_words(name: str, kind: str) -> None:
    assert guess_kind(name) == kind


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("CA xã Đường Lâm", "cong an xa duong lam"),
        ("CA P. Lê Lợi", "cong an phuong le loi"),
        ("BCH QS thị xã", "ban chi huy quan su thi xa"),
        ("Ban CHQS xã", "ban chi huy quan su xa"),
        ("HND xã", "hoi nong dan xa"),
        ("ĐTN xã", "doan thanh nien xa"),
        ("Đoàn TN xã", "doan thanh nien xa"),
        ("Hội LHPN xã", "hoi lien hiep phu nu xa"),
        ("UB MTTQ xã", "uy ban mat tran to quoc xa"),
        ("BHXH tỉnh", "bao hiem xa hoi tinh"),
        ("KBNN khu vực", "kho bac nha nuoc khu vuc"),
        ("CC Thuế", "chi cuc thue"),
        ("CC TP-HT", "cong chuc tu phap ho tich"),
        ("CC VH-XH", "cong chuc van hoa xa hoi"),
        ("TYT xã", "tram y te xa"),
        ("Cà Mau", "ca mau"),  # "ca" before no type word stays
        ("CC Kiểm lâm", "cc kiem lam"),  # a Chi cục as often as a Công chức: left alone
    ],
)
def test_the_bodies_abbreviations_are_written_out_in_names(written: str, key: str) -> None:
    assert alternatives(written, names=True)[0] == key


def test_a_short_abbreviation_is_also_read_as_written() -> None:
    """ "Tn Lập" may be "Tân Lập" with a letter dropped: both readings, written out first."""
    assert alternatives("Đoàn TN xã", names=True) == ["doan thanh nien xa", "doan tn xa"]
    assert alternatives("BHXH tỉnh", names=True) == ["bao hiem xa hoi tinh"]


def test_short_abbreviations_that_are_words_are_read_in_names_only() -> None:
    assert expand("TN hồ sơ") == "tn ho so"  # a report's "tiếp nhận", not "thanh niên"
    assert expand("nd báo cáo") == "nd bao cao"
    assert expand("BHXH") == "bao hiem xa hoi"  # an unambiguous one everywhere


ENTRIES = [
    UnitEntry(1, "Xã Đường Lâm", "xa", parent_name="Thị xã Sơn Tây"),
    UnitEntry(2, "Công an xã Đường Lâm", "Công an", parent_name="Xã Đường Lâm"),
    UnitEntry(3, "Ban Chỉ huy Quân sự xã", "Ban Chỉ huy Quân sự", parent_name="Xã Đường Lâm"),
    UnitEntry(4, "Hội Nông dân xã", "Hội Nông dân", parent_name="Xã Đường Lâm"),
    UnitEntry(5, "Phòng Tư pháp", "phong", parent_name="Thị xã Sơn Tây"),
    UnitEntry(6, "Bảo hiểm xã hội thị xã", "Bảo hiểm xã hội", parent_name="Thị xã Sơn Tây"),
    UnitEntry(7, "Công chức Tư pháp - Hộ tịch", "Công chức", parent_name="Xã Đường Lâm"),
    UnitEntry(8, "Ủy ban Mặt trận Tổ quốc xã", "Mặt trận Tổ quốc", parent_name="Xã Đường Lâm"),
]
CATALOGUE = UnitCatalogue(ENTRIES)


@pytest.mark.parametrize(
    ("written", "unit_id"),
    [
        ("CA xã Đường Lâm", 2),
        ("Cong an xa Duong Lam", 2),
        ("BCH QS xã", 3),
        ("Ban CHQS xa", 3),
        ("HND xã", 4),
        ("BHXH thị xã", 6),
        ("CC TP-HT", 7),
        ("Cong chuc Tu phap - Ho tich", 7),
        ("MTTQ xã", 8),
        ("UBMTTQ xã", 8),
        ("Ủy ban MTTQ xã", 8),
        ("Xã Đường Lâm", 1),
    ],
)
def test_the_matcher_finds_bodies_as_written(written: str, unit_id: int) -> None:
    match = CATALOGUE.match(written)
    assert match.decision is Decision.MATCH, match
    assert match.unit is not None and match.unit.id == unit_id


def test_a_body_is_not_a_department() -> None:
    ref = resolve_unit("Các phòng, ban chuyên môn", CATALOGUE)
    assert ref.group is Group.DEPARTMENTS
    assert [u.id for u in ref.units] == [5]
    everyone = resolve_unit("Các cơ quan, đơn vị và địa phương", CATALOGUE)
    assert {2, 3, 4, 6, 7, 8} <= {u.id for u in everyone.units}


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Công an xã", "Công an xã"),
        ("Công an xã (chủ trì)", "Công an xã"),
        ("Hội Nông dân xã phối hợp", "Hội Nông dân xã"),
        ("Chi cục Thuế khu vực Sơn Tây - Ba Vì", "Chi cục Thuế khu vực Sơn Tây - Ba Vì"),
        ("Bộ phận tiếp nhận và trả kết quả của phường", "Bộ phận tiếp nhận và trả kết quả"),
        ("Bo phan tiep nhan va tra ket qua cua phuong", "Bo phan tiep nhan va tra ket qua"),
        ("Bộ phận Một cửa xã", "Bộ phận Một cửa xã"),  # "cửa" (door) is no "của" (of)
        ("Bo phan mot cua xa", "Bo phan mot cua xa"),
        ("Công chức Tư pháp-Hộ tịch", "Công chức Tư pháp-Hộ tịch"),
        ("UBND các xã, phường", None),  # a group
        ("UBND", None),  # the issuer itself, a bare type word
        ("Văn phòng", None),
        ("Công chức", None),
        ("Công chức chuyên môn", None),  # people, not a unit
        ("Cán bộ, công chức chuyên môn", None),
        ("Các công chức chuyên môn", None),
        ("Công chức: văn hóa, văn phòng", None),  # a list
        ("Các cơ quan, đơn vị có liên quan", None),  # nobody in particular
        ("2.1", None),
        ("", None),
        (" ".join(["từ"] * 16), None),  # a sentence, not a name
    ],
)
def test_which_names_a_preview_may_create(written: str, name: str | None) -> None:
    assert creatable_name(written) == name


XA, PHUONG = "UBND xã Bình Minh", "UBND phường Hà Cầu"
VP_TK, TP_HT = "Công chức Văn phòng - Thống kê", "Công chức Tư pháp - Hộ tịch"


@pytest.mark.parametrize(
    ("written", "issuer", "name"),
    [
        # a commune's civil servant named by title in its commune's plan: with its place
        (VP_TK, XA, f"{VP_TK} xã Bình Minh"),
        (f"{TP_HT} (chủ trì)", PHUONG, f"{TP_HT} phường Hà Cầu"),
        (f"{TP_HT} xã Bình Minh", XA, f"{TP_HT} xã Bình Minh"),
        ("Công chức chuyên môn", XA, None),
        ("Công chức Tư pháp", "UBND huyện Sơn Tây", "Công chức Tư pháp"),  # no commune's
        ("Công an xã", XA, "Công an xã Bình Minh"),
    ],
)
def test_a_commune_plan_names_its_own_officers(written: str, issuer: str, name: str | None) -> None:
    assert creatable_name(written, issuer) == name


def test_a_new_units_key_is_the_same_however_it_is_written() -> None:
    assert new_unit_key("Công an xã") == new_unit_key("CÔNG AN XÃ") == new_unit_key("cong an xa")
    assert new_unit_key("Công an xã") != new_unit_key("Hội Nông dân xã")
    assert new_unit_key("Công an xã") > 0


# --- words OCR ran together (a scanned plan's unit cells) ---------------------------------

PROVINCE = UnitCatalogue(
    [
        UnitEntry(1, "Sở Nội vụ", "so"),
        UnitEntry(2, "Bảo hiểm xã hội tỉnh", "Bảo hiểm xã hội"),
        UnitEntry(3, "UBND các huyện, thị xã, thành phố", "khac"),
        UnitEntry(4, "Sở Tư pháp", "so"),
    ]
)


@pytest.mark.parametrize(
    ("written", "apart", "unit"),
    [
        ("SởNộivụ", "Sở Nội vụ", 1),
        ("Bảohiểmxã hội tỉnh", "Bảo hiểm xã hội tỉnh", 2),
        ("UBNDcáchuyện, thị xã, thành phổ", "UBND các huyện, thị xã, thành phổ", 3),
    ],
)
def test_a_unit_whose_words_ocr_ran_together(written: str, apart: str, unit: int) -> None:
    assert words_apart(written, PROVINCE.words) == apart
    ref = resolve_unit(written, PROVINCE)
    assert [u.id for u in ref.units] == [unit]
    assert ref.text == written  # the preview shows what the plan says


def test_words_are_set_apart_only_into_the_units_own_words() -> None:
    # "cáchuyện" is "cá chuyện" as well as "các huyện": only the units' words decide
    assert words_apart("cáchuyện", frozenset({"cac", "huyen"})) == "các huyện"
    assert words_apart("cáchuyện", frozenset({"ca", "chuyen", "cac", "huyen"})) == "cáchuyện"
    assert words_apart("Sở Tư pháp", PROVINCE.words) == "Sở Tư pháp"
    assert resolve_unit("Sở Nội vụ", PROVINCE).units[0].id == 1


def test_set_apart_cuts_at_case_changes_only() -> None:
    # ("Nộivụ": two small syllables, set apart only by the units' words, above)
    assert set_apart("UBNDcác SởNộivụ HĐND&UBND VP-TK Công an") == (
        "UBND các Sở Nộivụ HĐND&UBND VP-TK Công an"
    )


def test_communes_and_townships_are_every_local_committee() -> None:
    """A district plan's "UBND các xã, thị trấn": the communes and the townships."""
    district = UnitCatalogue(
        [
            UnitEntry(1, "UBND xã Tân An", "xa"),
            UnitEntry(2, "UBND thị trấn Đồi Ngô", "thi_tran"),
            UnitEntry(3, "Phòng Tư pháp", "phong"),
        ]
    )
    for written in ("UBND các xã, thị trấn", "UBNDcácxã, thị trấn"):
        ref = resolve_unit(written, district)
        assert ref.group is Group.LOCAL
        assert [u.id for u in ref.units] == [1, 2]
    assert [u.id for u in resolve_unit("UBND các xã", district).units] == [1]


# --- a body named by its kind alone: the issuer's own ------------------------------------

DISTRICT = UnitCatalogue(
    [
        UnitEntry(1, "Xã Sơn Dương", "xa"),
        UnitEntry(2, "Xã Hợp Hải", "xa"),
        UnitEntry(3, "Công an tỉnh", "Công an"),
        UnitEntry(4, "Công an xã Hợp Hải", "Công an"),
        UnitEntry(5, "Đoàn Thanh niên xã Sơn Dương", "Đoàn Thanh niên"),
        UnitEntry(6, "Hội Nông dân", "Hội Nông dân"),
    ]
)


@pytest.mark.parametrize(
    ("written", "issuer", "name"),
    [
        ("Công an xã", "UBND xã Sơn Dương", "Công an xã Sơn Dương"),
        ("Cong an xa (chu tri)", "UBND xã Sơn Dương", "Công an xã Sơn Dương"),
        ("Đoàn Thanh niên", "ỦY BAN NHÂN DÂN XÃ SƠN DƯƠNG", "Đoàn Thanh niên xã Sơn Dương"),
        ("MTTQ phường", "UBND phường Trung Lương", "Mặt trận Tổ quốc phường Trung Lương"),
        ("BHXH huyện", "UBND huyện Tư Nghĩa", "Bảo hiểm xã hội huyện Tư Nghĩa"),
        ("Trạm Y tế xã", "UBND xã Sơn Dương", "Trạm Y tế xã Sơn Dương"),
        # the issuer's level differs, or the place is written: as written
        ("Công an huyện", "UBND xã Sơn Dương", "Công an huyện"),
        ("Công an xã Hợp Hải", "UBND xã Sơn Dương", "Công an xã Hợp Hải"),
        ("Bảo hiểm xã hội huyện", "UBND xã Sơn Dương", "Bảo hiểm xã hội huyện"),
        # not every body is in every commune; officers are people, not the issuer's body
        ("Bảo hiểm xã hội", "UBND xã Sơn Dương", None),
        ("Công chức xã", "UBND xã Sơn Dương", "Công chức xã Sơn Dương"),  # its place
        ("Đoàn Thanh niên", None, None),  # whose, the plan does not say
        ("Đoàn Thanh niên", "Sở Tư pháp", None),
        ("Công an xã", None, "Công an xã"),
        # a roman numeral at the end is no "x." (xã): "khu vực X" is the tenth region
        ("Kho bạc Nhà nước khu vực X", "UBND xã Hàm Yên", "Kho bạc Nhà nước khu vực X"),
    ],
)
def test_a_body_named_by_its_kind_is_created_as_the_issuers_own(
    written: str, issuer: str | None, name: str | None
) -> None:
    assert creatable_name(written, issuer) == name


def test_a_body_named_by_its_kind_resolves_to_the_issuers_own_only() -> None:
    # found under the issuer's place, however written
    for written in ("Đoàn Thanh niên", "Đoàn TN xã", "doan thanh nien xa"):
        ref = resolve_in_plan(written, "UBND xã Sơn Dương", DISTRICT)
        assert [u.id for u in ref.units] == [5], written
        assert ref.text == written
    # another commune's police, or the province's, is not this commune's
    ref = resolve_in_plan("Công an xã", "UBND xã Sơn Dương", DISTRICT)
    assert not ref.resolved
    assert creatable_name(ref.text, "UBND xã Sơn Dương") == "Công an xã Sơn Dương"
    assert [u.id for u in resolve_in_plan("Công an xã", "UBND xã Hợp Hải", DISTRICT).units] == [4]
    # a unit of exactly the written name is the one meant
    assert [u.id for u in resolve_in_plan("Hội Nông dân", "UBND xã Sơn Dương", DISTRICT).units] == [
        6
    ]
    # without an issuer's place, as the matcher reads it
    ref = resolve_in_plan("Công an tỉnh", None, DISTRICT)
    assert [u.id for u in ref.units] == [3]


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Văn phòng HDND&U", None),  # an acronym cut short
        ("Rtgwco che mot cia, motetallién thong", None),  # no syllables
        ("Céng chitc Van hoa", None),
        ("Cong chuc Van hoa", "Cong chuc Van hoa"),  # no marks, but words
        ("Văn phòng HĐND&UBND", "Văn phòng HĐND&UBND"),
        ("Trạm Y tế phường 2", "Trạm Y tế phường 2"),
    ],
)
def test_a_name_read_from_damaged_text_is_offered_only_if_it_is_spelt(
    written: str, name: str | None
) -> None:
    assert creatable_name(written, damaged=True) == name


def test_a_clean_file_names_a_unit_in_any_word() -> None:
    assert creatable_name("Viettel Quảng Ngãi") == "Viettel Quảng Ngãi"
    assert creatable_name("Viettel Quảng Ngãi", damaged=True) is None  # OCR's, or not?


def test_the_issuers_own_desk_and_the_place_as_the_catalogue_spells_it() -> None:
    catalogue = UnitCatalogue(
        [
            UnitEntry(1, "Phường Hà Giang 1", "phuong"),
            UnitEntry(2, "Trung tâm Phục vụ hành chính công", "trung_tam", ("Bộ phận Một cửa",)),
        ]
    )
    # a plan typed without marks: its own bodies named with the place's marks
    issuer = issuer_name("UBND phuong Ha Giang 1", catalogue)
    assert issuer == "Phường Hà Giang 1"
    assert creatable_name("Cong an phuong", issuer) == "Công an phường Hà Giang 1"
    assert issuer_name("UBND xã Không Có", catalogue) == "UBND xã Không Có"  # as written
    # the one-stop desk, by either name, is the issuer's own too
    assert own_name("Bộ phận tiếp nhận và trả kết quả của phường", issuer) == (
        "Bộ phận Tiếp nhận và Trả kết quả phường Hà Giang 1"
    )
    assert own_name("Bộ phận Một cửa", "UBND xã Sơn Dương") == "Bộ phận Một cửa xã Sơn Dương"
    # but a unit the office gave that very name, as an alias, is the one meant
    assert [u.id for u in resolve_in_plan("Bộ phận Một cửa", issuer, catalogue).units] == [2]


def test_the_issuer_itself_and_its_offices_named_by_its_type_word() -> None:
    catalogue = UnitCatalogue(
        [
            UnitEntry(1, "Xã Tân Lập", "xa"),
            UnitEntry(2, "Văn phòng HĐND và UBND xã Tân Lập", "van_phong"),
            UnitEntry(3, "Phòng Tư pháp", "phong"),
        ]
    )
    issuer = "UBND xã Tân Lập"
    # "UBND", "UBND xã": the committee that issued the plan, never a unit to create
    for written in ("UBND", "UBND xã", "Ủy ban nhân dân xã"):
        assert [u.id for u in resolve_in_plan(written, issuer, catalogue).units] == [1]
        assert creatable_name(written, issuer) is None
    assert not resolve_in_plan("UBND", None, catalogue).units  # whose, the plan does not say
    # its office, named with the type word only: found under its place, created so
    assert [
        u.id for u in resolve_in_plan("Văn phòng HĐND và UBND xã", issuer, catalogue).units
    ] == [2]
    assert creatable_name("Văn phòng UBND xã", issuer) == "Văn phòng UBND xã Tân Lập"
    # another name as the matcher reads it
    assert [u.id for u in resolve_in_plan("Phòng Tư pháp", issuer, catalogue).units] == [3]


def test_an_office_holder_stands_for_the_office_they_head() -> None:
    """ "Chủ tịch UBND phường Lê Lợi" leads as the ward; "Trưởng phòng Nội vụ" as the
    department (it was an unsure match, or none, offered to create as a unit); a school
    ("Trường THCS …", "Truong THCS …") is no title."""
    catalogue = UnitCatalogue(
        [
            UnitEntry(1, "Thị xã Sơn Tây", "thi_xa"),
            UnitEntry(2, "Văn phòng HĐND và UBND thị xã", "van_phong"),
            UnitEntry(3, "Phòng Nội vụ", "phong"),
            UnitEntry(4, "Phường Lê Lợi", "phuong"),
            UnitEntry(5, "Xã Cổ Đông", "xa"),
            UnitEntry(6, "Ban Chỉ huy Quân sự thị xã", "Ban Chỉ huy Quân sự"),
        ]
    )
    issuer = "UBND thị xã Sơn Tây"
    for written, unit in [
        ("Chủ tịch UBND thị xã", 1),
        ("Chánh Văn phòng HĐND và UBND thị xã", 2),
        ("Trưởng phòng Nội vụ", 3),
        ("Truong phong Noi vu", 3),
        ("Chủ tịch UBND phường Lê Lợi", 4),
        ("Đ/c Phó Chủ tịch UBND xã Cổ Đông phụ trách văn hóa - xã hội", 5),
        ("Chỉ huy trưởng Ban Chỉ huy Quân sự thị xã", 6),
    ]:
        ref = resolve_in_plan(written, issuer, catalogue)
        assert [u.id for u in ref.units] == [unit], written
        assert ref.text == written
    assert creatable_name("Trưởng Công an phường Lê Lợi", issuer) == "Công an phường Lê Lợi"
    for school in ("Trường THCS Lê Lợi", "Truong THCS Le Loi", "Trường Tiểu học Cổ Đông"):
        assert office_held(school) is None, school
    assert office_held("Chủ tịch") is None and office_held("Công an xã") is None


def test_the_committees_office_named_without_its_place_is_the_issuers() -> None:
    """ "Văn phòng HĐND và UBND" in a commune's plan is that commune's office: found
    under its place, and offered to create so (it was offered as written, placeless)."""
    catalogue = UnitCatalogue(
        [
            UnitEntry(1, "Xã Kim Sơn", "xa"),
            UnitEntry(2, "Văn phòng HĐND và UBND xã Kim Sơn", "van_phong"),
            UnitEntry(3, "Văn phòng HĐND và UBND xã Cổ Đông", "van_phong"),
        ]
    )
    for written in ("Văn phòng HĐND và UBND", "Văn phòng HĐND&UBND"):
        ref = resolve_in_plan(written, "UBND xã Kim Sơn", catalogue)
        assert [u.id for u in ref.units] == [2], written
    for written in ("Văn phòng HĐND và UBND", "VP UBND"):
        assert creatable_name(written, "UBND xã Tân Lập") == f"{written} xã Tân Lập"
    assert creatable_name("Văn phòng UBND", "Sở Tư pháp") == "Văn phòng UBND"


def test_the_issuer_is_found_as_its_own_place_or_the_one_that_took_it_in() -> None:
    catalogue = UnitCatalogue(
        [
            UnitEntry(1, "Xã Tân Quang", "xa", former=("Xã Tân Lập",)),
            UnitEntry(2, "Sở Tư pháp", "so"),
            UnitEntry(3, "Xã Hồng Thái", "xa"),
        ]
    )
    # a plan from before the merger: the commune that took Tân Lập in, named as it is now
    assert issuer_unit("UBND xã Tân Lập", catalogue) == catalogue.entries[0]
    assert creatable_name("Bộ phận Một cửa xã", issuer_name("UBND xã Tân Lập", catalogue)) == (
        "Bộ phận Một cửa xã Tân Quang"
    )
    assert issuer_unit("Sở Tư pháp", catalogue) == catalogue.entries[1]  # no place: as matched
    # a commune the catalogue does not have: none, its name as written
    assert issuer_unit("UBND xã Hồng Thịnh", catalogue) is None
    assert issuer_name("UBND xã Hồng Thịnh", catalogue) == "UBND xã Hồng Thịnh"
