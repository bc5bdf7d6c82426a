"""Changes of state for subscriptions: subscribe (and send the confirmation), confirm,
unsubscribe. Each is one transaction with an audit entry that names the subscription by number,
never the address. Nothing is deleted: an unsubscribed subscription is kept with its history."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Sum
from django.utils import timezone

from oversight.audit.history import versioned
from oversight.audit.log import record
from oversight.lib.problems import Refused

from . import mail
from .models import Subscription
from .targets import find_target

# A confirmation may be sent again for a subscription not yet confirmed, but not sooner than this.
RESEND_AFTER = timedelta(minutes=10)


def normalise(email: str) -> str:
    """The address as stored: trimmed, lower case (so one person has one subscription)."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise Refused("Enter an email address in the right form, like name@example.org") from None
    return email


@versioned
def subscribe(email: str, kind: str, key: str, *, by: Any) -> str:
    """Ask for a subscription: a new one is sent a confirmation link; one awaiting confirmation
    is sent it again (not more often than RESEND_AFTER, and at most
    OVERSIGHT_SUBSCRIBE_MAILS_PER_DAY confirmation mails to one address a day); a confirmed one
    is left alone. Returns what happened, for the log: the caller's reply to the subscriber is
    the same whatever it was, so the form does not tell who is subscribed."""
    email = normalise(email)
    target = find_target(kind, key)
    if target is None:
        raise Refused("There is nothing published here to subscribe to")
    now = timezone.now()
    sub = Subscription.objects.filter(
        email=email, target_kind=kind, target_key=key, unsubscribed_at__isnull=True
    ).first()
    if sub is not None and sub.confirmed_at:
        return "already subscribed"
    if (
        sub is not None
        and sub.confirmation_sent_at
        and now - sub.confirmation_sent_at < RESEND_AFTER
    ):
        return "confirmation sent recently"
    recent = Subscription.objects.filter(
        email=email, confirmation_sent_at__gte=now - timedelta(days=1)
    ).aggregate(n=Sum("confirmations_sent"))["n"]
    if (recent or 0) >= settings.OVERSIGHT_SUBSCRIBE_MAILS_PER_DAY:
        return "daily limit of confirmation mails reached"
    if sub is None:
        sub = Subscription.objects.create(
            email=email, target_kind=kind, target_key=key, created_at=now
        )
    sub.confirmation_sent_at = now
    sub.confirmations_sent += 1
    sub.save(update_fields=["confirmation_sent_at", "confirmations_sent"])
    mail.confirmation(sub, target).send()
    record("subscribe", by=by, obj=sub, summary=f"{sub}: confirmation mail sent")
    return "confirmation sent"


@versioned
def confirm(sub: Subscription, *, by: Any) -> Subscription:
    """The address confirmed by its link: from now on it is sent digests."""
    if sub.unsubscribed_at:
        raise Refused("This subscription was cancelled: subscribe again to start it afresh")
    if sub.confirmed_at is None:
        sub.confirmed_at = timezone.now()
        sub.save(update_fields=["confirmed_at"])
        record("confirm_subscription", by=by, obj=sub, summary=f"{sub} confirmed")
    return sub


@versioned
def unsubscribe(subs: list[Subscription], *, by: Any) -> int:
    """End the subscriptions (kept, with when they ended); returns how many were open."""
    now = timezone.now()
    ended = 0
    for sub in subs:
        if sub.unsubscribed_at is None:
            sub.unsubscribed_at = now
            sub.save(update_fields=["unsubscribed_at"])
            ended += 1
            record("unsubscribe", by=by, obj=sub, summary=f"{sub} ended")
    return ended
