"""The demo against seed 002: every Appendix B row in the PDF with its status, the export's
targets, actuals and computed statuses equal to the seed's figures rated by the rules, every
published status equal to the one the paper prints, and its footnotes whole."""

import html
import json
import re

from django.core.management import call_command
from pypdf import PdfReader

from oversight.lib.audience import Audience

# (code, seed target, seed actual, status by the rules, status as published) for every Appendix B
# row of seed 002 that has a number target; transcribed independently of the demo's CSV.
SEED_002_NUMBER_ROWS = [
    ("1.1", 71.2, 69.1, "amber", "amber"),
    ("1.2", 95, 95.9, "green", "green"),
    ("1.3", 75, 74.2, "amber", "amber"),
    ("1.4", 276, 343, "green", "green"),
    ("1.5", 28, 28, "green", "green"),
    ("2.1", 1639, 1517, "green", "green"),
    ("2.2", 53, 54.9, "green", "green"),
    ("4.1", 14155, 13800, "green", "green"),
    ("4.2", 22.5, 21.5, "green", "green"),
    ("5.1", 15138, 15015, "green", "green"),
    ("5.2", 688, 519, "green", "green"),
    ("5.3", 23, 26, "green", "green"),
    ("5.4", 9.59, 10.03, "amber", "amber"),
    ("5.7", 0.87, 0.88, "amber", "green"),  # published green: "no significant change"
    ("5.8", 30.3, 33.5, "amber", "amber"),
    ("5.9", 662, 539, "green", "green"),
    ("7.1", 32, 34.3, "green", "green"),
    ("7.4", 2784, 2724, "green", "green"),
    ("8.1", 85, 86.5, "green", "green"),
    ("8.2", 89.8, 89.7, "amber", "amber"),
    ("9.2", 98, 100, "amber", "green"),  # killed or seriously injured: published green
]


# The status seed 002 prints in Appendix B's "RAG Status / Comment" column for every measure, in
# the paper's order (None: the paper prints a comment but no status), transcribed from the paper
# independently of the demo's CSV. Appendix B runs over five pages, each with its own header row.
SEED_002_PRINTED_STATUS = {
    # Appendix B, page 1: objectives 1 and 2 (footnotes 1-2)
    "1.1": "amber",
    "1.2": "green",
    "1.3": "amber",
    "1.4": "green",
    "1.5": "green",
    "2.1": "green",
    "2.2": "green",
    "2.3": "green",  # "Commenced G"
    # Appendix B, page 2: objectives 3 to 5 (footnotes 3-5)
    "3.1": None,  # "On target for July": no status printed
    "3.2": None,  # "181 Tests completed as of May 13"
    "3.3": None,  # "46% (84 positive tests)"
    "3.4": "green",
    "3.5": "green",
    "4.1": "green",
    "4.2": "green",
    "4.3": "green",  # "Data being captured G", a baseline year
    "4.4": "green",
    "5.1": "green",
    "5.2": "green",
    "5.3": "green",
    "5.4": "amber",
    "5.5": "green",
    "5.6": "green",  # "Commenced G", a baseline
    "5.7": "green",  # "No significant change G"
    "5.8": "amber",
    # Appendix B, page 3: objectives 5 (cont.), 6 and 7 (footnotes 6-8)
    "5.9": "green",
    "6.1": "green",
    "7.1": "green",
    "7.2": None,  # "See footnote"
    "7.3": None,  # "See foot note"
    "7.4": "green",
    "7.5": None,  # "See foot note"
    "7.6": None,  # "Measure in development"
    "7.7": None,  # "Measure in development"
    # Appendix B, page 4: objectives 7 (cont.), 8 and 9 (footnote 9)
    "7.8": "green",
    "8.1": "green",
    "8.2": "amber",
    "8.3": None,  # "Baseline in development."
    "8.4": "red",  # "See footnote R"
    "8.5": "green",
    "9.1": None,  # "In preparation.": no status printed
    "9.2": "green",  # killed or seriously injured, 100 against 98
    # Appendix B, page 5: objectives 10 and 11 (footnote 10)
    "10.1": "green",
    "10.2": "green",
    "10.3": "green",
    "10.4": "green",
    "10.5": "green",
    "11.1": "green",
    "11.2": "green",
}

