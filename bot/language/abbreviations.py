"""Abbreviations officials and documents use, expanded on the fold key.

Expansion works on whole tokens of a fold key and tries the longest abbreviation
first (``ttpvhcc`` before ``tt``). ``tt`` is read from its context: ``tt`` before a
number is a circular (*thông tư*), before ``pvhcc``/``hcc`` or a known centre word it
is a centre (*trung tâm*); elsewhere it could be a centre or a township (*thị trấn*),
so :func:`alternatives` offers both and :func:`expand` leaves it alone.

The bodies plans assign work to are written short too (``CA xã``, ``BCH QS``, ``HND``,
``ĐTN``, ``Hội LHPN``, ``MTTQ``, ``BHXH``, ``KBNN``, ``CC Thuế``, ``CC TP-HT``): their
abbreviations are in the same table. Short ones that are also words or other
abbreviations elsewhere are read in unit names only (:data:`NAMES_ONLY`: ``tn`` is
*thanh niên* in "Đoàn TN", *tiếp nhận* in a report), and two are read from the word
after them (:data:`BY_NEXT_WORD`): ``ca`` is *công an* before a type word ("CA xã",
never "Cà Mau"), ``cc`` is *công chức* before an officer's field ("CC Tư pháp").
"""

from __future__ import annotations

import re

from bot.language.normalize import fold

# Folded abbreviation (one or more tokens) → folded expansion.
ABBREVIATIONS: dict[str, str] = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "vp": "van phong",
    "ttpvhcc": "trung tam phuc vu hanh chinh cong",
    "pvhcc": "phuc vu hanh chinh cong",
    "tthc": "thu tuc hanh chinh",
    "dvc": "dich vu cong",
    "dvctt": "dich vu cong truc tuyen",
    "dvcqg": "dich vu cong quoc gia",
    "qg": "quoc gia",
    "kq": "ket qua",
    "bpmc": "bo phan mot cua",
    "tn tkq": "tiep nhan tra ket qua",
    "tnvtkq": "tiep nhan va tra ket qua",
    "tx": "thi xa",
    "tp": "thanh pho",
    "dk": "dac khu",
    "nv": "nhiem vu",
    "hs": "ho so",
    "ht": "hoan thanh",
    "p": "phuong",
    "f": "phuong",
    "x": "xa",
    "q": "quan",
    "h": "huyen",
    # the bodies a plan names (mass organisations, sector agencies, officers)
    "ub": "uy ban",
    "bch": "ban chi huy",
    "bchqs": "ban chi huy quan su",
    "chqs": "chi huy quan su",
    "qs": "quan su",
    "hnd": "hoi nong dan",
    "nd": "nong dan",
    "dtn": "doan thanh nien",
    "tn": "thanh nien",
    "tncs": "thanh nien cong san",
    "hlhpn": "hoi lien hiep phu nu",
    "lhpn": "lien hiep phu nu",
    "pn": "phu nu",
    "hccb": "hoi cuu chien binh",
    "ccb": "cuu chien binh",
    "mttq": "mat tran to quoc",
    "ubmttq": "uy ban mat tran to quoc",
    "bhxh": "bao hiem xa hoi",
    "kbnn": "kho bac nha nuoc",
    "cct": "chi cuc thue",
    "cc thue": "chi cuc thue",
    "ttyt": "trung tam y te",
    "tyt": "tram y te",
    "tp ht": "tu phap ho tich",
    "tpht": "tu phap ho tich",
    "vh xh": "van hoa xa hoi",
    "vhxh": "van hoa xa hoi",
    "dc xd": "dia chinh xay dung",
    "dcxd": "dia chinh xay dung",
    "tc kt": "tai chinh ke toan",
    "tckt": "tai chinh ke toan",
    "vp tk": "van phong thong ke",
    "vptk": "van phong thong ke",
}

# Read only in unit names: elsewhere they are other words ("tn" *tiếp nhận*, "nd" *nội
# dung*, "pn", "qs", "ccb" in a report's prose).
NAMES_ONLY = frozenset({"nd", "tn", "pn", "qs", "ccb", "ub"})

