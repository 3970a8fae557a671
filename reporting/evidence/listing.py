"""The evidence a report lists by name (never its content): what the returns it reports on,
and the readings they recorded, have attached. Added to a report's snapshot beside the data
``build_dashboard`` gathers, so a rebuilt report lists the same evidence."""

from django.db.models import Q
from django.utils.translation import gettext

from reporting.models import Evidence
from reporting.statuses import REPORTED_STATES


def evidence_listing(plan, period, *, public: bool) -> list[dict]:
    """Each piece of evidence on ``plan``'s reported returns for ``period`` and on their
    readings, by action and agency; none for the public version, whose readers may not have
    it (a file's name can say what its content is)."""
    if public:
        return []
    items = (
        Evidence.objects.filter(
            Q(update__action__plan=plan, update__period=period, update__state__in=REPORTED_STATES)
            | Q(reading__measure__action__plan=plan, reading__date=period.ends_on)
        )
        .select_related("update__action", "update__agency", "reading__measure__action")
        .select_related("reading__agency")
    )
    rows = []
    for item in items:
        if item.update_id:
            action, agency, about = item.update.action, item.update.agency, gettext("Return")
        else:
            action, agency = item.reading.measure.action, item.reading.agency
            about = gettext("Reading of %(indicator)s") % {
                "indicator": item.reading.measure.indicator
            }
        rows.append(
            {
                "sort_key": action.sort_key,
                "action": action.number,
                "agency": agency.short_name if agency else "",
                "about": about,
                "name": item.name,
                "kind": "file" if item.is_file else "link",
            }
        )
    rows.sort(key=lambda row: (row["sort_key"], row["agency"], row["about"], row["name"]))
    for row in rows:
        del row["sort_key"]
    return rows
