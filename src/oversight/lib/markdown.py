"""Markdown written by staff, turned into safe HTML: rendered by Python-Markdown, cleaned by nh3.

A narrative containing `<script>` or a `javascript:` link comes out as harmless text.
"""

from __future__ import annotations

import re
from html import escape

import markdown as _markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "sub",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}


def to_html(source: str) -> str:
    """Markdown to sanitised HTML. Headings are demoted to h3+ so they sit under report sections."""
    # Raw HTML is never wanted in a narrative: escaping "<" makes it show as the text typed.
    html = _markdown.markdown(
        (source or "").replace("<", "&lt;"),
        extensions=["tables", "sane_lists"],
        output_format="html",
    )
    # Every level moves down two (at most h6), so "###" stays under "##" as it was written.
    html = re.sub(r"<(/?)h([1-6])>", lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}>", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


_HEADING = re.compile(r"<(/?)h([1-6])>")


def heading_levels(html: str) -> list[int]:
    """The levels of the headings in sanitised HTML, in order."""
    return [int(m[2]) for m in _HEADING.finditer(html) if not m[1]]


def shift_headings(html: str, top: int) -> str:
    """The sanitised HTML with its headings moved so the highest is at level `top` (at most 6),
    their order kept: the office's "## Sexual violence" sits one level under the section it is
    written in, however deep that section is, so no heading level is skipped."""
    found = heading_levels(html)
    if not found:
        return html
    shift = min(top, 6) - min(found)
    return _HEADING.sub(lambda m: f"<{m[1]}h{max(1, min(int(m[2]) + shift, 6))}>", html)


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID = {"br", "hr", "img"}


def _top_paragraphs(html: str) -> list[tuple[int, int]]:
    """Where the opening tag of each top-level <p> of the sanitised HTML starts and ends (not the
    paragraphs inside a list item or a quotation)."""
    depth, out = 0, []
    for m in _TAG.finditer(html):
        closing, tag, selfclosing = m[1], m[2].lower(), m[3]
        if tag in _VOID or selfclosing:
            continue
        if closing:
            depth -= 1
        else:
            if tag == "p" and depth == 0:
                out.append((m.start(), m.end()))
            depth += 1
    return out


def paragraph_count(source: str) -> int:
    """How many top-level paragraphs the Markdown has: what a numbered report layout numbers."""
    return len(_top_paragraphs(to_html(source)))


def numbered_html(source: str, numbers: list[str]) -> str:
    """`to_html`, with the numbers given printed at the start of its top-level paragraphs."""
    html = to_html(source)
    for (start, end), number in reversed(list(zip(_top_paragraphs(html), numbers, strict=False))):
        opening = f'<p class="numbered"><span class="para-number">{escape(number)}.</span> '
        html = html[:start] + opening + html[end:]
    return html
