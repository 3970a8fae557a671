"""The people pages' forms: finding people, inviting, memberships, groups, agencies, and setting
a password."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import Agency, Membership
from ..roles import SECRETARIAT, VIEWER
from .services import Place


class FindPeopleForm(forms.Form):
    """The people list's search: words of a name or an email address, and an agency."""

    # Not ``q``: that is the header's search box, which shows what a ``q`` in the address says.
    person = forms.CharField(
        label=_("Name or email"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.order_by("short_name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Any agency"),
        error_messages={"invalid_choice": _("There is no such agency: choose one from the list.")},
    )

    def filter(self, people):
        """``people`` with every word in their name, username or email address, and a place
        in the agency; a field that isn't valid (an agency that doesn't exist) is left out, and
        its error shown."""
        self.is_valid()
        found = self.cleaned_data
        for word in found.get("person", "").split():
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(username__icontains=word)
                | Q(email__icontains=word)
            )
        if found.get("agency"):
            people = people.filter(
                pk__in=Membership.objects.filter(agency=found["agency"]).values("user")
            )
        return people

    def is_searching(self) -> bool:
        return any(self.cleaned_data.get(name) for name in ("person", "agency"))


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=150,
        help_text=_("Their work address. The invitation goes here, and it is their username."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    place = forms.ChoiceField(
        label=_("Invite them as"),
        choices=Place.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "An agency lead submits their agency's returns; a contributor drafts them. The "
            "secretariat runs the programme; a steering group viewer reads every agency's progress."
        ),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.order_by("short_name"),
        required=False,
        empty_label=_("Choose an agency"),
        help_text=_("For an agency lead or contributor."),
    )

    def clean(self):
        data = super().clean()
        if data.get("place") in (Place.LEAD, Place.CONTRIBUTOR) and not data.get("agency"):
            self.add_error("agency", _("Choose the agency an agency lead or contributor is in."))
        return data


class MembershipForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.order_by("short_name"), empty_label=_("Choose")
    )
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class GroupsForm(forms.Form):
    groups = forms.MultipleChoiceField(
        label=_("Cross-agency groups"),
        required=False,
        choices=[(SECRETARIAT, _("Secretariat")), (VIEWER, _("Steering group viewer"))],
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The secretariat also gets the admin (staff status) and must use two-step "
            "sign-in; a viewer reads every agency's progress and changes nothing."
        ),
    )


class AgencyForm(forms.ModelForm):
    aliases = forms.CharField(
        label=_("Other names (aliases)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One a line: other spellings plan files and people use, e.g. “NZ Customs”. "
            "Each name may name only one agency."
        ),
    )

    class Meta:
        model = Agency
        fields = ["name", "maori_name", "short_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["aliases"].initial = "\n".join(
                self.instance.aliases.values_list("name", flat=True)
            )

    def validate_unique(self):
        """The service checks names across agencies, with a message naming the other one."""

    def alias_list(self) -> list[str]:
        return self.cleaned_data.get("aliases", "").splitlines()
