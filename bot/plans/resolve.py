"""Resolving the units a plan names to the deployment's units. Pure: no I/O.

Plans write responsible units loosely. Three kinds of expression:

- a **group**: "UBND các xã, phường", "UBND cấp xã" (every commune, ward and special
  zone: one assignment each), "Các phòng, ban chuyên môn", "các phòng, ban, ngành"
  (every department);
- a **vague** mention with nobody in particular: "Các cơ quan, đơn vị có liên quan" —
  kept as written, assigned to no one;
- a **name**: matched with :class:`bot.matching.UnitCatalogue` (match / ask / none).

Nothing is dropped: an expression that resolves to nobody is reported as unresolved.
"""

from __future__ import annotations

import enum
import itertools
import re
import zlib
from dataclasses import dataclass, field
from datetime import date, time
from functools import cached_property

from bot.language.abbreviations import alternatives
from bot.language.normalize import fold, nfc, plain, set_apart
from bot.language.units import BODY_KINDS, CODED_KINDS, KIND_WORDS, place_of
from bot.language.variants import is_strict_syllable, is_syllable
from bot.matching import Decision, UnitCatalogue, UnitEntry, UnitMatch
from bot.plans.model import Duty, PlanDraft, PlanWarning, TaskDraft, WarningKind

LOCAL_KINDS = frozenset({"xa", "phuong", "dac_khu", "thi_tran"})
ADMIN_KINDS = LOCAL_KINDS | {"tinh", "thanh_pho", "huyen", "thi_xa"}


class Group(enum.StrEnum):
    ALL = "all"  # every department and every commune, ward and special zone
    LOCAL = "local"  # every commune, ward, special zone
    COMMUNES = "communes"  # every commune (xã) only
    WARDS = "wards"  # every ward only
    DEPARTMENTS = "departments"  # every department, office, centre


# Fold-key patterns, tried on the expression with its decorations removed.
_GROUPS: list[tuple[re.Pattern[str], Group]] = [
    # "Các cơ quan, đơn vị và địa phương", "Các phòng, ban ngành, địa phương …"
    (re.compile(r"\b(co quan|don vi|phong|ban|nganh)\b.*\bdia phuong\b"), Group.ALL),
    (
        re.compile(
            r"\b(cap xa|cac xa phuong|cac phuong xa|xa phuong thi tran|cac xa thi tran"
            r"|cac dia phuong)\b"
        ),
        Group.LOCAL,
    ),
    (re.compile(r"\bcac xa\b"), Group.COMMUNES),
    (re.compile(r"\bcac phuong\b"), Group.WARDS),
    (
        re.compile(
            r"\bcac (phong|so)( ban)?( nganh)?( chuyen mon| thuoc| truc thuoc| lien quan|$)"
        ),
        Group.DEPARTMENTS,
    ),
    (re.compile(r"\b(phong ban chuyen mon|phong ban nganh|so ban nganh)\b"), Group.DEPARTMENTS),
]
# The words groups are written with ("UBND các xã, thị trấn"), besides the units' own.
_GROUP_TEXT = (
    "ubnd uy ban nhan dan cac cap xa phuong thi tran dac khu huyen thanh pho phong so ban "
    "nganh chuyen mon co quan don vi dia"
)
_GROUP_WORDS = frozenset(_GROUP_TEXT.split())
# Words of "whoever is concerned" mentions ("Các cơ quan, đơn vị có liên quan"): an
# expression made only of these names nobody in particular.
_VAGUE_TEXT = (
    "cac co quan don vi to chuc ca nhan lien khac duoc giao chu tri theo ke hoach va cb can bo "
    "cong chuc vien tham gia thuc hien nhung khi yeu cau quyen"
)
_VAGUE_WORDS = frozenset(_VAGUE_TEXT.split())
# Words around a unit name that are not part of it.
_DECORATION = re.compile(
    r"\b(chu tri|phoi hop|tham gia( gop y)?|thuc hien|co y kien|theo ke hoach|theo chuc nang"
    r"( nhiem vu)?( duoc giao)?|tuong ung|lien quan)\b"
)


@dataclass(frozen=True)
class UnitRef:
    """One unit expression as written and what it resolved to."""

    text: str
    units: tuple[UnitEntry, ...] = ()
    group: Group | None = None
    vague: bool = False
    match: UnitMatch | None = None  # for a name

    @property
    def resolved(self) -> bool:
        return bool(self.units) or self.vague

    @property
    def unsure(self) -> bool:
        return self.match is not None and self.match.decision is Decision.ASK


