"""What the sections of the committee-paper layouts (seed 003, seed 004) draw from the record: the
delivery plan, finance, engagement, commissioned services, the registers, scrutiny and the risk
register. Each builder takes the composing context and its section's layout and returns report
sections; every figure and word comes from the apps' report functions, computed once there."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from oversight.commissioning.report import commissioning_summary
from oversight.core.citations import filler
from oversight.delivery.queries import delivery_plan, risk_implications
from oversight.engagement.report import engagement_summary
from oversight.finance.report import finance_summary
from oversight.lib import document as d
from oversight.lib.audience import Audience
from oversight.lib.periods import Period
from oversight.plans.assessment import MeasureStatus, statuses
from oversight.plans.models import Objective, Plan
from oversight.plans.models import Section as N
from oversight.plans.visibility import NarrativeText, narratives
from oversight.registers import report as registers_report
from oversight.scrutiny import report as scrutiny_report

from .layouts import SectionLayout

NO_UPDATE = "No update was provided for this objective for this period."


class Narratives:
    """The period's narrative as the audience reads it, by section, objective and key."""

    def __init__(self, found: list[NarrativeText]):
        self.by_key = {(n.section, n.objective_code, n.key): n for n in found}
        self.all = found

    def get(self, section: str, objective: str | None = None, key: str = "") -> list[d.Block]:
        n = self.by_key.get((section, objective, key))
        return [d.Markdown(n.body)] if n else []

    def activities(self) -> list[NarrativeText]:
        return [n for n in self.all if n.section == N.ACTIVITY]


@dataclass
class Context:
    """What one report is composed from; each part of the record is read once, when first drawn."""

    plan: Plan
    period: Period
    audience: Audience
    objectives: list[Objective] = field(default_factory=list)

    @cached_property
    def text(self) -> Narratives:
        """The narrative with each figure it cites by key filled from the record as the audience
        may read it ("[not recorded]" where it may not, or there is none)."""
        fill = filler(self.plan, self.period.code, audience=self.audience)
        return Narratives(
            [
                replace(n, body=fill(n.body))
                for n in narratives(self.plan, self.period.code, self.audience)
            ]
        )

    @cached_property
    def statuses(self) -> list[MeasureStatus]:
        return statuses(self.plan, self.period.code, [self.plan.force_area], audience=self.audience)

    @cached_property
    def delivery(self) -> dict[str, Any]:
        return delivery_plan(self.plan, audience=self.audience, period=self.period.code)

    @cached_property
    def finance(self) -> dict[str, Any] | None:
        return finance_summary(self.plan, self.period.code, audience=self.audience)

    @cached_property
    def commissioning(self) -> list[dict[str, Any]]:
        return commissioning_summary(self.plan, self.period.code, audience=self.audience)

    def fill(self, template: str) -> str:
        """A layout's text with its placeholders ({plan}, {period}, …) filled in."""
        day = "%-d %B %Y"
        values = {
            "plan": self.plan.title,
            "force": self.plan.force,
            "period": self.period.label,
            "period_start": f"{self.period.start:{day}}",
            "period_end": f"{self.period.end:{day}}",
            "plan_start": f"{self.plan.starts:{day}}",
            "plan_end": f"{self.plan.ends:{day}}",
        }
        return re.sub(r"\{(\w+)\}", lambda m: values.get(m[1], m[0]), template)

    def narrative(self, s: SectionLayout, key: str = "") -> list[d.Block]:
        """The office's text for the section, else the layout's `text:`, else nothing."""
        found = self.text.get(s.narrative, None, key) if s.narrative else []
        if found:
            return found
        return [d.Paragraph.of(self.fill(s.text))] if s.text else []


def section(s: SectionLayout, blocks: list[d.Block]) -> d.Section:
    return d.Section(
        s.heading,
        blocks=blocks,
        number=s.number,
        anchor=s.anchor,
        page_break_before=s.page_break_before,
        landscape=s.landscape,
    )


def narrative(ctx: Context, s: SectionLayout) -> list[d.Section]:
    blocks = ctx.narrative(s)
    return [section(s, blocks)] if blocks else []


