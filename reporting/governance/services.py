"""Changes to the governance records. Each checks the person against the same queryset rule the
pages use, names the version it was made from where a record has one, and leaves a history row
naming who made it."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from actions.models import Action
from core.rules import allows
from reporting.models import (
    ActionDependency,
    Decision,
    FollowUp,
    Meeting,
    Risk,
    StatusUpdate,
    Withholding,
)
from reporting.models.reports import ProtectiveMarking

RISK_FIELDS = (
    "title",
    "description",
    "cause",
    "consequence",
    "owner_agency",
    "likelihood",
    "consequence_rating",
    "treatment",
    "residual_likelihood",
    "residual_consequence",
    "review_on",
    "status",
    "withheld_under",
    "marking",
)
FOLLOW_UP_FIELDS = ("status", "notes", "due_on")


def _require(rule, message: str) -> None:
    """A rule about a kind of thing (every row or none)."""
    if not allows(rule):
        raise PermissionDenied(message)


def _require_row(rule, record, message: str) -> None:
    """A rule about rows: ``record`` must be among them."""
    if not rule.filter(pk=record.pk).exists():
        raise PermissionDenied(message)


def promotion_defaults(update: StatusUpdate) -> dict:
    """What a register entry raised from ``update`` starts with: its risks text as the
    description, its agency as owner, and its withholding of the risks, if any."""
    withheld = (
        Withholding.objects.filter(update=update, field__in=["risks", "update"])
        .order_by("pk")
        .first()
    )
    first_line = next((line.strip() for line in update.risks.splitlines() if line.strip()), "")
    return {
        "title": first_line[:200],
        "description": update.risks,
        "owner_agency": update.agency,
        "withheld_under": withheld.ground if withheld else "",
        "marking": withheld.marking if withheld else ProtectiveMarking.IN_CONFIDENCE,
        "review_on": update.period.due_on + datetime.timedelta(days=91),
    }


def promote_risk(update: StatusUpdate, data: dict, by) -> Risk:
    """Raise a return's risks on the register. The return's text stays as it is; the entry
    links back to it and to the return's action."""
    _require_row(
        StatusUpdate.objects.risks_promotable_by(by),
        update,
        "Only the secretariat and the return's agency leads can raise its risks on the register.",
    )
    with transaction.atomic():
        risk = Risk(plan=update.action.plan, source_update=update, created_by=by)
        for name in RISK_FIELDS:
            if name in data:
                setattr(risk, name, data[name])
        risk._history_user = by
        risk.full_clean()
        risk.save()
        risk.actions.add(update.action)
    return risk


def add_risk(plan, data: dict, actions, by) -> Risk:
    _require(Risk.objects.addable_by(by), "Only the secretariat adds entries to the register.")
    with transaction.atomic():
        risk = Risk(plan=plan, created_by=by, **{k: v for k, v in data.items() if k in RISK_FIELDS})
        risk._history_user = by
        risk.full_clean()
        risk.save()
        risk.actions.set(actions)
    return risk


def change_risk(risk: Risk, data: dict, actions, by, expected_version: int) -> Risk:
    """Rate, treat, review or close a risk, and set its linked actions. Raises
    ``StaleRecordError`` if someone changed it since ``expected_version``."""
    _require_row(
        Risk.objects.editable_by(by),
        risk,
        "Only the secretariat and the owner agency's leads can change this risk.",
    )
    with transaction.atomic():
        for name in RISK_FIELDS:
            if name in data:
                setattr(risk, name, data[name])
        risk.full_clean()
        risk.save_if_unchanged(expected_version, by)
        if actions is not None and set(risk.actions.all()) != set(actions):
            risk.actions.set(actions)
    return risk


def record_meeting(plan, data: dict, reports, by) -> Meeting:
    _require(Meeting.objects.manageable_by(by), "Only the secretariat records meetings.")
    with transaction.atomic():
        meeting = Meeting(plan=plan, created_by=by, **data)
        meeting._history_user = by
        meeting.full_clean()
        meeting.save()
        meeting.reports_tabled.set(reports)
    return meeting


def add_decision(meeting: Meeting, text: str, decided_on: datetime.date | None, by) -> Decision:
    _require(Meeting.objects.manageable_by(by), "Only the secretariat records decisions.")
    decision = Decision(meeting=meeting, text=text, decided_on=decided_on or meeting.held_on)
    decision._history_user = by
    decision.full_clean()
    decision.save()
    return decision


def add_follow_up(meeting: Meeting, data: dict, by) -> FollowUp:
    _require(Meeting.objects.manageable_by(by), "Only the secretariat records follow-ups.")
    follow_up = FollowUp(meeting=meeting, **data)
    if follow_up.decision_id and follow_up.decision.meeting_id != meeting.pk:
        raise ValidationError({"decision": _("Choose a decision of this meeting.")})
    if not follow_up.owner_agency_id and not follow_up.owner_user_id:
        raise ValidationError({"owner_agency": _("Choose the agency or person who owns it.")})
    follow_up._history_user = by
    follow_up.full_clean()
    follow_up.save()
    return follow_up


def change_follow_up(follow_up: FollowUp, data: dict, by, expected_version: int) -> FollowUp:
    """Move a follow-up on (status, notes, due date). Closing it ends its run as a matter
    arising."""
    _require_row(
        FollowUp.objects.updatable_by(by),
        follow_up,
        "Only the secretariat and the follow-up's owners can change it.",
    )
    for name in FOLLOW_UP_FIELDS:
        if name in data:
            setattr(follow_up, name, data[name])
    follow_up.full_clean()
    follow_up.save_if_unchanged(expected_version, by)
    return follow_up


def link_actions(action: Action, depends_on: Action, by, note: str = "") -> ActionDependency:
    """``action`` depends on ``depends_on``; refused (``ValidationError``) if that would form a
    loop."""
    _require(
        ActionDependency.objects.manageable_by(by),
        "Only the secretariat links actions.",
    )
    dependency = ActionDependency.link(action, depends_on, by=by, note=note)
    return dependency


def unlink_actions(dependency: ActionDependency, by) -> None:
    _require(ActionDependency.objects.manageable_by(by), "Only the secretariat links actions.")
    dependency._history_user = by
    dependency.delete()
