"""`oversight export commissioning --plan SLUG --period P --audience A` (a plugin of the `export`
group)."""

import importlib

from oversight.commissioning.report import RECORD_FIELDS, commissioning_records
from oversight.core.plugins import export_command
from oversight.plans.commands import get_plan

export_command(
    # The plans app's `export` group, which this adds a subcommand to.
    importlib.import_module("oversight.plans.management.commands.export").Command,
    name="commissioning",
    records=commissioning_records,
    fields=RECORD_FIELDS,
    help="""Print commissioned services' KPIs (latest up to the period) and the outputs of grants and
    bids reported in the period, as JSON or CSV, one record per figure, under the objective each
    serves.

    Fields: period, objective, section, code, title, kpi_period, measure, value, text, note.
    """,
    get_plan=get_plan,
)
