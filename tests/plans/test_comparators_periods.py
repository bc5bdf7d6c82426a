"""One observations file with named comparators and a rank, a weekly series, a rolling-year figure,
a figure whose data are older than its period and two survey results: each imports and reads
correctly in the report (HTML, PDF, DOCX), on the public measure page, in the exports (JSON, CSV)
and through the API; a bad value of any of them is refused with file, row, column and reason, and
nothing is written. The figures are invented for the test (synthetic), not transcribed."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from docx import Document as Word
from pypdf import PdfReader

from oversight.core.render import render
from oversight.lib.audience import Audience
from oversight.plans.actions import (
    import_observations,
    import_plan,
    publish_period,
    publish_plan,
)
from oversight.plans.exports import measure_records, observations_csv
from oversight.plans.importers import read_observations, read_plan
from oversight.plans.models import Observation, ObservationRevision, Plan
from oversight.reports.compose import compose_report

PLAN = """\
plan: {slug: cmp, title: Comparison plan, force: West Mercia, starts: 2013-04-01, ends: 2017-03-31}
objectives:
  - code: "1"
    title: Reduce crime
    measures:
      - {code: "1.1", name: Burglary rate per thousand households, unit: rate, polarity: down,
         headline: true, target: {kind: monitor}}
      - {code: "1.2", name: 999 calls answered within 10 seconds, unit: percent, polarity: up,
         headline: true, target: {kind: value, value: 90}}
      - {code: "1.3", name: Victims satisfied with the service, unit: percent, polarity: up,
         target: {kind: value, value: 85}}
      - {code: "1.4", name: Young people who reoffend, unit: percent, polarity: down,
         target: {kind: monitor}}
      - {code: "1.5", name: Public confidence in the police, unit: percent, polarity: up,
         target: {kind: value, value: 71.2}}
      - {code: "1.6", name: Parish councils satisfied, unit: percent, polarity: up,
         target: {kind: value, value: 60}}
