"""Pages of the quarterly return: "My actions", the update form, an update and its review. Each
view fetches through the permission lookups (``visible_to``, ``editable_by``, …) and changes
things only through ``returns.services``, whose answer it trusts."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from actions.models import Action, ActionAgency, IndicatorReading
from agencies.models import Agency
from agencies.roles import is_secretariat, sees_every_agency
from core.markings import mark_page
from core.rules import allows, require
from core.views import post_only
from reporting.audit import update_history
from reporting.evidence.services import readings_of
from reporting.lines import attach_line_status
from reporting.models import (
    Comment,
    Evidence,
    ReportingPeriod,
    ReturnDraft,
    StatusUpdate,
    Withholding,
)
from reporting.models.reports import DEFAULT_MARKING
from reporting.models.updates import StaleUpdateError
from reporting.returns import drafts
from reporting.returns import services as returns_services
from reporting.returns.check import answers
from reporting.returns.forms import ReviewForm, UpdateForm
from reporting.returns.obligations import (
    OUTSTANDING,
    STATE_LABELS,
    count_by_state,
    plans_running_in,
    returns_of_rows,
    state_of,
    urgent_first,
)
from reporting.returns.review_forms import (
    CommentForm,
    CorrectionForm,
    EvidenceForm,
    WithholdCommentForm,
)


def home(request):
    """Where each role starts: the secretariat and viewers at the period under way, agency
    people at their actions."""
    user = request.user
    period = ReportingPeriod.objects.current()
    reports_for_agency = Agency.objects.of_member(user).exists()
    if sees_every_agency(user) and (is_secretariat(user) or not reports_for_agency):
        if period is not None:
            return redirect("reporting:period_detail", code=period.code)
        return redirect("reporting:period_list")
    if reports_for_agency:
        return redirect("reporting:my_actions")
    raise PermissionDenied("Your account has no agency or role yet.")


RETURNS_PER_PAGE = 100


def my_actions(request):
    """The returns the person's agencies owe in the open periods, most urgent first, a page of
    ``RETURNS_PER_PAGE`` at a time (the counts are of all of them)."""
    agencies = Agency.objects.of_member(request.user)
    if not agencies.exists():
        raise PermissionDenied("“My actions” lists the actions of the agencies you belong to.")
    today = timezone.localdate()
    periods = list(ReportingPeriod.objects.open())
    total = outstanding = overdue = 0
    for open_period in periods:
        for state, n in count_by_state(open_period, agencies=agencies).items():
            total += n
            if state in OUTSTANDING:
                outstanding += n
                overdue += n if open_period.is_overdue(today) else 0
    paginator = Paginator(urgent_first(periods, agencies, today), RETURNS_PER_PAGE)
    paginator.count = total  # counted above: no second count
    page = paginator.get_page(request.GET.get("page"))
    rows = returns_of_rows(page.object_list, periods, agencies)
    attach_line_status(rows, updates=StatusUpdate.objects.visible_to(request.user))
    for row in rows:
        row.overdue = row.is_overdue(today)
    period = ReportingPeriod.objects.current()
    mark_page(request, DEFAULT_MARKING)  # the agency's returns and their states
    return render(
        request,
        "reporting/my_actions.html",
        {
            "returns": rows,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "total": total,
            "agencies": agencies,
            "outstanding": outstanding,
            "overdue": overdue,
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
            Action.objects.progress_visible_to(user).select_related("plan", "parent"),
            plan__slug=kwargs["plan"],
            number=kwargs["number"],
        )
        self.agency = get_object_or_404(
            Agency.objects.filter(coordinations__action=self.action).distinct(),
            slug=kwargs["agency"],
        )
        self.coordination = ActionAgency.objects.filter(action=self.action, agency=self.agency)
        self.update = (
            StatusUpdate.objects.filter(action=self.action, period=self.period, agency=self.agency)
            .select_related("period", "updated_by", "reviewed_by")
            .first()
        )

    def dispatch(self, request, *args, **kwargs):
        if not self.coordination.reportable_by(request.user).exists():
            raise PermissionDenied("You can only write your own agency's updates.")
        self.shown = self.update or returns_services.prefill_update(
            self.action, self.period, self.agency
        )
        try:
            self.shown.require_editable()
        except ValidationError as refusal:
            return render(
                request,
                "reporting/cannot_change.html",
                self.context(
                    reason=refusal.messages[0],
                    update=self.update,
                    secretariat_email=settings.SECRETARIAT_EMAIL,
                    can_withdraw=self.update is not None
                    and StatusUpdate.objects.withdrawable_by(request.user)
                    .filter(pk=self.update.pk)
                    .exists(),
                ),
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        version = self.update.version if self.update else None
        kept = drafts.kept(request.user, self.action, self.period, self.agency)
        if kept is not None and kept.intent != ReturnDraft.Intent.KEPT:
            return self.save_after_sign_in(kept)
        if kept is not None and self.update is not None and kept.base_version != version:
            return self.show_conflict(self.as_posted(kept.data), self.update, kept=kept)
        initial = {**(kept.data if kept else {}), "version": version}
        form = self.make_form(instance=self.shown, initial=initial)
        return render(request, self.template_name, self.context(form=form, kept=kept))

    def post(self, request, *args, **kwargs):
        return self.handle(request.POST)

    def handle(self, data, *, kept: ReturnDraft | None = None):
        """Save what was typed (``data``): as a draft, or a draft to check and submit."""
        submitting = data.get("intent") == "submit"
        if submitting and not self.coordination.submittable_by(self.request.user).exists():
            raise PermissionDenied("Only a lead of the agency submits its updates.")
        form = self.make_form(data=data, instance=StatusUpdate(), submitting=submitting)
        if not form.is_valid():
            return render(self.request, self.template_name, self.context(form=form, kept=kept))
        try:
            self.save(form)
        except StaleUpdateError as conflict:
            return self.show_conflict(data, conflict.current, kept=kept)
        except ValidationError as invalid:
            form.add_error(None, invalid)
            return render(self.request, self.template_name, self.context(form=form, kept=kept))
        drafts.forget(self.request.user, self.action, self.period, self.agency)
        if submitting:  # saved as a draft; the person checks their answers, then submits
            return redirect(self.check_url())
        messages.success(
            self.request, _("%(update)s saved as a draft.") % {"update": self.summary()}
        )
        return redirect("reporting:my_actions")

    def save_after_sign_in(self, kept: ReturnDraft):
        """Save draft (or Check and submit) was pressed after the session had expired: what was
        typed was kept, and is saved now, as the person signed in, with every check a save has;
        if it can't be, the form shows why with the text in it (and keeps it meanwhile)."""
        pressed, kept.intent = kept.intent, ReturnDraft.Intent.KEPT
        kept.save(update_fields=["intent", "kept_at"])
        messages.info(
            self.request,
            _(
                "You were signed out before your changes reached us. They were kept, and are "
                "saved now that you have signed in again."
            ),
        )
        data = self.as_posted(kept.data)
        data["intent"] = "submit" if pressed == ReturnDraft.Intent.SUBMIT else "save"
        if not self.coordination.submittable_by(self.request.user).exists():
            data["intent"] = "save"
        return self.handle(data, kept=kept)

    @staticmethod
    def as_posted(fields: dict) -> QueryDict:
        data = QueryDict(mutable=True)
        data.update(fields)
        return data

    def check_url(self) -> str:
        return self.return_url("reporting:update_check")

    def save(self, form) -> StatusUpdate:
        version, data, by = form.cleaned_data["version"], form.service_data(), self.request.user
        if self.update is None:
            return returns_services.start_update(
                self.action, self.period, self.agency, data=data, by=by
            )
        if version is None:  # written as if new, but someone has started it meanwhile
            raise StaleUpdateError(self.update)
        return returns_services.change_update(
            self.update, data=data, by=by, expected_version=version
        )

    def show_conflict(self, typed, current, *, kept: ReturnDraft | None = None):
        """Keep what the person typed, show what is stored now, and let the next save go ahead
        from the stored version (they have now seen it)."""
        data = typed.copy()
        data["version"] = current.version
        form = self.make_form(data=data, instance=StatusUpdate())
        form.is_valid()
        return render(
            self.request,
            self.template_name,
            self.context(
                form=form,
                conflict=current,
                conflict_readings=IndicatorReading.objects.filter(
                    measure__action=self.action, date=self.period.ends_on, agency=self.agency
                ).select_related("measure"),
                kept=kept,
            ),
            status=409,
        )

    def make_form(self, **kwargs):
        """The form with the agency's own readings for the period (another agency's are
        theirs: shown beside the form, never loaded into it)."""
        measures = list(self.action.success_measures.exclude(indicator="").order_by("order"))
        readings = {
            reading.measure_id: reading
            for reading in IndicatorReading.objects.filter(
                measure__in=measures, date=self.period.ends_on, agency=self.agency
            )
        }
        if "data" not in kwargs:
            initial = kwargs.setdefault("initial", {})
            for reading in readings.values():  # what the person typed, if kept, comes first
                initial.setdefault(f"reading_{reading.measure_id}_value", reading.value)
                initial.setdefault(f"reading_{reading.measure_id}_note", reading.note)
        return UpdateForm(period=self.period, measures=measures, readings=readings, **kwargs)

    def summary(self) -> str:
        return _("%(agency)s's update on %(plan)s %(number)s") % {
            "agency": self.agency,
            "plan": self.action.plan.code,
            "number": self.action.number,
        }

    def previous(self) -> StatusUpdate | None:
        """The agency's update on the action for the latest earlier period."""
        return (
            StatusUpdate.objects.filter(action=self.action, agency=self.agency)
            .filter(
                Q(period__year__lt=self.period.year)
                | Q(period__year=self.period.year, period__quarter__lt=self.period.quarter)
            )
            .select_related("period")
            .order_by("-period__year", "-period__quarter")
            .first()
        )

    def context(self, **extra) -> dict:
        user = self.request.user
        others = (
            StatusUpdate.objects.visible_to(user)
            .filter(action=self.action, period=self.period)
            .exclude(agency=self.agency)
            .select_related("agency", "updated_by")
        )
        mark_page(
            self.request,
            Withholding.objects.marking_of(
                actions=[self.action],
                updates=[u.pk for u in (self.update, self.previous(), *others) if u],
            ),
        )
        return {
            "action": self.action,
            "agency": self.agency,
            "period": self.period,
            "update": self.update,
            "return_state": state_of(self.update),
            "return_state_label": STATE_LABELS[state_of(self.update)],
            "previous": self.previous(),
            "other_updates": others,
            "can_submit": self.coordination.submittable_by(user).exists(),
            "is_responsible": ActionAgency.objects.responsible()
            .filter(action=self.action, agency=self.agency)
            .exists(),
            "form_key": drafts.form_key(user, self.action, self.period, self.agency),
            "autosave_url": self.return_url("reporting:update_autosave"),
            "context_plan": self.action.plan,
            "context_period": self.period,
            **extra,
        }

    def return_url(self, name: str) -> str:
        return reverse(
            name,
            kwargs={
                "period": self.period.code,
                "plan": self.action.plan.slug,
                "number": self.action.number,
                "agency": self.agency.slug,
            },
        )


