"""Reading and checking register files (CSV or XLSX), one kind of register per file.

Each kind has documented columns (`KINDS[kind].columns`, printed by `oversight registers import
--help` and in the README). `read_register` checks every row and raises ImportRefused listing
every problem (file, row, column, reason) before anything is written; `actions.import_register`
writes. The `id` column is each item's stable identifier: re-importing a file is idempotent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.text import slugify

from oversight.core.columns import column_problem
from oversight.lib.links import web_address_problem
from oversight.lib.problems import Problems
from oversight.lib.tables import parse_number, read_table, unguard_cell
from oversight.plans.models import Objective, Plan

from . import models as m

# Columns an export adds after the import columns; the importer skips them, so an export
# re-imports unchanged.
EXTRA = {
    "decisions": ["withheld"],
    "grants": ["programme_title", "recipient_org_id_360giving"],
    "contracts": ["extensions_left", "alert_on"],
    "bids": [],
    "programmes": ["grants_awarded", "amount_awarded"],
    "disposals": ["decision_title"],
}
LINKS = ["slug", "url", "objective_titles"]
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, date, money, count, bool, choice, objectives, list, programme, decision
    required: bool = False
    help: str = ""
    field: str = ""  # the model field; the column name when blank
    choices: tuple[str, ...] = ()
    giving: str = ""  # the 360Giving field this column feeds, named in messages
    link: bool = False  # holds web addresses (http or https only)

    @property
    def attr(self) -> str:
        return self.field or self.name


@dataclass(frozen=True)
class Kind:
    name: str
    # A concrete register (Decision, Grant, …), not the abstract RegisterItem: the code reads what
    # each declares for itself (its objectives, relations and history), which the base cannot.
    model: Any
    columns: tuple[Column, ...]
    title: str

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


ID = Column(
    "id",
    "text",
    True,
    "stable identifier: letters, digits, '-', '_' or '.'; never reused",
    field="identifier",
)
OBJECTIVES = Column(
    "objectives", "objectives", help="codes of the plan objectives it serves, separated by ';'"
)
PUBLISHED = Column("published_on", "date", help="when it was published on the website")
NOTE = Column("note", "text", help="source and caveats, shown with the item")


def _choices(tc: type) -> tuple[str, ...]:
    return tuple(tc.values)  # type: ignore[attr-defined]


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind(
            "decisions",
            m.Decision,
            (
                ID,
                Column("reference", "text", help='the office\'s reference, e.g. "PCC/D/2023/30"'),
                Column("title", "text", True, "the subject of the decision"),
                Column("made_on", "date", True, "the date of the decision (YYYY-MM-DD)"),
                Column("decision_maker", "text", help="e.g. Police and Crime Commissioner"),
                Column(
                    "category", "choice", help="one of the categories", choices=_choices(m.Category)
                ),
                Column("value", "money", help="the sum decided, in pounds, where there is one"),
                Column("summary", "text", help="what was decided"),
                Column(
                    "significant_public_interest",
                    "bool",
                    help="true (the default when blank) when the Specified Information Order "
                    "requires its publication; false otherwise",
                ),
                PUBLISHED,
                Column(
                    "documents",
                    "list",
                    help="links to the notice and papers (http or https), separated by ';'",
                    link=True,
                ),
                Column("exempt_part", "text", help="what was withheld from publication"),
                Column("exempt_reason", "text", help="why it was withheld"),
                Column("exempt_review_on", "date", help="when the exemption is reviewed"),
                OBJECTIVES,
                NOTE,
            ),
            "Decision notices",
        ),
        Kind(
            "programmes",
            m.GrantProgramme,
            (
                ID,
                Column(
                    "title", "text", True, "the scheme or round", giving="grantProgramme/0/title"
                ),
                Column("description", "text"),
                Column(
                    "funder_name",
                    "text",
                    True,
                    "who awards the grants",
                    giving="fundingOrganization/0/name",
                ),
                Column(
                    "funder_org_id",
                    "text",
                    True,
                    "the funder's org-id",
                    giving="fundingOrganization/0/id",
                ),
                Column("fund_total", "money", help="the size of the fund, in pounds"),
                Column("opens_on", "date"),
                Column("closes_on", "date", help="the application deadline"),
                Column(
                    "url", "text", help="a web page about the programme (http or https)", link=True
                ),
                OBJECTIVES,
                NOTE,
            ),
            "Grant programmes",
        ),
        Kind(
            "grants",
            m.Grant,
            (
                ID,
                Column(
                    "programme", "programme", help="the programme's id (import programmes first)"
                ),
                Column("title", "text", True, "a short title", giving="title"),
                Column("purpose", "text", True, "what the grant is for", giving="description"),
                Column(
                    "recipient_name",
                    "text",
                    help="the recipient organisation (required unless a summary row)",
                    giving="recipientOrganization/0/name",
                ),
                Column(
                    "recipient_org_id",
                    "text",
                    help="org-id, e.g. GB-CHC-1234567; made from the charity or company number when blank",
                    giving="recipientOrganization/0/id",
                ),
                Column("charity_number", "text"),
                Column("company_number", "text"),
                Column(
                    "amount", "money", True, "the sum awarded, in pounds", giving="amountAwarded"
                ),
                Column("currency", "text", help="ISO 4217 code; GBP when blank", giving="currency"),
                Column("awarded_on", "date", True, "the date of the award", giving="awardDate"),
                Column("starts_on", "date"),
                Column("ends_on", "date"),
                Column(
                    "conditions",
                    "text",
                    help="the conditions attached (Specified Information Order 3(f))",
                ),
                Column(
                    "summary_count",
                    "count",
                    field="grants_count",
                    help="for a summary row only: how many grants the published total covers",
                ),
                PUBLISHED,
                OBJECTIVES,
                NOTE,
            ),
            "Grants awarded",
        ),
        Kind(
            "contracts",
            m.Contract,
            (
                ID,
                Column("reference", "text"),
                Column("title", "text", True, "the service commissioned"),
                Column("provider", "text"),
                Column("commissioner", "text", help="the office that let the contract"),
                Column("value", "money", help="the whole-life value, in pounds"),
                Column("starts_on", "date"),
                Column("ends_on", "date", help="the current end date (after extensions used)"),
                Column(
                    "extension_options", "count", help="how many extensions the contract allows"
                ),
                Column("extensions_used", "count"),
                Column("extension_months", "count", help="the length of each extension"),
                Column(
                    "alert_months", "count", help="warn this many months before the end (default 6)"
                ),
                PUBLISHED,
                OBJECTIVES,
                NOTE,
            ),
            "Commissioned services and contracts",
        ),
        Kind(
            "bids",
            m.Bid,
            (
                ID,
                Column("funder", "text", True, "e.g. Home Office"),
                Column("fund", "text", True, "e.g. Safer Streets Fund round 5"),
                Column("bidder", "text", help="the office that bid"),
                Column("purpose", "text"),
                Column("amount_requested", "money"),
                Column("amount_awarded", "money"),
                Column("submitted_on", "date"),
                Column("decided_on", "date"),
                Column(
                    "outcome",
                    "choice",
                    True,
                    "pending, won, declined or withdrawn",
                    choices=_choices(m.BidOutcome),
                ),
                OBJECTIVES,
                NOTE,
            ),
            "Bids to other funders",
        ),
        Kind(
            "disposals",
            m.Disposal,
            (
                ID,
                Column("asset", "text", True, "the land or building"),
                Column("address", "text"),
                Column("status", "choice", True, choices=_choices(m.DisposalStatus)),
                Column("value", "money", help="the sale price, in pounds"),
                Column("buyer", "text"),
                Column("decision", "decision", help="the decision notice's reference or id"),
                Column("expected_by", "date"),
                Column("completed_on", "date"),
                OBJECTIVES,
                NOTE,
            ),
            "Estate disposals",
        ),
    ]
}


def get_kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f'unknown register "{name}": one of {", ".join(KINDS)}') from None


@dataclass
class ItemRow:
    row: int
    identifier: str
    values: dict[str, Any]
    objectives: list[Objective] | None = None  # None: the file has no objectives column


def read_register(kind_name: str, path: Path | str, plan: Plan | None = None) -> list[ItemRow]:
    """Every row of a register file, checked; raises ImportRefused listing every problem.

    `plan` is the plan whose objective codes the `objectives` column names; when omitted and
    the database holds one plan, that plan is used."""
    kind = get_kind(kind_name)
    name = Path(path).name
    problems = Problems(name)
    header, rows = read_table(path, problems, max_bytes=settings.OVERSIGHT_MAX_IMPORT_BYTES)
    known = kind.column_names
    for h in header:
        if h and h not in known and h not in EXTRA[kind.name] + LINKS:
            problems.add(1, h, f'unknown column "{h}": the columns are {", ".join(known)}')
    for c in kind.columns:
        if c.required and c.name not in header:
            problems.add(1, c.name, f"the required column {_named(c)} is missing")
    problems.raise_if_any()

    objective_codes: dict[str, Objective] | None = None  # looked up at the first row naming one
    existing = {slug: ident for ident, slug in kind.model.objects.values_list("identifier", "slug")}
    lookups = _lookups(kind, header)
    limits = _limits(kind)
    seen: dict[str, tuple[str, int]] = {}  # each id's web address: (id, row)
    refs: dict[str, tuple[str, int]] = {}  # each decision reference: (id, row)
    out: list[ItemRow] = []
    number = 0
    for number, raw in rows:
        values: dict[str, Any] = {}
        for c in kind.columns:
            if c.name not in header or c.kind == "objectives":
                continue
            text = raw.get(c.name, "")
            if not text:
                if c.required:
                    problems.add(number, c.name, f"{_named(c)} is missing")
                values[c.attr] = _empty(c)
                continue
            try:
                values[c.attr] = _parse(c, text, lookups, kind.model)
            except ValueError as exc:
                problems.add(number, c.name, str(exc))
                continue
            limit = limits.get(c.attr)
            if limit and isinstance(values[c.attr], str) and len(values[c.attr]) > limit:
                problems.add(
                    number, c.name, f"is {len(values[c.attr])} characters; the limit is {limit}"
                )
        ident = raw.get("id", "")
        if ident:
            if not ID_PATTERN.fullmatch(ident) or len(ident) > 120:
                problems.add(
                    number, "id", f'"{ident}" must be letters, digits, "-", "_" or "." (up to 120)'
                )
            else:
                slug = slugify(ident)
                other, row = seen.get(slug, (existing.get(slug), 0))
                if other == ident and row:
                    problems.add(number, "id", f'"{ident}" is also on row {row}')
                elif other and other != ident:
                    problems.add(number, "id", f'"{ident}" has the same web address as "{other}"')
                else:
                    seen[slug] = (ident, number)
        objectives: list[Objective] | None = [] if "objectives" in header else None
        for code in _split(raw.get("objectives", "")):
            if objective_codes is None:
                objective_codes = _objectives(plan, problems)
            if code in objective_codes and objectives is not None:
                objectives.append(objective_codes[code])
            elif objective_codes:
                known_codes = ", ".join(objective_codes)
                problems.add(
                    number, "objectives", f'no objective "{code}" (objectives: {known_codes})'
                )
        _check_row(kind, values, raw, number, problems)
        ref = values.get("reference") if kind.name == "decisions" else None
        if ref and ref in refs:
            problems.add(number, "reference", f'"{ref}" is also on row {refs[ref][1]}')
        elif ref:
            refs[ref] = (ident, number)
        if not problems:  # a refused file's rows are checked, not kept
            out.append(ItemRow(number, ident, values, objectives))
    if not number:
        problems.add(None, None, "the file has a header but no rows")
    if refs:
        taken = m.Decision.objects.exclude(reference="").values_list("reference", "identifier")
        for ref, owner in taken.iterator():
            if ref in refs and refs[ref][0] != owner:
                problems.add(refs[ref][1], "reference", f'"{ref}" belongs to decision "{owner}"')
    problems.raise_if_any()
    return out


def _limits(kind: Kind) -> dict[str, int]:
    """The most characters each text field's database column holds."""
    return {
        f.name: f.max_length
        for f in kind.model._meta.get_fields()
        if getattr(f, "max_length", None) and f.get_internal_type() in ("CharField", "SlugField")
    }


