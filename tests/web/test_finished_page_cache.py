"""Public pages are served to anonymous visitors from the cache before sessions, authentication,
CSRF and messages run (core.middleware.PublicPageCache): at the cost of one query, with the
headers the first visitor got, and never to a signed-in user, a visitor with a session or for a
page not marked as public."""

from __future__ import annotations

from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from oversight.core.cache import finished_page_key, keep_finished
from oversight.plans import actions
from oversight.plans.models import Measure

PAGE = "/plans/west-mercia-2013/performance/2013-14-q1/"


def test_an_anonymous_visitor_gets_the_kept_page_for_one_query_with_its_headers(client, site):
    first = client.get(PAGE)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(PAGE, {"bust": 1})  # a parameter the page does not read
    assert len(queries) == 1  # the data version
    # Answered before the session and authentication middleware (nor the view) ran.
    assert not hasattr(again.wsgi_request, "session")
    assert not hasattr(again.wsgi_request, "user")
    assert again.content == first.content
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Type"):
        assert again[header] == first[header], header
    assert not again.cookies


def test_a_kept_page_changes_when_a_figure_changes(client, site):
    client.get(PAGE)
    m = Measure.objects.get(plan=site.plan, code="2.2")
    actions.record_observation(
        m,
        "2013/14 Q1",
        by=site.cast["editor"],
        value=66.6,
        correction_reason="revised",
        basis="ytd",
    )
    assert "66.6%" in client.get(PAGE).content.decode()


def test_a_signed_in_user_never_gets_the_anonymous_page(client, site):
    anonymous = client.get(PAGE).content.decode()
    assert "Sign out" not in anonymous
    client.force_login(site.cast["editor"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(PAGE).content.decode()
    assert "Sign out" in page
    assert len(queries) > 1  # built for them: session, user, the page


def test_only_anonymous_gets_of_public_pages_have_a_key(site):
    factory = RequestFactory()
    assert finished_page_key(factory.get(PAGE)) is not None
    assert finished_page_key(factory.post(PAGE)) is None
    assert finished_page_key(factory.get("/staff/")) is None  # not a public page
    assert finished_page_key(factory.get("/no/such/page/")) is None
    with_session = factory.get(PAGE)
    with_session.COOKIES["sessionid"] = "x"
    assert finished_page_key(with_session) is None
    with_message = factory.get(PAGE)
    with_message.COOKIES["messages"] = "x"
    assert finished_page_key(with_message) is None
    assert finished_page_key(factory.get(PAGE, HTTP_AUTHORIZATION="Bearer x")) is None
    # Query parameters the page does not read make the same key; one it reads, another.
    assert finished_page_key(factory.get(PAGE, {"bust": 1})) == finished_page_key(factory.get(PAGE))
    assert finished_page_key(factory.get(PAGE, {"area": "herefordshire"})) != finished_page_key(
        factory.get(PAGE)
    )


def test_a_response_that_sets_a_cookie_or_is_private_is_not_kept():
    assert keep_finished(HttpResponse("page")) is not None
    with_cookie = HttpResponse("page")
    with_cookie.set_cookie("csrftoken", "secret")
    assert keep_finished(with_cookie) is None
    private = HttpResponse("page")
    private["Cache-Control"] = "private"
    assert keep_finished(private) is None
    assert keep_finished(HttpResponse("gone", status=404)) is None
