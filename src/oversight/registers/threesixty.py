"""Grants as 360Giving open data: the JSON data package and its flattened CSV.

The mapping (register column → 360Giving field) is documented in the README (Registers). Summary rows (a published total for grants whose recipients the source
does not list) are not grants to a recipient, so they are never exported here.

`validate` checks a package against the 360Giving schema with JSON Schema format checking on:
the standard's date fields are `oneOf` a date-time *format* and a date *pattern*, and only a
validator that checks formats can tell them apart.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.text import slugify

from oversight.lib.tables import number, to_csv

from .models import Grant

SCHEMA_DIR = Path(__file__).parent / "schemas" / "360giving"
VERSION = "1.4"
LICENSE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
DEFAULT_PREFIX = "360G-oversight"  # an office replaces it with the prefix 360Giving issues to it


def prefix() -> str:
    return getattr(settings, "OVERSIGHT_360GIVING_PREFIX", "") or DEFAULT_PREFIX


def grant_id(grant: Grant) -> str:
    """The 360Giving identifier: the register id when it already carries a 360G- prefix."""
    if grant.identifier.upper().startswith("360G-"):
        return grant.identifier
    return f"{prefix()}-{grant.identifier}"


def recipient_id(grant: Grant) -> str:
    """An org-id for the recipient: as recorded, else from the charity or company number, else
    the publisher's own (prefixed) identifier, as 360Giving's guidance allows."""
    if grant.recipient_org_id:
        return grant.recipient_org_id
    if grant.charity_number:
        return f"GB-CHC-{grant.charity_number}"
    if grant.company_number:
        return f"GB-COH-{grant.company_number}"
    return f"{prefix()}-ORG-{slugify(grant.recipient_name)}"


def grant_record(grant: Grant) -> dict[str, Any]:
    """One grant in the 360Giving Data Standard's JSON shape."""
    recipient: dict[str, Any] = {"id": recipient_id(grant), "name": grant.recipient_name}
    if grant.charity_number:
        recipient["charityNumber"] = grant.charity_number
    if grant.company_number:
        recipient["companyNumber"] = grant.company_number
    p = grant.programme
    funder = {
        "id": p.funder_org_id
        if p
        else (getattr(settings, "OVERSIGHT_FUNDER_ORG_ID", "") or prefix()),
        "name": p.funder_name
        if p
        else getattr(settings, "OVERSIGHT_FUNDER_NAME", "Police and Crime Commissioner"),
    }
    rec: dict[str, Any] = {
        "id": grant_id(grant),
        "title": grant.title,
        "description": grant.purpose,
        "currency": grant.currency,
        "amountAwarded": number(grant.amount),
        "awardDate": grant.awarded_on.isoformat(),
        "recipientOrganization": [recipient],
        "fundingOrganization": [funder],
    }
    if grant.starts_on or grant.ends_on:
        dates: dict[str, str] = {}
        if grant.starts_on:
            dates["startDate"] = grant.starts_on.isoformat()
        if grant.ends_on:
            dates["endDate"] = grant.ends_on.isoformat()
        rec["plannedDates"] = [dates]
    if p:
        programme: dict[str, Any] = {"code": p.identifier, "title": p.title}
        if p.url:
            programme["url"] = p.url
        rec["grantProgramme"] = [programme]
    objectives = list(grant.objectives.all())
    if objectives:
        rec["classifications"] = [
            {"vocabulary": f"{o.plan.title}: objectives", "code": o.code, "title": o.title}
            for o in objectives
        ]
    if grant.conditions:
        rec["conditions"] = (
            grant.conditions
        )  # Specified Information Order 3(f); an additional field
    rec["dateModified"] = grant.updated_at.isoformat(timespec="seconds")
    return rec


def package(grants: Iterable[Grant], *, issued: date, publisher: str = "") -> dict[str, Any]:
    """A 360Giving data package of the given grants (summary rows are left out)."""
    items = [g for g in grants if not g.summary]
    publisher = publisher or (
        items[0].programme.funder_name
        if items and items[0].programme
        else "Police and Crime Commissioner"
    )
    return {
        "version": VERSION,
        "title": f"Grants awarded by {publisher}",
        "description": "Grants awarded, published under the Specified Information Order (crime and "
        "disorder reduction grants) in the 360Giving Data Standard.",
        "issued": issued.isoformat(),
        "publisher": {"name": publisher},
        "license": LICENSE,
        "grants": [grant_record(g) for g in items],
    }


