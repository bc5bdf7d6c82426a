import json
import textwrap
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from oversight.core.clock import today
from oversight.lib.files import out_file
from oversight.lib.tables import to_csv
from oversight.scrutiny.documents import sort_for_log
from oversight.scrutiny.exports import ACTION_FIELDS, action_csv_record, action_record
from oversight.scrutiny.lookup import find_body
from oversight.scrutiny.models import Action
from oversight.scrutiny.models.agreed_actions import OUTSTANDING


class Command(BaseCommand):
    help = (
        "List agreed actions, overdue first: one record per action with id, ref, body, meeting, "
        "minute, description, owner, due, status, overdue and updates. --open keeps actions with no "
        "answer yet; --overdue those whose due date or meeting has passed without an answer; "
        "--as-of sets today (default OVERSIGHT_TODAY or the real date)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--open", action="store_true", help="only actions with no answer yet")
        parser.add_argument("--overdue", action="store_true", help="only overdue actions")
        parser.add_argument("--owner", help="only actions whose owner contains this (any case)")
        parser.add_argument("--body", help="only this body's actions (its id)")
        parser.add_argument(
            "--as-of", dest="as_of", help="today's date for overdue flags, YYYY-MM-DD"
        )
        parser.add_argument("--format", choices=["table", "json", "csv"], default="table")
        parser.add_argument(
            "--out", type=out_file, help="write to this file instead of standard output"
        )

    def handle(self, open, overdue, owner, body, as_of, format, out=None, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else today()
        except ValueError as exc:
            raise CommandError(f'--as-of "{as_of}" is not a date: use YYYY-MM-DD') from exc
        qs = Action.objects.with_related().select_related("measure__plan")
        if body:
            try:
                qs = qs.filter(body=find_body(body))
            except LookupError as exc:
                raise CommandError(str(exc)) from None
        if owner:
            qs = qs.filter(owner__icontains=owner.strip())
        if open:
            qs = qs.filter(status__in=OUTSTANDING)
        actions = sort_for_log(list(qs), day)
        if overdue:
            actions = [a for a in actions if a.is_overdue(day)]
        records = [action_record(a, day) for a in actions]
        if format == "json":
            text = json.dumps(records, indent=2, ensure_ascii=False) + "\n"
        elif format == "csv":
            text = to_csv([action_csv_record(r) for r in records], ACTION_FIELDS)
        else:
            text = _table(records, day)
        if out:
            out.write_text(text, encoding="utf-8", newline="")  # `open` is the --open flag here
            self.stdout.write(f"{len(records)} actions written to {out}.")
        else:
            self.stdout.write(text, ending="")


def _table(records: list[dict], day: date) -> str:
    """Fixed columns; the description wraps in full under its heading, never cut."""
    if not records:
        return f"No actions match (as at {day:%-d %B %Y}).\n"
    cols = [("ref", 12), ("minute", 6), ("owner", 14), ("due_label", 26), ("status", 11)]
    indent = sum(w + 2 for _, w in cols)
    lines = ["  ".join(name.split("_")[0].upper().ljust(w) for name, w in cols) + "  DESCRIPTION"]
    for r in records:
        values = {
            **r,
            "status": "OVERDUE" if r["overdue"] else r["status"],
            "minute": r["minute"] or "",
        }
        head = "  ".join(_cut(str(values[name]), w) for name, w in cols)
        text = textwrap.wrap(" ".join(r["description"].split()), 60) or [""]
        lines.append(f"{head}  {text[0]}")
        lines += [" " * indent + more for more in text[1:]]
    lines.append(f"{len(records)} actions as at {day:%-d %B %Y}.")
    return "\n".join(lines) + "\n"


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return (text if len(text) <= width else text[: width - 1] + "…").ljust(width)
