"""Subscriptions end to end with real parts: a local SMTP server (aiosmtpd) receives the mails that
Django's SMTP backend sends. Subscribe → confirmation mail → confirm by its link → publish → one
digest, once; unsubscribe by the mail's link → nothing more. Unconfirmed addresses get nothing, and
nothing unpublished is ever mentioned."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import zlib
from datetime import date, timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import signing

from oversight.plans import actions as plan_actions
from oversight.plans.models import Measure
from oversight.subscriptions.jobs import send_digests
from oversight.subscriptions.models import Digest, Subscription

from conftest import SMALL_PLAN

SITE = "http://oversight.test"


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)  # type: ignore[arg-type]
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def inbox(settings):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.OVERSIGHT_SITE_URL = SITE
    settings.OVERSIGHT_TODAY = "2026-03-02"
    yield handler
    controller.stop()


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _link(message, path: str) -> str:
    """The path of the first link in the mail's text that goes to `path`."""
    found = re.search(rf"{re.escape(SITE)}({re.escape(path)}\S+)", _body(message))
    assert found, f"no {path} link in:\n{_body(message)}"
    return found[1]


def _publish(plan, period: str) -> None:
    m = Measure.objects.get(plan=plan, code="1.2")
    plan_actions.record_observation(m, period, by="editor", value=48, state="approved")
    plan_actions.publish_period(plan, period, by="editor")


def _next_day(settings) -> None:
    settings.OVERSIGHT_TODAY = str(date.fromisoformat(settings.OVERSIGHT_TODAY) + timedelta(days=1))


@pytest.fixture
def plan(small_plan):
    return plan_actions.publish_plan(small_plan, by="test")


def _subscribe(client, inbox, address: str, kind: str, key: str):
    response = client.post(
        "/subscriptions/subscribe/", {"email": address, "kind": kind, "key": key}
    )
    assert response.status_code == 200 and "Check your email" in response.text
    return inbox.to(address.lower())[-1]


