"""The database itself rejects values that break the rules of the register's own records:
places, organisations, people, sources, sites and their names, claims and citations, and
reported figures. The cases and their checks are explained in tests/constraints.py."""

import datetime
from decimal import Decimal

import pytest
from django.db import models

from heritage.models import (
    Organisation,
    Person,
    Place,
    PlaceName,
    ReportedFigure,
    Site,
    SiteCitation,
    SiteClaim,
    SiteName,
    Source,
)
from tests.constraints import (
    COVERAGE,
    Case,
    assert_accepted,
    assert_rejected,
    case_id,
    choices_case,
    coordinate_cases,
    not_blank_case,
    ordered_case,
    publication_case,
    slug_case,
    unique_case,
    update,
)
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    PlaceFactory,
    PlaceNameFactory,
    ReportedFigureFactory,
    SiteCitationFactory,
    SiteClaimFactory,
    SiteFactory,
    SiteNameFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

PLACES = [
    choices_case(Place, "heritage_place_kind_valid", PlaceFactory, "kind", "planet", "village"),
    *coordinate_cases(Place, "heritage_place", PlaceFactory),
    Case(
        Place,
        "heritage_place_not_own_parent",
        PlaceFactory,
        update(parent=models.F("pk")),
        lambda place: update(parent=PlaceFactory(kind=Place.Kind.COUNTRY))(place),
    ),
    not_blank_case(Place, "heritage_place_name_not_blank", PlaceFactory, "name", "X"),
    slug_case(Place, PlaceFactory),
    unique_case(
        PlaceName,
        "heritage_placename_unique",
        PlaceNameFactory,
        ("place", "name", "language"),
        language="en",
    ),
    choices_case(
        PlaceName, "heritage_placename_kind_valid", PlaceNameFactory, "kind", "nick", "historical"
    ),
    not_blank_case(PlaceName, "heritage_placename_not_blank", PlaceNameFactory, "name", "Şuşa"),
]

PEOPLE_AND_SOURCES = [
    choices_case(
        Organisation,
        "heritage_organisation_kind_valid",
        OrganisationFactory,
        "kind",
        "company",
        "intergovernmental",
    ),
    not_blank_case(
        Organisation, "heritage_organisation_name_not_blank", OrganisationFactory, "name", "ICESCO"
    ),
    slug_case(Organisation, OrganisationFactory),
    not_blank_case(Person, "heritage_person_name_not_blank", PersonFactory, "name", "A. Person"),
    slug_case(Person, PersonFactory),
    choices_case(
        Source, "heritage_source_kind_valid", SourceFactory, "kind", "rumour", "ngo_report"
    ),
    publication_case(Source, "heritage_source_status_valid", SourceFactory),
    choices_case(
        Source,
        "heritage_source_precision_valid",
        SourceFactory,
        "published_precision",
        "decade",
        "year",
    ),
    not_blank_case(Source, "heritage_source_title_not_blank", SourceFactory, "title", "Report"),
    slug_case(Source, SourceFactory),
]

SITES = [
    choices_case(Site, "heritage_site_category_valid", SiteFactory, "category", "castle", "museum"),
    choices_case(
        Site, "heritage_site_precision_valid", SiteFactory, "location_precision", "vague", "exact"
    ),
    choices_case(Site, "heritage_site_importance_valid", SiteFactory, "importance", "global", ""),
    publication_case(Site, "heritage_site_status_valid", SiteFactory),
    *coordinate_cases(Site, "heritage_site", SiteFactory),
    ordered_case(
        Site, "heritage_site_years_ordered", SiteFactory, ("year_from", "year_to"), 1683, 1700
    ),
    not_blank_case(Site, "heritage_site_name_not_blank", SiteFactory, "name", "X"),
    slug_case(Site, SiteFactory),
    unique_case(
        SiteName,
        "heritage_sitename_unique",
        SiteNameFactory,
        ("site", "name", "language"),
        language="en",
    ),
    choices_case(
        SiteName, "heritage_sitename_kind_valid", SiteNameFactory, "kind", "nick", "transliteration"
    ),
    not_blank_case(
        SiteName, "heritage_sitename_not_blank", SiteNameFactory, "name", "Cümə məscidi"
    ),
]

CLAIMS_CITATIONS_AND_FIGURES = [
    choices_case(
        SiteClaim, "heritage_siteclaim_kind_valid", SiteClaimFactory, "kind", "gossip", "identity"
    ),
    publication_case(SiteClaim, "heritage_siteclaim_status_valid", SiteClaimFactory),
    ordered_case(
        SiteClaim,
        "heritage_siteclaim_years_ordered",
        SiteClaimFactory,
        ("year_from", "year_to"),
        1799,
        1800,
    ),
    not_blank_case(
        SiteClaim,
        "heritage_siteclaim_statement_not_blank",
        SiteClaimFactory,
        "statement",
        "Built in 1683.",
    ),
    slug_case(SiteClaim, SiteClaimFactory),
    unique_case(
        SiteCitation, "heritage_sitecitation_unique", SiteCitationFactory, ("site", "source")
    ),
    not_blank_case(
        SiteCitation,
        "heritage_sitecitation_summary_not_blank",
        SiteCitationFactory,
        "summary",
        "Says so.",
    ),
    Case(
        ReportedFigure,
        "heritage_figure_non_negative",
        ReportedFigureFactory,
        update(value=Decimal("-1")),
        update(value=Decimal("0")),
    ),
    choices_case(
        ReportedFigure,
        "heritage_figure_category_valid",
        ReportedFigureFactory,
        "category",
        "bookshop",
        "",
    ),
    publication_case(ReportedFigure, "heritage_figure_status_valid", ReportedFigureFactory),
    ordered_case(
        ReportedFigure,
        "heritage_figure_period_ordered",
        ReportedFigureFactory,
        ("period_start", "period_end"),
        datetime.date(1992, 1, 1),
        datetime.date(2020, 1, 1),
    ),
    slug_case(ReportedFigure, ReportedFigureFactory),
    not_blank_case(
        ReportedFigure,
        "heritage_figure_metric_not_blank",
        ReportedFigureFactory,
        "metric",
        "destroyed",
    ),
    not_blank_case(
        ReportedFigure,
        "heritage_figure_subject_not_blank",
        ReportedFigureFactory,
        "subject",
        "libraries",
    ),
]

CASES = [*PLACES, *PEOPLE_AND_SOURCES, *SITES, *CLAIMS_CITATIONS_AND_FIGURES]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_database_rejects_a_write_that_breaks_the_constraint(case):
    assert_rejected(case)


@pytest.mark.parametrize("case", [case for case in CASES if case.comply], ids=case_id)
def test_database_accepts_a_write_that_keeps_the_constraint(case):
    assert_accepted(case)


@pytest.mark.parametrize("find_faults", COVERAGE)
def test_each_constraint_of_the_heritage_app_has_one_case(find_faults):
    assert find_faults("heritage", CASES) == set()