def _group_members(group: Group, catalogue: UnitCatalogue) -> tuple[UnitEntry, ...]:
    if group is Group.ALL:
        return tuple(e for e in catalogue.entries if e.kind not in ADMIN_KINDS - LOCAL_KINDS)
    if group is Group.LOCAL:
        kinds = LOCAL_KINDS
    elif group is Group.COMMUNES:
        kinds = frozenset({"xa"})
    elif group is Group.WARDS:
        kinds = frozenset({"phuong"})
    else:  # the departments: the police, a mass organisation or an officer is none
        return tuple(
            e for e in catalogue.entries if e.kind in CODED_KINDS and e.kind not in ADMIN_KINDS
        )
    return tuple(e for e in catalogue.entries if e.kind in kinds)


def resolve_unit(text: str, catalogue: UnitCatalogue) -> UnitRef:
    """Resolve one unit expression as a plan writes it; one whose words OCR ran together
    ("SởNộivụ", "Bảo hiểmxã hội tỉnh", "UBNDcáchuyện") as it reads with them apart."""
    ref = _resolve(text, catalogue)
    if not ref.resolved and not ref.vague:
        apart = words_apart(text, catalogue.words | _GROUP_WORDS)
        if apart != text:
            again = _resolve(apart, catalogue)
            if again.resolved:
                return UnitRef(text, again.units, group=again.group, match=again.match)
    return ref


def words_apart(text: str, known: frozenset[str]) -> str:
    """``text`` with the words OCR ran together set apart: at a capital after a small
    letter ("SởNộivụ"), after an acronym ("UBNDcác"), and a word no syllable spells cut
    into syllables that are all words of ``known`` (the units' names: "hiểmxã" → "hiểm
    xã", "cáchuyện" → "các huyện", not "cá chuyện"); a word with no such cut is left."""
    out = []
    for token in set_apart(text).split():
        head = len(token) - len(token.lstrip(_PUNCTUATION))
        tail = len(token.rstrip(_PUNCTUATION))
        word = token[head:tail]
        out.append(token[:head] + (_syllables(word, known) or word) + token[tail:])
    return " ".join(out)


_PUNCTUATION = ",.;:()\"'“”‘’-–"


_MAX_SYLLABLES = 4  # a run of more is no unit's name


def _syllables(word: str, known: frozenset[str]) -> str | None:
    """``word`` cut into the fewest syllables, all words of ``known``; None when it is a
    syllable itself, or no cut (or more than one of the fewest) gives known words."""
    key = fold(word)
    if len(key) != len(word) or " " in key or is_syllable(key) or not key.isalpha():
        return None
    best: list[list[int]] = []
    for parts in range(2, _MAX_SYLLABLES + 1):
        for cuts in itertools.combinations(range(1, len(key)), parts - 1):
            bounds = [0, *cuts, len(key)]
            pieces = [key[a:b] for a, b in itertools.pairwise(bounds)]
            if all(p in known and is_syllable(p) for p in pieces):
                best.append(bounds)
        if best:
            break
    if len(best) != 1:
        return None
    return " ".join(word[a:b] for a, b in itertools.pairwise(best[0]))


def _resolve(text: str, catalogue: UnitCatalogue) -> UnitRef:
    key = fold(text.replace("&", " và "))
    bare = " ".join(_DECORATION.sub(" ", key).split())
    if not bare:
        return UnitRef(text)
    for pattern, group in _GROUPS:
        if pattern.search(bare):
            return UnitRef(text, _group_members(group, catalogue), group=group)
    if set(key.split()) <= _VAGUE_WORDS:
        return UnitRef(text, vague=True)
    match = catalogue.match(_strip_decorations(text))
    if match.decision is Decision.MATCH and match.unit is not None:
        return UnitRef(text, (match.unit,), match=match)
    return UnitRef(text, match=match)


# A name the office may create as a unit: a few words, not a sentence the parser kept.
MAX_NEW_UNIT_WORDS = 15
MAX_NEW_UNIT_CHARS = 200


# Words of a name that say nothing of which unit it is ("Công chức chuyên môn", "Cán bộ,
# công chức"): a name made only of these is a group of people, not a unit.
_GENERIC_TEXT = "cac nhung chuyen mon lien quan khac bo phan can cong chuc va cua don vi co"
_GENERIC_WORDS = frozenset(_GENERIC_TEXT.split())
# "… của phường": the issuer's own, said of a unit ("Bộ phận một cửa của phường").
_OF_THE_ISSUER = ("xa", "phuong", "thi xa", "thi tran", "huyen", "tinh", "thanh pho", "dac khu")


