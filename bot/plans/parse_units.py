"""Split a plan's unit cells into lead and cooperating units, as written. Pure: no I/O.

``split_units(text, default)`` reads one cell ("Đơn vị chủ trì", "Cơ quan phối hợp",
or a "Cơ quan, đơn vị thực hiện" cell that states both) and returns ``(lead,
cooperating)``: each a list of unit expressions as written, stripped of the role words
and decorations around them.

How a cell is read:

1. **Items**: lines and "- " bullets, and a role's label after a unit on the same line
   ("Chủ trì: X Phối hợp: Y", a cell's lines joined by OCR; a line's label without its
   colon, "Chủ trì Văn phòng …"); inside them, clauses separated by ";".
2. **Roles**: a clause "X chủ trì" (also "được giao chủ trì", "thực hiện", "triển
   khai thực hiện", "làm đầu mối", "có trách nhiệm") is lead; "Y phối hợp" (also "tham
   gia góp ý", "hỗ trợ", "theo dõi, hướng dẫn") cooperates; "X chủ trì, Y phối hợp" is
   split; "A phối hợp với B chủ trì" makes both lead. A unit without a role word takes
   the role of the next one of its clause that has one ("Các phòng, ban, ngành và UBND
   cấp xã phối hợp" → both cooperate), and so does a clause after the line's first
   ("A; B; C phối hợp" → B cooperates) and the first from a later one's lead ("A; B
   thực hiện"); else the cell's ``default`` ("UBND xã; Trưởng các thôn phối hợp" →
   UBND xã leads in a lead cell) — except that after an explicit "chủ trì" in a lead
   cell, role-less items cooperate ("- X chủ trì. - Y (kiểm soát chất lượng)." → Y
   cooperates).
3. **Decorations**: the words after a unit ("chủ trì tổng hợp, báo cáo", "(có ý
   kiến)", "(theo kế hoạch)", "tham gia góp ý", "theo dõi việc thực hiện …") are
   dropped; parentheses are dropped unless they hold an abbreviation ("(TTPVHCC)").
4. **Units in one clause**: split at ",", " và ", " - ", "/", "+" where the next piece
   starts with a unit head word (UBND, Văn phòng, Phòng, Công an, Trung tâm, Bộ phận, Các …)
   and the piece before is more than a bare head word; lower-case continuations stay
   together when the piece before has "các" ("Các phòng, ban chuyên môn", "UBND các
   xã, phường" are one expression each); "HĐND và UBND" stays together. Without any
   separator, a clause is split before a capitalised head word that follows a complete
   name ("Văn phòng HĐND&UBND Thị xã UBND các xã, phường" → two units), never after a
   linking word ("của", "thuộc", "với", "tại") or a bare head word ("Văn phòng UBND
   tỉnh", "Chủ tịch UBND huyện", "Lãnh đạo UBND xã phụ trách"; "Đ/c", "Đồng chí"
   before an office holder dropped), nor before a head word with no name of its own (its
   owner: "Thanh tra Sở"). A verb's word inside a name ends nothing: "Trung tâm Trợ
   giúp pháp lý", "Ban Quản lý dự án đầu tư xây dựng huyện".
5. **Places named one by one** are each a unit, under the head their list is under:
   "UBND các xã: Cổ Đông, Đường Lâm" (or "(Cổ Đông, Đường Lâm)") → "UBND xã Cổ Đông",
   "UBND xã Đường Lâm" ("UBND các xã, phường: Cổ Đông, Lê Lợi" → "UBND Cổ Đông", "UBND
   Lê Lợi"); "UBND phường Lê Lợi, phường Ngô Quyền" → two. A group alone
   ("UBND các xã, thị trấn") is one expression: every unit of the group.
"""

from __future__ import annotations

import re

from bot.language.normalize import fold, in_capitals, nfc, plain
from bot.language.variants import is_syllable

LEAD, COOP = "lead", "coop"

