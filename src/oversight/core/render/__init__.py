"""Renderers: one composed Document in, HTML, PDF or DOCX bytes out. None recomputes a number."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

from oversight.lib.document import Document

Format = Literal["html", "pdf", "docx"]
FORMATS: tuple[Format, ...] = get_args(Format)


def render(doc: Document, fmt: str) -> bytes:
    if fmt == "html":
        from .html import render_html

        return render_html(doc).encode("utf-8")
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(doc)
    if fmt == "docx":
        from .docx import render_docx

        return render_docx(doc)
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def write(doc: Document, fmt: str, path: Path | str) -> Path:
    path = Path(path)  # its folder must exist: nothing here creates folders
    path.write_bytes(render(doc, fmt))
    return path
