"""`oversight registers import|export|list|history|expiring|tracker`: the transparency registers."""

import json
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer
from django.core.management.base import CommandError

from oversight.core.commands import AudienceOption, Group, command, out_option
from oversight.lib.audience import Audience
from oversight.lib.numbers import plural
from oversight.plans.commands import get_plan
from oversight.registers import exports, threesixty, tracker
from oversight.registers.actions import history as register_history
from oversight.registers.actions import import_register
from oversight.registers.exports import records
from oversight.registers.importers import KINDS, read_register
from oversight.registers.models import Grant
from oversight.registers.queries import contract_alerts, expiring_contracts, today

# The registers' names as a type the checker reads; a test holds it to the importer's KINDS.
KindName = Literal["decisions", "programmes", "grants", "contracts", "bids", "disposals"]
Kind = Annotated[
    KindName, typer.Argument(metavar="KIND", help=f"which register: {', '.join(KINDS)}")
]

# The columns `oversight registers list` prints for each register.
SHOWN = {
    "decisions": ["id", "reference", "made_on", "value", "title"],
    "programmes": ["id", "fund_total", "grants_awarded", "amount_awarded", "title"],
    "grants": ["id", "awarded_on", "amount", "summary_count", "recipient_name", "title"],
    "contracts": ["id", "starts_on", "ends_on", "value", "provider", "title"],
    "bids": ["id", "outcome", "amount_requested", "amount_awarded", "fund"],
    "disposals": ["id", "status", "value", "expected_by", "asset"],
}


def _columns() -> str:
    return "; ".join(f"{k}: {', '.join(v.column_names)}" for k, v in KINDS.items())


