"""A plan's title, issuer, year and reporting duties, read from its prose. Pure: no I/O.

* **Title**: in a sheet, its first cell when it names a plan ("Kế hoạch …":
  :func:`sheet_title`); else the paragraph after a standalone "KẾ HOẠCH" line (or one ending the
  letterhead's line, as OCR may join them), as "Kế hoạch <that
  paragraph>" (continued by lines that start in lower case, stopping at "(Kèm theo …"
  or "Căn cứ …"); else a short line starting with "Kế hoạch" that speaks of procedures
  (TTHC) or is written in capitals (a sheet's merged title cell); else "Kế hoạch …" taken
  from "Ban hành Kế hoạch …" in a decision (not "… ban hành Kế hoạch thực hiện như
  sau:", a sentence leading into the text); else, for a file holding only the appendix,
  the plan it goes with ("(Kèm theo Kế hoạch số 25/KH-UBND ngày … của UBND huyện …)" →
  "Kế hoạch số 25/KH-UBND ngày … của UBND huyện …"); else an unnumbered line in capitals
  on the procedures (a sheet's "PHÂN CÔNG NHIỆM VỤ KIỂM SOÁT TTHC NĂM 2027 CỦA UBND
  PHƯỜNG …"). An all-capitals title is put in sentence case, keeping acronyms (TTHC,
  UBND: no syllable) and a place's name after "địa bàn" or "của UBND" and its type word,
  up to the words after a name ("năm 2026").
* **Issuer**: "UBND <type> <Name>", from the letterhead ("ỦY BAN NHÂN DÂN" with
  "HUYỆN SƠN TÂY" on its line or the next: the first one naming a place wins, in
  paragraphs or in table cells; a department named in capitals under it, "UBND TỈNH
  TUYÊN QUANG" / "SỞ TƯ PHÁP", is the issuer: "Sở Tư pháp", and so is a committee named
  under its province: "UBND TỈNH LÀO CAI" / "ỦY BAN NHÂN DÂN" / "PHƯỜNG CAM ĐƯỜNG"), else
  "<UBND X> ban hành",
  else "(Kèm theo …) của UBND X" (in prose or a cell), else the chairman's line "CHỦ TỊCH
  ỦY BAN NHÂN DÂN HUYỆN X", else "trên địa bàn X" or "của UBND X" in the title.
* **Year** (:func:`find_year`): from the title ("năm 2025"), else a heading in capitals
  naming a year (a sheet's merged title cell), else a "Năm: 2025" row, else the year
  most deadlines are written in (:func:`deadline_year`), else the date line ("ngày …
  tháng 01 năm 2025", "…/3/2025"), else None (the caller's ``year`` then applies).
* **Duties**: sentences of the prose (outside tables, after the title, not "Căn cứ" /
  "Thực hiện Nghị định …" citations) that speak of reporting ("báo cáo") and whose
  timeframe (``parse_timeframe``) is recurring or due on a date.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.language.normalize import fold, in_capitals, plain
from bot.language.timeframes import TimeframeKind, parse_timeframe
from bot.language.variants import is_syllable
from bot.plans.model import Duty, YearSource
from bot.plans.parse_units import unit_case

_TYPES = ["thanh pho", "thi xa", "thi tran", "dac khu", "tinh", "huyen", "quan", "xa", "phuong"]
_TYPE_RE = "|".join(_TYPES)
_UBND = r"(?:uy ban nhan dan|ubnd)"
_VOWELS = set("aeiouyăâêôơư")


def _words_after(text: str, start: int, *, all_caps: bool) -> tuple[str, int]:
    """The place name written from ``start`` (capitalised words, all of them in an
    all-capitals line, and numbers: "Hà Giang 1", "Phường 3"; up to five) and where it
    ends."""
    name: list[str] = []
    end = start
    for m in re.finditer(r"[^\W_][\w'’-]*", text[start:]):
        word = m.group(0)
        if name and re.search(r"[,.;:()\n]", text[end : start + m.start()]):
            break
        if not (word[:1].isupper() or all_caps or (word.isdigit() and len(word) <= 2)):
            break
        if _ends_name(word, text[start + m.end() :]):
            break
        if name and all_caps and _DEPARTMENT_WRITTEN.match(text, start + m.start()):
            break  # "UBND TỈNH TUYÊN QUANG SỞ TƯ PHÁP": the department under the committee
        name.append(word)
        end = start + m.end()
        if len(name) == 5:
            break
    return " ".join(name), end


def _ends_name(word: str, after: str) -> bool:
    """Whether ``word`` (``after`` it, the rest of the text) is the prose after a place's
    name, not a word of it: "về", "của", "trên", "kèm", "năm" ("nam" unmarked only
    before a year: "Nam Định" is a place), "ban" before "hành" ("Nậm Ban" is a place),
    "kế hoạch", "quyết định" (the document's name, on the letterhead's line by OCR)."""
    key = plain(word).lower()
    if key in ("ve", "kem", "tren", "thuc", "cua"):
        return True
    if key == "nam":
        return word.lower() == "năm" or re.match(r"\s*(?:19|20)\d\d\b", after) is not None
    if key == "ban":
        return re.match(r"\s*hanh\b", plain(after).lower()) is not None
    if key in ("ke", "quyet"):  # the document's name after the letterhead, OCR-joined
        return re.match(r"\s*(?:hoach|dinh)\b", plain(after).lower()) is not None
    return False


def _title_case(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in name.split())


def _issuer_at(
    text: str, p: str, m: re.Match[str], *, then: re.Pattern[str] | None = None
) -> str | None:
    """The issuer "UBND <type> <Name>" at a type word; ``then`` must follow the name."""
    found = _issuer_and_end(text, p, m, then=then)
    return found[0] if found else None


def _issuer_and_end(
    text: str, p: str, m: re.Match[str], *, then: re.Pattern[str] | None = None
) -> tuple[str, int] | None:
    """:func:`_issuer_at`, and where the place's name ends in ``text``."""
    type_word = text[m.start("type") : m.end("type")]
    all_caps = type_word.isupper()
    name, end = _words_after(text, m.end("type"), all_caps=all_caps)
    if not name or (then is not None and not then.match(p, end)):
        return None
    if all_caps or name.isupper():
        name = _title_case(name)
    return f"UBND {type_word.lower()} {name}", end


