"""Read a Word (.docx) plan into a :class:`~bot.plans.model.Document`.

The body is walked in reading order, paragraphs and tables interleaved; content
controls (``w:sdt``) and custom XML wrappers are looked through. Tables are read on
their grid: a cell merged across columns (``w:gridSpan``) keeps its text in its first
grid column and the columns it covers are empty spanned cells; a cell merged down
(``w:vMerge`` continue) repeats the text of the merge's first cell, spanned. A table
nested in a cell is flattened into the cell's text, one line per nested paragraph.

python-docx gives the package, the styles and the paragraph and table proxies; the
grid, the merges and the run text are read from the XML (``_tc``/``_tr``/``_p``),
because python-docx's ``table.rows[i].cells`` repeats merged cells instead of saying
which is which.

The package's parts were sized off the zip directory before python-docx loads them
(``MAX_XML_BYTES``); the body is counted as it is walked (rows, cells, characters, time:
:class:`~bot.plans.files.Budget`), so a huge table is refused at its limit rather than
read to the end.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator

import docx
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph
from lxml import etree

from bot.plans.docx_numbering import ListNumbers
from bot.plans.files import OLE2_MAGIC, Budget, PlanFileError, ole2_error, package_kind
from bot.plans.model import Cell, Document, Paragraph, Table

_W_P = qn("w:p")
_W_TBL = qn("w:tbl")
_W_TR = qn("w:tr")
_W_TC = qn("w:tc")
_W_SDT = qn("w:sdt")
_W_SDT_CONTENT = qn("w:sdtContent")
_W_CUSTOM_XML = qn("w:customXml")
_W_INS = qn("w:ins")

# Runs that are not part of the paragraph's visible text: deleted or moved-away
# revisions, text boxes (read separately, if ever) and the VML fallback that repeats
# a drawing's text box.
_RUNS = (
    ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom)"
    " and not(ancestor::w:txbxContent) and not(ancestor::*[local-name()='Fallback'])]"
)

_HEADING_NAME = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
# Punctuation and symbols a typist leaves unbolded at the end of a bold line.
_NOT_WORDS = re.compile(r"^[\W_]*$")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- styles ----------------------------------------------------------------------------


_UNSET = object()


class _Styles:
    """Effective bold and outline level, looked up through the style hierarchy."""

    def __init__(self, document: WordDocument) -> None:
        self._document = document
        self._bold: dict[str, bool | None] = {}
        self._level: dict[str, int] = {}
        self._by_id: dict[str, BaseStyle] | None = None
        self._default_paragraph: BaseStyle | object | None = _UNSET
        self._default_bold = self._doc_default_bold()

    def _doc_default_bold(self) -> bool:
        styles = self._document.styles.element
        b = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:b')}")
        return b is not None and _on(b)

    def bold(self, style: BaseStyle | None) -> bool | None:
        """Whether ``style`` (or a style it is based on) makes text bold; None: unsaid."""
        seen: set[str] = set()
        while style is not None and style.style_id not in seen:
            key = style.style_id
            seen.add(key)
            if key in self._bold:
                return self._bold[key]
            font = getattr(style, "font", None)
            value = font.bold if font is not None else None
            if value is not None:
                self._bold[key] = value
                return value
            style = style.base_style
        return None

    def run_bold(self, run: etree._Element, paragraph_style: BaseStyle | None) -> bool:
        r_pr = run.find(qn("w:rPr"))
        if r_pr is not None:
            b = r_pr.find(qn("w:b"))
            if b is not None:
                return _on(b)
            r_style = r_pr.find(qn("w:rStyle"))
            if r_style is not None:
                char_style = self._style_by_id(r_style.get(qn("w:val")))
                value = self.bold(char_style)
                if value is not None:
                    return value
        value = self.bold(paragraph_style)
        return self._default_bold if value is None else value

    def paragraph_style(self, paragraph: WordParagraph) -> BaseStyle | None:
        """The paragraph's style, like ``paragraph.style`` but looked up once per id.

        python-docx finds the default paragraph style by scanning every style for each
        paragraph without one; on a long plan that was most of the reading time.
        """
        p_pr = paragraph._p.pPr
        style_id = p_pr.pStyle.val if p_pr is not None and p_pr.pStyle is not None else None
        if style_id is not None:
            found = self._style_by_id(style_id)
            if found is not None:
                return found
        if self._default_paragraph is _UNSET:
            try:
                self._default_paragraph = self._document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
            except Exception:  # a broken styles part
                self._default_paragraph = None
        return self._default_paragraph  # type: ignore[return-value]

    def _style_by_id(self, style_id: str | None) -> BaseStyle | None:
        if self._by_id is None:
            self._by_id = {style.style_id: style for style in self._document.styles}
        return self._by_id.get(style_id or "")

    def heading_level(self, paragraph: WordParagraph) -> int:
        """1 for Title and Heading 1, N for Heading N, else the outline level + 1; 0 for body."""
        level = _outline_level(paragraph._p)
        if level is not None:
            return level
        style = self.paragraph_style(paragraph)
        seen: set[str] = set()
        while style is not None and style.style_id not in seen:
            seen.add(style.style_id)
            if style.style_id in self._level:
                return self._level[style.style_id]
            name = (style.name or "").strip()
            match = _HEADING_NAME.match(name)
            found: int | None = None
            if match:
                found = int(match.group(1)) or 1
            elif name.lower() == "title":
                found = 1
            elif name.lower() == "subtitle":
                found = 2
            else:
                found = _outline_level(style.element)
            if found is not None:
                self._level[style.style_id] = found
                return found
            style = style.base_style
        return 0


def _on(element: etree._Element) -> bool:
    """A ``w:b``-like toggle: on unless ``w:val`` says false."""
    value = element.get(qn("w:val"))
    return value is None or value.lower() not in {"0", "false", "off", "none"}


def _outline_level(element: etree._Element) -> int | None:
    lvl = element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    if lvl is None:
        return None
    try:
        value = int(lvl.get(qn("w:val"), "9"))
    except ValueError:
        return None
    return value + 1 if 0 <= value < 9 else None


# --- text ------------------------------------------------------------------------------


def _runs(p: etree._Element) -> list[etree._Element]:
    return p.xpath(_RUNS)


def _run_text(run: etree._Element) -> str:
    text = getattr(run, "text", None)  # python-docx's CT_R.text: w:t, w:tab, w:br, …
    return text if isinstance(text, str) else ""


def _paragraph_content(paragraph: WordParagraph, styles: _Styles) -> tuple[str, bool]:
    """The paragraph's text and whether it is all bold (punctuation aside)."""
    p_style = styles.paragraph_style(paragraph)
    parts: list[str] = []
    bold_seen = False
    plain_seen = False
    for run in _runs(paragraph._p):
        text = _run_text(run)
        if not text:
            continue
        parts.append(text)
        if _NOT_WORDS.match(text):
            continue
        if styles.run_bold(run, p_style):
            bold_seen = True
        else:
            plain_seen = True
    return _nfc("".join(parts)), bold_seen and not plain_seen


