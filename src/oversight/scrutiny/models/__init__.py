"""Scrutiny records: bodies and people, meetings and their minutes, agreed actions, ad-hoc A&A
requests, the work programme, HMICFRS reports with their findings, and the statutory calendar's
records (the precept cycle, proposed appointments, the annual report, whom reminders go to)."""

from .agreed_actions import (
    Action,
    ActionKind,
    ActionStatus,
    ActionUpdate,
    AdHocRequest,
    AdHocStatus,
)
from .hmicfrs import (
    Finding,
    FindingKind,
    FindingStatus,
    FindingUpdate,
    InspectionReport,
    ReportKind,
)
from .meetings import (
    AgendaItem,
    Attendance,
    AttendanceKind,
    Declaration,
    Meeting,
    MeetingKind,
    MeetingStatus,
    PublicQuestion,
    Resolution,
    WorkProgrammeItem,
)
from .people import Body, BodyKind, MemberRole, Membership, Organisation, Person
from .statutory import (
    AnnualReport,
    AppointmentOutcome,
    PreceptCycle,
    PreceptDecision,
    ProposedAppointment,
    StatutoryContact,
)

__all__ = [
    "Action",
    "ActionKind",
    "ActionStatus",
    "ActionUpdate",
    "AdHocRequest",
    "AdHocStatus",
    "AgendaItem",
    "AnnualReport",
    "AppointmentOutcome",
    "Attendance",
    "AttendanceKind",
    "Body",
    "BodyKind",
    "Declaration",
    "Finding",
    "FindingKind",
    "FindingStatus",
    "FindingUpdate",
    "InspectionReport",
    "Meeting",
    "MeetingKind",
    "MeetingStatus",
    "MemberRole",
    "Membership",
    "Organisation",
    "Person",
    "PreceptCycle",
    "PreceptDecision",
    "ProposedAppointment",
    "PublicQuestion",
    "ReportKind",
    "StatutoryContact",
    "Resolution",
    "WorkProgrammeItem",
]