# Role words on plain() text (no diacritics, lower case); strong ones decide first.
_STRONG = [("chu tri", LEAD), ("phoi hop", COOP)]
_WEAK = [
    ("duoc giao", LEAD),
    ("trien khai thuc hien", LEAD),
    ("to chuc thuc hien", LEAD),
    ("thuc hien", LEAD),
    ("lam dau moi", LEAD),
    ("co trach nhiem", LEAD),
    ("chiu trach nhiem", LEAD),
    ("tham gia", COOP),
    ("gop y", COOP),
    ("ho tro", COOP),
    ("theo doi", COOP),
]
# Words where a unit name ends and what it does begins.
_CUT_WORDS = [
    "chu tri",
    "phoi hop",
    "tham gia",
    "gop y",
    "thuc hien",
    "trien khai",
    "theo doi",
    "lam dau moi",
    "co trach nhiem",
    "chiu trach nhiem",
    "duoc giao",
    "tong hop",
    "tiep nhan",
    "huong dan",
    "don doc",
    "tham muu",
    "co y kien",
    "ho tro",
    "dang tai",
    "niem yet",
    "kiem tra",
    "xu ly",
    "bao cao",
    "cung cap",
    "xay dung",
    "giup",
]
_CUT_RE = re.compile(r"(?<![\w&])(?:" + "|".join(re.escape(w) for w in _CUT_WORDS) + r")(?!\w)")
# "tiếp nhận" inside "Bộ phận tiếp nhận và trả kết quả" is a name, not a verb; so is
# "giúp" in "Trung tâm Trợ giúp pháp lý".
_NAME_BEFORE_CUT = {
    "tiep nhan": re.compile(r"(?:bo phan|noi|bo phan mot cua)\s*$"),
    "giup": re.compile(r"(?<!\w)tro\s*$"),
}
# Nor is "xây dựng" (also a sector: construction) followed only by a place's type word
# and name: "Ban Quản lý dự án đầu tư xây dựng huyện", "Trung tâm Phát triển quỹ đất và
# Xây dựng tỉnh Tuyên Quang" ("kiểm tra xã" is a verb and what it checks).
_PLACE_AFTER_CUT = re.compile(
    r"\s+(?:xa|phuong|thi tran|huyen|thi xa|quan|tinh|thanh pho|dac khu)(?:\s+[A-ZĐÀ-Ỹ0-9]\w*)*\s*$"
)
# Nor is a capitalised cut word after a hyphen joining a title's two fields ("Công chức
# Địa chính - Xây dựng", "Phòng Kinh tế - Xây dựng"); "Phòng Nội vụ - xây dựng kế
# hoạch" is a unit and what it does.
_TITLE_HYPHEN_BEFORE = re.compile(r"\w\s*[-–]\s*$")
_WITH_RE = re.compile(r"\s+voi\s+")
_PAREN_RE = re.compile(r"\(([^()]*)\)")
_ABBREVIATION_RE = re.compile(r"[A-ZĐ0-9&\-./ ]{2,20}")
_LABEL_RE = re.compile(
    r"^\s*(?:(?:co quan|don vi|bo phan)\s+)?(chu tri|phoi hop|thuc hien)\s*:\s*", re.I
)
_INLINE_LABEL_RE = re.compile(
    r"(?<=\w)[ \t]+(?=(?:(?:Cơ quan|Đơn vị|Bộ phận)\s+(?:chủ trì|phối hợp)|Chủ trì|Phối hợp)"
    r"\s*:)"
)

