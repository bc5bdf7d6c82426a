"""`oversight export finance --plan SLUG --period P --audience A` (a plugin of the `export`
group)."""

import importlib

from oversight.core.plugins import export_command
from oversight.finance.report import RECORD_FIELDS, finance_records
from oversight.plans.commands import get_plan

export_command(
    # The plans app's `export` group, which this adds a subcommand to.
    importlib.import_module("oversight.plans.management.commands.export").Command,
    name="finance",
    records=finance_records,
    fields=RECORD_FIELDS,
    help="""Print the finance record for a period as JSON or CSV: one record per figure.

    Fields: plan, financial_year, period, section, code, name, measure, value, text, rag,
    rag_words, note. The forecast's movement on the previous quarter's is computed.
    """,
    get_plan=get_plan,
)
