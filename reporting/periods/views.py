"""The secretariat's and viewers' period pages: every period, one period's returns, and the
secretariat's changes to a period."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from actions.models import ActionPlan
from agencies.models import Agency, Membership
from core.markings import mark_page
from core.rules import allows, require
from core.views import post_only
from reporting.lines import attach_line_status
from reporting.models import ReminderLog, ReportingPeriod, StatusUpdate
from reporting.models.reports import DEFAULT_MARKING
from reporting.periods import services
from reporting.returns import services as returns_services
from reporting.returns.obligations import (
    STATE_ALIASES,
    STATE_LABELS,
    PlanByPlan,
    Return,
    as_returns,
    count_by_state,
    due_coordinations,
    plans_running_in,
    returns_for,
    runs_in,
    with_return_state,
)

# The period list's sections, in order: the open period first, then what's coming (nearest
# first), then the past (latest first).
PERIOD_GROUPS = {
    ReportingPeriod.State.OPEN: gettext_lazy("Open for returns"),
    ReportingPeriod.State.UPCOMING: gettext_lazy("Upcoming"),
    ReportingPeriod.State.CLOSED: gettext_lazy("Closed"),
}


def period_list(request):
    overseen = require(
        ReportingPeriod.objects.overseeable_by(request.user),
        "The reporting periods are for the secretariat and steering group.",
    )
    next_year, next_quarter = services.next_quarter()
    periods = overseen.annotate(
        **{
            state: Count("status_updates", filter=Q(status_updates__state=state))
            for state in StatusUpdate.State.values
        }
    )
    plans = list(ActionPlan.objects.visible_to(request.user).order_by("start_date", "pk"))
    groups = {state: [] for state in PERIOD_GROUPS}
    for period in periods:
        period.plans = [plan for plan in plans if runs_in(plan, period)]
        groups[period.state].append(period)
    groups[ReportingPeriod.State.OPEN].sort(key=lambda p: p.starts_on, reverse=True)
    groups[ReportingPeriod.State.UPCOMING].sort(key=lambda p: p.starts_on)
    groups[ReportingPeriod.State.CLOSED].sort(key=lambda p: p.starts_on, reverse=True)
    return render(
        request,
        "reporting/period_list.html",
        {
            "period_groups": [
                (state, heading, groups[state]) for state, heading in PERIOD_GROUPS.items()
            ],
            "can_manage": allows(ReportingPeriod.objects.manageable_by(request.user)),
            "next_period": ReportingPeriod(year=next_year, quarter=next_quarter),
            "context_period": ReportingPeriod.objects.current(),
        },
    )


RETURNS_PER_PAGE = 100
REMINDERS_SHOWN = 50  # the newest; the page says how many there are in all


def period_detail(request, code):
    """Every return due in the period and its state, filterable by state and agency, a page of
    ``RETURNS_PER_PAGE`` at a time. The summary counts every return in the database (grouped by
    state); only the page shown is built."""
    overseen = require(
        ReportingPeriod.objects.overseeable_by(request.user),
        "The review page is for the secretariat and steering group.",
    )
    period = get_object_or_404(overseen, code=code)
    due = with_return_state(due_coordinations(period), period)
    counts = count_by_state(period)
    agencies = list(
        Agency.objects.filter(pk__in=due.order_by().values("agency")).order_by("short_name")
    )
    state, agency = request.GET.get("state", ""), request.GET.get("agency", "")
    state = STATE_ALIASES.get(state, state)
    # A filter value no return can have is ignored, and said so: the controls then show what
    # the list is (every state, every agency) instead of an empty list under a wrong label.
    if state and state not in STATE_LABELS:
        messages.warning(
            request, _("That state isn't one a return can be in; showing every state.")
        )
        state = ""
    if agency and agency not in {a.slug for a in agencies}:
        messages.warning(
            request, _("No agency by that name has returns here; showing every agency.")
        )
        agency = ""
    shown = due
    if state:
        shown = shown.filter(return_state=state)
    if agency:
        shown = shown.filter(agency__slug=agency)
    # Django's get_page: a page "number" that isn't a number shows the first page; one out of
    # range, the last. Unfiltered, the count is the summary's total: no second count.
    # The page is chosen as narrow rows (ids), a plan at a time in its lines' order, then only
    # its returns are read whole.
    paginator = Paginator(PlanByPlan(shown.values_list("pk", flat=True), period), RETURNS_PER_PAGE)
    if not state and not agency:
        paginator.count = sum(counts.values())
    elif state and not agency:
        paginator.count = counts[state]
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = as_returns(period, due.filter(pk__in=list(page.object_list)))
    today = timezone.localdate()
    reviewable = set(
        StatusUpdate.objects.reviewable_by(request.user)
        .filter(pk__in=[row.update.pk for row in page.object_list if row.update])
        .values_list("pk", flat=True)
    )
    attach_line_status(page.object_list, updates=StatusUpdate.objects.all())
    for row in page.object_list:
        row.overdue = row.is_overdue(today)
        row.reviewable = row.update is not None and row.update.pk in reviewable
    mark_page(request, DEFAULT_MARKING)  # every agency's returns and their states
    reminders = ReminderLog.objects.for_period(period)
    return render(
        request,
        "reporting/period_detail.html",
        {
            "period": period,
            "page": page,
            "returns": with_links(page.object_list),
            "any_reviewable": bool(reviewable),
            "page_range": page.paginator.get_elided_page_range(page.number),
            "total": sum(counts.values()),
            "counts": [(key, STATE_LABELS[key], counts[key]) for key in STATE_LABELS],
            "agencies": agencies,
            "selected_state": state,
            "selected_agency": agency,
            "can_manage": allows(ReportingPeriod.objects.manageable_by(request.user)),
            "reminder_log": reminders[:REMINDERS_SHOWN],
            "reminder_count": reminders.count(),
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
    "open": (
        gettext_lazy("Open %(label)s for returns"),
        gettext_lazy("%(label)s is open for returns."),
    ),
    "close": (
        gettext_lazy("Close %(label)s"),
        gettext_lazy("%(label)s is closed; its returns are frozen."),
    ),
    "unopen": (
        gettext_lazy("Put %(label)s back to scheduled"),
        gettext_lazy(
            "%(label)s is back to scheduled; agencies can't write its returns until it opens."
        ),
    ),
}


def period_change(request, code, change):
    """Open, close or put back a period: a confirmation page, then the change on POST."""
    managed = require(
        ReportingPeriod.objects.manageable_by(request.user),
        "Only the secretariat opens and closes periods.",
    )
    period = get_object_or_404(managed, code=code)
    title, done = PERIOD_CHANGES[change]
    error = None
    if request.method == "POST":
        try:
            if change == "open":
                services.open_period(
                    period, by=request.user, confirm_early=request.POST.get("early") == "yes"
                )
            elif change == "close":
                services.close_period(period, by=request.user)
            else:
                services.put_back_to_scheduled(period, by=request.user)
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            messages.success(request, done % {"label": period.label})
            return redirect("reporting:period_detail", code=period.code)
    returns = returns_for(period)
    counts = dict.fromkeys(STATE_LABELS, 0)
    for row in returns:
        counts[row.state] += 1
    return render(
        request,
        "reporting/period_change.html",
        {
            "period": period,
            "change": change,
            "title": title % {"label": period.label},
            "counts": [(key, STATE_LABELS[key], counts[key]) for key in STATE_LABELS],
            "outstanding": sum(row.is_outstanding for row in returns),
            "awaiting_review": counts["submitted"],
            "handed_in": sum(counts[state] for state in services.HANDED_IN),
            "early": timezone.localdate() < period.opens_on,
            "emailed": _emailed_on_opening(returns),
            "error": error,
            "context_period": period,
            "context_plan": plans_running_in(period).first(),
        },
        status=400 if error else 200,
    )


def _emailed_on_opening(returns: list[Return]) -> dict:
    """Who the "returns are open" email goes to: the leads of every agency with a return."""
    agencies = sorted({row.agency for row in returns}, key=lambda a: a.short_name)
    people = (
        Membership.objects.leads()
        .filter(agency__in=agencies, user__is_active=True)
        .exclude(user__email="")
        .values("user")
        .distinct()
        .count()
    )
    return {"agencies": agencies, "people": people}


@post_only(
    lambda: reverse("reporting:period_list"), gettext_lazy("set up the next reporting period")
)
def period_add_next(request):
    """Set up the quarter after the latest period, not yet open, for the secretariat to open."""
    period = services.add_next_period(by=request.user)
    messages.success(
        request, _("%(period)s is set up. Open it when ready.") % {"period": period.long_label}
    )
    return redirect("reporting:period_list")


@post_only(
    lambda code: reverse("reporting:period_detail", kwargs={"code": code}),
    gettext_lazy("accept several submitted returns at once"),
)
def period_accept(request, code):
    """Accept the chosen submitted returns, each at the version the page showed: a return
    someone changed since is skipped and named, never overwritten."""
    require(
        StatusUpdate.objects.reviewable_by(request.user), "Only the secretariat reviews updates."
    )
    period = get_object_or_404(ReportingPeriod.objects.overseeable_by(request.user), code=code)
    chosen = {}
    for value in request.POST.getlist("accept"):
        pk, _colon, version = value.partition(":")
        if pk.isdigit() and version.isdigit():
            chosen[int(pk)] = int(version)
    updates = StatusUpdate.objects.filter(period=period, pk__in=chosen).select_related(
        "action__plan", "agency", "period"
    )
    if not chosen or not updates:
        messages.warning(request, _("Choose the returns to accept first."))
        return redirect("reporting:period_detail", code=period.code)
    outcome = returns_services.accept_updates(
        [(update, chosen[update.pk]) for update in updates], by=request.user
    )
    if outcome.accepted:
        count = len(outcome.accepted)
        messages.success(
            request,
            ngettext(
                "%(count)d return accepted: %(returns)s.",
                "%(count)d returns accepted: %(returns)s.",
                count,
            )
            % {"count": count, "returns": _named(outcome.accepted)},
        )
    if outcome.stale:
        messages.error(
            request,
            _(
                "Not accepted, because someone changed them after this page was loaded: "
                "%(returns)s. Open each one and review it again."
            )
            % {"returns": _named(outcome.stale)},
        )
    for update, reason in outcome.refused:
        messages.error(
            request,
            _("%(update)s was not accepted: %(reason)s")
            % {"update": _named([update]), "reason": reason},
        )
    return redirect("reporting:period_detail", code=period.code)


def _named(updates) -> str:
    return "; ".join(
        _("%(agency)s on %(plan)s %(number)s")
        % {"agency": u.agency, "plan": u.action.plan.code, "number": u.action.number}
        for u in sorted(updates, key=lambda u: (u.action.sort_key, u.agency.short_name))
    )
