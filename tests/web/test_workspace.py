"""The staff workspace and the collection workflow, through the pages a user clicks."""

from __future__ import annotations

from django.core import mail

from oversight.accounts.roles import Role
from oversight.audit.models import AuditEntry
from oversight.plans.models import Measure, Observation

PLAN = "west-mercia-2013"


def test_a_red_figure_needs_a_comment_and_a_bad_one_is_refused_at_its_field(client, site):
    client.force_login(site.cast[Role.PROVIDER])
    url = f"/provide/{site.collection.pk}/"
    m22 = Measure.objects.get(plan=site.plan, code="2.2")  # solved rate, target 53%, higher better
    m21 = site.measure
    form = {f"m{m21.pk}-value": "987654", f"m{m21.pk}-comment": "", f"m{m22.pk}-value": "12,5x"}
    page = client.post(url, form).content.decode()
    assert "2.2: &quot;12,5x&quot; is not a number" in page or "is not a number" in page
    form[f"m{m22.pk}-value"] = "40"  # red against 53%: a comment is needed
    page = client.post(url, form).content.decode()
    assert "2.2 is off target: say why in a comment" in page
    assert not Observation.objects.filter(measure=m22, period__code="2013/14 Q2").exists()
    form[f"m{m22.pk}-comment"] = "Two large investigations still open"
    response = client.post(url, form)
    assert response.status_code == 302
    obs = Observation.objects.get(measure=m22, period__code="2013/14 Q2")
    assert (obs.value, obs.state, obs.comment) == (
        40,
        "submitted",
        "Two large investigations still open",
    )


def test_the_editor_sends_a_figure_back_with_a_note_the_provider_then_sees(client, site):
    client.force_login(site.cast[Role.EDITOR])
    review = f"/staff/observations/{site.draft.pk}/"
    assert (
        "This field is required"
        in client.post(review, {"send_back": "1", "return-note": ""}).content.decode()
    )
    client.post(review, {"send_back": "1", "return-note": "This looks like a typing slip"})
    site.draft.refresh_from_db()
    assert site.draft.state == "returned"
    client.force_login(site.cast[Role.PROVIDER])
    page = client.get(f"/provide/{site.collection.pk}/").content.decode()
    assert "This looks like a typing slip" in page


def test_the_editor_sees_completion_sends_reminders_approves_and_publishes(client, site):
    client.force_login(site.cast[Role.EDITOR])
    page = client.get(f"/staff/collections/{site.collection.pk}/").content.decode()
    assert "provider-user" in page and "Completion by provider" in page
    client.post(f"/staff/collections/{site.collection.pk}/remind/")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["provider@example.org"]
    assert "2.2 " in mail.outbox[0].body and "2.1 " not in mail.outbox[0].body  # 2.1 is in
    client.post(f"/staff/collections/{site.collection.pk}/", {"approve_all": "1"})
    client.post(f"/staff/collections/{site.collection.pk}/publish/")
    site.draft.refresh_from_db()
    assert site.draft.state == "published"
    assert client.get(f"/plans/{PLAN}/performance/2013-14-q2/").status_code == 200


def test_a_published_figure_is_corrected_only_with_a_reason(client, site):
    obs = Observation.objects.get(
        measure=site.measure, period__code="2013/14 Q1", area__is_force_area=True
    )
    client.force_login(site.cast[Role.EDITOR])
    url = f"/staff/observations/{obs.pk}/"
    page = client.post(
        url, {"correct": "1", "correct-value": "1520", "correct-reason": ""}
    ).content.decode()
    assert "This field is required" in page
    client.post(url, {"correct": "1", "correct-value": "1520", "correct-reason": "late records"})
    obs.refresh_from_db()
    assert (obs.value, obs.state, obs.correction_reason) == (1520, "published", "late records")
    assert obs.corrected_at is not None


