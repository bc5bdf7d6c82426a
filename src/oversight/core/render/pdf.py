"""Document → A4 PDF with page numbers, through WeasyPrint from the same HTML."""

from __future__ import annotations

import logging

from oversight.lib.document import Document

from .html import render_html

# WeasyPrint logs every unsupported CSS property at WARNING; the report's CSS is known-good.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def render_pdf(doc: Document) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango, which is slow

    return HTML(string=render_html(doc, for_print=True)).write_pdf()