def _name_key(name: str) -> str:
    """A name's key: folded, abbreviations written out, "&" read as "và"."""
    return alternatives(name.replace("&", " và "), names=True)[0]


# The bodies every commune, ward and district has its own of: a plan naming one by its
# kind alone ("Đoàn Thanh niên") means the issuer's.
_LOCAL_BODIES = frozenset(
    {
        "cong an",
        "ban chi huy quan su",
        "hoi nong dan",
        "doan thanh nien",
        "hoi lien hiep phu nu",
        "hoi phu nu",
        "hoi cuu chien binh",
        "mat tran to quoc",
        "uy ban mat tran to quoc",
        "dang uy",
    }
)
# Every committee's one-stop desk, by either of its names.
_DESKS = {
    "bo phan mot cua": "Bộ phận Một cửa",
    "bo phan tiep nhan va tra ket qua": "Bộ phận Tiếp nhận và Trả kết quả",
}
# Kind words that with a level word name no single body ("Công chức xã": its officers).
_NOT_OWN_BODIES = frozenset({"cong chuc", "chi cuc", "hop tac xa", "benh vien", "truong", "doi"})
_OWN_BODIES = {
    **{key: kind for key, kind in BODY_KINDS.items() if key not in _NOT_OWN_BODIES},
    **_DESKS,
}
_BODIES_LONGEST = sorted(_OWN_BODIES, key=len, reverse=True)


def own_name(text: str, issuer: str | None) -> str | None:
    """The full name of the issuer's own body that a plan names by its kind alone, or by
    its kind and the issuer's level ("Công an xã" in a plan of UBND xã Sơn Dương is
    "Công an xã Sơn Dương"); None for any other name, or when the issuer names no place.
    Every commune has a "Công an xã": the place is what tells them apart.

    >>> own_name("Đoàn Thanh niên (phối hợp)", "UBND xã Sơn Dương")
    'Đoàn Thanh niên xã Sơn Dương'
    >>> own_name("BCH QS phường", "UBND phường Trung Lương")
    'Ban Chỉ huy Quân sự phường Trung Lương'
    >>> own_name("Bộ phận tiếp nhận và trả kết quả của phường", "UBND phường Trung Lương")
    'Bộ phận Tiếp nhận và Trả kết quả phường Trung Lương'
    >>> [own_name(t, "UBND xã Sơn Dương") for t in ("Công an huyện", "Công an xã Hợp Hải")]
    [None, None]

    So is a commune's civil servant named by title alone (every commune has one):

    >>> own_name("Công chức Tư pháp - Hộ tịch (chủ trì)", "UBND phường Hà Cầu")
    'Công chức Tư pháp - Hộ tịch phường Hà Cầu'
    >>> own_name("Công chức chuyên môn", "UBND xã Sơn Dương")  # officers, no title
    >>> own_name("Công chức Tư pháp", "UBND huyện Sơn Tây")  # not a commune's plan
    """
    place = place_of(issuer) if issuer else None
    if place is None:
        return None
    level, where = place
    key = _name_key(_strip_decorations(text))
    for body in _BODIES_LONGEST:
        local = body in _LOCAL_BODIES or body in _DESKS
        if key == body:
            return f"{_OWN_BODIES[body]} {where}" if local else None
        rest = key[len(body) + 1 :] if key.startswith(body + " ") else None
        if rest is not None:
            rest = rest.removeprefix("cua ")  # "… của phường": the issuer's
            return f"{_OWN_BODIES[body]} {where}" if KIND_WORDS.get(rest) == level else None
    return _commune_officer(text, level, where)


def _place(issuer: str | None) -> tuple[str, str, str] | None:
    """(level, type word of the issuer's place as folded, the place's name) of a plan of
    ``issuer``: ("xa", "xa", "Sơn Dương"); None when it names no place."""
    place = place_of(issuer) if issuer else None
    if place is None:
        return None
    level, where = place
    typed = next(w for w in _TYPE_WORDS if fold(where).startswith(w + " "))
    return level, typed, " ".join(where.split()[len(typed.split()) :])


_TYPE_WORDS = sorted(KIND_WORDS, key=len, reverse=True)


