"""The Panel's quarterly performance report, composed once from the record in the sections a
report layout chooses (reports/layouts.py). The default, seed 002's, is the Police & Crime Plan
Activity and Performance Monitoring Report: Purpose; Background; Format of the report; Part 1 (one
narrative per objective); Part 2 (RAG key, headline summary, performance table); Part 3
(activity); Recommendations; Appendix A (objectives); Appendix B (the measures table). Seed 002's
sections are built here; the committee papers' sections (seed 003, 004) in reports/sources.py."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from oversight.lib import document as d
from oversight.lib import rag as lr
from oversight.lib.audience import Audience
from oversight.lib.markdown import paragraph_count
from oversight.lib.numbers import format_derived, format_value
from oversight.lib.periods import parse_period
from oversight.opendata import report as opendata_report
from oversight.plans import report as plans_report
from oversight.plans.assessment import MeasureStatus, compared_words, survey_of
from oversight.plans.models import Plan, Section
from oversight.plans.statistics import significance_of_headlines
from oversight.registers import report as registers_report
from oversight.scrutiny import report as scrutiny_report

from . import layouts, sources
from .layouts import SectionLayout
from .sources import NO_UPDATE, Context, section

RAG_STATUS = {lr.Rag.GREEN: d.Status.GREEN, lr.Rag.AMBER: d.Status.AMBER, lr.Rag.RED: d.Status.RED}
RAG_KEY = [
    (d.Status.GREEN, "Green", "the target / outcome is at or above the expected position"),
    (
        d.Status.AMBER,
        "Amber",
        "the target / outcome is marginally below the expected position "
        "(worse than target, but within the measure's tolerance)",
    ),
    (
        d.Status.RED,
        "Red",
        "the target / outcome is below the expected position (worse than target "
        "by more than the tolerance)",
    ),
    (
        d.Status.NONE,
        "No status",
        "a baseline year, a measure monitored without a comparator, or data not yet available",
    ),
]


def compose_report(
    plan: Plan, period_code: str, *, audience: Audience, layout: str | None = None
) -> d.Document:
    """The report for a period as `audience` may read it, in the named layout (None: the plan's
    own, `plan.report_layout`): the public's has published figures and text only, the Panel's what
    was released to it, the staff's everything (drafts included). An unknown or bad layout raises
    LayoutError listing every problem, before anything is read from the record."""
    chosen = layouts.load(layout or plan.report_layout)
    period = parse_period(period_code)
    ctx = Context(plan, period, audience, list(plan.objectives.all()))
    doc = d.Document(
        title=ctx.fill(chosen.title),
        subtitle=ctx.fill(chosen.subtitle),
        organisation=ctx.fill(chosen.organisation),
        date_line=ctx.fill(chosen.date_line),
        footnotes_title=chosen.footnotes_title,
    )
    numbered: list[d.Section] = []
    for s in chosen.sections:
        made = BUILDERS[s.draws](ctx, s, doc)
        for made_section in made:
            doc.add(made_section)
        if s.numbered:
            numbered += made
    if chosen.paragraph_numbering == "consecutive":
        number_paragraphs(numbered)
    return doc


def number_paragraphs(sections: list[d.Section]) -> None:
    """Number the paragraphs of these sections 1, 2, 3 … in reading order, across sections and
    into their sub-sections, as seeds 003 and 004 do: each plain paragraph, and each top-level
    paragraph of the office's Markdown; lists, tables and charts run on under the last number."""
    n = 0

    def walk(blocks: list[d.Block]) -> None:
        nonlocal n
        for b in blocks:
            if isinstance(b, d.Section):
                walk(b.blocks)
            elif isinstance(b, d.Paragraph) and b.style in ("", "lead"):
                n += 1
                b.number = str(n)
            elif isinstance(b, d.Markdown):
                count = paragraph_count(b.source)
                b.numbers = [str(n + i) for i in range(1, count + 1)]
                n += count

    walk(list(sections))


# ---------------------------------------------------------------- seed 002's sections


def _purpose(ctx: Context, s: SectionLayout, doc: d.Document) -> list[d.Section]:
    plan, period = ctx.plan, ctx.period
    return [
        section(s, []).add(
            *ctx.text.get(Section.PURPOSE)
            or [
                d.Paragraph.of(
                    f"The purpose of this report is to provide members of the panel with an update on progress "
                    f"in delivering the {plan.title} ({plan.starts:%-d %B %Y} – {plan.ends:%-d %B %Y}), including "
                    f"a performance report on the success measures in the plan and a brief outline of other key "
                    f"commissioner activity. It covers the period {period.start:%-d %B %Y} – {period.end:%-d %B %Y}."
                )
            ]
        )
    ]


