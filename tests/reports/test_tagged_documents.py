"""What a screen-reader user and a printer get from the documents: a tagged PDF (structure tree
with headings, tables and figures that carry their text alternatives, the language and the
title), Word headings in heading styles with charts that keep their alternatives, Appendix B
landscape in both, captions kept with their tables and a one-line footer."""

import io
import shutil
import subprocess
from collections import Counter

import pytest
from docx import Document as Word
from docx.enum.section import WD_ORIENT
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from oversight.core.render import render
from oversight.lib import document as d
from oversight.lib.audience import Audience
from oversight.lib.charts import sparkline
from oversight.plans.actions import import_observations
from oversight.plans.importers import read_observations
from oversight.reports.compose import compose_report

from conftest import HEADER

FIGURES = HEADER + "1.1,2013/14 Q1,,1517,,ytd,,,,,,,,\n1.2,2013/14 Q1,,40,,,,,,,,,,Below target\n"


@pytest.fixture
def report(small_plan, write):
    import_observations(
        small_plan, read_observations(write("q1.csv", FIGURES), small_plan), by="test"
    )
    return compose_report(small_plan, "2013/14 Q1", audience=Audience.STAFF)


def chart_document() -> tuple[d.Document, str, str]:
    """A document with a chart and a trend line in a table cell; returns their alternatives."""
    chart = sparkline(
        [4, 6, 5, 7, 9], title="Crimes recorded", periods=["Q1", "Q2", "Q3", "Q4", "Q5"]
    )
    trend = sparkline([3, 2, 2, 1], title="Repeat victims", periods=["Q1", "Q2", "Q3", "Q4"])
    doc = d.Document(title="Charts for everyone", language="en-GB")
    doc.add(d.Section("Trends")).add(
        d.Figure(alt=chart.alt, caption="Crimes recorded", svg=chart.svg, png=chart.png),
        d.Table(
            caption="Repeat victims",
            header=["Measure", "Trend"],
            rows=[
                d.Row(
                    [
                        d.Cell.of("Repeat victims"),
                        d.Cell([d.Image(trend.svg, trend.png, trend.alt)]),
                    ]
                )
            ],
        ),
    )
    return doc, chart.alt, trend.alt


def structure(pdf: bytes) -> tuple[Counter, list[str], DictionaryObject]:
    """The structure tree's element types, every Figure's /Alt, and the document catalog."""
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    kinds: Counter = Counter()
    alts: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, ArrayObject):
            for child in node:
                walk(child)
            return
        if not isinstance(node, DictionaryObject):
            return  # a marked-content id: the leaf of the tree
        if "/S" in node:
            kinds[str(node["/S"])] += 1
            if node["/S"] == "/Figure":
                alts.append(str(node.get("/Alt", "")))
        if "/K" in node:
            walk(node["/K"])

    walk(catalog["/StructTreeRoot"])
    return kinds, alts, catalog


def test_the_report_pdf_is_tagged_with_headings_tables_language_and_title(report):
    pdf = render(report, "pdf")
    kinds, _, catalog = structure(pdf)
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert PdfReader(io.BytesIO(pdf)).metadata.title.startswith(report.title)
    assert kinds["/H1"] == 1
    assert kinds["/H2"] >= 5 and kinds["/H3"] >= 1  # numbered sections and their subsections
    assert kinds["/Table"] >= 2 and kinds["/TH"] and kinds["/TD"] and kinds["/Caption"]
    assert kinds["/L"] and kinds["/LI"]


