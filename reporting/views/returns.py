"""Pages of the quarterly return: "My actions", the update form, an update and its review, and
the secretariat's periods. Each view starts from the permission lookups in ``querysets`` and
changes things only through ``services``."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_POST

from actions.models import Action, ActionAgency, IndicatorReading
from agencies.models import Agency
from agencies.roles import is_secretariat, sees_everything

from .. import services
from ..audit import update_history
from ..forms import ReviewForm, UpdateForm
from ..models import ReminderLog, ReportingPeriod, StatusUpdate
from ..querysets import (
    agencies_of,
    may_manage_periods,
    may_report_on,
    may_see_periods,
    may_see_updates_on,
    may_submit_for,
)
from ..returns import STATE_LABELS, Return, by_urgency, plans_running_in, returns_for


def home(request):
    """Where each role starts: the secretariat and viewers at the period under way, agency
    people at their actions."""
    user = request.user
    period = ReportingPeriod.objects.current()
    if sees_everything(user) and (is_secretariat(user) or not agencies_of(user).exists()):
        if period is not None:
            return redirect("reporting:period_detail", code=period.code)
        return redirect("reporting:period_list")
    if agencies_of(user).exists():
        return redirect("reporting:my_actions")
    raise PermissionDenied("Your account has no agency or role yet.")


def my_actions(request):
    agencies = agencies_of(request.user)
    if not agencies.exists():
        raise PermissionDenied("“My actions” lists the actions of the agencies you belong to.")
    today = timezone.localdate()
    rows = []
    for period in ReportingPeriod.objects.open():
        rows += returns_for(period, agencies=agencies)
    rows = by_urgency(rows, today)
    for row in rows:
        row.overdue = row.is_overdue(today)
    period = ReportingPeriod.objects.current()
    return render(
        request,
        "reporting/my_actions.html",
        {
            "returns": rows,
            "agencies": agencies,
            "outstanding": sum(row.is_outstanding for row in rows),
            "overdue": sum(row.overdue for row in rows),
            "context_period": period,
            "context_plan": plans_running_in(period).first() if period else None,
        },
    )


class UpdateFormView(View):
    """An agency's update on one action for one period: started, saved as a draft, submitted."""

    template_name = "reporting/update_form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        user = request.user
        self.period = get_object_or_404(ReportingPeriod, code=kwargs["period"])
        self.action = get_object_or_404(
            Action.objects.visible_to(user).select_related("plan", "parent"),
            plan__slug=kwargs["plan"],
            number=kwargs["number"],
        )
        self.agency = get_object_or_404(
            Agency.objects.filter(coordinations__action=self.action).distinct(),
            slug=kwargs["agency"],
        )
        self.update = (
            StatusUpdate.objects.filter(action=self.action, period=self.period, agency=self.agency)
            .select_related("period", "updated_by", "reviewed_by")
            .first()
        )

    def dispatch(self, request, *args, **kwargs):
        if not may_see_updates_on(request.user, self.action):
            raise Http404("No such update.")
        if not may_report_on(request.user, self.action, self.agency):
            raise PermissionDenied("You can only write your own agency's updates.")
        self.shown = self.update or services.prefill_update(self.action, self.period, self.agency)
        try:
            self.shown.require_editable()
        except ValidationError as refusal:
            return render(
                request,
                "reporting/cannot_change.html",
                self.context(reason=refusal.messages[0], update=self.update),
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        version = self.update.version if self.update else None
        form = self.make_form(instance=self.shown, initial={"version": version})
        return render(request, self.template_name, self.context(form=form))

    def post(self, request, *args, **kwargs):
        submitting = request.POST.get("intent") == "submit"
        if submitting and not may_submit_for(request.user, self.agency):
            raise PermissionDenied("Only the agency's lead can submit its updates.")
        form = self.make_form(data=request.POST, instance=StatusUpdate())
        if not form.is_valid():
            return render(request, self.template_name, self.context(form=form))
        try:
            with transaction.atomic():
                update = services.save_update(
                    self.update,
                    action=self.action,
                    period=self.period,
                    agency=self.agency,
                    data=form.service_data(),
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                )
                if submitting:
                    services.submit_update(update, by=request.user, expected_version=update.version)
        except services.StaleUpdateError as conflict:
            return self.show_conflict(form, conflict.current)
        except ValidationError as invalid:
            form.add_error(None, invalid)
            return render(request, self.template_name, self.context(form=form))
        if submitting:
            late = (
                " It was submitted after the due date, so it is marked late."
                if update.is_late
                else ""
            )
            messages.success(request, f"{self.summary()} submitted.{late}")
        else:
            messages.success(request, f"{self.summary()} saved as a draft.")
        return redirect("reporting:my_actions")

    def show_conflict(self, form, current):
        """Keep what the person typed, show what is stored now, and let the next save go ahead
        from the stored version (they have now seen it)."""
        data = self.request.POST.copy()
        data["version"] = current.version
        form = self.make_form(data=data, instance=StatusUpdate())
        form.is_valid()
        return render(
            self.request,
            self.template_name,
            self.context(form=form, conflict=current),
            status=409,
        )

    def make_form(self, **kwargs):
        measures = list(self.action.success_measures.exclude(indicator="").order_by("order"))
        if "data" not in kwargs:
            initial = kwargs.setdefault("initial", {})
            for reading in IndicatorReading.objects.filter(
                measure__in=measures, date=self.period.ends_on
            ):
                initial[f"reading_{reading.measure_id}_value"] = reading.value
                initial[f"reading_{reading.measure_id}_note"] = reading.note
        return UpdateForm(period=self.period, measures=measures, **kwargs)

    def summary(self) -> str:
        return f"{self.agency}'s update on {self.action.plan.code} {self.action.number}"

    def context(self, **extra) -> dict:
        user = self.request.user
        others = (
            StatusUpdate.objects.visible_to(user)
            .filter(action=self.action, period=self.period)
            .exclude(agency=self.agency)
            .select_related("agency", "updated_by")
        )
        previous = (
            StatusUpdate.objects.filter(action=self.action, agency=self.agency)
            .filter(
                Q(period__year__lt=self.period.year)
                | Q(period__year=self.period.year, period__quarter__lt=self.period.quarter)
            )
            .select_related("period")
            .order_by("-period__year", "-period__quarter")
            .first()
        )
        return {
            "action": self.action,
            "agency": self.agency,
            "period": self.period,
            "update": self.update,
            "previous": previous,
            "other_updates": others,
            "can_submit": may_submit_for(user, self.agency),
            "is_lead": self.action.coordinators.filter(
                agency=self.agency, role=ActionAgency.Role.LEAD
            ).exists(),
            "context_plan": self.action.plan,
            "context_period": self.period,
            **extra,
        }


def update_detail(request, pk):
    """One update, read-only, with its history; the secretariat reviews it here."""
    update = get_object_or_404(_visible_updates(request.user), pk=pk)
    review_form = None
    if StatusUpdate.objects.reviewable_by(request.user).filter(pk=update.pk).exists():
        review_form = ReviewForm(initial={"version": update.version})
    return _render_update(request, update, review_form)


@require_POST
def update_review(request, pk):
    update = get_object_or_404(_visible_updates(request.user), pk=pk)
    if not may_manage_periods(request.user):
        raise PermissionDenied("Only the secretariat reviews updates.")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _render_update(request, update, form)
    decision, version = form.cleaned_data["decision"], form.cleaned_data["version"]
    try:
        if decision == ReviewForm.ACCEPT:
            services.accept_update(update, by=request.user, expected_version=version)
        else:
            services.return_update(
                update,
                by=request.user,
                comment=form.cleaned_data["comment"],
                expected_version=version,
            )
    except services.StaleUpdateError:
        messages.error(
            request, "Someone else changed this update while you were reviewing it. Check it again."
        )
        return redirect("reporting:update_detail", pk=update.pk)
    except ValidationError as refused:
        form.add_error(None, refused.messages)
        return _render_update(request, StatusUpdate.objects.get(pk=update.pk), form)
    verb = "accepted" if decision == ReviewForm.ACCEPT else "returned to the agency"
    messages.success(request, f"{update.agency}'s update on {update.action.number} {verb}.")
    return redirect(
        reverse("reporting:period_detail", kwargs={"code": update.period.code})
        + f"#return-{update.action_id}-{update.agency_id}"
    )


def _visible_updates(user):
    return StatusUpdate.objects.visible_to(user).select_related(
        "action__plan",
        "action__parent",
        "period",
        "agency",
        "updated_by",
        "submitted_by",
        "reviewed_by",
    )


def _render_update(request, update, review_form):
    return render(
        request,
        "reporting/update_detail.html",
        {
            "update": update,
            "review_form": review_form,
            "history": update_history(update),
            "can_edit": StatusUpdate.objects.editable_by(request.user)
            .filter(pk=update.pk)
            .exists(),
            "context_plan": update.action.plan,
            "context_period": update.period,
        },
    )


# The secretariat's periods ------------------------------------------------------------------


def period_list(request):
    if not may_see_periods(request.user):
        raise PermissionDenied("The reporting periods are for the secretariat and steering group.")
    next_year, next_quarter = services.next_quarter()
    periods = ReportingPeriod.objects.annotate(
        **{
            state: Count("status_updates", filter=Q(status_updates__state=state))
            for state in StatusUpdate.State.values
        }
    ).order_by("-year", "-quarter")
    return render(
        request,
        "reporting/period_list.html",
        {
            "periods": periods,
            "can_manage": may_manage_periods(request.user),
            "next_period": ReportingPeriod(year=next_year, quarter=next_quarter),
            "context_period": ReportingPeriod.objects.current(),
        },
    )


RETURNS_PER_PAGE = 100


def period_detail(request, code):
    """Every return due in the period and its state, filterable by state and agency, a page of
    ``RETURNS_PER_PAGE`` at a time; the summary counts every return."""
    if not may_see_periods(request.user):
        raise PermissionDenied("The review page is for the secretariat and steering group.")
    period = get_object_or_404(ReportingPeriod, code=code)
    all_returns = returns_for(period)
    counts = dict.fromkeys(STATE_LABELS, 0)
    for row in all_returns:
        counts[row.state] += 1
    state, agency = request.GET.get("state", ""), request.GET.get("agency", "")
    shown = [
        row
        for row in all_returns
        if (not state or row.state == state) and (not agency or row.agency.slug == agency)
    ]
    # Django's get_page: a page "number" that isn't a number shows the first page; one out of
    # range, the last.
    page = Paginator(shown, RETURNS_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for row in page:
        row.overdue = row.is_overdue(today)
    return render(
        request,
        "reporting/period_detail.html",
        {
            "period": period,
            "page": page,
            "returns": with_links(page.object_list),
            "page_range": page.paginator.get_elided_page_range(page.number),
            "total": len(all_returns),
            "counts": [(key, STATE_LABELS[key], counts[key]) for key in STATE_LABELS],
            "agencies": sorted({row.agency for row in all_returns}, key=lambda a: a.short_name),
            "selected_state": state,
            "selected_agency": agency,
            "can_manage": may_manage_periods(request.user),
            "reminder_log": ReminderLog.objects.for_period(period),
            "context_period": period,
            "context_plan": plans_running_in(period).first(),
        },
    )


def with_links(rows: list[Return]) -> list[Return]:
    """Sets each row's ``action_url`` and ``update_url`` (empty without an update) from one
    reverse() per plan and one for updates, not two per row."""
    action_prefixes: dict[int, str] = {}
    update_prefix = reverse("reporting:update_detail", kwargs={"pk": 0}).removesuffix("0/")
    for row in rows:
        plan = row.action.plan
        if plan.pk not in action_prefixes:
            action_prefixes[plan.pk] = plan.action_url_prefix()
        row.action_url = f"{action_prefixes[plan.pk]}{quote(row.action.number)}/"
        row.update_url = f"{update_prefix}{row.update.pk}/" if row.update else ""
    return rows


PERIOD_CHANGES = {
    "open": (services.open_period, "Open {label} for returns", "{label} is open for returns."),
    "close": (
        services.close_period,
        "Close {label}",
        "{label} is closed; its returns are frozen.",
    ),
}


def period_change(request, code, change):
    """Open or close a period: a confirmation page, then the change on POST."""
    if not may_manage_periods(request.user):
        raise PermissionDenied("Only the secretariat opens and closes periods.")
    period = get_object_or_404(ReportingPeriod, code=code)
    change_period, title, done = PERIOD_CHANGES[change]
    error = None
    if request.method == "POST":
        try:
            change_period(period, by=request.user)
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            messages.success(request, done.format(label=period.label))
            return redirect("reporting:period_detail", code=period.code)
    outstanding = [row for row in returns_for(period) if row.is_outstanding]
    return render(
        request,
        "reporting/period_change.html",
        {
            "period": period,
            "change": change,
            "title": title.format(label=period.label),
            "outstanding": len(outstanding),
            "error": error,
            "context_period": period,
            "context_plan": plans_running_in(period).first(),
        },
        status=400 if error else 200,
    )


@require_POST
def period_add_next(request):
    """Set up the quarter after the latest period, not yet open, for the secretariat to open."""
    period = services.add_next_period(by=request.user)
    messages.success(request, f"{period.long_label} is set up. Open it when ready.")
    return redirect("reporting:period_list")
