"""Bounded inputs, checked in the pure-Python readers: YAML without anchors or aliases, problem
lists that stop at 200 and count the rest, size limits read before the file, streamed CSV, and
spreadsheets refused when they carry XML entities or unpack to a zip bomb."""

from __future__ import annotations

import zipfile

import pytest

from oversight.lib.inputs import MB, check_file, size_text, too_big
from oversight.lib.problems import ImportRefused, Problems
from oversight.lib.tables import read_table
from oversight.lib.yamlfile import dump_yaml, load_yaml, parse_yaml

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def refusal(call) -> list[str]:
    with pytest.raises(ImportRefused) as err:
        call()
    return err.value.lines()


def test_a_yaml_anchor_is_refused_with_its_line():
    lines = refusal(lambda: parse_yaml(BILLION_LAUGHS, "laughs.yaml"))
    assert len(lines) == 1
    assert lines[0].startswith("laughs.yaml, line 1: an anchor (&a): Oversight refuses YAML")
    assert "write each value out in full" in lines[0]


def test_a_yaml_alias_is_refused_with_its_line():
    text = "plan:\n  title: x\nother: *i\n"
    assert refusal(lambda: parse_yaml(text, "p.yaml"))[0].startswith(
        "p.yaml, line 3: an alias (*i)"
    )


def test_a_merge_key_through_an_alias_is_refused():
    text = "base: {a: 1}\nx:\n  <<: *base\n"
    assert "an alias (*base)" in refusal(lambda: parse_yaml(text, "m.yaml"))[0]


def test_front_matter_lines_are_counted_from_the_file_s_second_line():
    lines = refusal(lambda: parse_yaml("period: &p 2013/14 Q1", "n.md", first_line=2))
    assert lines[0].startswith("n.md, line 2: an anchor (&p)")


@pytest.mark.parametrize("depth", [51, 500_000])  # half a million overflowed libyaml's stack
def test_yaml_nested_too_deeply_is_a_problem_not_a_crash(depth):
    assert refusal(lambda: parse_yaml("[" * depth + "]" * depth, "deep.yaml")) == [
        "deep.yaml, line 1: lists or mappings nested more than 50 deep, which no file Oversight "
        "reads needs"
    ]


def test_yaml_of_more_than_200000_values_is_refused_before_they_are_built():
    assert refusal(lambda: parse_yaml("- a\n" * 200_001, "many.yaml")) == [
        "many.yaml, line 200000: more than 200,000 values, which no file Oversight reads needs"
    ]


def test_an_integer_of_five_thousand_digits_is_a_problem_with_its_line():
    line = refusal(lambda: parse_yaml("a: 1\nb: " + "9" * 5000, "big.yaml"))[0]
    assert line.startswith("big.yaml, line 2: not valid YAML") and "cannot read this value" in line


def test_an_impossible_date_stays_text_for_the_field_check_to_name():
    assert parse_yaml("due: 2019-13-01", "d.yaml") == {"due": "2019-13-01"}


def test_the_yaml_written_by_an_export_never_uses_an_alias():
    from datetime import date

    day = date(2013, 4, 1)
    text = dump_yaml({"starts": day, "due": day, "notes": [["a"]] * 2})
    assert "&" not in text and "*" not in text
    assert parse_yaml(text, "x.yaml")["due"] == day


def test_a_problem_list_stops_at_200_and_counts_the_rest():
    problems = Problems("big.csv")
    for row in range(2, 2002):
        problems.add(row, "value", "is not a number")
    with pytest.raises(ImportRefused) as err:
        problems.raise_if_any()
    lines = err.value.message.splitlines()
    assert lines[0] == "2,000 problems found; nothing was imported:"
    assert len(lines) == 202
    assert lines[-2] == "  - big.csv, row 201, column value: is not a number"
    assert lines[-1] == "  - … and 1,800 more problems (2,000 in all)"


def test_sizes_read_as_a_person_reads_them_and_never_round_down_to_the_limit():
    assert size_text(25 * MB) == "25 MB"
    assert size_text(25 * MB + 1) == "25.1 MB"
    assert size_text(2048) == "2 KB"
    assert too_big(30 * MB, 25 * MB) == (
        "the file is 30 MB; the limit is 25 MB (OVERSIGHT_MAX_IMPORT_BYTES)"
    )


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(30 * MB)  # sparse: nothing is written or read
    monkeypatch.setattr("pathlib.Path.read_bytes", lambda self: pytest.fail("the file was read"))
    assert refusal(lambda: load_yaml(big, max_bytes=25 * MB)) == [
        "big.yaml: the file is 30 MB; the limit is 25 MB (OVERSIGHT_MAX_IMPORT_BYTES)"
    ]
    assert refusal(lambda: read_table(big, Problems("big.yaml"), max_bytes=25 * MB))


