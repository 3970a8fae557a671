"""Forms for the quarterly return and its review. They parse input; the model's rules
(``StatusUpdate.clean``, ``clean_for_submit``) and the services decide.

Numbers are typed as text and read here, so what was typed comes back with a plain message
instead of the browser blanking it (a ``type=number`` field posts nothing for "lots").
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.dateformat import format as date_format
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reporting.models import StatusUpdate, return_rules
from reporting.returns.services import UPDATE_FIELDS

PERCENT_HELP = _("A whole number from 0 to 100, like 40. Needed to submit.")
PERCENT_INVALID = _("Enter per cent complete as a whole number from 0 to 100, like 40.")


def _limit_hint(help_text: str, limit: int) -> str:
    """The help text, then how many characters the field takes, in the reader's language."""
    hint = gettext("You can enter up to %(limit)s characters.") % {"limit": f"{limit:,}"}
    return f"{help_text} {hint}"


_lazy_limit_hint = lazy(_limit_hint, str)


def _limited_text(field: str, *, label: str, help_text: str, rows: int) -> forms.CharField:
    """A text area whose maximum is shown as a hint and, where scripts run, a live count
    (static/js/tsoc.js reads ``data-maxlength``); the server checks it in ``StatusUpdate.clean``."""
    limit = return_rules.text_limit(field)
    return forms.CharField(
        label=label,
        required=False,
        help_text=_lazy_limit_hint(help_text, limit),
        widget=forms.Textarea(
            attrs={"rows": rows, "maxlength": limit, "data-maxlength": limit, "class": "counted"}
        ),
    )


def _normalised(text: str) -> str:
    """Line breaks as one character each, as the browser counts them."""
    return (text or "").replace("\r\n", "\n")


def parse_percent(typed: str) -> int | None:
    """``"40"``, ``"40%"`` or ``" 40 "`` → 40; empty → None; anything else is invalid."""
    text = typed.strip().removesuffix("%").strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{1,3}", text) or int(text) > 100:
        raise forms.ValidationError(PERCENT_INVALID, code="invalid")
    return int(text)


