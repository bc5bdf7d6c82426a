"""The office's Markdown headings sit one level under the section they are written in, in the
HTML (and PDF) and the DOCX: seed 003's objectives are top-level sections, and their "## Sexual
Violence" came out as h4 under an h2, a skipped level a screen reader's heading list shows."""

from __future__ import annotations

import io
import re

from docx import Document as Word

from oversight.core.render import render
from oversight.lib import document as d
from oversight.lib.markdown import shift_headings

NARRATIVE = "Opening.\n\n## Sexual violence\n\nText.\n\n### Its detail\n\nMore."


def levels(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"<h([1-6])[\s>]", html)]


def test_markdown_headings_follow_the_section_they_are_in():
    doc = d.Document(title="Paper")
    doc.add(d.Section("Top-level objective", blocks=[d.Markdown(NARRATIVE)]))
    doc.add(
        d.Section(
            "Part 1",
            blocks=[d.Section("Nested objective", blocks=[d.Markdown(NARRATIVE)])],
        )
    )
    html = render(doc, "html").decode()
    found = levels(html)
    assert found == [1, 2, 3, 4, 2, 3, 4, 5]
    assert all(b <= a + 1 for a, b in zip(found, found[1:], strict=False))  # no level skipped
    word = Word(io.BytesIO(render(doc, "docx")))
    styles = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Head")]
    assert ("Heading 2", "Sexual violence") in styles  # under the Heading 1 objective
    assert ("Heading 3", "Sexual violence") in styles  # under the nested Heading 2 objective
    assert ("Heading 4", "Its detail") in styles


def test_shift_headings_keeps_their_order_and_stops_at_six():
    assert shift_headings("<h4>a</h4><h5>b</h5>", 3) == "<h3>a</h3><h4>b</h4>"
    assert shift_headings("<h3>a</h3><h4>b</h4>", 6) == "<h6>a</h6><h6>b</h6>"
    assert shift_headings("<p>none</p>", 2) == "<p>none</p>"
