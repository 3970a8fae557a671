"""The governance pages: the risk register (with its heat map and changes since the quarter
began), a risk, raising a return's risks on the register, meetings with their decisions and
follow-ups, a follow-up, the exports, and linking actions. Each fetches through the models'
rules and changes things only through ``governance.services``."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions.models import Action, ActionPlan
from core.rules import allows, require
from core.views import post_only
from reporting.audit import entries, newest_first
from reporting.models import ActionDependency, FollowUp, Meeting, ReportingPeriod, Risk
from reporting.models.governance import StaleRecordError
from reporting.models.risk_scale import (
    BANDS,
    CONSEQUENCE,
    CONSEQUENCE_SOURCE,
    LIKELIHOOD,
    OWN_WORDS,
)
from reporting.models.updates import StatusUpdate

from . import exports, services
from .changes import changes_since
from .forms import (
    DecisionForm,
    DependencyForm,
    FollowUpChangeForm,
    FollowUpForm,
    MeetingForm,
    PromoteRiskForm,
    RegisterFilterForm,
    RiskForm,
)
from .heatmap import consequence_headings, heat_map_grid, heat_map_svg


def _posted(request):
    """The form's data on a POST (even an empty one), else None: an unbound form."""
    return request.POST if request.method == "POST" else None


def _quarter_start(today: datetime.date) -> datetime.date:
    return datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def _scale_context() -> dict:
    return {
        "likelihood_scale": list(reversed(LIKELIHOOD.values())),
        "consequence_scale": list(CONSEQUENCE.values()),
        "bands": list(reversed(BANDS)),
        "consequence_source": CONSEQUENCE_SOURCE,
        "own_words": OWN_WORDS,
    }


