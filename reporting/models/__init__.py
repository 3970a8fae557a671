"""Quarterly reporting: periods, and each agency's status update on each action."""

from .governance import ActionDependency, Decision, FollowUp, Meeting, Risk
from .periods import ReportingPeriod
from .reminders import ReminderLog
from .reports import ProtectiveMarking, Report, Withholding
from .updates import StatusUpdate

__all__ = [
    "ActionDependency",
    "Decision",
    "FollowUp",
    "Meeting",
    "ProtectiveMarking",
    "ReminderLog",
    "Report",
    "ReportingPeriod",
    "Risk",
    "StatusUpdate",
    "Withholding",
]
