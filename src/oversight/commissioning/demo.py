"""Seed 003's commissioned-services figures (§5–22: the SARC's 2022/23 use and police share,
DRIVE's Quarter 2 caseload, Safer Streets Five's 14 initiatives), transcribed into
`demo_data/*.csv` with a source note on every row and loaded through the public importer. The
registers' demo (its contracts and bids) must be loaded first. Nothing is invented."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oversight.plans.models import Plan

from .actions import import_commissioning, publish_period
from .importers import read_commissioning

DATA = Path(__file__).parent / "demo_data"
SEED_003 = [("kpis", "kpis.csv"), ("outputs", "outputs.csv")]


def load_seed003(plan: Plan, *, by: Any, publish: bool = True) -> None:
    for table, name in SEED_003:
        path = DATA / name
        import_commissioning(
            plan, table, read_commissioning(table, path, plan), by=by, file_name=name
        )
    if publish:
        for period in ("2022/23", "2023/24 Q2"):
            from .models import FundedOutput, ServiceKpi

            if any(
                model.objects.filter(period=period, state="draft").exists()
                for model in (ServiceKpi, FundedOutput)
            ):
                publish_period(period, by=by)