def risk_register(request):
    user = request.user
    visible = require(Risk.objects.visible_to(user), "The register is for people with a role.")
    today = timezone.localdate()
    form = RegisterFilterForm(request.GET or None, user=user)
    risks = list(
        form.apply(visible, today)
        .highest_first()
        .select_related("owner_agency", "plan")
        .prefetch_related("actions__plan")
    )
    grid = heat_map_grid(
        (r.likelihood, r.consequence_rating, r.reference)
        for r in risks
        if r.status != Risk.Status.CLOSED
    )
    since = _quarter_start(today)
    since_moment = datetime.datetime.combine(
        since, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    period = ReportingPeriod.objects.current()
    return render(
        request,
        "reporting/governance/register.html",
        {
            "form": form,
            "risks": risks,
            "today": today,
            "grid": grid,
            "headings": consequence_headings(),
            "heat_map": heat_map_svg(grid, id_prefix="register-map", caption=_("Risks by rating")),
            "since": since,
            "changes": changes_since(risks, since_moment),
            "may_add": allows(Risk.objects.addable_by(user)),
            "query": request.GET.urlencode(),
            "context_period": period,
            **_scale_context(),
        },
    )


def _risk_history(risk: Risk):
    return newest_first(
        entries(
            Risk.history.filter(id=risk.pk).select_related("history_user", "owner_agency"),
            lambda row: _("The risk"),
        )
    )


def risk_detail(request, pk: int):
    user = request.user
    risk = get_object_or_404(
        Risk.objects.visible_to(user).select_related(
            "owner_agency", "plan", "source_update__agency", "source_update__period"
        ),
        pk=pk,
    )
    may_edit = Risk.objects.editable_by(user).filter(pk=risk.pk).exists()
    form = None
    status = 200
    if may_edit:
        form = RiskForm(
            _posted(request),
            instance=Risk.objects.get(pk=risk.pk),
            plan=risk.plan,
            initial={"actions": risk.actions.all()},
        )
    if request.method == "POST":
        if form is None:
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                services.change_risk(
                    Risk.objects.get(pk=risk.pk),
                    form.cleaned_data,
                    form.cleaned_data["actions"],
                    by=user,
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except StaleRecordError as conflict:
                form.add_error(
                    None,
                    _(
                        "Someone else changed this risk while you were editing it (it is now "
                        "version %(version)s). Your changes are below; reload the page to see "
                        "theirs."
                    )
                    % {"version": conflict.current.version},
                )
                status = 409
            except ValidationError as invalid:
                form.add_error(None, invalid)
                status = 400
            else:
                messages.success(request, _("%(risk)s saved.") % {"risk": risk.reference})
                return redirect("reporting:risk_detail", pk=risk.pk)
        else:
            status = 400
    return render(
        request,
        "reporting/governance/risk_detail.html",
        {
            "risk": risk,
            "form": form,
            "today": timezone.localdate(),
            "linked": risk.actions.select_related("plan").order_by("plan__slug", "sort_key"),
            "history": _risk_history(risk),
            "reminders": risk.reminders.order_by("-created_at"),
            "source_visible": risk.source_update_id
            and StatusUpdate.objects.visible_to(user).filter(pk=risk.source_update_id).exists(),
            "context_plan": risk.plan,
            **_scale_context(),
        },
        status=status,
    )


def risk_create(request):
    user = request.user
    require(Risk.objects.addable_by(user), "Only the secretariat adds entries to the register.")
    plan = get_object_or_404(
        ActionPlan.objects.visible_to(user), slug=request.GET.get("plan") or _default_plan_slug()
    )
    form = RiskForm(_posted(request), plan=plan, initial={"status": "open"})
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.add_risk(plan, form.cleaned_data, form.cleaned_data["actions"], user)
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            messages.success(
                request, _("%(risk)s added to the register.") % {"risk": risk.reference}
            )
            return redirect("reporting:risk_detail", pk=risk.pk)
    return render(
        request,
        "reporting/governance/risk_form.html",
        {"form": form, "plan": plan, "context_plan": plan, **_scale_context()},
        status=400 if form.errors else 200,
    )


def _default_plan_slug() -> str:
    plan = ActionPlan.objects.order_by("-start_date").first()
    if plan is None:
        raise Http404("There is no plan yet.")
    return plan.slug


def risk_promote(request, pk: int):
    """Raise a return's risks on the register: the return's text stays; the entry links back."""
    user = request.user
    update = get_object_or_404(
        StatusUpdate.objects.visible_to(user).select_related("action__plan", "agency", "period"),
        pk=pk,
    )
    if not StatusUpdate.objects.risks_promotable_by(user).filter(pk=update.pk).exists():
        raise PermissionDenied(
            "Only the secretariat and the return's agency leads can raise its risks on the "
            "register."
        )
    plan = update.action.plan
    form = PromoteRiskForm(
        _posted(request),
        plan=plan,
        initial={"likelihood": 3, "consequence_rating": 3, "residual_likelihood": 2,
                 "residual_consequence": 3, **services.promotion_defaults(update)},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.promote_risk(update, form.cleaned_data, user)
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            messages.success(
                request, _("%(risk)s raised on the register.") % {"risk": risk.reference}
            )
            return redirect("reporting:risk_detail", pk=risk.pk)
    return render(
        request,
        "reporting/governance/risk_form.html",
        {
            "form": form,
            "plan": plan,
            "update": update,
            "already": update.promoted_risks.visible_to(user),
            "context_plan": plan,
            **_scale_context(),
        },
        status=400 if form.errors else 200,
    )


def _download(content: bytes, fmt: str, name: str) -> HttpResponse:
    content_type = exports.XLSX_CONTENT_TYPE if fmt == "xlsx" else "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def risk_export(request, fmt: str):
    user = request.user
    visible = require(Risk.objects.visible_to(user), "The register is for people with a role.")
    today = timezone.localdate()
    form = RegisterFilterForm(request.GET or None, user=user)
    risks = list(
        form.apply(visible, today)
        .highest_first()
        .select_related("owner_agency", "plan", "source_update__agency", "source_update__period")
        .prefetch_related("actions__plan")
    )
    write = exports.as_xlsx if fmt == "xlsx" else exports.as_csv
    content = write(
        exports.marking_of_risks(risks),
        "Risk register",
        exports.RISK_COLUMNS,
        exports.risk_rows(risks, today),
    )
    return _download(content, fmt, f"risk-register-{today.isoformat()}")


def meeting_list(request):
    user = request.user
    meetings = require(
        Meeting.objects.visible_to(user), "Meetings are for the secretariat and steering group."
    )
    today = timezone.localdate()
    return render(
        request,
        "reporting/governance/meeting_list.html",
        {
            "meetings": meetings.select_related("plan").prefetch_related("decisions"),
            "arising": FollowUp.objects.visible_to(user)
            .still_open()
            .select_related("meeting", "owner_agency", "owner_user")
            .order_by("due_on"),
            "today": today,
            "may_manage": allows(Meeting.objects.manageable_by(user)),
        },
    )


def meeting_create(request):
    user = request.user
    require(Meeting.objects.manageable_by(user), "Only the secretariat records meetings.")
    plan = get_object_or_404(
        ActionPlan.objects.visible_to(user), slug=request.GET.get("plan") or _default_plan_slug()
    )
    form = MeetingForm(_posted(request), plan=plan, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "reports_tabled"}
        meeting = services.record_meeting(plan, data, form.cleaned_data["reports_tabled"], user)
        messages.success(request, _("%(meeting)s recorded.") % {"meeting": meeting})
        return redirect("reporting:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "reporting/governance/meeting_form.html",
        {"form": form, "plan": plan, "context_plan": plan},
        status=400 if form.errors else 200,
    )


def meeting_detail(request, pk: int):
    user = request.user
    meeting = get_object_or_404(Meeting.objects.visible_to(user).select_related("plan"), pk=pk)
    may_manage = allows(Meeting.objects.manageable_by(user))
    intent = request.POST.get("intent")
    decision_form = DecisionForm(request.POST if intent == "decision" else None, meeting=meeting)
    follow_up_form = FollowUpForm(request.POST if intent == "follow_up" else None, meeting=meeting)
    if request.method == "POST":
        require(Meeting.objects.manageable_by(user), "Only the secretariat records decisions.")
        form = decision_form if intent == "decision" else follow_up_form
        if intent in ("decision", "follow_up") and form.is_valid():
            try:
                if intent == "decision":
                    data = decision_form.cleaned_data
                    services.add_decision(meeting, data["text"], data["decided_on"], user)
                    messages.success(request, _("Decision recorded."))
                else:
                    services.add_follow_up(meeting, follow_up_form.cleaned_data, user)
                    messages.success(request, _("Follow-up action recorded."))
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                return redirect("reporting:meeting_detail", pk=meeting.pk)
    today = timezone.localdate()
    return render(
        request,
        "reporting/governance/meeting_detail.html",
        {
            "meeting": meeting,
            "decisions": meeting.decisions.prefetch_related("follow_ups"),
            "follow_ups": meeting.follow_ups.select_related(
                "owner_agency", "owner_user", "decision"
            ),
            "arising": FollowUp.objects.matters_arising(
                meeting.plan, before=meeting.held_on
            ).select_related("meeting", "owner_agency", "owner_user"),
            "reports": meeting.reports_tabled.select_related("period"),
            "may_manage": may_manage,
            "decision_form": decision_form,
            "follow_up_form": follow_up_form,
            "today": today,
            "context_plan": meeting.plan,
        },
        status=400 if request.method == "POST" else 200,
    )


def follow_up_detail(request, pk: int):
    user = request.user
    follow_up = get_object_or_404(
        FollowUp.objects.visible_to(user).select_related(
            "meeting__plan", "owner_agency", "owner_user", "decision"
        ),
        pk=pk,
    )
    may_update = FollowUp.objects.updatable_by(user).filter(pk=follow_up.pk).exists()
    form = (
        FollowUpChangeForm(_posted(request), instance=FollowUp.objects.get(pk=follow_up.pk))
        if may_update
        else None
    )
    status = 200
    if request.method == "POST":
        if form is None:
            return render(request, "403.html", status=403)
        status = 400
        if form.is_valid():
            try:
                services.change_follow_up(
                    FollowUp.objects.get(pk=follow_up.pk),
                    form.cleaned_data,
                    by=user,
                    expected_version=form.cleaned_data["version"],
                )
            except StaleRecordError as conflict:
                status = 409
                form.add_error(
                    None,
                    _(
                        "Someone else changed this follow-up meanwhile (now version "
                        "%(version)s). Your changes are below; reload to see theirs."
                    )
                    % {"version": conflict.current.version},
                )
            else:
                messages.success(request, _("Follow-up action saved."))
                return redirect("reporting:follow_up_detail", pk=follow_up.pk)
    history = newest_first(
        entries(
            FollowUp.history.filter(id=follow_up.pk).select_related("history_user"),
            lambda row: _("The follow-up action"),
        )
    )
    return render(
        request,
        "reporting/governance/follow_up_detail.html",
        {
            "follow_up": follow_up,
            "form": form,
            "today": timezone.localdate(),
            "history": history,
            "reminders": follow_up.reminders.order_by("-created_at"),
            "meeting_visible": Meeting.objects.visible_to(user)
            .filter(pk=follow_up.meeting_id)
            .exists(),
            "context_plan": follow_up.meeting.plan,
        },
        status=status,
    )


def follow_up_export(request, fmt: str):
    user = request.user
    visible = require(
        FollowUp.objects.visible_to(user), "Follow-up actions are for people with a role."
    )
    today = timezone.localdate()
    follow_ups = visible.select_related(
        "meeting", "decision", "owner_agency", "owner_user"
    ).order_by("due_on", "pk")
    write = exports.as_xlsx if fmt == "xlsx" else exports.as_csv
    content = write(
        "IN CONFIDENCE",
        "Follow-up actions",
        exports.FOLLOW_UP_COLUMNS,
        exports.follow_up_rows(follow_ups, today),
    )
    return _download(content, fmt, f"follow-up-actions-{today.isoformat()}")


def _action_url(action: Action) -> str:
    return reverse(
        "actions:action_detail", kwargs={"plan": action.plan.slug, "number": action.number}
    )


@post_only(
    lambda pk: reverse("actions:plan_list"), gettext_lazy("link an action to one it depends on")
)
def dependency_add(request, pk: int):
    action = get_object_or_404(
        Action.objects.visible_to(request.user).select_related("plan"), pk=pk
    )
    require(
        ActionDependency.objects.manageable_by(request.user), "Only the secretariat links actions."
    )
    form = DependencyForm(request.POST, action=action)
    if not form.is_valid():
        messages.error(request, _("Choose the action this one depends on."))
        return redirect(_action_url(action) + "#dependencies")
    try:
        services.link_actions(
            action, form.cleaned_data["depends_on"], request.user, form.cleaned_data["note"]
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request, _("Now depends on %(action)s.") % {"action": form.cleaned_data["depends_on"]}
        )
    return redirect(_action_url(action) + "#dependencies")


@post_only(lambda pk: reverse("actions:plan_list"), gettext_lazy("remove a dependency"))
def dependency_remove(request, pk: int):
    dependency = get_object_or_404(
        require(
            ActionDependency.objects.manageable_by(request.user),
            "Only the secretariat links actions.",
        ).select_related("action__plan"),
        pk=pk,
    )
    action = dependency.action
    services.unlink_actions(dependency, request.user)
    messages.success(request, _("Dependency removed."))
    return redirect(_action_url(action) + "#dependencies")
