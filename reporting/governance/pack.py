"""The governance part of a report's snapshot: the top risks and the heat map, what changed in
the register since the quarter began, the latest meeting's decisions, the matters arising, and
the actions that depend on an off-track action. JSON-ready, like the rest of the snapshot, so a
pack prints what was true when it was built.

The snapshot calls ``governance_pack`` and keeps its answer under ``"governance"``; the SIB and
steering templates include ``pdf/_governance_*.html``, which read it. ``public`` prints withheld
risk text, and the withheld titles of actions in dependencies (``reporting.progress.redaction``),
as its Official Information Act placeholder, so a public snapshot never holds it.
"""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from reporting.models import Decision, FollowUp, Meeting, Risk
from reporting.models.reports import ProtectiveMarking, withheld_placeholder
from reporting.progress.redaction import Redaction

from .changes import changes_since
from .dependencies import dependent_count, on_off_track
from .heatmap import heat_map_grid

TOP_RISKS = 5
RISK_TEXT = ("title", "description", "treatment")


def _risk_item(risk: Risk, *, public: bool, today: datetime.date) -> dict:
    texts = {name: getattr(risk, name) for name in RISK_TEXT}
    if risk.withheld_under and public:
        texts = dict.fromkeys(RISK_TEXT, withheld_placeholder(risk.withheld_under))
    band, residual = risk.band, risk.residual_band
    return {
        "id": risk.pk,
        "reference": risk.reference,
        **texts,
        "owner": risk.owner_agency.short_name,
        "likelihood": risk.likelihood,
        "likelihood_word": risk.likelihood_word,
        "consequence": risk.consequence_rating,
        "consequence_word": risk.consequence_word,
        "rating": risk.rating,
        "level": band.level.value,
        "level_label": band.level.label,
        "residual_rating": risk.residual_rating,
        "residual_level_label": residual.level.label,
        "status_label": risk.get_status_display(),
        "review_on": risk.review_on.isoformat(),
        "review_overdue": risk.review_is_overdue(today),
        "withheld_under": risk.withheld_under,
    }


def _follow_up_item(follow_up: FollowUp, today: datetime.date) -> dict:
    return {
        "id": follow_up.pk,
        "what": follow_up.what,
        "owner": follow_up.owner_label,
        "due_on": follow_up.due_on.isoformat(),
        "overdue": follow_up.is_overdue(today),
        "status_label": follow_up.get_status_display(),
        "notes": follow_up.notes,
        "meeting": str(follow_up.meeting),
    }


def governance_pack(plan, period, *, user, public: bool = False, as_at=None) -> dict:
    """``plan``'s governance records as at ``as_at`` (now), for a pack of ``period``. ``user`` is
    whose view of the actions' statuses the dependency count takes (a report's requester)."""
    as_at = as_at or timezone.now()
    today = timezone.localdate(as_at)
    since = datetime.datetime.combine(
        period.starts_on, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    risks = list(Risk.objects.for_plan(plan).highest_first().select_related("owner_agency"))
    live = [risk for risk in risks if risk.status != Risk.Status.CLOSED]
    shown = live[:TOP_RISKS]
    # Full (non-public) packs print the risks' text and so carry their markings.
    markings = [] if public else [r.marking for r in shown if r.withheld_under]
    latest = Meeting.objects.filter(plan=plan, held_on__lte=today).first()
    decisions = []
    if latest is not None:
        decisions = [
            {"text": d.text, "decided_on": d.decided_on.isoformat()}
            for d in Decision.objects.filter(meeting=latest)
        ]
    arising = (
        FollowUp.objects.still_open()
        .filter(meeting__plan=plan, meeting__held_on__lte=today)
        .select_related("owner_agency", "owner_user", "meeting")
        .order_by("due_on", "pk")
    )
    dependencies = on_off_track(plan, user=user or AnonymousUser(), period=period)
    # An action's withheld title is withheld here too, on either side of a dependency.
    titles = Redaction.of_action_ids(
        {row[side] for row in dependencies for side in ("action_id", "depends_on_id")},
        public=public,
    )
    for row in dependencies:
        for side in ("action", "depends_on"):
            row[f"{side}_title"], row[f"{side}_title_withheld"] = titles.action_text(
                row[f"{side}_id"], "title", row[f"{side}_title"]
            )
    markings += sorted(titles.markings_shown)
    changes = changes_since(risks, since)
    if public:
        withheld = {r.pk: r.withheld_under for r in risks if r.withheld_under}
        for change in changes:
            if change["id"] in withheld:
                change["title"] = withheld_placeholder(withheld[change["id"]])
                change["title_withheld"] = withheld[change["id"]]
    return {
        "as_at": as_at.isoformat(),
        "risks": {
            "top": [_risk_item(r, public=public, today=today) for r in shown],
            "live_count": len(live),
            "overdue_reviews": sum(r.review_is_overdue(today) for r in live),
            "heat_map": heat_map_grid(
                (r.likelihood, r.consequence_rating, r.reference) for r in live
            ),
            "since": period.starts_on.isoformat(),
            "changes": changes,
        },
        "latest_meeting": (
            {"title": str(latest), "held_on": latest.held_on.isoformat(), "decisions": decisions}
            if latest
            else None
        ),
        "matters_arising": [_follow_up_item(f, today) for f in arising],
        "dependencies": {"on_off_track": dependencies, "count": dependent_count(dependencies)},
        "contents_marking": ProtectiveMarking.highest(*markings) if markings else "",
    }
