"""The claims check on the demo (seed 002): it flags what the paper got wrong against its own
record, raises nothing on a narrative written to agree, and shows on the staff pages where the
period and its narrative are published and from `oversight report --check`."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from oversight.accounts.roles import Role
from oversight.lib.audience import Audience
from oversight.lib.claims import Kind, Text, check_claims
from oversight.plans.claims import check_period, record_for
from oversight.plans.models import Plan

PERIOD = "2013/14 Q1"

# Written for this test to agree with the demo's record for 2013/14 Q1 (seed 002's figures).
AGREEING = """
In the year to date (April–June 2013) 1,517 violent crimes with injury were recorded against a
target of 1,639: violent crime with injury is on target and has improved.

Domestic burglaries improved: 519 domestic burglaries were recorded in the year to date, against
702 in the same period last year.

Public confidence, at 69.1% against a target of 71.2%, is just off target.

13,800 anti-social behaviour incidents were recorded, against 14,745 a year before.

The report covers 1 April 2013 – 30 June 2013.
"""


def test_on_the_demo_the_check_flags_seed_002s_date_after_the_period(demo_plan):
    findings = check_period(demo_plan, PERIOD, audience=Audience.STAFF)
    dated = [(f.where, f.found) for f in findings if f.kind is Kind.DATE]
    assert ("Objective 2", "since November 2013") in dated  # violent crime "fall since"
    assert ("Objective 4", "since November 2013") in dated  # anti-social behaviour
    (since,) = [f for f in findings if f.where == "Objective 2"]
    assert "violent crime fall since November 2013" in since.sentence
    assert "2013/14 Q1 ends 30 June 2013" in since.message


def test_on_the_demo_the_check_flags_ksi_just_off_target_where_green_is_printed(demo_plan):
    findings = check_period(demo_plan, PERIOD, audience=Audience.STAFF)
    (status,) = [f for f in findings if f.kind is Kind.STATUS]
    assert (status.where, status.found) == ("Headline measures", "just off target")
    assert status.message == (
        "says Amber, but 9.2 Reduction in the number of people killed or seriously injured is "
        "published as Green and the rules give Amber"
    )
    assert [f for f in findings if f.kind is Kind.NUMBER] == []


def test_a_narrative_that_agrees_with_the_demos_record_raises_nothing(demo):
    # The whole demo: its synthetic monthly history gives last year's figures and the tests.
    plan = Plan.objects.get(slug="west-mercia-2013")
    record = record_for(plan, PERIOD, audience=Audience.STAFF)
    burglary = next(m for m in record.measures if m.code == "5.2")
    assert any(c.better and c.significant for c in burglary.changes)  # "improved" is tested
    assert check_claims([Text("test", AGREEING)], record) == []
    # The same words with one figure and one status wrong are caught, each once.
    wrong = AGREEING.replace("1,517", "1,571").replace("is just off", "is on")
    found = check_claims([Text("test", wrong)], record)
    assert [(f.kind, f.found) for f in found] == [
        (Kind.NUMBER, "1,571"),
        (Kind.STATUS, "on target"),
    ]


def test_the_report_command_lists_the_warnings_and_exits_0(demo_plan):
    out = StringIO()
    call_command(
        "report",
        "--plan",
        demo_plan.slug,
        "--period",
        PERIOD,
        "--audience",
        "staff",
        "--check",
        stdout=out,
    )
    text = out.getvalue()
    assert text.startswith("Claims check for west-mercia-2013 2013/14 Q1: ")
    assert "[status] Headline measures: “just off target”" in text
    assert "[date] Objective 2: “since November 2013”" in text


def test_with_strict_a_warning_exits_1_and_writes_no_report(demo_plan, tmp_path):
    out = tmp_path / "report.html"
    with pytest.raises(
        CommandError, match=r"claims check warnings \(--strict\): no report written"
    ):
        call_command(
            "report",
            "--plan",
            demo_plan.slug,
            "--period",
            PERIOD,
            "--audience",
            "staff",
            "--strict",
            "--out",
            str(out),
            stdout=StringIO(),
        )
    assert not out.exists()


def test_the_report_command_needs_an_out_or_a_check(demo_plan):
    with pytest.raises(CommandError, match="give --out FILE"):
        call_command("report", "--plan", demo_plan.slug, "--period", PERIOD, "--audience", "staff")


def test_the_staff_pages_that_publish_show_the_warnings(site, client):
    client.force_login(site.cast[Role.EDITOR])
    for url in (
        reverse("plans:narrative-list", args=[site.plan.slug, PERIOD]),
        reverse("plans:collection", args=[site.collection.pk]),
    ):
        page = client.get(url).content.decode()
        assert "Claims check" in page, url
        if "Q1" in url:
            assert "since November 2013" in page and "just off target" in page
    # The open Q2 collection has no narrative yet: nothing to warn about.
    assert "name no date after the period" in page


def test_the_claims_check_is_for_staff_only(site, client):
    client.force_login(site.cast[Role.PANEL])
    url = reverse("plans:narrative-list", args=[site.plan.slug, PERIOD])
    assert client.get(url).status_code == 403
