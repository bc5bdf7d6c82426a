"""Start-up stays light: listing the commands, a group's commands, or loading the site's URLs
imports none of the heavy libraries (plots, PDFs, statistics, Parquet, DuckDB, spreadsheets,
Word). Each is imported inside the function that needs it, so `oversight --help` does not wait
seconds for libraries it never uses."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ["docx", "duckdb", "matplotlib", "numpy", "openpyxl", "pyarrow", "scipy", "weasyprint"]

# Runs in a fresh interpreter; prints the heavy packages loaded as its last line, even when the
# command exits through SystemExit as a group's listing does.
SCRIPT = """
import json, sys
HEAVY = set({heavy!r})
def loaded():
    return sorted(m for m in sys.modules if m.split(".")[0] in HEAVY)
try:
    {body}
finally:
    print()
    print("LOADED " + json.dumps(sorted({{m.split(".")[0] for m in loaded()}})))
"""

CLI = "sys.argv = ['oversight', {args}]; from oversight.cli import main; main()"
URLS = "import oversight.wsgi, oversight.urls"  # what gunicorn loads before the first request

# Each case, and a line of its output that shows it ran to the end (the subcommands' column is as
# wide as the longest name, "commissioning").
CASES = {
    "oversight --help": (
        CLI.format(args="'--help'"),
        "Groups (`oversight GROUP` lists its commands)",
    ),
    "oversight import": (CLI.format(args="'import'"), "observations   Import a period's figures"),
    "oversight export": (
        CLI.format(args="'export'"),
        "measures       Print every measure's figure",
    ),
    "the site's URLs and views": (URLS + "; print('URLs loaded')", "URLs loaded"),
}


def run(body: str, tmp_path: Path) -> tuple[str, list[str]]:
    """The script's output and the heavy top-level packages it had loaded by its end."""
    env = {**os.environ, "OVERSIGHT_DATA_DIR": str(tmp_path)}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL"):  # the defaults a user gets
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(heavy=HEAVY, body=body)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("LOADED "), done.stdout[-2000:]
    return done.stdout, json.loads(last.removeprefix("LOADED "))


@pytest.mark.parametrize("case", sorted(CASES))
def test_start_up_imports_none_of_the_heavy_libraries(case, tmp_path):
    body, shown = CASES[case]
    output, loaded = run(body, tmp_path)
    assert shown in output
    assert loaded == []


def test_the_start_up_check_sees_a_heavy_library_when_one_is_loaded(tmp_path):
    assert run("import scipy.stats", tmp_path)[1] == ["numpy", "scipy"]
