"""The two mails subscribers get, through Django's email framework: the confirmation of a new
subscription and the daily digest. Every mail carries a one-click unsubscribe link, in its text
and as the RFC 8058 List-Unsubscribe and List-Unsubscribe-Post headers a mail client acts on."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from .models import Notice, Subscription
from .targets import Target
from .tokens import confirm_token, unsubscribe_all_token, unsubscribe_token


def site(path: str) -> str:
    return settings.OVERSIGHT_SITE_URL.rstrip("/") + path


def _message(to: str, subject: str, text: str, unsubscribe_url: str) -> EmailMessage:
    return EmailMessage(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def unsubscribe_url(sub: Subscription) -> str:
    return site(reverse("subscriptions:unsubscribe", args=[unsubscribe_token(sub)]))


def unsubscribe_all_url(sub: Subscription) -> str:
    """The link that ends every open subscription of `sub`'s address (it carries no address)."""
    return site(reverse("subscriptions:unsubscribe-all", args=[unsubscribe_all_token(sub)]))


def confirmation(sub: Subscription, target: Target) -> EmailMessage:
    confirm = site(reverse("subscriptions:confirm", args=[confirm_token(sub)]))
    stop = unsubscribe_url(sub)
    text = (
        f"Someone, probably you, asked to be emailed when the following is published:\n\n"
        f"  {target.described}\n  {site(target.url)}\n\n"
        f"To confirm, open this link within 7 days and press the button:\n\n  {confirm}\n\n"
        "If you did not ask for this, ignore this mail: nothing will be sent unless the "
        "subscription is confirmed.\n\n"
        f"Unsubscribe: {stop}\n"
    )
    return _message(sub.email, f"Confirm your subscription: {target.name}", text, stop)


def digest(email: str, sections: list[tuple[Subscription, Target, list[Notice]]]) -> EmailMessage:
    count = sum(len(notices) for _, _, notices in sections)
    lines = ["Published since we last wrote, for your subscriptions:", ""]
    for sub, target, notices in sections:
        lines.append(target.described)
        for n in notices:
            lines += [f"  - {n.title}", f"    {site(n.url)}"]
        lines += [f"  Unsubscribe from this: {unsubscribe_url(sub)}", ""]
    stop = unsubscribe_all_url(sections[0][0])
    lines += [f"Unsubscribe from everything: {stop}", ""]
    subject = f"Newly published: {count} item{'s' if count != 1 else ''}"
    return _message(email, subject, "\n".join(lines), stop)