def summary(ctx: Context, s: SectionLayout) -> list[d.Section]:
    """Seed 004's executive summary: the purpose of the report and the period it covers."""
    blocks = ctx.narrative(s) or [
        d.Paragraph.of(
            f"The purpose of this report is to provide Members of the Panel with an update on "
            f"progress in delivering the {ctx.plan.title}."
        ),
        d.Paragraph.of(
            f"This report covers the period from {ctx.period.start:%-d %B %Y} to "
            f"{ctx.period.end:%-d %B %Y}."
        ),
    ]
    return [section(s, blocks)]


def contacts(ctx: Context, s: SectionLayout) -> list[d.Section]:
    return narrative(ctx, s)


def delivery(ctx: Context, s: SectionLayout) -> list[d.Section]:
    """The delivery plan overall: its progress rolled up from the activities, and overdue
    milestones; each objective's activities are shown under the objective."""
    plan = ctx.delivery
    activities = sum(len(o["activities"]) for o in plan["objectives"])
    blocks = ctx.narrative(s)
    if activities:
        objectives = sum(1 for o in plan["objectives"] if o["activities"])
        overdue = plan["overdue_milestones"]
        blocks.append(
            d.Paragraph.of(
                f"The delivery plan has {activities} "
                f"{'activity' if activities == 1 else 'activities'} across {objectives} "
                f"{'objective' if objectives == 1 else 'objectives'}: "
                f"{plan['progress_words'][:1].lower()}{plan['progress_words'][1:]} as at "
                f"{plan['as_at']:%-d %B %Y}, with "
                + (
                    f"{overdue} milestone{'s' if overdue != 1 else ''} overdue."
                    if overdue
                    else "no milestone overdue."
                )
            )
        )
    elif not blocks:
        blocks.append(d.Paragraph.of("No delivery plan activities are recorded for this plan."))
    return [section(s, blocks)]


def _activities_table(objective: dict[str, Any]) -> d.Table:
    return d.Table(
        caption=f"Delivery plan activities: {objective['title']}",
        header=["Activity", "Owner", "Status", "Complete", "Milestones"],
        rows=[
            d.Row(
                [
                    d.Cell.of(f"{a['code']} {a['title']}"),
                    d.Cell.of(a["owner"]),
                    d.Cell.of(a["status_words"]),
                    # no percentage recorded is said in words, never printed as 0 or left blank
                    d.Cell.of(
                        f"{a['progress']}%" if a["progress"] is not None else "Not recorded",
                        align="right",
                    ),
                    d.Cell.of(
                        "; ".join(
                            f"{m['title']}: {m['overdue_words']}"
                            for m in a["milestones"]
                            if m["overdue"]
                        )
                        or f"{len(a['milestones'])}, none overdue"
                    ),
                ]
            )
            for a in objective["activities"]
        ],
        widths=[4, 2, 1.6, 1.2, 3],
        summary="One row per delivery plan activity under this objective: its owner, its "
        "recorded status and percent complete (not recorded where the office gave none), and any "
        "milestone overdue.",
    )


def _contract_words(c: dict[str, Any]) -> str:
    words = f"{c['title']}" + (f" ({c['provider']})" if c["provider"] else "")
    k = c["kpi"]
    if k:
        figures = [
            f"{k[f]:,} {label}"
            for f, label in (
                ("referrals", "referrals"),
                ("people_supported", "people supported"),
                # what the outcomes are, as the record says ("direct contact cases closed")
                ("outcomes", k.get("outcomes_note") or "outcomes"),
            )
            if k[f] is not None
        ]
        if k["police_share_text"]:
            figures.append(f"{k['police_share_text']} referred by the police")
        if figures:  # the KPI's note says where the figure came from: for the record, not the paper
            words += f": in {k['period']}, " + ", ".join(figures)
    for r in c["reviews"]:
        words += f". Contract review {r['period']}: {r['status']}"
        if r["notes"]:
            words += f", {r['notes']}"
    return words + "."


