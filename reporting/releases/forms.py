"""The forms that approve a public version and release it."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReleaseForm(forms.Form):
    publisher = forms.CharField(
        label=_("Proactively released by"),
        max_length=200,
        help_text=_("Printed on the release cover: “Proactively released by …”."),
    )
    release_date = forms.DateField(
        label=_("Release date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date printed on the cover and on every page."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.fields["publisher"].initial = settings.PROACTIVE_RELEASE_BY
        self.fields["release_date"].initial = timezone.localdate()