def test_a_missing_file_is_refused(tmp_path):
    assert refusal(lambda: check_file(tmp_path / "nope.csv", MB)) == ["nope.csv: file not found"]


def test_a_row_with_too_many_cells_is_a_problem_of_that_row_and_reading_goes_on(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n1,2,3\n4,5\n")
    problems = Problems("t.csv")
    header, rows = read_table(path, problems)
    assert header == ["a", "b"]
    assert [n for n, _ in rows] == [2, 3, 4]
    assert [str(p) for p in problems.items] == ["t.csv, row 3: 3 cells but the header has 2"]


def test_a_csv_row_longer_than_a_megabyte_is_refused_without_reading_it_whole(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("a,b\n1,2\n" + "x," * (MB // 2 + 10) + "\n")
    problems = Problems("long.csv")
    _, rows = read_table(path, problems)
    with pytest.raises(ImportRefused) as err:
        list(rows)
    assert err.value.lines() == ["long.csv, row 3: a row longer than 1 MB: is this a CSV file?"]


def test_a_csv_that_is_not_utf8_part_way_is_refused_with_the_problems_so_far(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a,b\n1,2,3\n" + b"x" * 70000 + b"\n\xff\xfe\n")
    problems = Problems("bad.csv")
    _, rows = read_table(path, problems)
    with pytest.raises(ImportRefused) as err:
        list(rows)
    assert err.value.lines()[0] == "bad.csv, row 2: 3 cells but the header has 2"
    assert "cannot read the file" in err.value.lines()[1]


def _xlsx(tmp_path, name: str, sheet_xml: str, *, shared: str | None = None):
    """A minimal spreadsheet written by openpyxl, with its first sheet's XML replaced."""
    from openpyxl import Workbook

    path = tmp_path / name
    wb = Workbook()
    wb.active.append(["a", "b"])
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    return path


SHEET = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>{cell}</t></is></c></row></sheetData></worksheet>'
)


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE w [<!ENTITY a "lollollol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    ],
    ids=["external entity", "entity bomb"],
)
def test_a_spreadsheet_with_xml_entities_is_refused_clearly(tmp_path, doctype):
    cell = "&x;" if "SYSTEM" in doctype else "&b;"
    path = _xlsx(tmp_path, "evil.xlsx", '<?xml version="1.0"?>' + doctype + SHEET.format(cell=cell))
    problems = Problems("evil.xlsx")
    with pytest.raises(ImportRefused) as err:
        _, rows = read_table(path, problems)
        list(rows)
    assert err.value.lines() == [
        "evil.xlsx: cannot read the file: the spreadsheet contains XML entities, which Oversight refuses"
    ]


def test_a_spreadsheet_that_unpacks_past_four_times_the_limit_is_refused_unopened(tmp_path):
    path = _xlsx(tmp_path, "bomb.xlsx", SHEET.format(cell="x" + " " * (3 * MB)))
    assert refusal(lambda: read_table(path, Problems("bomb.xlsx"), max_bytes=MB // 2)) == [
        "bomb.xlsx: the spreadsheet unpacks to 3.1 MB, more than 4 times the limit of 0.5 MB "
        "(OVERSIGHT_MAX_IMPORT_BYTES)"
    ]


def test_a_file_named_xlsx_that_is_not_a_spreadsheet_is_refused(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("a,b\n1,2\n")
    assert "is it really .xlsx?" in refusal(lambda: read_table(path, Problems("fake.xlsx")))[0]


def test_a_table_of_more_than_100000_rows_is_refused_at_the_first_row_past_it(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("a,b\n" + "1,2\n" * 100_005)
    problems = Problems("many.csv")
    _, rows = read_table(path, problems)
    assert sum(1 for _ in rows) == 100_000
    assert [str(p) for p in problems.items] == [
        "many.csv, row 100002: more than 100,000 rows: split the file into parts of at most "
        "100,000 rows (each imports the same way)"
    ]
