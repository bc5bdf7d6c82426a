"""Reading commissioning files (CSV or XLSX), one table per file: `oversight import commissioning
FILE --table T --plan SLUG`. Contracts, grants and bids are named by their id in the registers
(import them there first). Every row is checked first and every problem listed (file, row,
column, reason); nothing is written while there is one.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from oversight.core.sheets import Column, Row, Table, read_sheet, too_long
from oversight.lib.problems import Problems
from oversight.plans.models import Plan
from oversight.registers.models import Bid, Contract, Grant

from . import models as m

CONTRACT = Column("contract", "text", True, "the contract's id in the contracts register")
PERIOD = Column("period", "period", True, 'a quarter "2023/24 Q2" or a year "2022/23"')
NOTE = Column("note", "long_text", help="source and caveats, e.g. seed 003 §10")
SHARE_TOLERANCE = Decimal("0.5")  # a stated share is rounded: 43% may be 42.5 to 43.5

TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "kpis",
            "Contract KPIs",
            (
                CONTRACT,
                PERIOD,
                Column("referrals", "count"),
                Column("people_supported", "count"),
                Column(
                    "referred_by_police", "count", help="of the referrals (else of those supported)"
                ),
                Column(
                    "police_share",
                    "percent",
                    help="the share referred by the police, when the source gives no counts",
                ),
                Column("outcomes", "count"),
                Column("outcomes_note", "text", help="what the outcomes count"),
                NOTE,
            ),
            ("contract", "period"),
        ),
        Table(
            "reviews",
            "Contract review meetings",
            (
                CONTRACT,
                Column("period", "period", True, "the quarter reviewed"),
                Column("meets_on", "date"),
                Column(
                    "status",
                    "choice",
                    help="scheduled, held or cancelled",
                    choices=tuple(m.ReviewStatus.values),
                ),
                Column("notes", "long_text", help="the meeting's notes (Markdown)"),
            ),
            ("contract", "period"),
        ),
        Table(
            "outputs",
            "Outputs of grants and bids",
            (
                Column("output", "text", True, "the output's code"),
                Column("bid", "text", help="the bid's id in the bids register"),
                Column("grant", "text", help="the grant's id in the grants register"),
                Column("objective", "text", help="the code of the plan objective it serves"),
                Column("description", "text", True, 'what is counted, e.g. "initiatives"'),
                Column("target", "count", True),
                Column("delivered", "count"),
                Column("period", "period", True, "the report period"),
                NOTE,
            ),
            ("output",),
        ),
    ]
}


def get_table(name: str) -> Table:
    try:
        return TABLES[name]
    except KeyError:
        raise ValueError(
            f'unknown commissioning table "{name}": one of {", ".join(TABLES)}'
        ) from None


def read_commissioning(table_name: str, path: Path | str, plan: Plan) -> list[Row]:
    """Every row of a commissioning file, checked; raises ImportRefused listing every problem."""
    table = get_table(table_name)
    problems = Problems(Path(path).name)
    rows = read_sheet(table, path, problems)
    contracts = {c.identifier: c for c in Contract.objects.all()}
    objectives = {o.code: o for o in plan.objectives.all()}
    for row in rows:
        v = row.values
        if "contract" in v and v["contract"]:
            if v["contract"] not in contracts:
                problems.add(
                    row.number,
                    "contract",
                    f'no contract "{v["contract"]}" in the contracts register',
                )
            v["contract"] = contracts.get(v["contract"])
        if not row.checked:
            continue
        if table.name == "kpis":
            _check_kpi(row, problems)
        elif table.name == "reviews":
            v["status"] = v.get("status") or (
                m.ReviewStatus.HELD if v.get("notes") else m.ReviewStatus.SCHEDULED
            )
        elif table.name == "outputs":
            if not v.get("bid") and not v.get("grant"):
                problems.add(row.number, "bid", "name the bid or the grant the output is for")
            for col, model in (("bid", Bid), ("grant", Grant)):
                if v.get(col):
                    found = model.objects.filter(identifier=v[col]).first()
                    if found is None:
                        problems.add(row.number, col, f'no {col} "{v[col]}" in the {col}s register')
                    v[col] = found
                else:
                    v[col] = None
            code = v.get("objective")
            if code:
                if code not in objectives:
                    problems.add(
                        row.number,
                        "objective",
                        f'no objective "{code}" in {plan.slug} (objectives: {", ".join(objectives)})',
                    )
                v["objective"] = objectives.get(code)
            else:
                v["objective"] = None
            if v.get("output") and (why := too_long(m.FundedOutput, "code", v["output"])):
                problems.add(row.number, "output", why)
            if v.get("description") and (
                why := too_long(m.FundedOutput, "description", v["description"])
            ):
                problems.add(row.number, "description", why)
    problems.raise_if_any()
    return rows


def _check_kpi(row: Row, problems: Problems) -> None:
    v = row.values
    base = v.get("referrals") if v.get("referrals") is not None else v.get("people_supported")
    police, share = v.get("referred_by_police"), v.get("police_share")
    if police is not None and base is not None and police > base:
        what = "referrals" if v.get("referrals") is not None else "people_supported"
        problems.add(
            row.number, "referred_by_police", f"{police:,} is more than the {base:,} {what}"
        )
    if police is not None and base is None:
        problems.add(
            row.number,
            "referred_by_police",
            "give the referrals (or people supported) it is a share of",
        )
    if police is not None and base and share is not None:
        computed = Decimal(police) * 100 / base
        if abs(computed - share) > SHARE_TOLERANCE:
            problems.add(
                row.number,
                "police_share",
                f"{share}% does not match the counts ({computed.quantize(Decimal('0.1'))}%): "
                "give the counts or the share",
            )
    figures = ("referrals", "people_supported", "referred_by_police", "police_share", "outcomes")
    if all(v.get(f) is None for f in figures):
        problems.add(row.number, "referrals", "give at least one KPI figure")