# Head words a unit name starts with (plain form). Capitalised in the text, they may
# begin a new unit after a separator or, for the strict list, without one.
_HEADS = [
    "uy ban nhan dan",
    "ubnd",
    "hdnd",
    "van phong",
    "vp",
    "phong",
    "cong an",
    "trung tam",
    "ttpvhcc",
    "bo phan",
    "cac",
    "so",
    "chi cuc",
    "kho bac",
    "bao hiem",
    "ban",
    "hoi",
    "doan",
    "cong chuc",
    "can bo",
    "cb",
    "toa an",
    "vien kiem sat",
    "chu tich",
    "thu truong",
    "dai",
    "tram",
    "co quan",
    "don vi",
    "mat tran",
    "uy ban mat tran",
    "mttq",
    "thanh tra",
    "lien doan",
    "chi nhanh",
    "cuc",
    "buu dien",
    "ngan hang",
    "thuong truc",
    "dang uy",
    "tong cong ty",
    "cong ty",
    "hat kiem lam",
    "to",
    "doi",
]
_STRICT_HEADS = [
    "uy ban nhan dan",
    "ubnd",
    "van phong",
    "phong",
    "cong an",
    "trung tam",
    "bo phan",
    "cac",
    "so",
    "chi cuc",
    "kho bac",
    "bao hiem",
    "ban",
    "cong chuc",
    "toa an",
    "vien kiem sat",
    "mat tran",
    "doan",
    "hoi",
]
_PLACES = ["xa", "phuong", "thi tran", "huyen", "thi xa", "tinh", "thanh pho", "dac khu"]
# A piece made only of these words is a bare head, never a unit by itself.
_BARE_WORDS = frozenset(
    re.findall(
        r"\w+",
        "cac nhung uy ban nhan dan ubnd hdnd van phong vp phong cong an trung tam bo phan so "
        "ban nganh chi cuc kho bac bao hiem hoi doan cong chuc can bo cb chu tich pho thu "
        "truong co quan don vi dia phuong mat tran thuong truc",
    )
)
# "Đ/c Phó Chủ tịch UBND xã", "Đồng chí Chủ tịch …": the office holder, not a unit's word
_HONORIFIC = re.compile(r"^(?:đ/c|đ\.c|đồng chí)\s+", re.I)
_OFFICE_HOLDER = re.compile(r"(?:pho\s+)?(?:lanh dao|giam doc|chanh|truong|chu tich)(?!\w)")
_LINKING_END = re.compile(r"(?:^|\s)(?:cua|thuoc|truc thuoc|voi|tai|cho|va|&|hdnd va)\s*$")
_LINK_TAIL = 24  # characters _LINKING_END can span (single spaces: the text is re-spaced)
_WORD = re.compile(r"\w+")


def _links_at_end(p: str, start: int, end: int) -> bool:
    """Whether ``p[start:end]`` ends with a linking word, reading only its end (searching
    the whole piece at every separator made long cells quadratic)."""
    if end - start <= _LINK_TAIL:
        return _LINKING_END.search(p[start:end]) is not None
    # With a start position "^" matches nowhere: the piece's start is outside the window.
    return _LINKING_END.search(p, end - _LINK_TAIL, end) is not None


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_HEAD_AT = re.compile(r"(?:" + _alternation(_HEADS) + r")(?!\w)")
_STRICT_AT = re.compile(r"(?:" + _alternation(_STRICT_HEADS) + r")(?!\w)")
_PLACE_AT = re.compile(r"(?:" + _alternation(_PLACES) + r")(?!\w)")
_SEPARATOR = re.compile(r"\s*[,;/+]\s*|\s+(?:và|va)\s+|\s+[-–—]\s+|\s+", re.I)


def role_label(text: str) -> bool:
    """Whether ``text`` opens with a role's label ("Chủ trì:", "Đơn vị phối hợp:").

    >>> role_label("Phối hợp: Công an xã"), role_label("Công an xã phối hợp")
    (True, False)
    """
    return _LABEL_RE.match(plain(text)) is not None


def starts_with_unit(text: str) -> bool:
    """Whether ``text`` opens with a unit's capitalised head word ("Văn phòng …", "UBND
    các xã", "Các phòng, ban", "Thanh tra Sở").

    >>> starts_with_unit("Thanh tra Sở"), starts_with_unit("Rà soát TTHC")
    (True, False)
    >>> starts_with_unit("Các phòng, ban"), starts_with_unit("Các buổi đối thoại")
    (True, False)
    """
    text = text.strip()
    key = plain(text)
    if key.startswith("cac "):  # "Các phòng, ban", not "Các buổi đối thoại"
        return _GROUP_AFTER_CAC.match(key, 4) is not None
    return text[:1].isupper() and _HEAD_AT.match(key) is not None


_PLACE_WORDS = frozenset({"xa", "phuong", "huyen", "tinh"})
_PLACE_PAIRS = frozenset({("thi", "tran"), ("thi", "xa"), ("thanh", "pho"), ("dac", "khu")})