def test_the_plan_editor_changes_a_target_and_tolerance_through_a_form_with_an_audit_entry(
    client, site
):
    client.force_login(site.cast[Role.EDITOR])
    m = Measure.objects.get(plan=site.plan, code="2.2")
    url = f"/staff/measures/{m.pk}/"
    form = client.get(url).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k != "providers"}
    data.update(
        {"target_value": "55", "tolerance": "nonsense", "headline": "on" if m.headline else ""}
    )
    if not m.headline:
        data.pop("headline")
    page = client.post(url, data).content.decode()
    assert "govuk-error-summary" in page
    data["tolerance"] = "2pp"
    assert client.post(url, data).status_code == 302
    m.refresh_from_db()
    assert (m.target_value, m.tolerance) == (55, "2pp")
    entry = AuditEntry.objects.filter(action="change_measure").first()
    assert entry.before["tolerance"] == "" and entry.after["tolerance"] == "2pp"


def test_the_narrative_editor_previews_then_saves(client, site):
    client.force_login(site.cast[Role.EDITOR])
    n = site.narrative
    data = {
        "section": n.section,
        "objective": n.objective_id or "",
        "title": n.title,
        "body": "**Bold** update",
        "order": 0,
    }
    page = client.post(f"/staff/narratives/{n.pk}/", {**data, "preview": "1"}).content.decode()
    assert "<strong>Bold</strong>" in page
    n.refresh_from_db()
    assert n.body != "**Bold** update"  # a preview saves nothing
    client.post(f"/staff/narratives/{n.pk}/", {**data, "save": "1"})
    n.refresh_from_db()
    assert n.body == "**Bold** update"


def test_the_report_builder_previews_drafts_for_staff_only(client, site):
    client.force_login(site.cast[Role.EDITOR])
    page = client.get(f"/staff/plans/{PLAN}/report/?period=2013%2F14+Q2").content.decode()
    assert "/staff/plans/west-mercia-2013/report/2013-14-q2.pdf" in page
    preview = client.get(f"/staff/plans/{PLAN}/report/2013-14-q2.html").content.decode()
    assert "987,654" in preview  # the submitted draft, visible to staff


def test_a_user_issues_and_revokes_an_api_token(client, site):
    client.force_login(site.cast[Role.PROVIDER])
    page = client.post("/account/tokens/", {"name": "force warehouse"}).content.decode()
    secret = page.split('id="token-secret">')[1].split("<")[0]
    assert secret.startswith("ovs_")
    assert (
        client.get(
            f"/api/v1/plans/{PLAN}/periods", HTTP_AUTHORIZATION=f"Bearer {secret}"
        ).status_code
        == 200
    )
    from oversight.accounts.models import ApiToken

    token = ApiToken.objects.get(name="force warehouse")
    client.post("/account/tokens/", {"revoke": token.pk})
    assert (
        client.get(
            f"/api/v1/plans/{PLAN}/periods", HTTP_AUTHORIZATION=f"Bearer {secret}"
        ).status_code
        == 401
    )


def test_the_editor_overrides_a_status_only_with_a_reason_and_both_show(client, site):
    client.force_login(site.cast[Role.EDITOR])
    url = f"/staff/observations/{site.draft.pk}/"
    page = client.post(url, {"override": "1", "override-rag": "green", "override-reason": ""})
    assert "An override needs a reason" in page.content.decode()
    client.post(url, {"override": "1", "override-rag": "green", "override-reason": "Seasonal peak"})
    site.draft.refresh_from_db()
    assert (site.draft.rag_override, site.draft.rag_reason) == ("green", "Seasonal peak")


def test_the_dashboard_lists_overdue_publications_as_readable_items(client, site, write, settings):
    from oversight.registers.actions import import_register, publish_items
    from oversight.registers.importers import read_register

    settings.OVERSIGHT_TODAY = "2024-01-31"
    text = (
        "id,title,made_on,published_on,significant_public_interest\n"
        "owed,Sale of the old station,2023-10-01,,true\n"
        "undated,Estates strategy,2023-10-01,,true\n"
    )
    import_register("decisions", read_register("decisions", write("d.csv", text)), by="test")
    publish_items("decisions", ["undated"], by="test")
    client.force_login(site.cast[Role.EDITOR])
    page = client.get("/staff/").content.decode()
    assert "Entry(" not in page and "Duty(" not in page
    assert (
        '<a class="govuk-link" href="/registers/decisions/owed/">Sale of the old station</a>'
        in (page)
    )
    assert "due 21 October 2023, 102 days overdue, no publication recorded (a draft here)" in page
    assert "Estates strategy" not in page  # published, only its date is missing: not overdue
    assert "1 published item has no publication date recorded" in page