"""

HEADER = (
    "measure,period,area,value,target,basis,comparator,comparator_label,comment,"
    "comparator:region,comparator:region:label,comparator:national,rank,rank_of,rank_label,"
    "data_span,sample_size,responses\n"
)
ROWS = [
    "1.1,2013/14 Q1,,4.2,,,,,,4.5,West Midlands region average,5.1,29,43,forces in England and Wales,,,",
    "1.2,w/e 7 April 2013,,91,,,,,,,,,,,,,,",
    "1.2,w/e 14 April 2013,,89.5,,,,,,,,,,,,,,",
    "1.2,W/E 21/04/2013,,92.5,,,,,,,,,,,,,,",
    "1.2,2013-W17,,88,,,,,,,,,,,,,,",
    "1.2,2013-W18,,90.5,,,,,,,,,,,,,,",
    "1.2,week ending 12 May 2013,,93,,,,,,,,,,,,,,",
    "1.3,12 months to June 2013,,84.5,,,,,,,,,,,,,,",
    "1.4,2013/14 Q1,,35.2,,,,,,,,,,,,2010-07..2011-06,,",
    "1.5,2012/13 Q4,,71,,,,,,,,,,,,,1900,1150",
    "1.5,2013/14 Q1,,69.1,,,,,,,,,,,,,2000,1200",
    "1.6,2013/14 Q1,,55,,,,,,,,,,,,,300,69",
]
FILE = HEADER + "\n".join(ROWS) + "\n"
WEEKS = ["2013-W14", "2013-W15", "2013-W16", "2013-W17", "2013-W18", "2013-W19"]


@pytest.fixture
def plan(db, write):
    p, _ = import_plan(read_plan(write("plan.yaml", PLAN)), by="test")
    rows = read_observations(write("figures.csv", FILE), p)
    import_observations(p, rows, by="test", file_name="figures.csv")
    p = publish_plan(p, by="test")
    for code in {o.period.code for o in Observation.objects.select_related("period")}:
        publish_period(p, code, by="test")
    return Plan.objects.get(pk=p.pk)


def flat(text: str) -> str:
    return " ".join(text.split())


EXPECTED = [
    "West Midlands region average 4.5",
    "England and Wales 5.1",
    "29th of 43 forces in England and Wales",
    "12 months to June 2013",
    "latest data: July 2010 – June 2011",
    "stale",
    "1,200 of 2,000 responded (60% response rate); margin of error ±2.6 percentage points",
    "2.1 points below target, within the margin of error",
    "Sample too small to judge: only 69 responses (the minimum is 100)",
]


def test_the_file_imports_each_kind_of_figure_with_its_period_comparators_span_and_survey(plan):
    obs = {
        (o.measure.code, o.period.code): o
        for o in Observation.objects.select_related("measure", "period")
    }
    burglary = obs[("1.1", "2013/14 Q1")]
    assert [(c.name, c.label, str(c.value)) for c in burglary.comparator_list] == [
        ("region", "West Midlands region average", "4.5"),
        ("national", "England and Wales", "5.1"),
    ]
    assert burglary.rank_words == "29th of 43 forces in England and Wales"
    weeks = sorted((o.period for (m, _), o in obs.items() if m == "1.2"), key=lambda p: p.start)
    assert [p.code for p in weeks] == WEEKS
    assert weeks[0].label == "week ending 7 April 2013" and weeks[0].kind == "week"
    rolling = obs[("1.3", "12m to 2013-06")].period
    assert (rolling.start.isoformat(), rolling.end.isoformat()) == ("2012-07-01", "2013-06-30")
    old = obs[("1.4", "2013/14 Q1")]
    assert old.vintage_words.startswith(
        "latest data: July 2010 – June 2011 (stale: the data end 24"
    )
    assert obs[("1.5", "2013/14 Q1")].is_survey


def test_the_report_shows_each_in_html_pdf_and_docx(plan):
    report = compose_report(plan, "2013/14 Q1", audience=Audience.PUBLIC)
    html = flat(re.sub(r"<[^>]+>", " ", render(report, "html").decode()))
    pdf = flat(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render(report, "pdf"))).pages)
    )
    word = Word(io.BytesIO(render(report, "docx")))
    docx = flat(
        " ".join(
            [p.text for p in word.paragraphs]
            + [c.text for t in word.tables for r in t.rows for c in r.cells]
        )
    )
    for text in EXPECTED + ["w/e 7 Apr 2013", "6 weeks"]:
        assert text in html, text
        assert text in docx, text
    # the PDF's narrow table columns wrap, so its checks read the full-width paragraphs
    for text in (
        "latest data: July 2010 – June 2011 (stale",
        "margin of error ±2.6 percentage points",
        "Sample too small to judge",
        "6 weeks, w/e 7 Apr 2013 to w/e 12 May 2013",
    ):
        assert text in pdf, text
    assert "29th of 43" in pdf and "West Midlands region average" in pdf


def test_the_public_page_and_its_twins_show_each(plan, client):
    confidence = plan.measures.get(code="1.5")
    page = flat(
        re.sub(r"<[^>]+>", " ", client.get(reverse("web:measure", args=[confidence.pk])).text)
    )
    assert "±2.6 points" in page and "1,200 of 2,000 responded" in page
    burglary = plan.measures.get(code="1.1")
    page = flat(
        re.sub(r"<[^>]+>", " ", client.get(reverse("web:measure", args=[burglary.pk])).text)
    )
    assert "West Midlands region average 4.5; England and Wales 5.1; 29th of 43" in page
    weekly = plan.measures.get(code="1.2")
    raw = client.get(reverse("web:measure", args=[weekly.pk])).text
    assert "week ending 12 May 2013" in flat(re.sub(r"<[^>]+>", " ", raw))
    assert "6 weeks w/e 7 Apr 2013 to w/e 12 May 2013" in raw  # the chart's text alternative
    stale = plan.measures.get(code="1.4")
    page = flat(re.sub(r"<[^>]+>", " ", client.get(reverse("web:measure", args=[stale.pk])).text))
    assert "latest data: July 2010 – June 2011 Stale" in page

    overview = client.get(reverse("plans:performance-period", args=["cmp", "2013/14 Q1"])).text
    overview = flat(re.sub(r"<[^>]+>", " ", overview))
    assert "84.5% 12 months to June 2013 (July 2012 to June 2013)" in overview
    assert "35.2% latest data: July 2010 – June 2011 Stale" in overview

    items = client.get(reverse("web:measure-json", args=[confidence.pk])).json()["items"]
    q1 = next(i for i in items if i["period"] == "2013/14 Q1")
    assert (q1["sample_size"], q1["responses"], q1["margin_of_error"]) == (2000, 1200, 2.6)
    assert q1["too_small_to_judge"] is False
    csv_text = client.get(reverse("web:measure-csv", args=[burglary.pk])).content.decode()
    assert "West Midlands region average 4.5; England and Wales 5.1" in csv_text


def test_the_exports_and_the_api_carry_each(plan, client):
    records = {
        r["measure"]: r for r in measure_records(plan, "2013/14 Q1", audience=Audience.PUBLIC)
    }
    b = records["1.1"]
    assert b["comparators"] == [
        {"name": "region", "label": "West Midlands region average", "value": 4.5},
        {"name": "national", "label": "England and Wales", "value": 5.1},
    ]
    assert (b["rank"], b["rank_of"], b["rank_words"]) == (
        29,
        43,
        "29th of 43 forces in England and Wales",
    )
    assert records["1.3"]["figure_period"] == "12m to 2013-06"
    assert records["1.3"]["actual"] == 84.5
    assert (records["1.4"]["latest_data"], records["1.4"]["stale"]) == (
        "July 2010 – June 2011",
        True,
    )
    assert records["1.6"]["too_small_to_judge"] is True
    assert records["1.6"]["response_rate"] == 23.0

    # the plan's own export reads back: the same comparators, span, weeks and survey
    text = observations_csv(plan)
    header = text.splitlines()[0].split(",")
    for col in ("rank", "rank_of", "data_from", "data_to", "sample_size", "comparator:region"):
        assert col in header
    assert "2013-W19" in text and "12m to 2013-06" in text

    api = client.get("/api/v1/plans/cmp/periods/2013-14-q1/measures").json()
    by_code = {r["measure"]: r for r in api}
    assert by_code["1.1"]["rank_words"] == "29th of 43 forces in England and Wales"
    assert by_code["1.4"]["latest_data"] == "July 2010 – June 2011"
    assert by_code["1.5"]["margin_of_error"] == 2.6
    weekly = client.get("/api/v1/plans/cmp/measures/1.2/observations").json()
    assert [o["period"] for o in weekly] == WEEKS
    assert weekly[-1]["period_label"] == "week ending 12 May 2013"
    exported = json.loads(
        client.get(reverse("plans:performance-period-json", args=["cmp", "2013/14 Q1"])).content
    )
    assert any(i["rank_words"].startswith("29th of 43") for i in exported["items"])


def test_a_re_import_of_the_export_gives_the_same_figures(plan, write):
    def figures():
        return sorted(
            (o.measure.code, o.period.code, o.snapshot()["comparators"], o.data_to, o.responses)
            for o in Observation.objects.select_related("measure", "period")
        )

    before = figures()
    text = observations_csv(plan)
    Observation.objects.all().delete()
    import_observations(plan, read_observations(write("back.csv", text), plan), by="test")
    assert figures() == before


BAD = [
    ("comparator:Region Avg", "1", "comparator:region avg", "is not a comparator name"),
    ("comparator:region:value", "1", "comparator:region:value", "is not a comparator column"),
    ("comparator:regional", "1", "comparator:regional", "add a comparator:regional:label column"),
    ("rank", "44", "rank", "rank 44 is more than its base rank_of 43"),
    ("data_span", "2011-06..2010-07", "data_span", "a span must end after it starts"),
    ("data_span", "2013-05..2013-09", "data_span", "ends after the period does"),
    ("responses", "2100", "responses", "2,100 responses is more than the sample of 2,000"),
]


@pytest.mark.parametrize("column, value, named, reason", BAD)
def test_a_bad_comparator_rank_span_or_survey_is_refused_and_nothing_is_written(
    plan, write, column, value, named, reason
):
    before = (
        sorted(Observation.objects.values_list("pk", "value", "comparators", "updated_at")),
        ObservationRevision.objects.count(),
    )
    base = {
        "measure": "1.5",
        "period": "2013/14 Q1",
        "value": "70",
        "rank": "3",
        "rank_of": "43",
        "data_span": "",
        "sample_size": "2000",
        "responses": "1200",
    }
    base[column] = value
    header = list(base)
    path = write("bad.csv", ",".join(header) + "\n" + ",".join(base.values()) + "\n")
    with pytest.raises(CommandError) as err:
        call_command("import", "observations", str(path), "--plan", "cmp")
    message = str(err.value)
    where = "row 1" if column.startswith("comparator:") else "row 2"
    assert f"bad.csv, {where}, column {named}: " in message, message
    assert reason in message, message
    assert "nothing was imported" in message
    after = (
        sorted(Observation.objects.values_list("pk", "value", "comparators", "updated_at")),
        ObservationRevision.objects.count(),
    )
    assert after == before


def test_a_survey_on_a_measure_that_is_not_a_percentage_is_refused(plan, write):
    path = write("s.csv", "measure,period,value,sample_size,responses\n1.1,2013/14 Q1,4,100,50\n")
    with pytest.raises(CommandError) as err:
        call_command("import", "observations", str(path), "--plan", "cmp")
    assert "row 2, column sample_size: 1.1 is not a percentage" in str(err.value)


def test_the_drafted_commentary_speaks_of_the_span_the_data_cover(plan):
    from oversight.plans.statistics import measure_statistics

    found = {
        st.measure.code: st
        for st in measure_statistics(
            plan, "2013/14 Q1", [plan.force_area], audience=Audience.PUBLIC
        )
    }
    assert "was 35.2% in the latest data (July 2010 – June 2011)" in found["1.4"].commentary
    # the rolling year standing in for the quarter speaks of its own twelve months
    assert "in the twelve months to June 2013" in found["1.3"].commentary