# Seed 002's ten footnotes to Appendix B, as printed (6 and 8 have commas inside).
SEED_002_FOOTNOTES = [
    "The survey data is updated on a rolling basis. The actual shown is Q4 end of year compared to "
    "previous year",
    "Previous year figure (year to date) shown for comparison only",
    "Data is published quarterly – West Mercia is slightly above the predicted rate of offending. "
    "Some of this is down to proactive targeting integrated offender management (IOM) teams of high "
    "risk / high harm nominals in communities.",
    "HM Courts and Tribunals quarterly data – in line or on trajectory to achieve 40% by April 2014",
    "The youth offending rates data has been provided by the West Mercia Youth Offending Service "
    "(YOT) from the police national computer (PNC). The data runs for rolling 12 month cohorts each "
    "quarter. A binary measure and a frequency measure are shown – the latest data is from July 2010 "
    "to June 2011. The rising proportion of youth re-offenders is reflected both nationally and "
    "regionally.",
    "This indicator is measured nationally, direct from PNC. The indicator is measured in terms of "
    "the number of first time entrants per 100,000 youth pop. The data runs rolling for 12 month "
    "cohorts each quarter. The latest data available is Dec. 12.",
    "13/14 is to be used to establish a baseline. The figures show is the previous year data (year "
    "to date) which is for comparison only",
    "In June 2013 911 domestic abuse incidents were recorded (excluding incidents of undetermined "
    "partners or partner victims). where its was possible to identify 730 victims. Of these, 314 "
    "were identified as repeat victims, which is 43% of identified victims.",
    "This figure shows the ratio of trials to unnecessary witness attendance – a higher figure is "
    "better. West Mercia is currently performing less well than the other forces in the region – "
    "West Mercia Criminal Justice Board data and RAG rating",
    "A performance management framework is being developed to enable the PCC to monitor outcomes "
    "relating to the Strategic Policing Requirement and for the release of non sensitive "
    "information for wider circulation.",
]

HEADLINE_SENTENCE = (
    "To the end of June 2013 the headline measures are on target by the rules (8 of 9), except for "
    "reduction in the number of people killed or seriously injured, which is just off target but "
    "not significantly worse than target. 1 published status differs from the rules: reduction in "
    "the number of people killed or seriously injured is published as Green, where the rules give "
    "Amber (reason: as published)."
)


REPORT_HTML = "police-and-crime-plan-report-2013-14-q1.html"


def report_html(plan, period="2013/14 Q1") -> str:
    from oversight.core.render import render
    from oversight.reports.compose import compose_report

    return render(compose_report(plan, period, audience=Audience.STAFF), "html").decode()


