"""The statutory calendar's pages, for staff and the Panel only (see calendar.py for why): the
calendar of a financial year, its iCalendar feed (signed in, or by a private link for a calendar
application, which cannot sign in), and the staff forms for the records the calendar reads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from oversight.accounts.access import public, require
from oversight.accounts.roles import Role, audience_of, role_of
from oversight.audit.history import Conflict, version_of
from oversight.core.clock import today
from oversight.lib import statutory as law
from oversight.lib.audience import Audience
from oversight.lib.periods import PeriodKind, financial_year, period_containing
from oversight.lib.problems import Refused

from .actions import save_statutory_record
from .calendar import financial_year_entries
from .forms import STATUTORY_FORMS
from .ical import statutory_calendar
from .models import StatutoryContact

READERS = (Role.PANEL, Role.EDITOR)  # administrators always
FEED_SALT = "oversight.scrutiny.calendar-feed"
YEARS_BACK, YEARS_AHEAD = 3, 1


def _year(request: HttpRequest) -> int:
    """The financial year asked for (?year=2026 for 2026/27), else the one today falls in."""
    current = period_containing(today(), PeriodKind.YEAR).year
    raw = request.GET.get("year", "")
    if not raw:
        return current
    if not raw.isdigit() or not 2013 <= int(raw) <= current + 5:
        raise Http404("no calendar for that year")
    return int(raw)


# ---------------------------------------------------------------- private feed links


def _password_mark(user) -> str:
    # Changing the password (or having it reset) ends every feed link issued before.
    return salted_hmac(FEED_SALT, user.password).hexdigest()[:16]


def feed_token(user) -> str:
    return signing.dumps({"u": user.pk, "p": _password_mark(user)}, salt=FEED_SALT, compress=True)


def user_for_feed_token(token: str):
    """The user a private feed link was issued to, if it is still good (their password unchanged,
    still active, still staff or Panel); None otherwise."""
    try:
        data = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = get_user_model().objects.filter(pk=data["u"], is_active=True).first()
    if user is None or not constant_time_compare(str(data.get("p", "")), _password_mark(user)):
        return None
    return user if role_of(user) in (Role.ADMIN, *READERS) else None


# ---------------------------------------------------------------- pages


@require(*READERS)
def calendar_page(request: HttpRequest) -> HttpResponse:
    audience = audience_of(request.user)
    year = _year(request)
    day = today()
    entries = financial_year_entries(year, day, audience=audience)
    current = period_containing(day, PeriodKind.YEAR).year
    staff = audience is Audience.STAFF
    feed = request.build_absolute_uri(
        reverse("scrutiny:statutory-feed-private", args=[feed_token(request.user)])
    )
    return render(
        request,
        "scrutiny/calendar.html",
        {
            "entries": entries,
            "year": financial_year(year),
            "years": [
                financial_year(y) for y in range(current - YEARS_BACK, current + YEARS_AHEAD + 1)
            ],
            "today": day,
            "staff": staff,
            "feed": feed,
            "contacts": StatutoryContact.objects.select_related("user") if staff else [],
            "forms": STATUTORY_FORMS,
            "guidance": law.Checked.GUIDANCE,
            "unchecked": law.Checked.UNCHECKED,
        },
    )


def _feed(request: HttpRequest, user) -> HttpResponse:
    year = _year(request)
    day = today()
    audience = audience_of(user)
    # The year asked for and the next, so a subscribed calendar sees what is coming.
    entries = [
        *financial_year_entries(year, day, audience=audience),
        *financial_year_entries(year + 1, day, audience=audience),
    ]
    response = HttpResponse(
        statutory_calendar(entries, base_url=request.build_absolute_uri("/")),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="statutory-calendar.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@require(*READERS)
def calendar_feed(request: HttpRequest) -> HttpResponse:
    return _feed(request, request.user)


@public  # the link itself is the key: anyone without a good one gets 404, never the calendar
def calendar_feed_private(request: HttpRequest, token: str) -> HttpResponse:
    user = user_for_feed_token(token)
    if user is None:
        raise Http404("no such calendar")
    return _feed(request, user)


@require(Role.EDITOR)
def statutory_record(request: HttpRequest, kind: str, record_id: int | None = None) -> HttpResponse:
    """Record or correct what happened: a precept cycle, a proposed appointment, an annual report,
    whom reminders go to."""
    if kind not in STATUTORY_FORMS:
        raise Http404("no such record")
    form_class, words = STATUTORY_FORMS[kind]
    model = form_class._meta.model
    obj = get_object_or_404(model, pk=record_id) if record_id is not None else None
    initial = {}
    if obj is None and request.GET.get("year", "").isdigit():
        initial["year"] = int(request.GET["year"])
    form = form_class(request.POST or None, instance=obj, initial=initial, version=version_of(obj))
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_statutory_record(
                form.instance, by=request.user, expected_version=form.expected_version()
            )
        except Conflict as exc:
            form.conflict(exc)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{saved} saved.")
            return redirect("scrutiny:statutory-calendar")
    return render(
        request,
        "scrutiny/form.html",
        {
            "form": form,
            "caption": "Statutory calendar",
            "heading": f"{'Update' if obj else 'Record'} {words}",
            "intro": "Dates the law sets are worked out from these records; every change keeps "
            "the previous version.",
            "button": "Save",
        },
    )