def update_detail(request, pk):
    """One update, read-only, with its history; the secretariat reviews it here."""
    update = get_object_or_404(_visible_updates(request.user), pk=pk)
    return render_update(request, update)


@post_only(
    lambda pk: reverse("reporting:update_detail", kwargs={"pk": pk}),
    gettext_lazy("accept this update or return it to the agency"),
)
def update_review(request, pk):
    update = get_object_or_404(_visible_updates(request.user), pk=pk)
    require(
        StatusUpdate.objects.reviewable_by(request.user), "Only the secretariat reviews updates."
    )
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return render_update(request, update, form)
    decision, version = form.cleaned_data["decision"], form.cleaned_data["version"]
    try:
        if decision == ReviewForm.ACCEPT:
            returns_services.accept_update(
                update,
                by=request.user,
                comment=form.cleaned_data["comment"],
                expected_version=version,
            )
        else:
            returns_services.return_update(
                update,
                by=request.user,
                comment=form.cleaned_data["comment"],
                expected_version=version,
            )
    except StaleUpdateError:
        messages.error(
            request,
            _("Someone else changed this update while you were reviewing it. Check it again."),
        )
        return redirect("reporting:update_detail", pk=update.pk)
    except ValidationError as refused:
        form.add_error(None, refused.messages)
        return render_update(request, StatusUpdate.objects.get(pk=update.pk), form)
    if decision == ReviewForm.ACCEPT:
        done = _("%(agency)s's update on %(number)s accepted.")
    else:
        done = _("%(agency)s's update on %(number)s returned to the agency.")
    messages.success(request, done % {"agency": update.agency, "number": update.action.number})
    return redirect(
        reverse("reporting:period_detail", kwargs={"code": update.period.code})
        + f"#return-{update.action_id}-{update.agency_id}"
    )


