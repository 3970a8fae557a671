"""What changed in the register since a moment (the start of the quarter): risks raised, closed,
reopened, and those whose level went up or down, from the register's history."""

import datetime

from django.utils.translation import gettext_lazy as _

from reporting.models import Risk
from reporting.models.risk_scale import LEVEL_ORDER, band_of

CHANGE_LABELS = {
    "new": _("Raised"),
    "up": _("Level went up"),
    "down": _("Level went down"),
    "closed": _("Closed"),
    "reopened": _("Reopened"),
}


def _level(likelihood: int, consequence: int):
    return band_of(likelihood * consequence).level


def changes_since(risks, since: datetime.datetime) -> list[dict]:
    """Each risk of ``risks`` that changed level or status since ``since``, with its level then
    and now; risks raised since then count as "new"."""
    current = list(risks)
    ids = [risk.pk for risk in current]
    before: dict[int, object] = {}
    rows = Risk.history.filter(id__in=ids, history_date__lte=since).order_by(
        "id", "-history_date", "-history_id"
    )
    for row in rows:
        before.setdefault(row.id, row)
    changes = []
    for risk in current:
        then = before.get(risk.pk)
        now_level = _level(risk.likelihood, risk.consequence_rating)
        entry = {
            "id": risk.pk,
            "reference": risk.reference,
            "title": risk.title,
            "level": now_level.value,
            "level_label": now_level.label,
            "before_level": "",
            "before_level_label": "",
        }
        if then is None or then.history_type == "-":
            kind = "new"
        else:
            then_level = _level(then.likelihood, then.consequence_rating)
            entry |= {"before_level": then_level.value, "before_level_label": then_level.label}
            if then.status != Risk.Status.CLOSED and risk.status == Risk.Status.CLOSED:
                kind = "closed"
            elif then.status == Risk.Status.CLOSED and risk.status != Risk.Status.CLOSED:
                kind = "reopened"
            elif then_level != now_level:
                higher = LEVEL_ORDER.index(now_level) < LEVEL_ORDER.index(then_level)
                kind = "up" if higher else "down"
            else:
                continue
        changes.append(entry | {"change": kind, "change_label": str(CHANGE_LABELS[kind])})
    return changes