def unit_case(name: str) -> str:
    """A unit's name written in capitals as offices write it in a sentence ("PHÒNG KINH TẾ,
    HẠ TẦNG VÀ ĐÔ THỊ" → "Phòng Kinh tế, Hạ tầng và Đô thị", "CÔNG AN PHƯỜNG NAM ĐỊNH" →
    "Công an phường Nam Định", "VĂN PHÒNG HĐND VÀ UBND XÃ" → "Văn phòng HĐND và UBND xã"):
    acronyms kept, the first word of the name after its head word and of each field listed
    ("…, Hạ tầng và Đô thị", "Văn hóa - Xã hội") and a place's name after its type word
    capitalised. A name not in capitals is returned as it is.

    >>> unit_case("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH")
    'Sở Văn hóa, Thể thao và Du lịch'
    """
    if not in_capitals(name, 0.8):
        return name
    words = name.split()
    head = _HEAD_AT.match(plain(name).lower())
    head_words = len(head.group().split()) if head and head.group() != "cac" else -1
    out: list[str] = []
    capital = place = False
    keys = [plain(word).lower().strip(",.;:()") for word in words]
    for index, (word, bare) in enumerate(zip(words, keys, strict=True)):
        before = keys[index - 1] if index else ""
        after = keys[index + 1] if index + 1 < len(keys) else ""
        place_word = bare in _PLACE_WORDS and after != "hoi"  # not "xã hội"
        # a place's type word, or "các", is written in lower case ("Công an phường", "UBND
        # thị trấn", "UBND các xã, phường")
        typed = place_word or (bare, after) in _PLACE_PAIRS or bare == "cac"
        if bare.isalpha() and not is_syllable(bare):
            out.append(word)  # an acronym: HĐND, UBND
        elif index == 0:
            out.append(word[:1] + word[1:].lower())
        elif typed:
            out.append(word.lower())
        elif place or capital or index == head_words:
            out.append(word[:1] + word[1:].lower())
        else:
            out.append(word.lower())
        # a place named after its type word ("phường Nam Định"), up to a comma
        type_word = place_word or (before, bare) in _PLACE_PAIRS
        place = (place or type_word) and not word.endswith(",")
        capital = bare in ("va", "-", "–") or word.endswith(",")
    return " ".join(out)


_GROUP_AFTER_CAC = re.compile(
    r"(?:phong|ban|nganh|so|co quan|don vi|dia phuong|xa|phuong|cong chuc|can bo|bo phan"
    r"|hoi|doan|to chuc|chi cuc|trung tam|thon|to dan pho|khu pho)(?!\w)"
)


def split_units(text: str, default: str = LEAD) -> tuple[list[str], list[str]]:
    """Lead and cooperating units written in one cell; ``default`` for role-less ones."""
    lead: list[str] = []
    coop: list[str] = []
    explicit_lead = False
    for line in _lines(text):
        pieces: list[tuple[str, str | None, bool]] = []
        first_clause = 0  # pieces of the line's first clause
        for number, clause in enumerate(_clauses(line)):
            pieces.extend(_clause_pieces(clause))
            if number == 0:
                first_clause = len(pieces)
        # A role-less piece takes the role of the next piece of its line that has one,
        # except that the first clause of a line does not take "phối hợp" from a later
        # clause: "UBND xã; Trưởng các thôn phối hợp" is the lead, then who cooperates.
        following: str | None = None
        roles: list[str | None] = [None] * len(pieces)
        for index in range(len(pieces) - 1, -1, -1):
            _, role, _ = pieces[index]
            if index == first_clause - 1 and following == COOP:
                following = None
            if role is not None:
                following = role
            roles[index] = role if role is not None else following
        for (units, _, strong_lead), role in zip(pieces, roles, strict=True):
            if role is None:
                role = COOP if default == LEAD and explicit_lead else default
            target = lead if role == LEAD else coop
            for unit in split_expressions(units):
                target.append(unit)
            if strong_lead:
                explicit_lead = True
    return _dedupe(lead), _dedupe(coop)


