"""Quarterly reporting: periods, and each agency's status update on each action."""

from .conversation import Comment
from .drafts import ReturnDraft
from .evidence import Evidence
from .periods import ReportingPeriod
from .releases import ProactiveRelease
from .reminders import ReminderLog
from .reports import ProtectiveMarking, Report, Withholding
from .updates import StatusUpdate

__all__ = [
    "Comment",
    "Evidence",
    "ProactiveRelease",
    "ProtectiveMarking",
    "ReminderLog",
    "Report",
    "ReportingPeriod",
    "ReturnDraft",
    "StatusUpdate",
    "Withholding",
]
