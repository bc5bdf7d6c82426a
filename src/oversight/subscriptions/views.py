"""Subscription pages, for anyone (no account). The subscribe form answers the same whether or not
the address is already subscribed, so it does not tell who is; requests from one client address
are bounded per hour. Confirming and unsubscribing are a button on the page the mail's link opens
(a GET never changes anything); a mail client's RFC 8058 one-click POST to the unsubscribe link
unsubscribes at once."""

from __future__ import annotations

import hashlib
import logging
import smtplib

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from oversight.accounts.access import public
from oversight.core.client import client_address
from oversight.lib.problems import Refused

from . import actions
from .forms import SubscribeForm
from .models import Subscription
from .targets import every_target, find_target
from .tokens import email_from_unsubscribe_all_token, from_confirm_token, from_unsubscribe_token

log = logging.getLogger(__name__)
ACTOR = "subscriber (web form)"


def _too_many(request) -> bool:
    """Count this client address's subscribe requests this hour (the address is hashed: it is
    not kept); True once over OVERSIGHT_SUBSCRIBE_REQUESTS_PER_HOUR."""
    who = hashlib.sha256(client_address(request).encode()).hexdigest()
    key = f"oversight:subscribe:{who}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600)
        count = 1
    return count > settings.OVERSIGHT_SUBSCRIBE_REQUESTS_PER_HOUR


@public
# The form sits on pages cached for the public (a cached page cannot carry each reader's CSRF
# token), and a forged request gains nothing: it asks for a confirmation mail, as anyone may.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None, initial=request.GET.dict())
    target = find_target(
        request.POST.get("kind") or request.GET.get("kind", ""),
        request.POST.get("key") or request.GET.get("key", ""),
    )
    if target is None:
        if request.method == "GET" and not request.GET:
            return render(request, "subscriptions/choose.html", {"targets": every_target()})
        return render(request, "subscriptions/gone.html", status=404)
    context = {"form": form, "target": target}
    if request.method == "GET":
        return render(request, "subscriptions/subscribe.html", context)
    if _too_many(request):
        return render(request, "subscriptions/too_many.html", context, status=429)
    if not form.is_valid():
        return render(request, "subscriptions/subscribe.html", context, status=400)
    data = form.cleaned_data
    try:
        outcome = actions.subscribe(data["email"], data["kind"], data["key"], by=ACTOR)
    except Refused as exc:
        form.add_error("email", str(exc))
        return render(request, "subscriptions/subscribe.html", context, status=400)
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("a confirmation mail could not be sent: %s", exc)
        return render(request, "subscriptions/mail_failed.html", context, status=503)
    log.info("subscribe: %s", outcome)
    # The same page whatever happened: it does not say whether the address was subscribed.
    return render(request, "subscriptions/check_email.html", context)


def _bad_link(request):
    return render(request, "subscriptions/bad_link.html", status=404)


@public
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    sub = from_confirm_token(token)
    if sub is None:
        return _bad_link(request)
    target = find_target(sub.target_kind, sub.target_key)
    if target is None:
        return render(request, "subscriptions/gone.html", status=404)
    context = {"sub": sub, "target": target}
    if request.method == "POST":
        try:
            actions.confirm(sub, by=ACTOR)
        except Refused as exc:
            context["refused"] = str(exc)
            return render(request, "subscriptions/confirm.html", context, status=400)
        context["done"] = True
    return render(request, "subscriptions/confirm.html", context)


def _unsubscribe_page(request, subs: list[Subscription], what: list[str]):
    """GET shows what the link ends and a button; POST (the button, or a mail client's RFC 8058
    one-click request) ends it."""
    context = {"what": what, "done": False}
    if request.method == "POST":
        actions.unsubscribe(subs, by=ACTOR)
        context["done"] = True
    return render(request, "subscriptions/unsubscribe.html", context)


def _described(sub: Subscription) -> str:
    target = find_target(sub.target_kind, sub.target_key)
    return target.described if target else f"{sub.target_key}: {sub.get_target_kind_display()}"


@public
@csrf_exempt  # RFC 8058: the mail client's POST carries no cookie or token; the signed link is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    sub = from_unsubscribe_token(token)
    if sub is None:
        return _bad_link(request)
    return _unsubscribe_page(request, [sub], [_described(sub)])


@public
@csrf_exempt  # as above
@require_http_methods(["GET", "POST"])
def unsubscribe_all(request, token: str):
    email = email_from_unsubscribe_all_token(token)
    if email is None:
        return _bad_link(request)
    subs = list(Subscription.objects.filter(email=email, unsubscribed_at__isnull=True))
    return _unsubscribe_page(request, subs, [_described(s) for s in subs])
