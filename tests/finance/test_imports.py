"""Finance, engagement and commissioning files: every problem listed (file, row, column, reason)
and nothing written; a good file imported, re-imported unchanged, its changes kept in history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.commissioning.models import ServiceKpi
from oversight.engagement.models import Count, Span
from oversight.finance.models import BudgetLine, BudgetSet, Forecast, Reserve

BUDGET = (
    "financial_year,net_budget_requirement,total_budget,note\n2023/24,£273m,277000000.00,test\n"
)
LINES = (
    "financial_year,line,name,category,budget,order\n"
    "2023/24,pay,Police pay,pay,200000000,1\n"
    "2023/24,fleet,Vehicles,non-pay,1234.56,2\n"
)


def imp(kind, path, table, plan="test-plan"):
    call_command("import", kind, str(path), "--table", table, "--plan", plan)


def refused(kind, path, table) -> str:
    with pytest.raises(CommandError) as exc:
        imp(kind, path, table)
    return str(exc.value)


@pytest.fixture
def budget(small_plan, write):
    imp("finance", write("budget.csv", BUDGET), "budget")
    imp("finance", write("lines.csv", LINES), "lines")
    return BudgetSet.objects.get()


def test_a_good_finance_import_writes_exact_pence_and_is_idempotent(budget, write, capsys):
    assert budget.net_budget_requirement == Decimal("273000000.00")
    assert BudgetLine.objects.get(code="fleet").budget == Decimal("1234.56")
    assert budget.state == "draft"
    capsys.readouterr()
    imp("finance", write("lines.csv", LINES), "lines")
    assert "0 new, 0 changed, 2 unchanged" in capsys.readouterr().out


def test_a_forecast_given_as_outturn_is_stored_as_its_variance(budget, write):
    imp(
        "finance",
        write(
            "f.csv",
            "financial_year,quarter,line,forecast_outturn\n"
            "2023/24,Q1,pay,201000000\n2023/24,Q2,,275663000\n",
        ),
        "forecasts",
    )
    assert Forecast.objects.get(line__code="pay").variance == Decimal("1000000")
    assert Forecast.objects.get(line=None).variance == Decimal("-1337000")


def test_a_bad_finance_file_is_refused_with_every_problem_and_nothing_written(budget, write):
    path = write(
        "forecasts.csv",
        "financial_year,quarter,line,variance,forecast_outturn\n"
        "2023/24,Q5,pay,100,\n"  # no such quarter
        "2023/24,Q1,nope,100,\n"  # no such line
        "2023/24,Q1,pay,100.001,\n"  # a tenth of a penny: refused, not rounded
        "2024/25,Q1,,100,\n"  # no budget for the year
        "2023/24,Q2,pay,5,200000000\n"  # variance and outturn disagree
        "2023/24,Q3,,,\n"  # neither figure
        "2023/24,Q1,fleet,ten,\n",  # not money
    )
    message = refused("finance", path, "forecasts")
    for where in [
        "forecasts.csv, row 2, column quarter",
        "forecasts.csv, row 3, column line",
        'forecasts.csv, row 4, column variance: "100.001" has more than 2 decimal places',
        "forecasts.csv, row 5, column financial_year",
        "forecasts.csv, row 6, column variance: £5 is not forecast outturn − budget (£0)",
        "forecasts.csv, row 7, column variance: give the variance or the forecast outturn",
        "forecasts.csv, row 8, column variance",
    ]:
        assert where in message
    assert "7 problems found; nothing was imported" in message
    assert not Forecast.objects.exists()


def test_a_reserves_closing_balance_is_computed_and_a_wrong_one_refused(budget, write):
    bad = write(
        "reserves.csv",
        "financial_year,reserve,name,opening,planned_use,closing\n"
        "2023/24,general,General reserve,10000000,2500000.50,7500000.00\n",
    )
    message = refused("finance", bad, "reserves")
    assert (
        "row 2, column closing: £7,500,000 is not opening − planned use (£7,499,999.50)" in message
    )
    assert not Reserve.objects.exists()
    good = write(
        "reserves.csv",
        "financial_year,reserve,name,opening,planned_use,closing\n"
        "2023/24,general,General reserve,10000000,2500000.50,7499999.50\n",
    )
    imp("finance", good, "reserves")
    assert Reserve.objects.get().closing == Decimal("7499999.50")


def test_an_unknown_or_missing_column_is_refused_before_any_row(small_plan, write):
    message = refused(
        "finance", write("b.csv", "year,net_budget_requirement\n2023/24,1\n"), "budget"
    )
    assert 'unknown column "year"' in message
    assert 'the required column "financial_year" is missing' in message


def test_a_change_keeps_the_earlier_version(budget, write):
    imp("finance", write("l.csv", LINES.replace("1234.56", "1300")), "lines")
    line = BudgetLine.objects.get(code="fleet")
    assert [h.budget for h in line.history.order_by("history_id")] == [
        Decimal("1234.56"),
        Decimal("1300.00"),
    ]


COUNTS = "first_month,last_month,period,kind,count,qualifier\n"


def test_engagement_counts_import_and_bad_ones_are_refused_whole(small_plan, write):
    bad = write(
        "c.csv",
        COUNTS + "2023-05,2023-10,2023/24 Q2,press-releases,185,\n"
        "2023-10,2023-05,2023/24 Q2,media-items,336,\n"
        "2023-05,2023-10,2023/24 Q2,tweets,5,\n"
        "2023-05,2023-10,2023/24 Q2,posts,-3,\n"
        "2023-05,2023-10,2023/24 Q2,events,2,roughly\n",
    )
    message = refused("engagement", bad, "counts")
    assert "row 3, column last_month: 2023-05 is before first_month 2023-10" in message
    assert 'row 4, column kind: no kind "tweets"' in message
    assert 'row 5, column count: "-3" is not a whole number' in message
    assert 'row 6, column qualifier: "roughly" is not one of' in message
    assert not Span.objects.exists() and not Count.objects.exists()
    imp(
        "engagement",
        write("c.csv", COUNTS + '2023-05,2023-10,2023/24 Q2,posts,"1,527",\n'),
        "counts",
    )
    assert Count.objects.get().value == 1527
    assert Span.objects.get().label == "May to October 2023"


def test_a_kpi_naming_no_contract_or_more_police_referrals_than_referrals_is_refused(
    seed003_registers, write
):
    bad = write(
        "k.csv",
        "contract,period,referrals,referred_by_police,police_share\n"
        "no-such,2023/24 Q2,10,,\n"
        "wm-drive-dapp,2023/24 Q2,10,11,\n"
        "wm-drive-dapp,2023/24 Q1,10,4,60\n"
        "wm-drive-dapp,2023/24 Q3,,,\n",
    )
    message = refused("commissioning", bad, "kpis")
    assert 'row 2, column contract: no contract "no-such"' in message
    assert "row 3, column referred_by_police: 11 is more than the 10 referrals" in message
    assert "row 4, column police_share: 60% does not match the counts (40.0%)" in message
    assert "row 5, column referrals: give at least one KPI figure" in message
    assert not ServiceKpi.objects.exists()
    imp(
        "commissioning",
        write(
            "k.csv", "contract,period,referrals,referred_by_police\nwm-drive-dapp,2023/24 Q2,8,3\n"
        ),
        "kpis",
    )
    kpi = ServiceKpi.objects.get()
    assert kpi.police_share == Decimal("37.5") and kpi.police_share_computed


def test_an_xlsx_file_imports_like_a_csv(budget, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["financial_year", "quarter", "variance", "note"])
    ws.append(["2023/24", "Q1", "-1337000.50", "from a spreadsheet"])
    path = tmp_path / "forecasts.xlsx"
    wb.save(path)
    imp("finance", path, "forecasts")
    assert Forecast.objects.get().variance == Decimal("-1337000.50")


def test_a_file_with_hundreds_of_bad_rows_lists_200_and_counts_the_rest(budget, write):
    rows = "".join(f"2023/24,line-{i},Line {i},1.001\n" for i in range(250))
    message = refused(
        "finance", write("lines.csv", "financial_year,line,name,budget\n" + rows), "lines"
    )
    assert "250 problems found; nothing was imported" in message
    assert "… and 50 more problems (250 in all)" in message
    assert BudgetLine.objects.count() == 2  # the fixture's, nothing more