_LETTERHEAD = re.compile(rf"^\s*{_UBND}\s*\n?\s*(?P<type>{_TYPE_RE})\s+(?=\w)")
_ISSUES = re.compile(rf"{_UBND}\s+(?P<type>{_TYPE_RE})\s+(?=\w)")
_THEN_ISSUES = re.compile(r"\s*(?:da\s+)?ban hanh\b")
_CHAIRMAN = re.compile(rf"^\s*chu tich {_UBND}\s+(?P<type>{_TYPE_RE})\s+(?=\w)")


def find_issuer(lines: list[str], cells: list[str], title: str | None) -> str | None:
    """The issuing committee, "UBND huyện Sơn Tây"."""
    # The letterhead: "ỦY BAN NHÂN DÂN" and the place, on one line or two; a department
    # named under it ("UBND TỈNH TUYÊN QUANG" / "SỞ TƯ PHÁP") is the issuer.
    for texts in (lines, cells):
        for text, below in _pairs(texts):
            if re.match(r"\s*(?:tm|kt)\b", plain(text)):
                continue
            found = _letterhead(text)
            if found:
                issuer, end = found
                lower = _committee_below(text, end, below)
                if lower is not None:
                    return lower
                return _department(text, end, below, issuer) or issuer
    body = "\n".join(lines)
    p = plain(body)
    for m in _ISSUES.finditer(p):
        issuer = _issuer_at(body, p, m, then=_THEN_ISSUES)
        if issuer:
            return issuer
    # an appendix's "(Kèm theo Kế hoạch số … của UBND huyện …)", in its prose or, on a
    # sheet holding only the appendix, in a cell above its table
    body = "\n".join([*lines, *cells])
    p = plain(body)
    for m in re.finditer(r"kem theo (?:ke hoach|quyet dinh)[^\n)]*?\bcua\s+", p):
        m2 = _ISSUES.match(p, m.end()) or re.compile(
            rf"chu tich {_UBND}\s+(?P<type>{_TYPE_RE})\s+(?=\w)"
        ).match(p, m.end())
        if m2:
            issuer = _issuer_at(body, p, m2)
            if issuer:
                return issuer
    for text in lines:
        p = plain(text)
        m = _CHAIRMAN.match(p)
        if m:
            issuer = _issuer_at(text, p, m)
            if issuer:
                return issuer
    if title:
        p = plain(title)
        m = re.search(rf"(?:(?:tren )?dia ban|cua {_UBND})\s+(?P<type>{_TYPE_RE})\s+(?=\w)", p)
        if m:
            return _issuer_at(title, p, m)
    return None


