"""Which links may be stored and written into a page: web addresses (http or https) only, so a
`javascript:` or `data:` link typed into an import, a form or the database never reaches a reader,
not even in the offline HTML files no Content-Security-Policy protects."""

from __future__ import annotations

from urllib.parse import urlsplit

SCHEMES = ("http", "https")


def web_address_problem(text: str) -> str | None:
    """Why `text` is not a web address a record may link to, or None. A web address is absolute,
    http or https, with a host and no spaces or control characters: "https://www.example.org/x"."""
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in text):
        return f'"{text}" is not a web address: it contains spaces or control characters'
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in SCHEMES:
        return f'"{text}" is not a web address: a link must start with http:// or https://'
    if not parts.hostname:
        return f'"{text}" is not a web address: it has no site name after {parts.scheme}://'
    return None


def safe_href(href: str | None) -> str | None:
    """`href` when a renderer may write it into a page, else None (then print the text without a
    link): a web address, or a path, query or fragment on the same site ("/registers/…", "#note-1").
    """
    if not href:
        return None
    if href[0] in "#?" or (href[0] == "/" and href[1:2] not in ("/", "\\")):
        return None if any(c.isspace() or ord(c) < 32 for c in href) else href
    return None if web_address_problem(href) else href
