"""Document → one self-contained, accessible HTML page (also the input WeasyPrint turns into PDF)."""

from __future__ import annotations

import dataclasses

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.text import slugify

from oversight.lib import document as d
from oversight.lib.links import safe_href
from oversight.lib.markdown import numbered_html, shift_headings, to_html

STATUS_WORDS = {
    d.Status.GREEN: "Green",
    d.Status.AMBER: "Amber",
    d.Status.RED: "Red",
    d.Status.NONE: "No status",
    d.Status.IMPROVEMENT: "Improvement",
    d.Status.CONCERN: "Concern",
    d.Status.NEUTRAL: "Neither",
}


def render_html(doc: d.Document, *, for_print: bool = False) -> str:
    """The page; `for_print` gives the HTML WeasyPrint makes the PDF from (print sizes, and long
    tables in their print columns)."""
    body = "\n".join(_section(s, level=2, for_print=for_print) for s in doc.sections)
    return render_to_string(
        "core/document.html",
        {
            "doc": doc,
            "body": body,
            "footnotes": [(i + 1, text) for i, text in enumerate(doc.footnotes)],
            "for_print": for_print,
            "css_title": footer_title(doc.title),
            # The notes follow the last section onto its pages (Appendix B's notes stay landscape).
            "notes_landscape": bool(doc.sections) and doc.sections[-1].landscape,
            "numbered": 'class="numbered"' in body,
        },
    )


FOOTER_CHARS = 80  # what fits in three quarters of a portrait A4 line at 8pt


def footer_title(title: str) -> str:
    """The title as the PDF footer prints it: one line, shortened at a word with an ellipsis when
    too long, and without the characters a CSS string cannot hold unescaped (the footer needs none)."""
    title = "".join(c for c in title if c not in '"\\<>{}')
    if len(title) <= FOOTER_CHARS:
        return title
    return title[: FOOTER_CHARS - 1].rsplit(" ", 1)[0].rstrip(" –-:,") + "…"


def _section(s: d.Section, level: int, for_print: bool = False) -> str:
    h = min(level, 6)
    heading = f"{escape(s.number)} {escape(s.title)}".strip() if s.number else escape(s.title)
    classes = ["section"]
    if s.page_break_before:
        classes.append("page-break")
    if s.landscape:
        classes.append("landscape")
    anchor = f' id="{escape(s.anchor)}"' if s.anchor else ""
    inner = "\n".join(_block(b, level + 1, for_print) for b in s.blocks)
    return f'<section class="{" ".join(classes)}"{anchor}>\n<h{h}>{heading}</h{h}>\n{inner}\n</section>'


def _block(b: d.Block, level: int, for_print: bool = False) -> str:
    if isinstance(b, d.Section):
        return _section(b, level, for_print)
    if isinstance(b, d.Paragraph):
        if b.number:
            classes = " ".join(c for c in ("numbered", b.style) if c)
            mark = f'<span class="para-number">{escape(b.number)}.</span> '
            return f'<p class="{classes}">{mark}{inline(b.content)}</p>'
        cls = f' class="{escape(b.style)}"' if b.style else ""
        return f"<p{cls}>{inline(b.content)}</p>"
    if isinstance(b, d.BulletList):
        tag = "ol" if b.ordered else "ul"
        cls = ' class="plain"' if b.plain else ""
        items = "".join(f"<li>{inline(item)}</li>" for item in b.items)
        return f"<{tag}{cls}>{items}</{tag}>"
    if isinstance(b, d.Markdown):
        html = numbered_html(b.source, b.numbers) if b.numbers else to_html(b.source)
        return f'<div class="markdown">{shift_headings(html, level)}</div>'
    if isinstance(b, d.Table):
        return _table(printed(b) if for_print and b.print_columns else b, for_print)
    if isinstance(b, d.Figure):
        return (
            f'<figure class="chart"><div role="img" aria-label="{escape(b.alt)}">{_svg_body(b.svg, b.alt)}</div>'
            f"<figcaption>{escape(b.caption)}</figcaption></figure>"
        )
    raise TypeError(f"cannot render {type(b).__name__}")


def _svg_body(svg: str, alt: str) -> str:
    """Inline SVG without its XML prolog. In HTML it is hidden from screen readers (the wrapper
    carries the alt); its first child is a <title> with the same words, which WeasyPrint makes
    the /Alt of the PDF's Figure element."""
    start = svg.find("<svg")
    if start < 0:
        return ""
    end = svg.find(">", start)
    if end < 0:
        return ""
    opening = svg[start:end].replace("<svg", '<svg aria-hidden="true" focusable="false"', 1)
    return f"{opening}><title>{escape(alt)}</title>{svg[end + 1 :]}"


# The statuses whose cell the stylesheet prints bold, so a bold word alone in it needs no <strong>.
BOLD_STATUSES = frozenset(d.Status) - {d.Status.NONE}


class _LineBreak(str):
    """A print column's "\\n" joiner: a new line within the cell (other text keeps its newlines
    as spaces, as HTML does)."""