def _committee_below(text: str, end: int, below: str) -> str | None:
    """A committee named under the one ending at ``end`` (on the lines after it in
    ``text``, else on ``below`` and the line after it): "UBND TỈNH LÀO CAI" / "ỦY BAN NHÂN
    DÂN" / "PHƯỜNG CAM ĐƯỜNG" is the ward's letterhead, its province above it."""
    rest = text[end:].lstrip(" \t")
    if not rest.startswith("\n"):
        rest = below
    found = _letterhead(rest.strip())
    return found[0] if found else None


def _letterhead(text: str) -> tuple[str, int] | None:
    """The committee a letterhead line names ("ỦY BAN NHÂN DÂN" / "XÃ PHÚ LƯƠNG") and where
    its name ends in ``text``; None when it names none."""
    p = plain(text)
    m = _LETTERHEAD.match(p)
    return _issuer_and_end(text, p, m) if m else None


def _pairs(lines: list[str]) -> Iterable[tuple[str, str]]:
    """Each line, and each "ỦY BAN NHÂN DÂN" line joined with the next one; with the
    two lines below it ("" for none)."""
    for index, line in enumerate(lines):
        if fold(line) in ("uy ban nhan dan", "ubnd") and index + 1 < len(lines):
            yield f"{line}\n{lines[index + 1]}", "\n".join(lines[index + 2 : index + 4])
        else:
            yield line, "\n".join(lines[index + 1 : index + 3])


# A department's head words in a letterhead, under its committee's name. On the
# committee's own line a head counts written with its marks, words after it on that line
# ("XÃ NẬM BAN", "XÃ VĂN PHONG" are places); on the line below, on the plain text.
_DEPARTMENT_HEADS = (
    "SỞ",
    "BAN",
    "PHÒNG",
    "VĂN PHÒNG",
    "THANH TRA",
    "CHI CỤC",
    "CÔNG AN",
    "TRUNG TÂM",
    "BẢO HIỂM XÃ HỘI",
    "KHO BẠC",
)
_DEPARTMENT_WRITTEN = re.compile(rf"(?:{'|'.join(_DEPARTMENT_HEADS)})[ \t]+\w")
_DEPARTMENT = re.compile(rf"(?P<head>{'|'.join(plain(h).lower() for h in _DEPARTMENT_HEADS)})\s+\w")


def _department(text: str, end: int, below: str, issuer: str) -> str | None:
    """The department written in capitals after the committee's name (ending at
    ``end``) in a letterhead (on its line, or the line below), as offices write its name
    ("Sở Tư pháp", "Sở Kế hoạch và Đầu tư", "Văn phòng HĐND và UBND huyện Sơn Tây"); None
    when there is none."""
    rest = text[end:].strip() or below.strip()
    rest = " ".join(rest.split("\n")[0].split())
    head = _DEPARTMENT.match(plain(rest))
    first, _, after = rest.partition(" ")
    if not rest.isupper() or head is None or len(rest) > 80 or _ends_name(first, after):
        return None  # (not "… BAN HÀNH KẾ HOẠCH")
    name = unit_case(rest)
    if fold(name).endswith("ubnd"):  # the office of this committee: named with its place
        name = f"{name} {issuer.split(' ', 1)[1]}"
    return name


# What follows a title: the grounds ("Căn cứ …", "Thực hiện Nghị định số …"; not a title
# "Thực hiện cơ chế một cửa …"), the number, the date, the addressee, an appendix.
_STOP_TITLE = re.compile(
    r"^\s*(?:\(|\*|can cu|thuc hien (?:cac )?(?:nghi dinh|nghi quyet|quyet dinh|thong tu|"
    r"chi thi|ke hoach|cong van|van ban|chi dao|y kien)|so\s*:|ngay\b|kinh gui|phu luc)"
)


