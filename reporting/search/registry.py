"""What search looks through: one ``SearchKind`` per kind of thing, registered once.

A kind says which rows a person may see (one of the model's own ``visible_to`` rules, so search
can't show what the pages wouldn't), which text fields are searched and shown, how the four filters
(plan, agency, status, period) narrow it, and what a result is called and links to. A kind that
has no answer for a filter drops out of the results while that filter is chosen (an action has no
period). Adding a searchable kind is one ``register(SearchKind(...))`` in ``kinds.py``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy

FILTERS = ("plan", "agency", "status", "period")
# Each filter as a word in a sentence: “they have no period to filter by”.
FILTER_WORDS = {
    "plan": gettext_lazy("plan"),
    "agency": gettext_lazy("agency"),
    "status": gettext_lazy("status"),
    "period": gettext_lazy("period"),
}

# (queryset, chosen value, user) → the narrowed queryset
Narrowing = Callable[[QuerySet, object, object], QuerySet]


def by(lookup: str) -> Narrowing:
    """The plainest narrowing: the chosen value (a plan, an agency, a period, a status) equals
    ``lookup``; ``distinct()`` because lookups through coordinations may repeat rows."""
    return lambda queryset, value, user: queryset.filter(**{lookup: value}).distinct()


@dataclass(frozen=True)
class SearchField:
    """A text field searched and, when it matches, shown highlighted under its label."""

    name: str
    label: str
    # Short text (a number, a title) is shown whole; long text as the fragments that match.
    whole: bool = False
    # Searched but not shown under the result (the plan's code, so "TSOC 13a" finds 13a).
    shown: bool = True


@dataclass(frozen=True)
class SearchKind:
    key: str
    label: str  # plural, as a heading: "Returns"
    visible: Callable[[object], QuerySet]  # user → the rows they may see
    fields: tuple[SearchField, ...]
    heading: Callable[[Model], str]
    url: Callable[[Model], str]
    filters: dict[str, Narrowing] = field(default_factory=dict)
    related: tuple[str, ...] = ()  # select_related for a page of results
    details: Callable[[Model], list[str]] = lambda obj: []  # "Police", "Q1 2026/27", …
    # (user, rows of one page) → {(pk, field name): note}, e.g. text withheld from release
    notes: Callable[[object, list[Model]], dict[tuple[int, str], str]] = lambda user, rows: {}


_KINDS: dict[str, SearchKind] = {}


def register(kind: SearchKind) -> SearchKind:
    unknown = set(kind.filters) - set(FILTERS)
    if unknown:
        raise ValueError(f"{kind.key}: no such filter {', '.join(sorted(unknown))}")
    _KINDS[kind.key] = kind
    return kind


def registered() -> list[SearchKind]:
    """Every kind, in the order results of equal weight are listed."""
    return list(_KINDS.values())
