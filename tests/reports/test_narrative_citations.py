"""The narrative cites a record's figure by key ({{ finance.forecast_variance }}), filled in when
the report is composed for its audience: the seed 003 report reads the paper's sentences; a change
to the record changes the sentence; a draft figure never reaches the public, which reads
"[not recorded]"; an unknown key is refused at import with its line, and by the editor."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest

from oversight.core.render import render
from oversight.finance.models import Forecast
from oversight.lib.audience import Audience
from oversight.lib.citations import NOT_RECORDED
from oversight.lib.problems import ImportRefused
from oversight.plans.actions import import_narrative, publish_period
from oversight.plans.importers import read_narrative
from oversight.plans.models import Narrative
from oversight.reports.compose import compose_report
from oversight.reports.demos import seed003 as seed003_demo

PERIOD = "2023/24 Q2"
FINANCE = (
    "The review of the financial position at the end of quarter 2 highlighted a small underspend "
    "against the budget year to date, with a projected {{ finance.forecast_variance_kind }} by "
    "the end of the financial year of {{ finance.forecast_variance }}. This is "
    "{{ finance.forecast_movement_words }}."
)
NARRATIVE = f"""---
period: "{PERIOD}"
source: synthetic test text, citing seed 003's figures as the fixture loads them
---

# Finance

{FINANCE}

# Objective 2

The funding will deliver {{{{ commissioning.output_target:safer-streets-5-initiatives }}}} initiatives.
The office dealt with {{{{ engagement.casework_new }}}} new pieces of casework.
"""
PAPER_FINANCE = (
    "with a projected underspend by the end of the financial year of £1.337m. This is an "
    "improvement of £3.716m from the Q1 forecast."
)


def words(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def report(plan, audience: Audience) -> str:
    doc = compose_report(plan, PERIOD, audience=audience, layout="seed-003")
    return words(render(doc, "html").decode())


@pytest.fixture
def cited(seed003, write):
    """Seed 003's records on the test plan, with a narrative citing them, published."""
    import_narrative(seed003, read_narrative(write("n.md", NARRATIVE), seed003), by="test")
    publish_period(seed003, PERIOD, by="test")
    return seed003


def test_the_report_reads_the_papers_sentence_with_the_records_figures(cited):
    page = report(cited, Audience.PUBLIC)
    assert PAPER_FINANCE in page
    assert "will deliver 14 initiatives." in page
    assert "dealt with 1,166 new pieces of casework." in page
    assert "{{" not in page and NOT_RECORDED not in page


def test_changing_the_record_changes_the_sentence(cited):
    q2 = Forecast.objects.get(quarter=2, line=None)
    # an overspend of £3m on Q1's £2.379m: the movement is now a deterioration of £621k
    q2.variance = Decimal("3000000.00")
    q2.save()
    page = report(cited, Audience.PUBLIC)
    assert (
        "with a projected overspend by the end of the financial year of £3m. This is a "
        "deterioration of £621k from the Q1 forecast." in page
    )
    assert "£1.337m" not in page


def test_a_draft_figure_never_reaches_the_public_report(cited):
    Forecast.objects.filter(quarter=2, line=None).update(state="draft")
    public = report(cited, Audience.PUBLIC)
    assert (
        f"with a projected {NOT_RECORDED} by the end of the financial year of {NOT_RECORDED}. "
        f"This is {NOT_RECORDED}." in public
    )
    assert "£1.337m" not in public and "£3.716m" not in public
    # the staff, who may read drafts, see the draft figure in the same sentence
    assert PAPER_FINANCE in report(cited, Audience.STAFF)


def test_a_figure_not_recorded_prints_the_visible_marker(cited, write):
    text = NARRATIVE.replace("safer-streets-5-initiatives", "no-such-output")
    import_narrative(cited, read_narrative(write("n2.md", text), cited), by="test")
    assert f"will deliver {NOT_RECORDED} initiatives." in report(cited, Audience.STAFF)


def test_an_unknown_key_is_refused_at_import_with_its_line_and_the_known_keys(small_plan, write):
    text = NARRATIVE.replace("{{ engagement.casework_new }}", "{{ engagement.casework_nwe }}")
    with pytest.raises(ImportRefused) as refused:
        read_narrative(write("n.md", text), small_plan)
    (problem,) = refused.value.problems
    assert problem.row == "line 13"
    assert 'unknown figure key "engagement.casework_nwe"' in problem.reason
    assert "engagement.casework_new" in problem.reason
    assert "finance.forecast_variance" in problem.reason
    assert "commissioning.output_target:CODE" in problem.reason


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("{{ commissioning.output_target }}", "needs the code of the item it cites"),
        ("{{ finance.total_budget:x }}", "names no item"),
        ("{{ total budget }}", "is not a figure key"),
        ("{{ finance.total_budget", "not closed"),
    ],
)
def test_a_key_written_wrongly_is_refused_at_import(small_plan, write, line, why):
    text = NARRATIVE.replace("{{ engagement.casework_new }}", line)
    with pytest.raises(ImportRefused) as refused:
        read_narrative(write("n.md", text), small_plan)
    assert [p.row for p in refused.value.problems] == ["line 13"]
    assert why in refused.value.problems[0].reason


def test_the_seed_003_demo_report_reads_the_papers_sentences(demo):
    page = words((demo / f"{seed003_demo.STEM}.html").read_text())
    for sentence in (
        "will deliver 14 initiatives focused on reducing",
        PAPER_FINANCE,
        "In 2022/23, 379 adults accessed the service. Of these, 43% were referred by the police",
        "have worked with 43 perpetrators, 43 victims and 133 children. 12 direct contact cases "
        "were closed this quarter",
        "The PCC has set a Net Budget Requirement of £273m. Following additional funding and use "
        "of reserves the total budget for the year is £277m.",
        # lib.money prints £600k where the paper writes £0.6m: the record's form, as everywhere
        "The PCC has provided £600k for replacement of vehicles",
        "The other £400k the PCC has allocated",
        "185 press releases and statements have been issued. This resulted in 336 items",
        "more than 8,800 people engaged with posts",
        "circa 9,500 people visited the PCC's website",
        "dealt with 1,166 new pieces of casework",
    ):
        assert sentence in page, sentence
    assert "{{" not in page and NOT_RECORDED not in page


def test_the_editor_previews_the_cited_figures_and_refuses_an_unknown_key(cited, client, editor):
    client.force_login(editor)
    n = Narrative.objects.get(plan=cited, section="finance")
    data = {"section": n.section, "objective": "", "title": n.title, "order": 0}
    page = client.post(
        f"/staff/narratives/{n.pk}/", {**data, "body": FINANCE, "preview": "1"}
    ).content.decode()
    assert PAPER_FINANCE in words(page)
    bad = "Line one.\n\nA figure: {{ finance.no_such_key }}."
    page = client.post(f"/staff/narratives/{n.pk}/", {**data, "body": bad, "save": "1"})
    assert 'Line 3: unknown figure key "finance.no_such_key"' in words(page.content.decode())
    n.refresh_from_db()
    assert "no_such_key" not in n.body