def test_subscribe_confirm_digest_once_then_unsubscribe_from_the_mail(
    client, inbox, plan, settings
):
    page = client.get(f"/plans/{plan.slug}/")
    assert 'for="subscribe-email"' in page.text and "Get email updates" in page.text

    confirmation = _subscribe(client, inbox, "Reader@Example.org", "plan", plan.slug)
    assert confirmation["Subject"] == "Confirm your subscription: Test Police and Crime Plan"
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        confirmation["List-Unsubscribe"].strip().startswith(f"<{SITE}/subscriptions/unsubscribe/")
    )
    confirm = _link(confirmation, "/subscriptions/confirm/")
    # Opening the link changes nothing until the button is pressed (mail scanners open links).
    assert "Confirm subscription" in client.get(confirm).text
    assert Subscription.objects.get().confirmed_at is None
    assert "Subscribed" in client.post(confirm).text

    _publish(plan, "2013/14 Q2")
    assert send_digests() == 1
    digests = [m for m in inbox.to("reader@example.org") if m["Subject"].startswith("Newly")]
    assert len(digests) == 1
    text = _body(digests[0])
    assert "Test Police and Crime Plan: the report for" in text and "2013/14" in text
    assert f"{SITE}/plans/{plan.slug}/reports/2013-14-q2.html" in text
    assert digests[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # However often the job runs, that day or later, the report is not sent again.
    assert send_digests() == 0
    _next_day(settings)
    assert send_digests() == 0
    assert len(inbox.to("reader@example.org")) == 2

    unsubscribe = _link(digests[0], "/subscriptions/unsubscribe/")
    assert "Unsubscribe" in client.get(unsubscribe).text
    assert Subscription.objects.get().unsubscribed_at is None  # a GET alone changes nothing
    assert "Unsubscribed" in client.post(unsubscribe).text
    _publish(plan, "2013/14 Q3")
    _next_day(settings)
    assert send_digests() == 0
    assert len(inbox.to("reader@example.org")) == 2
    # The subscription is kept, ended, with its history.
    sub = Subscription.objects.get()
    assert sub.unsubscribed_at is not None and sub.history.count() >= 3


def test_one_digest_a_day_at_most_however_much_is_published(client, inbox, plan, settings):
    confirmation = _subscribe(client, inbox, "daily@example.org", "plan", plan.slug)
    client.post(_link(confirmation, "/subscriptions/confirm/"))
    _publish(plan, "2013/14 Q2")
    assert send_digests() == 1
    _publish(plan, "2013/14 Q3")
    assert send_digests() == 0  # the same day: the Q3 report waits for tomorrow's digest
    _next_day(settings)
    assert send_digests() == 1
    digests = [m for m in inbox.to("daily@example.org") if m["Subject"].startswith("Newly")]
    assert len(digests) == 2
    # By each report's address: a bare "Q2" may turn up inside a signed unsubscribe token.
    q2, q3 = (f"/plans/{plan.slug}/reports/2013-14-{q}.html" for q in ("q2", "q3"))
    assert q2 in _body(digests[0]) and q3 not in _body(digests[0])
    assert q3 in _body(digests[1]) and q2 not in _body(digests[1])
    assert Digest.objects.filter(email="daily@example.org").count() == 2


def test_an_unconfirmed_address_gets_nothing_but_its_confirmation(client, inbox, plan, settings):
    _subscribe(client, inbox, "waiting@example.org", "plan", plan.slug)
    _publish(plan, "2013/14 Q2")
    assert send_digests() == 0
    assert len(inbox.to("waiting@example.org")) == 1


def test_a_mail_clients_one_click_post_unsubscribes_without_a_csrf_token(client, inbox, plan):
    from django.test import Client

    confirmation = _subscribe(client, inbox, "oneclick@example.org", "plan", plan.slug)
    client = Client(enforce_csrf_checks=True)  # as a mail client: no cookie, no token
    header = confirmation["List-Unsubscribe"].strip().strip("<>").replace(SITE, "")
    response = client.post(
        header, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and "Unsubscribed" in response.text
    assert Subscription.objects.get().unsubscribed_at is not None
    # A forged or altered link does nothing.
    assert client.post(header[:-3] + "xyz/").status_code == 404


def _readable(token: str) -> str:
    """All that someone without the site's key can read in a link's token: each part as it is,
    and decoded from base64 (then zlib, as django.core.signing compresses) where that works."""
    seen = []
    for part in token.split(":"):
        seen.append(part)
        try:
            raw = signing.b64_decode(part.lstrip(".").encode())
            seen.append(raw.decode("latin-1"))
            seen.append(zlib.decompress(raw).decode("latin-1"))
        except (ValueError, zlib.error):
            continue
    return " ".join(seen)


def _two_subscriptions(address: str, plan) -> list[Subscription]:
    from oversight.subscriptions import actions

    for kind, key in (("plan", plan.slug), ("register", "decisions")):
        actions.subscribe(address, kind, key, by="test")
        actions.confirm(Subscription.objects.get(email=address, target_kind=kind), by="test")
    return list(Subscription.objects.filter(email=address))


def test_a_digests_unsubscribe_everything_link_ends_all_and_carries_no_address(client, inbox, plan):
    from django.test import Client

    mine = _two_subscriptions("everything@example.org", plan)
    theirs = _two_subscriptions("someone-else@example.org", plan)
    _publish(plan, "2013/14 Q2")
    assert send_digests() == 2
    digest = [m for m in inbox.to("everything@example.org") if m["Subject"].startswith("Newly")][0]
    link = _link(digest, "/subscriptions/unsubscribe-all/")
    assert digest["List-Unsubscribe"].strip() == f"<{SITE}{link}>"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert re.fullmatch(r"\d+:[\w-]+", token), token  # a number and its signature
    assert "everything" not in _readable(token) and "example.org" not in _readable(token)

    page = client.get(link).text
    assert "Test Police and Crime Plan" in page and "Decision notices" in page
    mail_client = Client(enforce_csrf_checks=True)  # RFC 8058: no cookie, no token
    response = mail_client.post(
        link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and "Unsubscribed" in response.text
    assert all(Subscription.objects.get(pk=s.pk).unsubscribed_at for s in mine)
    assert not any(Subscription.objects.get(pk=s.pk).unsubscribed_at for s in theirs)


def test_an_unsubscribe_everything_link_cannot_be_forged_or_borrowed(client, inbox, plan):
    from oversight.subscriptions.tokens import unsubscribe_all_token, unsubscribe_token

    mine = _two_subscriptions("mine@example.org", plan)[0]
    theirs = _two_subscriptions("theirs@example.org", plan)[0]
    good = unsubscribe_all_token(mine)
    signature = good.split(":", 1)[1]
    refused = [
        f"{theirs.pk}:{signature}",  # another subscription's number with this signature
        f"{mine.pk}:{signature[:-2]}xx",  # altered
        unsubscribe_token(mine),  # the one-subscription link is not the everything link
        f"{mine.pk}",
        "²:" + signature,  # a digit to str.isdigit, not a number
    ]
    for token in refused:
        response = client.post(f"/subscriptions/unsubscribe-all/{token}/")
        assert response.status_code == 404, token
    assert not Subscription.objects.filter(unsubscribed_at__isnull=False).exists()
    assert client.post(f"/subscriptions/unsubscribe-all/{good}/").status_code == 200
    assert Subscription.objects.filter(unsubscribed_at__isnull=False).count() == 2


def test_an_unsubscribe_everything_link_from_an_older_digest_still_works(client, inbox, plan):
    """Digests used to carry the address itself, signed: readable, but still honoured."""
    _two_subscriptions("old-mail@example.org", plan)
    legacy = signing.dumps(
        {"e": "old-mail@example.org"},
        salt="oversight.subscriptions.unsubscribe-all",
        compress=True,
    )
    assert "old-mail@example.org" in _readable(legacy)  # why such links are no longer made
    response = client.post(f"/subscriptions/unsubscribe-all/{legacy}/")
    assert response.status_code == 200 and "Unsubscribed" in response.text
    assert not Subscription.objects.filter(unsubscribed_at__isnull=True).exists()
    forged = signing.dumps({"e": "old-mail@example.org"}, salt="another purpose", compress=True)
    assert client.post(f"/subscriptions/unsubscribe-all/{forged}/").status_code == 404


def test_the_form_answers_alike_whoever_is_subscribed_and_is_bounded(client, inbox, plan, settings):
    first = client.post(
        "/subscriptions/subscribe/", {"email": "a@example.org", "kind": "plan", "key": plan.slug}
    )
    again = client.post(
        "/subscriptions/subscribe/", {"email": "a@example.org", "kind": "plan", "key": plan.slug}
    )
    assert first.status_code == again.status_code == 200
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", first.text) == token.sub("", again.text)
    assert "Check your email" in first.text
    assert len(inbox.to("a@example.org")) == 1  # the second request, within minutes, sends none
    assert Subscription.objects.count() == 1
    bad = client.post(
        "/subscriptions/subscribe/", {"email": "not an address", "kind": "plan", "key": plan.slug}
    )
    assert bad.status_code == 400 and 'href="#id_email"' in bad.text
    assert "Enter an email address in the right form" in bad.text
    settings.OVERSIGHT_SUBSCRIBE_REQUESTS_PER_HOUR = 3
    over = client.post(
        "/subscriptions/subscribe/", {"email": "b@example.org", "kind": "plan", "key": plan.slug}
    )
    assert over.status_code == 429 and not inbox.to("b@example.org")


def test_behind_a_trusted_proxy_the_hourly_limit_is_each_clients(client, inbox, plan, settings):
    settings.OVERSIGHT_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.OVERSIGHT_SUBSCRIBE_REQUESTS_PER_HOUR = 2

    def post(address: str, forwarded_for: str, remote: str = "10.0.0.2"):
        return client.post(
            "/subscriptions/subscribe/",
            {"email": address, "kind": "plan", "key": plan.slug},
            HTTP_X_FORWARDED_FOR=forwarded_for,
            REMOTE_ADDR=remote,
        )

    # Through the proxy: one client's requests count against it alone, whatever it writes first.
    assert post("p1@example.org", "192.0.2.1, 198.51.100.66").status_code == 200
    assert post("p2@example.org", "192.0.2.2, 198.51.100.66").status_code == 200
    assert post("p3@example.org", "198.51.100.66").status_code == 429
    assert post("p4@example.org", "198.51.100.7").status_code == 200
    # Straight to the site: the header is not believed, so it does not reset the count.
    assert post("d1@example.org", "192.0.2.1", remote="203.0.113.9").status_code == 200
    assert post("d2@example.org", "192.0.2.2", remote="203.0.113.9").status_code == 200
    assert post("d3@example.org", "192.0.2.3", remote="203.0.113.9").status_code == 429
    assert not inbox.to("p3@example.org") and not inbox.to("d3@example.org")


def test_only_published_things_can_be_subscribed_to_or_are_mentioned(
    client, inbox, plan, settings, write, editor
):
    from oversight.plans.importers import read_plan
    from oversight.registers.actions import import_register, publish_items
    from oversight.registers.importers import read_register
    from oversight.subscriptions import actions

    draft_plan, _ = plan_actions.import_plan(
        read_plan(write("draft.yaml", SMALL_PLAN.replace("test-plan", "draft-plan"))), by="test"
    )
    assert draft_plan.state == "draft"
    refused = client.post(
        "/subscriptions/subscribe/",
        {"email": "c@example.org", "kind": "plan", "key": draft_plan.slug},
    )
    assert refused.status_code == 404 and not inbox.to("c@example.org")

    actions.subscribe("reader@example.org", "register", "decisions", by="test")
    sub = Subscription.objects.get(email="reader@example.org")
    actions.confirm(sub, by="test")
    decisions = write(
        "decisions.csv",
        "id,title,made_on,decision_maker,category,value\n"
        "published-one,PUBLISHED-DECISION,2013-05-01,Police and Crime Commissioner,finance,10\n"
        "draft-one,SENTINEL-DRAFT-DECISION,2013-05-02,Police and Crime Commissioner,finance,20\n",
    )
    import_register("decisions", read_register("decisions", decisions, plan), by=editor)
    assert send_digests() == 0  # both drafts: nothing is published yet
    publish_items("decisions", ["published-one"], by=editor)
    assert send_digests() == 1
    text = _body(inbox.to("reader@example.org")[-1])
    assert "PUBLISHED-DECISION" in text and "SENTINEL-DRAFT-DECISION" not in text
    assert client.get("/registers/decisions/").text.count('for="subscribe-email"') == 1


def test_the_form_on_a_page_cached_for_the_public_works_for_every_reader(client, inbox, plan):
    from django.test import Client

    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    assert "Get email updates" in first.get(f"/plans/{plan.slug}/").text
    assert "Get email updates" in second.get(f"/plans/{plan.slug}/").text  # from the cache
    response = second.post(
        "/subscriptions/subscribe/", {"email": "x@example.org", "kind": "plan", "key": plan.slug}
    )
    assert response.status_code == 200 and len(inbox.to("x@example.org")) == 1


def test_the_subscribe_page_lists_every_public_target_and_shows_each_form(client, plan):
    listed = client.get("/subscriptions/subscribe/").text
    assert "Test Police and Crime Plan: published reports" in listed
    assert "Decision notices: published items" in listed
    form = client.get(f"/subscriptions/subscribe/?kind=plan&key={plan.slug}")
    assert form.status_code == 200 and "<label" in form.text and 'id="id_email"' in form.text
    assert client.get("/subscriptions/subscribe/?kind=plan&key=no-such-plan").status_code == 404


def test_the_command_sends_the_digest(inbox, plan):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("subscriptions", "digest", stdout=out)
    assert out.getvalue().strip() == "Sent 0 digest(s)."


NEW_MEETING = """\
bodies:
  - {id: testshire-pcp, name: Testshire Police and Crime Panel, kind: panel}
meetings:
  - {body: testshire-pcp, date: 2026-03-10, status: {status}}
"""


def test_a_panels_subscribers_hear_of_a_new_meeting_and_then_its_minutes(db, client, inbox, write):
    from oversight.scrutiny.actions import import_scrutiny
    from oversight.scrutiny.importers import read_scrutiny

    def load(status: str) -> None:
        text = NEW_MEETING.replace("{status}", status)
        import_scrutiny(read_scrutiny(write(f"{status}.yaml", text)), by="test")

    load("cancelled")  # the body exists (and one meeting) before anyone subscribes
    assert 'for="subscribe-email"' in client.get("/scrutiny/bodies/testshire-pcp/").text
    confirmation = _subscribe(client, inbox, "panel-watcher@example.org", "body", "testshire-pcp")
    client.post(_link(confirmation, "/subscriptions/confirm/"))
    assert send_digests() == 0  # the meeting was listed before the subscription: not news
    load("held")
    assert send_digests() == 1
    text = _body(inbox.to("panel-watcher@example.org")[-1])
    assert "Testshire Police and Crime Panel: meetings and papers" in text
    assert "minutes of the meeting of Tuesday, 10 March 2026" in text
    assert "/scrutiny/meetings/" in text
