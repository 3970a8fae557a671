"""What each status means and how it is shown: the one table every page, chart, export and
stylesheet reads."""

from collections import Counter

from reporting.models import StatusUpdate

NO_RETURN = "none"


# Worst first: an action's status is the worst its agencies reported.
STATUS_SEVERITY = [
    StatusUpdate.Status.OFF_TRACK,
    StatusUpdate.Status.AT_RISK,
    StatusUpdate.Status.ON_HOLD,
    StatusUpdate.Status.NOT_STARTED,
    StatusUpdate.Status.ON_TRACK,
    StatusUpdate.Status.COMPLETE,
    StatusUpdate.Status.DISCONTINUED,
]


STATUS_LABELS = {**dict(StatusUpdate.Status.choices), NO_RETURN: "No return yet"}


# The order statuses are listed and stacked in: good news first, no return last.
STATUS_ORDER = [
    StatusUpdate.Status.COMPLETE,
    StatusUpdate.Status.ON_TRACK,
    StatusUpdate.Status.NOT_STARTED,
    StatusUpdate.Status.ON_HOLD,
    StatusUpdate.Status.AT_RISK,
    StatusUpdate.Status.OFF_TRACK,
    StatusUpdate.Status.DISCONTINUED,
    NO_RETURN,
]


REPORTED_STATES = (StatusUpdate.State.SUBMITTED, StatusUpdate.State.ACCEPTED)


EXCEPTION_STATUSES = (StatusUpdate.Status.AT_RISK, StatusUpdate.Status.OFF_TRACK)


FINISHED_STATUSES = (StatusUpdate.Status.COMPLETE, StatusUpdate.Status.DISCONTINUED)


_SEVERITY = [status.value for status in STATUS_SEVERITY]


def worst_status(statuses) -> str:
    present = set(statuses)
    return next((status for status in _SEVERITY if status in present), NO_RETURN)


def status_counts(statuses) -> list[dict]:
    """Every status in display order with how many of ``statuses`` have it."""
    counts = Counter(statuses)
    return [{"status": s, "label": STATUS_LABELS[s], "count": counts[s]} for s in STATUS_ORDER]
