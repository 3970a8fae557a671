"""Asking a permission rule a yes-or-no question.

Each rule is one queryset method (``Report.objects.buildable_by(user)``). A rule about a kind of
thing rather than particular rows answers with every row or with ``.none()``; ``allows`` reads
that answer without a query, so a view or template asks the rule itself instead of restating it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet


def allows(rule: QuerySet) -> bool:
    """False when the rule refused outright (returned ``.none()``), else True."""
    return not rule.query.is_empty()


def require(rule: QuerySet, refusal: str) -> QuerySet:
    """``rule``, or ``PermissionDenied(refusal)`` when it refused outright: for pages about a
    kind of thing (the period list), where "not allowed" is a 403 rather than a 404."""
    if not allows(rule):
        raise PermissionDenied(refusal)
    return rule
