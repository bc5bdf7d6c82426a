"""The demo's second period, seed 003 (the Safer West Mercia Plan, 2023/24 Q2): its report in
three formats beside seed 002's, its figures from the finance, engagement, casework, delivery and
commissioning records (not from the narrative's words, which leave them out), and the exports
giving the paper's figures as data, with the delivery roll-up and the forecast movement computed."""

import csv
import html
import io
import json
import re

from django.core.management import call_command
from pypdf import PdfReader

from oversight.reports.demos import seed003

SEED_002_STEM = "police-and-crime-plan-report-2013-14-q1"


def words_of(page: str) -> str:
    """The page's text: tags dropped, entities read, white space single."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def narrative_words() -> str:
    return " ".join((seed003.DATA / "narrative-2023-24-q2.md").read_text().split())


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export", *args, stdout=out)
    return out.getvalue()


def test_the_demo_writes_the_seed_003_report_as_html_pdf_and_docx(demo):
    for ext in ("html", "pdf", "docx"):
        assert (demo / f"{seed003.STEM}.{ext}").stat().st_size > 10_000
    pdf = " ".join(p.extract_text() for p in PdfReader(demo / f"{seed003.STEM}.pdf").pages)
    assert "Safer West Mercia Plan" in pdf
    assert "Putting victims and survivors first" in pdf


def test_the_seed_002_report_is_still_written_for_its_own_plan(demo):
    page = words_of((demo / f"{SEED_002_STEM}.html").read_text())
    assert "Police and Crime Plan for West Mercia 2013-2017" in page
    assert "Safer West Mercia" not in page
    for ext in ("pdf", "docx"):
        assert (demo / f"{SEED_002_STEM}.{ext}").stat().st_size > 10_000


# (record, the figure as the report prints it): each is in its record and not in the narrative.
RECORD_FIGURES = [
    ("finance: the Q2 forecast", "£1.337m"),
    ("finance: the movement from Q1, computed", "£3.716m"),
    ("finance: the net budget requirement", "£273m"),
    ("engagement: social media posts", "1,527"),
    ("engagement: subscribers to news updates", "17,407"),
    ("casework: new pieces of casework", "1,166"),
    ("commissioning: adults who used the SARC in 2022/23", "379"),
    (
        "delivery: the plan's computed progress, over the activities it can count",
        "66.7% complete (over 12 of 15 activities; 3 have no percentage recorded)",
    ),
]


def test_the_report_takes_its_figures_from_the_records_not_the_narrative(demo):
    page = words_of((demo / f"{seed003.STEM}.html").read_text())
    narrative = narrative_words()
    missing = []
    for what, figure in RECORD_FIGURES:
        assert figure not in narrative, f"{what}: the narrative types {figure}"
        if figure not in page:
            missing.append(f"{what} ({figure})")
    assert not missing, "not in the report: " + "; ".join(missing)


def test_the_finance_export_gives_the_forecast_and_its_computed_movement(demo):
    doc = json.loads(
        export(
            "finance",
            "--plan",
            seed003.SLUG,
            "--period",
            seed003.PERIOD,
            "--audience",
            "public",
            "--format",
            "json",
        )
    )
    q2 = {i["measure"]: i for i in doc["items"] if i["section"] == "forecast Q2"}
    assert q2["variance"]["value"] == -1_337_000
    assert q2["movement"]["value"] == -3_716_000
    # The movement is computed: no demo file types it (§71 gives it; the Q1 forecast is derived).
    forecasts = seed003.DATA.parent.parent.parent / "finance/demo_data/forecasts-2023-24.csv"
    header = next(csv.reader(forecasts.open()))
    assert "movement" not in header


def test_the_delivery_export_computes_the_progress_from_the_papers_activities(demo):
    rows = list(csv.DictReader(io.StringIO((seed003.DATA / "delivery-2023-24-q2.csv").read_text())))
    activities = {r["activity"]: r for r in rows}
    # The paper gives no percentages: a complete activity counts 100 and one not started 0; one
    # on track has no percentage recorded, so it is left out of the mean (never counted as 0) and
    # the words say so.
    assert all(not r["percent_complete"].strip() for r in rows)  # none typed, no 0 for unknown
    done = sum(1 for r in activities.values() if r["status"] == "complete")
    not_started = sum(1 for r in activities.values() if r["status"] == "not_started")
    unrecorded = len(activities) - done - not_started
    assert (done, not_started, unrecorded) == (8, 4, 3)
    doc = json.loads(
        export(
            "delivery",
            "--plan",
            seed003.SLUG,
            "--period",
            seed003.PERIOD,
            "--audience",
            "public",
            "--format",
            "json",
        )
    )
    assert doc["progress"] == 66.7  # 8 × 100 / 12
    assert (doc["progress_counted"], doc["progress_not_recorded"]) == (done + not_started, 3)
    assert doc["progress_words"] == (
        f"66.7% complete (over {done + not_started} of {len(activities)} activities; "
        f"{unrecorded} have no percentage recorded)"
    )
    shown = {a["code"]: a for o in doc["objectives"] for a in o["activities"]}
    assert set(shown) == set(activities)
    for code, r in activities.items():  # no activity shows a percentage the paper did not give
        recorded = 100 if r["status"] == "complete" else None
        progress = {"complete": 100, "not_started": 0}.get(r["status"])
        assert (shown[code]["percent_complete"], shown[code]["progress"]) == (recorded, progress)
    by_code = {o["code"]: o for o in doc["objectives"]}
    assert by_code["3"]["progress_words"] == (
        "75% complete (over 4 of 7 activities; 3 have no percentage recorded)"
    )
    assert by_code["4"]["progress"] is None  # the paper states no activity's status under it
    assert by_code["4"]["progress_words"] == "No progress to show (no weighted activities)"


def test_the_report_says_not_recorded_where_the_paper_gives_no_percentage(demo):
    page = words_of((demo / f"{seed003.STEM}.html").read_text())
    assert "3.3 Roll out Microsoft 365 to officers and staff On track Not recorded" in page
    assert "3.5 Close the existing Redditch Police Station Complete 100%" in page
    # 0% only where the paper says the work has not started; never for one under way
    assert page.count(" 0%") == page.count("Not started 0%") == 4


def test_the_engagement_export_gives_the_papers_counts_and_casework(demo):
    text = export(
        "engagement",
        "--plan",
        seed003.SLUG,
        "--period",
        seed003.PERIOD,
        "--audience",
        "public",
        "--format",
        "csv",
    )
    rows = {(r["section"], r["code"]): r for r in csv.DictReader(io.StringIO(text))}
    assert rows[("counts", "press-releases")]["value"] == "185"
    assert rows[("counts", "engagements")]["value"] == "96"
    assert rows[("casework", "new")]["value"] == "1166"


def test_the_risk_export_is_empty_as_the_papers_implications_are_none(demo):
    doc = json.loads(
        export("risks", "--plan", seed003.SLUG, "--audience", "public", "--format", "json")
    )
    assert doc["risks"] == []


def test_every_transcribed_row_names_its_source_paragraph():
    for name, column in [
        ("delivery-2023-24-q2.csv", "description"),
        ("observations-2023-24-q2.csv", "source"),
    ]:
        for row in csv.DictReader((seed003.DATA / name).open(encoding="utf-8")):
            assert re.search(r"seed 003 §\d+", row[column]), f"{name}: {row}"
