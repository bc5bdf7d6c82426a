"""The statutory calendar's date rules: plain date arithmetic, no Django. Each rule names its
source in law and how sure the project's research is of it (`Source.checked`).

The precept (Police Reform and Social Responsibility Act 2011, Schedule 5, and the Police and Crime
Panels (Precepts and Chief Constable Appointments) Regulations 2012, SI 2012/2271, Part 2). For the
precept of the financial year starting in April of year Y, the "relevant financial year" is the
one before, so every date falls in February and March of Y:

- the PCC notifies the Panel of the proposed precept by 1 February (reg. 3; Sch 5 para 2);
- the Panel reports on it by 8 February (reg. 4(1); Sch 5 para 3); a veto reported later lapses
  and the PCC may issue the proposed precept (reg. 4(2));
- after a veto, the PCC notifies a revised precept by 15 February (reg. 5), lower if the Panel
  found the proposal too high and higher if too low (reg. 5(3));
- the Panel reports on the revised precept by 22 February (reg. 6; the date as Panel guidance
  gives it), with no second veto;
- the precept is settled and notified to the billing authorities by 1 March (Panel guidance);
- the budget and precept are published before the financial year starts (Specified Information
  Order, SI 2011/3050, Schedule para 3(a)-(e)).

A veto needs "at least two-thirds of the persons who are members of the panel at the time when the
decision is made" (Sch 5 para 4(4)): of the members in office, not of those present or voting, so
an absent member or one who abstains counts against it; a vacant seat is not a member.

A confirmation hearing: the Panel reports on a proposed chief constable "within the period of three
weeks beginning with the day on which the panel receives the notification" (Sch 8 para 4(6)); the
day of notification is day 1, so the last day is notification + 20 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .periods import financial_year

REGULATIONS = "http://www.legislation.gov.uk/uksi/2012/2271/part/2/made"
SCHEDULE_5_PARA_4 = "https://legislation.gov.uk/ukpga/2011/13/schedule/5/paragraph/4/data.html"
PANEL_GUIDANCE = "http://www.hertspcp.org.uk/content/working-arrangements-police-and-crime-panel"
SCHEDULE_8_BILL = "https://publications.parliament.uk/pa/cm201011/cmbills/151/11151.124-130.html"
SCHEDULE_1 = "http://legislation.data.gov.uk/ukpga/2011/13/schedule/1/enacted"
SECTION_12 = "http://legislation.data.gov.uk/ukpga/2011/13/section/12/enacted/data.html"
SECTION_28 = (
    "http://www.legislation.gov.uk./ukpga/2011/13/part/1/chapter/4/crossheading/"
    "scrutiny-of-police-and-crime-commissioners"
)
SECTION_55 = "https://www.legislation.gov.uk/ukpga/2017/3/section/37/data.html"
SIO_TIMING = "https://publications.parliament.uk/pa/cm201314/cmselect/cmhaff/69/6908.htm"

CONFIRMATION_WEEKS = 3


class Checked(StrEnum):
    """How the research knows a rule, in its own tags (domain-research.md, "How to read this")."""

    LAW = "read in the law"  # [V]
    GUIDANCE = "from Panel guidance, not the law's own text"  # [V2]
    UNCHECKED = "not checked against the law"  # [U]


@dataclass(frozen=True)
class Source:
    citation: str
    url: str
    checked: Checked = Checked.LAW


class Holder(StrEnum):
    """Who must act: the PCC's office or the Police and Crime Panel."""

    PCC = "pcc"
    PANEL = "panel"

    @property
    def words(self) -> str:
        return {Holder.PCC: "the PCC's office", Holder.PANEL: "the Police and Crime Panel"}[self]


class State(StrEnum):
    """An item's state on the calendar, always shown in words beside any colour."""

    DONE = "done"
    DUE = "due"
    OVERDUE = "overdue"
    NOT_APPLICABLE = "not applicable"


def state_of(due: date, done_on: date | None, today: date, *, applies: bool = True) -> State:
    """Done once a date is recorded; otherwise due until the last day has passed, then overdue.
    The last day itself is still on time."""
    if not applies:
        return State.NOT_APPLICABLE
    if done_on is not None:
        return State.DONE
    return State.OVERDUE if today > due else State.DUE


# ---------------------------------------------------------------- the precept


class PreceptStep(StrEnum):
    PROPOSED = "proposed"
    PANEL_REPORT = "panel-report"
    REVISED = "revised"
    REVISED_REPORT = "revised-report"
    ISSUED = "issued"
    PUBLISHED = "published"


@dataclass(frozen=True)
class Step:
    step: PreceptStep
    title: str
    due: date
    holder: Holder
    source: Source
    after_veto: bool = False  # applies only when the Panel has vetoed the proposed precept


def precept_label(year: int) -> str:
    """ "2027/28" for the precept of the financial year starting in April 2027."""
    return financial_year(year).code


