"""Every command with an --out writes only into a folder that exists: a path into a missing
folder is refused with a readable reason and a non-zero exit, and nothing (no folder) is made."""

from __future__ import annotations

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError

from oversight.lib.files import out_file, out_file_or_stdout, out_folder

FILE_COMMANDS = [
    ["report", "--plan", "p", "--period", "2013/14 Q1"],
    ["export", "measures", "--plan", "p", "--period", "2013/14 Q1"],
    ["export", "delivery", "--plan", "p"],
    ["export", "risks", "--plan", "p"],
    ["export", "finance", "--plan", "p", "--period", "2023/24 Q2"],
    ["export", "engagement", "--plan", "p", "--period", "2023/24 Q2"],
    ["export", "commissioning", "--plan", "p", "--period", "2023/24 Q2"],
    ["registers", "export", "decisions"],
    ["registers", "tracker", "--format", "csv"],
    ["scrutiny", "popolo"],
    ["scrutiny", "actionlog", "--body", "b"],
    ["scrutiny", "calendar", "--body", "b"],
    ["scrutiny", "hmicfrs", "--format", "html"],
    ["scrutiny", "actions", "--format", "csv"],
    ["scrutiny", "minutes", "--meeting", "b/2019-09-10"],
    ["api", "schema"],
    ["backup"],
]
CHECKS = (out_file, out_folder, out_file_or_stdout)
FOLDER_COMMANDS = [["export", "plan", "--plan", "p"], ["demo"]]


def out_options() -> dict[tuple[str, ...], object]:
    """Every Oversight command (its words) with an --out, and the check that option runs."""
    found = {}

    def walk(node, words):
        if node.children:
            for name, child in node.children.items():
                walk(child, (*words, name))
            return
        for param in node.click_command.params:
            if "--out" in getattr(param, "opts", []):
                found[words] = getattr(getattr(param.type, "func", None), "check", None)

    for name, app in get_commands().items():
        if app.startswith("oversight"):
            walk(load_command_class(app, name).command_tree, (name,))
    return found


def test_every_command_with_an_out_checks_it_before_running():
    """A guard: a new command with --out must use one of the checked types."""
    found = out_options()
    unchecked = [w for w, check in found.items() if check not in CHECKS]
    assert unchecked == []
    tested = {
        w for w in found for args in FILE_COMMANDS + FOLDER_COMMANDS if (*args,)[: len(w)] == w
    }
    assert tested == set(found) and len(found) == len(FILE_COMMANDS + FOLDER_COMMANDS)


@pytest.mark.parametrize("args", FILE_COMMANDS + FOLDER_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_an_out_in_a_missing_folder_is_refused_and_nothing_is_made(db, tmp_path, args):
    missing = tmp_path / "nonexistent" / "dir"
    with pytest.raises(CommandError) as err:
        call_command(*args, "--out", str(missing / "x.out"))
    assert f'the folder "{missing}" does not exist' in str(err.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", FILE_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_an_out_that_is_a_folder_is_refused_for_a_file(db, tmp_path, args):
    with pytest.raises(CommandError, match="is a folder: give the file to write"):
        call_command(*args, "--out", str(tmp_path))


def test_a_folder_output_may_be_a_new_folder_inside_one_that_exists(small_plan, tmp_path):
    call_command("export", "plan", "--plan", "test-plan", "--out", str(tmp_path / "exported"))
    assert (tmp_path / "exported" / "plan.yaml").is_file()


def test_on_the_command_line_a_missing_folder_exits_non_zero_with_the_reason(tmp_path, capsys):
    missing = tmp_path / "nonexistent" / "dir"
    command = load_command_class("oversight.reports", "report")
    argv = ["oversight", "report", "--plan", "p", "--period", "2013/14 Q1", "--audience", "staff"]
    with pytest.raises(SystemExit) as exit_:
        command.run_from_argv([*argv, "--out", str(missing / "x.pdf")])
    assert exit_.value.code != 0
    assert f'the folder "{missing}" does not exist' in capsys.readouterr().err
    assert not (tmp_path / "nonexistent").exists()


def test_the_actions_command_writes_its_file(db, tmp_path):
    out = tmp_path / "actions.csv"
    call_command("scrutiny", "actions", "--format", "csv", "--out", str(out))
    assert out.read_text(encoding="utf-8").startswith("id,ref,")
