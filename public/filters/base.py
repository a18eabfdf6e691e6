"""What every filter of the public pages shares: how an invalid parameter is reported, and
form fields that refuse a malformed value before any query is made."""

import datetime
import hashlib
import re

import django_filters
from django import forms
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


class ParameterFilterSet(django_filters.FilterSet):
    """A FilterSet whose form is the page's query string (see ``FilteredListView``).

    A filter set whose form's HTML depends, besides the values given, only on what
    ``form_version()`` follows has each of its rendered fields kept, per language and per
    value of that field, until that version changes (``field_keys``): an edit that changes
    none of its options leaves them as they are, and a set of values not asked for before is
    made of fields that mostly were.
    """

    def form_version(self):
        """The versions (``heritage.cache.versions_of``) of what the options of the form's
        selects are made of; None, the default, renders the form on every request."""
        return None

    def field_keys(self):
        """{field name: what its rendered field (label, help, widget) is kept under} of the
        form's visible fields: the filters, the language, ``form_version()`` and the value
        the field shows; None when they are not kept (an invalid form, which shows its
        errors, never is)."""
        version = self.form_version()
        if version is None or not self.is_valid():
            return None
        common = (type(self).__name__, get_language(), version)
        return {
            field.name: "filter-field:"
            + hashlib.sha256(repr((*common, field.name, field.value())).encode()).hexdigest()[:40]
            for field in self.form.visible_fields()
        }

    def error_list(self):
        """[(parameter, label, message)] for every invalid parameter, in the form's order."""
        errors = []
        for name, field_errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else name
            errors.extend((name, label, message) for message in field_errors)
        return errors


#: What ``<input type="date">`` and ``<input type="number">`` (of whole numbers) may hold.
ISO_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
INTEGER_RE = re.compile(r"^-?[0-9]+$")


class DateInput(forms.DateInput):
    """A date picker that sends ``YYYY-MM-DD``, the only form the date parameters accept.

    A rejected value is not written back into the field: ``<input type="date">`` may only
    hold a real date, and the page answering 400 already names the value it refused.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def format_value(self, value):
        if isinstance(value, str):
            if not ISO_DATE_RE.match(value):
                return None
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return None
        return super().format_value(value)


class NumberInput(forms.NumberInput):
    """A number field that, like :class:`DateInput`, leaves out a value it cannot hold."""

    def format_value(self, value):
        if isinstance(value, str):
            return value if INTEGER_RE.match(value) else None
        return super().format_value(value)


#: What a year parameter refuses, and why.
YEAR_ERRORS = {
    "invalid": _("Enter a year as a number, such as 2021."),
    "min_value": _("Enter a year between 1 and 9999."),
    "max_value": _("Enter a year between 1 and 9999."),
}


class YearFilter(django_filters.Filter):
    """The year of a date field, 1 to 9999, typed as a number: the same parameter for the
    filters of visits, sources and commitments."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "year")
        kwargs.setdefault("widget", NumberInput)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        kwargs.setdefault("error_messages", YEAR_ERRORS)
        super().__init__(*args, **kwargs)


SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


class SlugChoiceField(django_filters.fields.ModelChoiceField):
    """A choice of a row by its slug that rejects a malformed slug before any query.

    PostgreSQL refuses some strings outright (a NUL character, for example); checking the
    shape first keeps such values a validation error rather than a database error.
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, str) or not SLUG_RE.match(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class PlaceChoiceField(SlugChoiceField):
    def label_from_instance(self, obj):
        return gettext("%(name)s (%(kind)s)") % {"name": obj.name, "kind": obj.get_kind_display()}


class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = SlugChoiceField


class PlaceChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = PlaceChoiceField