class UpdateCorrectView(View):
    """The secretariat corrects a slip in a submitted or accepted update's text, without
    returning it: the history records the change as theirs, with the reason."""

    template_name = "reporting/update_correct.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.update = get_object_or_404(_visible_updates(request.user), pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        require(
            StatusUpdate.objects.correctable_by(request.user).filter(pk=self.update.pk),
            "Only the secretariat corrects a submitted or accepted update, while its period "
            "is open.",
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        initial = {name: getattr(self.update, name) for name in returns_services.CORRECTABLE_FIELDS}
        form = CorrectionForm(initial={**initial, "version": self.update.version})
        return self.render(form)

    def post(self, request, *args, **kwargs):
        form = CorrectionForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            returns_services.correct_update(
                self.update,
                data=form.changes(),
                reason=form.cleaned_data["reason"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except StaleUpdateError as conflict:
            # What they typed stays; the next save goes ahead from the stored version, which
            # the page now shows them.
            data = request.POST.copy()
            data["version"] = conflict.current.version
            form = CorrectionForm(data)
            form.is_valid()
            return self.render(form, conflict=conflict.current, status=409)
        except ValidationError as invalid:
            if hasattr(invalid, "error_dict"):
                for field, errors in invalid.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, invalid.messages)
            return self.render(form, status=400)
        messages.success(
            request,
            _(
                "%(agency)s's update on %(number)s corrected. "
                "The history records it as yours, with your reason."
            )
            % {"agency": self.update.agency, "number": self.update.action.number},
        )
        return redirect("reporting:update_detail", pk=self.update.pk)

    def render(self, form, *, conflict=None, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "update": self.update,
                "form": form,
                "conflict": conflict,
                "context_plan": self.update.action.plan,
                "context_period": self.update.period,
            },
            status=status,
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


def render_update(
    request,
    update,
    review_form=None,
    *,
    comment_form=None,
    evidence_form=None,
    status=200,
):
    """The update's page: the return, what changed since last quarter, its evidence, the
    conversation with the review decisions, the review, and its history. Each form offered is
    the one its rule allows; a form passed in (with what was typed and its errors) replaces the
    empty one."""
    mark_page(request, Withholding.objects.marking_of(actions=[update.action], updates=[update]))
    user = request.user
    if (
        review_form is None
        and StatusUpdate.objects.reviewable_by(user).filter(pk=update.pk).exists()
    ):
        review_form = ReviewForm(initial={"version": update.version})
    commentable = StatusUpdate.objects.commentable_by(user).filter(pk=update.pk).exists()
    editable = StatusUpdate.objects.editable_by(user).filter(pk=update.pk).exists()
    readings = list(readings_of(update))
    evidence = list(
        Evidence.objects.visible_to(user)
        .filter(Q(update=update) | Q(reading__in=readings))
        .select_related("reading__measure", "added_by")
    )
    removable = set(
        Evidence.objects.removable_by(user)
        .filter(pk__in=[item.pk for item in evidence])
        .values_list("pk", flat=True)
    )
    for item in evidence:
        item.removable = item.pk in removable
    previous = (
        StatusUpdate.objects.filter(action=update.action_id, agency=update.agency_id)
        .before(update.period)
        .select_related("period")
        .first()
    )
    can_withhold = allows(Withholding.objects.manageable_by(user))
    return render(
        request,
        "reporting/update_detail.html",
        {
            "update": update,
            "review_form": review_form,
            "history": update_history(update),
            "can_edit": editable,
            "can_withdraw": StatusUpdate.objects.withdrawable_by(user)
            .filter(pk=update.pk)
            .exists(),
            "can_correct": StatusUpdate.objects.correctable_by(user).filter(pk=update.pk).exists(),
            "previous": previous,
            "changes": answers(update, previous) if previous else [],
            "thread": Comment.objects.filter(update=update).thread(),
            "comment_form": comment_form or (CommentForm() if commentable else None),
            "withhold_form": WithholdCommentForm() if can_withhold else None,
            "evidence": evidence,
            "evidence_form": evidence_form
            or (EvidenceForm(readings=readings) if editable else None),
            "context_plan": update.action.plan,
            "context_period": update.period,
        },
        status=status,
    )