def _background(ctx: Context, s: SectionLayout, doc: d.Document) -> list[d.Section]:
    plan = ctx.plan
    return [
        section(s, []).add(
            *ctx.text.get(Section.BACKGROUND)
            or [
                d.Paragraph.of(
                    f"The {plan.title} came into effect on {plan.starts:%-d %B %Y} and sets out the objectives of "
                    f"the Police and Crime Commissioner for policing and community safety across {plan.force}. "
                    f"The plan contains {len(ctx.objectives)} objectives and {plan.measures.count()} success measures."
                )
            ]
        )
    ]


def _format(ctx: Context, s: SectionLayout, doc: d.Document) -> list[d.Section]:
    return [
        section(s, []).add(
            *ctx.text.get(Section.FORMAT)
            or [
                d.Paragraph.of("This report is presented in three sections as follows:"),
                d.BulletList(
                    [
                        [
                            "Part 1 – an update on progress for each of the objectives listed in the plan."
                        ],
                        [
                            f"Part 2 – a {ctx.period.code} performance monitoring report for the performance measures "
                            "set out in the plan."
                        ],
                        [
                            "Part 3 – a brief outline of the PCC's key activity not captured in parts 1 or 2."
                        ],
                    ]
                ),
            ]
        )
    ]


def _objective_updates(ctx: Context, s: SectionLayout, doc: d.Document) -> list[d.Section]:
    part1 = section(s, [])
    part1.add(*ctx.text.get(Section.PART1_INTRO))
    for o in ctx.objectives:
        blocks = ctx.text.get(Section.OBJECTIVE, o.code) or [
            d.Paragraph([d.Text(NO_UPDATE, italic=True)])
        ]
        heading = s.objective_heading.replace("{code}", o.code).replace("{title}", o.title)
        part1.add(d.Section(heading, blocks=list(blocks)))
    return [part1]


def _measures(ctx: Context, s: SectionLayout, doc: d.Document) -> list[d.Section]:
    plan, period, audience, text = ctx.plan, ctx.period, ctx.audience, ctx.text
    all_statuses = ctx.statuses
    part2 = section(s, [])
    part2.add(
        *text.get(Section.PART2_INTRO)
        or [
            d.Paragraph.of(
                "Each measure in the plan has an agreed target or outcome; headline measures are the key "
                "measures by which the Chief Constable is held to account. The measures are shown in full in "
                "Appendix B with the latest performance data. A RAG rating is applied to each measure by the "
                "rules set out in the methodology, as follows:"
            )
        ]
    )
    part2.add(_rag_key())
    part2.add(
        d.Paragraph(
            [
                d.Text("Headline measures – ", bold=True),
                headline_summary(all_statuses, period, significance_of_headlines(all_statuses)),
            ]
        )
    )
    # The office's own words on the headline measures follow the count by the rules; the claims
    # check (plans.claims) warns the editor where the two disagree.
    part2.add(*text.get(Section.HEADLINE_MEASURES))
    other = text.get(Section.OTHER_MEASURES)
    if other:
        part2.add(d.Paragraph([d.Text("Other measures – ", bold=True)]), *other)
    missing = [
        st
        for st in all_statuses
        if not st.has_data and st.measure.target_kind != lr.TargetKind.BASELINE
    ]
    if missing:
        part2.add(
            d.Paragraph.of(
                f"Data for {len(missing)} of {len(all_statuses)} measures is not available for this "
                "report; it will be provided to the panel when available."
            )
        )
    overrides = [st for st in all_statuses if st.overridden and st.rag != st.rag_computed]
    if overrides:
        part2.add(
            d.Paragraph.of(
                f"{len(overrides)} published status{'es differ' if len(overrides) > 1 else ' differs'} "
                "from the status the rules give; Appendix B shows both, with the reason."
            )
        )
    part2.add(*plans_report.part2_sections(plan, period.code, audience=audience))
    part2.add(*opendata_report.part2_sections(plan, period.code, audience=audience))
    return [part2]


def _activity(ctx: Context, s: SectionLayout, doc: d.Document) -> list[d.Section]:
    plan, period, audience = ctx.plan, ctx.period, ctx.audience
    part3 = section(s, [])
    part3.add(
        d.Paragraph.of(
            "The following provides a brief outline of key PCC activity not captured in parts 1 or 2 "
            "of this report, but which will be of interest to the panel."
        )
    )
    for n in ctx.text.activities():
        part3.add(d.Section(n.title, blocks=[d.Markdown(n.body)]))
    part3.add(*registers_report.part3_sections(plan, period.code, audience=audience))
    part3.add(*scrutiny_report.part3_sections(plan, period.code, audience=audience))
    return [part3]