FLAT_FIELDS = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:Charity Number",
    "Recipient Org:Company Number",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Classifications:Code",
    "Classifications:Title",
    "Conditions",
    "Last Modified",
]


def flat_rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The package's grants flattened with 360Giving's column titles (one row per grant; several
    objectives are joined with "; ")."""
    rows = []
    for g in doc["grants"]:
        r, f = g["recipientOrganization"][0], g["fundingOrganization"][0]
        dates = (g.get("plannedDates") or [{}])[0]
        programme = (g.get("grantProgramme") or [{}])[0]
        classes = g.get("classifications") or []
        rows.append(
            {
                "Identifier": g["id"],
                "Title": g["title"],
                "Description": g["description"],
                "Currency": g["currency"],
                "Amount Awarded": g["amountAwarded"],
                "Award Date": g["awardDate"],
                "Planned Dates:Start Date": dates.get("startDate", ""),
                "Planned Dates:End Date": dates.get("endDate", ""),
                "Recipient Org:Identifier": r["id"],
                "Recipient Org:Name": r["name"],
                "Recipient Org:Charity Number": r.get("charityNumber", ""),
                "Recipient Org:Company Number": r.get("companyNumber", ""),
                "Funding Org:Identifier": f["id"],
                "Funding Org:Name": f["name"],
                "Grant Programme:Code": programme.get("code", ""),
                "Grant Programme:Title": programme.get("title", ""),
                "Classifications:Code": "; ".join(c["code"] for c in classes),
                "Classifications:Title": "; ".join(c["title"] for c in classes),
                "Conditions": g.get("conditions", ""),
                "Last Modified": g["dateModified"],
            }
        )
    return rows


def flat_csv(doc: dict[str, Any]) -> str:
    return to_csv(flat_rows(doc), FLAT_FIELDS)


def _schemas(folder: Path) -> tuple[dict, dict]:
    package_schema = json.loads((folder / "360-giving-package-schema.json").read_text())
    grant_schema = json.loads((folder / "360-giving-schema.json").read_text())
    return package_schema, grant_schema


def validator(schema_dir: Path | None = None):
    """A JSON Schema validator for a whole 360Giving package, format checking on. The package
    schema refers to the grant schema by URL; the registry answers that from the local copy."""
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    package_schema, grant_schema = _schemas(schema_dir or SCHEMA_DIR)
    # The files name their dialect as "http://json-schema.org/draft/2020-12/schema" (http, not
    # https), which `referencing` does not recognise, so the dialect is given explicitly.
    grant = DRAFT202012.create_resource(grant_schema)
    refs = {grant_schema["$id"]} | set(_refs(package_schema))
    registry = Registry().with_resources([(uri, grant) for uri in refs if uri.startswith("http")])
    return Draft202012Validator(package_schema, registry=registry, format_checker=FormatChecker())


def _refs(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                yield v.split("#")[0]
            else:
                yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)


def validate(doc: dict[str, Any], schema_dir: Path | None = None) -> list[str]:
    """Every way the package breaks the standard, as "path: message" lines (empty when valid).

    The same checks as validating the whole package at once, in linear time: the package with
    its first grant, then each grant against the grant schema, then the package schema's
    `uniqueItems` on the grants by comparing each grant's canonical JSON (a whole-package
    validation compares every pair, which takes minutes for ten thousand grants)."""
    from jsonschema import Draft202012Validator, FormatChecker

    grants = doc.get("grants") if isinstance(doc, dict) else None
    if not isinstance(grants, list) or not grants:
        return _errors(validator(schema_dir), doc)
    envelope = {**doc, "grants": grants[:1]}
    errors = _errors(validator(schema_dir), envelope)
    _, grant_schema = _schemas(schema_dir or SCHEMA_DIR)
    each = Draft202012Validator(grant_schema, format_checker=FormatChecker())
    seen: dict[str, int] = {}
    for i, g in enumerate(grants):
        if i:
            errors += _errors(each, g, prefix=f"grants/{i}")
        key = json.dumps(g, sort_keys=True)
        if key in seen:
            errors.append(f"grants: item {i} is the same as item {seen[key]} (uniqueItems)")
        seen.setdefault(key, i)
    return errors


def _errors(v: Any, instance: Any, prefix: str = "") -> list[str]:
    out = []
    for e in sorted(v.iter_errors(instance), key=lambda e: list(e.absolute_path)):
        path = "/".join(
            [prefix, *(str(p) for p in e.absolute_path)]
            if prefix
            else [str(p) for p in e.absolute_path]
        )
        out.append(f"{path}: {e.message}")
    return out
