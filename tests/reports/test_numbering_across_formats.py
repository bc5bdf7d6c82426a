"""Paragraph numbers are the same in the HTML (and so the PDF, printed from it) and the DOCX,
whatever the office's Markdown holds: a non-breaking space pasted from Word once turned the
DOCX's Markdown into one flat, unnumbered paragraph."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document as Word

from oversight.core.render import render
from oversight.lib import document as d
from oversight.reports.compose import number_paragraphs


@pytest.mark.parametrize(
    "source",
    [
        "First paragraph.\n\nSecond paragraph.",
        "First\u00a0paragraph, pasted from Word.\n\nSecond paragraph.",
        "First & <b>second</b>.\n\n- a list\n- runs on\n\nThird paragraph.",
    ],
)
def test_the_docx_numbers_the_markdown_as_the_html_does(source):
    doc = d.Document(title="Numbered")
    sections = [
        d.Section("One", blocks=[d.Paragraph.of("Opening."), d.Markdown(source)]),
        d.Section("Two", blocks=[d.Paragraph.of("Closing.")]),
    ]
    for s in sections:
        doc.add(s)
    number_paragraphs(sections)
    html = render(doc, "html").decode()
    html_numbers = re.findall(r'<span class="para-number">(\d+)\.</span>', html)
    word = Word(io.BytesIO(render(doc, "docx")))
    docx_numbers = [m[1] for p in word.paragraphs if (m := re.match(r"(\d+)\.\t", p.text))]
    assert html_numbers == [str(n) for n in range(1, len(html_numbers) + 1)]
    assert len(html_numbers) == 4
    assert docx_numbers == html_numbers
    texts = [p.text for p in word.paragraphs]
    assert not any("&nbsp;" in t for t in texts)