def words_of(page: str) -> str:
    """The page's text as a reader sees it: no tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


def export(period="2013/14 Q1"):
    from io import StringIO

    out = StringIO()
    call_command(
        "export",
        "measures",
        "--plan",
        "west-mercia-2013",
        "--period",
        period,
        "--format",
        "json",
        "--audience",
        "public",
        stdout=out,
    )
    return [r for r in json.loads(out.getvalue()) if r["area"] == "force"]


def test_the_export_gives_the_seeds_targets_actuals_and_the_rules_statuses(demo):
    records = {r["measure"]: r for r in export()}
    assert len(records) == 49  # every row of seed 002's Appendix B
    for code, target, actual, computed, published in SEED_002_NUMBER_ROWS:
        r = records[code]
        assert (r["target"], r["actual"], r["rag_computed"], r["rag"]) == (
            target,
            actual,
            computed,
            published,
        ), code


def test_where_the_published_status_differs_the_override_says_as_published(demo):
    r = {r["measure"]: r for r in export()}["9.2"]
    assert (r["rag"], r["rag_computed"], r["rag_reason"]) == ("green", "amber", "as published")


def test_every_published_status_is_the_one_seed_002_prints(demo_plan):
    records = {r["measure"]: r for r in export()}
    assert list(records) == list(SEED_002_PRINTED_STATUS)
    published = {code: r["rag"] for code, r in records.items()}
    assert published == SEED_002_PRINTED_STATUS
    for code, r in records.items():
        if r["rag"] != r["rag_computed"]:
            assert r["rag_reason"].startswith("as published"), code


def test_a_milestone_the_paper_prints_without_a_status_shows_no_colour_and_the_rules_beside_it(
    demo_plan,
):
    records = {r["measure"]: r for r in export()}
    for code in ("3.1", "9.1"):
        assert (records[code]["rag"], records[code]["rag_computed"]) == (None, "green"), code
    page = words_of(report_html(demo_plan))
    # The cell gives the published status and a note mark; the note under the table the rules'.
    assert "No statusa – On target for July" in page
    assert (
        "a Development of a Force Strategy for mis-use of drugs: the rules give Green (milestone "
        "on track). Reason for the published status: as published."
    ) in page
    assert "(published status;" not in page


def test_the_footnotes_are_the_papers_ten_each_one_note_even_with_a_comma_inside(demo_plan):
    records = {r["measure"]: r for r in export()}
    assert records["5.9"]["footnotes"] == [SEED_002_FOOTNOTES[5]]
    assert records["7.5"]["footnotes"] == [SEED_002_FOOTNOTES[7]]
    page = report_html(demo_plan)
    notes = [html.unescape(n) for n in re.findall(r'<li id="note-\d+">(.*?)</li>', page)]
    assert notes == SEED_002_FOOTNOTES


def test_the_demo_writes_three_formats_and_the_pdf_carries_every_appendix_b_row(demo):
    import yaml

    from oversight.plans.demo import DATA

    for ext in ("html", "pdf", "docx"):
        assert (demo / f"police-and-crime-plan-report-2013-14-q1.{ext}").stat().st_size > 10_000
    reader = PdfReader(demo / "police-and-crime-plan-report-2013-14-q1.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    text = re.sub(r"(?<=\w)- (?=\w)", "-", text)  # a line broken after a hyphen ("mis- use")
    appendix_b = text[text.index("Appendix B – success measures") :]
    plan = yaml.safe_load((DATA / "west-mercia-2013.yaml").read_text())
    names = [m["name"] for o in plan["objectives"] for m in o["measures"]]
    assert len(names) == 49
    for name in names:
        assert " ".join(name.split()) in appendix_b, name
    # Statuses are words, not only colours: each published status (with the mark of its note
    # where an override differs), and the rules' status in that note, appears as a word.
    records = export()
    for word in ("Green", "Amber", "Red"):
        published = sum(r["rag"] == word.lower() for r in records)
        beside = sum(
            r["rag"] != r["rag_computed"] and r["rag_computed"] == word.lower() for r in records
        )
        found = re.findall(rf"\b{word}(?:[a-z]{{1,2}})?\b", appendix_b)
        assert len(found) == published + beside, word
    assert "Page 1 of" in text


def test_the_headline_summary_counts_by_the_rules_and_names_the_published_difference(demo):
    page = (demo / REPORT_HTML).read_text()
    assert HEADLINE_SENTENCE in " ".join(page.split())


def test_a_period_with_no_figures_yet_says_so_rather_than_none_on_target(demo_plan):
    page = words_of(report_html(demo_plan, "2013/14 Q2"))
    assert (
        "To the end of September 2013 there are no figures yet for this period for the 9 headline "
        "measures." in page
    )
    assert "none of the" not in page


def test_running_the_demo_twice_is_safe(demo, tmp_path):
    call_command("demo", "--out", str(tmp_path / "again"))
    assert len(export()) == 49


def test_the_demo_imports_the_police_uk_sample_when_it_is_at_hand(demo):
    from conftest import shared_path

    shared_path("police_uk", "street_geoinformation_in_society")
    from oversight.opendata.models import ImportedFile

    assert ImportedFile.objects.filter(force="west-mercia", kind="street").count() == 5