def _department(issuer: str | None) -> tuple[str, str, str] | None:
    """("so", "so", "Tư pháp") for a plan a department issued ("Sở Tư pháp"), whose
    offices it names "Văn phòng Sở", "Thanh tra Sở"; None otherwise."""
    words = (issuer or "").split()
    if len(words) < 2 or fold(words[0]) != "so":
        return None
    return "so", "so", " ".join(words[1:])


def is_issuer(text: str, issuer: str | None) -> bool:
    """Whether a plan of ``issuer`` names its issuer itself as a unit: "UBND", "UBND
    xã", "Ủy ban nhân dân phường" in the plan of a commune or ward (not "UBND cấp xã",
    "UBND các xã": every commune)."""
    place = _place(issuer)
    if place is None:
        return False
    key = _name_key(_strip_decorations(text))
    return key in ("uy ban nhan dan", f"uy ban nhan dan {place[1]}")


# The committee's office, named without its place ("Văn phòng HĐND và UBND")
_COMMITTEE_OFFICE = frozenset(
    {
        "van phong hoi dong nhan dan va uy ban nhan dan",
        "van phong uy ban nhan dan",
    }
)


def _typed_place(issuer: str | None) -> str:
    """The issuer's place with its type word as written: "xã Kim Sơn"."""
    place = place_of(issuer) if issuer else None
    return place[1] if place else ""


def placed_name(text: str, issuer: str | None) -> str | None:
    """A name ending with the issuer's type word alone, with the issuer's place after it
    ("Văn phòng HĐND và UBND xã" in a plan of UBND xã Tân Lập is "Văn phòng HĐND và UBND
    xã Tân Lập": every commune has one); None for any other name.

    >>> placed_name("Văn phòng HĐND và UBND xã (chủ trì)", "UBND xã Tân Lập")
    'Văn phòng HĐND và UBND xã Tân Lập'
    >>> [placed_name(t, "UBND xã Tân Lập") for t in ("Hợp tác xã", "Phòng Tư pháp huyện")]
    [None, None]
    >>> placed_name("Kho bạc Nhà nước khu vực X", "UBND xã Tân Lập")  # a numeral, no "x."

    So is the committee's office named without a place (every committee has one):

    >>> placed_name("Văn phòng HĐND&UBND", "UBND xã Kim Sơn")
    'Văn phòng HĐND&UBND xã Kim Sơn'

    A department's plan names its own offices after "Sở" the same way:

    >>> placed_name("Văn phòng Sở", "Sở Tư pháp"), placed_name("Thanh tra Sở", "Sở Nội vụ")
    ('Văn phòng Sở Tư pháp', 'Thanh tra Sở Nội vụ')
    """
    place = _place(issuer) or _department(issuer)
    name = " ".join(_strip_decorations(text).split())
    if place is None or not name:
        return None
    _level, typed, where = place
    key = _name_key(name)
    if key in _COMMITTEE_OFFICE and where and typed != "so":
        return f"{name} {_typed_place(issuer)}"
    before = key.removesuffix(" " + typed)
    last = name.split()[-1]
    if (
        before == key
        or (last.isupper() and not last.strip("IVXLC"))  # "Kho bạc … khu vực X": a numeral
        or len(before.split()) < 2
        or before.startswith(("uy ban nhan dan", "cac ", "nhung "))
        or key.endswith("hop tac xa")
        or not where
    ):
        return None
    return f"{name} {where}"


def creatable_name(text: str, issuer: str | None = None, damaged: bool = False) -> str | None:
    """The unit name an unresolved expression would be created under, or None when it
    is no single unit's name (a group, a vague mention, a list, a bare type word such as
    "UBND" or "Văn phòng", a number, a sentence). A body the plan names by its kind
    alone is the issuer's own, created under the issuer's place (:func:`own_name`).
    Read from ``damaged`` text (repaired OCR), a name with a word that is no Vietnamese
    syllable nor an acronym is OCR's garbling, no unit's name ("Văn phòng HDND&U").

    >>> creatable_name("Công an xã (chủ trì)")
    'Công an xã'
    >>> creatable_name("Bộ phận tiếp nhận và trả kết quả của phường")
    'Bộ phận tiếp nhận và trả kết quả'
    >>> creatable_name("Bộ phận Một cửa xã")
    'Bộ phận Một cửa xã'
    >>> [creatable_name(t) for t in ("UBND các xã, phường", "UBND", "Công chức chuyên môn")]
    [None, None, None]
    >>> creatable_name("Công an xã", "UBND xã Sơn Dương")
    'Công an xã Sơn Dương'
    >>> [creatable_name(t, damaged=True) for t in ("Van phong HDND&U", "Cong chitc Van hoa")]
    [None, None]

    An office holder's office is created, not the holder (:func:`office_held`):

    >>> creatable_name("Trưởng Công an phường Lê Lợi")
    'Công an phường Lê Lợi'
    """
    text = office_held(text) or text
    own = own_name(text, issuer)
    if own is not None:
        return own
    if is_issuer(text, issuer):
        return None  # the issuer itself, not a unit to create under it
    name = _written_name(text, damaged)
    if name is None:
        return None
    return placed_name(text, issuer) or name