def _recommendations(ctx: Context, s: SectionLayout, doc: d.Document) -> list[d.Section]:
    return [
        section(s, []).add(
            *ctx.text.get(Section.RECOMMENDATIONS)
            or [d.Paragraph.of("Members of the Panel are invited to consider the report.")]
        )
    ]


def _objective_list(ctx: Context, s: SectionLayout, doc: d.Document) -> list[d.Section]:
    return [
        section(s, []).add(
            # The objectives keep the plan's own numbers, so the list prints no marker of its own.
            d.BulletList([[f"{o.code}. {o.title}"] for o in ctx.objectives], plain=True)
        )
    ]


def _measures_table(ctx: Context, s: SectionLayout, doc: d.Document) -> list[d.Section]:
    notes: dict[int, list[str]] = defaultdict(list)
    pinned = scrutiny_report.actions_for_measures(ctx.plan, ctx.period.code, audience=ctx.audience)
    for measure_id, items in pinned.items():
        notes[measure_id].extend(str(i) for i in items)
    return [section(s, []).add(appendix_b(doc, ctx.statuses, ctx.period.code, notes))]


def _performance(ctx: Context, s: SectionLayout, doc: d.Document) -> list[d.Section]:
    """The office's words on performance, then the headline measures' count by the rules, when
    the plan has headline measures or the office wrote nothing: a paper whose plan has none
    (seed 003's) is not given a numbered sentence saying so that the paper never printed (nor is
    seed 004's, whose plan has no measures at all and whose office wrote its headlines)."""
    blocks = ctx.narrative(s)
    if not blocks or any(st.measure.headline and st.area.is_force_area for st in ctx.statuses):
        blocks.append(
            d.Paragraph.of(
                headline_summary(ctx.statuses, ctx.period, significance_of_headlines(ctx.statuses))
            )
        )
    return [section(s, blocks)]


Builder = Callable[[Context, SectionLayout, d.Document], list[d.Section]]


def _drawn(build: Callable[[Context, SectionLayout], list[d.Section]]) -> Builder:
    return lambda ctx, s, doc: build(ctx, s)


BUILDERS: dict[str, Builder] = {
    "purpose": _purpose,
    "background": _background,
    "format": _format,
    "objective_updates": _objective_updates,
    "measures": _measures,
    "activity": _activity,
    "recommendations": _recommendations,
    "objective_list": _objective_list,
    "measures_table": _measures_table,
    "performance": _performance,
    "narrative": _drawn(sources.narrative),
    "summary": _drawn(sources.summary),
    "delivery": _drawn(sources.delivery),
    "objectives": _drawn(sources.objectives),
    "finance": _drawn(sources.finance),
    "engagement": _drawn(sources.engagement),
    "registers": _drawn(sources.registers),
    "scrutiny": _drawn(sources.scrutiny),
    "grants_and_bids": _drawn(sources.grants_and_bids),
    "inspections": _drawn(sources.inspections),
    "implications": _drawn(sources.implications),
    "contacts": _drawn(sources.contacts),
}


def _rag_key() -> d.Table:
    return d.Table(
        caption="RAG key",
        header=["Status", "Meaning"],
        rows=[
            d.Row([d.Cell([d.Text(word)], status=status), d.Cell.of(meaning)])
            for status, word, meaning in RAG_KEY
        ],
        widths=[1, 5],
    )


def _measure_words(s: MeasureStatus) -> str:
    name = s.measure.name.rstrip("*").strip()
    return name[:1].lower() + name[1:] if name[:2] != name[:2].upper() else name


