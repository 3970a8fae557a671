"""Forms for the quarterly return and its review. They parse input; the services decide."""

from django import forms
from django.utils.dateformat import format as date_format

from reporting.models import StatusUpdate
from reporting.returns.services import UPDATE_FIELDS


class UpdateForm(forms.ModelForm):
    """The quarter's update on one action, with a reading for each of its indicators.

    ``version`` is the version the person started from; the save is refused if the stored
    update has moved on since (see ``services.save_update``).
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = StatusUpdate
        fields = UPDATE_FIELDS
        widgets = {
            "status": forms.RadioSelect,
            "percent_complete": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            "commentary": forms.Textarea(attrs={"rows": 6}),
            "risks": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"status": "Status this quarter", "percent_complete": "Per cent complete"}
        help_texts = {
            "status": "How the action stands at the end of the quarter.",
            "percent_complete": "A whole number from 0 to 100. Leave empty if it doesn't apply.",
            "commentary": "What was done this quarter and what it achieved.",
            "risks": "Anything that may stop the action being delivered, and what is being done.",
            "next_steps": "What happens next quarter.",
        }

    def __init__(self, *args, period, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.fields["status"].choices = StatusUpdate.Status.choices
        self.measures = list(measures)
        self.reading_fields = []
        for measure in self.measures:
            value_name, note_name = f"reading_{measure.pk}_value", f"reading_{measure.pk}_note"
            unit = f" ({measure.unit})" if measure.unit else ""
            self.fields[value_name] = forms.DecimalField(
                label=f"{measure.indicator}{unit}",
                required=False,
                max_digits=14,
                decimal_places=2,
                help_text=f"As at {date_format(period.ends_on, 'j F Y')}. "
                "Leave empty if it wasn't measured.",
            )
            self.fields[note_name] = forms.CharField(
                label=f"Note on {measure.indicator}", required=False, max_length=300
            )
            self.reading_fields.append((measure, self[value_name], self[note_name]))

    def service_data(self) -> dict:
        """The cleaned input in the shape ``services.save_update`` takes."""
        data = {field: self.cleaned_data[field] for field in UPDATE_FIELDS}
        data["readings"] = {
            measure.pk: {
                "value": self.cleaned_data[f"reading_{measure.pk}_value"],
                "note": self.cleaned_data[f"reading_{measure.pk}_note"],
            }
            for measure in self.measures
        }
        return data


class ReviewForm(forms.Form):
    """The secretariat accepts a submitted update or returns it with a comment."""

    ACCEPT, RETURN = "accept", "return"

    decision = forms.ChoiceField(
        choices=[(ACCEPT, "Accept"), (RETURN, "Return for changes")], widget=forms.HiddenInput
    )
    comment = forms.CharField(
        label="Comment for the agency",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed when returning: say what has to change before it is resubmitted.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Say what needs to change before returning the update.")
        return cleaned
