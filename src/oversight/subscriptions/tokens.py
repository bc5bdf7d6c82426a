"""The signed links in subscription mails (django.core.signing): a confirmation link that expires,
and unsubscribe links (one subscription, or everything a digest's address has) that do not. Each
is a subscription's number signed with the site's secret and a salt that names its purpose and the
subscription's own salt, so none can be forged, reused for another purpose, or used for another
subscription; none carries the address."""

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


def unsubscribe_all_token(sub: Subscription) -> str:
    """A digest's link, which ends every open subscription of the digest's address (one click,
    RFC 8058). It names one of that address's subscriptions by number, signed with that
    subscription's salt: the address itself is not in the link, and no link can be made up."""
    return signing.Signer(salt=_salt("unsubscribe-all", sub)).sign(str(sub.pk))


# Digests from earlier releases carried the address itself, signed (readable, as base64). Those
# links keep working: they reveal nothing their mail did not, and none are made any more.
LEGACY_ALL_SALT = "oversight.subscriptions.unsubscribe-all"


def email_from_unsubscribe_all_token(token: str) -> str | None:
    """The address whose subscriptions a digest's link ends, or None (forged or altered)."""
    if _number(token) is not None:
        sub = _signed(token, "unsubscribe-all")
        return sub.email if sub else None
    try:
        data = signing.loads(token, salt=LEGACY_ALL_SALT)
    except signing.BadSignature:
        return None
    return data.get("e") if isinstance(data, dict) else None


def _number(token: str) -> int | None:
    """The subscription number a token starts with (ASCII digits only: "²" is a digit to
    str.isdigit but not to int)."""
    pk = token.split(":", 1)[0]
    return int(pk) if pk.isascii() and pk.isdigit() else None


def _subscription(token: str) -> Subscription | None:
    pk = _number(token)
    return None if pk is None else Subscription.objects.filter(pk=pk).first()


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


def _signed(token: str, purpose: str) -> Subscription | None:
    """The subscription a link that does not expire names, or None (forged or altered)."""
    sub = _subscription(token)
    if sub is None:
        return None
    try:
        signing.Signer(salt=_salt(purpose, sub)).unsign(token)
    except signing.BadSignature:
        return None
    return sub


def from_unsubscribe_token(token: str) -> Subscription | None:
    return _signed(token, "unsubscribe")