def _commune_officer(text: str, level: str, where: str) -> str | None:
    """A commune's civil servant its plan names by title ("Công chức Tư pháp - Hộ tịch"
    in a plan of xã Tân Lập: "Công chức Tư pháp - Hộ tịch xã Tân Lập"), for
    :func:`own_name`; None for any other name, or a plan of no commune, ward or town."""
    name = _written_name(text, damaged=False)
    if level not in _COMMUNE_LEVELS or name is None:
        return None
    key = _name_key(name)
    typed = fold(where).split()[0]  # "xa" of "xã Tân Lập"
    if not key.startswith("cong chuc ") or key.endswith(" " + typed) or fold(where) in key:
        return None  # (one ending "xã" is placed_name's: "Công chức xã" → "… xã Tân Lập")
    return f"{name} {where}"


_COMMUNE_LEVELS = frozenset({"xa", "phuong", "thi_tran"})


def _written_name(text: str, damaged: bool) -> str | None:
    """The name as written (its decorations and "của <the issuer>" left out) when it is
    a single unit's, for :func:`creatable_name`."""
    name = " ".join(_strip_decorations(text).split())
    if damaged and not _spelt(name):
        return None
    words = name.split()
    for size in (1, 2):
        of = words[-size - 1] if len(words) > size + 1 else ""
        # "của" (of), not "cửa" (door: "Bộ phận Một cửa xã"); unaccented, "một cua"
        # is the one-stop desk too
        if of.lower() not in ("của", "cua") or fold(words[-size - 2]) == "mot":
            continue
        if fold(" ".join(words[-size - 1 :])) in {f"cua {w}" for w in _OF_THE_ISSUER}:
            name = " ".join(words[: -size - 1])
            break
    if not name or not any(c.isalpha() for c in name) or ":" in name:
        return None
    if len(name) > MAX_NEW_UNIT_CHARS or len(name.split()) > MAX_NEW_UNIT_WORDS:
        return None
    key = fold(text.replace("&", " và "))
    bare = " ".join(_DECORATION.sub(" ", key).split())
    if not bare or any(p.search(bare) for p, _ in _GROUPS) or set(key.split()) <= _VAGUE_WORDS:
        return None
    expanded = _name_key(name)
    if (
        expanded in KIND_WORDS
        or expanded in BODY_KINDS
        or expanded in ("uy ban nhan dan", "uy ban")
        or expanded.split()[0] in ("cac", "nhung")
        or set(expanded.split()) <= _GENERIC_WORDS
        or " va cac " in f" {expanded} "
    ):
        return None
    return name


_PIECES = re.compile(r"[\s&/,.;:()\-–]+")


def _spelt(name: str) -> bool:
    """Every word of ``name`` a Vietnamese syllable ("Văn", "huyen"), an acronym ("HĐND",
    "VP") or a number; acronyms joined by "&" both whole ("HĐND&UBND", not "HDND&U")."""
    for word in name.split():
        if "&" in word and not all(
            len(p) > 1 and p.isupper() for p in word.strip(".,;:").split("&")
        ):
            return False
        for piece in _PIECES.split(word):
            if piece and not (
                piece.isdigit()
                or (len(piece) > 1 and piece.isalpha() and piece.isupper())
                or is_strict_syllable(fold(piece))
            ):
                return False
    return True


def new_unit_key(name: str) -> int:
    """A short number naming a unit still to be created (a button carries it): the same
    for every way of writing one name ("BCH QS thị xã", "Ban Chỉ huy Quân sự thị xã"),
    never 0 (0 is "every one")."""
    return zlib.crc32(alternatives(name, names=True)[0].encode()) or 1


