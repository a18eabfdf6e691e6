"""Filters of the public listing of sites, shared by ``/sites/`` and its exports.

Every parameter is validated: an unknown category, area or sort, a malformed date, a date
range that ends before it starts or a site that is not published makes the form invalid,
and the views answer 400 naming the parameter. Every filter reads published records only.

The assessment filters (``organisation``, ``assessed_from``, ``assessed_to`` and
``verification``) apply together to one and the same published assessment: ICESCO's
assessments of 2021 are not mixed up with another body's assessments of that year.
``condition`` is the overall condition of the site's *latest* published assessment.
"""

import django_filters
from django import forms
from django.db import connection
from django.db.models import BooleanField, Exists, F, OuterRef, Q, Value
from django.db.models.lookups import Exact, IsNull
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from heritage.base import PublicationStatus
from heritage.cache import versions_of
from heritage.cleaning import clean_text
from heritage.models import Organisation, Place, Site, SiteCategory, SiteSearch
from heritage.models.site_search import SEARCH_ORDERING, AmongIntegers
from heritage.models.sites import by_last_assessment
from inspections.models import Assessment, OverallCondition, Verification
from public import selectors, statistics
from public.filters.areas import AreaNameFilter, AreaPickerForm
from public.filters.base import DateInput, ParameterFilterSet, SlugChoiceFilter
from public.widgets import LazyOptions, LongSelect

#: The longest text search accepted, in characters.
MAX_QUERY_LENGTH = 200
#: Filters on the assessments that find at most this many sites give their ids (see
#: ``SiteFilter.filter_queryset``).
FEW_ASSESSED_SITES = 5000


#: The filters on the assessments, which apply together to one assessment.
ASSESSMENT_FILTERS = ("organisation", "assessed_from", "assessed_to", "verification")
#: The filters whose sites no index lists: each site is tested against them (a text search,
#: the filters on the assessments).
READ_FROM_SITES = ("q", *ASSESSMENT_FILTERS)


def whole_years(data):
    """(first, last) years when the assessment dates of ``data`` (a filter set's cleaned
    data) are the first day of one year and the last day of it or of a later one, or None."""
    start, end = data.get("assessed_from"), data.get("assessed_to")
    if (
        start
        and end
        and (start.month, start.day) == (1, 1)
        and (end.month, end.day) == (12, 31)
        and end.year >= start.year
    ):
        return start.year, end.year
    return None


def whole_year(data):
    """The year whose first and last days the assessment dates of ``data`` (a filter set's
    cleaned data) are, as ``/statistics/`` links a year, or None."""
    years = whole_years(data)
    if years is not None and years[0] == years[1]:
        return years[0]
    return None


class IndexedFalse(Exact):
    """``expression = false``, written as an index over the boolean ``expression`` is
    searched: on PostgreSQL as ``expression IS FALSE``, since the planner rewrites
    ``(x IS NULL) = false`` as ``x IS NOT NULL``, which no index of ``x IS NULL`` answers
    (at 500,000 sites, the sites of 17 days in a country's box: a scan of the whole table,
    60 ms, where the index answers in 1); SQLite searches that index with ``= false`` and
    only skips through it with ``IS FALSE``."""

    def as_postgresql(self, compiler, connection):
        sql, params = compiler.compile(self.lhs)
        return f"({sql}) IS FALSE", params


def assessed_since(date, indexed):
    """The sites with a published assessment on or after ``date``: those whose latest is
    (``Site.last_assessed_on``, a copy kept by ``inspections.status``), a column of the
    site rather than a search of its assessments (at 500,000 sites, the map of the sites
    assessed since June 2022 in a country took 433 ms of database time on PostgreSQL,
    then 176). ``indexed``: written as the indexes of that order hold it
    (``by_last_assessment``), which SQLite then reads the range from, for every matching
    site (a map) or their ids; not for a page of the listing, so that SQLite walks the
    listing's order instead and tests each site (read from the index of dates and sorted,
    a page of the 68,000 sites since June 2022 took 206 ms)."""
    since = Q(last_assessed_on__gte=date)
    if indexed:
        since &= IndexedFalse(IsNull(F("last_assessed_on"), True), Value(False))
    return since


