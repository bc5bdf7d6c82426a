"""axe-core in Chromium over the delivery plan's and risk register's public and staff pages, with
synthetic activities and risks (made up for the test, not from any paper) on the demo plan."""

import pytest

from oversight.accounts.roles import Role

from conftest import PASSWORD, axe_violations

pytestmark = pytest.mark.browser

DELIVERY = """\
activity,objective,title,owner,weight,status,percent_complete,milestone,due,completed_on
S1,1,Synthetic activity on track,A. Person,2,on_track,40,First step,2013-05-31,2013-05-20
S1,,,,,,,Second step,2013-06-30,
S2,1,Synthetic activity at risk,,1,at_risk,10,,,
S3,2,Synthetic activity complete,,1,complete,,,,
"""
RISKS = """\
risk,title,likelihood_before,impact_before,likelihood_after,impact_after,controls,review_on,objectives,activities
SR1,Synthetic risk,4,5,3,4,Synthetic controls,2013-06-01,1,S1
SR2,Another synthetic risk,2,2,1,1,,,2,
"""


def test_the_delivery_and_risk_pages_have_no_axe_violations(
    live_server, transactional_db, tmp_path, settings, page
):
    from oversight.accounts.actions import create_user
    from oversight.delivery import actions
    from oversight.delivery.importers import read_delivery, read_risks
    from oversight.delivery.models import Activity, Risk
    from oversight.plans import demo as plan_demo

    settings.OVERSIGHT_TODAY = "2013-07-15"
    plan = plan_demo.load(by="test")
    (tmp_path / "d.csv").write_text(DELIVERY, encoding="utf-8")
    (tmp_path / "r.csv").write_text(RISKS, encoding="utf-8")
    actions.import_delivery(plan, read_delivery(tmp_path / "d.csv", plan), by="test")
    actions.import_risks(plan, read_risks(tmp_path / "r.csv", plan), by="test")
    actions.post_update(
        Activity.objects.get(code="S1"), by="test", note="A *synthetic* update", on=None
    )
    for what in ("activities", "risks"):
        actions.set_state(plan, what, "published", by="test")
    admin = create_user("axe-admin", password=PASSWORD, role=Role.ADMIN, by="test")
    base = live_server.url
    found = []
    public = [f"/plans/{plan.slug}/delivery/", f"/plans/{plan.slug}/risks/"]
    activity = Activity.objects.get(code="S1")
    staff = [
        f"/staff/plans/{plan.slug}/delivery/",
        f"/staff/plans/{plan.slug}/risks/",
        f"/staff/plans/{plan.slug}/delivery/import/",
        f"/staff/delivery/activities/{activity.pk}/",
        f"/staff/delivery/activities/{activity.pk}/updates/new/",
        f"/staff/delivery/milestones/{activity.milestones.first().pk}/",
        f"/staff/delivery/risks/{Risk.objects.get(code='SR1').pk}/",
    ]
    for path in public:
        response = page.goto(base + path)
        assert response.status == 200, path
        found += [f"{path}: {v}" for v in axe_violations(page)]
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", admin.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    for path in staff:
        response = page.goto(base + path)
        assert response.status == 200, path
        found += [f"{path}: {v}" for v in axe_violations(page)]
    assert found == []
