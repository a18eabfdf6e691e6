"""Filters for the public lists of restoration projects (``/restoration/``), commitments
(``/commitments/``) and training courses (``/training/``).

As on every public listing, each parameter is validated: an unknown slug, status or kind, or
a year that is not a number between 1 and 9999, makes the form invalid and the page answers
with HTTP 400 and a message naming the parameter. Statuses are the current ones: the latest
status update with a published source (unknown for a commitment without one).
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from heritage.cache import versions_of
from heritage.models import Organisation, Place, Site
from inspections.models import (
    Commitment,
    ProjectRole,
    RestorationProject,
    TrainingCourse,
)
from public import selectors
from public.filters.base import (
    ParameterFilterSet,
    PlaceChoiceFilter,
    SlugChoiceFilter,
    YearFilter,
)
from public.widgets import LazyOptions, LongSelect

ORGANISATION_ERRORS = {"invalid_choice": _("There is no organisation “%(value)s”.")}


def organisation_filter(label, method, field_name):
    return SlugChoiceFilter(
        label=label,
        field_name=field_name,
        queryset=Organisation.objects.order_by("name", "id"),
        to_field_name="slug",
        empty_label=_("Any organisation"),
        method=method,
        widget=LongSelect,
        error_messages=ORGANISATION_ERRORS,
    )


def area_filter(field_name, method):
    """An area by its slug; a district includes its cities and villages (``method``)."""
    return PlaceChoiceFilter(
        label=_("Area"),
        field_name=field_name,
        queryset=Place.objects.order_by("name", "id"),
        to_field_name="slug",
        empty_label=_("Any area"),
        method=method,
        widget=LongSelect,
        help_text=_("A district includes its cities and villages."),
        error_messages={"invalid_choice": _("There is no place “%(value)s”.")},
    )


class OrganisationAndAreaForm(forms.Form):
    """A form whose organisation and area selects, long ones, read their options from the
    cache, not the database each time; ``cache_prefix`` names the list's cached options."""

    cache_prefix = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].widget.choices = LazyOptions(
            _("Any organisation"),
            selectors.all_organisation_choices,
            cache_name=f"{self.cache_prefix}-organisation",
        )
        self.fields["area"].widget.choices = LazyOptions(
            _("Any area"), selectors.area_choices, cache_name=f"{self.cache_prefix}-area"
        )


class ProjectFilterForm(OrganisationAndAreaForm):
    cache_prefix = "project"


class RestorationProjectFilter(ParameterFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=RestorationProject.Status.choices,
        empty_label=_("Any status"),
        field_name="current_status",
        error_messages={
            "invalid_choice": _("“%(value)s” is not a project status; choose one from the list.")
        },
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of work"),
        choices=RestorationProject.Kind.choices,
        empty_label=_("Any kind"),
        error_messages={
            "invalid_choice": _("“%(value)s” is not a kind of work; choose one from the list.")
        },
    )
    area = area_filter("site__place", "filter_area")
    organisation = organisation_filter(
        _("Organisation"), "filter_organisation", "roles__organisation"
    )

    class Meta:
        model = RestorationProject
        fields = ["status", "kind", "area", "organisation"]
        form = ProjectFilterForm

    def form_version(self):
        # The options of the organisation and area selects (public.selectors).
        return f"{versions_of('organisations')}-{selectors.counted_areas_version()}"

    def filter_area(self, queryset, name, value):
        # The area's sites first, then their projects by the index on the site: SQLite,
        # given the join's condition on the site's place, read every published project and
        # its current status first (70 ms at 500,000 sites rather than 10).
        sites = Site.objects.filter(place_id__in=selectors.descendant_place_ids(value))
        return queryset.filter(site_id__in=sites.values("pk"))

    def filter_organisation(self, queryset, name, value):
        # A subquery rather than a join, so that a project is never listed twice.
        roles = ProjectRole.objects.filter(organisation=value)
        return queryset.filter(pk__in=roles.values("project_id"))


class CommitmentFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["by"].widget.choices = LazyOptions(
            _("Any organisation"),
            selectors.all_organisation_choices,
            cache_name="commitment-organisation",
        )


class CommitmentFilter(ParameterFilterSet):
    by = organisation_filter(_("Committed by"), "filter_by", "by_organisation")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=Commitment.Kind.choices,
        empty_label=_("Any kind"),
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not a kind of commitment; choose one from the list."
            )
        },
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Commitment.Status.choices,
        empty_label=_("Any status"),
        field_name="current_status",
        error_messages={
            "invalid_choice": _("“%(value)s” is not a commitment status; choose one from the list.")
        },
    )
    year = YearFilter(
        label=_("Year made"),
        field_name="made_on",
    )

    class Meta:
        model = Commitment
        fields = ["by", "kind", "status", "year"]
        form = CommitmentFilterForm

    def form_version(self):
        # The options of the organisation selects (public.selectors).
        return versions_of("organisations")

    def filter_by(self, queryset, name, value):
        return queryset.by_organisation(value)


class TrainingFilterForm(OrganisationAndAreaForm):
    cache_prefix = "training"


class TrainingCourseFilter(ParameterFilterSet):
    organisation = organisation_filter(_("Organised by"), "filter_organisation", "organisers")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=TrainingCourse.Kind.choices,
        empty_label=_("Any kind"),
        error_messages={
            "invalid_choice": _("“%(value)s” is not a kind of course; choose one from the list.")
        },
    )
    year = YearFilter(label=_("Year"), field_name="start_date")
    area = area_filter("place", "filter_area")

    class Meta:
        model = TrainingCourse
        fields = ["organisation", "kind", "year", "area"]
        form = TrainingFilterForm

    def form_version(self):
        # The options of the organisation and area selects (public.selectors).
        return f"{versions_of('organisations')}-{selectors.counted_areas_version()}"

    def filter_organisation(self, queryset, name, value):
        # A subquery rather than a join, so that a course is never listed twice.
        organised = TrainingCourse.organisers.through.objects.filter(organisation=value)
        return queryset.filter(pk__in=organised.values("trainingcourse_id"))

    def filter_area(self, queryset, name, value):
        return queryset.filter(place_id__in=selectors.descendant_place_ids(value))