def few_assessed_sites(data, given, assessments):
    """The ids of the sites of the matching published ``assessments`` (of the assessment
    filters ``given`` in ``data``), when there are at most ``FEW_ASSESSED_SITES``; else None.

    Assessments rarely matched (a level and a month, say) are read first, through their
    indexes: tested site by site in the listing's order, at 500,000 sites, 88,000 sites were
    read to fill a page (0.45 s). Common ones are tested site by site, which fills a page
    after a few dozen. A whole year's sites alone are numbered by the maintained counts:
    reading 5,001 of 2021's ids first to learn that they are many took 56 ms at 500,000
    sites on PostgreSQL."""
    year = whole_year(data)
    whole = given == {"assessed_from", "assessed_to"} and year is not None
    if whole and sites_assessed_in(year) > FEW_ASSESSED_SITES:
        return None
    if given == {"assessed_from"} and connection.vendor == "sqlite":
        # SQLite reads them from the sites' index of their latest dates: from the assessments
        # it read every published one in the order of their sites (at 500,000 sites, 81 ms
        # for a date after the last assessment).
        since = assessed_since(data["assessed_from"], indexed=True)
        ids = Site.objects.filter(since).order_by().values_list("pk", flat=True)
    else:
        ids = assessments.order_by().values_list("site_id", flat=True).distinct()
    ids = list(ids[: FEW_ASSESSED_SITES + 1])
    return ids if len(ids) <= FEW_ASSESSED_SITES else None


def dates_first(data, given):
    """Whether every matching site is better found from the published assessments of the
    dates asked for (``given``: the dates alone), read through their index, than by testing
    each site the other filters leave: when the sites assessed in the months of those dates
    (the maintained counts, ``statistics.assessment_months``) are fewer than those sites
    (``maintained_count``; not known with a text search, say). SQLite tested each site of
    a country's box (430,000 at 500,000 sites) for the sites assessed in the first half of
    2023, past the map's 0.5 s; from the 26,000 of the half year, 165 ms. A whole year's
    mosques are fewer than its sites: tested one by one, 122 ms rather than 184."""
    from public.views.sites import maintained_count

    if not given or given - {"assessed_from", "assessed_to"}:
        return False
    start, end = data.get("assessed_from"), data.get("assessed_to")
    months = statistics.assessment_months()
    dated = sum(
        sites
        for (year, month), sites in months.items()
        if (start is None or (year, month) >= (start.year, start.month))
        and (end is None or (year, month) <= (end.year, end.month))
    )
    others = {name: value for name, value in data.items() if name not in given}
    count = maintained_count(others)
    return count is not None and dated < count()


def conditions_given(data):
    """The assessment filters given in ``data`` (a filter set's cleaned data)."""
    return [name for name in ASSESSMENT_FILTERS if data.get(name)]


def sites_assessed_in(year):
    """The number of public sites with a published assessment of ``year``, from the
    maintained counts (``statistics.assessment_years``: a few rows, cached until they
    change)."""
    return statistics.assessment_years().get(year, 0)


class Sort:
    MATCH = "match"
    NAME = "name"
    NAME_DESC = "-name"
    CATEGORY = "category"
    RECENTLY_ASSESSED = "-assessed"
    EARLIEST_ASSESSED = "assessed"

    choices = [
        (MATCH, _("Best match first (when searching by name)")),
        (NAME, _("Name (A to Z)")),
        (NAME_DESC, _("Name (Z to A)")),
        (CATEGORY, _("Category")),
        (RECENTLY_ASSESSED, _("Recently assessed first")),
        (EARLIEST_ASSESSED, _("Earliest assessed first")),
    ]

    # Every ordering ends with the primary key, so that pages never overlap. Without a
    # search, the best match is the name order.
    orderings = {
        MATCH: ["name", "id"],
        NAME: ["name", "id"],
        NAME_DESC: ["-name", "-id"],
        CATEGORY: ["category", "name", "id"],
        # Read from an index of sites (``Site.last_assessed_on``), not sorted from the join.
        RECENTLY_ASSESSED: by_last_assessment(descending=True),
        EARLIEST_ASSESSED: by_last_assessment(descending=False),
    }


