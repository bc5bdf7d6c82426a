"""Seed 003's figures, loaded by the demo loaders, come out of the exports as the paper gives
them; the forecast's movement is computed from the two forecasts, not typed."""

from __future__ import annotations

import json
from decimal import Decimal

from django.core.management import call_command

from oversight.finance.models import BudgetSet, Forecast
from oversight.finance.report import finance_summary
from oversight.lib.audience import Audience


def export(capsys, kind, plan="test-plan", period="2023/24 Q2", audience="public", fmt="json"):
    capsys.readouterr()
    call_command(
        "export", kind, "--plan", plan, "--period", period, "--audience", audience, "--format", fmt
    )
    out = capsys.readouterr().out
    return json.loads(out) if fmt == "json" else out


def find(items, **where):
    return [i for i in items if all(i.get(k) == v for k, v in where.items())]


def test_the_finance_export_gives_seed_003s_figures(seed003, capsys):
    data = export(capsys, "finance")
    items = data["items"]
    (nbr,) = find(items, section="budget", measure="net_budget_requirement")
    assert (nbr["value"], nbr["text"]) == (273000000, "£273m")
    (total,) = find(items, section="budget", measure="total_budget")
    assert total["text"] == "£277m"
    (variance,) = find(items, section="forecast Q2", code="", measure="variance")
    assert variance["value"] == -1337000
    assert variance["text"] == "a projected underspend of £1.337m"
    (movement,) = find(items, section="forecast Q2", code="", measure="movement")
    assert movement["value"] == -3716000
    assert movement["text"] == "an improvement of £3.716m from the Q1 forecast"
    (stage,) = find(items, section="capital", code="hindlip-firearms-range", measure="next_stage")
    assert stage["text"] == "RIBA Stage 3"
    (due,) = find(items, section="capital", code="hindlip-firearms-range", measure="next_stage_due")
    assert due["text"] == "2023-12-31"
    (receipt,) = find(items, section="receipt", code="holmer-road-hereford")
    assert (receipt["value"], receipt["text"]) == (1200000, "£1.2m")
    assert all(i["note"] for i in items), "every figure says where it came from"


def test_the_movement_is_computed_so_changing_the_q1_forecast_changes_it(seed003, capsys):
    q1 = Forecast.objects.get(quarter=1, line=None)
    q1.variance = Decimal("1000000.00")
    q1.save()
    (movement,) = find(
        export(capsys, "finance")["items"], section="forecast Q2", measure="movement"
    )
    assert movement["value"] == -2337000
    assert movement["text"] == "an improvement of £2.337m from the Q1 forecast"


def test_the_engagement_export_gives_seed_003s_figures(seed003, capsys):
    items = export(capsys, "engagement")["items"]
    by_code = {i["code"]: i for i in items if i["section"] == "counts"}
    assert by_code["press-releases"]["value"] == 185
    assert by_code["media-items"]["value"] == 336
    assert by_code["engagements"]["value"] == 96
    assert by_code["posts"]["text"] == "1,527"
    assert by_code["people-engaged"]["text"] == "more than 8,800"
    assert by_code["new-followers"]["value"] == 555
    assert by_code["subscribers"]["value"] == 17407
    assert by_code["newsletter-subscribers"]["value"] == 1890
    assert by_code["website-visitors"]["text"] == "circa 9,500"
    assert by_code["events"]["value"] == 6
    (new,) = find(items, section="casework", code="new")
    assert new["value"] == 1166
    assert new["span"] == "May to October 2023"
    themes = [i["code"] for i in items if i["section"] == "themes"]
    assert themes[:3] == ["crime", "asb", "road-safety"]


def test_the_commissioning_export_gives_seed_003s_figures(seed003, capsys):
    items = export(capsys, "commissioning")["items"]
    (sarc,) = find(items, code="wm-adult-sarc-2024", measure="people_supported")
    assert (sarc["value"], sarc["kpi_period"]) == (379, "2022/23")
    (share,) = find(items, code="wm-adult-sarc-2024", measure="police_share")
    assert share["text"] == "43%"
    (target,) = find(items, section="output", measure="target")
    assert target["value"] == 14
    assert target["text"] == "not yet reported of 14 initiatives"


def test_the_staff_summary_and_the_public_one_agree_once_published(seed003):
    staff = finance_summary(seed003, "2023/24 Q2", audience=Audience.STAFF)
    public = finance_summary(seed003, "2023/24 Q2", audience=Audience.PUBLIC)
    assert staff == public
    assert staff is not None and staff["total"]["movement"] == Decimal("-3716000.00")
    BudgetSet.objects.update(state="draft")
    assert finance_summary(seed003, "2023/24 Q2", audience=Audience.PUBLIC) is None
    assert finance_summary(seed003, "2023/24 Q2", audience=Audience.PANEL) is None
