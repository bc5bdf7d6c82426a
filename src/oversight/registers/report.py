"""Part 3 of the quarterly report, composed from the registers: decisions made, grants awarded
(count and total, by programme and by objective), contracts starting or ending, bids and their
outcomes. Every figure is summed from register rows here, once; nothing is typed."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from oversight.lib import document as d
from oversight.lib.audience import Audience
from oversight.lib.numbers import format_value, plural
from oversight.lib.periods import parse_period
from oversight.plans.models import Plan

from .models import Bid, BidOutcome, Contract, Disposal, DisposalStatus, Grant
from .queries import in_period


def money(value: Decimal | None) -> str:
    return format_value(value, "currency") if value is not None else "not recorded"


def day(value: date | None) -> str:
    return f"{value:%-d %B %Y}" if value else "not recorded"


REGISTERS = ("decisions", "grants", "contracts", "bids", "disposals")


def part3_sections(
    plan: Plan,
    period_code: str,
    *,
    audience: Audience,
    only: tuple[str, ...] = REGISTERS,
    skip_empty: bool = False,
) -> list[d.Section]:
    """The registers' sections of Part 3 for a period, from the items `audience` may read: those
    of the registers named in `only`, and with `skip_empty` only those with an item to show (a
    report that draws only some never says "no decisions" where its office's decisions are
    simply not recorded)."""
    period = parse_period(period_code)
    held = in_period(period.start, period.end, period.financial_year.end, audience=audience)
    year_start = period.financial_year.start
    ytd = (
        in_period(year_start, period.end, audience=audience) if year_start < period.start else held
    )
    made = {
        "decisions": lambda: [decisions_section(held["decisions"])],
        "grants": lambda: [
            grants_section(
                plan, ytd["grants"], held["grants"], year_start, period.start, period.end
            )
        ],
        "contracts": lambda: [
            contracts_section(held["contracts_starting"], held["contracts_ending"])
        ],
        "bids": lambda: [bids_section(held["bids"])],
        "disposals": lambda: [disposals_section(held["disposals"])] if held["disposals"] else [],
    }
    held_any = {
        "decisions": held["decisions"],
        "grants": ytd["grants"],
        "contracts": held["contracts_starting"] or held["contracts_ending"],
        "bids": held["bids"],
        "disposals": held["disposals"],
    }
    return [
        section
        for name in REGISTERS
        if name in only and (held_any[name] or not skip_empty)
        for section in made[name]()
    ]


def decisions_section(decisions: list) -> d.Section:
    s = d.Section("Decisions")
    if not decisions:
        return s.add(d.Paragraph.of("The PCC made no decisions requiring notices in this period."))
    s.add(
        d.Paragraph.of(
            f"The PCC has made "
            f"{plural(len(decisions), 'decision requiring a notice', 'decisions requiring notices')}"
            ", as follows:"
        )
    )
    rows = []
    for x in decisions:
        title: list[d.Inline] = [d.Text(x.title, href=x.get_absolute_url())]
        if x.withheld:
            title.append(f" (part withheld: {x.exempt_reason or 'reason not recorded'})")
        rows.append(
            d.Row(
                [
                    d.Cell.of(x.reference or "–"),
                    d.Cell.of(day(x.made_on)),
                    d.Cell(title),
                    d.Cell.of(money(x.value) if x.value is not None else "–", align="right"),
                ]
            )
        )
    total = sum((x.value for x in decisions if x.value is not None), start=Decimal(0))
    if any(x.value is not None for x in decisions):
        rows.append(
            d.Row(
                [
                    d.Cell([d.Text("Total value", bold=True)], colspan=3),
                    d.Cell([d.Text(money(total), bold=True)], align="right"),
                ]
            )
        )
    s.add(
        d.Table(
            caption="Decision notices made in the period",
            header=["Reference", "Date", "Decision", "Value"],
            rows=rows,
            widths=[1.5, 1.5, 5, 1.5],
            summary="One row per decision notice: its reference, date, subject and value.",
        )
    )
    return s


def _count(grants: list[Grant]) -> int:
    return sum(g.grants_count for g in grants)


def _total(grants: list[Grant]) -> Decimal:
    return sum((g.amount for g in grants), start=Decimal(0))


def grants_section(
    plan: Plan,
    ytd: list[Grant],
    period_grants: list[Grant],
    year_start: date,
    start: date,
    end: date,
) -> d.Section:
    s = d.Section("Grants awarded")
    if not ytd:
        return s.add(
            d.Paragraph.of(f"No grants were awarded between {day(year_start)} and {day(end)}.")
        )
    n, total = _count(ytd), _total(ytd)
    sentence = (
        f"To the end of {end:%B %Y}, {plural(n, 'grant has', 'grants have')} been awarded "
        f"totalling {money(total)}"
    )
    if year_start < start:
        sentence += (
            f" since {day(year_start)}, of which {plural(_count(period_grants), 'grant')} "
            f"totalling {money(_total(period_grants))} in this quarter"
        )
    s.add(d.Paragraph.of(sentence + "."))
    summaries = [g for g in ytd if g.summary]
    if summaries:
        covered = _count(summaries)
        rows_text = plural(len(summaries), "summary row")
        words = (
            f"All {plural(covered, 'grant')} are"
            if covered == n
            else f"{plural(covered, 'of these grants is', 'of these grants are')}"
        )
        s.add(
            d.Paragraph(
                [
                    d.Text(
                        f"{words} recorded from a published total without individual recipients "
                        f"({rows_text} in the grants register).",
                        italic=True,
                    )
                ]
            )
        )
    by_programme: dict[str, list[Grant]] = defaultdict(list)
    for g in ytd:
        by_programme[g.programme.title if g.programme else "No programme recorded"].append(g)
    s.add(
        _breakdown(
            "Grants awarded by programme, year to date",
            "Programme",
            by_programme,
            "One row per grant programme: the number of grants awarded and their total.",
        )
    )
    objectives = {o.pk: o for o in plan.objectives.all()}
    if not objectives:  # a plan whose paper lists no objectives (seed 004): nothing to break down
        return s
    by_objective: dict[str, list[Grant]] = defaultdict(list)
    order: dict[str, int] = {}
    for g in ytd:
        linked = [o for o in g.objectives.all() if o.pk in objectives]
        for o in linked:
            key = f"{o.code}. {o.title}"
            order[key] = o.order
            by_objective[key].append(g)
        if not linked:
            by_objective["Not linked to an objective of this plan"].append(g)
            order["Not linked to an objective of this plan"] = 10**6
    table = _breakdown(
        "Grants awarded by plan objective, year to date",
        "Objective",
        dict(sorted(by_objective.items(), key=lambda kv: order[kv[0]])),
        "One row per objective the grants serve; a grant serving two objectives is counted "
        "under each, so the rows may add to more than the total.",
        with_total=False,
    )
    s.add(table)
    return s


def _breakdown(
    caption: str, label: str, groups: dict[str, list[Grant]], summary: str, with_total: bool = True
) -> d.Table:
    rows = [
        d.Row(
            [
                d.Cell.of(name),
                d.Cell.of(f"{_count(gs):,}", align="right"),
                d.Cell.of(money(_total(gs)), align="right"),
            ]
        )
        for name, gs in groups.items()
    ]
    if with_total and len(groups) > 1:
        every = [g for gs in groups.values() for g in gs]
        rows.append(
            d.Row(
                [
                    d.Cell([d.Text("Total", bold=True)]),
                    d.Cell([d.Text(f"{_count(every):,}", bold=True)], align="right"),
                    d.Cell([d.Text(money(_total(every)), bold=True)], align="right"),
                ]
            )
        )
    return d.Table(
        caption=caption,
        header=[label, "Grants", "Total"],
        rows=rows,
        widths=[5, 1, 1.5],
        summary=summary,
    )


def contracts_section(starting: list[Contract], ending: list[Contract]) -> d.Section:
    s = d.Section("Commissioned services and contracts")
    if not starting and not ending:
        return s.add(d.Paragraph.of("No contracts started or ended in this period."))
    parts = []
    if starting:
        parts.append(f"{plural(len(starting), 'contract')} started")
    if ending:
        parts.append(f"{plural(len(ending), 'contract')} came to an end")
    s.add(d.Paragraph.of(" and ".join(parts) + " in this period."))
    rows = []
    for label, items in (("Starts", starting), ("Ends", ending)):
        for c in items:
            rows.append(
                d.Row(
                    [
                        d.Cell([d.Text(c.title, href=c.get_absolute_url())]),
                        d.Cell.of(c.provider or "not recorded"),
                        d.Cell.of(money(c.value), align="right"),
                        d.Cell.of(label),
                        d.Cell.of(day(c.starts_on)),
                        d.Cell.of(day(c.ends_on)),
                    ]
                )
            )
    s.add(
        d.Table(
            caption="Contracts starting or ending in the period",
            header=["Service", "Provider", "Value", "In the period", "Start", "End"],
            rows=rows,
            widths=[4, 2.5, 1.5, 1.2, 1.5, 1.5],
            summary="One row per contract starting or ending in the period, with its provider, "
            "value and dates.",
        )
    )
    return s


def bid_sentence(b: Bid) -> str:
    who = b.bidder or "The PCC"
    fund = f"{b.fund} ({b.funder})"
    if b.outcome == BidOutcome.WON:
        amount = f" for {money(b.amount_awarded)}" if b.amount_awarded is not None else ""
        return f"{who} bid successfully{amount} from {fund}."
    if b.outcome == BidOutcome.DECLINED:
        return f"{who}'s bid to {fund} was declined."
    if b.outcome == BidOutcome.WITHDRAWN:
        return f"{who} withdrew its bid to {fund}."
    asked = f" for {money(b.amount_requested)}" if b.amount_requested is not None else ""
    return f"{who}'s bid to {fund}{asked} is awaiting a decision."


def bids_section(bids: list[Bid]) -> d.Section:
    s = d.Section("Bids to other funders")
    if not bids:
        return s.add(d.Paragraph.of("No bids were submitted or decided in this period."))
    s.add(d.BulletList([[bid_sentence(b)] for b in bids]))
    won = [
        b.amount_awarded
        for b in bids
        if b.outcome == BidOutcome.WON and b.amount_awarded is not None
    ]
    rows = [
        d.Row(
            [
                d.Cell.of(b.funder),
                d.Cell([d.Text(b.fund, href=b.get_absolute_url())]),
                d.Cell.of(
                    money(b.amount_requested) if b.amount_requested is not None else "–",
                    align="right",
                ),
                d.Cell.of(
                    money(b.amount_awarded) if b.amount_awarded is not None else "–", align="right"
                ),
                d.Cell.of(b.get_outcome_display()),
            ]
        )
        for b in bids
    ]
    if won:
        rows.append(
            d.Row(
                [
                    d.Cell([d.Text("Total won", bold=True)], colspan=3),
                    d.Cell(
                        [
                            d.Text(
                                money(sum(won, start=Decimal(0))),
                                bold=True,
                            )
                        ],
                        align="right",
                    ),
                    d.Cell.of(""),
                ]
            )
        )
    s.add(
        d.Table(
            caption="Bids submitted or decided in the period",
            header=["Funder", "Fund", "Requested", "Awarded", "Outcome"],
            rows=rows,
            widths=[2, 4, 1.5, 1.5, 1.2],
            summary="One row per bid: the funder, the fund, the amounts asked and awarded, and the outcome.",
        )
    )
    return s


def disposal_words(x: Disposal) -> str:
    """One disposal in the seed's words (seed 003 para 67)."""
    words = f"Disposal of {x.asset}"
    if x.address and x.address not in x.asset:
        words += f" ({x.address})"
    if x.buyer:
        words += f" to {x.buyer}"
    if x.value is not None:
        words += f" for {money(x.value)}"
    if x.decision:
        ref = x.decision.reference or x.decision.title
        words += f", as per Decision Notice {ref} dated {day(x.decision.made_on)}"
    if x.status == DisposalStatus.COMPLETED and x.completed_on:
        return words + f"; completed {day(x.completed_on)}."
    return words + f" ({x.get_status_display().lower()})."


def disposals_section(disposals: list[Disposal]) -> d.Section:
    s = d.Section("Estate disposals")
    pending = [x for x in disposals if x.status != DisposalStatus.COMPLETED]
    done = [x for x in disposals if x.status == DisposalStatus.COMPLETED]
    if pending:
        dates = {x.expected_by for x in pending if x.expected_by}
        by = f" by {min(dates):%d/%m/%y}" if len(dates) == 1 else ""
        s.add(
            d.Paragraph.of(f"Assets identified and in the process of disposal{by} include:"),
            d.BulletList([[disposal_words(x)] for x in pending]),
        )
    if done:
        s.add(
            d.Paragraph.of("Disposals completed in the period:"),
            d.BulletList([[disposal_words(x)] for x in done]),
        )
    return s