def printed(t: d.Table) -> d.Table:
    """The table in its print columns: each printed cell holds the non-empty parts of its columns'
    cells, in order, with the column's joiner between them, and the header flag of its first
    column; a column with a status is printed alone, as its colour fills the cell."""
    columns = t.print_columns or []
    rows = []
    for row in t.rows:
        if any(c.colspan > 1 or c.rowspan > 1 for c in row.cells):
            raise ValueError(f"{t.caption!r}: a table with spanning cells has no print columns")
        cells = []
        for column in columns:
            parts = [row.cells[i] for i in column.columns]
            if len(parts) > 1 and any(p.status for p in parts):
                raise ValueError(f"{column.header!r}: a status colours its cell; print it alone")
            content: list[d.Inline] = []
            for n, part in enumerate(parts):
                if part.content:
                    if content:
                        joiner = column.joiner_before(n)
                        content.append(_LineBreak() if joiner == "\n" else joiner)
                    content.extend(_plain(part.content) if column.plain else part.content)
            cells.append(
                d.Cell(
                    content,
                    status=parts[0].status,
                    header=parts[0].header,
                    # Merged text reads from the left; one column keeps its own alignment.
                    align=parts[0].align if len(parts) == 1 else "",
                )
            )
        rows.append(d.Row(cells, highlight=row.highlight))
    return d.Table(
        caption=t.caption,
        header=[c.header for c in columns],
        rows=rows,
        widths=[c.width for c in columns],
        repeat_header=t.repeat_header,
        summary=t.summary,
        notes=t.notes,
    )


def _plain(content: list[d.Inline]) -> list[d.Inline]:
    return [
        dataclasses.replace(p, bold=False, italic=False) if isinstance(p, d.Text) else p
        for p in content
    ]


def _table(t: d.Table, for_print: bool = False) -> str:
    widths = fixed = ""
    if t.widths:
        # Widths given: the printed table is laid out from them alone (`table-layout: fixed`),
        # which spares WeasyPrint measuring every cell of a long table twice.
        fixed = ' class="fixed"'
        total = sum(t.widths)
        widths = (
            "<colgroup>"
            + "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in t.widths)
            + "</colgroup>"
        )
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in t.header)
    notes_id = f"{slugify(t.caption)[:40] or 'table'}-note"
    rows = []
    for row in t.rows:
        cls = ' class="highlight"' if row.highlight else ""
        cells = []
        for cell in row.cells:
            tag = "th" if cell.header else "td"
            attrs = ' scope="row"' if cell.header else ""
            classes = []
            if cell.status:
                classes.append(f"status-{cell.status.value}")
            if cell.align:
                classes.append(f"align-{cell.align}")
            if classes:
                attrs += f' class="{" ".join(classes)}"'
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            content = cell.content
            if for_print and cell.status in BOLD_STATUSES and _bold_word(content):
                content = [content[0].text]  # type: ignore[union-attr]
            cells.append(f"<{tag}{attrs}>{inline(content, notes_id)}</{tag}>")
        rows.append(f"<tr{cls}>{''.join(cells)}</tr>")
    summary = f'<p class="visually-hidden">{escape(t.summary)}</p>' if t.summary else ""
    notes = "".join(
        f'<li id="{notes_id}-{d.note_mark(n)}"><span class="mark">{d.note_mark(n)}</span> '
        f"{escape(text)}</li>"
        for n, text in enumerate(t.notes, start=1)
    )
    return (
        f'<div class="table-wrap">{summary}<table{fixed}><caption>{escape(t.caption)}</caption>{widths}'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        + (f'<ol class="table-notes">{notes}</ol>' if notes else "")
        + "</div>"
    )


def _bold_word(content: list[d.Inline]) -> bool:
    """Whether the content is one bold run and nothing else (no link, note or other style)."""
    if len(content) != 1 or not isinstance(part := content[0], d.Text):
        return False
    return part == d.Text(part.text, bold=True)


def inline(content: list[d.Inline], notes_id: str = "") -> str:
    """Inline parts as HTML; `notes_id` is the id prefix of the enclosing table's notes."""
    out: list[str] = []
    for part in content:
        if isinstance(part, str):
            out.append("<br>" if isinstance(part, _LineBreak) else escape(part))
            continue
        if isinstance(part, d.Image):
            out.append(
                f'<span class="inline-image{" icon" if part.icon else ""}" role="img" '
                f'aria-label="{escape(part.alt)}">'
                f"{_svg_body(part.svg, part.alt)}</span>"
            )
            continue
        html: str = escape(part.text)
        if part.bold:
            html = f"<strong>{html}</strong>"
        if part.italic:
            html = f"<em>{html}</em>"
        if part.status:
            html = f'<strong class="tag tag-{part.status.value}">{html}</strong>'
        if href := safe_href(part.href):  # never a javascript: link, even from the data
            html = f'<a href="{escape(href)}">{html}</a>'
        if part.footnote:
            n = part.footnote
            html += f'<sup><a href="#note-{n}" aria-label="note {n}">{n}</a></sup>'
        if part.table_note:
            mark = d.note_mark(part.table_note)
            html += f'<sup><a href="#{notes_id}-{mark}" aria-label="note {mark}">{mark}</a></sup>'
        out.append(html)
    return "".join(out)
