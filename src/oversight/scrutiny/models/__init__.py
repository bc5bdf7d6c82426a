"""Scrutiny records: bodies and people, meetings and their minutes, agreed actions, ad-hoc A&A
requests, the work programme, and HMICFRS reports with their findings."""

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

__all__ = [
    "Action",
    "ActionKind",
    "ActionStatus",
    "ActionUpdate",
    "AdHocRequest",
    "AdHocStatus",
    "AgendaItem",
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
    "PublicQuestion",
    "ReportKind",
    "Resolution",
    "WorkProgrammeItem",
]
