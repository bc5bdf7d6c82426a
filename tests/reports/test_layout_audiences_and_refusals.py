"""Review of the report layouts: a committee-paper layout shows the public and the Panel nothing
the office has not published or released (draft narrative, delivery plan, finance, engagement,
commissioning); a preview layout that is not one is the request's fault, refused without a file
read outside the layouts' folders; the public report's cached copy follows the layout file."""

from __future__ import annotations

import os
import re

import pytest
from test_report_layouts import PERIOD, paper  # noqa: F401 - the fixture, reused

from oversight.core.render import render
from oversight.lib.audience import Audience
from oversight.plans.models import Plan
from oversight.reports.compose import compose_report

# Each is in the staff's seed 003 paper and comes from a draft: the narrative, the delivery plan,
# the finance, engagement and commissioning records the fixture loads unpublished.
DRAFT_WORDS = [
    "Referrals remained consistent this quarter",  # draft objective narrative
    "legal adviser has seen this report",  # draft implication
    "Democratic Services Manager",  # draft contact points
    "Launch the rural crime team",  # draft delivery activity
    "£273m",  # the budget, put back to draft below
    "£1.337m",  # the Q2 forecast, put back to draft below
    "1,527",  # an engagement count, put back to draft below
]


def drafts_again(plan) -> None:
    """The seed 003 loaders publish the finance and engagement records; the office's records are
    drafts until published, so the test puts them back."""
    from oversight.commissioning.models import FundedOutput, ServiceKpi
    from oversight.engagement.models import Span
    from oversight.finance.models import BudgetSet, Forecast

    BudgetSet.objects.filter(plan=plan).update(state="draft")
    Forecast.objects.filter(budget_set__plan=plan).update(state="draft")
    Span.objects.filter(plan=plan).update(state="draft")
    ServiceKpi.objects.update(state="draft")
    FundedOutput.objects.update(state="draft")


def words(plan, audience) -> str:
    html = render(compose_report(plan, PERIOD, audience=audience, layout="seed-003"), "html")
    return " ".join(re.sub(r"<[^>]+>", " ", html.decode()).split())


def test_the_seed_003_layout_shows_the_public_and_panel_no_draft(paper):  # noqa: F811
    drafts_again(paper)
    staff = words(paper, Audience.STAFF)
    for phrase in DRAFT_WORDS:
        assert phrase in staff, phrase  # the check below can fail
    for audience in (Audience.PUBLIC, Audience.PANEL):
        shown = words(paper, audience)
        leaked = [p for p in DRAFT_WORDS if p in shown]
        assert not leaked, (audience, leaked)


@pytest.mark.parametrize("name", ["nonesuch", "../../../../etc/passwd", "..%2F..%2Fsettings"])
def test_a_preview_layout_that_is_not_one_is_a_bad_request(paper, client, editor, name):  # noqa: F811
    client.force_login(editor)
    page = client.get(f"/staff/plans/{paper.slug}/report/2023-24-q2.html", {"layout": name})
    body = page.content.decode()
    assert page.status_code == 400, page.status_code
    assert "no layout" in body and "seed-003" in body  # says which layouts there are
    assert "root:" not in body


def test_the_public_report_follows_an_edit_to_the_office_layout_file(
    paper,  # noqa: F811
    client,
    settings,
    tmp_path,
):
    from oversight.plans.actions import publish_period

    settings.OVERSIGHT_REPORT_LAYOUTS_DIR = str(tmp_path)
    own = tmp_path / "own.yaml"

    def write(title: str, when: int) -> None:
        own.write_text(
            f"title: {title}\nsections:\n  - heading: Background\n    draws: background\n",
            encoding="utf-8",
        )
        os.utime(own, ns=(when, when))

    write("First title", 1_000_000_000_000_000_000)
    Plan.objects.filter(pk=paper.pk).update(report_layout="own")
    publish_period(paper, PERIOD, by="test")
    url = f"/plans/{paper.slug}/reports/2023-24-q2.html"
    assert "First title" in client.get(url).content.decode()
    write("Second title", 1_000_000_100_000_000_000)  # the office edits its file; no audit entry
    assert "Second title" in client.get(url).content.decode()
