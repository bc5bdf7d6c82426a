"""Messages that leave no one guessing: a file saved with semicolons or tabs says what its
delimiter looks like, UTF-16 with a byte-order mark is read, a file in another encoding says
how to save it, and a folder given for a file says it is a folder."""

from __future__ import annotations

import pytest

from oversight.lib.inputs import MB, check_file
from oversight.lib.problems import ImportRefused, Problems
from oversight.lib.tables import read_table
from oversight.lib.yamlfile import load_yaml


def refusal(call) -> list[str]:
    with pytest.raises(ImportRefused) as err:
        call()
    return err.value.lines()


def rows_of(path) -> tuple[list[str], list[dict[str, str]]]:
    problems = Problems(path.name)
    header, rows = read_table(path, problems)
    found = [r for _, r in rows]
    assert not problems.items
    return header, found


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("measure;period;value\n1.1;2013/14 Q1;1517\n", 'the delimiter looks like ";"'),
        ("measure\tperiod\tvalue\n1.1\t2013/14 Q1\t1517\n", "the delimiter looks like a tab"),
    ],
)
def test_a_file_with_another_delimiter_says_what_the_delimiter_looks_like(tmp_path, text, says):
    path = tmp_path / "figures.csv"
    path.write_text(text, encoding="utf-8")
    (line,) = refusal(lambda: read_table(path, Problems(path.name)))
    assert says in line
    assert "separated by commas" in line
    assert "unknown column" not in line


def test_a_one_column_file_is_still_read(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("code\n1.1\n1.2\n", encoding="utf-8")
    assert rows_of(path) == (["code"], [{"code": "1.1"}, {"code": "1.2"}])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_with_its_byte_order_mark_is_read(tmp_path, encoding):
    path = tmp_path / "figures.csv"
    text = "measure,period,value\n1.1,2013/14 Q1,1517\n1.2,2013/14 Q1,£40 – ok\n"
    mark = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff"}.get(encoding, "")
    path.write_bytes((mark + text).encode(encoding))
    header, found = rows_of(path)
    assert header == ["measure", "period", "value"]
    assert found[1] == {"measure": "1.2", "period": "2013/14 Q1", "value": "£40 – ok"}


def test_a_utf16_yaml_file_with_its_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_bytes("title: Plan – 2013\n".encode("utf-16"))
    assert load_yaml(path) == {"title": "Plan – 2013"}


def test_a_file_in_another_encoding_says_how_to_save_it_not_a_codec_error(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_bytes("measure,period,comment\n1.1,2013/14 Q1,caf\u00e9\n".encode("cp1252"))

    def read_all() -> None:
        list(read_table(path, Problems(path.name))[1])

    (line,) = refusal(read_all)
    assert "cannot read the file: it is not UTF-8 text" in line
    assert "save it as UTF-8" in line and "UTF-16 with its byte-order mark" in line
    assert "codec" not in line


def test_a_folder_given_for_a_file_says_it_is_a_folder(tmp_path):
    folder = tmp_path / "figures"
    folder.mkdir()
    assert refusal(lambda: check_file(folder, MB)) == [
        "figures: this is a folder, not a file: give the file's path"
    ]
    assert refusal(lambda: load_yaml(folder)) == [
        "figures: this is a folder, not a file: give the file's path"
    ]
    assert refusal(lambda: check_file(tmp_path / "missing.csv", MB)) == [
        "missing.csv: file not found"
    ]
