"""Type words in unit names: ``xã``, ``phường``, ``đặc khu``, ``phòng``, ``sở`` …, and
the kind words of the other bodies plans name (``Công an``, ``Hội Nông dân``, ``Chi cục
Thuế``, ``Công chức`` …).

The kinds are the string values stored in ``units.kind``: a code (``xa``, ``phong``) for
the type words below, otherwise the kind word itself (:func:`normalise_kind`,
:func:`guess_kind`). This module stays free of the storage layer.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.language.abbreviations import alternatives
from bot.language.normalize import fold, nfc

# Folded type word → unit kind. Longer words are tried first.
KIND_WORDS: dict[str, str] = {
    "tinh": "tinh",
    "thanh pho": "thanh_pho",
    "tp": "thanh_pho",
    "xa": "xa",
    "phuong": "phuong",
    "dac khu": "dac_khu",
    "huyen": "huyen",
    "quan": "huyen",
    "thi xa": "thi_xa",
    "thi tran": "thi_tran",
    "so": "so",
    "van phong": "van_phong",
    "phong": "phong",
    "ban": "ban",
    "trung tam": "trung_tam",
    "co quan": "co_quan",
    "khac": "khac",
}

# The kinds with a code; any other stored kind is a kind word as written (BODY_KINDS).
CODED_KINDS = frozenset(KIND_WORDS.values())

# The administrative kinds whose type word is a prefix that can be dropped ("Xã Sơn
# Dương" is also called "Sơn Dương"); departments keep theirs ("Phòng Kinh tế").
PREFIX_KINDS = {"tinh", "thanh_pho", "xa", "phuong", "dac_khu", "huyen", "thi_xa", "thi_tran"}

_ORDERED = sorted(KIND_WORDS, key=len, reverse=True)

# Folded kind word → the kind as stored, for bodies without a code of their own: mass
# organisations, the police and the military command, sector agencies, schools and
# clinics, and officers named by their post.
BODY_KINDS: dict[str, str] = {
    "cong an": "Công an",
    "ban chi huy quan su": "Ban Chỉ huy Quân sự",
    "hoi nong dan": "Hội Nông dân",
    "doan thanh nien": "Đoàn Thanh niên",
    "hoi lien hiep phu nu": "Hội Liên hiệp Phụ nữ",
    "hoi phu nu": "Hội Liên hiệp Phụ nữ",
    "hoi cuu chien binh": "Hội Cựu chiến binh",
    "mat tran to quoc": "Mặt trận Tổ quốc",
    "uy ban mat tran to quoc": "Mặt trận Tổ quốc",
    "bao hiem xa hoi": "Bảo hiểm xã hội",
    "cuc thue": "Cục Thuế",
    "chi cuc thue": "Chi cục Thuế",
    "thue co so": "Thuế cơ sở",
    "chi cuc": "Chi cục",
    "kho bac nha nuoc": "Kho bạc Nhà nước",
    "kho bac": "Kho bạc Nhà nước",
    "cong chuc": "Công chức",
    "dang uy": "Đảng ủy",
    "hop tac xa": "Hợp tác xã",
    "tram y te": "Trạm Y tế",
    "benh vien": "Bệnh viện",
    "truong": "Trường",
    "buu dien": "Bưu điện",
    "doi": "Đội",
}
_BODIES_ORDERED = sorted(BODY_KINDS, key=len, reverse=True)
_NAMED_BODIES = [b for b in _BODIES_ORDERED if " " in b]
# Type words that start too many other words to give a kind from a name's first words
# ("Quân sự", "Quản lý").
_NOT_A_KIND_PREFIX = frozenset({"quan"})


def kind_from_word(word: str) -> str | None:
    """The kind for a type word or a stored kind value (``"Xã"``, ``"xa"``, ``"dac_khu"``)."""
    key = fold(word.replace("_", " "))
    if key in KIND_WORDS:
        return KIND_WORDS[key]
    return None


def normalise_kind(word: str) -> str:
    """A kind as the office wrote it, ready to store: the code of a type word (``"Xã"`` →
    ``xa``), the usual form of a known body (``"công an"``, ``"BHXH"`` → ``Công an``,
    ``Bảo hiểm xã hội``), otherwise the word as written with its spaces tidied; ``""``
    for an empty one (the caller says it is missing).

    >>> normalise_kind(" Phường ")
    'phuong'
    >>> normalise_kind("Công an xã")
    'Công an'
    >>> normalise_kind("Hợp  tác   xã nông nghiệp")
    'Hợp tác xã'
    >>> normalise_kind("Tổ dân phố")
    'Tổ dân phố'
    """
    written = " ".join(nfc(word).split())
    if not written:
        return ""
    key = alternatives(written, names=True)[0]
    code = kind_from_word(written) or KIND_WORDS.get(key)
    if code is not None:
        return code
    return _body(key, _BODIES_ORDERED) or written


def body_kind(key: str) -> str | None:
    """The body a folded, expanded name starts with (``cong an xa …`` → ``Công an``), by
    its words of two or more only: "Trường Sơn" and "Đội Bình" are places too.

    >>> body_kind("hoi nong dan thi xa"), body_kind("xa duong lam"), body_kind("truong son")
    ('Hội Nông dân', None, None)
    """
    return _body(key, _NAMED_BODIES)


def _body(key: str, bodies: list[str]) -> str | None:
    for body in bodies:
        if key == body or key.startswith(body + " "):
            return BODY_KINDS[body]
    return None


def guess_kind(name: str) -> str:
    """The kind a unit's name says with its first words, ``khac`` when it says none.

    >>> guess_kind("Công an xã Đường Lâm")
    'Công an'
    >>> guess_kind("UBND xã Đường Lâm")
    'xa'
    >>> guess_kind("BCH QS thị xã")
    'Ban Chỉ huy Quân sự'
    >>> guess_kind("Quản lý thị trường")
    'khac'
    """
    for key in alternatives(name.replace("&", " và "), names=True)[:1]:
        for noise in _NOISE_PREFIXES:
            if key.startswith(noise + " "):
                key = key[len(noise) + 1 :]
        words = [(w, BODY_KINDS[w]) for w in _BODIES_ORDERED if key == w or key.startswith(w + " ")]
        words += [
            (w, KIND_WORDS[w])
            for w in _ORDERED
            if w not in _NOT_A_KIND_PREFIX and (key == w or key.startswith(w + " "))
        ]
        if words:
            return max(words, key=lambda item: len(item[0]))[1]
    return "khac"


def split_kind(name: str) -> tuple[str | None, str]:
    """Split a leading administrative type word off a name, on the fold key.

    >>> split_kind("Xã Sơn Dương")
    ('xa', 'son duong')
    >>> split_kind("Phòng Kinh tế")
    (None, 'phong kinh te')
    """
    key = fold(name)
    for word in _ORDERED:
        kind = KIND_WORDS[word]
        if kind in PREFIX_KINDS and key.startswith(word + " "):
            return kind, key[len(word) + 1 :]
    return None, key


# Leading words that say "the committee of" and carry no name ("UBND xã …").
_NOISE_PREFIXES = ("uy ban nhan dan", "chinh quyen")
# "Ủy ban" before "Mặt trận Tổ quốc" is dropped the same way: "Ủy ban MTTQ xã" is the
# "MTTQ xã" officials write.
_FRONT = "uy ban mat tran "
# Words that start a qualifier after the name ("xã Tân Lập huyện Yên Sơn tỉnh Tuyên Quang").
_QUALIFIER_WORDS = ("thanh pho", "thi xa", "huyen", "tinh")
# Type words that also start place names ("Quản Bạ", "Tịnh Biên", "Huyền Sơn").
_AMBIGUOUS_TYPE_WORDS = frozenset({"quan", "tinh", "huyen"})
_QUALIFIER_KINDS = {"thanh pho": "thanh_pho", "thi xa": "thi_xa", "huyen": "huyen", "tinh": "tinh"}


@dataclass(frozen=True)
class UnitReading:
    """One way to read a unit name: its canonical key, type, bare name and qualifiers.

    ``key`` is the fold key with abbreviations written out (``&`` read as ``và``);
    ``bare`` is the name without its administrative type word (``son duong``);
    ``qualifiers`` are the ``(kind, name)`` pairs written after it (``tinh``, ``tuyen
    quang``).
    """

    key: str
    kind: str | None
    bare: str
    qualifiers: tuple[tuple[str, str], ...] = ()


def _split_qualifiers(bare: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    words = bare.split()
    cut = None
    for i in range(1, len(words) - 1):
        for qualifier in _QUALIFIER_WORDS:
            size = len(qualifier.split())
            if " ".join(words[i : i + size]) == qualifier and i + size < len(words):
                cut = i
                break
        if cut is not None:
            break
    if cut is None:
        return bare, ()
    name, rest = " ".join(words[:cut]), " ".join(words[cut:])
    qualifiers: list[tuple[str, str]] = []
    while rest:
        for qualifier in _QUALIFIER_WORDS:
            if rest.startswith(qualifier + " "):
                rest = rest[len(qualifier) + 1 :]
                following = [rest.find(" " + q + " ") for q in _QUALIFIER_WORDS]
                ends = [f for f in following if f >= 0]
                end = min(ends) if ends else len(rest)
                qualifiers.append((_QUALIFIER_KINDS[qualifier], rest[:end].strip()))
                rest = rest[end:].strip()
                break
        else:
            break
    return name, tuple(qualifiers)


def unit_readings(text: str) -> list[UnitReading]:
    """Every reading of a unit name as written, the most literal first.

    >>> unit_readings("UBND x. Sơn Dương")[0]
    UnitReading(key='xa son duong', kind='xa', bare='son duong', qualifiers=())
    >>> [r.key for r in unit_readings("TT Sơn Dương")]
    ['thi tran son duong', 'trung tam son duong']
    """
    readings: list[UnitReading] = []
    for key in alternatives(text.replace("&", " và "), names=True):
        for noise in _NOISE_PREFIXES:
            if key.startswith(noise + " "):
                key = key[len(noise) + 1 :]
        if key.startswith(_FRONT):
            key = key[len("uy ban ") :]
        kind, bare = split_kind(key)
        if kind is not None:
            name, qualifiers = _split_qualifiers(bare)
            readings.append(UnitReading(key, kind, bare))
            if qualifiers:
                prefix = key[: len(key) - len(bare)]
                readings.append(UnitReading(prefix + name, kind, name, qualifiers))
            if key.split()[0] in _AMBIGUOUS_TYPE_WORDS:
                readings.append(UnitReading(key, None, key))
        else:
            readings.append(UnitReading(key, None, key))
    return readings


# Type words of a place, longest first ("thị xã" before "xã"); "quận" is a district.
_PLACE_WORDS = sorted(
    (w for w, k in KIND_WORDS.items() if k in PREFIX_KINDS and w != "tp"), key=len, reverse=True
)
# Words before the place in an issuer's name: its committee or council, its chairman.
_COMMITTEE_WORDS = frozenset(
    ["ubnd", "hdnd", "uy", "ban", "nhan", "dan", "hoi", "dong", "chu", "tich"]
)


def place_of(issuer: str) -> tuple[str, str] | None:
    """The place an issuer's name names, as (kind, type word and name as written), or
    None when it names none: a plan of "UBND xã Sơn Dương" is the commune's own.

    >>> place_of("UBND xã Sơn Dương")
    ('xa', 'xã Sơn Dương')
    >>> place_of("ỦY BAN NHÂN DÂN THỊ XÃ SƠN TÂY")
    ('thi_xa', 'thị xã Sơn Tây')
    >>> place_of("UBND phường 3")
    ('phuong', 'phường 3')
    >>> place_of("Sở Tư pháp"), place_of("BẢO HIỂM XÃ HỘI TỈNH")
    (None, None)
    """
    words = nfc(issuer).split()
    keys = [fold(w) for w in words]
    for start in range(len(words)):
        if start and keys[start - 1] not in _COMMITTEE_WORDS:
            return None
        for word in _PLACE_WORDS:
            size = len(word.split())
            if " ".join(keys[start : start + size]) != word or start + size >= len(words):
                continue
            name = words[start + size :]
            if all(w.isupper() for w in name):
                name = [w.capitalize() for w in name]
            if not (name[0][:1].isupper() or name[0].isdigit()):  # "xã hội": no place
                continue
            typed = " ".join(words[start : start + size]).lower()
            return KIND_WORDS[word], f"{typed} {' '.join(name)}"
    return None