def new_unit_names(
    written: list[str], issuer: str | None = None, damaged: bool = False
) -> dict[int, str]:
    """The units these unresolved expressions of a plan of ``issuer`` (read from
    ``damaged`` text or not) would create: key → name, one per unit, named by its longest
    way of writing (the abbreviations written out)."""
    found: dict[int, str] = {}
    for text in written:
        name = creatable_name(text, issuer, damaged)
        if name is None:
            continue
        key = new_unit_key(name)
        if len(name) > len(found.get(key, "")):
            found[key] = name
    return found


def _strip_decorations(text: str) -> str:
    """The written name without role words ("… chủ trì", "(có ý kiến)")."""
    cleaned = re.sub(r"\([^)]*\)", " ", text)
    words = cleaned.split()
    while words and fold(" ".join(words[-2:])) in {"chu tri", "phoi hop", "thuc hien"}:
        words = words[:-2]
    return " ".join(words).strip(" .,;:-")


@dataclass
class ResolvedTask:
    draft: TaskDraft
    lead: list[UnitRef] = field(default_factory=list)
    cooperating: list[UnitRef] = field(default_factory=list)

    def units(self) -> dict[int, tuple[UnitEntry, str]]:
        """Every responsible unit once: id → (unit, "lead" | "cooperate"); lead wins."""
        found: dict[int, tuple[UnitEntry, str]] = {}
        for ref in self.lead:
            for unit in ref.units:
                found[unit.id] = (unit, "lead")
        for ref in self.cooperating:
            for unit in ref.units:
                found.setdefault(unit.id, (unit, "cooperate"))
        return found


_WEEKDAYS = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}
_WEEKDAY = re.compile(r"\bthu (hai|ba|tu|nam|sau|bay|[2-7])\b|\bchu nhat\b")
_HOUR = re.compile(r"\b(\d{1,2}) ?(?:gio|h)(?: ?(\d{1,2}) ?(?:phut)?)?\b")


def duty_day_and_time(text: str) -> tuple[int | None, time | None]:
    """The weekday (Monday 0) and the hour a weekly report is due, as the text says it
    ("từ 16 giờ đến 16 giờ 15 phút ngày thứ Năm hằng tuần" → 3, 16:00)."""
    key = fold(text)
    weekday = None
    day = _WEEKDAY.search(key)
    if day is not None:
        word = day.group(1)
        weekday = 6 if word is None else (int(word) - 2 if word.isdigit() else _WEEKDAYS[word])
    hour = _HOUR.search(key)
    due = None
    if hour is not None and int(hour.group(1)) < 24 and int(hour.group(2) or 0) < 60:
        due = time(int(hour.group(1)), int(hour.group(2) or 0))
    return weekday, due


@dataclass
class ResolvedDuty:
    """A reporting duty of the plan and the units it falls on."""

    duty: Duty
    units: tuple[UnitEntry, ...] = ()

    @cached_property
    def _day_and_time(self) -> tuple[int | None, time | None]:
        if self.recurrence != "weekly":
            return None, None
        return duty_day_and_time(self.duty.text)

    @property
    def weekday(self) -> int | None:
        return self._day_and_time[0]

    @property
    def due_time(self) -> time | None:
        return self._day_and_time[1]

    @property
    def recurrence(self) -> str | None:
        cadences = self.duty.timeframe.cadences
        return _RECURRENCE[cadences[0].value] if cadences else None


_LOCAL_DUTY = re.compile(r"\b(cac xa|xa phuong|cap xa|dia phuong|cac phuong)\b")


def resolve_duty(duty: Duty, catalogue: UnitCatalogue) -> ResolvedDuty:
    """The units a duty names: one found in its text, and every commune and ward when it
    speaks of them ("UBND các xã, phường báo cáo …")."""
    units: dict[int, UnitEntry] = {}
    found = catalogue.find_in(duty.text)
    if found is not None and found.match.unit is not None:
        units[found.match.unit.id] = found.match.unit
    if _LOCAL_DUTY.search(fold(duty.text)):
        units.update((u.id, u) for u in _group_members(Group.LOCAL, catalogue))
    return ResolvedDuty(duty, tuple(units.values()))


@dataclass
class ResolvedPlan:
    draft: PlanDraft
    tasks: list[ResolvedTask]
    duties: list[ResolvedDuty] = field(default_factory=list)

    @property
    def warnings(self) -> list[PlanWarning]:
        return self.draft.warnings

    def refs(self) -> list[tuple[ResolvedTask, UnitRef]]:
        return [(t, r) for t in self.tasks for r in (*t.lead, *t.cooperating)]