def test_a_chart_and_a_trend_line_are_figures_with_their_text_alternatives_in_the_pdf():
    doc, chart_alt, trend_alt = chart_document()
    kinds, alts, _ = structure(render(doc, "pdf"))
    assert kinds["/Figure"] == 2
    assert sorted(alts) == sorted([chart_alt, trend_alt])


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="pdfinfo (poppler-utils) is not installed")
def test_pdfinfo_reports_the_pdf_tagged(report, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(render(report, "pdf"))
    info = subprocess.run(
        [str(shutil.which("pdfinfo")), str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert any(line.split() == ["Tagged:", "yes"] for line in info.splitlines()), info


def test_the_docx_headings_are_word_heading_styles_so_the_navigation_pane_lists_them(report):
    word = Word(io.BytesIO(render(report, "docx")))
    styles = {p.text: p.style.name for p in word.paragraphs if p.style.name.startswith("Heading")}
    assert styles["1 Purpose"] == "Heading 1"
    assert styles["Appendix B Performance against the success measures"] == "Heading 1"
    assert any(name == "Heading 2" for name in styles.values())
    assert word.core_properties.title == report.title
    assert word.core_properties.language == "en-GB"


def test_charts_in_the_docx_keep_their_text_alternatives():
    doc, chart_alt, trend_alt = chart_document()
    word = Word(io.BytesIO(render(doc, "docx")))
    described = [el.get("descr") for el in word.element.body.iter() if el.tag.endswith("}docPr")]
    assert sorted(described) == sorted([chart_alt, trend_alt])


def test_appendix_b_is_a_landscape_section_in_the_docx_as_in_the_pdf(report):
    word = Word(io.BytesIO(render(report, "docx")))
    first, *rest = word.sections
    assert first.orientation == WD_ORIENT.PORTRAIT and first.page_width < first.page_height
    assert rest, "Appendix B should start a section of its own"
    landscape = rest[0]
    assert landscape.orientation == WD_ORIENT.LANDSCAPE
    assert landscape.page_width > landscape.page_height
    heading = next(p for p in word.paragraphs if p.text.startswith("Appendix B"))
    # The section a paragraph belongs to is the first section break at or after it.
    body = list(word.element.body.iterchildren())
    breaks = [
        i for i, el in enumerate(body) if el.xpath(".//w:sectPr") or el.tag.endswith("}sectPr")
    ]
    at = body.index(heading._p)
    assert next(i for i in breaks if i >= at) == breaks[1]  # Appendix B is in the second section
    pdf = PdfReader(io.BytesIO(render(report, "pdf")))
    page = next(p for p in pdf.pages if "Appendix B Performance" in p.extract_text())
    assert page.mediabox.width > page.mediabox.height


def test_a_caption_is_never_left_at_the_foot_of_a_page_without_its_table():
    # Tables after paragraphs of varying length, so that some captions land at a page's foot.
    doc = d.Document(title="Captions")
    section = doc.add(d.Section("Tables"))
    for i in range(1, 41):
        words = " ".join(["Filler words to push the table down the page."] * (i % 7 + 1))
        section.add(d.Paragraph.of(words))
        section.add(
            d.Table(
                caption=f"Caption{i:02d} of a table",
                header=["A", "B"],
                rows=[d.Row([d.Cell.of(f"Row{i:02d}x{r}"), d.Cell.of("v")]) for r in range(5)],
            )
        )
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(render(doc, "pdf"))).pages]

    def page_of(text: str) -> int:
        return next(n for n, page in enumerate(pages) if text in page)

    assert len(pages) > 5
    for i in range(1, 41):
        assert page_of(f"Caption{i:02d}") == page_of(f"Row{i:02d}x0"), i


def test_the_pdf_footer_is_one_line_on_every_page_even_with_a_two_digit_page_number():
    title = "Police & Crime Plan Activity and Performance Monitoring Report"
    doc = d.Document(title=title)
    section = doc.add(d.Section("Long"))
    for _ in range(120):
        section.add(d.Paragraph.of("A paragraph long enough to fill pages. " * 6))
    pages = PdfReader(io.BytesIO(render(doc, "pdf"))).pages
    assert len(pages) >= 10
    for n, page in enumerate(pages, start=1):
        lines = [" ".join(line.split()) for line in page.extract_text().splitlines()]
        assert any(line.startswith(title) for line in lines), n
        assert any(line.endswith(f"Page {n} of {len(pages)}") for line in lines), n


def test_a_title_too_long_for_the_footer_is_shortened_at_a_word():
    from oversight.core.render.html import FOOTER_CHARS, footer_title

    long = "West Mercia Police and Crime Panel – Tuesday, 10 September 2019, 11.00 am – " * 2
    short = footer_title(long)
    assert len(short) <= FOOTER_CHARS and short.endswith("…")
    assert long.startswith(short[:-1])
    assert footer_title('A "quoted" {title}') == "A quoted title"


def test_appendix_a_prints_each_objective_with_its_own_number_and_no_bullet(report):
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render(report, "pdf"))).pages)
    appendix_a = text[text.index("Appendix A Objective") : text.index("Appendix B Performance")]
    assert "1. " in appendix_a
    assert "•" not in appendix_a
    word = Word(io.BytesIO(render(report, "docx")))
    objective = next(p for p in word.paragraphs if p.text.startswith("1. "))
    assert "List" not in objective.style.name


