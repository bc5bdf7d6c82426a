"""Register pages: public lists and details of decisions (with what was withheld and why), grant
programmes, grants, contracts, bids and disposals; contracts expiring; the publication tracker; the
golden thread from each objective. Every page has `.json` and `.csv` twins (web.twins). Staff
import register files through a form that calls the same importer as the command line."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from oversight.accounts.access import has_role, public, require
from oversight.accounts.roles import Role, audience_of
from oversight.audit.history import Conflict, version_of
from oversight.core.twins import respond
from oversight.lib.audience import Audience
from oversight.lib.numbers import format_value
from oversight.lib.problems import ImportRefused
from oversight.plans.models import Objective
from oversight.plans.visibility import plans_for

from . import exports, tracker
from .actions import PUBLISHABLE, history, import_register, publish_items, record_publication
from .forms import ImportForm, PublicationForm
from .importers import KINDS, get_kind, read_register
from .models import ItemState
from .queries import contract_alerts, expiring_contracts, golden_thread, today

# The columns each list page shows after the item's title (the twins carry every export column).
LIST_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "decisions": [
        ("reference", "Reference"),
        ("made_on", "Date"),
        ("category", "Category"),
        ("value", "Value"),
        ("published_on", "Published"),
    ],
    "programmes": [
        ("funder_name", "Funder"),
        ("fund_total", "Fund"),
        ("closes_on", "Deadline"),
        ("grants_awarded", "Grants awarded"),
        ("amount_awarded", "Amount awarded"),
    ],
    "grants": [
        ("awarded_on", "Awarded"),
        ("recipient_name", "Recipient"),
        ("programme_title", "Programme"),
        ("amount", "Amount"),
        ("summary_count", "Grants in a summary row"),
    ],
    "contracts": [
        ("provider", "Provider"),
        ("value", "Value"),
        ("starts_on", "Start"),
        ("ends_on", "End"),
        ("extensions_left", "Extensions left"),
    ],
    "bids": [
        ("funder", "Funder"),
        ("amount_requested", "Requested"),
        ("amount_awarded", "Awarded"),
        ("outcome", "Outcome"),
        ("decided_on", "Decided"),
    ],
    "disposals": [
        ("status", "Status"),
        ("value", "Value"),
        ("buyer", "Buyer"),
        ("decision", "Decision notice"),
        ("expected_by", "Expected by"),
    ],
}
TITLE_LABEL = {
    "decisions": "Decision",
    "programmes": "Programme",
    "grants": "Grant",
    "contracts": "Service",
    "bids": "Fund",
    "disposals": "Asset",
}
TITLE_FIELD = {
    "decisions": "title",
    "programmes": "title",
    "grants": "title",
    "contracts": "title",
    "bids": "fund",
    "disposals": "asset",
}
LABELS = {
    "id": "Identifier",
    "made_on": "Date of decision",
    "significant_public_interest": "Of significant public interest",
    "published_on": "Published on",
    "exempt_part": "Withheld",
    "exempt_reason": "Reason withheld",
    "exempt_review_on": "Exemption reviewed on",
    "summary_count": "Grants covered by this summary row",
    "recipient_org_id": "Recipient identifier",
    "funder_org_id": "Funder identifier",
    "alert_months": "Expiry alert (months before the end)",
}


def _money_fields(kind_name: str) -> set[str]:
    money = {c.name for c in get_kind(kind_name).columns if c.kind == "money"}
    return money | {"amount_awarded"}


def _choice_labels(kind_name: str) -> dict[str, dict[str, str]]:
    model = get_kind(kind_name).model
    return {
        c.name: dict(model._meta.get_field(c.attr).choices)
        for c in get_kind(kind_name).columns
        if c.kind == "choice"
    }


def display(kind_name: str, key: str, value: Any) -> str:
    """A record's value as a page shows it: money with £ and separators, lists joined."""
    if value is None or value == "":
        return "–"
    if key in _money_fields(kind_name) and isinstance(value, (int, float)):
        return format_value(value, "currency")
    choices = _choice_labels(kind_name).get(key)
    if choices:
        return str(choices.get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or "–"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _kind_or_404(kind_name: str):
    if kind_name not in KINDS:
        raise Http404("no such register")
    return get_kind(kind_name)


@public
def index(request):
    audience = audience_of(request.user)
    registers = [
        {
            "kind": k,
            "title": v.title,
            "count": v.model.objects.for_audience(audience).count(),
            "drafts": v.model.objects.filter(state=ItemState.DRAFT).count()
            if audience is Audience.STAFF
            else 0,
        }
        for k, v in KINDS.items()
    ]
    return render(
        request,
        "registers/index.html",
        {
            "registers": registers,
            "alerts": contract_alerts(audience=audience),
            "today": today(),
        },
    )


@public
def register_list(request, kind: str, fmt: str = "html"):
    k = _kind_or_404(kind)
    audience = audience_of(request.user)
    records = exports.records(kind, audience=audience)
    columns = LIST_COLUMNS[kind]
    # The page shows PER_PAGE items at a time and can be searched; its .json and .csv twins are
    # always the whole register (the open data).
    query = (request.GET.get("q") or "").strip()
    shown = records
    if fmt == "html" and query:
        words = query.casefold().split()
        shown = [r for r in records if all(w in _haystack(r) for w in words)]
    page = Paginator(shown, PER_PAGE).get_page(request.GET.get("page"))
    drafts = (
        set(k.model.objects.filter(state=ItemState.DRAFT).values_list("identifier", flat=True))
        if audience is Audience.STAFF
        else set()
    )
    rows = [
        {
            "title": capfirst(r[TITLE_FIELD[kind]]),
            "url": r["url"],
            "cells": [
                (display(kind, key, r.get(key)), key in _money_fields(kind)) for key, _ in columns
            ],
            "withheld": r.get("withheld"),
            "draft": r["id"] in drafts,
        }
        for r in (page.object_list if fmt == "html" else [])
    ]
    return respond(
        request,
        fmt,
        "registers/list.html",
        {
            "kind": kind,
            "title": k.title,
            "title_label": TITLE_LABEL[kind],
            "columns": columns,
            "rows": rows,
            "page": page,
            "total": len(records),
            "found": len(shown),
            "query": query,
            "drafts": len(drafts),
            "can_publish": has_role(request.user, Role.EDITOR),
        },
        records=records,
        fields=exports.fields(kind),
        filename=kind,
        meta={"register": kind, "title": k.title},
    )


PER_PAGE = 100


def _haystack(record: dict) -> str:
    """Every text and number of a record, lower-cased, for the list's search box."""
    return " ".join(
        str(v) for v in record.values() if isinstance(v, (str, int, float)) and v is not None
    ).casefold()


@public
def item_detail(request, kind: str, slug: str, fmt: str = "html"):
    k = _kind_or_404(kind)
    audience = audience_of(request.user)
    item = get_object_or_404(exports.queryset(kind, audience=audience), slug=slug)
    record = exports.record(kind, item, audience=audience)
    changes = history(kind, item.identifier)
    if audience is not Audience.STAFF:
        # Only what changed once the item was public: its drafts were never published.
        since = item.first_published_at
        changes = [r for r in changes if since is not None and r.changed_at >= since]
    skip = {"objectives", "objective_titles", "note", "slug", "url"}
    facts = [
        (LABELS.get(key, key.replace("_", " ").capitalize()), display(kind, key, value))
        for key, value in record.items()
        if key not in skip and value not in (None, "", [])
    ]
    return respond(
        request,
        fmt,
        "registers/detail.html",
        {
            "kind": kind,
            "register_title": k.title,
            "item": item,
            "title": capfirst(record[TITLE_FIELD[kind]]),
            "facts": facts,
            "objectives": list(item.objectives.select_related("plan")),
            "history": changes,
            "can_record_publication": kind in PUBLISHABLE and has_role(request.user, Role.EDITOR),
            "can_publish": has_role(request.user, Role.EDITOR),
        },
        records=[record],
        fields=exports.fields(kind),
        filename=f"{kind}-{slug}",
        meta={
            "register": kind,
            "history": [
                {
                    "changed_at": r.changed_at.isoformat(timespec="seconds"),
                    "changed_by": r.changed_by_name,
                    "note": r.note,
                    "previous": r.previous,
                }
                for r in changes
            ],
        },
    )


@public
def expiring(request, fmt: str = "html"):
    try:
        days = max(1, min(int(request.GET.get("days", 365)), 3650))
    except ValueError:
        days = 365
    day = today()
    audience = audience_of(request.user)
    alerts = {c.pk for c in contract_alerts(day, audience=audience)}
    contracts = expiring_contracts(days, day, audience=audience)
    records = [
        {
            **exports.record("contracts", c, audience=audience),
            "days_left": (c.ends_on - day).days if c.ends_on else None,  # all end in the window
            "alert": c.pk in alerts,
        }
        for c in contracts
    ]
    return respond(
        request,
        fmt,
        "registers/expiring.html",
        {"records": records, "days": days, "today": day, "until": day + timedelta(days=days)},
        records=records,
        fields=[*exports.fields("contracts"), "days_left", "alert"],
        filename="contracts-expiring",
        meta={"today": day.isoformat(), "within_days": days},
    )


@public
def tracker_page(request, fmt: str = "html"):
    reports = tracker.build(audience=audience_of(request.user))
    data = tracker.as_json(reports)
    records = [i for d in data["duties"] for i in d["items"]]
    return respond(
        request,
        fmt,
        "registers/tracker.html",
        {
            "duties": data["duties"],
            "today": today(),
            "not_recorded": tracker.Standing.NOT_RECORDED.value,
        },
        records=records,
        fields=tracker.CSV_FIELDS,
        filename="publication-tracker",
        meta={
            "today": today().isoformat(),
            "duties": [{k: v for k, v in d.items() if k != "items"} for d in data["duties"]],
        },
    )


@public
def objectives_index(request, fmt: str = "html"):
    audience = audience_of(request.user)
    plans = plans_for(audience)
    objectives = (
        Objective.objects.filter(plan__in=plans)
        .select_related("plan")
        .order_by("plan__slug", "order", "code")
    )
    records = [
        {
            "plan": o.plan.slug,
            "code": o.code,
            "title": o.title,
            "url": f"/registers/objectives/{o.pk}/",
            "decisions": o.decisions.for_audience(audience).count(),
            "grants": o.grants.for_audience(audience).count(),
            "contracts": o.contracts.for_audience(audience).count(),
        }
        for o in objectives
    ]
    return respond(
        request,
        fmt,
        "registers/objectives.html",
        {"records": records, "plans": plans},
        records=records,
        fields=["plan", "code", "title", "url", "decisions", "grants", "contracts"],
        filename="objectives",
    )


THREAD_FIELDS = ["type", "id", "title", "url", "detail"]


@public
def thread(request, objective_id: int, fmt: str = "html"):
    audience = audience_of(request.user)
    objective = get_object_or_404(
        Objective.objects.select_related("plan").filter(plan__in=plans_for(audience)),
        pk=objective_id,
    )
    doc = golden_thread(objective, audience=audience)
    records: list[dict[str, Any]] = [
        {"type": "measure", "id": m["code"], "title": m["name"], "url": None, "detail": ""}
        for m in doc["measures"]
    ]
    for key in ("decisions", "grant_programmes", "grants", "contracts", "bids", "disposals"):
        for x in doc[key]:
            extra = {k: v for k, v in x.items() if k not in {"id", "slug", "title", "url"}}
            records.append(
                {
                    "type": key.rstrip("s").replace("_", " "),
                    "id": x["id"],
                    "title": x["title"],
                    "url": x["url"],
                    "detail": "; ".join(f"{k}: {v}" for k, v in extra.items() if v is not None),
                }
            )
    for name, items in doc["scrutiny"].items():
        for x in items:
            records.append(
                {
                    "type": name,
                    "id": x["id"],
                    "title": x["title"],
                    "url": x["url"],
                    "detail": f"status: {x['status']}" if x.get("status") else "",
                }
            )
    return respond(
        request,
        fmt,
        "registers/thread.html",
        {"objective": objective, "doc": doc},
        records=records,
        fields=THREAD_FIELDS,
        filename=f"objective-{objective.plan.slug}-{objective.code}",
        meta={"thread": doc},
    )


@require(Role.EDITOR)
def import_file(request: HttpRequest) -> HttpResponse:
    """Staff upload a register file; every problem is listed and nothing is written on any."""
    problems: list[str] = []
    total = 0
    outcome = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            upload = form.cleaned_data["file"]
            path = form.save_upload(upload)
            try:
                rows = read_register(kind, path, form.cleaned_data.get("plan"))
                outcome = import_register(kind, rows, by=request.user, file_name=upload.name)
            except ImportRefused as exc:
                problems, total = exc.lines(), exc.total
            finally:
                path.unlink(missing_ok=True)
                path.parent.rmdir()
    else:
        form = ImportForm()
    return render(
        request,
        "registers/import.html",
        {
            "form": form,
            "problems": problems,
            "problem_total": total,
            "outcome": outcome,
            "kinds": KINDS,
        },
    )


@require(Role.EDITOR)
@require_POST
def publish(request, kind: str):
    """Publish one draft item (`id` in the form) or every draft of the register."""
    _kind_or_404(kind)
    identifier = request.POST.get("id")
    try:
        count = publish_items(kind, [identifier] if identifier else None, by=request.user)
    except ImportRefused as exc:
        raise Http404(str(exc.problems[0])) from None
    messages.success(request, f"{count} item{'s' if count != 1 else ''} published.")
    if identifier:
        return redirect(get_object_or_404(get_kind(kind).model, identifier=identifier))
    return redirect("registers:list", kind)


@require(Role.EDITOR)
def publication(request, kind: str, slug: str):
    """Staff record the day an item was published; the old value is kept in its history."""
    _kind_or_404(kind)
    if kind not in PUBLISHABLE:
        raise Http404("this register has no publication date")
    item = get_object_or_404(get_kind(kind).model, slug=slug)
    form = PublicationForm(
        request.POST or None,
        initial={"published_on": item.published_on},
        version=version_of(item),
    )
    if request.method == "POST" and form.is_valid():
        try:
            record_publication(
                kind,
                item.identifier,
                form.cleaned_data["published_on"],
                by=request.user,
                expected_version=form.expected_version(),
            )
        except Conflict as exc:
            form.conflict(exc)
        else:
            return redirect(item.get_absolute_url())
    return render(
        request,
        "registers/publication.html",
        {"form": form, "item": item, "title": getattr(item, "title", str(item)), "kind": kind},
    )