def _dedupe(units: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for unit in units:
        key = fold(unit)
        if key and key not in seen:
            seen.add(key)
            out.append(unit)
    return out


def _lines(text: str) -> list[str]:
    text = nfc(text).replace("\r", "\n")
    # A title wrapped at its hyphen goes on below: a line ending with a dash ("Công chức
    # Văn phòng -" / "Thống kê"), or a dash opening a line with no unit's head word after
    # it ("Công chức Văn phòng" / "- Thống kê"; a list's items start with one: "- Công
    # an xã").
    text = re.sub(r"(?<=\w)\s+[-–]\s*\n\s*(?=\w)", " - ", text)
    text = re.sub(r"(?<=\w)[ \t]*\n\s*[-–]\s+(?=\w)", _dash_line, text)
    # A bullet inside a line ("…; - Hội nghị") starts a new item too, and so does a
    # role's label after a unit ("Chủ trì: Công an xã Phối hợp: Đoàn Thanh niên": a cell's
    # lines joined by OCR).
    text = re.sub(r"(?:(?<=[;.])|(?<=^))\s*[-+•]\s+(?=\S)", "\n", text, flags=re.M)
    text = _INLINE_LABEL_RE.sub("\n", text)
    # places named in parentheses after their group: "UBND các xã (Cổ Đông, Đường Lâm)"
    text = re.sub(
        rf"(\b(?:các|cac)\s+(?:{_KIND_WORDS}))\s*\(([^()]+)\)", r"\1: \2", text, flags=re.I
    )
    # a title's dash OCR set against its second field ("Tư pháp -Hộ tịch")
    text = re.sub(r"(?<=\w) -(?=\w)", " - ", text)
    # a label whose colon OCR lost, before a unit's name ("Chủ trì Văn phòng …")
    text = re.sub(r"(?m)^(\s*(?:Chủ trì|Phối hợp))\s+(?=[A-ZĐ])", r"\1: ", text)
    out = []
    for line in text.split("\n"):
        line = re.sub(r"^\s*(?:[-+•*–]|\d{1,2}[.)]|[a-zđ]\))\s*", "", line)
        line = " ".join(line.split())
        if line.strip(" .,;:-"):
            out.append(line)
    return out


def _dash_line(m: re.Match[str]) -> str:
    """A dash opening a line: the title above goes on (" - "), its second field's few
    words ("Thống kê"), unless a unit starts after it (a list's next item)."""
    rest = m.string[m.end() :].split("\n", 1)[0]
    if _HEAD_AT.match(plain(rest)) or len(rest.split()) > _TITLE_FIELD_WORDS:
        return m.group(0)
    return " - "


_TITLE_FIELD_WORDS = 3  # "Thống kê", "Hộ tịch", "Kế hoạch", "Đầu tư và Xây dựng"


def _clauses(line: str) -> list[str]:
    return [c.strip() for c in re.split(r";|\.\s+(?=[A-ZĐÀ-Ỹ])", line) if c.strip(" .,:-")]


def _role_of(tail_plain: str) -> str | None:
    best: tuple[int, str] | None = None
    for words in (_STRONG, _WEAK):
        for word, role in words:
            m = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", tail_plain)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), role)
        if best is not None:
            return best[1]
    return None


def _clause_pieces(clause: str) -> list[tuple[str, str | None, bool]]:
    """(units text, role, explicit "chủ trì") pieces of one clause."""
    label = _LABEL_RE.match(plain(clause))
    label_role: str | None = None
    if label:
        label_role = _role_of(label.group(1))
        clause = clause[label.end() :]
    # Roles said in parentheses: "Văn phòng (chủ trì)".
    paren_role: str | None = None
    for m in _PAREN_RE.finditer(clause):
        paren_role = paren_role or _role_of(plain(m.group(1)))
    clause = _PAREN_RE.sub(lambda m: _keep_paren(m.group(0), m.group(1)), clause)
    clause = " ".join(clause.split())
    p = plain(clause)
    pieces: list[tuple[str, str | None, bool]] = []
    pos = 0
    while pos < len(clause):
        cut = _next_cut(p, pos, clause)
        if cut is None:
            pieces.append((clause[pos:], None, False))
            break
        units = clause[pos : cut.start()]
        # "A phối hợp với B chủ trì": A works with B, both in B's role.
        with_ = _WITH_RE.match(p, cut.end()) if cut.group(0) == "phoi hop" else None
        if with_ is not None:
            rest = _clause_pieces(clause[with_.end() :])
            if units.strip():
                first_role = rest[0][1] if rest else None
                pieces.append((units, LEAD if first_role == LEAD else None, False))
            pieces.extend(rest)
            return _with_roles(pieces, label_role, paren_role)
        tail_end, next_pos = _tail_end(clause, p, cut.end())
        tail = p[cut.start() : tail_end]
        role = _role_of(tail)
        strong = role == LEAD and "chu tri" in tail
        if units.strip():  # a role word with no unit before it adds nothing
            pieces.append((units, role, strong))
        pos = next_pos
    return _with_roles(pieces, label_role, paren_role)


def _with_roles(
    pieces: list[tuple[str, str | None, bool]], label_role: str | None, paren_role: str | None
) -> list[tuple[str, str | None, bool]]:
    fallback = label_role or paren_role
    if fallback is None:
        return pieces
    return [(u, r if r is not None else fallback, s) for u, r, s in pieces]


def _keep_paren(whole: str, inner: str) -> str:
    return f" {whole} " if _ABBREVIATION_RE.fullmatch(inner.strip()) else " "


def _next_cut(p: str, pos: int, written: str) -> re.Match[str] | None:
    """The next verb in ``p`` (``written`` plain) from ``pos`` that ends a unit's name."""
    for m in _CUT_RE.finditer(p, pos):
        if m.start() == pos:
            continue
        name_before = _NAME_BEFORE_CUT.get(m.group(0))
        if name_before is not None and name_before.search(p[: m.start()]):
            continue
        if m.group(0) == "xay dung" and _PLACE_AFTER_CUT.fullmatch(
            _place_tail(written, p, m.end())
        ):
            continue
        if written[m.start()].isupper() and _TITLE_HYPHEN_BEFORE.search(
            p, max(0, m.start() - 4), m.start()
        ):
            continue
        return m
    return None


def _place_tail(written: str, p: str, end: int) -> str:
    """The rest of the clause after a verb: its type words plain, its names as written
    (a place's name is capitalised)."""
    return "".join(
        w if w[:1].isupper() else p[end + i : end + i + len(w)] for i, w in _spans(written[end:])
    )


def _spans(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0)) for m in re.finditer(r"\S+|\s+", text)]


