"""Seed 003's demo publishes the register items its paper reports, and no other draft: the
office's unpublished items stay unpublished when the demo period is loaded beside them."""

from __future__ import annotations

import csv
import io

from oversight.plans.actions import import_plan
from oversight.plans.importers import read_plan
from oversight.registers.actions import import_register
from oversight.registers.demo import DATA as REGISTERS_DATA
from oversight.registers.importers import read_register
from oversight.registers.models import Grant
from oversight.reports.demos import seed003

OTHER = "wm-cgs-2013-14-q1-summary"  # a grant in the registers' demo that seed 003 does not report


def test_seed003_publishes_its_register_items_and_leaves_other_drafts(db, write):
    plan, _ = import_plan(read_plan(seed003.DATA / "safer-west-mercia.yaml"), by="test")
    for kind, wanted in (("programmes", None), ("grants", {OTHER})):
        text = (REGISTERS_DATA / f"{kind}.csv").read_text(encoding="utf-8")
        rows = [r for r in csv.DictReader(io.StringIO(text)) if wanted is None or r["id"] in wanted]
        buf = io.StringIO()
        out = csv.DictWriter(buf, fieldnames=list(rows[0]))
        out.writeheader()
        out.writerows({**r, "objectives": ""} if "objectives" in r else r for r in rows)
        path = write(f"{kind}.csv", buf.getvalue())
        import_register(kind, read_register(kind, path, plan), by="test", file_name=path.name)
    assert Grant.objects.get(identifier=OTHER).state == "draft"
    seed003.register_items(plan, by="test")
    assert Grant.objects.get(identifier="wm-svd-2023-24-shropshire").state == "published"
    assert Grant.objects.get(identifier=OTHER).state == "draft"
