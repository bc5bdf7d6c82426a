"""axe-core in Chromium over the register pages of the demo."""

import pytest

from conftest import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_registers(transactional_db, tmp_path, settings):
    from oversight.plans import demo as plan_demo
    from oversight.registers import demo

    settings.OVERSIGHT_TODAY = "2024-01-31"
    plan = plan_demo.load(by="test")
    demo.load(plan=plan, out_dir=tmp_path, by="test")
    return plan


def test_the_register_pages_have_no_axe_violations(live_server, demo_registers, page):
    objective = demo_registers.objectives.get(code="11")
    paths = [
        "/registers/",
        "/registers/decisions/",
        "/registers/decisions/pcc-d-2023-30/",
        "/registers/grants/",
        "/registers/grants/wm-cgs-2013-14-q1-summary/",
        "/registers/contracts/",
        "/registers/bids/",
        "/registers/disposals/",
        "/registers/programmes/",
        "/registers/tracker/",
        "/registers/expiring-contracts/",
        "/registers/objectives/",
        f"/registers/objectives/{objective.pk}/",
    ]
    found = []
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        found += [f"{path}: {v}" for v in axe_violations(page)]
    assert found == []
