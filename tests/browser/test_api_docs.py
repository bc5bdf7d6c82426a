"""The API's interactive documentation runs in a real Chromium within the site's Content Security
Policy: django-ninja's Swagger UI from the site's own static files, no CDN, no inline script."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_interactive_api_documentation_lists_every_operation_within_the_csp(
    live_server, db, page
):
    from oversight.api.api import operations

    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20000)
    shown = {
        " ".join(e.inner_text().replace("\u200b", "").split())
        for e in page.query_selector_all(".opblock-summary-path")
    }
    wanted = {op["path"] for op in operations()}
    assert wanted <= shown, sorted(wanted - shown)
    assert refused == [] and outside == []