def _named(c: Column) -> str:
    return f'"{c.name}" (360Giving {c.giving})' if c.giving else f'"{c.name}"'


def _empty(c: Column) -> Any:
    if c.kind == "bool":
        return c.name == "significant_public_interest"  # a decision notice is, unless marked
    if c.kind == "list":
        return []
    if c.kind == "count":
        return None
    if c.kind in {"text", "choice"}:
        return ""
    return None


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.split(LIST_SEPARATOR) if p.strip()]


def _parse(c: Column, text: str, lookups: dict[str, dict[str, Any]], model: type) -> Any:
    value = _parse_kind(c, text, lookups, model)
    if c.link:
        for address in value if isinstance(value, list) else [value]:
            if why := web_address_problem(address):
                raise ValueError(why)
    return value


def _parse_kind(c: Column, text: str, lookups: dict[str, dict[str, Any]], model: type) -> Any:
    if c.kind == "text":
        return unguard_cell(text)  # an export's formula guard comes off
    if c.kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f'"{text}" is not a date (use YYYY-MM-DD)') from None
    if c.kind == "money":
        value = parse_number(text.lstrip("£").strip())
        if value < 0:
            raise ValueError(f'"{text}" is negative')
        if why := column_problem(model, c.attr, value):
            raise ValueError(why)
        return value
    if c.kind == "count":
        if not (text.isascii() and text.isdigit()):
            raise ValueError(f'"{text}" is not a whole number')
        if why := column_problem(model, c.attr, int(text)):
            raise ValueError(why)
        return int(text)
    if c.kind == "bool":
        low = text.lower()
        if low in {"true", "yes", "y", "1"}:
            return True
        if low in {"false", "no", "n", "0"}:
            return False
        raise ValueError(f'"{text}" is not true or false')
    if c.kind == "choice":
        low = text.lower()
        if low not in c.choices:
            raise ValueError(f'"{text}" is not one of: {", ".join(c.choices)}')
        return low
    if c.kind == "list":
        return _split(text)
    if c.kind in {"programme", "decision"}:
        found = lookups[c.kind].get(text)
        if found is None:
            what = "grant programme" if c.kind == "programme" else "decision"
            raise ValueError(f'no {what} "{text}" (import it first)')
        return found
    if c.kind == "objectives":
        return None  # resolved against the plan separately
    raise AssertionError(c.kind)


