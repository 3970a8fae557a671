"""Quarterly reporting: periods, and each agency's status update on each action."""

from .conversation import Comment
from .evidence import Evidence
from .periods import ReportingPeriod
from .reminders import ReminderLog
from .reports import ProtectiveMarking, Report, Withholding
from .updates import StatusUpdate

__all__ = [
    "Comment",
    "Evidence",
    "ProtectiveMarking",
    "ReminderLog",
    "Report",
    "ReportingPeriod",
    "StatusUpdate",
    "Withholding",
]