# --- walking ---------------------------------------------------------------------------


def _block_children(parent: etree._Element) -> Iterator[etree._Element]:
    """``w:p`` and ``w:tbl`` children in order, looking through wrappers."""
    for child in parent:
        tag = child.tag
        if tag in (_W_P, _W_TBL):
            yield child
        elif tag == _W_SDT:
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                yield from _block_children(content)
        elif tag in (_W_CUSTOM_XML, _W_INS):
            yield from _block_children(child)


def _rows(tbl: etree._Element) -> Iterator[etree._Element]:
    for child in tbl:
        if child.tag == _W_TR:
            yield child
        elif child.tag == _W_SDT:
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                yield from _rows(content)
        elif child.tag in (_W_CUSTOM_XML, _W_INS):
            yield from _rows(child)


def _cells(tr: etree._Element) -> Iterator[etree._Element]:
    for child in tr:
        if child.tag == _W_TC:
            yield child
        elif child.tag == _W_SDT:
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                yield from _cells(content)
        elif child.tag in (_W_CUSTOM_XML, _W_INS):
            yield from _cells(child)


def _int_attr(element: etree._Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return max(int(element.get(qn("w:val"), default)), 0)
    except ValueError:
        return default


class _Reader:
    def __init__(self, document: WordDocument, budget: Budget) -> None:
        self.document = document
        self.styles = _Styles(document)
        self.budget = budget
        self.numbers = ListNumbers(_numbering(document), document.styles.element)

    def paragraph(self, element: etree._Element, parent: object) -> tuple[str, bool]:
        """A paragraph's text, after the number Word prints before it when it is in a
        list ("1.", "a)"; alone in a table's number column), and whether it is bold."""
        text, bold = _paragraph_content(WordParagraph(element, parent), self.styles)
        text = text.strip()
        label = self.numbers.label(element)
        if label and (text or label != "-"):
            text = f"{label} {text}".strip()
        return text, bold

    def blocks(self) -> list[Paragraph | Table]:
        body = self.document.element.body
        out: list[Paragraph | Table] = []
        for element in _block_children(body):
            if element.tag == _W_P:
                text, bold = self.paragraph(element, self.document)
                self.budget.paragraph(text)  # empty ones too: each costs walking
                if text:
                    heading = self.styles.heading_level(WordParagraph(element, self.document))
                    out.append(Paragraph(text=text, bold=bold, heading=heading))
            else:
                table = self.table(WordTable(element, self.document))
                if table.rows:
                    out.append(table)
        return out

    # A cell's content: its paragraphs, and nested tables flattened line by line.
    def cell_content(self, tc: etree._Element, parent: WordTable) -> tuple[str, bool]:
        lines: list[str] = []
        bold_seen = False
        plain_seen = False
        for element in _block_children(tc):
            if element.tag == _W_P:
                text, bold = self.paragraph(element, parent)
                if text:
                    lines.append(text)
                    bold_seen |= bold
                    plain_seen |= not bold
            else:
                nested = self.table(WordTable(element, parent))
                for row in nested.rows:
                    for cell in row:
                        if cell.text and not cell.spanned:
                            lines.append(cell.text)
                            plain_seen |= not cell.bold
        return "\n".join(lines), bold_seen and not plain_seen

    def table(self, table: WordTable) -> Table:
        rows: list[list[Cell]] = []
        previous: list[Cell] = []
        for tr in _rows(table._tbl):
            tr_pr = tr.find(qn("w:trPr"))
            before = _int_attr(tr_pr.find(qn("w:gridBefore")) if tr_pr is not None else None, 0)
            after = _int_attr(tr_pr.find(qn("w:gridAfter")) if tr_pr is not None else None, 0)
            row: list[Cell] = [Cell("") for _ in range(before)]
            for tc in _cells(tr):
                tc_pr = tc.find(qn("w:tcPr"))
                span = 1
                v_merge: str | None = None
                if tc_pr is not None:
                    span = max(_int_attr(tc_pr.find(qn("w:gridSpan")), 1), 1)
                    merge = tc_pr.find(qn("w:vMerge"))
                    if merge is not None:
                        v_merge = merge.get(qn("w:val"), "continue")
                column = len(row)
                if v_merge == "continue" and column < len(previous):
                    above = previous[column]
                    row.append(Cell(above.text, bold=above.bold, spanned=True))
                else:
                    text, bold = self.cell_content(tc, table)
                    row.append(Cell(text, bold=bold))
                row.extend(Cell("", spanned=True) for _ in range(span - 1))
            row.extend(Cell("") for _ in range(after))
            self.budget.table_row([cell.text for cell in row])
            rows.append(row)
            previous = row
        width = max((len(row) for row in rows), default=0)
        return Table(rows=tuple(tuple(row + [Cell("")] * (width - len(row))) for row in rows))


def _numbering(document: WordDocument) -> etree._Element | None:
    """The numbering part's XML, or None when the document has none (or a broken one)."""
    try:
        return document.part.numbering_part.element
    except Exception:  # no numbering part (python-docx: NotImplementedError), or unreadable
        return None


def read_docx(data: bytes, name: str = "plan.docx", budget: Budget | None = None) -> Document:
    """Read a .docx file's body into a Document; raise PlanFileError when it cannot (or
    when it holds more than the readers' limits)."""
    if data[:8] == OLE2_MAGIC:
        raise ole2_error(data, name)
    if package_kind(data, name, expect="docx") != "docx":
        raise PlanFileError(
            "corrupt_docx",
            "the package is an Excel workbook, not a Word document",
            file_type="xlsx",
        )
    try:
        word = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise PlanFileError("corrupt_docx", f"not a zip package ({exc})", file_type="docx") from exc
    except KeyError as exc:
        raise PlanFileError(
            "corrupt_docx", f"a part of the package is missing ({exc})", file_type="docx"
        ) from exc
    except ValueError as exc:
        # python-docx: "file '…' is not a Word file, content type is '…'"
        raise PlanFileError("corrupt_docx", str(exc), file_type="docx") from exc
    except RuntimeError as exc:  # zipfile: "File … is encrypted, password required"
        if "encrypted" in str(exc).lower():
            raise PlanFileError("encrypted", str(exc), file_type="docx") from exc
        raise PlanFileError("corrupt_docx", str(exc), file_type="docx") from exc
    except Exception as exc:  # lxml syntax errors, truncated members, bad relationships…
        raise PlanFileError(
            "corrupt_docx", f"{type(exc).__name__}: {exc}", file_type="docx"
        ) from exc
    try:
        blocks = _Reader(word, budget or Budget()).blocks()
    except PlanFileError:
        raise
    except Exception as exc:  # malformed XML that python-docx accepted on load
        raise PlanFileError(
            "corrupt_docx", f"{type(exc).__name__}: {exc}", file_type="docx"
        ) from exc
    return Document(name=name, kind="docx", blocks=tuple(blocks))
