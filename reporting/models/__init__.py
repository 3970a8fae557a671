"""Quarterly reporting: periods, and each agency's status update on each action."""

from .periods import ReportingPeriod
from .updates import StatusUpdate

__all__ = ["ReportingPeriod", "StatusUpdate"]
