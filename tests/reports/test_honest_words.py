"""Honest words: commentary names the span a figure covers, the headline count says how many
figures are in, and the variation and assurance marks are Making Data Count icons with their
words, in the report's HTML, PDF and Word files and on the public measure page's chart."""

import io
import re
import zipfile

from docx import Document as WordDocument
from pypdf import PdfReader

from oversight.lib.audience import Audience
from oversight.lib.periods import parse_period
from oversight.plans.assessment import statuses
from oversight.reports.compose import headline_summary

REPORT = "police-and-crime-plan-report-2013-14-q1"


def words_of(page: str) -> str:
    import html

    return " ".join(html.unescape(re.sub(r"<svg.*?</svg>|<[^>]+>", " ", page, flags=re.S)).split())


def test_a_year_to_date_figure_is_said_to_cover_the_year_to_date(demo):
    page = words_of((demo / f"{REPORT}.html").read_text())
    assert (
        "1,517 violent crimes with injury were recorded in the year to date (April–June 2013)"
        in page
    )
    assert "in the year to June 2013" not in page


def summary(plan, period: str, audience: Audience) -> str:
    found = statuses(plan, period, [plan.force_area], audience=audience)
    return headline_summary(found, parse_period(period))


def test_a_period_with_some_figures_counts_the_figures_present(site):
    # The site has one submitted draft figure for 2013/14 Q2 (2.1) and no other.
    text = summary(site.plan, "2013/14 Q2", Audience.STAFF)
    assert text.startswith(
        "To the end of September 2013, 1 of the 9 headline measures has a figure;"
    )
    assert "There is no figure yet for " in text
    assert "none of the 9" not in text


def test_a_period_with_no_figures_says_no_figures_yet(site):
    text = summary(site.plan, "2013/14 Q2", Audience.PUBLIC)
    assert text == (
        "To the end of September 2013 there are no figures yet for this period for the 9 "
        "headline measures."
    )


ICON_ALTS = [
    "Common cause variation",
    "Special cause variation: improvement, high",
    "Special cause variation: concern, high",
    "Special cause variation: neither better nor worse, high",
    "Assurance: consistently passes the target",
    "Assurance: consistently fails the target",
    "Assurance: hit and miss, sometimes passes, sometimes fails",
]


def test_the_html_report_draws_each_icon_with_its_text_alternative_and_words(demo):
    page = (demo / f"{REPORT}.html").read_text()
    for alt in ICON_ALTS:  # the key shows every icon
        assert f'<span class="inline-image icon" role="img" aria-label="{alt}"><svg' in page, alt
    # 2.1's chart: its latest point is a low special cause improvement, its target hit and miss;
    # each icon is followed by its words, never colour alone.
    chart = page[page.index("2.1 Reduction in the volume of violent crime with injury: 39") :]
    assert re.search(
        r'aria-label="Special cause variation: improvement, low"><svg[^>]*><title>Special cause '
        r"variation: improvement, low</title>.*?</svg></span> <strong class=\"tag tag-improvement\">"
        r"Special cause variation: improvement</strong>",
        chart,
        re.S,
    )
    assert 'aria-hidden="true"' in chart[: chart.index("</svg>")]
    assert "Hit and miss: sometimes passes, sometimes fails" in chart


def test_the_pdf_tags_each_icon_as_a_figure_with_its_text_alternative_and_words(demo):
    from test_tagged_documents import structure

    pdf = (demo / f"{REPORT}.pdf").read_bytes()
    _, alts, _ = structure(pdf)
    for alt in [*ICON_ALTS, "Special cause variation: improvement, low"]:
        assert alt in alts, alt
    reader = PdfReader(demo / f"{REPORT}.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Key to the variation and assurance icons" in text
    assert "Icon and words on the chart" in text
    key = text[text.index("Key to the variation and assurance icons") :]
    for words in ("Common cause variation", "Consistently fails the target", "Hit and miss"):
        assert words in key


def test_the_word_report_has_each_icon_once_as_a_picture_with_alternative_text(demo):
    data = (demo / f"{REPORT}.docx").read_bytes()
    doc = WordDocument(io.BytesIO(data))
    alts = [el.get("descr") for el in doc.element.body.iter() if el.tag.endswith("}docPr")]
    for alt in ICON_ALTS:
        assert alt in alts, alt
    # The same icon is one picture in the file, however many times it is shown.
    media = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/media/")]
    assert len(media) < len(alts)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Special cause variation: improvement" in text


def test_the_public_measure_chart_shows_the_target_line_and_the_assurance_icon(
    client, site_history
):
    site = site_history
    svg = client.get(f"/measures/{site.measure.pk}/chart.svg").content.decode()
    assert "Red dotted: target." in svg
    assert "#de1b1b" in svg.lower()  # the target line
    assert "Target:" in svg and "hit and miss" in svg  # the assurance icon's words
    page = client.get(f"/measures/{site.measure.pk}/").content.decode()
    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", page, re.S)[1]
    assert (
        '<span class="site-icon" role="img" aria-label="Assurance: hit and miss, sometimes '
        'passes, sometimes fails"><svg aria-hidden="true"'
    ) in caption
    assert "Target (red dotted line): hit and miss" in caption
    img = re.search(r'<img class="site-chart"[^>]*alt="([^"]*)"', page)[1]
    assert "target" in img and "hit and miss" in img
