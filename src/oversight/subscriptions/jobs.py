"""The daily digest job: each confirmed subscriber is sent at most one mail a day, listing what
was published for their subscriptions that no earlier digest told them of.

Idempotent: a digest is recorded (address, day, the notices listed) in the same transaction that
sends it; the job skips an address that already has one for the day, and a notice once listed to
an address is never listed to it again, however often the job runs. A mail that fails to send
rolls its record back, so the next run tries again.
"""

from __future__ import annotations

import logging
import smtplib

from django.db import IntegrityError, transaction
from django.utils import timezone

from oversight.audit.log import record
from oversight.core.clock import today

from . import mail
from .models import Digest, Notice, Subscription
from .notices import collect
from .targets import find_target

log = logging.getLogger(__name__)
ACTOR = "oversight digest job"


def send_digests() -> int:
    """Note what is newly published, then send each subscriber's digest for today; returns how
    many digests were sent."""
    now = timezone.now()
    day = today()
    public = collect(now)
    sent = failed = 0
    emails = sorted(set(Subscription.objects.active().values_list("email", flat=True)))
    for email in emails:
        if Digest.objects.filter(email=email, day=day).exists():
            continue
        told = set(Notice.objects.filter(digests__email=email).values_list("pk", flat=True))
        sections = []
        for sub in Subscription.objects.active().filter(email=email):
            target = find_target(sub.target_kind, sub.target_key)
            if target is None:  # withdrawn from the public since: nothing of it is sent
                continue
            notices = [
                n
                for n in Notice.objects.filter(
                    target_kind=sub.target_kind,
                    target_key=sub.target_key,
                    published_at__gt=sub.confirmed_at,
                )
                if n.key in public and n.pk not in told
            ]
            if notices:
                sections.append((sub, target, notices))
        if not sections:
            continue
        try:
            with transaction.atomic():
                digest = Digest.objects.create(email=email, day=day, sent_at=now)
                digest.notices.set([n for _, _, notices in sections for n in notices])
                mail.digest(email, sections).send()
        except IntegrityError:  # another run sent this address's digest for today meanwhile
            continue
        except (smtplib.SMTPException, OSError) as exc:
            failed += 1
            log.warning("a digest could not be sent (it will be tried again): %s", exc)
            continue
        sent += 1
    record(
        "send_digests",
        by=ACTOR,
        summary=f"{day}: {sent} digest(s) sent"
        + (f", {failed} failed (tried again on the next run)" if failed else ""),
    )
    return sent
