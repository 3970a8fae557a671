"""The one field every second-factor step asks for: a code."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("The 6-digit code your authenticator app shows now, or a recovery code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, check=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check

    def clean_code(self):
        code = self.cleaned_data["code"]
        if self.check is not None and not self.check(code):
            raise forms.ValidationError(
                _(
                    "That code didn't work. Check the clock on your phone is right, wait for the "
                    "next code and try again."
                )
            )
        return code


class AppCodeForm(CodeForm):
    """Setting up: the code must come from the app being set up."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("The 6-digit code your authenticator app shows now.")
        self.fields["code"].widget.attrs["inputmode"] = "numeric"