_LETTERHEAD_THEN_PLAN = re.compile(
    r"^(?:uy ban nhan dan|ubnd|xa|phuong|thi tran|huyen|quan|thi xa|thanh pho|tinh|so) "
    r".+ ke hoach$"
)


def find_title(lines: list[str]) -> tuple[str | None, int]:
    """The plan's title and the index of its last line (-1 when none)."""
    for index, line in enumerate(lines):
        # (also at the end of a letterhead's line in capitals, OCR having joined them:
        # "ỦY BAN NHÂN DÂN XÃ PHÚ LƯƠNG KẾ HOẠCH", "XÃ TÂN LẬP KẾ HOẠCH")
        if fold(line) == "ke hoach" or (
            _is_heading(line) and _LETTERHEAD_THEN_PLAN.search(fold(line))
        ):
            parts: list[str] = []
            j = index + 1
            while j < len(lines) and len(parts) < 4:
                nxt = lines[j].strip()
                if not nxt:
                    j += 1
                    continue
                if _STOP_TITLE.match(plain(nxt)) or len(nxt) > 400:
                    break
                if parts and not (nxt[:1].islower() or (parts[-1].isupper() and nxt.isupper())):
                    break
                parts.append(nxt)
                j += 1
            if parts:
                subtitle = _sentence_case(_without_speck(" ".join(parts)))
                if fold(subtitle).startswith("ke hoach"):
                    return subtitle, j - 1
                return f"Kế hoạch {subtitle}", j - 1
    for index, line in enumerate(lines):
        key = fold(line)
        if (
            key.startswith("ke hoach ")
            and len(line) < 300
            and ("thu tuc" in key or "tthc" in key.split() or _is_heading(line))
            and not re.match(r"^\s*(?:\(|can cu|thuc hien)", plain(line))
        ):
            return _sentence_case(line.strip()), index
    for index, line in enumerate(lines):
        p = plain(line)
        m = re.search(r"\bban hanh (?:kem theo [^\n]*?)?(ke hoach\b.*)$", p)
        # (not "… ban hành Kế hoạch thực hiện như sau:", which only leads into the text,
        # nor an appendix's "(Ban hành kèm theo Kế hoạch số …)": below)
        if (
            m
            and len(line) < 300
            and not re.search(r"nhu sau\s*:?\s*$|:\s*$", p)
            and not _ATTACHED_TO.match(p)
        ):
            text = line[m.start(1) :].strip()
            last = index
            if index + 1 < len(lines) and lines[index + 1][:1].islower():
                text = f"{text} {lines[index + 1].strip()}"
                last = index + 1
            return "K" + _sentence_case(text)[1:], last
    # a file holding only the appendix: the plan it goes with ("(Kèm theo Kế hoạch số
    # 25/KH-UBND ngày 15/01/2026 của UBND huyện Yên Sơn)", "(Ban hành kèm theo …)")
    for index, line in enumerate(lines):
        m = _ATTACHED_TO.match(plain(line))
        if m and len(line) < 300:
            text = line[m.start("doc") : m.end("doc")].strip()
            return text[:1].upper() + text[1:], index
    # a sheet headed by a line in capitals on the procedures, not numbered ("PHÂN CÔNG
    # NHIỆM VỤ KIỂM SOÁT TTHC NĂM 2027 CỦA UBND PHƯỜNG …")
    for index, line in enumerate(lines):
        key = fold(line)
        if (
            len(line) < 300
            and _is_heading(line)
            and ("thu tuc" in key or "tthc" in key.split())
            and not re.match(r"^\s*(?:[ivxlc]+|\d+|[a-z])\s*[.)/:]|^\s*phu luc\b", key)
        ):
            return _sentence_case(line.strip()), index
    return None, -1