def _commissioning_blocks(group: dict[str, Any]) -> list[d.Block]:
    blocks: list[d.Block] = [d.Paragraph.of(_contract_words(c)) for c in group["contracts"]]
    blocks += [d.Paragraph.of(_output_words(o)) for o in group["outputs"]]
    return blocks


def _output_words(o: dict[str, Any]) -> str:
    """A funded output as a sentence: "14 initiatives are planned; none is reported delivered
    yet." The record's short `text` ("not yet reported of 14 initiatives") read as garbled when
    it stood alone as a numbered paragraph."""
    if o["delivered"] is None:
        return f"{o['target']} {o['description']} planned; nothing delivered is reported yet."
    return f"{o['delivered']} of the {o['target']} {o['description']} planned delivered."


def objectives(ctx: Context, s: SectionLayout) -> list[d.Section]:
    """A section per objective: the office's narrative for it, its delivery plan activities and
    their progress, and the commissioned services that serve it. Without a heading of its own the
    objectives' sections stand at the top level of the report, as in seed 003."""
    by_code = {o["code"]: o for o in ctx.delivery["objectives"]} if "delivery" in s.shows else {}
    services = {g["objective"]: g for g in ctx.commissioning} if "commissioning" in s.shows else {}
    out = []
    for o in ctx.objectives:
        blocks: list[d.Block] = []
        if "narrative" in s.shows:
            blocks += ctx.text.get(N.OBJECTIVE, o.code)
        planned = by_code.get(o.code)
        if planned and planned["activities"]:
            n = len(planned["activities"])
            blocks.append(
                d.Paragraph.of(
                    f"The delivery plan has {n} {'activity' if n == 1 else 'activities'} for this "
                    f"objective: {planned['progress_words'][:1].lower()}"
                    f"{planned['progress_words'][1:]}."
                )
            )
            blocks.append(_activities_table(planned))
        if group := services.get(o.code):
            blocks.append(d.Section("Commissioned services", blocks=_commissioning_blocks(group)))
        if not blocks:
            blocks = [d.Paragraph([d.Text(NO_UPDATE, italic=True)])]
        heading = s.objective_heading.replace("{code}", o.code).replace("{title}", o.title)
        out.append(d.Section(heading, blocks=blocks))
    if not s.heading:
        return out
    return [section(s, [*ctx.narrative(s), *out])]


def finance(ctx: Context, s: SectionLayout) -> list[d.Section]:
    """The budget set for the year and the quarter's forecast outturn, with its movement."""
    blocks = ctx.narrative(s)
    f = ctx.finance
    if f is None:
        blocks.append(d.Paragraph.of(f"No budget is recorded for {ctx.period.label}."))
        return [section(s, blocks)]
    b = f["budget"]
    parts = [
        f"{label} {b[key]['text']}"
        for key, label in (
            ("net_budget_requirement", "a net budget requirement of"),
            ("total_budget", "a total budget of"),
            ("precept_band_d", "a Band D precept of"),
        )
        if b[key]["value"] is not None
    ]
    if parts:
        blocks.append(
            d.Paragraph.of(f"The {f['financial_year']} budget has " + ", ".join(parts) + ".")
        )
    t = f["total"]
    if t:
        words = f"The {t['quarter']} review of the financial position shows {t['variance_words']}"
        if t["forecast_outturn"] is not None:
            words += f" (a forecast outturn of {t['forecast_outturn_text']})"
        if t["movement_words"]:
            words += f", {t['movement_words']}"
        blocks.append(d.Paragraph.of(words + "."))
    if b["budget_gap_next_year"]["value"] is not None:
        blocks.append(
            d.Paragraph.of(
                f"The budget gap for next year is {b['budget_gap_next_year']['text']}"
                + (f": {b['budget_gap_note']}" if b["budget_gap_note"] else "")
                + "."
            )
        )
    if f["capital"]:
        blocks.append(
            d.BulletList(
                [
                    [
                        f"{c['name']}: budget {c['budget']['text'] or 'not given'}"
                        + (f", {c['stage']}" if c["stage"] else "")
                        + (f"; next, {c['next_stage']}" if c["next_stage"] else "")
                        + (f" by {c['next_stage_due']:%-d %B %Y}" if c["next_stage_due"] else "")
                    ]
                    for c in f["capital"]
                ]
            )
        )
    if f["receipts"]:
        blocks.append(
            d.BulletList(
                [
                    [
                        f"{r['asset'][:1].upper()}{r['asset'][1:]}: "
                        f"{r['amount']['text'] or 'amount not given'} ({r['status']})"
                    ]
                    for r in f["receipts"]
                ]
            )
        )
    return [section(s, blocks)]