class ConditionTermField(django_filters.fields.ModelChoiceField):
    """An overall-condition term by its EAMENA label, found among the cached terms rather
    than looked up in the database on every request."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        for term in selectors.overall_condition_terms():
            if term.label == value:
                return term
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class ConditionTermFilter(django_filters.ModelChoiceFilter):
    field_class = ConditionTermField


def _keep(queryset, name, value):
    """Leave the queryset alone: the assessment filters are applied together later."""
    return queryset


class SiteFilterForm(AreaPickerForm):
    """The filter form. The area select offers districts and the places above them that hold
    published sites, the organisation select the bodies that published data mentions; any
    place or organisation slug is still a valid value, and ``area_name`` takes a finer area
    by name (``public.filters.areas``). The
    options of the selects are read from the cache (see ``public.selectors``), not from
    the database on every request."""

    area_select = "area"
    area_text = "area_name"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition"].widget.choices = LazyOptions(
            _("Any condition"), selectors.condition_choices
        )
        self.fields["area"].widget.choices = LazyOptions(
            _("Any area"), selectors.area_choices, cache_name="area"
        )
        self.fields["organisation"].widget.choices = LazyOptions(
            _("Any organisation"), selectors.organisation_choices, cache_name="organisation"
        )

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("assessed_from"), cleaned_data.get("assessed_to")
        if start and end and start > end:
            self.add_error(
                "assessed_to",
                forms.ValidationError(
                    _("This date comes before the start of the range, assessed_from."),
                    code="range_reversed",
                ),
            )
        return cleaned_data


class SiteFilter(ParameterFilterSet):
    q = django_filters.CharFilter(
        label=_("Name"),
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        # Suggestions as one types come from static/js/suggest.js, which fills the
        # page's <datalist id="site-suggestions">; without it the field is a plain one.
        widget=forms.TextInput(
            attrs={
                "list": "site-suggestions",
                "autocomplete": "off",
                "data-suggest-url": reverse_lazy("site-suggestions"),
            }
        ),
        help_text=_(
            "Names of the site or of its place, in any spelling, script or order: "
            "“Qarğabazar”, “Garghabazar”, “Гаргабазар” and “qargabazar” find the same sites, "
            "as does “Fuzuli cemetery”. A word that matches no name finds the closest names."
        ),
    )
    site = SlugChoiceFilter(
        label=_("Site"),
        queryset=Site.objects.public(),
        to_field_name="slug",
        method="filter_site",
        widget=forms.HiddenInput,
        help_text=_("One site, by the last part of its address: used by the dossier's map."),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        choices=SiteCategory.choices,
        empty_label=_("Any category"),
        widget=LongSelect,
    )
    condition = ConditionTermFilter(
        label=_("Latest condition"),
        queryset=OverallCondition.objects.all(),
        to_field_name="label",
        method="filter_condition",
        empty_label=_("Any condition"),
        widget=LongSelect,
        help_text=_("The overall condition in the site's latest published assessment."),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area"),
        queryset=Place.objects.all(),
        to_field_name="slug",
        method="filter_area",
        widget=LongSelect,
        help_text=_("A district includes its cities and villages."),
    )
    area_name = AreaNameFilter(
        label=_("City or village"),
        method="filter_area",
        help_text=_("An area within a district, by its name or the last part of its address."),
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Assessed by"),
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        method=_keep,
        widget=LongSelect,
        help_text=_("The organisation that made an assessment, or whose visit it was made on."),
    )
    assessed_from = django_filters.DateFilter(
        label=_("Assessed from"), method=_keep, widget=DateInput
    )
    assessed_to = django_filters.DateFilter(
        label=_("Assessed until"), method=_keep, widget=DateInput
    )
    verification = django_filters.ChoiceFilter(
        label=_("Verification level"),
        choices=Verification.choices,
        method=_keep,
        empty_label=_("Any verification level"),
        widget=LongSelect,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=Sort.choices,
        method="sort_sites",
        empty_label=None,
        # static/js/filters.js leaves the default order out of the address.
        widget=LongSelect(attrs={"data-default": Sort.MATCH}),
    )

    class Meta:
        model = Site
        fields = []
        form = SiteFilterForm

    def form_version(self):
        # The options of the area, organisation and condition selects (public.selectors).
        return f"{versions_of('assessors')}-{selectors.counted_areas_version()}"

    #: The search made with ``q`` (a ``SiteSearch``), None without one: the page tells from
    #: it which words were replaced with close matches.
    search = None
    #: Whether every matching site is read (the map's counts and extent) rather than a page:
    #: passed to ``SiteSearch.apply``.
    every_site = False
    #: Whether the sites of assessment dates may be read from the assessments of those dates
    #: first (``dates_first``): for every matching site of a wide region (a map's clusters
    #: or extent), not for a page, nor for a street's few sites.
    read_dates_first = False

    @property
    def ranked(self):
        """Whether the sites are listed in the search's ranked order (``SEARCH_ORDERING``,
        then by name): a ranked search, in the default order or ``match``."""
        sort = self.form.cleaned_data.get("sort")
        return self.search is not None and self.search.ranked and sort in (None, "", Sort.MATCH)

    def filter_text(self, queryset, name, value):
        # Cleaned as stored names are (``heritage.cleaning``), then parsed into words.
        value = clean_text(value)
        if not value.strip():
            return queryset
        # A search parsed already for the same text (given to a filter set of the same
        # parameters, see ``SiteListView.every_site_found``) is not read again.
        if self.search is None or self.search.text != value:
            self.search = SiteSearch.parse(value)
        return self.search.apply(queryset, every_site=self.every_site)

    def filter_site(self, queryset, name, value):
        return queryset.filter(pk=value.pk)

    def filter_condition(self, queryset, name, value):
        return queryset.filter(status__condition_id=value.pk)

    def filter_area(self, queryset, name, value):
        return queryset.filter(AmongIntegers("place_id", selectors.descendant_place_ids(value)))

    def sort_sites(self, queryset, name, value):
        if value == Sort.MATCH and self.search is not None and self.search.ranked:
            return queryset.order_by(*SEARCH_ORDERING, *Sort.orderings[Sort.NAME])
        return queryset.order_by(*Sort.orderings[value])

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if self.search is not None and self.search.ranked and not data.get("sort"):
            queryset = queryset.order_by(*SEARCH_ORDERING, *Sort.orderings[Sort.NAME])
        conditions = Q()
        if data.get("organisation"):
            organisation = data["organisation"]
            conditions &= Q(assessed_by=organisation) | Q(
                visit__publication_status=PublicationStatus.PUBLISHED,
                visit__organisations=organisation,
            )
        if data.get("assessed_from"):
            conditions &= Q(assessed_on__gte=data["assessed_from"])
        if data.get("assessed_to"):
            conditions &= Q(assessed_on__lte=data["assessed_to"])
        if data.get("verification"):
            conditions &= Q(verification=data["verification"])
        if conditions:
            # The sites are public already: their published assessments are public too.
            assessments = Assessment.objects.published().filter(conditions)
            given = set(conditions_given(data))
            few = few_assessed_sites(data, given, assessments)
            if few == []:
                # Not ``pk__in=[]``, which has no SQL: the listing caches its count under it.
                queryset = queryset.filter(Value(False, output_field=BooleanField()))
            elif few is not None:
                queryset = queryset.filter(AmongIntegers("pk", few))
            elif given == {"assessed_from"}:
                since = assessed_since(data["assessed_from"], indexed=self.every_site)
                queryset = queryset.filter(since)
            elif self.read_dates_first and dates_first(data, given):
                queryset = queryset.filter(pk__in=assessments.order_by().values("site_id"))
            else:
                queryset = queryset.filter(Exists(assessments.filter(site=OuterRef("pk"))))
        return queryset