def sheet_title(cells: list[str]) -> str | None:
    """A sheet's title row (its first cell above the tasks), when it names a plan: "Kế
    hoạch số 12/KH-UBND …", "KẾ HOẠCH KIỂM SOÁT …" (in sentence case), as Đôn Đốc's
    own workbook writes it and offices title their sheets."""
    first = next((line.strip() for line in cells if line.strip()), "")
    key = fold(first)
    if key.startswith("ke hoach ") and len(first) < 300 and not _STOP_TITLE.match(key):
        return _sentence_case(first)
    return None


_ATTACHED_TO = re.compile(
    r"^\s*\(?\s*(?:ban hanh\s+)?kem theo\s+"
    r"(?P<doc>(?:ke hoach|quyet dinh)\s+so\b[^()]*?)[\s.;]*\)?\s*$"
)


def _without_speck(text: str) -> str:
    """The title without a lone letter at its end, no numeral: a speck OCR read at the
    end of the line ("… năm 2027 Ằ")."""
    head, _, last = text.rstrip().rpartition(" ")
    if head and len(last) == 1 and last.isalpha() and last not in "IVX":
        return head
    return text


def _sentence_case(text: str) -> str:
    text = " ".join(text.split())
    if not in_capitals(text, 0.8):
        return text
    words = []
    for word in text.split(" "):
        bare = plain(word).lower().strip(",.;:()")
        if word.isupper() and bare.isalpha() and not is_syllable(bare):
            words.append(word)  # an acronym: TTHC, UBND, HĐND
        else:
            words.append(word.lower())
    out = " ".join(words)
    p = plain(out)
    # a place's name after its type word ("trên địa bàn huyện Sơn Tây", "của UBND phường
    # Minh Xuân"), up to the words that follow a name ("năm 2026")
    m = re.search(
        rf"\b(?:dia ban|cua ubnd|cua uy ban nhan dan) (?:{_TYPE_RE}) (.+?)"
        r"(?=\s+(?:nam|giai doan|trong|ve|va|den)\b|\s*[,(]|$)",
        p,
    )
    if m:
        out = out[: m.start(1)] + _title_case(out[m.start(1) : m.end(1)]) + out[m.end(1) :]
    return out[:1].upper() + out[1:]


_YEAR_IN_TITLE = re.compile(r"\bnam\s+((?:19|20)\d{2})\b")
_ANY_YEAR = re.compile(r"(?<![\d/])((?:19|20)\d{2})(?![\d/])")
_WRITTEN_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_DATE_LINE = re.compile(r"\bngay\b[^\n]{0,30}?\bthang\b[^\n]{0,12}?\bnam\s+((?:19|20)\d{2})\b")
_YEAR_LABEL = re.compile(r"\s*nam(?: ke hoach| thuc hien)?\s*:?\s*((?:19|20)\d{2})\s*")
_SLASH_DATE = re.compile(r"\bngay\b[^\n]{0,20}?\d{0,2}\s*/\s*\d{1,2}\s*/\s*((?:19|20)\d{2})\b")
_NOT_HEADING = re.compile(r"\s*(?:\(|can cu|thuc hien|theo de nghi|so\s*:)")
MIN_DEADLINE_YEARS = 2  # timeframes with a written year needed before they are evidence


@dataclass(frozen=True)
class FoundYear:
    year: int | None
    source: YearSource | None
    deadlines: int | None = None  # the year most written deadlines agree on, if they do


def deadline_year(timeframes: Iterable[str]) -> int | None:
    """The year most tasks' timeframes are written in, when most of them agree.

    Each timeframe that writes its year votes once: the year of its deadline ("Quý
    I/2027", "trước ngày 30/6/2027"), else the year a continuous or recurring one names
    ("Thường xuyên trong năm 2027"). On-demand texts ("Theo Nghị định 61/2018/NĐ-CP")
    do not vote. The winner needs more than half of at least ``MIN_DEADLINE_YEARS`` votes.
    """
    votes: Counter[int] = Counter()
    for text in timeframes:
        if not text.strip():
            continue
        timeframe = parse_timeframe(text, None)
        if timeframe.due is not None:
            votes[timeframe.due.year] += 1
        elif timeframe.kind in (TimeframeKind.CONTINUOUS, TimeframeKind.RECURRING):
            written = _WRITTEN_YEAR.findall(text)
            if written:
                votes[int(written[-1])] += 1
    total = sum(votes.values())
    if total < MIN_DEADLINE_YEARS:
        return None
    year, count = votes.most_common(1)[0]
    return year if 2 * count > total else None


