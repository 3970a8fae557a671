"""Filter primitives every API list uses: parameters that refuse what they can't be.

Foreign keys are filtered in pairs, by id (``plan_id``, ``by_id``) and by slug (``plan``,
``by_slug``); an id or slug that matches nothing gives an empty list, not an error. A value a
parameter can't take (``plan_id=abc``, ``?year=``, ``overdue=maybe``) is refused with 400.
"""

import django_filters
import django_filters.fields
from django import forms
from drf_spectacular.utils import extend_schema_field

LARGEST_ID = 2**63 - 1  # the database's bigint


def described(filter_, schema: dict):
    """``filter_`` with its OpenAPI schema stated (django-filter can't say it exactly)."""
    return extend_schema_field({**schema, "description": filter_.label})(filter_)


class RefuseEmpty:
    """A parameter given with no value (``?year=``) is an error, not the same as leaving it
    out, so a client that builds a query wrongly finds out."""

    def to_python(self, value):
        if value == "":
            raise forms.ValidationError("Give a value, or leave the parameter out.")
        return super().to_python(value)


class IntegerField(RefuseEmpty, forms.IntegerField):
    pass


class DateField(RefuseEmpty, forms.DateField):
    pass


class DateTimeField(RefuseEmpty, django_filters.fields.IsoDateTimeField):
    pass


class DateFilter(django_filters.DateFilter):
    field_class = DateField


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = DateTimeField


class TextField(forms.CharField):
    """Text as given, less NUL characters (which no stored text contains)."""

    def to_python(self, value):
        return super().to_python(value).replace("\x00", "")


class TextFilter(django_filters.CharFilter):
    field_class = TextField


class StrictBooleanField(forms.Field):
    """``true`` or ``false``; anything else is an error, not “no filter”."""

    widget = forms.TextInput
    VALUES = {"true": True, "false": False}

    def to_python(self, value):
        if value is None:
            return None
        if value.lower() not in self.VALUES:
            raise forms.ValidationError("Give true or false.")
        return self.VALUES[value.lower()]


class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


class IntegerFilter(django_filters.NumberFilter):
    field_class = IntegerField  # not NumberFilter's decimal: an id is never 1.5


def integer(field_name: str, label: str, *, minimum: int = 1, maximum: int = LARGEST_ID, **kw):
    """A whole-number filter within the range the database stores."""
    return described(
        IntegerFilter(
            field_name=field_name,
            label=label,
            min_value=minimum,
            max_value=maximum,
            **kw,
        ),
        {"type": "integer", "minimum": minimum, "maximum": maximum},
    )


def by_id(field_name: str, label: str, **kwargs):
    return integer(field_name, f"{label} id.", **kwargs)


def by_slug(field_name: str, label: str, **kwargs):
    return TextFilter(field_name=f"{field_name}__slug", label=f"{label} slug.", **kwargs)