def precept_timetable(year: int) -> list[Step]:
    """The steps of the precept for the financial year starting in April of `year`, in order."""
    label = precept_label(year)
    return [
        Step(
            PreceptStep.PROPOSED,
            f"The PCC notifies the Panel of the proposed precept for {label}",
            date(year, 2, 1),
            Holder.PCC,
            Source("SI 2012/2271 reg. 3; PRSRA 2011 Sch 5 para 2", REGULATIONS),
        ),
        Step(
            PreceptStep.PANEL_REPORT,
            f"The Panel reports to the PCC on the proposed precept for {label} (support, "
            "recommendations or veto)",
            date(year, 2, 8),
            Holder.PANEL,
            Source("SI 2012/2271 reg. 4(1); PRSRA 2011 Sch 5 paras 3-4", REGULATIONS),
        ),
        Step(
            PreceptStep.REVISED,
            f"After a veto: the PCC notifies the Panel of a revised precept for {label}",
            date(year, 2, 15),
            Holder.PCC,
            Source("SI 2012/2271 reg. 5; PRSRA 2011 Sch 5 para 6(3)", REGULATIONS),
            after_veto=True,
        ),
        Step(
            PreceptStep.REVISED_REPORT,
            f"After a veto: the Panel reports on the revised precept for {label} (no second veto)",
            date(year, 2, 22),
            Holder.PANEL,
            Source(
                "SI 2012/2271 reg. 6; date as Panel guidance gives it",
                PANEL_GUIDANCE,
                Checked.GUIDANCE,
            ),
            after_veto=True,
        ),
        Step(
            PreceptStep.ISSUED,
            f"The precept for {label} is notified to the billing authorities",
            date(year, 3, 1),
            Holder.PCC,
            Source(
                "Panel working arrangements (Hertfordshire PCP)", PANEL_GUIDANCE, Checked.GUIDANCE
            ),
        ),
        Step(
            PreceptStep.PUBLISHED,
            f"The PCC publishes the budget and precept for {label} (Specified Information)",
            date(year, 3, 31),
            Holder.PCC,
            Source(
                "SI 2011/3050 Schedule para 3(a)-(e): before the start of each financial year",
                SIO_TIMING,
            ),
        ),
    ]


def veto_threshold(members_in_office: int) -> int:
    """The fewest votes that carry a veto: two-thirds of the members in office, rounded up
    (PRSRA 2011 Sch 5 para 4(4)). 10 members in office need 7 votes; 12 need 8."""
    if members_in_office < 1:
        raise ValueError("a Panel has at least one member in office")
    return -(-2 * members_in_office // 3)


def veto_problems(members_in_office: int | None, votes_for_veto: int | None) -> list[str]:
    """What is wrong with a recorded vote (empty when it can be read)."""
    out = []
    if members_in_office is None or votes_for_veto is None:
        return ["record both the members of the Panel in office and the votes for a veto"]
    if members_in_office < 1:
        out.append("the members in office must be at least 1")
    if votes_for_veto < 0:
        out.append("the votes for a veto cannot be negative")
    if members_in_office >= 1 and votes_for_veto > members_in_office:
        out.append(
            f"{votes_for_veto} votes for a veto is more than the {members_in_office} members in office"
        )
    return out


def veto_carries(members_in_office: int, votes_for_veto: int) -> bool:
    """Whether a vote vetoes the precept: at least two-thirds of the members then in office."""
    problems = veto_problems(members_in_office, votes_for_veto)
    if problems:
        raise ValueError("; ".join(problems))
    return votes_for_veto >= veto_threshold(members_in_office)


def veto_lapsed(panel_report_on: date | None, year: int) -> bool:
    """A veto reported after 8 February lapses: the PCC may issue the proposed precept
    (SI 2012/2271 reg. 4(2))."""
    return panel_report_on is not None and panel_report_on > date(year, 2, 8)


# ---------------------------------------------------------------- confirmation hearings


class Post(StrEnum):
    CHIEF_CONSTABLE = "chief-constable"
    DEPUTY_PCC = "deputy-pcc"
    CHIEF_EXECUTIVE = "chief-executive"
    CHIEF_FINANCE_OFFICER = "chief-finance-officer"

    @property
    def words(self) -> str:
        return {
            Post.CHIEF_CONSTABLE: "Chief Constable",
            Post.DEPUTY_PCC: "Deputy Police and Crime Commissioner",
            Post.CHIEF_EXECUTIVE: "Chief Executive of the PCC's office",
            Post.CHIEF_FINANCE_OFFICER: "Chief Finance Officer of the PCC's office",
        }[self]


def confirmation_source(post: Post) -> Source:
    if post is Post.CHIEF_CONSTABLE:
        return Source("PRSRA 2011 Sch 8 para 4(6) (Bill text)", SCHEDULE_8_BILL)
    # The research records that panels review these appointments but did not read the paragraph:
    # the same three weeks is assumed, and the calendar says so.
    return Source(
        "PRSRA 2011 Sch 1 (senior appointments); three weeks as for a chief constable",
        SCHEDULE_1,
        Checked.UNCHECKED,
    )


def confirmation_report_due(notified: date) -> date:
    """The last day for the Panel's report: three weeks beginning with the day of notification,
    that day being day 1 (so notification + 20 days). The Act also leaves out any post-election
    period, which the office records by entering the day the clock restarted."""
    return notified + timedelta(days=7 * CONFIRMATION_WEEKS - 1)


# ---------------------------------------------------------------- the annual report

ANNUAL_REPORT_SOURCE = Source(
    "PRSRA 2011 s.12 (report to the Panel as soon as practicable; present it at a public meeting)",
    SECTION_12,
)
ANNUAL_MEETING_SOURCE = Source(
    "PRSRA 2011 s.28(4) (public meeting on the annual report)", SECTION_28
)


def annual_report_expected(year: int) -> date:
    """No date in law ("as soon as practicable" after 31 March): panels receive the report between
    June and September in practice (research §1.3), so the calendar shows 30 September after the
    year ends as the latest expected day, and says so."""
    return date(year + 1, 9, 30)


# ---------------------------------------------------------------- HMICFRS

S55_SOURCE = Source(
    "Police Act 1996 s.55(5A), inserted by Policing and Crime Act 2017 s.37", SECTION_55
)
