"""Fixtures for the finance, engagement and commissioning tests: the seed 003 register items
their records link to (from the registers' own transcription of seed 003), and the seed 003 demo
figures loaded into a small plan."""

from __future__ import annotations

import csv
import io

import pytest

from oversight.registers.actions import import_register, publish_items
from oversight.registers.demo import DATA as REGISTERS_DATA
from oversight.registers.importers import read_register

SEED_003_ITEMS = {
    "decisions": {"pcc-d-2023-30"},
    "disposals": {
        "holmer-road-hereford",
        "hindlip-the-firs-and-the-orchards",
        "malvern-42a-albert-road",
        "evesham-community-contact-centre",
    },
    "contracts": {"wm-adult-sarc-2024", "wm-drive-dapp"},
    "bids": {"ho-safer-streets-5"},
}


@pytest.fixture
def seed003_registers(small_plan, write):
    """The register items seed 003's finance and commissioning figures link to, published, with
    their links to the demo plan's objectives dropped (the test plan has other objectives)."""
    for kind, wanted in SEED_003_ITEMS.items():
        text = (REGISTERS_DATA / f"{kind}.csv").read_text(encoding="utf-8")
        rows = [r for r in csv.DictReader(io.StringIO(text)) if r["id"] in wanted]
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(rows[0]))
        w.writeheader()
        for r in rows:
            w.writerow({**r, "objectives": ""})
        path = write(f"{kind}.csv", buf.getvalue())
        import_register(kind, read_register(kind, path, small_plan), by="test")
        publish_items(kind, by="test")
    return small_plan


@pytest.fixture
def seed003(seed003_registers):
    from oversight.commissioning.demo import load_seed003 as commissioning
    from oversight.engagement.demo import load_seed003 as engagement
    from oversight.finance.demo import load_seed003 as finance
    from oversight.plans.actions import publish_plan

    plan = seed003_registers
    publish_plan(plan, by="test")  # the public reads published plans only
    finance(plan, by="test")
    engagement(plan, by="test")
    commissioning(plan, by="test")
    return plan
