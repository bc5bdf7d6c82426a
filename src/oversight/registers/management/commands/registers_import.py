from pathlib import Path

from oversight.core.commands import ImportCommand
from oversight.plans.commands import get_plan
from oversight.registers.actions import import_register
from oversight.registers.importers import KINDS, read_register


def _columns() -> str:
    return "; ".join(f"{k}: {', '.join(v.column_names)}" for k, v in KINDS.items())


class Command(ImportCommand):
    help = (
        "Import a register from CSV or XLSX: `oversight registers import KIND FILE`, KIND one of "
        f"{', '.join(KINDS)}. Columns – {_columns()}. Every row is checked first; on any problem "
        "nothing is written and every problem is listed with its row, column and reason. The id "
        "column keys each item, so re-importing is safe; changed values are kept in the history."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS), help="which register")
        parser.add_argument("file", type=Path, help="a .csv or .xlsx file")
        parser.add_argument(
            "--plan", help="the plan whose objective codes the objectives column names"
        )
        parser.add_argument("--note", default="", help="a note kept with any changed values")

    def run(self, kind, file, plan=None, note="", **options):
        target = get_plan(plan) if plan else None
        rows = read_register(kind, file, target)
        outcome = import_register(kind, rows, by=self.actor, file_name=Path(file).name, note=note)
        return f"{len(rows)} rows from {Path(file).name} into {kind}: {outcome}."