def _is_heading(line: str) -> bool:
    """A line written in capitals, short enough to be a title ("NỘI DUNG … NĂM 2027",
    "NĂM 2027")."""
    letters = [c for c in line if c.isalpha()]
    return len(line) < 300 and len(letters) >= 3 and all(c.isupper() for c in letters)


def find_year(title: str | None, lines: list[str], timeframes: Iterable[str] = ()) -> FoundYear:
    """The plan's year and where it was read, from the whole document.

    In order: the title ("… năm 2027"); a heading in capitals naming a year (a merged
    title cell of a sheet, an appendix's "NỘI DUNG … NĂM 2027"); a "Năm: 2027" row; the
    year most deadlines are written in; the date the document was signed (a plan for
    2027 is often signed in December 2026, so it comes last). ``deadlines`` is the
    deadlines' year whatever won, for the caller to warn when it differs.
    """
    deadlines = deadline_year(timeframes)
    if title:
        p = plain(title)
        m = _YEAR_IN_TITLE.search(p)
        if m:
            return FoundYear(int(m.group(1)), YearSource.TITLE, deadlines)
        years = _ANY_YEAR.findall(p)
        if years:
            return FoundYear(int(years[-1]), YearSource.TITLE, deadlines)
    for line in lines:
        p = plain(line)
        if _is_heading(line) and not _NOT_HEADING.match(p) and not _DATE_LINE.search(p):
            m = _YEAR_IN_TITLE.search(p)
            if m:
                return FoundYear(int(m.group(1)), YearSource.TITLE, deadlines)
    dated: int | None = None
    for line in lines:
        p = plain(line)
        labelled = _YEAR_LABEL.fullmatch(p)
        if labelled:  # "Năm: 2026" (a sheet's year row, cells joined)
            return FoundYear(int(labelled.group(1)), YearSource.LABEL, deadlines)
        if dated is not None or re.match(r"\s*(?:can cu|thuc hien|theo de nghi)", p):
            continue
        m = _DATE_LINE.search(p) or _SLASH_DATE.search(p)
        if m and len(line) < 200:
            dated = int(m.group(1))
    if deadlines is not None:
        return FoundYear(deadlines, YearSource.DEADLINES, deadlines)
    if dated is not None:
        return FoundYear(dated, YearSource.DATE, deadlines)
    return FoundYear(None, None, deadlines)


_REPORT = re.compile(r"\bbao cao\b")
_CUE = re.compile(
    r"dinh ky|hang (?:tuan|thang|quy|nam|ngay)|hang nam|moi (?:tuan|thang|quy)|"
    r"\bthu (?:hai|ba|tu|nam|sau|bay|\d)\b|truoc ngay|bao cao (?:tuan|thang|quy|nam|6 thang)|"
    r"(?:\d+) thang\s*/\s*lan|dinh ki"
)
_CITATION = re.compile(
    r"^\s*(?:can cu|thuc hien (?:nghi dinh|quyet dinh|thong tu|ke hoach|cac)|"
    r"theo de nghi|noi nhan|[-+]\s*luu\b)"
)


def find_duties(paragraphs: list[str], year: int | None) -> list[Duty]:
    """Reporting duties stated in prose paragraphs."""
    duties: list[Duty] = []
    seen: set[str] = set()
    for paragraph in paragraphs:
        p_par = plain(paragraph)
        if _CITATION.match(p_par):
            continue
        for sentence in _sentences(paragraph):
            p = plain(sentence)
            if not _REPORT.search(p) or not _CUE.search(p):
                continue
            timeframe = parse_timeframe(sentence, year)
            if timeframe.kind not in (TimeframeKind.RECURRING, TimeframeKind.DUE):
                continue
            key = fold(sentence)
            if key in seen:
                continue
            seen.add(key)
            duties.append(Duty(sentence, timeframe))
    return duties


def _sentences(paragraph: str) -> list[str]:
    text = " ".join(paragraph.split())
    parts = re.split(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ\d-])", text)
    return [part.strip() for part in parts if part.strip()]