def parse_reading(typed: str, *, label: str) -> Decimal | None:
    """``"1,234.5"`` → Decimal("1234.5"); empty → None; anything else is invalid."""
    text = typed.strip().replace(",", "").replace(" ", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not re.fullmatch(r"-?\d+(\.\d+)?", text):
        raise forms.ValidationError(
            gettext("Enter %(label)s as a number, like 12 or 12.5. “%(typed)s” is not a number.")
            % {"label": label, "typed": typed.strip()[:40]},
            code="invalid",
        )
    if value.as_tuple().exponent < -2:
        raise forms.ValidationError(
            gettext("Enter %(label)s with at most 2 decimal places, like 12.25.")
            % {"label": label},
            code="invalid",
        )
    if abs(value) >= Decimal(10) ** 12:
        raise forms.ValidationError(
            gettext("Enter %(label)s below 1,000,000,000,000.") % {"label": label}, code="invalid"
        )
    return value


class UpdateForm(forms.ModelForm):
    """The quarter's update on one action, with the agency's reading for each of its indicators.

    ``version`` is the version the person started from; the save is refused if the stored
    update has moved on since (see ``services.change_update``). With ``submitting`` the form
    also asks for what a submitted return needs (``StatusUpdate.clean_for_submit``).
    """

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid": _("The page was out of date. Reload the form and try again.")},
    )
    status = forms.ChoiceField(
        label=_("Status this quarter"),
        choices=StatusUpdate.Status.choices,
        widget=forms.RadioSelect,
        help_text=_("How the action stands at the end of the quarter."),
        error_messages={
            "required": _("Choose the action's status this quarter."),
            "invalid_choice": _("Choose one of the statuses listed."),
        },
    )
    percent_complete = forms.CharField(
        label=_("Per cent complete"),
        required=False,
        help_text=PERCENT_HELP,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "class": "input--short"}
        ),
    )
    commentary = _limited_text(
        "commentary",
        label=_("Progress commentary"),
        help_text=_("What was done this quarter and what it achieved. Needed to submit."),
        rows=6,
    )
    risks = _limited_text(
        "risks",
        label=_("Risks and issues"),
        help_text=_("Anything that may stop the action being delivered, and what is being done."),
        rows=4,
    )
    next_steps = _limited_text(
        "next_steps", label=_("Next steps"), help_text=_("What happens next quarter."), rows=4
    )

    class Meta:
        model = StatusUpdate
        fields = UPDATE_FIELDS

    def __init__(self, *args, period, measures=(), readings=None, submitting=False, **kwargs):
        """``readings`` are the agency's stored readings for the period, by measure id: a
        measure with one gets a "Remove this reading" choice."""
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.submitting = submitting
        self.measures = list(measures)
        self.stored_readings = readings or {}
        self.reading_fields = []
        for measure in self.measures:
            self._add_reading_fields(measure, period)

    def _add_reading_fields(self, measure, period) -> None:
        unit = f" ({measure.unit})" if measure.unit else ""
        name = f"reading_{measure.pk}"
        self.fields[f"{name}_value"] = forms.CharField(
            label=f"{measure.indicator}{unit}",
            required=False,
            help_text=gettext(
                "As at %(date)s. A number, like 12 or 12.5. Leave empty if it wasn't measured."
            )
            % {"date": date_format(period.ends_on, "j F Y")},
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        )
        self.fields[f"{name}_note"] = forms.CharField(
            label=gettext("Note on %(indicator)s") % {"indicator": measure.indicator},
            required=False,
            max_length=300,
            help_text=gettext("Up to 300 characters."),
            error_messages={
                "max_length": gettext(
                    "Shorten the note to 300 characters or fewer (it has %(show_value)d)."
                )
            },
        )
        remove = None
        if measure.pk in self.stored_readings:
            self.fields[f"{name}_remove"] = forms.BooleanField(
                label=gettext("Remove this reading"), required=False
            )
            remove = self[f"{name}_remove"]
        self.reading_fields.append((measure, self[f"{name}_value"], self[f"{name}_note"], remove))

    def clean_percent_complete(self):
        return parse_percent(self.cleaned_data.get("percent_complete") or "")

    def clean_commentary(self):
        return _normalised(self.cleaned_data.get("commentary"))

    def clean_risks(self):
        return _normalised(self.cleaned_data.get("risks"))

    def clean_next_steps(self):
        return _normalised(self.cleaned_data.get("next_steps"))

    def clean(self):
        cleaned = super().clean()
        for measure in self.measures:
            name = f"reading_{measure.pk}_value"
            if name in cleaned:
                try:
                    cleaned[name] = parse_reading(cleaned[name], label=measure.indicator)
                except forms.ValidationError as invalid:
                    self.add_error(name, invalid)
        if self.submitting:
            missing = return_rules.missing_for_submit(
                cleaned.get("status"), cleaned.get("percent_complete"), cleaned.get("commentary")
            )
            for field, message in missing.items():
                if field not in self.errors:
                    self.add_error(field, message)
        return cleaned

    def service_data(self) -> dict:
        """The cleaned input in the shape ``services.change_update`` takes."""
        data = {field: self.cleaned_data[field] for field in UPDATE_FIELDS}
        data["readings"] = {
            measure.pk: {
                "value": self.cleaned_data[f"reading_{measure.pk}_value"],
                "note": self.cleaned_data[f"reading_{measure.pk}_note"],
                "remove": self.cleaned_data.get(f"reading_{measure.pk}_remove", False),
            }
            for measure in self.measures
        }
        return data


class ReviewForm(forms.Form):
    """The secretariat accepts a submitted update (the comment is kept) or returns it with a
    comment saying what has to change."""

    ACCEPT, RETURN = "accept", "return"

    decision = forms.ChoiceField(
        choices=[(ACCEPT, _("Accept")), (RETURN, _("Return for changes"))],
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose Accept or Return for changes."),
            "invalid_choice": _("Choose Accept or Return for changes."),
        },
    )
    comment = forms.CharField(
        label=_("Comment for the agency"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "maxlength": return_rules.text_limit("review_comment"),
                "data-maxlength": return_rules.text_limit("review_comment"),
                "class": "counted",
            }
        ),
        help_text=_lazy_limit_hint(
            _(
                "Needed when returning: say what has to change before it is resubmitted. "
                "Kept with the update when accepting."
            ),
            return_rules.text_limit("review_comment"),
        ),
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("The page was out of date. Reload the update and review it again."),
            "invalid": _("The page was out of date. Reload the update and review it again."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""

    def clean_comment(self):
        comment = _normalised(self.cleaned_data.get("comment")).strip()
        too_long = return_rules.text_too_long("review_comment", comment)
        if too_long:
            raise forms.ValidationError(too_long)
        return comment

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not cleaned.get("comment", "").strip():
            self.add_error(
                "comment",
                gettext("Write a comment saying what needs to change before returning the update."),
            )
        return cleaned
