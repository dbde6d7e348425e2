"""What a count counts: dossiers, payment transactions, feedback and petitions, or
procedures, read from an indicator's name or from the words of a total.

A count written after a total ("tiếp nhận 120 hồ sơ, số hóa 110, …") is read as a part
of it; it is a figure only of an indicator counting the same thing. Payments online are
counted over the payment transactions, feedback handled on time over the feedback
received, procedures published over the procedures: none of them over the 120 dossiers
received, and reading them so would store a wrong percentage. An indicator or a total
whose words name none of these counts anything (nothing is refused for it); a part whose
own words name none ("đúng hạn 138") is of the total's things, so an indicator of other
things is not it (the count is left out, and the reply says so).
"""

from __future__ import annotations

import re

from bot.language.abbreviations import expand

DOSSIERS, PAYMENTS, FEEDBACK, PROCEDURES = "dossiers", "payments", "feedback", "procedures"

# Nouns (folded, abbreviations expanded) and what they count. A result of handling a
# dossier ("kết quả giải quyết") is counted with the dossiers.
_NOUNS = re.compile(
    r"\b(?P<dossiers>bo ho so|ho so|ket qua giai quyet|ket qua xu ly)\b"
    r"|\b(?P<payments>giao dich|thanh toan)\b"
    r"|\b(?P<feedback>phan anh|kien nghi|pakn)\b"
    r"|\b(?P<procedures>thu tuc hanh chinh|thu tuc)\b"
)
_RATE = re.compile(r"ty le\b")
# "… trên tổng số giao dịch thanh toán": what the ratio is over, said outright.
_OVER = re.compile(r"\btren\s+(?:tong\s+so|tong|so)\s+")


def counted(text: str) -> str | None:
    """What ``text`` counts: what it says a ratio is over ("trên tổng số …"), else its
    first counting noun; None when it names none ("Mức độ hài lòng …")."""
    key = expand(text)
    over = _OVER.search(key)
    if over is not None:
        found = _NOUNS.search(key, over.end())
        if found is not None:
            return found.lastgroup
    found = _NOUNS.search(key)
    return found.lastgroup if found is not None else None


def ratio_of(name: str, aliases: tuple[str, ...] = ()) -> str | None:
    """What an indicator named ``name`` (or one of ``aliases``) is a ratio of: only a
    "Tỷ lệ …" counts something ("Mức độ hài lòng …" is measured otherwise)."""
    for text in (name, *aliases):
        if _RATE.match(expand(text)):
            return counted(text)
    return None


def alike(first: str | None, second: str | None) -> bool:
    """Whether two counts can be of the same things (either unknown: they can)."""
    return first is None or second is None or first == second
