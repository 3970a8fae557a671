"""Quarterly reporting: periods, and each agency's status update on each action."""

from .periods import ReportingPeriod
from .reminders import ReminderLog
from .updates import StatusUpdate

__all__ = ["ReminderLog", "ReportingPeriod", "StatusUpdate"]
