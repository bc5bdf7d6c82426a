"""The signed links in subscription mails (django.core.signing): a confirmation link that expires,
and an unsubscribe link that does not. Each is signed with the site's secret and a salt that names
its purpose and the subscription's own salt, so neither can be forged, reused for another purpose,
or used for another subscription."""

from __future__ import annotations

from django.core import signing

from .models import Subscription

CONFIRM_DAYS = 7


def _salt(purpose: str, sub: Subscription) -> str:
    return f"oversight.subscriptions.{purpose}.{sub.salt}"


def confirm_token(sub: Subscription) -> str:
    return signing.TimestampSigner(salt=_salt("confirm", sub)).sign(str(sub.pk))


def unsubscribe_token(sub: Subscription) -> str:
    return signing.Signer(salt=_salt("unsubscribe", sub)).sign(str(sub.pk))


ALL_SALT = "oversight.subscriptions.unsubscribe-all"


def unsubscribe_all_token(email: str) -> str:
    """A digest's link: it lists several subscriptions of one address, and one click (RFC 8058)
    ends them all."""
    return signing.dumps({"e": email}, salt=ALL_SALT, compress=True)


def email_from_unsubscribe_all_token(token: str) -> str | None:
    try:
        data = signing.loads(token, salt=ALL_SALT)
    except signing.BadSignature:
        return None
    return data.get("e") if isinstance(data, dict) else None


def _subscription(token: str) -> Subscription | None:
    pk = token.split(":", 1)[0]
    if not pk.isdigit():
        return None
    return Subscription.objects.filter(pk=int(pk)).first()


def from_confirm_token(token: str) -> Subscription | None:
    """The subscription a confirmation link names, or None (forged, altered or expired)."""
    sub = _subscription(token)
    if sub is None:
        return None
    try:
        signing.TimestampSigner(salt=_salt("confirm", sub)).unsign(
            token, max_age=CONFIRM_DAYS * 24 * 3600
        )
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    return sub


def from_unsubscribe_token(token: str) -> Subscription | None:
    sub = _subscription(token)
    if sub is None:
        return None
    try:
        signing.Signer(salt=_salt("unsubscribe", sub)).unsign(token)
    except signing.BadSignature:
        return None
    return sub