class Command(Group):
    help = (
        "The registers: decisions, grants, contracts, bids, disposals.\n\n"
        "Import, export, list and trace the history of register items; expiring contracts; the "
        "publication tracker."
    )

    @command(
        name="import",
        help="Import a register from CSV or XLSX.\n\n"
        f"KIND is one of {', '.join(KINDS)}. Columns – {_columns()}. Every row is checked first; "
        "on any problem nothing is written and every problem is listed with its row, column and "
        "reason. The id column keys each item, so re-importing is safe; changed values are kept "
        "in the history.",
    )
    def import_(
        self,
        kind: Kind,
        file: Annotated[Path, typer.Argument(metavar="FILE", help="a .csv or .xlsx file")],
        plan: Annotated[
            str | None,
            typer.Option(help="the plan whose objective codes the objectives column names"),
        ] = None,
        note: Annotated[str, typer.Option(help="a note kept with any changed values")] = "",
    ):
        target = get_plan(plan) if plan else None
        rows = read_register(kind, file, target)
        outcome = import_register(kind, rows, by=self.actor, file_name=Path(file).name, note=note)
        self.stdout.write(f"{len(rows)} rows from {Path(file).name} into {kind}: {outcome}.")

    @command()
    def export(
        self,
        kind: Kind,
        audience: AudienceOption,
        format: Annotated[
            Literal["csv", "json", "360giving", "register-csv"], typer.Option()
        ] = "csv",
        out: Annotated[Path | None, out_option()] = None,
    ):
        """Export a register as CSV, JSON or (grants) 360Giving, to --out or standard output.

        csv and json carry the import columns plus slug and url; for grants, `--format 360giving`
        writes the 360Giving JSON data package and `--format csv` its flattened form with
        360Giving column titles. A 360Giving export is checked against the standard's schema
        first and refused if it breaks it. `--format register-csv` writes any register, grants
        included, in the importer's own columns (it re-imports unchanged).
        """
        if kind == "grants" and format in ("360giving", "csv"):
            grants = (
                Grant.objects.for_audience(audience)
                .select_related("programme")
                .prefetch_related("objectives__plan")
            )
            doc = threesixty.package(grants, issued=today())
            if not doc["grants"]:
                raise CommandError("no grants to a named recipient: 360Giving needs at least one")
            errors = threesixty.validate(doc)
            if errors:
                raise CommandError(
                    "the export breaks the 360Giving schema; nothing was written:\n  - "
                    + "\n  - ".join(errors)
                )
            if format == "360giving":
                text = json.dumps(doc, indent=2, ensure_ascii=False)
            else:
                text = threesixty.flat_csv(doc)
            count = len(doc["grants"])
        elif format == "360giving":
            raise CommandError("--format 360giving is for grants only")
        elif format == "json":
            data = exports.as_json(kind, audience=audience)
            text, count = json.dumps(data, indent=2, ensure_ascii=False), len(data["items"])
        else:
            text = exports.as_csv(kind, audience=audience)
            count = text.count("\n") - 1
        if out is None:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
            return
        out.write_text(text, encoding="utf-8")
        self.stdout.write(f"{count} {kind} written to {out} ({format}).")

    @command(name="list")
    def list_(self, kind: Kind):
        """List a register's items, one a line."""
        items = records(kind, audience=Audience.STAFF)  # the office's own listing, drafts too
        for r in items:
            self.stdout.write("  ".join(_text(r.get(c)) for c in SHOWN[kind]))
        self.stdout.write(f"{plural(len(items), 'row')} in {KINDS[kind].title.lower()}.")

    @command()
    def history(
        self, kind: Kind, id: Annotated[str, typer.Argument(metavar="ID", help="the item's id")]
    ):
        """The earlier values of one register item, newest first."""
        if not KINDS[kind].model.objects.filter(identifier=id).exists():
            raise CommandError(f'no item "{id}" in {kind}')
        revisions = register_history(kind, id)
        for r in revisions:
            values = ", ".join(f"{k}={v}" for k, v in r.previous.items() if v not in ("", []))
            note = f" ({r.note})" if r.note else ""
            self.stdout.write(f"{r.changed_at:%Y-%m-%d %H:%M} {r.changed_by_name}{note}: {values}")
        self.stdout.write(f"{plural(len(revisions), 'earlier version')} of {kind} {id}.")

    @command()
    def expiring(self, within_days: Annotated[int, typer.Option()] = 365):
        """Contracts ending within the next year (or --within-days N), soonest first.

        Those inside their alert window (six months before the end unless the contract sets
        another) are marked ALERT.
        """
        # The office's own listing: draft contracts too.
        alerts = {c.pk for c in contract_alerts(audience=Audience.STAFF)}
        items = expiring_contracts(within_days, audience=Audience.STAFF)
        for c in items:
            mark = "ALERT " if c.pk in alerts else "      "
            self.stdout.write(f"{mark}{c.ends_on}  {c.identifier}  {c.title}")
        self.stdout.write(
            f"{plural(len(items), 'contract ends', 'contracts end')} within {within_days} days "
            f"of {today()}; "
            f"{len(alerts)} inside their alert window."
        )

    @command()
    def tracker(
        self,
        audience: AudienceOption,
        rules: Annotated[Path | None, typer.Option(help="a rules file (YAML)")] = None,
        format: Annotated[Literal["text", "csv", "json"], typer.Option()] = "text",
        out: Annotated[Path | None, out_option("write csv or json to this file")] = None,
    ):
        """The publication tracker: each duty's items, when each was due and published.

        For each duty in the rules file (the Specified Information Order's duties,
        registers/rules/specified-information.yaml unless --rules names another), the items the
        registers hold, when each was due to be published and when it was; late and missing
        items are flagged.
        """
        reports = tracker.build(rules, audience=audience)
        if format != "text":
            text = (
                tracker.as_csv(reports)
                if format == "csv"
                else json.dumps(tracker.as_json(reports), indent=2)
            )
            if out:
                out.write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text)
        else:
            for r in reports:
                self.stdout.write(f"{r.duty.title} ({r.duty.source}) – {r.duty.describe()}")
                for e in r.entries:
                    flag = "FLAG " if e.standing.flagged else "     "
                    late = f", {e.days_late} days late" if e.days_late else ""
                    self.stdout.write(
                        f"  {flag}{e.item.identifier}: due {e.due or '-'}, published "
                        f"{e.published_on or '-'} – {e.standing.value}{late}"
                        + (f" ({e.reason})" if e.reason else "")
                    )
        flagged = sum(len(r.flagged) for r in reports)
        held = sum(len(r.entries) for r in reports)
        self.stdout.write(
            f"{len(reports)} duties, {held} items, {flagged} flagged late or missing."
        )


def _text(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)