def _tail_end(clause: str, p: str, after: int) -> tuple[int, int]:
    """Where the words after a role word end, and where the next unit starts.

    "X chủ trì, Y phối hợp": after "chủ trì" a separator and a head word start a new
    unit; otherwise the rest of the clause is what the unit does.
    """
    m = re.compile(r"(?:\s*thuc hien)?\s*(?:[,.]\s*|\s+va\s+|\s+[-–]\s+)").match(p, after)
    if m and _HEAD_AT.match(p, m.end()) and clause[m.end() : m.end() + 1].strip():
        return m.start(), m.end()
    return len(p), len(p)


def _office_holder(piece_plain: str) -> bool:
    """A title with no unit's name after it: its office follows ("Lãnh đạo | UBND xã",
    "Chánh Văn phòng | UBND huyện", "Phó Giám đốc | Sở Tư pháp")."""
    holder = _OFFICE_HOLDER.match(piece_plain)
    return holder is not None and (
        holder.end() == len(piece_plain) or _is_bare(piece_plain[holder.end() :])
    )


def _is_bare(piece_plain: str) -> bool:
    """A head word with no name ("Cán bộ", "Văn phòng", "Cơ quan"); "Các …" groups are
    complete expressions. Reads words only until one is not a head word."""
    words = (m.group(0) for m in _WORD.finditer(piece_plain))
    first = next(words, None)
    if first is None:
        return True
    if first in ("cac", "nhung") or first not in _BARE_WORDS:
        return False
    return all(w in _BARE_WORDS for w in words)


# "UBND các xã: Cổ Đông, Đường Lâm" (or "… các xã Cổ Đông và Đường Lâm", "(Cổ Đông, …)"),
# "UBND phường Lê Lợi, phường Ngô Quyền": places named one by one, each a unit
# (as written, with or without diacritics)
_KIND_WORDS = r"xã|xa|phường|phuong|thị trấn|thi tran|huyện|huyen|thị xã|thi xa|thành phố|thanh pho"
_AND = r"\b(?:và|va)\b"
_GROUP_NAMED_RE = re.compile(
    rf"^(?P<head>.*?)\b(?:các|cac)\s+"
    rf"(?P<kind>(?:{_KIND_WORDS})(?:\s*(?:,|{_AND})\s*(?:{_KIND_WORDS}))*)"
    r"\s*:?\s+(?P<names>.+)$",
    re.I,
)
_PLACE_NAMED_RE = re.compile(rf"^(?P<head>.*?)\b(?P<kind>{_KIND_WORDS})\s+(?P<names>.+)$", re.I)
_NAMES_SEP_RE = re.compile(rf"\s*(?:,|;|&|{_AND})\s*", re.I)
_PLACE_NAME_WORDS = 4  # "Trung Sơn Trầm", "Ea H'Leo": a place's name is short