def engagement(ctx: Context, s: SectionLayout) -> list[d.Section]:
    """The period's engagement, communications and casework counts, each with its change."""
    blocks = ctx.narrative(s)
    spans = engagement_summary(ctx.plan, ctx.period.code, audience=ctx.audience)
    for span in spans:
        counts = [
            f"{c['label']}: {c['text']}"
            + (f" ({c['change_words']})" if c["previous_value"] is not None else "")
            for c in span["counts"]
            if c["value"] is not None
        ]
        if counts:
            blocks.append(d.Paragraph.of(f"During {span['span']}: " + "; ".join(counts) + "."))
        case = span["casework"]
        if case and case["new"]["value"] is not None:
            words = f"The office dealt with {case['new']['text']} new pieces of casework"
            if case["new"]["previous_value"] is not None:
                words += f" ({case['new']['change_words']})"
            themes = [t["label"] for t in span["themes"]]
            if themes:
                words += "; the most common themes were " + ", ".join(themes)
            blocks.append(d.Paragraph.of(words + "."))
    if not spans and not blocks:
        blocks.append(d.Paragraph.of(f"No engagement figures are recorded for {ctx.period.label}."))
    return [section(s, blocks)]


def registers(ctx: Context, s: SectionLayout) -> list[d.Section]:
    drawn = registers_report.part3_sections(ctx.plan, ctx.period.code, audience=ctx.audience)
    blocks = [*ctx.narrative(s), *drawn]
    return [section(s, blocks)] if blocks else []


def scrutiny(ctx: Context, s: SectionLayout) -> list[d.Section]:
    drawn = scrutiny_report.part3_sections(ctx.plan, ctx.period.code, audience=ctx.audience)
    blocks = [*ctx.narrative(s), *drawn]
    return [section(s, blocks)] if blocks else []


def grants_and_bids(ctx: Context, s: SectionLayout) -> list[d.Section]:
    """The grants awarded and the bids, where the record has some for the period: a paper that
    reports only these (seed 004 §13-20) says nothing of decisions or contracts, and nothing of
    grants or bids it does not report, so neither does its report."""
    drawn = registers_report.part3_sections(
        ctx.plan, ctx.period.code, audience=ctx.audience, only=("grants", "bids"), skip_empty=True
    )
    blocks = [*ctx.narrative(s), *drawn]
    return [section(s, blocks)] if blocks else []


def inspections(ctx: Context, s: SectionLayout) -> list[d.Section]:
    """The HMICFRS reports on the force of the year to the period's end (seed 004 §11-12)."""
    found = scrutiny_report.inspections_section(ctx.period.code)
    blocks = [*ctx.narrative(s), *(found.blocks if found else [])]
    return [section(s, blocks)] if blocks else []


def implications(ctx: Context, s: SectionLayout) -> list[d.Section]:
    """One implication section: the office's text if written, else what the record gives (the
    risks still high after controls; the year's forecast), else "None." as the papers print."""
    blocks = ctx.text.get(N.IMPLICATIONS, None, s.implication)
    if not blocks and s.implication == "risk":
        found = risk_implications(ctx.plan, audience=ctx.audience)
        blocks = [d.Paragraph.of(found["words"])]
    if not blocks and s.implication == "financial" and ctx.finance and ctx.finance["total"]:
        t, f = ctx.finance["total"], ctx.finance
        blocks = [
            d.Paragraph.of(
                f"The {f['financial_year']} forecast at {t['quarter']} is {t['variance_words']}"
                f" against a budget of {t['budget_text']}."
            )
        ]
    return [section(s, blocks or [d.Paragraph.of("None.")])]
