"""Report layouts: the three shipped layouts compose one report from the record in HTML, PDF and
DOCX; seed 003's draws each part of the record (finance, engagement, commissioned services,
delivery plan) so a change in the record changes the paper; paragraphs are numbered as the
papers number them; a bad layout file is refused with every problem listed."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document as Word
from docx.enum.section import WD_ORIENT
from pypdf import PdfReader

from oversight.core.render import render
from oversight.delivery import actions as delivery_actions
from oversight.delivery.importers import read_delivery
from oversight.delivery.models import Activity
from oversight.lib.audience import Audience
from oversight.plans.actions import import_narrative
from oversight.plans.importers import read_narrative
from oversight.registers.models import Contract
from oversight.reports import layouts
from oversight.reports.compose import compose_report

PERIOD = "2023/24 Q2"
DELIVERY = """\
activity,objective,title,owner,owner_email,weight,status,percent_complete,milestone,due,completed_on
1a,1,Launch the rural crime team,Pat Owner,pat@example.org,3,on_track,20,Team recruited,2023-07-31,2023-07-20
2a,2,Publish the strategy,,,1,at_risk,50,,,
"""
NARRATIVE = """---
period: 2023/24 Q2
---
# Recommendation
Members of the Panel are invited to consider the report.

# Objective 1
Referrals remained consistent this quarter.

## Sexual violence
The contract has entered its final year.

# Implications: legal
The Panel's legal adviser has seen this report.

