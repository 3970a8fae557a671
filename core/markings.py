"""Protective markings of the New Zealand Protective Security Requirements (PSR), and the
deployment's ceiling.

The PSR's classification system has two policy-and-privacy classifications (IN CONFIDENCE,
SENSITIVE) and four national-security ones (RESTRICTED, CONFIDENTIAL, SECRET, TOP SECRET);
official information that needs none is UNCLASSIFIED. A deployment is accredited to hold
information up to a ceiling (``PROTECTIVE_MARKING_CEILING``, RESTRICTED unless set): nothing
marked above it can be entered or chosen anywhere (``within_ceiling`` is the one check, and
``choices_within_ceiling`` the one list forms offer).

Pages name the markings of what they show with ``mark_page(request, …)``; the context processor
``page_marking`` gives the highest of them to ``templates/base.html``, which prints it at the
top and bottom of the page.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils.functional import SimpleLazyObject


class ProtectiveMarking(models.TextChoices):
    """The PSR classifications, lowest first (the order ``highest`` and the ceiling rely on)."""

    UNCLASSIFIED = "UNCLASSIFIED", "UNCLASSIFIED"
    IN_CONFIDENCE = "IN CONFIDENCE", "IN CONFIDENCE"
    SENSITIVE = "SENSITIVE", "SENSITIVE"
    RESTRICTED = "RESTRICTED", "RESTRICTED"
    CONFIDENTIAL = "CONFIDENTIAL", "CONFIDENTIAL"
    SECRET = "SECRET", "SECRET"
    TOP_SECRET = "TOP SECRET", "TOP SECRET"

    @classmethod
    def highest(cls, *markings: str) -> str:
        """The most protective of ``markings`` (blank ones ignored); UNCLASSIFIED if none."""
        order = list(cls.values)
        present = [m for m in markings if m]
        return max(present, key=order.index) if present else cls.UNCLASSIFIED

    @classmethod
    def rank(cls, marking: str) -> int:
        return list(cls.values).index(marking)


# What each classification is for, in the PSR's words (protectivesecurity.govt.nz,
# "Classifications"); shown beside the marking choices and in docs/operations.md.
MARKING_DESCRIPTIONS = {
    ProtectiveMarking.UNCLASSIFIED: "Official information that doesn't need a security "
    "classification.",
    ProtectiveMarking.IN_CONFIDENCE: "Compromise is likely to prejudice the maintenance of law and "
    "order, impede the effective conduct of government, or adversely affect the privacy of New "
    "Zealand citizens.",
    ProtectiveMarking.SENSITIVE: "Compromise is likely to damage New Zealand's interests or "
    "endanger the safety of its citizens.",
    ProtectiveMarking.RESTRICTED: "Compromise would be likely to adversely affect the national "
    "interest.",
    ProtectiveMarking.CONFIDENTIAL: "Compromise would cause significant damage to the national "
    "interest.",
    ProtectiveMarking.SECRET: "Compromise would cause serious damage to the national interest.",
    ProtectiveMarking.TOP_SECRET: "Compromise would cause exceptionally grave damage to the "
    "national interest.",
}

DEFAULT_CEILING = ProtectiveMarking.RESTRICTED


def ceiling() -> str:
    """The highest marking this deployment may hold (``PROTECTIVE_MARKING_CEILING``)."""
    value = getattr(settings, "PROTECTIVE_MARKING_CEILING", DEFAULT_CEILING)
    if value not in ProtectiveMarking.values:
        raise ImproperlyConfigured(
            f"PROTECTIVE_MARKING_CEILING is {value!r}; it must be one of "
            f"{', '.join(ProtectiveMarking.values)}."
        )
    return value


def is_within_ceiling(marking: str) -> bool:
    return not marking or ProtectiveMarking.rank(marking) <= ProtectiveMarking.rank(ceiling())


def within_ceiling(marking: str) -> None:
    """Refuse a marking above the deployment's ceiling (a model field validator, so forms, the
    admin and ``full_clean`` all ask it)."""
    if marking in ProtectiveMarking.values and not is_within_ceiling(marking):
        raise ValidationError(
            "%(marking)s is above this system's ceiling of %(ceiling)s: information marked "
            "%(marking)s must not be entered here. Use a system accredited for it.",
            code="above_ceiling",
            params={"marking": marking, "ceiling": ceiling()},
        )


def choices_within_ceiling() -> list[tuple[str, str]]:
    """The marking choices a person may pick here: those at or below the ceiling."""
    return [
        (value, label) for value, label in ProtectiveMarking.choices if is_within_ceiling(value)
    ]


def mark_page(request, *markings: str) -> None:
    """Record that the page being built shows content with these markings."""
    if not hasattr(request, "_page_markings"):
        request._page_markings = []
    request._page_markings.extend(m for m in markings if m)


def page_marking(request) -> dict:
    """Context processor: ``page_marking``, the highest marking the page said it shows (blank if
    it named none). Lazy, so it is read after the view has named its markings."""

    def highest() -> str:
        shown = getattr(request, "_page_markings", [])
        return ProtectiveMarking.highest(*shown) if shown else ""

    return {"page_marking": SimpleLazyObject(highest)}


class MarkingChoiceField(forms.ChoiceField):
    """A marking chooser offering only the markings within the ceiling; a posted marking above
    it is refused with the ceiling's message, not a bare "not one of the choices"."""

    def __init__(self, **kwargs):
        kwargs.pop("choices", None)
        kwargs.pop("coerce", None)
        kwargs.pop("empty_value", None)
        kwargs.pop("max_length", None)
        super().__init__(choices=choices_within_ceiling, **kwargs)

    def validate(self, value):
        within_ceiling(value)
        super().validate(value)


def limit_to_ceiling(form, *names: str) -> None:
    """Swap ``form``'s marking fields for ``MarkingChoiceField``s, keeping their labels, help and
    initial values."""
    for name in names:
        old = form.fields[name]
        form.fields[name] = MarkingChoiceField(
            label=old.label,
            help_text=old.help_text,
            initial=old.initial,
            required=old.required,
            widget=old.widget.__class__,
        )


def mark_workbook(book, marking: str) -> None:
    """Print ``marking`` in the header and footer of every sheet of an openpyxl workbook (every
    page, first and even pages included), and record it in the file's keywords."""
    for sheet in book.worksheets:
        for part in (
            sheet.oddHeader,
            sheet.oddFooter,
            sheet.evenHeader,
            sheet.evenFooter,
            sheet.firstHeader,
            sheet.firstFooter,
        ):
            part.center.text = marking
            part.center.font = "Arial,Bold"
            part.center.color = "A4161A"
    book.properties.keywords = marking
