"""Markdown written by staff, turned into safe HTML: rendered by Python-Markdown, cleaned by nh3.

A narrative containing `<script>` or a `javascript:` link comes out as harmless text.
"""

from __future__ import annotations

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
    for level in (2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(
            f"</h{level}>", f"</h{level + 2}>"
        )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