def _lookups(kind: Kind, header: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    if "programme" in header:
        out["programme"] = {p.identifier: p for p in m.GrantProgramme.objects.all()}
    if "decision" in header:
        decisions = list(m.Decision.objects.all())
        out["decision"] = {d.identifier: d for d in decisions} | {
            d.reference: d for d in decisions if d.reference
        }
    return out


def _objectives(plan: Plan | None, problems: Problems) -> dict[str, Objective]:
    if plan is None:
        plans = list(Plan.objects.all()[:2])
        if len(plans) != 1:
            problems.add(
                None,
                "objectives",
                "name the plan whose objectives these are (--plan SLUG)"
                if plans
                else "no plan has been imported, so no objective can be linked",
            )
            return {}
        plan = plans[0]
    return {o.code: o for o in plan.objectives.all()}


def _check_row(
    kind: Kind, values: dict[str, Any], raw: dict[str, str], number: int, problems: Problems
) -> None:
    """Rules across columns."""
    for start, end in (
        ("starts_on", "ends_on"),
        ("opens_on", "closes_on"),
        ("submitted_on", "decided_on"),
    ):
        a, b = values.get(start), values.get(end)
        if a and b and b < a:
            problems.add(number, end, f"{b} is before {start} {a}")
    published = values.get("published_on")
    for made in ("made_on", "awarded_on"):
        if published and values.get(made) and published < values[made]:
            problems.add(number, "published_on", f"{published} is before {made} {values[made]}")
    if kind.name == "decisions" and values.get("exempt_part") and not values.get("exempt_reason"):
        problems.add(
            number, "exempt_reason", "say why the withheld part was withheld (the public sees it)"
        )
    if kind.name == "grants":
        count = values.get("grants_count")
        if count is not None and count < 2:
            problems.add(number, "summary_count", "a summary row covers two or more grants")
        values["summary"] = count is not None
        values["grants_count"] = count or 1
        if not values["summary"]:
            col = kind.column("recipient_name")
            if not raw.get("recipient_name"):
                problems.add(number, "recipient_name", f"{_named(col)} is missing")
        elif raw.get("recipient_name"):
            problems.add(
                number, "recipient_name", "a summary row has no single recipient: leave it blank"
            )
        currency = values.get("currency") or "GBP"
        if not re.fullmatch(r"[A-Z]{3}", currency):
            problems.add(number, "currency", f'"{currency}" is not a three-letter currency code')
        values["currency"] = currency
    if kind.name == "contracts":
        used, options = values.get("extensions_used"), values.get("extension_options")
        if used and used > (options or 0):
            problems.add(number, "extensions_used", f"{used} used but only {options or 0} allowed")
        for f in ("extension_options", "extensions_used"):
            values[f] = values.get(f) or 0
    if (
        kind.name == "bids"
        and values.get("amount_awarded")
        and values.get("outcome")
        in {
            "declined",
            "withdrawn",
        }
    ):
        problems.add(number, "amount_awarded", f"a {values['outcome']} bid has no amount awarded")
