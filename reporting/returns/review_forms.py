"""Forms on an update's page beside the review: the conversation, evidence, withholding a
comment, and the secretariat's correction. They parse input; the services decide."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reporting.evidence.content import ACCEPTED_EXTENSIONS
from reporting.models import ProtectiveMarking, Withholding, return_rules
from reporting.models.reports import DEFAULT_MARKING
from reporting.returns.forms import _lazy_limit_hint, _limited_text, _normalised

VERSION_ERRORS = {
    "required": _("The page was out of date. Reload the update and try again."),
    "invalid": _("The page was out of date. Reload the update and try again."),
}


def _file_hint() -> str:
    """The kinds of file evidence may be, and how big, in the reader's language."""
    return gettext("PDF, Word, Excel, or a PNG, JPEG, GIF or WebP image, up to %(size)s.") % {
        "size": filesizeformat(settings.EVIDENCE_MAX_BYTES)
    }


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Add to the conversation"),
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "maxlength": return_rules.text_limit("review_comment"),
                "data-maxlength": return_rules.text_limit("review_comment"),
                "class": "counted",
            }
        ),
        help_text=_lazy_limit_hint(
            _("The others in this conversation are emailed a copy."),
            return_rules.text_limit("review_comment"),
        ),
        error_messages={"required": _("Write your comment before posting it.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""


class EvidenceForm(forms.Form):
    """A file or a link, for the return or one of the readings it recorded."""

    file = forms.FileField(
        label=_("A file"),
        required=False,
        help_text=lazy(_file_hint, str)(),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )
    url = forms.CharField(
        label=_("Or a link"),
        required=False,
        max_length=2000,
        help_text=_("A web address starting https://, for evidence kept elsewhere."),
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label=_("Title of the link"),
        required=False,
        max_length=200,
        help_text=_("What a reader will see, like “Operation Ida results (Police intranet)”."),
    )
    reading = forms.TypedChoiceField(
        label=_("What it is evidence for"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, readings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.readings = {reading.pk: reading for reading in readings}
        self.fields["reading"].choices = [("", gettext("The return as a whole"))] + [
            (
                reading.pk,
                gettext("The reading of %(indicator)s: %(value)s")
                % {"indicator": reading.measure.indicator, "value": f"{reading.value:g}"},
            )
            for reading in readings
        ]

    def clean(self):
        cleaned = super().clean()
        has_file, has_url = bool(cleaned.get("file")), bool((cleaned.get("url") or "").strip())
        if has_file == has_url:
            self.add_error(
                "file",
                gettext("Choose a file, or enter a link, to attach.")
                if not has_file
                else gettext("Attach a file or a link, not both at once."),
            )
        return cleaned

    def chosen_reading(self):
        return self.readings.get(self.cleaned_data.get("reading"))


class WithholdCommentForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Official Information Act ground"), choices=Withholding.Ground.choices
    )
    marking = forms.ChoiceField(
        label=_("Protective marking of the comment"),
        choices=ProtectiveMarking.choices,
        initial=DEFAULT_MARKING,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""


class CorrectionForm(forms.Form):
    """The secretariat's small correction of an update's text, with the reason for the history."""

    commentary = _limited_text("commentary", label=_("Progress commentary"), help_text="", rows=6)
    risks = _limited_text("risks", label=_("Risks and issues"), help_text="", rows=4)
    next_steps = _limited_text("next_steps", label=_("Next steps"), help_text="", rows=4)
    reason = forms.CharField(
        label=_("Why you are correcting it"),
        max_length=300,
        help_text=_(
            "Recorded in the update's history and told to the agency, like “Fixed a "
            "typo in the agency's name”. Up to 300 characters."
        ),
        error_messages={
            "required": _("Say why you are correcting it, for the history."),
            "max_length": _("Keep the reason to 300 characters (it has %(show_value)d)."),
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, error_messages=VERSION_ERRORS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""

    def clean_commentary(self):
        return _normalised(self.cleaned_data.get("commentary"))

    def clean_risks(self):
        return _normalised(self.cleaned_data.get("risks"))

    def clean_next_steps(self):
        return _normalised(self.cleaned_data.get("next_steps"))

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("commentary", "risks", "next_steps")}
