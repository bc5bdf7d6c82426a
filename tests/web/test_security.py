"""Security: CSP without inline script, deploy checks, sanitised Markdown, login throttling,
the audit log, and the commands that start the site and make its first administrator."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.accounts.roles import Role, role_of
from oversight.plans import actions

from conftest import PASSWORD

PLAN = "west-mercia-2013"
EVIL = 'Hello <script>alert("x")</script> and [a link](javascript:alert(1)) end'


def test_every_page_has_a_content_security_policy_without_inline_script(client, site):
    for url in ("/", f"/plans/{PLAN}/performance/2013-14-q1/", "/accounts/login/"):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert "unsafe-inline" not in policy
    # The self-contained report page needs inline styles; scripts stay forbidden there too.
    report = client.get(f"/plans/{PLAN}/reports/2013-14-q1.html")["Content-Security-Policy"]
    assert (
        "script-src 'self'" in report
        and "'unsafe-inline'" not in report.split("script-src")[1].split(";")[0]
    )


def test_no_page_carries_an_inline_script(client, site):
    for url in ("/", f"/plans/{PLAN}/", f"/measures/{site.measure.pk}/", "/accounts/login/"):
        body = client.get(url).content.decode()
        assert "<script" not in body


def test_the_deploy_checks_are_clean_under_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "OVERSIGHT_PRODUCTION": "1",
        "OVERSIGHT_SECRET_KEY": secrets.token_urlsafe(50),
        "OVERSIGHT_ALLOWED_HOSTS": "oversight.example.org",
        "OVERSIGHT_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "oversight.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "OVERSIGHT_PRODUCTION": "1", "OVERSIGHT_SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "-c", "import oversight.settings"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "OVERSIGHT_SECRET_KEY" in result.stderr


def test_markdown_script_and_javascript_links_show_as_text(client, site):
    client.force_login(site.cast[Role.EDITOR])
    n = site.narrative
    response = client.post(
        f"/staff/narratives/{n.pk}/",
        {
            "section": n.section,
            "objective": n.objective_id or "",
            "title": n.title,
            "body": EVIL,
            "order": 0,
            "preview": "1",
        },
    )
    preview = response.content.decode().split('id="preview"')[1]
    assert "<script>" not in preview and "&lt;script&gt;" in preview
    assert (
        "javascript:" not in preview.split("</div>")[0].replace("&lt;", "")
        or 'href="javascript' not in preview
    )
    assert 'href="javascript' not in preview
    actions.save_narrative(site.plan, "2013/14 Q1", n, by="test", body=EVIL)
    actions.publish_narrative(site.plan, "2013/14 Q1", by="test")
    report = client.get(f"/plans/{PLAN}/reports/2013-14-q1.html").content.decode()
    assert "<script>alert" not in report and "&lt;script&gt;" in report
    assert 'href="javascript' not in report


def test_login_is_throttled_after_repeated_failures(client, site, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = site.cast[Role.EDITOR].username
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": user, "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": user, "password": PASSWORD})
    assert locked.status_code in (403, 429)
    assert "Too many failed attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 403, 429)


def test_one_address_trying_many_user_names_is_locked_out(client, site, settings):
    """Per user name the limit is never reached, but the address's own limit is."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 8
    for n in range(8):
        client.post("/accounts/login/", {"username": f"guess-{n}", "password": "wrong"})
    user = site.cast[Role.EDITOR].username
    locked = client.post("/accounts/login/", {"username": user, "password": PASSWORD})
    assert locked.status_code in (403, 429)
    assert "Too many failed attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not locked: the lock-out is the address's, not the account's.
    other = client.post(
        "/accounts/login/", {"username": user, "password": PASSWORD}, REMOTE_ADDR="192.0.2.7"
    )
    assert other.status_code == 302


