"""The kinds of thing search looks through. Each starts from its model's own visibility rule.

To make another kind searchable (a return's comments, the risk register), register one more
``SearchKind`` here: its ``visible`` rule, its text fields, the filters it answers, its heading and
address (see ``registry.py``)."""

from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from actions.models import Action, SuccessMeasure
from reporting.models import Comment, Risk, StatusUpdate, Withholding
from reporting.progress.by_action import progress_by_action
from reporting.progress.redaction import withheld_text

from .registry import SearchField, SearchKind, by, register


def _status_is(actions, status, user):
    """Actions whose status by the status rule, in the quarter the dashboard shows, is
    ``status`` (as the API's ``progress``)."""
    progress = progress_by_action(list(actions.values_list("pk", flat=True)), user=user)
    return actions.filter(pk__in=[pk for pk, p in progress.items() if p and p["status"] == status])


def _withheld_notes(kind: str, user, rows) -> dict[tuple[int, str], str]:
    """For those who manage withholdings (the secretariat): which text shown is withheld from
    proactive release, on what ground and under what marking."""
    withholdings = Withholding.objects.manageable_by(user)
    if kind == "action":
        withholdings = withholdings.filter(action__in=rows)
    else:
        withholdings = withholdings.filter(update__in=rows)
    index = withheld_text(
        list(withholdings.values("field", "action_id", "update_id", "ground", "marking"))
    )
    return {
        (pk, field): gettext("%(marking)s: withheld from public release under s %(ground)s")
        % {"marking": item["marking"], "ground": item["ground"]}
        for (_, pk, field), item in index.items()
    }


def _action_number(action) -> str:
    return f"{action.plan.code} {action.number}"


ACTIONS = register(
    SearchKind(
        key="action",
        label=gettext_lazy("Actions"),
        visible=lambda user: Action.objects.visible_to(user),
        fields=(
            SearchField("plan__code", gettext_lazy("Plan"), whole=True, shown=False),
            SearchField("number", gettext_lazy("Number"), whole=True),
            SearchField("title", gettext_lazy("Title"), whole=True),
            SearchField("description", gettext_lazy("Description")),
        ),
        heading=lambda action: f"{_action_number(action)}: {action.title}",
        url=lambda action: action.get_absolute_url(),
        filters={
            "plan": by("plan"),
            "agency": by("coordinators__agency"),
            "status": _status_is,
        },
        related=("plan",),
        details=lambda action: [str(action.plan)],
        notes=lambda user, rows: _withheld_notes("action", user, rows),
    )
)

RETURNS = register(
    SearchKind(
        key="return",
        label=gettext_lazy("Returns"),
        visible=lambda user: StatusUpdate.objects.visible_to(user),
        fields=(
            SearchField("commentary", gettext_lazy("Progress commentary")),
            SearchField("risks", gettext_lazy("Risks and issues")),
            SearchField("next_steps", gettext_lazy("Next steps")),
        ),
        heading=lambda update: (
            gettext("%(agency)s’s return on %(action)s, %(period)s")
            % {
                "agency": update.agency,
                "action": _action_number(update.action),
                "period": update.period.label,
            }
        ),
        url=lambda update: reverse("reporting:update_detail", kwargs={"pk": update.pk}),
        filters={
            "plan": by("action__plan"),
            "agency": by("agency"),
            "status": by("status"),
            "period": by("period"),
        },
        related=("action__plan", "agency", "period"),
        details=lambda update: [
            update.get_status_display(),
            update.get_state_display(),
            update.action.title,
        ],
        notes=lambda user, rows: _withheld_notes("update", user, rows),
    )
)

SUCCESS_MEASURES = register(
    SearchKind(
        key="measure",
        label=gettext_lazy("Success measures"),
        visible=lambda user: SuccessMeasure.objects.filter(
            action__in=Action.objects.visible_to(user)
        ),
        fields=(
            SearchField("statement", gettext_lazy("What success looks like")),
            SearchField("indicator", gettext_lazy("Indicator"), whole=True),
        ),
        heading=lambda measure: (
            gettext("%(action)s: what success looks like")
            % {"action": _action_number(measure.action)}
        ),
        url=lambda measure: measure.action.get_absolute_url(),
        filters={
            "plan": by("action__plan"),
            "agency": by("action__coordinators__agency"),
        },
        related=("action__plan",),
        details=lambda measure: [measure.action.title],
    )
)

COMMENTS = register(
    SearchKind(
        key="comment",
        label=gettext_lazy("Comments on returns"),
        visible=lambda user: Comment.objects.visible_to(user),
        fields=(SearchField("body", gettext_lazy("Comment")),),
        heading=lambda comment: (
            gettext("Comment on %(agency)s’s return on %(action)s, %(period)s")
            % {
                "agency": comment.update.agency,
                "action": _action_number(comment.update.action),
                "period": comment.update.period.label,
            }
        ),
        url=lambda comment: (
            reverse("reporting:update_detail", kwargs={"pk": comment.update_id}) + "#conversation"
        ),
        filters={
            "plan": by("update__action__plan"),
            "agency": by("update__agency"),
            "status": by("update__status"),
            "period": by("update__period"),
        },
        related=("update__action__plan", "update__agency", "update__period"),
        details=lambda comment: [comment.get_kind_display(), comment.update.action.title],
    )
)

RISKS = register(
    SearchKind(
        key="risk",
        label=gettext_lazy("Risks on the register"),
        visible=lambda user: Risk.objects.visible_to(user),
        fields=(
            SearchField("title", gettext_lazy("Risk"), whole=True),
            SearchField("description", gettext_lazy("Description")),
            SearchField("cause", gettext_lazy("Cause")),
            SearchField("consequence", gettext_lazy("Consequence")),
            SearchField("treatment", gettext_lazy("Treatment")),
        ),
        heading=lambda risk: str(risk),
        url=lambda risk: reverse("reporting:risk_detail", kwargs={"pk": risk.pk}),
        filters={"plan": by("plan"), "agency": by("owner_agency")},
        related=("plan", "owner_agency"),
        details=lambda risk: [risk.get_status_display(), str(risk.owner_agency or "")],
    )
)
