"""The spreadsheet formula guard on exported cells, and the importers taking it off again."""

import pytest

from oversight.lib.tables import guard_cell, unguard_cell


@pytest.mark.parametrize(
    "text, exported",
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+44 7700 900000", "'+44 7700 900000"),
        ("-not a number", "'-not a number"),
        ("@home", "'@home"),
        ("\tindented", "'\tindented"),
        ("-5", "-5"),  # a plain negative number stays a number
        ("+1.5", "+1.5"),
        ("plain text", "plain text"),
        ("'quoted", "'quoted"),
        ("'=already quoted", "''=already quoted"),  # one more quote, so the import can tell
        ("''=twice", "'''=twice"),
        ("'", "'"),
        ("", ""),
    ],
)
def test_a_cell_is_guarded_only_where_a_spreadsheet_would_run_it_and_comes_back_unchanged(
    text, exported
):
    assert guard_cell(text) == exported
    assert unguard_cell(exported) == text