def headline_summary(
    all_statuses: list[MeasureStatus], period, worse: dict[int, bool | None] | None = None
) -> str:
    """The headline count in the seed's register: how many headline measures are on target by the
    rules, which are not, and each headline status published differently from the rules (an
    override), so the count never disagrees unexplained with the published colours. The report's
    Part 2 and the public home page both print this one sentence.

    `worse` (measure id → significantly worse than target?) lets it tell a measure that is off
    target from one that is significantly worse than target."""
    worse = worse or {}
    heads = [s for s in all_statuses if s.measure.headline and s.area.is_force_area]
    when = f"To the end of {period.end:%B %Y}"
    if not heads:
        return f"{when} the plan has no headline measures."
    the = f"the {len(heads)} headline measures" if len(heads) > 1 else "the headline measure"
    if not any(s.has_data for s in heads):
        return f"{when} there are no figures yet for this period for {the}."
    green = [s for s in heads if s.rag_computed is lr.Rag.GREEN]
    amber = [s for s in heads if s.rag_computed is lr.Rag.AMBER]
    red = [s for s in heads if s.rag_computed is lr.Rag.RED]
    no_figure = [s for s in heads if s.rag_computed is None and not s.has_data]
    no_status = [s for s in heads if s.rag_computed is None and s.has_data]

    def names(items: list[MeasureStatus]) -> str:
        words = [_measure_words(s) for s in items]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]

    def verb(items: list[MeasureStatus]) -> str:
        return "is" if len(items) == 1 else "are"

    exceptions = []

    def tested(items: list[MeasureStatus], words: str) -> None:
        sig = [s for s in items if worse.get(s.measure.pk) is True]
        not_sig = [s for s in items if worse.get(s.measure.pk) is False]
        untested = [s for s in items if worse.get(s.measure.pk) is None]
        if sig:
            exceptions.append(
                f"{names(sig)}, which {verb(sig)} {words} and significantly worse than target"
            )
        if not_sig:
            exceptions.append(
                f"{names(not_sig)}, which {verb(not_sig)} {words} but not significantly worse "
                "than target"
            )
        if untested:
            exceptions.append(f"{names(untested)}, which {verb(untested)} {words}")

    tested(amber, "just off target")
    tested(red, "off target")
    if no_status:
        exceptions.append(f"{names(no_status)}, for which the rules give no status")
    if no_figure:
        # Some figures are in: count those, and name the rest as having none yet.
        present = len(heads) - len(no_figure)
        count = f"{when}, {present} of the {len(heads)} headline measures " + (
            "has a figure" if present == 1 else "have figures"
        )
        if len(green) == present:
            count += f"; {'it is' if present == 1 else 'all of those are'} on target by the rules"
        elif green:
            count += (
                f"; {len(green)} of those {verb(green)} on target by the rules, except for "
                + "; and ".join(exceptions)
            )
        else:
            lead = "it is not" if present == 1 else "none of those is"
            count += f"; {lead} on target by the rules: " + "; ".join(exceptions)
        count += f". There is no figure yet for {names(no_figure)}."
    elif len(green) == len(heads):
        count = f"{when} {the} {'are all' if len(heads) > 1 else 'is'} on target by the rules."
    elif green:
        count = (
            f"{when} the headline measures are on target by the rules ({len(green)} of "
            f"{len(heads)}), except for " + "; and ".join(exceptions) + "."
        )
    elif amber or red:
        none = f"none of {the} is" if len(heads) > 1 else f"{the} is not"
        count = f"{when} {none} on target by the rules: " + "; ".join(exceptions) + "."
    else:
        count = (
            f"{when} no headline measure has a status by the rules: " + "; ".join(exceptions) + "."
        )
    return count + _published_differently(heads)


def _published_differently(heads: list[MeasureStatus]) -> str:
    """The sentence naming each headline status published differently from the rules ("1
    published status differs from the rules: …"), or nothing when none does."""
    differ = [s for s in heads if s.overridden and s.rag != s.rag_computed]
    if not differ:
        return ""

    def status(rag: lr.Rag | None) -> str:
        return f"as {rag.word}" if rag else "with no status"

    items = [
        f"{_measure_words(s)} is published {status(s.rag)}, where the rules give "
        f"{s.rag_computed.word if s.rag_computed else 'no status'} (reason: {s.rag_reason})"
        for s in differ
    ]
    verb = "es differ" if len(differ) > 1 else " differs"
    return f" {len(differ)} published status{verb} from the rules: " + "; ".join(items) + "."


def _figure(s: MeasureStatus, value, derived: bool = False) -> str:
    unit = s.measure.unit
    return format_derived(value, unit) if derived else format_value(value, unit)


