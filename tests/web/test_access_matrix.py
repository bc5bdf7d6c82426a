"""The access matrix: every URL pattern in the resolver (every app's, including ones added later),
requested as the public and as each role, must answer as the rule its view declares.

- `@public` views: 200 for everyone (404 allowed for other apps' routes filled with dummy ids);
- `@require(...)` views: the public is sent to sign in (302), a role outside the rule gets 403,
  a role inside gets 200 (405 for routes that only take POST);
- the Django admin: only administrators; everyone else is sent to the admin sign-in;
- a view without an `access` attribute fails the test.
The API's operations are checked against the OpenAPI document in tests/api/test_api.py; its
documents (the OpenAPI document and the interactive documentation) are walked here.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from oversight.accounts.access import PUBLIC
from oversight.plans.models import Observation

from conftest import ROLES, client_for, role_name

# Routes that accept only POST (GET answers 405 to anyone allowed in).
POST_ONLY = {
    "plans:collection-remind",
    "plans:collection-publish",
    "plans:collection-release",
    "plans:plan-state",
    "plans:narrative-publish",
    "registers:publish",
    "logout",
}
# Routes that always send the reader on (302) to the page they stand for.
REDIRECTS = {"web:current-plan"}
# Images drawn from the query string: without one (or without police.uk data) there is nothing to
# draw, so 404 is as right as 200.
NEEDS_QUERY = {"opendata:compare-chart"}
# The API's own documents are pages like any other (its operations: see tests/api/test_api.py).
API_PAGES = {"api:openapi-json", "api:openapi-view"}


def walk(resolver=None, prefix="", namespace="", converters=None):
    """Yield (route, name, callback, converters) for every URL pattern, depth first."""
    resolver = resolver or get_resolver()
    converters = converters or {}
    for p in resolver.url_patterns:
        found = {**converters, **getattr(p.pattern, "converters", {})}
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from walk(p, prefix + str(p.pattern), ns, found)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            yield prefix + str(p.pattern), name, p.callback, found


def dummy(converter) -> str:
    """A value the converter accepts that names no real object (another app's parameter)."""
    candidates = ["999999", "no-such-thing", *str(converter.regex).split("|")]
    return next(c for c in candidates if re.fullmatch(converter.regex, c))


def fill(route: str, converters: dict, site, ours: bool) -> tuple[str, bool] | None:
    """The route with its parameters filled: ours from the demo site, other apps' with values
    their converters accept. Returns (url, real) where `real` says every value names a real
    object, or None for a regex route (the admin's catch-all)."""
    if route.startswith("^") or "(?P" in route:
        return None
    known = {
        "slug": site.plan.slug,
        "period": "2013-14-q1",
        "measure_id": site.measure.pk,
        "objective_id": site.objective.pk,
        "narrative_id": site.narrative.pk,
        "collection_id": site.collection.pk,
        "observation_id": site.draft.pk,
        "fmt": "html",
    }
    real = True

    def value(m: re.Match) -> str:
        nonlocal real
        name = m[2]
        if ours and name in known:
            return str(known[name])
        real = False
        return dummy(converters[name])

    url = "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)
    return url, real


def expected(callback, name: str, role, real: bool) -> set[int]:
    access = getattr(callback, "access", None)
    if access is None:
        raise AssertionError(f"{name or callback}: the view declares no access rule")
    if name in POST_ONLY and (access == PUBLIC or role in access):
        return {405}
    if name in REDIRECTS and (access == PUBLIC or role in access):
        return {302}
    if name in NEEDS_QUERY:
        real = False
    if access == PUBLIC:
        return {200} if real else {200, 404}
    if role is None:
        return {302}
    if role in access:
        return {200} if real else {200, 404}
    return {403}


def test_every_route_answers_every_role_as_its_rule_says(client, site_history):
    site = site_history
    from oversight.plans.actions import release_to_panel

    release_to_panel(site.collection, by=site.cast["editor"])
    client.raise_request_exception = False  # a 500 is a row in the report, not a crash
    failures, checked = [], 0
    patterns = list(walk())
    for route, name, callback, converters in patterns:
        if route.startswith("api/") and name not in API_PAGES:
            continue  # the API's operations: see tests/api/test_api.py
        ours = name.startswith(("web:", "plans:", "reports:", "delivery:")) or name in POST_ONLY | {
            "login",
            "password_change",
            "password_change_done",
            "tokens",
            "audit",
        }
        filled = fill(route, converters, site, ours)
        if filled is None:
            continue
        url, real = filled
        is_admin = route.startswith("admin/")
        for role in ROLES:
            if is_admin and role == "administrator" and name != "admin:index":
                continue  # Django's own admin pages: only its index is rendered, to keep this fast
            client.logout()
            client_for(client, site, role)
            status = client.get(url).status_code
            if is_admin:
                # The admin site is the administrators' own: anyone else is sent to its sign-in.
                if role == "administrator":
                    want = set(range(200, 500)) - {401}
                else:
                    want = {200} if name == "admin:login" else {302}
            else:
                try:
                    want = expected(callback, name, role, real)
                except AssertionError as exc:
                    failures.append(str(exc))
                    break
            checked += 1
            if status not in want:
                failures.append(f"{url} ({name}) as {role_name(role)}: {status}, expected {want}")
    assert not failures, "\n".join(failures)
    assert checked > 100  # the walk really covered the site


def test_the_public_is_sent_to_sign_in_and_comes_back(client, site):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/staff/")


@pytest.mark.parametrize(
    "url",
    ["/provide/", "/panel/", "/staff/audit/"],
)
def test_a_provider_cannot_open_another_roles_pages(client, site, url):
    client.force_login(site.cast["provider"])
    expected_status = 200 if url == "/provide/" else 403
    assert client.get(url).status_code == expected_status


def test_a_provider_sees_only_their_own_measures(client, site):
    client.force_login(site.cast["provider"])
    page = client.get(f"/provide/{site.collection.pk}/").content.decode()
    assert "2.1 " in page
    assert "1.1 Maintain public confidence" not in page


def test_a_panel_member_reads_reviewed_figures_only_once_released(client, site):
    from oversight.plans import actions

    editor = site.cast["editor"]
    client.force_login(site.cast["panel"])
    assert client.get(f"/panel/{site.collection.pk}/").status_code == 404
    actions.release_to_panel(site.collection, by=editor)
    page = client.get(f"/panel/{site.collection.pk}/").content.decode()
    assert "987,654" not in page  # submitted, not yet reviewed: not released
    actions.approve_figure(site.draft, by=editor)
    actions.release_to_panel(site.collection, by=editor)
    page = client.get(f"/panel/{site.collection.pk}/").content.decode()
    assert "987,654" in page


def test_the_panels_release_is_a_snapshot_that_a_later_change_does_not_reach(client, site):
    from oversight.plans import actions

    editor, provider = site.cast["editor"], site.cast["provider"]
    actions.approve_figure(site.draft, by=editor)
    actions.release_to_panel(site.collection, by=editor)
    # After the release the figure goes back to its provider, who sends a new one.
    actions.return_figure(site.draft, note="check the YTD basis", by=editor)
    changed = actions.record_observation(
        site.measure, "2013/14 Q2", by=provider, value=123456, basis="ytd"
    )
    actions.submit_figure(changed, by=provider)
    client.force_login(site.cast["panel"])
    url = f"/panel/{site.collection.pk}/"
    page = client.get(url).content.decode()
    assert "987,654" in page and "123,456" not in page and "Changed since release" not in page
    api = client.get(
        f"/api/v1/plans/{site.plan.slug}/periods/2013-14-q2/measures",
        HTTP_AUTHORIZATION=f"Bearer {site.tokens['panel']}",
    ).json()
    assert next(r for r in api if r["measure"] == "2.1")["actual"] == 987654
    # Once the office approves the change the Panel sees it as a change, beside the release.
    actions.approve_figure(Observation.objects.get(pk=changed.pk), by=editor)
    page = client.get(url).content.decode()
    assert "987,654" in page and "Changed since release" in page and "123,456" in page
    actions.release_to_panel(site.collection, by=editor)
    page = client.get(url).content.decode()
    assert "987,654" not in page and "123,456" in page