def test_behind_a_trusted_proxy_the_lock_out_is_the_clients_not_the_proxys(client, site, settings):
    """Every request comes from the proxy; X-Forwarded-For tells the clients apart."""
    settings.OVERSIGHT_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 8
    via_proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(8):
        client.post(
            "/accounts/login/",
            {"username": f"guess-{n}", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.66",  # the left entry is the client's lie
            **via_proxy,
        )
    user = site.cast[Role.EDITOR].username
    attacker = client.post(
        "/accounts/login/",
        {"username": user, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.66",
        **via_proxy,
    )
    assert attacker.status_code in (403, 429) and "Too many failed attempts" in attacker.text
    someone_else = client.post(
        "/accounts/login/",
        {"username": user, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **via_proxy,
    )
    assert someone_else.status_code == 302


def test_a_client_not_behind_a_trusted_proxy_cannot_dodge_the_lock_out_with_the_header(
    client, site, settings
):
    settings.OVERSIGHT_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 8
    for n in range(8):
        client.post(
            "/accounts/login/",
            {"username": f"guess-{n}", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
            REMOTE_ADDR="198.51.100.66",
        )
    user = site.cast[Role.EDITOR].username
    locked = client.post(
        "/accounts/login/",
        {"username": user, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.200",
        REMOTE_ADDR="198.51.100.66",
    )
    assert locked.status_code in (403, 429) and "Too many failed attempts" in locked.text


def test_failures_below_the_address_limit_do_not_lock_a_user_out(client, site, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 8
    for n in range(7):
        client.post("/accounts/login/", {"username": f"guess-{n}", "password": "wrong"})
    user = site.cast[Role.EDITOR].username
    response = client.post("/accounts/login/", {"username": user, "password": PASSWORD})
    assert response.status_code == 302


def test_a_right_password_signs_in_before_any_lockout(client, site):
    user = site.cast[Role.EDITOR].username
    response = client.post("/accounts/login/", {"username": user, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200


def test_passwords_are_hashed_with_argon2(db):
    from oversight.accounts.actions import create_user

    user = create_user("hashed", password=PASSWORD, role=Role.EDITOR, by="test")
    assert user.password.startswith("argon2")


def test_the_audit_log_shows_administrators_who_changed_what(client, site):
    actions.approve_figure(site.draft, by=site.cast[Role.EDITOR])
    client.force_login(site.cast[Role.ADMIN])
    page = client.get("/staff/audit/?action=approve_figure").content.decode()
    assert "approve_figure" in page and "editor-user" in page and "submitted" in page
    client.force_login(site.cast[Role.EDITOR])
    assert client.get("/staff/audit/").status_code == 403


def test_createuser_makes_the_first_administrator_without_asking(db, monkeypatch):
    monkeypatch.setenv("FIRST_ADMIN_PASSWORD", "a long enough pass phrase 7")
    call_command(
        "createuser", "--username", "chief", "--password-env", "FIRST_ADMIN_PASSWORD", "--no-input"
    )
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="chief")
    assert (
        role_of(user) == Role.ADMIN
        and user.is_superuser
        and user.check_password("a long enough pass phrase 7")
    )
    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "createuser",
            "--username",
            "chief",
            "--password-env",
            "FIRST_ADMIN_PASSWORD",
            "--no-input",
        )
    monkeypatch.setenv("WEAK", "123")
    with pytest.raises(CommandError, match="password refused"):
        call_command("createuser", "--username", "x", "--password-env", "WEAK", "--no-input")


def test_serve_loads_the_demo_only_into_an_empty_database(
    db, capsys, tmp_path, settings, monkeypatch
):
    settings.DATA_DIR = tmp_path
    from oversight.plans import demo
    from oversight.plans.models import Plan
    from oversight.web.management.commands import serve

    calls = []
    # The plan alone: the full demo also renders every document, which takes a while.
    monkeypatch.setattr(
        serve, "load_demo", lambda out, stdout: calls.append(out) or demo.load(by="test")
    )

    call_command("serve", "--demo", "--check")
    assert Plan.objects.filter(slug=PLAN).exists()
    out = capsys.readouterr().out
    assert "Loading the demo" in out and "http://127.0.0.1:8000/" in out
    call_command("serve", "--demo", "--check", "--port", "8123")
    out = capsys.readouterr().out
    assert "Loading the demo" not in out and "http://127.0.0.1:8123/" in out
    assert calls == [str(tmp_path / "demo-output")]
