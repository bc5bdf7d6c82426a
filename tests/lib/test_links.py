"""Which links may be stored (web addresses only) and which a renderer may write (those, and paths
on the same site): a table of cases, attacks included."""

import pytest

from oversight.lib.links import safe_href, web_address_problem

NOT_WEB = "is not a web address: a link must start with http:// or https://"


@pytest.mark.parametrize(
    "text, stored, written",
    [
        ("https://www.example.org/a?b=1#c", True, True),
        ("http://example.org", True, True),
        ("HTTPS://EXAMPLE.ORG/", True, True),
        ("/registers/decisions/d1/", False, True),  # the site's own pages
        ("#note-1", False, True),
        ("?period=2013%2F14", False, True),
        ("javascript:alert(1)", False, False),
        ("JavaScript:alert(1)", False, False),
        (" javascript:alert(1)", False, False),
        ("java\tscript:alert(1)", False, False),
        ("data:text/html,<script>alert(1)</script>", False, False),
        ("vbscript:msgbox(1)", False, False),
        ("ftp://example.org/x", False, False),
        ("//evil.example/x", False, False),
        ("/\\evil.example/x", False, False),
        ("https://", False, False),
        ("https:example.org", False, False),
        ("", False, False),
    ],
)
def test_only_web_addresses_are_stored_and_only_those_or_site_paths_written(text, stored, written):
    if text:
        assert (web_address_problem(text) is None) is stored
    assert (safe_href(text) == text) is written
    if not written:
        assert safe_href(text) is None


def test_the_reason_names_the_rule():
    assert web_address_problem("javascript:alert(1)") == f'"javascript:alert(1)" {NOT_WEB}'
    assert web_address_problem("https://") == (
        '"https://" is not a web address: it has no site name after https://'
    )
    assert web_address_problem("https://example.org/a b") == (
        '"https://example.org/a b" is not a web address: it contains spaces or control characters'
    )
