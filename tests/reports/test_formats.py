"""The three renderings of one composed report: real Word tables on A4, a paged A4 PDF, and one
self-contained accessible HTML page."""

import io
import re

import pytest
from docx import Document as Word
from docx.shared import Cm
from pypdf import PdfReader

from oversight.core.render import render
from oversight.lib.audience import Audience
from oversight.plans.actions import import_narrative, import_observations
from oversight.plans.importers import read_narrative, read_observations
from oversight.reports.compose import compose_report

from conftest import HEADER

FIGURES = HEADER + "1.1,2013/14 Q1,,1517,,ytd,,,,,,,,\n1.2,2013/14 Q1,,40,,,,,,,,,,Below target\n"
NARRATIVE = """---
period: 2013/14 Q1
---
# Objective 1
Crime is falling. <script>alert("x")</script> [a link](javascript:alert(1))

# Activity: Grants
- one
- two
"""


@pytest.fixture
def report(small_plan, write):
    import_observations(
        small_plan, read_observations(write("q1.csv", FIGURES), small_plan), by="test"
    )
    import_narrative(small_plan, read_narrative(write("n.md", NARRATIVE), small_plan), by="test")
    return compose_report(small_plan, "2013/14 Q1", audience=Audience.STAFF)


def test_the_docx_is_a4_with_real_tables_whose_header_row_repeats(report):
    word = Word(io.BytesIO(render(report, "docx")))
    section = word.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.1) and abs(section.page_height - Cm(29.7)) < Cm(
        0.1
    )
    appendix = next(t for t in word.tables if t.rows[0].cells[1].text == "Success measure")
    assert appendix.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    rows = [[c.text for c in r.cells] for r in appendix.rows]
    assert any("Crimes recorded*" in r[1] and r[-1].startswith("Amber") for r in rows)
    assert any("Solved rate" in r[1] and r[-1].startswith("Red") for r in rows)


def test_the_pdf_is_a4_with_page_numbers(report):
    pdf = PdfReader(io.BytesIO(render(report, "pdf")))
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert f"Page 1 of {len(pdf.pages)}" in pdf.pages[0].extract_text()


def test_the_html_is_one_self_contained_page_with_worded_statuses(report):
    html = render(report, "html").decode()
    assert '<html lang="en-GB">' in html
    assert not re.search(r'<(link|script)\b|src="http', html)  # nothing fetched from elsewhere
    assert re.search(r'<td class="status-green">.*?Green', html)
    assert '<th scope="col">RAG status / comment</th>' in html
    assert "<caption>" in html


def test_narrative_markdown_is_sanitised_so_script_shows_as_text(report):
    html = render(report, "html").decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert "javascript:" not in html


def test_a_measure_without_data_says_data_not_available_never_a_colour(small_plan):
    doc = compose_report(small_plan, "2013/14 Q1", audience=Audience.STAFF)
    html = render(doc, "html").decode()
    row = re.search(r"Strategy in place.*?</tr>", html, re.S).group(0)
    assert "Data not available" in row and "status-" not in row


def test_all_three_formats_carry_the_same_figures(report):
    html = render(report, "html").decode()
    pdf_text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render(report, "pdf"))).pages
    )
    word = Word(io.BytesIO(render(report, "docx")))
    docx_text = " ".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    for figure in ("1,517 YTD", "40%", "1,470"):
        assert figure in html and figure in pdf_text and figure in docx_text, figure


def test_a_trend_line_inside_a_table_cell_renders_with_its_text_alternative_in_every_format():
    from oversight.lib import document as d
    from oversight.lib.charts import sparkline

    spark = sparkline([5, 7, 6, 9, 8], title="Burglary", unit="count")
    doc = d.Document(title="Trends")
    doc.add(d.Section("Trends")).add(
        d.Table(
            caption="Trends in the other measures",
            header=["Measure", "Trend"],
            rows=[
                d.Row([d.Cell.of("Burglary"), d.Cell([d.Image(spark.svg, spark.png, spark.alt)])])
            ],
        )
    )
    html = render(doc, "html").decode()
    assert f'role="img" aria-label="{spark.alt}"' in html and "<svg" in html
    word = Word(io.BytesIO(render(doc, "docx")))
    cell = word.tables[0].rows[1].cells[1]
    described = [e.get("descr") for e in cell._tc.xpath(".//wp:docPr")]
    assert described == [spark.alt]
    assert render(doc, "pdf").startswith(b"%PDF")