def issuer_unit(issuer: str | None, catalogue: UnitCatalogue) -> UnitEntry | None:
    """The catalogue's unit that issued the plan, when the matcher is sure of it and, for
    an issuer naming a place, that place is the unit's by its name, an alias or a former
    name ("UBND xã Tân Lập": "Xã Tân Quang", which took Tân Lập in; not a commune merely
    alike)."""
    if not issuer:
        return None
    match = catalogue.match(issuer)
    if match.decision is not Decision.MATCH or match.unit is None:
        return None
    written = place_of(issuer)
    if written is None:
        return match.unit  # an issuer named otherwise ("Sở Tư pháp"): the matcher's word
    unit = match.unit
    places = (place_of(name) for name in (unit.name, *unit.aliases, *unit.former))
    same = any(p is not None and fold(p[1]) == fold(written[1]) for p in places)
    return unit if same else None


def issuer_name(issuer: str | None, catalogue: UnitCatalogue) -> str | None:
    """The issuer as the deployment names its place, where the catalogue knows it for
    sure ("Phường Hà Giang 1" for a plan of "UBND phuong Ha Giang 1": its own bodies are
    named with the place's marks), else as written."""
    unit = issuer_unit(issuer, catalogue)
    return unit.name if unit is not None and place_of(unit.name) else issuer


def resolve_plan(draft: PlanDraft, catalogue: UnitCatalogue) -> ResolvedPlan:
    """Resolve every unit of every task; warn about what resolved to nobody."""
    cache: dict[str, UnitRef] = {}
    issuer = issuer_name(draft.issuer, catalogue)

    def ref(text: str) -> UnitRef:
        key = fold(text)
        if key not in cache:
            cache[key] = resolve_in_plan(text, issuer, catalogue)
        found = cache[key]
        return (
            found
            if found.text == text
            else UnitRef(text, found.units, found.group, found.vague, found.match)
        )

    tasks = []
    reported: set[tuple[str, str]] = set()
    for task in draft.tasks:
        resolved = ResolvedTask(
            task, [ref(t) for t in task.lead], [ref(t) for t in task.cooperating]
        )
        tasks.append(resolved)
        for unit_ref in (*resolved.lead, *resolved.cooperating):
            kind = None
            if unit_ref.unsure:
                kind = WarningKind.UNSURE_UNIT
            elif not unit_ref.resolved:
                kind = WarningKind.UNRESOLVED_UNIT
            if kind is not None and (kind, fold(unit_ref.text)) not in reported:
                reported.add((kind, fold(unit_ref.text)))
                choices = unit_ref.match.candidates[:3] if unit_ref.match else ()
                candidates = tuple((c.entry.id, c.entry.name) for c in choices)
                draft.warnings.append(PlanWarning(kind, task.code, unit_ref.text, candidates))
    duties = [
        resolve_duty(d, catalogue)
        for d in draft.duties
        if d.timeframe.kind.value == "recurring" and d.timeframe.cadences
    ]
    return ResolvedPlan(draft, tasks, duties)


def resolve_in_plan(text: str, issuer: str | None, catalogue: UnitCatalogue) -> UnitRef:
    """Resolve a unit expression of a plan of ``issuer``. "UBND (xã)" is the issuer
    itself (:func:`is_issuer`). A body named by its kind alone is the issuer's own
    (:func:`own_name`; so is a commune's civil servant named by title): found by its
    full name, or as written only where a unit has exactly that name or alias (the
    office's word for it); never one of another place ("Công an tỉnh" for "Công an xã",
    another commune's "Công chức Tư pháp - Hộ tịch"), which the matcher would offer for
    the shared words, and offered to choose only among its place's units. Another name
    ending with the issuer's type word is looked for with the place after it
    (:func:`placed_name`), then as the matcher reads it. A name found nowhere that is an
    office holder's is the office's (:func:`office_held`: "Chủ tịch UBND thị trấn" is the
    issuer, "Trưởng phòng Nội vụ" the Phòng Nội vụ)."""
    ref = _resolve_in_plan(text, issuer, catalogue)
    if not ref.units:
        office = office_held(text)
        held = _resolve_in_plan(office, issuer, catalogue) if office else None
        if held is not None and held.units:
            return UnitRef(text, held.units, group=held.group, match=held.match)
    return ref


