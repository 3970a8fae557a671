"""Quarterly reporting: periods, and each agency's status update on each action."""

from .conversation import Comment
from .drafts import ReturnDraft
from .evidence import Evidence
from .governance import ActionDependency, Decision, FollowUp, Meeting, Risk
from .periods import ReportingPeriod
from .releases import ProactiveRelease
from .reminders import ReminderLog
from .reports import ProtectiveMarking, Report, Withholding
from .updates import StatusUpdate

__all__ = [
    "ActionDependency",
    "Comment",
    "Decision",
    "Evidence",
    "FollowUp",
    "Meeting",
    "ProactiveRelease",
    "ProtectiveMarking",
    "ReminderLog",
    "Report",
    "ReportingPeriod",
    "ReturnDraft",
    "Risk",
    "StatusUpdate",
    "Withholding",
]