# Contact points
For the Panel: the Democratic Services Manager.
"""


@pytest.fixture
def paper(seed003, write, editor):
    """The test plan with seed 003's finance, engagement and commissioning records (the demo
    loaders), a delivery plan and a narrative; the SARC contract serves objective 1."""
    plan = seed003
    delivery_actions.import_delivery(
        plan, read_delivery(write("delivery.csv", DELIVERY), plan), by=editor, file_name="d.csv"
    )
    Contract.objects.get(identifier="wm-adult-sarc-2024").objectives.add(
        plan.objectives.get(code="1")
    )
    import_narrative(plan, read_narrative(write("n.md", NARRATIVE), plan), by="test")
    return plan


def html_of(plan, layout: str) -> str:
    return render(
        compose_report(plan, PERIOD, audience=Audience.STAFF, layout=layout), "html"
    ).decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("layout", ["seed-002", "seed-003", "seed-004"])
def test_each_layout_composes_the_report_in_html_pdf_and_docx(paper, layout):
    doc = compose_report(paper, PERIOD, audience=Audience.STAFF, layout=layout)
    html = render(doc, "html").decode()
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render(doc, "pdf"))).pages)
    word = Word(io.BytesIO(render(doc, "docx")))
    docx = "\n".join(p.text for p in word.paragraphs)
    recommendation = "Members of the Panel are invited to consider the report."
    for out in (text_of(html), re.sub(r"\s+", " ", pdf), docx):
        assert "Test Police and Crime Plan" in out
        if layout != "seed-004":  # seed 004's recommendation has its own words
            assert recommendation in out


def test_the_seed_003_paper_has_its_sections_in_order_with_consecutive_paragraph_numbers(paper):
    html = html_of(paper, "seed-003")
    headings = re.findall(r"<h2>([^<]*)</h2>", html)
    assert headings[:4] == [
        "Recommendation",
        "Background",
        "Delivery plan and assurance",
        "Reduce crime",
    ]
    assert headings[-6:] == [
        "Risk Management Implications",
        "Financial Implications",
        "Legal Implications",
        "Equality Implications",
        "Supporting Information",
        "Contact Points",
    ]
    numbers = [int(n) for n in re.findall(r'<span class="para-number">(\d+)\.</span>', html)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 8
    text = text_of(html)
    assert "1. Members of the Panel are invited to consider the report." in text
    assert "2. The purpose of this report is to provide members" in text
    # the implications, supporting information and contact points are not numbered
    tail = html[html.index("Risk Management Implications") :]
    assert '<span class="para-number">' not in tail
    assert "The Panel's legal adviser has seen this report." in tail  # the narrative wins
    assert "For the Panel: the Democratic Services Manager." in tail
    equality = text_of(tail[tail.index("Equality Implications") :])
    assert equality.split("Supporting")[0].strip().endswith("None.")


def test_the_seed_003_paper_shows_each_objectives_narrative_activities_and_services(paper):
    html = html_of(paper, "seed-003")
    objective = text_of(
        html[html.index("<h2>Reduce crime</h2>") : html.index("<h2>Deliver strategies</h2>")]
    )
    assert "Referrals remained consistent this quarter." in objective
    assert "Sexual violence" in objective  # the sub-heading stays in the objective's text
    assert "1a Launch the rural crime team" in objective and "20%" in objective
    assert "379 people supported" in objective and "43% referred by the police" in objective
    other = text_of(html[html.index("<h2>Deliver strategies</h2>") :])
    assert "2a Publish the strategy" in other.split("Financial management")[0]


def test_the_seed_003_paper_changes_when_the_record_changes(paper, editor):
    from oversight.commissioning.models import ServiceKpi
    from oversight.engagement.models import Count
    from oversight.finance.models import Forecast

    before = text_of(html_of(paper, "seed-003"))
    assert "a projected underspend of £1.337m" in before

    forecast = Forecast.objects.get(budget_set__plan=paper, quarter=2, line=None)
    forecast.variance = -2_000_000
    forecast.save()
    count = Count.objects.filter(span__plan=paper, value__isnull=False).first()
    count.value += 11
    count.save()
    kpi = ServiceKpi.objects.get(contract__identifier="wm-adult-sarc-2024")
    kpi.people_supported = 401
    kpi.save()
    Activity.objects.filter(plan=paper, code="1a").update(percent_complete=65)

    after = text_of(html_of(paper, "seed-003"))
    assert f"{count.value:,}" not in before
    assert (
        "a projected underspend of £2m" in after
        and "£1.337m" not in after.split("Financial Implications")[0]
    )
    assert f"{count.value:,}" in after
    assert "401 people supported" in after and "379 people supported" not in after
    assert "65%" in after


def test_the_seed_004_summary_has_its_sections_and_numbers_from_background(paper):
    html = html_of(paper, "seed-004")
    headings = re.findall(r"<h2>([^<]*)</h2>", html)
    assert headings == [
        "Contact for further information",
        "Executive Summary",
        "Recommendation",
        "Background",
        "Performance Headlines",
        "Recommendation",
    ]
    before_background = html[: html.index("<h2>Background</h2>")]
    assert '<span class="para-number">' not in before_background
    assert "This report covers the period from 1 July 2023 to 30 September 2023." in text_of(
        before_background
    )
    numbers = [int(n) for n in re.findall(r'<span class="para-number">(\d+)\.</span>', html)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 3


def test_the_docx_numbers_the_paragraphs_the_html_numbers(paper):
    doc = compose_report(paper, PERIOD, audience=Audience.STAFF, layout="seed-003")
    html_numbers = re.findall(
        r'<span class="para-number">(\d+)\.</span>', render(doc, "html").decode()
    )
    word = Word(io.BytesIO(render(doc, "docx")))
    docx_numbers = [m[1] for p in word.paragraphs if (m := re.match(r"(\d+)\.\t", p.text))]
    assert docx_numbers == html_numbers


def test_the_docx_has_a_landscape_section_where_the_pdf_has_a_landscape_page(
    paper, settings, tmp_path
):
    own = tmp_path / "layouts"
    own.mkdir()
    (own / "paper-with-table.yaml").write_text(
        (layouts.BUILT_IN / "seed-003.yaml").read_text(encoding="utf-8")
        + "  - number: Appendix A\n"
        "    heading: Performance against the success measures\n"
        "    draws: measures_table\n"
        "    landscape: true\n",
        encoding="utf-8",
    )
    settings.OVERSIGHT_REPORT_LAYOUTS_DIR = str(own)
    doc = compose_report(paper, PERIOD, audience=Audience.STAFF, layout="paper-with-table")
    pdf = PdfReader(io.BytesIO(render(doc, "pdf")))
    wide = [i for i, p in enumerate(pdf.pages) if p.mediabox.width > p.mediabox.height]
    assert wide and all("success measure" in pdf.pages[i].extract_text().lower() for i in wide[:1])
    assert pdf.pages[0].mediabox.width < pdf.pages[0].mediabox.height
    word = Word(io.BytesIO(render(doc, "docx")))
    orientations = [s.orientation for s in word.sections]
    assert orientations[0] == WD_ORIENT.PORTRAIT and WD_ORIENT.LANDSCAPE in orientations


BAD = """\
title: A paper
paragraph_numbering: sometimes
colour: blue
sections:
  - heading: Background
    draws: narative
  - draws: implications
    heading: Implications
    implication: moral
  - heading: Finance
    draws: finance
    numbered: perhaps
    text: "For {plan} in {year}"
