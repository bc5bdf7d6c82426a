"""Document → Word (.docx) with python-docx: A4, real tables whose header row repeats on each page,
status cells shaded and worded, page numbers in the footer, charts as PNG with alternative text."""

from __future__ import annotations

import io
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as ET
from docx import Document as WordDocument
from docx.document import Document as WordFile
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from oversight.lib import document as d
from oversight.lib.markdown import shift_headings, to_html

# Background and text colours of the status cells (the same as the HTML's GOV.UK tag colours).
SHADES = {
    d.Status.GREEN: ("CCE2D8", "005A30"),
    d.Status.AMBER: ("FFF7BF", "594D00"),
    d.Status.RED: ("F4CDC6", "942514"),
    d.Status.NONE: ("F3F2F1", "383F43"),
    d.Status.IMPROVEMENT: ("D2E9F5", "0C4A6E"),
    d.Status.CONCERN: ("FCE3C8", "6E3400"),
    d.Status.NEUTRAL: ("ECE4F2", "3D2352"),
}
HIGHLIGHT = "FBE9F0"
A4 = (Cm(21.0), Cm(29.7))


def render_docx(doc: d.Document) -> bytes:
    word = WordDocument()
    _setup(word, doc)
    if doc.organisation:
        word.add_paragraph().add_run(doc.organisation).bold = True
    word.add_heading(doc.title, level=0)
    for line in (doc.subtitle, doc.date_line):
        if line:
            word.add_paragraph(line)
    for section in doc.sections:
        _section(word, section, level=1)
    if doc.footnotes:
        # The notes stay in the last section's orientation, as in the PDF.
        word.add_heading(doc.footnotes_title, level=1)
        for i, text in enumerate(doc.footnotes, start=1):
            p = word.add_paragraph(style="Normal")
            p.add_run(f"{i}. ").bold = True
            p.add_run(text)
            p.paragraph_format.space_after = Pt(2)
    buf = io.BytesIO()
    word.save(buf)
    return buf.getvalue()


def _setup(word: WordFile, doc: d.Document) -> None:
    """A4 portrait (python-docx defaults to US Letter), margins, fonts and a page-number footer."""
    sec = word.sections[0]
    sec.page_width, sec.page_height = A4
    sec.orientation = WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Cm(1.8))
    sec.top_margin, sec.bottom_margin = Cm(1.8), Cm(2.0)
    normal = word.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    word.core_properties.title = doc.title
    word.core_properties.subject = doc.subtitle
    word.core_properties.language = doc.language
    footer = sec.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)
        if kind == "separate":
            t = OxmlElement("w:t")
            t.text = "1"
            run._r.append(t)


def _section(word: WordFile, s: d.Section, level: int, landscape: bool = False) -> None:
    landscape = landscape or s.landscape
    # A change of orientation is a new Word section, which starts a new page by itself.
    if not _orient(word, landscape=landscape) and s.page_break_before:
        word.add_page_break()
    title = f"{s.number} {s.title}".strip() if s.number else s.title
    word.add_heading(title, level=min(level, 9))
    for block in s.blocks:
        if isinstance(block, d.Section):
            _section(word, block, level + 1, landscape)
        else:
            _block(word, block, level + 1)


def _orient(word: WordFile, *, landscape: bool) -> bool:
    """Start a new Word section on a new page when the orientation changes (Appendix B is
    landscape, as in the PDF); say whether it did. Margins and the footer carry over."""
    current = word.sections[-1]
    if (current.orientation == WD_ORIENT.LANDSCAPE) == landscape:
        return False
    sec = word.add_section(WD_SECTION.NEW_PAGE)
    short, long = A4
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = (long, short) if landscape else (short, long)
    return True


def _usable_width_cm(word: WordFile) -> float:
    sec = word.sections[-1]
    # _setup and _orient set every section's page width and margins.
    width, left, right = sec.page_width, sec.left_margin, sec.right_margin
    if width is None or left is None or right is None:
        raise ValueError("the Word section has no page width or margins")
    return (width - left - right) / Cm(1)


def _block(word: WordFile, b: d.Block, level: int) -> None:
    if isinstance(b, d.Section):
        _section(word, b, level)
    elif isinstance(b, d.Paragraph):
        p = word.add_paragraph()
        if b.number:
            _number(p, b.number)
        _inline(p, b.content)
        if b.style == "small":
            for run in p.runs:
                run.font.size = Pt(9)
        if b.style == "signature":
            p.paragraph_format.space_before = Pt(36)
    elif isinstance(b, d.BulletList):
        style = "List Number" if b.ordered else "List Bullet"
        for item in b.items:
            p = word.add_paragraph(style=None if b.plain else style)
            _inline(p, item)
            if b.plain:
                p.paragraph_format.space_after = Pt(2)
    elif isinstance(b, d.Markdown):
        _markdown(word, b.source, b.numbers, level)
    elif isinstance(b, d.Table):
        _table(word, b)
    elif isinstance(b, d.Figure):
        word.add_picture(io.BytesIO(b.png), width=Cm(min(b.width_cm, _usable_width_cm(word) - 0.4)))
        _alt_text(word, b.alt)
        cap = word.add_paragraph(b.caption, style="Caption")
        cap.alignment = WD_ALIGN_PARAGRAPH.LEFT
    else:
        raise TypeError(f"cannot render {type(b).__name__}")


def _alt_text(word: WordFile, alt: str) -> None:
    """Set the description (alternative text) of the picture just added."""
    doc_pr = word.paragraphs[-1]._p.xpath(".//wp:docPr")
    if doc_pr:
        doc_pr[-1].set("descr", alt)
        doc_pr[-1].set("title", alt[:100])


