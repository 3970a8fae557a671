"""What each status means and how it is shown: the one table every page, chart, export and
stylesheet reads.

``STATUSES`` has one entry per ``StatusUpdate.Status`` value, one for ``NO_RETURN`` (a line
nobody responsible for it has reported on yet) and one for ``PARTLY_REPORTED`` (an action
whose reported lines are all finished while others have no return).

The status rule lives here too, for every page, report, export and the API:

- ``line_status``: a reportable line's status for a period is the worst of its responsible
  agencies' counted (submitted or accepted) returns, or ``NO_RETURN``. Supporting agencies'
  returns never change it.
- ``action_status``: an action with sub-actions or strands rolls up from its lines: the worst
  of their statuses; it is ``Complete`` only when every line is complete or discontinued.
- ``line_percent`` and ``action_percent``: per cent complete rolls up the same way (see each).

To add a status, add its choice to the model (and a
migration) and its entry here, then run ``python manage.py write_status_css``; a test fails
until all three agree.
"""

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from reporting.models import StatusUpdate

NO_RETURN = "none"

PARTLY_REPORTED = "partly_reported"


INK = "#1f2933"  # dark text, drawn on the light chart fills


WHITE = "#ffffff"


@dataclass(frozen=True)
class Status:
    value: str
    label: str
    severity: int  # lower is worse: an action's status is the worst its agencies reported
    order: int  # where it is listed and stacked: good news first, no return last
    is_exception: bool  # reported to ministers as an exception
    is_finished: bool  # no further work is expected, so it can't be past its end date
    chart_fill: str
    chart_ink: str  # text drawn on the fill
    chart_pattern: str  # "", "diagonal", "crosshatch", "dots", "horizontal": reads in greyscale
    chart_pattern_ink: str
    word_shading: str  # the status cell's shading in the Word status table; "" for none
    text_colour: str  # the word and its mark on pages and in PDFs (WCAG AA on white)
    print_mark: str  # the shape printed before the word in PDFs

    @property
    def css_class(self) -> str:
        return f"status--{self.value}"


_S = StatusUpdate.Status


# Columns: value, label, severity, order, is_exception, is_finished,
#          chart fill, chart ink, chart pattern, pattern ink, Word shading, text colour, PDF mark.
STATUSES: dict[str, Status] = {
    entry.value: entry
    for entry in (
        Status(_S.COMPLETE, _S.COMPLETE.label, 6, 0, False, True,
               "#0b3b60", WHITE, "", INK, "D6E4F0", "#1d6b35", "✔"),
        Status(_S.ON_TRACK, _S.ON_TRACK.label, 5, 1, False, False,
               "#3a8d4f", WHITE, "", INK, "DCEFE0", "#1d6b35", "●"),
        Status(_S.NOT_STARTED, _S.NOT_STARTED.label, 4, 2, False, False,
               "#c9d1d9", INK, "", INK, "", "#4a5561", "○"),
        Status(_S.ON_HOLD, _S.ON_HOLD.label, 3, 3, False, False,
               "#b9a7d6", INK, "dots", "#3d2b63", "E9E3F3", "#8a4b00", "●"),
        Status(_S.AT_RISK, _S.AT_RISK.label, 2, 4, True, False,
               "#f0b429", INK, "diagonal", "#5c3200", "FCEBC4", "#8a4b00", "▲"),
        Status(_S.OFF_TRACK, _S.OFF_TRACK.label, 1, 5, True, False,
               "#a4161a", WHITE, "crosshatch", WHITE, "F6D5D6", "#a4161a", "✖"),
        Status(_S.DISCONTINUED, _S.DISCONTINUED.label, 7, 6, False, True,
               "#4a5561", WHITE, "horizontal", WHITE, "", "#a4161a", "●"),
        Status(PARTLY_REPORTED, gettext_noop("Partly reported"), 98, 7, False, False,
               "#e4e7eb", INK, "horizontal", "#4a5561", "", "#4a5561", "◐"),
        Status(NO_RETURN, gettext_noop("No return yet"), 99, 8, False, False,
               WHITE, INK, "dots", "#8a949e", "", "#4a5561", "○"),
    )
}  # fmt: skip


REPORTED_STATES = (StatusUpdate.State.SUBMITTED, StatusUpdate.State.ACCEPTED)


STATUS_LABELS = {value: entry.label for value, entry in STATUSES.items()}


# The choices a line's or action's status can take (the API documents them).
PROGRESS_STATUS_CHOICES = [(str(value), label) for value, label in STATUS_LABELS.items()]


STATUS_ORDER = [entry.value for entry in sorted(STATUSES.values(), key=lambda s: s.order)]


EXCEPTION_STATUSES = tuple(value for value, entry in STATUSES.items() if entry.is_exception)


FINISHED_STATUSES = tuple(value for value, entry in STATUSES.items() if entry.is_finished)


_REPORTED_BY_SEVERITY = [
    entry.value
    for entry in sorted(STATUSES.values(), key=lambda s: s.severity)
    if entry.value not in (NO_RETURN, PARTLY_REPORTED)
]


def worst_status(statuses) -> str:
    """The worst reported status of ``statuses`` by severity; ``NO_RETURN`` when none is."""
    present = set(statuses)
    return next((status for status in _REPORTED_BY_SEVERITY if status in present), NO_RETURN)


def line_status(responsible_statuses) -> str:
    """A reportable line's status: the worst of its responsible agencies' counted returns'
    statuses (pass only those), ``NO_RETURN`` when there are none."""
    return worst_status(responsible_statuses)


def action_status(line_statuses: list[str]) -> str:
    """An action's status from its lines' (``line_status`` of each): the worst reported one;
    ``NO_RETURN`` when no line has a return; and, since a line without a return may be
    anything, ``PARTLY_REPORTED`` rather than a finished status while a line has none."""
    worst = worst_status(line_statuses)
    if worst in FINISHED_STATUSES and NO_RETURN in line_statuses:
        return PARTLY_REPORTED
    return worst


def line_percent(responsible_percents) -> int | None:
    """A line's per cent complete: the lowest its responsible agencies' counted returns give
    (None when none gives one), as its status is the worst of theirs."""
    given = [p for p in responsible_percents if p is not None]
    return min(given) if given else None


def action_percent(lines: list[tuple[str, int | None]]) -> int | None:
    """An action's per cent complete from its lines' (status, per cent): the mean, rounded,
    where a line with no return or no per cent counts as 0, and discontinued lines are left
    out (no more work is expected of them); None when every line is discontinued. It never
    claims more than the lines report."""
    counted = [percent or 0 for status, percent in lines if status != _S.DISCONTINUED]
    return round(sum(counted) / len(counted)) if counted else None


# The statuses a line can have (``PARTLY_REPORTED`` is an action's, rolled up from lines).
LINE_STATUS_ORDER = [s for s in STATUS_ORDER if s != PARTLY_REPORTED]


def status_counts(statuses, *, order=STATUS_ORDER) -> list[dict]:
    """Every status of ``order`` (display order) with how many of ``statuses`` have it."""
    counts = Counter(statuses)
    return [{"status": s, "label": STATUS_LABELS[s], "count": counts[s]} for s in order]