# Read only before one of the words given (one or two): "ca" is a fish and "Cà Mau"
# elsewhere ("Ca Thành" is a commune), "cc" a Chi cục as often as a Công chức.
_TYPE_NEXT = frozenset(
    {"xa", "phuong", "huyen", "tinh", "quan", "tx", "tp", "x", "p", "h", "q", "f", "dk", "tt"}
    | {"thi xa", "thi tran", "thanh pho", "dac khu"}
)
_FIELD_NEXT = frozenset(
    [
        "tu",
        "tp",
        "tpht",
        "van",
        "vh",
        "vhxh",
        "dia",
        "dc",
        "dcxd",
        "tai",
        "tc",
        "tckt",
        "vp",
        "vptk",
        "lao",
        "ke",
    ]
)
BY_NEXT_WORD: dict[str, tuple[str, frozenset[str]]] = {
    "ca": ("cong an", _TYPE_NEXT),
    "cc": ("cong chuc", _FIELD_NEXT),
}

# Words after ``tt`` that make it a centre (trung tâm).
_CENTRE_HINTS = {"pvhcc", "phuc", "hcc", "y", "van", "dich", "cong", "ky", "phat", "giao"}

# ``p12``, ``f1``, ``q3``: a ward or district letter glued to its number (``x4`` is OCR for
# ``xã``, see variants).
_GLUED = re.compile(r"^([pfq])(\d{1,2})$")

# Abbreviations that never occur in unit names ("hs" there is more likely a typo of "hà").
NOT_IN_NAMES = frozenset({"tthc", "dvc", "dvctt", "nv", "hs", "ht"})

_MAX_WORDS = max(len(k.split()) for k in ABBREVIATIONS)


def _expand_tokens(
    tokens: list[str], tt: str | None, names: bool = False, short: bool = True
) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
            chunk = " ".join(tokens[i : i + size])
            if chunk in ABBREVIATIONS and not (
                (names and chunk in NOT_IN_NAMES)
                or ((not names or not short) and chunk in NAMES_ONLY)
            ):
                out.append(ABBREVIATIONS[chunk])
                i += size
                break
        else:
            token = tokens[i]
            glued = _GLUED.match(token)
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            after = (following, " ".join(tokens[i + 1 : i + 3]))
            if names and token in BY_NEXT_WORD and not BY_NEXT_WORD[token][1].isdisjoint(after):
                out.append(BY_NEXT_WORD[token][0])
            elif glued:
                out.append(f"{ABBREVIATIONS[glued.group(1)]} {glued.group(2)}")
            elif token == "tt":
                if following[:1].isdigit():
                    out.append("thong tu")
                elif following in _CENTRE_HINTS:
                    out.append("trung tam")
                else:
                    out.append(tt or token)
            else:
                out.append(token)
            i += 1
    return out


def expand(text: str) -> str:
    """The fold key of ``text`` with abbreviations written out.

    >>> expand("UBND P. Ngô Quyền")
    'uy ban nhan dan phuong ngo quyen'
    >>> expand("TTPVHCC tỉnh")
    'trung tam phuc vu hanh chinh cong tinh'
    """
    return " ".join(_expand_tokens(fold(text).split(), None))


def alternatives(text: str, *, names: bool = False) -> list[str]:
    """Every reading of ``text``: one, or two when ``tt`` could be a centre or a township.

    With ``names``, ``text`` is a unit's name: abbreviations that only occur in
    reports (``nv``, ``hs``, ``ht``…) are left as written, and the short ones of
    :data:`NAMES_ONLY` are read both ways, written out first ("Đoàn TN"), then as
    written ("Tn Lập" is "Tân Lập" with a letter missing).
    """
    tokens = fold(text).split()
    first = " ".join(_expand_tokens(tokens, None, names))
    both = names and any(t in NAMES_ONLY for t in tokens)
    shorts = (True, False) if both else (True,)
    if "tt" not in first.split():
        readings = [" ".join(_expand_tokens(tokens, None, names, s)) for s in shorts]
    else:
        readings = [
            " ".join(_expand_tokens(tokens, word, names, s))
            for s in shorts
            for word in ("thi tran", "trung tam")
        ]
    return list(dict.fromkeys(readings))
