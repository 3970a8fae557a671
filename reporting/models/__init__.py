"""Quarterly reporting: periods, and each agency's status update on each action."""

from .drafts import ReturnDraft
from .periods import ReportingPeriod
from .releases import ProactiveRelease
from .reminders import ReminderLog
from .reports import ProtectiveMarking, Report, Withholding
from .updates import StatusUpdate

__all__ = [
    "ProactiveRelease",
    "ProtectiveMarking",
    "ReminderLog",
    "Report",
    "ReportingPeriod",
    "ReturnDraft",
    "StatusUpdate",
    "Withholding",
]
