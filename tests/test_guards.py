"""Guards: the repository stays consistent with itself."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands, load_command_class

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_migrations_are_in_sync_with_the_models():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # exits non-zero if not


def test_every_setting_read_from_the_environment_is_documented_in_env_example():
    code = "".join(p.read_text() for p in (ROOT / "src" / "oversight").rglob("*.py"))
    used = set(
        re.findall(
            r"""(?:environ\.get|envbool|envint|envlist|getenv)\(\s*["']([A-Z_]+)["']""", code
        )
    )
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert used - {"DJANGO_SETTINGS_MODULE"} <= documented, used - documented


def test_every_oversight_command_and_subcommand_has_help():
    ours = {name: app for name, app in get_commands().items() if app.startswith("oversight")}
    assert "demo" in ours and "report" in ours and "import" in ours
    for name, app in ours.items():
        command = load_command_class(app, name)
        assert str(command.help).strip(), name
        for sub, node in command.command_tree.children.items():
            assert (node.click_command.help or "").strip(), f"{name} {sub}"
