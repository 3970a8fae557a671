"""The sign-in pages: password, then the second factor (or setting one up), the agency's identity
provider's refusals, and the pages where people manage their own second factor and the
secretariat resets someone's."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.views import post_only

from . import oidc, pending
from . import second_factor as factor
from .forms import AppCodeForm, CodeForm

RECOVERY_CODES = "signin.recovery_codes"


def sign_in_options() -> dict:
    return {
        "local_passwords": settings.LOCAL_PASSWORDS_ENABLED,
        "oidc": oidc.is_configured(),
        "provider_name": settings.OIDC_PROVIDER_NAME,
    }


class SignInView(auth_views.LoginView):
    """The password step. A person with an authenticator app goes on to give its code; the
    secretariat and staff without one go on to set one up. Nobody is signed in before that."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | sign_in_options()

    def form_valid(self, form):
        user = form.get_user()
        if factor.authenticator(user) is not None:
            pending.begin(self.request, user, self.get_success_url())
            return redirect("signin:code")
        if factor.is_required(user):
            pending.begin(self.request, user, self.get_success_url())
            return redirect("signin:set_up")
        return super().form_valid(form)


@login_not_required
def code(request):
    """The second step of a local sign-in: the authenticator's code, or a recovery code."""
    person = pending.person(request)
    if person is None:
        return _start_again(request)
    form = CodeForm(request.POST or None, check=lambda code: factor.verify(person, code))
    if request.method == "POST" and form.is_valid():
        return redirect(pending.finish(request, person))
    return render(
        request,
        "registration/second_factor.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_not_required
def set_up(request):
    """Set up an authenticator app: during sign-in (required for the secretariat and staff), or
    later from the two-step sign-in page."""
    person = pending.person(request) or (request.user if request.user.is_authenticated else None)
    if person is None:
        return _start_again(request)
    if factor.authenticator(person) is not None and request.user.is_authenticated:
        return redirect("signin:two_factor")
    device = factor.start_enrolment(person)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = factor.confirm_enrolment(device, form.cleaned_data["code"])
        if codes is not None:
            next_url = reverse("signin:two_factor")
            if not request.user.is_authenticated:
                next_url = pending.finish(request, person)
            request.session[RECOVERY_CODES] = {"codes": codes, "next": next_url}
            return redirect("signin:recovery_codes")
        form.add_error(
            "code",
            _(
                "That code didn't match. Check you scanned this page's QR code "
                "or typed its key, wait for the next code and try again."
            ),
        )
    return render(
        request,
        "registration/second_factor_set_up.html",
        {
            "form": form,
            "required": factor.is_required(person),
            "during_sign_in": not request.user.is_authenticated,
            "qr_code": factor.qr_code_svg(device),
            "secret": factor.secret_for_typing(device),
        },
        status=400 if form.errors else 200,
    )


def recovery_codes(request):
    """The new recovery codes, shown once."""
    shown = request.session.pop(RECOVERY_CODES, None)
    if shown is None:
        return redirect("signin:two_factor")
    return render(request, "registration/recovery_codes.html", shown)


def two_factor(request):
    """A person's own two-step sign-in: on or off, recovery codes left, new codes, turning off."""
    user = request.user
    return render(
        request,
        "registration/two_factor.html",
        {
            "app": factor.authenticator(user),
            "required": factor.is_required(user),
            "codes_left": factor.recovery_codes_left(user),
            "form": CodeForm(),
            "can_reset_others": factor.people_resettable_by(user).exists(),
            "events": user.second_factor_events.select_related("by")[:10],
        },
    )


@post_only(lambda: reverse("signin:two_factor"), gettext_lazy("make new recovery codes"))
def new_recovery_codes(request):
    return _after_code(
        request, lambda: _show_codes(request, factor.make_recovery_codes(request.user))
    )


@post_only(lambda: reverse("signin:two_factor"), gettext_lazy("turn off two-step sign-in"))
def turn_off(request):
    def done():
        factor.turn_off(request.user)
        messages.success(
            request, _("Two-step sign-in is off. You sign in with your password only.")
        )
        return redirect("signin:two_factor")

    return _after_code(request, done)


def people(request):
    """The secretariat's list of who uses two-step sign-in, to reset it for a lost phone."""
    resettable = factor.people_resettable_by(request.user)
    if not resettable.exists():
        raise Http404("Only the secretariat or staff reset other people's sign-in.")
    enrolled = resettable.filter(totpdevice__confirmed=True).distinct().order_by("username")
    return render(request, "registration/two_factor_people.html", {"people": enrolled})


@post_only(lambda pk: reverse("signin:people"), gettext_lazy("reset someone's two-step sign-in"))
def reset(request, pk: int):
    person = get_object_or_404(factor.people_resettable_by(request.user), pk=pk)
    factor.reset(person, by=request.user)
    if factor.is_required(person):
        done = _(
            "Two-step sign-in reset for %(name)s. They set it up again at their next sign-in "
            "(they must)."
        )
    else:
        done = _("Two-step sign-in reset for %(name)s. They set it up again at their next sign-in.")
    messages.success(request, done % {"name": person.get_full_name() or person.username})
    return redirect("signin:people")


@login_not_required
def oidc_refused(request):
    """Why the agency's identity provider sign-in didn't sign the person in."""
    refusal = request.session.pop(oidc.REFUSAL, None) or {"reason": "failed"}
    return render(
        request, "registration/oidc_refused.html", refusal | sign_in_options(), status=403
    )


def _after_code(request, then):
    if factor.authenticator(request.user) is None:
        return redirect("signin:two_factor")
    form = CodeForm(request.POST, check=lambda code: factor.verify(request.user, code))
    if form.is_valid():
        return then()
    messages.error(request, form.errors["code"][0])
    return redirect("signin:two_factor")


def _show_codes(request, codes):
    request.session[RECOVERY_CODES] = {"codes": codes, "next": reverse("signin:two_factor")}
    return redirect("signin:recovery_codes")


def _start_again(request):
    messages.info(request, _("Sign in again: that sign-in took too long or was already finished."))
    return redirect("login")