"""


def test_a_bad_layout_is_refused_with_every_problem_its_line_and_key(paper, settings, tmp_path):
    own = tmp_path / "layouts"
    own.mkdir()
    (own / "bad.yaml").write_text(BAD, encoding="utf-8")
    settings.OVERSIGHT_REPORT_LAYOUTS_DIR = str(own)
    with pytest.raises(layouts.LayoutError) as refused:
        compose_report(paper, PERIOD, audience=Audience.STAFF, layout="bad")
    lines = "\n".join(refused.value.lines())
    for where, reason in [
        ("line 2", "paragraph_numbering"),
        ("line 3", "colour"),
        ("line 6", 'unknown source "narative"'),
        ("line 9", "must be one of risk, financial, legal, equality"),
        ("line 12", "must be true or false"),
        ("line 13", 'unknown placeholder "{year}"'),
    ]:
        assert any(
            where in ln and reason in ln and "bad.yaml" in ln for ln in refused.value.lines()
        ), (
            where,
            reason,
            lines,
        )
    with pytest.raises(CommandError, match='unknown source "narative"'):
        call_command(
            "report",
            "--plan",
            paper.slug,
            "--period",
            PERIOD,
            "--audience",
            "staff",
            "--layout",
            "bad",
            "--out",
            str(tmp_path / "r.html"),
        )
    assert not (tmp_path / "r.html").exists()


def test_an_unknown_layout_is_refused_naming_the_layouts_there_are(paper, tmp_path):
    with pytest.raises(CommandError, match="seed-002, seed-003, seed-004"):
        call_command(
            "report",
            "--plan",
            paper.slug,
            "--period",
            PERIOD,
            "--audience",
            "staff",
            "--layout",
            "seed-009",
            "--out",
            str(tmp_path / "r.html"),
        )


def test_the_report_command_takes_the_plans_layout_or_the_one_named(paper, tmp_path):
    paper.report_layout = "seed-004"
    paper.save()
    call_command(
        "report",
        "--plan",
        paper.slug,
        "--period",
        PERIOD,
        "--audience",
        "staff",
        "--out",
        str(tmp_path / "a.html"),
    )
    assert "Performance Headlines" in (tmp_path / "a.html").read_text(encoding="utf-8")
    call_command(
        "report",
        "--plan",
        paper.slug,
        "--period",
        PERIOD,
        "--audience",
        "staff",
        "--layout",
        "seed-003",
        "--out",
        str(tmp_path / "b.html"),
    )
    assert "Delivery plan and assurance" in (tmp_path / "b.html").read_text(encoding="utf-8")


def test_staff_preview_the_report_in_another_layout_from_the_builder(paper, client, editor):
    client.force_login(editor)
    builder = client.get(f"/staff/plans/{paper.slug}/report/?period=2023%2F24+Q2").content.decode()
    assert "report/2023-24-q2.html?layout=seed-004" in builder
    preview = client.get(f"/staff/plans/{paper.slug}/report/2023-24-q2.html?layout=seed-004")
    assert "<h2>Performance Headlines</h2>" in preview.content.decode()
    broken = client.get(f"/staff/plans/{paper.slug}/report/2023-24-q2.html?layout=nonesuch")
    assert broken.status_code == 400 and 'no layout "nonesuch"' in broken.content.decode()


def test_the_layout_names_below_the_plans_app_are_the_reports_apps_layouts(settings, tmp_path):
    # oversight.core.layout_names finds the shipped layouts by path (reports is above it)
    shipped = Path(layouts.__file__).resolve().parent / "layouts"
    assert layouts.BUILT_IN == shipped and shipped.is_dir()
    assert layouts.available() == sorted(p.stem for p in shipped.glob("*.yaml"))
    own = tmp_path / "own"
    own.mkdir()
    (own / "office.yaml").write_text("", encoding="utf-8")
    settings.OVERSIGHT_REPORT_LAYOUTS_DIR = str(own)
    assert "office" in layouts.available()
