"""The national indicators of TTHC reform (the list the Government gives every province
each year, Nghị quyết 01/NQ-CP and the plans that copy it) and the ways plans word them.
Pure data and matching: no I/O.

:func:`national_indicator` takes what a plan says it measures ("Tỷ lệ nộp hồ sơ trực
tuyến", "giao dịch thanh toán trực tuyến", "Mức độ hài lòng của người dân, doanh
nghiệp về giải quyết TTHC") and returns the national indicator it is, or None. A name
matches when, read as a fold key with abbreviations written out and a leading "tỷ lệ"
dropped, it *starts with* one of the indicator's phrasings and holds none of the words
that make it another measure ("toàn trình" makes online filing another indicator; "TTHC
có nghĩa vụ tài chính được triển khai thanh toán trực tuyến" counts procedures, not
payments, so it does not start with a payment phrasing). Names that match two
indicators match none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.language.abbreviations import expand


@dataclass(frozen=True)
class NationalIndicator:
    key: str  # a short stable key ("online_filing")
    name: str  # the standard name
    starts: re.Pattern[str]  # on the expanded fold key, "tỷ lệ" dropped
    excludes: re.Pattern[str] | None = None


_DOSSIER = r"(?:cac |nhung )?(?:ho so|hs)(?: thu tuc hanh chinh)?"


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


NATIONAL_INDICATORS: tuple[NationalIndicator, ...] = (
    NationalIndicator(
        "publication",
        "Tỷ lệ công bố, công khai TTHC đúng hạn",
        _re(
            r"^(?:(?:cong bo,? )?cong khai (?:cac )?thu tuc hanh chinh dung (?:han|thoi han)|"
            r"thu tuc hanh chinh.{0,40}?duoc (?:cong bo,? )?cong khai.{0,20}?dung (?:han|thoi han))"
        ),
    ),
    NationalIndicator(
        "synchronised",
        "Tỷ lệ kết quả xử lý hồ sơ TTHC được đồng bộ đầy đủ trên Cổng Dịch vụ công quốc gia",
        _re(rf"^(?:ket qua (?:xu ly|giai quyet) )?{_DOSSIER}.{{0,60}}?duoc dong bo"),
    ),
    NationalIndicator(
        "full_online_services",
        "Tỷ lệ cung cấp dịch vụ công trực tuyến toàn trình trên tổng số TTHC có đủ điều kiện",
        _re(
            r"^(?:(?:cung cap )?dich vu cong truc tuyen toan trinh|thu tuc hanh chinh (?:co )?"
            r"du dieu kien (?:duoc )?cung cap dich vu cong truc tuyen toan trinh)"
        ),
        _re(r"\bmot phan\b"),
    ),
    NationalIndicator(
        "online_filing",
        "Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận, giải quyết TTHC",
        _re(
            rf"^(?:{_DOSSIER} (?:(?:duoc )?nop |tiep nhan |giai quyet )?truc tuyen|"
            rf"(?:nop|tiep nhan) {_DOSSIER} truc tuyen)"
        ),
        _re(r"\b(?:toan trinh|mot phan|thanh toan)\b"),
    ),
    NationalIndicator(
        "online_payment",
        "Tỷ lệ thanh toán trực tuyến trên tổng số giao dịch thanh toán của dịch vụ công",
        _re(r"^(?:giao dich |so giao dich )?thanh toan truc tuyen"),
    ),
    NationalIndicator(
        "digitisation",
        "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC",
        _re(rf"^(?:so hoa (?:ho so|ket qua)|{_DOSSIER}.{{0,40}}?duoc so hoa)"),
        _re(r"\b(?:khai thac|su dung lai|tai su dung)\b"),
    ),
    NationalIndicator(
        "electronic_results",
        "Tỷ lệ cấp kết quả giải quyết TTHC điện tử",
        _re(r"^cap (?:ban )?(?:ket qua giai quyet thu tuc hanh chinh|ket qua) (?:ban )?dien tu"),
    ),
    NationalIndicator(
        "data_reuse",
        "Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa",
        _re(r"^(?:khai thac,? )?(?:su dung lai|tai su dung) (?:thong tin|du lieu)"),
    ),
    NationalIndicator(
        "feedback",
        "Tỷ lệ xử lý phản ánh, kiến nghị đúng hạn",
        _re(r"^(?:tiep nhan,? )?xu ly (?:cac )?phan anh,? kien nghi"),
    ),
    NationalIndicator(
        "satisfaction",
        "Mức độ hài lòng của người dân, doanh nghiệp",
        _re(r"^(?:muc do |ty le )?hai long"),
    ),
)

_RATE = re.compile(r"^(?:ty le|ti le)\s+")


def national_indicator(name: str) -> NationalIndicator | None:
    """The national indicator a plan's name for a measure is, or None (also when two
    could be meant)."""
    key = _RATE.sub("", expand(name))
    found = [
        n
        for n in NATIONAL_INDICATORS
        if n.starts.search(key) and not (n.excludes and n.excludes.search(key))
    ]
    return found[0] if len(found) == 1 else None
