"""Document → A4 PDF with page numbers, through WeasyPrint from the same HTML.

The PDF is tagged (PDF/UA-1): its structure tree has the HTML's headings, lists, tables and
figures (each chart's /Alt from the <title> the HTML renderer puts in its SVG), its language
from <html lang> and its title from <title>, shown as the window title. Screen readers follow it."""

from __future__ import annotations

import logging

from oversight.lib.document import Document

from .html import render_html

# WeasyPrint logs every unsupported CSS property at WARNING; the report's CSS is known-good.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def render_pdf(doc: Document) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango, which is slow

    return HTML(string=render_html(doc, for_print=True)).write_pdf(pdf_variant="pdf/ua-1")
