"""axe-core in Chromium over the scrutiny pages, with the demo's records."""

import pytest
from django.contrib.auth.models import Group, User

from oversight.accounts.roles import Role

pytestmark = pytest.mark.browser


def test_the_scrutiny_pages_have_no_axe_violations(live_server, scrutiny_records, small_plan, page):
    from oversight.scrutiny.models import Action, Meeting

    from conftest import axe_violations

    editor = User.objects.create_user("edith", password="pw-edith-42")
    editor.groups.add(Group.objects.get_or_create(name=Role.EDITOR)[0])
    september = Meeting.objects.get(date="2019-09-10")
    public = [
        "/scrutiny/",
        f"/scrutiny/meetings/{september.pk}/",
        "/scrutiny/actions/?state=overdue",
        "/scrutiny/hmicfrs/",
        "/scrutiny/adhoc-requests/",
        "/scrutiny/hmicfrs/vetting-misconduct-misogyny/",
    ]
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", "pw-edith-42")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    staff = [
        f"/scrutiny/actions/{Action.objects.get(ref='313.1').pk}/update/",
        f"/scrutiny/measures/{small_plan.measures.first().pk}/pin/",
        "/scrutiny/hmicfrs/wmp-vsa-revisit/response/",
    ]
    found = []
    for path in public + staff:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        found += [f"{path}: {v}" for v in axe_violations(page)]
    assert found == []