def _inline(p, content: list[d.Inline]) -> None:
    for part in content:
        if isinstance(part, str):
            p.add_run(part)
            continue
        if isinstance(part, d.Image):
            run = p.add_run()
            run.add_picture(io.BytesIO(part.png), width=Cm(part.width_cm))
            for doc_pr in run._r.xpath(".//wp:docPr"):
                doc_pr.set("descr", part.alt)
                doc_pr.set("title", part.alt[:100])
            continue
        text = part.text
        if part.status:
            text = f" {text} "
        run = p.add_run(text)
        run.bold = part.bold or bool(part.status)
        run.italic = part.italic
        if part.status:
            fill, ink = SHADES[part.status]
            run.font.color.rgb = RGBColor.from_string(ink)
            shd = OxmlElement("w:shd")
            shd.set(qn("w:val"), "clear")
            shd.set(qn("w:color"), "auto")
            shd.set(qn("w:fill"), fill)
            run._r.get_or_add_rPr().append(shd)
        if part.footnote:
            sup = p.add_run(str(part.footnote))
            sup.font.superscript = True
        if part.table_note:
            sup = p.add_run(d.note_mark(part.table_note))
            sup.font.superscript = True


def _table(word: WordFile, t: d.Table) -> None:
    if t.caption:
        cap = word.add_paragraph(style="Caption")
        cap.add_run(t.caption).bold = True
        cap.paragraph_format.keep_with_next = True
    cols = len(t.header)
    table = word.add_table(rows=1, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    _repeat_header(header)
    for i, text in enumerate(t.header):
        cell = header.cells[i]
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
        _shade(cell, "F3F2F1")
    for row in t.rows:
        cells = table.add_row().cells
        col = 0
        for c in row.cells:
            if col >= cols:
                break
            target = cells[col]
            if c.colspan > 1:
                target = target.merge(cells[min(col + c.colspan, cols) - 1])
            para = target.paragraphs[0]
            _inline(para, c.content)
            if c.header:
                for run in para.runs:
                    run.bold = True
            if c.align == "right":
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if c.status:
                fill, ink = SHADES[c.status]
                _shade(target, fill)
                for run in para.runs:
                    run.font.color.rgb = RGBColor.from_string(ink)
                    run.bold = True
            elif row.highlight:
                _shade(target, HIGHLIGHT)
            col += c.colspan
        _no_split(table.rows[-1])
    if t.widths:
        total = sum(t.widths)
        usable = _usable_width_cm(word)
        for row in table.rows:
            for i, cell in enumerate(row.cells[:cols]):
                cell.width = Cm(usable * t.widths[i] / total)
    for n, text in enumerate(t.notes, start=1):
        p = word.add_paragraph()
        p.add_run(f"{d.note_mark(n)} ").bold = True
        p.add_run(text)
        p.paragraph_format.space_after = Pt(2)
        for run in p.runs:
            run.font.size = Pt(9)
    word.add_paragraph()


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _no_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _number(p, number: str) -> None:
    """A paragraph number hanging in the margin of the text, as the committee papers print it."""
    p.add_run(f"{number}.\t")
    p.paragraph_format.left_indent = Cm(1.0)
    p.paragraph_format.first_line_indent = Cm(-1.0)
    p.paragraph_format.tab_stops.add_tab_stop(Cm(1.0))


def _markdown(
    word: WordFile, source: str, numbers: list[str] | None = None, level: int = 3
) -> None:
    """Staff Markdown, through the same sanitised HTML, flattened to Word paragraphs and lists;
    `numbers` are printed at its top-level paragraphs, in order (a numbered layout)."""
    numbers = list(numbers or [])
    # The sanitiser writes a non-breaking space (common in text pasted from Word) as "&nbsp;",
    # which XML does not know: read as the character, not a parse error that loses the
    # paragraphs (and, in a numbered layout, their numbers) to one flat paragraph.
    # Its headings sit one level under the section it is in (`level`, as the HTML's do).
    html = shift_headings(to_html(source), level).replace("&nbsp;", "\u00a0")
    try:
        root = ET.fromstring(f"<div>{html.replace('<br>', '<br/>').replace('<hr>', '<hr/>')}</div>")
    except ET.ParseError:
        word.add_paragraph(source)
        return
    for el in root:
        tag = el.tag
        if tag in {"ul", "ol"}:
            style = "List Number" if tag == "ol" else "List Bullet"
            for li in el.iter("li"):
                _html_inline(word.add_paragraph(style=style), li)
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            word.add_heading("".join(el.itertext()), level=min(int(tag[1]), 9))
        elif tag == "table":
            rows = [["".join(c.itertext()).strip() for c in tr] for tr in el.iter("tr")]
            if rows:
                _table(
                    word, d.Table("", rows[0], [d.Row([d.Cell.of(v) for v in r]) for r in rows[1:]])
                )
        else:
            p = word.add_paragraph()
            if tag == "p" and numbers:
                _number(p, numbers.pop(0))
            _html_inline(p, el)


def _html_inline(p, el: Element, bold: bool = False, italic: bool = False) -> None:
    if el.text:
        run = p.add_run(el.text)
        run.bold, run.italic = bold or None, italic or None
    for child in el:
        if child.tag in {"ul", "ol"}:
            continue
        _html_inline(
            p, child, bold or child.tag in {"strong", "b"}, italic or child.tag in {"em", "i"}
        )
        if child.tail:
            run = p.add_run(child.tail)
            run.bold, run.italic = bold or None, italic or None
