"""Seed 003's finance figures (West Mercia Police and Crime Panel, 17 November 2023, §47–71),
transcribed into `demo_data/*.csv` with a source note on every row, and loaded through the public
importer. Nothing is invented: what the paper does not give is left empty and the note says so;
the one derived figure (the Q1 forecast, from the Q2 forecast and its stated movement) says how
it was derived. The registers' demo (its disposals) must be loaded first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oversight.plans.models import Plan

from .actions import import_finance, publish_budget_set, publish_forecasts
from .importers import read_finance
from .models import BudgetSet

DATA = Path(__file__).parent / "demo_data"
SEED_003 = [
    ("budget", "budget-2023-24.csv"),
    ("forecasts", "forecasts-2023-24.csv"),
    ("capital", "capital-2023-24.csv"),
    ("receipts", "receipts-2023-24.csv"),
]


def load_seed003(plan: Plan, *, by: Any, publish: bool = True) -> BudgetSet:
    """Load seed 003's 2023/24 finance into `plan` (the Safer West Mercia Plan's record), and
    publish it (the paper is public) unless `publish` is False."""
    for table, name in SEED_003:
        path = DATA / name
        import_finance(plan, table, read_finance(table, path, plan), by=by, file_name=name)
    budget_set = BudgetSet.objects.get(plan=plan, financial_year="2023/24")
    if publish:
        if budget_set.state != "published":
            publish_budget_set(budget_set, by=by)
        for quarter in (1, 2):
            if budget_set.forecasts.filter(quarter=quarter, state="draft").exists():
                publish_forecasts(budget_set, quarter, by=by)
    return budget_set
