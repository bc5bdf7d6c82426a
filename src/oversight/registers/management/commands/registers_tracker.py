import json
from pathlib import Path

from oversight.core.commands import ImportCommand, add_audience_argument
from oversight.lib.audience import Audience
from oversight.lib.files import out_file
from oversight.registers import tracker


class Command(ImportCommand):
    help = (
        "The publication tracker: for each duty in the rules file (the Specified Information Order's "
        "duties, registers/rules/specified-information.yaml unless --rules names another), the items "
        "the registers hold, when each was due to be published and when it was; late and missing "
        "items are flagged. `oversight registers tracker [--rules FILE] [--format text|csv|json]`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rules", type=Path, help="a rules file (YAML)")
        parser.add_argument("--format", default="text", choices=["text", "csv", "json"])
        parser.add_argument("--out", type=out_file, help="write csv or json to this file")
        add_audience_argument(parser)

    def run(self, audience, rules=None, format="text", out=None, **options):
        reports = tracker.build(rules, audience=Audience(audience))
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
        return f"{len(reports)} duties, {held} items, {flagged} flagged late or missing."