def _places_named(text: str) -> list[str] | None:
    """Each place a clause names one by one, with the head its list is under ("UBND
    các xã: Cổ Đông, Đường Lâm" → "UBND xã Cổ Đông", "UBND xã Đường Lâm"); None when
    the clause is no such list (a group, "UBND các xã, phường", stays whole: every one)."""
    for pattern, repeated in ((_GROUP_NAMED_RE, False), (_PLACE_NAMED_RE, True)):
        m = pattern.match(text)
        if m is None:
            continue
        kind = m["kind"].lower()
        items = [i for i in _NAMES_SEP_RE.split(m["names"].strip(" .()")) if i]
        names = []
        for index, item in enumerate(items):
            if repeated and index:  # "…, phường Ngô Quyền": each names its kind again
                if not plain(item).startswith(plain(kind) + " "):
                    return None
                item = item[len(kind) + 1 :]
            words = item.split()
            if not 1 <= len(words) <= _PLACE_NAME_WORDS or not all(
                w[:1].isupper() or w[:1].isdigit() for w in words
            ):
                return None
            names.append(item)
        if len(names) >= 2:
            if re.search(rf",|{_AND}", kind):  # "các xã, phường: …": each its own kind
                return [f"{m['head']}{name}".strip() for name in names]
            return [f"{m['head']}{kind} {name}".strip() for name in names]
    return None


def split_expressions(text: str) -> list[str]:
    """Unit expressions in a clause with its role words removed."""
    text = " ".join(nfc(text).replace("\n", " ").split())
    text = _HONORIFIC.sub("", text.strip(" .,;:-–"))
    if not text:
        return []
    members = _places_named(text)
    if members is not None:
        return members
    p = plain(text)
    cuts: list[tuple[int, int]] = []  # (end of previous piece, start of next piece)
    start = 0
    word = _WORD.search(p)  # the piece's first word: found once per piece, not per separator
    for m in _SEPARATOR.finditer(text):
        nxt = m.end()
        if nxt >= len(text) or m.start() == 0:
            continue
        if word is not None and word.start() < start:
            word = _WORD.search(p, start)
        if word is None or word.end() > m.start():
            continue  # no word yet: a bare piece
        prev_plain = p[start : m.start()].strip()
        if _is_bare(prev_plain) or _links_at_end(p, start, m.start()):
            continue
        if ":" in prev_plain:  # "Công chức: văn hóa, văn phòng" names one list
            continue
        sep = m.group(0).strip()
        upper = text[nxt].isupper()
        head = _HEAD_AT.match(p, nxt)
        if sep == "":
            # a head word with no name of its own after a name is its owner's: "Thanh
            # tra Sở", "Văn phòng Sở" (the department's), not a second unit
            ok = (
                upper
                and _STRICT_AT.match(p, nxt) is not None
                and len(prev_plain.split()) >= 2
                and not _is_bare(re.split(r"[,;]", p[nxt:], maxsplit=1)[0])
                and not _office_holder(prev_plain)
            )
        elif sep in ("-", "–", "—"):
            ok = upper and head is not None
        else:
            if head is None and upper and sep == ",":
                head = _PLACE_AT.match(p, nxt) if " cac " not in f" {prev_plain} " else None
            has_cac = " cac " in f" {prev_plain} "
            ok = head is not None and (upper or not has_cac)
            if ok and prev_plain.endswith("hdnd") and p.startswith("ubnd", nxt):
                ok = False
        if ok:
            cuts.append((m.start(), nxt))
            start = nxt
    out = []
    begin = 0
    for end, nxt in cuts:
        out.append(text[begin:end])
        begin = nxt
    out.append(text[begin:])
    cleaned = []
    for unit in out:
        unit = unit.strip(" .,;:-–")
        unit = re.sub(r"^(?:và|va)\s+", "", unit, flags=re.I)
        if unit and re.search(r"\w", unit):
            cleaned.append(unit)
    return cleaned
