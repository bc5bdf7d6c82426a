"""Two login lock-outs (django-axes): one user name tried from one address is locked after
AXES_FAILURE_LIMIT failures (the lock-out axes counts by AXES_LOCKOUT_PARAMETERS), and one
address is locked after LOGIN_FAILURE_LIMIT_PER_ADDRESS failures whatever user names it tries,
so an address cannot guess the passwords of many accounts a few at a time.

Axes compares one count with one limit, so the address's own limit is added here rather than as
a second AXES_LOCKOUT_PARAMETERS entry: that would lock an address at the lower per-user limit,
and a successful login would then wipe every failure from its address (AXES_RESET_ON_SUCCESS).
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class AddressAndUserHandler(AxesDatabaseHandler):
    def get_failures(self, request: Any, credentials: dict | None = None) -> int:
        """The failures axes weighs against AXES_FAILURE_LIMIT: the user name's from this
        address, or, once the address itself is over its limit, at least that limit."""
        per_user = super().get_failures(request, credentials)
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        per_address = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
        if per_address >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS:
            return max(per_user, per_address, get_failure_limit(request, credentials))
        return per_user