def _resolve_in_plan(text: str, issuer: str | None, catalogue: UnitCatalogue) -> UnitRef:
    if is_issuer(text, issuer) and issuer is not None:
        found = resolve_unit(issuer, catalogue)
        return UnitRef(text, found.units, match=found.match) if found.resolved else UnitRef(text)
    own = own_name(text, issuer)
    if own is None:
        placed = placed_name(text, issuer)  # found under its place, else as the matcher reads it
        mine = resolve_unit(placed, catalogue) if placed else None
        if mine is not None and mine.resolved:
            return UnitRef(text, mine.units, match=mine.match)
        return resolve_unit(text, catalogue)
    mine = resolve_unit(own, catalogue)
    if mine.resolved:
        return UnitRef(text, mine.units, match=mine.match)
    written = resolve_unit(text, catalogue)
    key = _name_key(_strip_decorations(text))
    if written.units and all(_named(u, key) for u in written.units):
        return written
    # unsure only between units of its place; another commune's "Công an xã Cổ Đông"
    # offered for "Công an xã" of xã Kim Sơn would leave it no way to be created
    where = place_of(issuer) if issuer else None
    ours = (
        mine.unsure
        and mine.match is not None
        and where is not None
        and any(fold(where[1]) in fold(c.entry.name) for c in mine.match.candidates)
    )
    return UnitRef(text, match=mine.match if ours else None)


# A title before the office its holder heads ("Chủ tịch UBND phường …", "Chánh Văn phòng
# …", "Trưởng phòng Nội vụ", "Giám đốc Trung tâm …", "Chỉ huy trưởng Ban Chỉ huy Quân sự
# xã"), after "Đ/c", "Đồng chí"; matched on ``plain`` text (as many characters as the
# text), so "truong" is also "Trường" (a school): see office_held.
_HOLDER = re.compile(
    r"^\s*(?:(?:d/c|dong chi)\s+)?(?:pho\s+)?"
    r"(?:chu tich|chanh|giam doc|thu truong|chi huy truong|truong|lanh dao|bi thu|"
    r"nguoi dung dau)\s+(?=\S)"
)
_SCHOOL = re.compile(r"(?:thcs|thpt|th|tieu hoc|trung hoc|mam non|mau giao|dai hoc|cao dang)\b")
# "… phụ trách văn hóa - xã hội": the holder's portfolio, not the office's name
_PORTFOLIO = re.compile(r"\s+phu trach\b.*$")


def office_held(text: str) -> str | None:
    """The office an office holder named in ``text`` heads ("UBND phường Lê Lợi" of "Chủ
    tịch UBND phường Lê Lợi", "phòng Nội vụ" of "Trưởng phòng Nội vụ", "UBND xã" of
    "Đ/c Phó Chủ tịch UBND xã phụ trách văn hóa - xã hội"), else None. Reports are a
    unit's: the holder's task is the office's. Unmarked "Truong" may be a school's
    "Trường" (kept whole before a school's word, "Truong THCS …"); marked, only
    "Trưởng" is a title."""
    written = nfc(text)
    key = plain(written)
    m = _HOLDER.match(key)
    if m is None:
        return None
    for word in written[: m.end()].split():
        marked = word.lower() != plain(word)
        if plain(word) == "truong" and marked and word.lower() != "trưởng":
            return None  # "Trường …", a school
    if key[m.start() : m.end()].split()[-1:] == ["truong"] and _SCHOOL.match(key, m.end()):
        return None
    end = len(written)
    portfolio = _PORTFOLIO.search(key, m.end())
    if portfolio is not None:
        end = portfolio.start()
    return written[m.end() : end].strip(" ,.;:-") or None


def _named(unit: UnitEntry, key: str) -> bool:
    """Whether ``key`` is the unit's name or one of its aliases, exactly."""
    return any(_name_key(name) == key for name in (unit.name, *unit.aliases))


def timeframe_dict(task: TaskDraft) -> dict[str, object]:
    """The task's timeframe as the command line's JSON contract writes it."""
    timeframe = task.timeframe
    due: date | None = timeframe.due if timeframe else None
    return {
        "text": task.timeframe_text,
        "kind": timeframe.kind.value if timeframe else "unknown",
        "due": due.isoformat() if due else None,
        "recurrence": recurrence_name(task),
    }


_RECURRENCE = {
    "week": "weekly",
    "month": "monthly",
    "quarter": "quarterly",
    "half": "half_yearly",
    "year": "yearly",
}


def recurrence_name(task: TaskDraft) -> str | None:
    """The most frequent cadence of a recurring task, as ``weekly`` … ``yearly``."""
    timeframe = task.timeframe
    if timeframe is None or not timeframe.cadences:
        return None
    return _RECURRENCE[timeframe.cadences[0].value]