def appendix_b(
    doc: d.Document, all_statuses: list[MeasureStatus], period: str, notes: dict[int, list[str]]
) -> d.Table:
    rows: list[d.Row] = []
    table = d.Table(
        caption=f"Appendix B – success measures, {period} (headline measures marked * and highlighted)",
        header=[
            "Objective",
            "Success measure",
            "Overall target / outcome",
            "Target (period)",
            "Actual",
            "Compared with",
            "RAG status / comment",
        ],
        rows=rows,
        widths=[2.0, 3.2, 2.0, 1.4, 1.8, 2.2, 2.9],
        # Printed in four columns: 200 measures in seven took WeasyPrint a third longer (it
        # lays out each cell and line, however short).
        print_columns=[
            # Plain: a headline measure is marked * and its row highlighted, a continued
            # objective says "cont."; bold and italic there repeated them at 400 boxes' cost.
            d.PrintColumn("Objective: success measure", (0, 1), 4.2, ": ", plain=True),
            d.PrintColumn("Target (period); overall target / outcome", (3, 2), 3.4, "; overall: "),
            d.PrintColumn("Actual; compared with", (4, 5), 4.0, "; "),
            d.PrintColumn("RAG status / comment", (6,), 2.9),
        ],
        summary="One row per success measure: its objective, the overall target, the target for "
        "this period, the actual figure (with the span its data cover where that differs from the "
        "period, and a survey's margin of error), what it is compared with (averages elsewhere and "
        "its rank), and the RAG status in words with any comment; a letter beside a status marks "
        "a note under the table giving the status the rules give.",
    )
    last_objective = None
    for s in all_statuses:
        m, o = s.measure, s.observation
        # The objective in full on its first row; on the rows after it a short "5 cont.", as the
        # seed paper prints where a group runs on to a new page: a row at the top of a page is
        # never left without its objective, and long groups may break across pages.
        objective_cell = (
            d.Cell.of(f"{m.objective.code}. {m.objective.title}")
            if m.objective_id != last_objective
            else d.Cell([d.Text(f"{m.objective.code} cont.", italic=True)])
        )
        last_objective = m.objective_id
        name: list[d.Inline] = [
            d.Text(
                m.name + ("*" if m.headline and not m.name.endswith("*") else ""), bold=m.headline
            )
        ]
        for note in m.footnotes:
            name.append(d.Text("", footnote=doc.footnote(note)))
        target_text = m.target.describe()
        period_target = ""
        if s.target is not None:
            derived = o is None or o.target is None
            period_target = _figure(
                s, s.target, derived=derived and m.target_kind != lr.TargetKind.MONITOR
            )
            if m.target_kind == lr.TargetKind.MONITOR and o and o.comparator_label:
                period_target += f" ({o.comparator_label})"
        elif o and o.comparator is not None:
            period_target = _figure(s, o.comparator) + (
                f" ({o.comparator_label})" if o.comparator_label else ""
            )
        actual = ""
        if o is not None:
            if o.value is not None:
                actual = _figure(s, o.value)
                if o.numerator is not None and o.denominator is not None:
                    actual += f" ({format_value(o.numerator, 'count')} of {format_value(o.denominator, 'count')})"
            elif o.status:
                actual = lr.MilestoneStatus(o.status).words.capitalize()
            if o.basis == "ytd" and o.value is not None:
                actual += " YTD"
        actual_cell = d.Cell.of(actual, align="right")
        compared = d.Cell.of("")
        if o is not None and o.period.code != s.period:
            actual_cell.content.append(f", {o.period.label}")
        if o is not None:
            if (judged := survey_of(o, s.target)) is not None:
                actual_cell.content.append(f" (±{judged.margin_points:.1f} points)")
                if judged.too_small:
                    actual_cell.content += [" ", d.Text("sample too small to judge", italic=True)]
            if o.data_span:
                actual_cell.content.append(f"; latest data: {o.data_span_words}")
                if o.stale:
                    actual_cell.content += [" ", d.Text("(stale)", bold=True)]
            compared = d.Cell.of(compared_words(o, m.unit))
        rows.append(
            d.Row(
                [
                    objective_cell,
                    d.Cell(name),
                    d.Cell.of(target_text),
                    d.Cell.of(period_target, align="right"),
                    actual_cell,
                    compared,
                    _status_cell(s, notes.get(m.pk, []), table),
                ],
                highlight=m.headline,
            )
        )
    return table


def _status_cell(s: MeasureStatus, notes: list[str], table: d.Table) -> d.Cell:
    """The published status in words; where it differs from the rules' status, a letter marks a
    note under the table giving the rules' status and the reason for the published one."""
    status = RAG_STATUS[s.rag] if s.rag is not None else None
    if s.rag is not None:
        word = d.Text(s.rag.word, bold=True)
    elif not s.has_data:
        word = d.Text("Data not available", italic=True)
    else:
        word = d.Text("No status", italic=True)
    if s.overridden and s.rag != s.rag_computed:
        computed = s.rag_computed.word if s.rag_computed else "no status"
        word.table_note = table.note(
            f"{s.measure.name.rstrip('*').strip()}: the rules give {computed} "
            f"({s.assessment.reason}). Reason for the published status: {s.rag_reason}."
        )
    content: list[d.Inline] = [word]
    o = s.observation
    if o is not None and o.comment:
        content.append(f" – {o.comment}")
    for note in notes:
        content.append(f" Panel question: {note}")
    return d.Cell(content, status=status)
