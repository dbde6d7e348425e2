"""The office's template of the periodic report: every part of the Word report that is
not fixed by law (the bodies and place in the header, the number's symbol, the subject,
the recipients, the five headings, the closing sentence, the signature, "Nơi nhận", the
font size and the margins), read from TOML so that the office adjusts it without code.

The default ships as ``bot/data/report-template.toml`` (Vietnamese, commented: the office
copies and edits it; ``DONDOC_REPORT_TEMPLATE`` names the copy). :func:`load_template`
takes the file's text (the caller reads it): keys left out keep the default, an unknown
key, a wrong type or a value the decree does not allow (Nghị định 30/2020: font 13–14,
margins top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm; the symbol of a report
begins with "BC") is refused with a :class:`TemplateError` naming the key.

:meth:`ReportTemplate.issuer_for` resolves the header for one report: what the template
leaves empty comes from the plan's issuer ("UBND thị xã Sơn Tây" → "ỦY BAN NHÂN DÂN THỊ
XÃ SƠN TÂY", place "Sơn Tây"), and a unit's own report is headed by the unit. Pure: the
only file it reads is the packaged default, through ``importlib.resources``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from bot.language.normalize import nfc, plain

DEFAULT_RESOURCE = "report-template.toml"
FONT_SIZES = (13, 14)
# Nghị định 30/2020, Phụ lục I: margins in millimetres, inclusive.
MARGINS_MM = {
    "margin_top_mm": (20, 25),
    "margin_bottom_mm": (20, 25),
    "margin_left_mm": (30, 35),
    "margin_right_mm": (15, 20),
}
# The symbol after the number: capitals and digits, groups joined by "-", no spaces.
_SYMBOL = re.compile(r"BC(-[A-ZĐ0-9]+)*")

_STR, _LIST, _INT, _NUMBER = "text", "list of texts", "whole number", "number"
SCHEMA: dict[str, dict[str, str]] = {
    "issuer": {
        "governing_body": _STR,
        "issuing_body": _STR,
        "place": _STR,
        "number_symbol": _STR,
    },
    "report": {"subject": _STR, "recipients": _LIST, "closing": _STR},
    "unit_report": {"recipients": _LIST},
    "headings": {
        "results": _STR,
        "indicators": _STR,
        "shortcomings": _STR,
        "next_period": _STR,
        "proposals": _STR,
        "annex": _STR,
    },
    "signature": {"authority": _STR, "title": _STR, "signer": _STR},
    "distribution": {"recipients": _LIST},
    "page": {"font_size": _INT, **dict.fromkeys(MARGINS_MM, _NUMBER)},
}


class TemplateError(ValueError):
    """A report template that cannot be used; ``key`` is "section.name" (or "")."""

    def __init__(self, key: str, problem: str) -> None:
        self.key = key
        self.problem = problem
        where = f"{key}: " if key else ""
        super().__init__(f"report template: {where}{problem}")


@dataclass(frozen=True)
class Headings:
    results: str
    indicators: str
    shortcomings: str
    next_period: str
    proposals: str
    annex: str


@dataclass(frozen=True)
class Signature:
    authority: str  # may hold "\n" between lines
    title: str
    signer: str  # "" leaves the name to the office


@dataclass(frozen=True)
class Margins:
    """In millimetres."""

    top: float
    bottom: float
    left: float
    right: float


@dataclass(frozen=True)
class Issuer:
    """The header of one report, resolved: "" where nothing is known."""

    governing_body: str
    issuing_body: str
    place: str
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class ReportTemplate:
    governing_body: str
    issuing_body: str  # "" → from the plan's issuer
    place: str  # "" → from the issuing body's name
    number_symbol: str
    subject: str  # with "{period}"
    recipients: tuple[str, ...]  # "Kính gửi" of the area's report
    closing: str  # with "{period}", or ""
    unit_recipients: tuple[str, ...]  # "Kính gửi" of a unit's report; () → the issuer
    headings: Headings
    signature: Signature
    distribution: tuple[str, ...]  # "Nơi nhận", the last one "Lưu: …"
    font_size: int
    margins: Margins

    def issuer_for(self, plan_issuer: str | None, unit: str | None) -> Issuer:
        """The header of the area's report (``unit`` None) or of a unit's own report.

        The area's report takes the template's bodies and place, and what is empty there
        from the plan's issuer. A unit's report is issued by the unit ("Xã Sơn Dương" →
        "ỦY BAN NHÂN DÂN XÃ SƠN DƯƠNG", place "Sơn Dương"), under the plan's issuer
        ("UBND THỊ XÃ SƠN TÂY"), and sent to it unless the template names recipients.
        """
        above = _Body.read(plan_issuer)
        if unit is None:
            body = _Body.read(self.issuing_body) if self.issuing_body else above
            return Issuer(
                governing_body=self.governing_body,
                issuing_body=self.issuing_body or (above.issuing if above else ""),
                place=self.place or (body.place if body else ""),
                recipients=self.recipients,
            )
        own = _Body.read(unit)
        place = (own.place if own else "") or (above.place if above else "")
        recipients = self.unit_recipients or ((above.formal,) if above else ())
        return Issuer(
            governing_body=above.short if above else "",
            issuing_body=own.issuing if own else "",
            place=place,
            recipients=recipients,
        )


@cache
def default_template_text() -> str:
    """The packaged default template (``bot/data/report-template.toml``)."""
    return resources.files("bot.data").joinpath(DEFAULT_RESOURCE).read_text(encoding="utf-8")


def load_template(text: str | None = None) -> ReportTemplate:
    """The template in ``text`` (a TOML document) over the default; None: the default.

    Raises :class:`TemplateError` naming the key for an unknown key, a wrong type, a
    subject without ``{period}``, a symbol that is not a report's, a "Nơi nhận" list not
    ending with "Lưu: …", or a font size or margin outside the decree's ranges.
    """
    values = _parse(default_template_text(), known=True)
    if text is not None:
        for section, entries in _parse(text, known=False).items():
            values[section].update(entries)
    return _build(values)


def _parse(text: str, *, known: bool) -> dict[str, dict[str, Any]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TemplateError("", f"not valid TOML ({error})") from error
    values: dict[str, dict[str, Any]] = {section: {} for section in SCHEMA}
    for section, entries in data.items():
        if section not in SCHEMA:
            raise TemplateError(section, f"unknown section (known: {', '.join(SCHEMA)})")
        if not isinstance(entries, dict):
            raise TemplateError(section, "must be a section: [" + section + "]")
        for name, value in entries.items():
            key = f"{section}.{name}"
            kind = SCHEMA[section].get(name)
            if kind is None:
                raise TemplateError(key, f"unknown key (known: {', '.join(SCHEMA[section])})")
            values[section][name] = _typed(key, kind, value)
    if known:
        missing = [f"{s}.{n}" for s, names in SCHEMA.items() for n in names if n not in values[s]]
        if missing:  # the packaged default names every key
            raise TemplateError(missing[0], "missing from the default template")
    return values


def _typed(key: str, kind: str, value: Any) -> Any:
    if kind == _STR and isinstance(value, str):
        return nfc(value).strip()
    if kind == _LIST and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(nfc(v).strip() for v in value if v.strip())
    if kind == _INT and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == _NUMBER and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise TemplateError(key, f"must be a {kind}, not {value!r}")


def _build(values: dict[str, dict[str, Any]]) -> ReportTemplate:
    issuer, report, page = values["issuer"], values["report"], values["page"]
    symbol = issuer["number_symbol"]
    if not _SYMBOL.fullmatch(symbol):
        raise TemplateError(
            "issuer.number_symbol",
            f"{symbol!r} is not a report's symbol: capitals beginning with BC, groups "
            "joined by '-', no spaces (like BC-UBND)",
        )
    for key in ("subject", "closing"):
        _check_pattern(f"report.{key}", report[key], required=key == "subject")
    distribution = values["distribution"]["recipients"]
    if not distribution or not _bare(distribution[-1]).startswith("Lưu"):
        raise TemplateError(
            "distribution.recipients", "the last line must be the file copy: 'Lưu: VT, …'"
        )
    if page["font_size"] not in FONT_SIZES:
        raise TemplateError(
            "page.font_size", f"{page['font_size']} is not allowed: 13 or 14 (Nghị định 30/2020)"
        )
    for name, (low, high) in MARGINS_MM.items():
        if not low <= page[name] <= high:
            raise TemplateError(
                f"page.{name}",
                f"{page[name]:g} mm is outside {low}–{high} mm (Nghị định 30/2020)",
            )
    headings = values["headings"]
    for name, heading in headings.items():
        if not heading:
            raise TemplateError(f"headings.{name}", "must not be empty")
    signature = values["signature"]
    return ReportTemplate(
        governing_body=issuer["governing_body"],
        issuing_body=issuer["issuing_body"],
        place=issuer["place"],
        number_symbol=symbol,
        subject=report["subject"],
        recipients=tuple(_bare(r) for r in report["recipients"]),
        closing=report["closing"],
        unit_recipients=tuple(_bare(r) for r in values["unit_report"]["recipients"]),
        headings=Headings(**headings),
        signature=Signature(signature["authority"], signature["title"], signature["signer"]),
        distribution=tuple(_bare(r) for r in distribution),
        font_size=page["font_size"],
        margins=Margins(
            page["margin_top_mm"],
            page["margin_bottom_mm"],
            page["margin_left_mm"],
            page["margin_right_mm"],
        ),
    )


def _check_pattern(key: str, text: str, *, required: bool) -> None:
    if required and "{period}" not in text:
        raise TemplateError(key, "must contain {period}, where the period is written")
    try:
        text.format(period="")
    except (KeyError, IndexError, ValueError) as error:
        raise TemplateError(
            key, "only {period} may stand in braces (write a brace as {{ or }})"
        ) from error


def _bare(line: str) -> str:
    """A list line without the dash the document puts before it."""
    return line.lstrip("-–• \t").strip()


# ---------------------------------------------------------------------------------------
# Names of bodies: "UBND thị xã Sơn Tây", "Ủy ban nhân dân xã Đại Sơn", "Xã Sơn Dương"
# ---------------------------------------------------------------------------------------

# Words that say "the People's Committee of" (compared without diacritics).
_COMMITTEE = (("uy", "ban", "nhan", "dan"), ("ubnd",))
# Administrative type words, as written (lower case) or abbreviated, with their full form.
_KINDS: dict[tuple[str, ...], str] = {
    ("thành", "phố"): "thành phố",
    ("thị", "xã"): "thị xã",
    ("thị", "trấn"): "thị trấn",
    ("đặc", "khu"): "đặc khu",
    ("tỉnh",): "tỉnh",
    ("huyện",): "huyện",
    ("quận",): "quận",
    ("xã",): "xã",
    ("phường",): "phường",
    ("tp",): "thành phố",
    ("tx",): "thị xã",
    ("tt",): "thị trấn",
}
_KINDS_PLAIN = {
    tuple(plain(w) for w in words): full
    for words, full in _KINDS.items()
    if words not in (("tỉnh",), ("huyện",), ("quận",))  # "Quản Bạ", "Tịnh Biên": names
}


@dataclass(frozen=True)
class _Body:
    """A body's name read: a People's Committee of a kind of place, or anything else."""

    name: str  # as written
    kind: str | None  # "thị xã"
    bare: str  # "Sơn Tây"

    @classmethod
    def read(cls, name: str | None) -> _Body | None:
        if not name or not name.strip():
            return None
        words = nfc(name).replace("\n", " ").split()
        keys = [plain(w).strip(".,:;") for w in words]
        committee = False
        for prefix in _COMMITTEE:
            if tuple(keys[: len(prefix)]) == prefix:
                words, keys, committee = words[len(prefix) :], keys[len(prefix) :], True
                break
        lowered = [w.lower().strip(".,:;") for w in words]
        for size in (2, 1):
            kind = _KINDS.get(tuple(lowered[:size])) or _KINDS_PLAIN.get(tuple(keys[:size]))
            if kind and len(words) > size:
                return cls(name, kind, " ".join(words[size:]))
        if committee and words:
            return cls(name, None, " ".join(words))
        return cls(" ".join(words), None, "")

    @property
    def issuing(self) -> str:
        """ "ỦY BAN NHÂN DÂN THỊ XÃ SƠN TÂY"; another body's name in capitals."""
        if self.kind is None and not self.bare:
            return self.name.upper()
        return f"ỦY BAN NHÂN DÂN {self.where}".upper()

    @property
    def short(self) -> str:
        """ "UBND THỊ XÃ SƠN TÂY": the governing body's line."""
        if self.kind is None and not self.bare:
            return self.name.upper()
        return f"UBND {self.where}".upper()

    @property
    def formal(self) -> str:
        """ "Ủy ban nhân dân thị xã Sơn Tây": a recipient."""
        if self.kind is None and not self.bare:
            return self.name
        return f"Ủy ban nhân dân {self.where}"

    @property
    def where(self) -> str:
        return f"{self.kind} {self.bare}" if self.kind else self.bare

    @property
    def place(self) -> str:
        """ "Sơn Tây"; a place named by a number keeps its kind ("Phường 1")."""
        bare = self.bare.title() if self.bare.isupper() else self.bare
        if self.kind and bare.isdigit():
            return f"{self.kind[:1].upper()}{self.kind[1:]} {bare}"
        return bare
