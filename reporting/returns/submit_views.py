"""Submitting and taking back a return: "Check your answers" before it is submitted, and a
lead's withdrawal before the secretariat reviews it. Changes go through ``returns.services``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions.models import ActionAgency, IndicatorReading
from core.views import post_only
from reporting.models.updates import StaleUpdateError
from reporting.returns import services as returns_services
from reporting.returns.check import answers
from reporting.returns.views import UpdateFormView, _visible_updates


class CheckAnswersView(UpdateFormView):
    """What will be submitted, and what changed since last quarter, each part with a "Change"
    link back to the form; the second button submits."""

    template_name = "reporting/update_check.html"

    def get(self, request, *args, **kwargs):
        if self.update is None:
            return redirect(self.form_url())
        return self.show()

    def post(self, request, *args, **kwargs):
        if not self.coordination.submittable_by(request.user).exists():
            raise PermissionDenied("Only a lead of the agency submits its updates.")
        if self.update is None:
            return redirect(self.form_url())
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            update = returns_services.submit_update(
                self.update, by=request.user, expected_version=version
            )
        except StaleUpdateError:
            messages.error(
                request,
                _(
                    "Someone changed this update since you checked it, so it was not submitted. "
                    "Check the answers again below."
                ),
            )
            return redirect(self.check_url())
        except ValidationError as invalid:
            return self.show(errors=invalid, status=400)
        if update.is_late:
            done = _(
                "%(update)s submitted. It was submitted after the due date, so it is marked late."
            )
        else:
            done = _("%(update)s submitted.")
        messages.success(request, done % {"update": self.summary()})
        return redirect("reporting:my_actions")

    def form_url(self) -> str:
        return self.check_url().removesuffix("check/")

    def show(self, errors: ValidationError | None = None, status: int = 200):
        messages_by_field = errors.message_dict if errors and hasattr(errors, "error_dict") else {}
        rows = answers(self.update, self.previous())
        for row in rows:
            row.errors = messages_by_field.get(row.field, [])
        return render(
            self.request,
            self.template_name,
            self.context(
                answers=rows,
                form_url=self.form_url(),
                readings=IndicatorReading.objects.filter(
                    measure__action=self.action, date=self.period.ends_on, agency=self.agency
                ).select_related("measure"),
                errors=errors.messages if errors else [],
            ),
            status=status,
        )


@post_only(
    lambda pk: reverse("reporting:update_detail", kwargs={"pk": pk}),
    gettext_lazy("withdraw this return before it is reviewed"),
)
def update_withdraw(request, pk):
    """A lead takes a submitted return back to draft before the secretariat reviews it."""
    update = get_object_or_404(_visible_updates(request.user), pk=pk)
    leads_it = ActionAgency.objects.submittable_by(request.user).filter(
        action=update.action_id, agency=update.agency_id
    )
    if not leads_it.exists():
        raise PermissionDenied("Only a lead of the agency can withdraw its updates.")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return HttpResponseBadRequest(
            _("The page was out of date. Reload the update and try again.")
        )
    try:
        returns_services.withdraw_update(update, by=request.user, expected_version=version)
    except StaleUpdateError:
        messages.error(
            request,
            _(
                "Someone changed this update since you opened it, so it was not withdrawn. "
                "Check it again below."
            ),
        )
        return redirect("reporting:update_detail", pk=update.pk)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("reporting:update_detail", pk=update.pk)
    messages.success(
        request,
        _(
            "%(agency)s's update on %(plan)s %(number)s is withdrawn and back to draft. "
            "Change it, then submit it again."
        )
        % {
            "agency": update.agency,
            "plan": update.action.plan.code,
            "number": update.action.number,
        },
    )
    return redirect(
        "reporting:update_form",
        period=update.period.code,
        plan=update.action.plan.slug,
        number=update.action.number,
        agency=update.agency.slug,
    )