def test_every_appendix_b_row_names_its_objective_so_a_group_can_break_across_pages(report):
    appendix = next(
        b
        for s in report.sections
        for b in s.blocks
        if isinstance(b, d.Table) and b.caption.startswith("Appendix B")
    )
    first_cells = [
        "".join(getattr(p, "text", p) for p in r.cells[0].content) for r in appendix.rows
    ]
    assert all(first_cells), first_cells
    assert first_cells[0].startswith("1. ")
    assert first_cells[1] == "1 cont."


def long_table() -> d.Document:
    """A log of two actions in five columns, printed in three."""
    table = d.Table(
        caption="Actions",
        header=["Ref", "Action", "Owner", "Due", "Status"],
        rows=[
            d.Row(
                [
                    d.Cell.of("1.1"),
                    d.Cell(["Report the figures", d.Text("Answered in May", italic=True)]),
                    d.Cell.of("PCC"),
                    d.Cell.of("June 2026"),
                    d.Cell([d.Text("Overdue", bold=True)], status=d.Status.RED),
                ],
                highlight=True,
            ),
            d.Row(
                [
                    d.Cell.of("1.2"),
                    d.Cell.of("Publish the plan"),
                    d.Cell.of(""),
                    d.Cell.of("July 2026"),
                    d.Cell([d.Text("Open", bold=True)], status=d.Status.AMBER),
                ]
            ),
        ],
        widths=[1, 4, 1, 1, 1],
        print_columns=[
            d.PrintColumn("Ref and action", (0, 1), 5, " "),
            d.PrintColumn("Owner, due", (2, 3), 2, ", due "),
            d.PrintColumn("Status", (4,), 1),
        ],
    )
    doc = d.Document(title="Action log")
    doc.add(d.Section("Actions")).add(table)
    return doc


def test_a_long_table_prints_in_its_print_columns_with_the_same_words_still_tagged():
    from oversight.core.render.html import render_html

    doc = long_table()
    printed = render_html(doc, for_print=True)
    assert '<th scope="col">Ref and action</th><th scope="col">Owner, due</th>' in printed
    assert "<td>1.1 Report the figures<em>Answered in May</em></td>" in printed
    assert "<td>PCC, due June 2026</td>" in printed
    assert "<td>July 2026</td>" in printed  # no owner: no joiner before the date
    # The status keeps its colour and its word; the cell's class prints it bold.
    assert '<td class="status-red">Overdue</td>' in printed
    kinds, _, _ = structure(render(doc, "pdf"))
    assert kinds["/Table"] == 1 and kinds["/TH"] == 3 and kinds["/TD"] == 6
    text = " ".join(PdfReader(io.BytesIO(render(doc, "pdf"))).pages[0].extract_text().split())
    assert "PCC, due June 2026" in text and "Overdue" in text and "Open" in text


def test_the_web_page_and_the_word_file_keep_every_column_of_a_long_table():
    from oversight.core.render.html import render_html

    doc = long_table()
    page = render_html(doc)
    assert '<th scope="col">Owner</th><th scope="col">Due</th>' in page
    assert '<td class="status-red"><strong>Overdue</strong></td>' in page
    word = Word(io.BytesIO(render(doc, "docx")))
    assert [c.text for c in word.tables[0].rows[0].cells] == [
        "Ref",
        "Action",
        "Owner",
        "Due",
        "Status",
    ]


def test_a_print_column_needs_one_joiner_before_each_later_part():
    with pytest.raises(ValueError, match="one joiner before each later part"):
        d.PrintColumn("Owner, due", (2, 3), 2, (", due ", "; "))


def test_a_plain_print_column_drops_bold_and_italic_but_keeps_its_note_marks():
    from oversight.core.render.html import render_html

    doc = long_table()
    table = doc.sections[0].blocks[0]
    table.rows[0].cells[1].content.append(d.Text("", footnote=doc.footnote("Source: minutes")))
    table.print_columns[0].plain = True
    printed = render_html(doc, for_print=True)
    assert "<td>1.1 Report the figuresAnswered in May<sup>" in printed
    assert 'aria-label="note 1"' in printed
    assert "<em>Answered in May</em>" in render_html(doc)  # the web page keeps the italics


def test_a_status_column_is_never_merged_into_another_printed_column():
    from oversight.core.render.html import render_html

    doc = long_table()
    doc.sections[0].blocks[0].print_columns[2] = d.PrintColumn("Due, status", (3, 4), 2)
    with pytest.raises(ValueError, match="a status colours its cell"):
        render_html(doc, for_print=True)
