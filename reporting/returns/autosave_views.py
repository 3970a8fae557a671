"""Nothing typed into a return is lost to a timeout.

- ``UpdateAutosaveView``: the form's script sends what is typed every few seconds; it is kept
  for the person (``drafts.keep``, version-checked: once someone else has saved the return, the
  form says so and keeps nothing over it). A plain POST with ``discard`` throws the kept text away.
- ``keeps_text_through_sign_in``: the form and the autosave answer a request whose session has
  expired themselves, instead of the sign-in redirect that would drop the text: it is kept under
  the person the form was shown to (its signed ``form_key``), and saved once they sign in again.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.views import View

from reporting.models import ReturnDraft
from reporting.models.updates import StaleUpdateError
from reporting.returns import drafts
from reporting.returns.views import UpdateFormView
from reporting.templatetags.reporting_tags import person


def keeps_text_through_sign_in(view, *, answers_script: bool):
    """``view`` (the form, or its autosave when ``answers_script``) for signed-in people; for a
    request whose session has expired, the text kept and the way back through signing in."""

    @login_not_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        form_path = reverse("reporting:update_form", kwargs=kwargs)
        kept = None
        if request.method == "POST" and "discard" not in request.POST:
            intent = ReturnDraft.Intent.KEPT
            if not answers_script:
                submit = request.POST.get("intent") == "submit"
                intent = ReturnDraft.Intent.SUBMIT if submit else ReturnDraft.Intent.SAVE
            kept = drafts.keep_signed_out(
                request.POST.get("form_key", ""), drafts.form_data(request.POST), intent
            )
        if answers_script:
            return JsonResponse(
                {"signed_out": True, "kept": kept is not None, "sign_in": _sign_in(form_path)},
                status=401,
            )
        if kept is not None:
            messages.info(
                request,
                _(
                    "You were signed out, so your changes haven't been saved yet. They are kept: "
                    "sign in again and they will be saved."
                ),
            )
        return redirect_to_login(form_path)

    return wrapped


def _sign_in(next_path: str) -> str:
    return redirect_to_login(next_path).url


class UpdateAutosaveView(UpdateFormView):
    """Keep what the person has typed in the return form (their own, until they save it)."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not self.coordination.reportable_by(request.user).exists():
            return _problem(_("You can only write your own agency's updates."), status=403)
        return View.dispatch(self, request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if "discard" in request.POST:
            drafts.forget(request.user, self.action, self.period, self.agency)
            messages.success(
                request,
                _("What you had typed is thrown away: the form shows the return as saved."),
            )
            return redirect(self.return_url("reporting:update_form"))
        data = drafts.form_data(request.POST)
        try:
            kept = drafts.keep(
                self.action,
                self.period,
                self.agency,
                data=data,
                by=request.user,
                expected_version=_number(request.POST.get("version")),
                expected_revision=_number(request.POST.get("draft_revision")),
            )
        except StaleUpdateError as conflict:
            current = conflict.current
            return _problem(
                _(
                    "%(who)s saved this update at %(when)s, after you opened it. What you type "
                    "now is not kept automatically: press Save draft to compare your version "
                    "with theirs."
                )
                % {
                    "who": person(current.updated_by, _("Someone")),
                    "when": _time(current.updated_at),
                },
                status=409,
            )
        except drafts.StaleDraftError:
            return _problem(
                _(
                    "You have this return open in another window, which kept newer text. What you "
                    "type here is not kept automatically: press Save draft, or reload to carry on "
                    "from the other window's text."
                ),
                status=409,
            )
        except (ValidationError, PermissionDenied) as refused:
            message = refused.messages[0] if isinstance(refused, ValidationError) else str(refused)
            return _problem(message, status=403)
        return JsonResponse({"revision": kept.revision, "kept_at": _time(kept.kept_at)}, status=200)


def _number(raw) -> int | None:
    raw = raw or ""
    return int(raw) if raw.isascii() and raw.isdigit() else None


def _time(moment) -> str:
    return format_date(timezone.localtime(moment), "g.i a")


def _problem(message: str, *, status: int) -> JsonResponse:
    return JsonResponse({"problem": message}, status=status)
