"""The secretariat's people pages (under /people/): everyone and their places, inviting someone,
one person's memberships, groups and account, the agencies; and the invited person's own page
that sets their password from the invitation's link.

Every page asks ``people_manageable_by`` or ``Agency.objects.manageable_by`` first; the services
ask them again.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.rules import require
from core.views import post_only

from ..models import Agency, Membership
from ..querysets import people_manageable_by
from ..roles import ROLE_GROUPS
from . import services
from .forms import AgencyForm, FindPeopleForm, GroupsForm, InviteForm, MembershipForm, RoleForm
from .invitations import invitation_tokens

PEOPLE_REFUSAL = "The people pages are for the secretariat."
PEOPLE_PER_PAGE = 50


def _people(user):
    return require(people_manageable_by(user), PEOPLE_REFUSAL)


def _agencies(user):
    return require(Agency.objects.manageable_by(user), PEOPLE_REFUSAL)


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its field where the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def people_list(request):
    """Everyone the secretariat manages, ``PEOPLE_PER_PAGE`` at a time, found by words of a
    name or email and by agency: their agencies and roles, groups, last sign-in, state."""
    form = FindPeopleForm(request.GET)
    people = (
        form.filter(_people(request.user))
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("agency")),
            "groups",
        )
        .order_by("first_name", "last_name", "username")
    )
    # Django's get_page: a page "number" that isn't a number shows the first page; one out of
    # range, the last.
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "agencies/people/people_list.html",
        {
            "form": form,
            "searching": form.is_searching(),
            "page": page,
            "people": page.object_list,
            "page_range": page.paginator.get_elided_page_range(page.number),
        },
    )


def invite(request):
    _people(request.user)
    form = InviteForm(request.POST if request.method == "POST" else None)
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            person = services.invite(
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                place=form.cleaned_data["place"],
                agency=form.cleaned_data["agency"],
                by=request.user,
            )
        except services.AccountExists as error:
            existing = error.person
            _add_errors(form, error)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Invited %(name)s: the email with their link to set a password has gone to "
                    "%(email)s."
                )
                % {"name": person.get_full_name(), "email": person.email},
            )
            return redirect("people:person", pk=person.pk)
    return render(
        request,
        "agencies/people/invite.html",
        {
            "form": form,
            "existing": existing,
            "invitation_days": settings.INVITATION_TIMEOUT_DAYS,
        },
        status=400 if form.errors else 200,
    )


def person_detail(request, pk: int):
    """One person: their agencies and roles, groups, account, and the changes to it."""
    person = get_object_or_404(_people(request.user), pk=pk)
    return _person_page(request, person, status=200)


def _person_context(person, memberships, **forms) -> dict:
    return {
        "person": person,
        "memberships": [
            (m, RoleForm(initial={"role": m.role}, prefix=f"m{m.pk}")) for m in memberships
        ],
        "membership_form": forms.get("membership_form") or MembershipForm(),
        "groups_form": forms.get("groups_form")
        or GroupsForm(
            initial={
                "groups": list(
                    person.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True)
                )
            }
        ),
        "invited": not person.has_usable_password(),
        "events": person.person_events.select_related("by")[:20],
        "membership_changes": Membership.history.filter(user_id=person.pk)
        .select_related("agency", "history_user")
        .order_by("-history_date")[:20],
        "tokens_active": person.api_tokens.filter(revoked_at__isnull=True).count(),
    }


def _person_page(request, person, status=400, **forms):
    memberships = person.memberships.select_related("agency").order_by("agency__short_name")
    return render(
        request,
        "agencies/people/person_detail.html",
        _person_context(person, memberships, **forms),
        status=status,
    )


@post_only(lambda pk: reverse("people:person", args=[pk]), gettext_lazy("add someone to an agency"))
def membership_add(request, pk: int):
    person = get_object_or_404(_people(request.user), pk=pk)
    form = MembershipForm(request.POST)
    if form.is_valid():
        try:
            membership = services.add_membership(
                person, form.cleaned_data["agency"], form.cleaned_data["role"], by=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Added: %(role)s, %(agency)s.")
                % {"role": membership.get_role_display(), "agency": membership.agency},
            )
            return redirect("people:person", pk=person.pk)
    return _person_page(request, person, membership_form=form)


@post_only(lambda pk: reverse("people:list"), gettext_lazy("change someone's role in an agency"))
def membership_change(request, pk: int):
    membership = get_object_or_404(
        Membership.objects.filter(user__in=_people(request.user)).select_related("user", "agency"),
        pk=pk,
    )
    form = RoleForm(request.POST, prefix=f"m{membership.pk}")
    if form.is_valid():
        services.change_role(membership, form.cleaned_data["role"], by=request.user)
        messages.success(
            request,
            _("Now %(role)s, %(agency)s.")
            % {"role": membership.get_role_display(), "agency": membership.agency},
        )
    else:
        messages.error(request, _("Choose agency lead or contributor."))
    return redirect("people:person", pk=membership.user_id)


@post_only(lambda pk: reverse("people:list"), gettext_lazy("take someone out of an agency"))
def membership_remove(request, pk: int):
    membership = get_object_or_404(
        Membership.objects.filter(user__in=_people(request.user)).select_related("user", "agency"),
        pk=pk,
    )
    services.remove_membership(membership, by=request.user)
    messages.success(
        request,
        _("No longer in %(agency)s. The returns they wrote for it stay, with their name.")
        % {"agency": membership.agency},
    )
    return redirect("people:person", pk=membership.user_id)


@post_only(lambda pk: reverse("people:person", args=[pk]), gettext_lazy("change someone's groups"))
def groups_change(request, pk: int):
    person = get_object_or_404(_people(request.user), pk=pk)
    form = GroupsForm(request.POST)
    if form.is_valid():
        try:
            services.change_groups(person, set(form.cleaned_data["groups"]), by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Groups saved."))
            return redirect("people:person", pk=person.pk)
    return _person_page(request, person, groups_form=form)


@post_only(lambda pk: reverse("people:person", args=[pk]), gettext_lazy("deactivate someone"))
def deactivate(request, pk: int):
    person = get_object_or_404(_people(request.user), pk=pk)
    try:
        ended = services.deactivate(person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Deactivated %(name)s: they can't sign in; %(sessions)s ended and %(tokens)s "
                "revoked. Their returns and history stay."
            )
            % {
                "name": person.get_full_name() or person.username,
                "sessions": ngettext("%(n)s session", "%(n)s sessions", ended["sessions"])
                % {"n": ended["sessions"]},
                "tokens": ngettext("%(n)s API token", "%(n)s API tokens", ended["tokens"])
                % {"n": ended["tokens"]},
            },
        )
    return redirect("people:person", pk=person.pk)


@post_only(lambda pk: reverse("people:person", args=[pk]), gettext_lazy("reactivate someone"))
def reactivate(request, pk: int):
    person = get_object_or_404(_people(request.user), pk=pk)
    try:
        services.reactivate(person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Reactivated %(name)s: they can sign in again. API tokens revoked earlier stay "
                "revoked; issue new ones if they need them."
            )
            % {"name": person.get_full_name() or person.username},
        )
    return redirect("people:person", pk=person.pk)


@post_only(lambda pk: reverse("people:person", args=[pk]), gettext_lazy("send an invitation again"))
def resend(request, pk: int):
    person = get_object_or_404(_people(request.user), pk=pk)
    try:
        services.send_invitation_again(person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("A new invitation has gone to %(email)s.") % {"email": person.email}
        )
    return redirect("people:person", pk=person.pk)


# Agencies -----------------------------------------------------------------------------------


def agency_list(request):
    agencies = _agencies(request.user).prefetch_related("aliases").order_by("short_name")
    return render(request, "agencies/people/agency_list.html", {"agencies": agencies})


def agency_add(request):
    return _agency_form(request, None)


def agency_edit(request, slug: str):
    return _agency_form(request, get_object_or_404(_agencies(request.user), slug=slug))


def _agency_form(request, agency):
    _agencies(request.user)
    form = AgencyForm(request.POST if request.method == "POST" else None, instance=agency)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_agency(
                agency,
                name=form.cleaned_data["name"],
                maori_name=form.cleaned_data["maori_name"],
                short_name=form.cleaned_data["short_name"],
                email=form.cleaned_data["email"],
                aliases=form.alias_list(),
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved %(agency)s.") % {"agency": saved.name})
            return redirect("people:agency_list")
    return render(
        request,
        "agencies/people/agency_form.html",
        {"form": form, "agency": agency},
        status=400 if form.errors else 200,
    )


# The invited person's own page --------------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The invitation's link: set a password once, then sign in (the secretariat then sets up
    two-step sign-in, as at any first sign-in)."""

    token_generator = invitation_tokens
    form_class = SetPasswordForm
    template_name = "agencies/people/set_password.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        services.set_password_from_invitation(self.user, form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(
            self.request,
            _("Your password is set. Sign in with your username, %(username)s, and it.")
            % {"username": self.user.username},
        )
        return redirect(self.success_url)
