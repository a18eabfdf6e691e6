"""Filters for the public list of visits (``/visits/``).

Every parameter is validated: an unknown organisation or place slug, an unknown status or a
year that is not a number between 1 and 9999 makes the form invalid, and the view answers
with HTTP 400 and a message naming the parameter instead of silently ignoring it.

A place is chosen as on ``/sites/`` (``public.filters.areas``): ``place`` is a select of the
districts (and the places above them) that published visits went to, and still takes any
place's slug; ``place_name`` is a city or village typed by name or slug, with suggestions as
one types. Either includes the places below it.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from heritage.cache import versions_of
from heritage.models import Organisation, Place
from inspections.models import Visit
from public import selectors
from public.filters.areas import AreaNameFilter, AreaPickerForm
from public.filters.base import (
    ParameterFilterSet,
    PlaceChoiceFilter,
    SlugChoiceFilter,
    YearFilter,
)
from public.widgets import LazyOptions, LongSelect


class VisitFilterForm(AreaPickerForm):
    """The place select offers only the districts, and the places above them, that published
    visits went to, not every village of the register: finer places are typed in
    ``place_name``, and any place slug is still accepted in ``place``. The options of both
    long selects come from the cache, not from the database on every request."""

    area_select = "place"
    area_text = "place_name"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].widget.choices = LazyOptions(
            _("Any organisation"),
            selectors.all_organisation_choices,
            cache_name="visit-organisation",
        )
        self.fields["place"].widget.choices = LazyOptions(
            _("Any place"), selectors.visit_area_choices, cache_name="visit-area"
        )


class VisitFilter(ParameterFilterSet):
    organisation = SlugChoiceFilter(
        label=_("Organisation"),
        field_name="organisations",
        queryset=Organisation.objects.order_by("name", "id"),
        to_field_name="slug",
        empty_label=_("Any organisation"),
        method="filter_organisation",
        widget=LongSelect,
        error_messages={"invalid_choice": _("There is no organisation “%(value)s”.")},
    )
    year = YearFilter(
        label=_("Year"),
        field_name="start_date",
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Visit.Status.choices,
        empty_label=_("Any status"),
        error_messages={
            "invalid_choice": _("“%(value)s” is not a visit status; choose one from the list."),
        },
    )
    place = PlaceChoiceFilter(
        label=_("Place"),
        queryset=Place.objects.order_by("name", "id"),
        to_field_name="slug",
        empty_label=_("Any place"),
        method="filter_place",
        widget=LongSelect,
        help_text=_("A district includes its cities and villages."),
        error_messages={"invalid_choice": _("There is no place “%(value)s”.")},
    )
    place_name = AreaNameFilter(
        label=_("City or village"),
        method="filter_place",
        help_text=_("An area within a district, by its name or the last part of its address."),
    )

    class Meta:
        model = Visit
        fields = ["organisation", "year", "status", "place"]
        form = VisitFilterForm

    def form_version(self):
        # The options of the organisation and place selects (public.selectors).
        return versions_of("organisations", "visit-places")

    def filter_organisation(self, queryset, name, value):
        # A subquery rather than a join, so that a visit is never listed twice.
        through = Visit.organisations.through.objects.filter(organisation=value)
        return queryset.filter(pk__in=through.values("visit_id"))

    def filter_place(self, queryset, name, value):
        through = Visit.places.through.objects.filter(
            place_id__in=selectors.descendant_place_ids(value)
        )
        return queryset.filter(pk__in=through.values("visit_id"))
