"""The database itself rejects values that break the register's rules: the cases of the
heritage app's records (places, organisations, people, sources, sites and their names,
claims and citations, reported figures) are here, those of the inspections app in
tests/inspections/constraint_cases.py. The cases and their checks are explained in
tests/constraints.py."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models

from heritage.models import (
    ImportFilePiece,
    OldSlug,
    Organisation,
    Person,
    Place,
    PlaceName,
    ReportedFigure,
    SearchWord,
    Site,
    SiteCitation,
    SiteClaim,
    SiteClaimTranslation,
    SiteIdentifier,
    SiteName,
    SiteTranslation,
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
    writes_case,
)
from tests.factories import PlaceFactory, SourceFactory
from tests.inspections.constraint_cases import CASES as INSPECTIONS_CASES

pytestmark = pytest.mark.django_db


def name_variant_cases(model, named, good_kind, good_name):
    """A name variant of a place or site (``named``) is unique in its language, of a known
    kind, and not blank."""
    prefix = f"heritage_{model._meta.model_name}"
    return [
        unique_case(model, f"{prefix}_unique", (named, "name", "language"), language="en"),
        choices_case(model, f"{prefix}_kind_valid", "kind", "nick", good_kind),
        not_blank_case(model, f"{prefix}_not_blank", "name", good_name),
    ]


PLACES = [
    choices_case(Place, "heritage_place_kind_valid", "kind", "planet", "village"),
    *coordinate_cases(Place, "heritage_place"),
    writes_case(
        Place,
        "heritage_place_not_own_parent",
        update(parent=models.F("pk")),
        lambda place: update(parent=PlaceFactory(kind=Place.Kind.COUNTRY))(place),
    ),
    not_blank_case(Place, "heritage_place_name_not_blank", "name", "X"),
    slug_case(Place),
    *name_variant_cases(PlaceName, "place", good_kind="historical", good_name="Şuşa"),
]

PEOPLE_AND_SOURCES = [
    choices_case(
        Organisation,
        "heritage_organisation_kind_valid",
        "kind",
        "company",
        "intergovernmental",
    ),
    not_blank_case(Organisation, "heritage_organisation_name_not_blank", "name", "ICESCO"),
    slug_case(Organisation),
    not_blank_case(Person, "heritage_person_name_not_blank", "name", "A. Person"),
    slug_case(Person),
    choices_case(Source, "heritage_source_kind_valid", "kind", "rumour", "ngo_report"),
    publication_case(Source, "heritage_source_status_valid"),
    choices_case(
        Source,
        "heritage_source_precision_valid",
        "published_precision",
        "decade",
        "year",
    ),
    not_blank_case(Source, "heritage_source_title_not_blank", "title", "Report"),
    slug_case(Source),
]

SITES = [
    choices_case(Site, "heritage_site_category_valid", "category", "castle", "museum"),
    choices_case(Site, "heritage_site_precision_valid", "location_precision", "vague", "exact"),
    choices_case(Site, "heritage_site_importance_valid", "importance", "global", ""),
    publication_case(Site, "heritage_site_status_valid"),
    *coordinate_cases(Site, "heritage_site"),
    ordered_case(Site, "heritage_site_years_ordered", ("year_from", "year_to"), 1683, 1700),
    not_blank_case(Site, "heritage_site_name_not_blank", "name", "X"),
    slug_case(Site),
    *name_variant_cases(SiteName, "site", good_kind="transliteration", good_name="Cümə məscidi"),
    writes_case(
        SiteName,
        "heritage_sitename_reported_has_source",
        update(kind="as_reported", source=None),
        lambda name: update(kind="as_reported", source=SourceFactory())(name),
    ),
    Case(
        SearchWord,
        "heritage_searchword.word",
        lambda: SearchWord.objects.create(word="gargabazar"),
        lambda row: SearchWord.objects.create(word=row.word),
        lambda row: SearchWord.objects.create(word=f"{row.word}i"),
    ),
    Case(
        OldSlug,
        "heritage_oldslug_unique_slug",
        lambda: OldSlug.objects.create(
            content_type=ContentType.objects.get_for_model(Site), object_id=1, slug="old"
        ),
        lambda row: OldSlug.objects.create(
            content_type=row.content_type, object_id=2, slug=row.slug
        ),
        lambda row: OldSlug.objects.create(
            content_type=ContentType.objects.get_for_model(Place), object_id=1, slug=row.slug
        ),
    ),
]

CLAIMS_CITATIONS_AND_FIGURES = [
    choices_case(SiteClaim, "heritage_siteclaim_kind_valid", "kind", "gossip", "identity"),
    choices_case(SiteClaim, "heritage_siteclaim_supports_valid", "supports", "mood", "registry"),
    publication_case(SiteClaim, "heritage_siteclaim_status_valid"),
    ordered_case(
        SiteClaim,
        "heritage_siteclaim_years_ordered",
        ("year_from", "year_to"),
        1799,
        1800,
    ),
    not_blank_case(
        SiteClaim,
        "heritage_siteclaim_statement_not_blank",
        "statement",
        "Built in 1683.",
    ),
    slug_case(SiteClaim),
    unique_case(SiteCitation, "heritage_sitecitation_unique", ("site", "source")),
    unique_case(ImportFilePiece, "import_piece_unique_number", ("job", "number"), number=2),
    unique_case(
        SiteIdentifier,
        "heritage_siteidentifier_unique",
        ("site", "scheme", "value"),
        value="EAMENA-9999991",
    ),
    choices_case(SiteIdentifier, "heritage_siteidentifier_scheme_valid", "scheme", "osm", "chw"),
    not_blank_case(
        SiteIdentifier, "heritage_siteidentifier_value_not_blank", "value", "EAMENA-0000002"
    ),
    not_blank_case(
        SiteCitation,
        "heritage_sitecitation_summary_not_blank",
        "summary",
        "Says so.",
    ),
    choices_case(
        ReportedFigure, "heritage_figure_non_negative", "value", Decimal("-1"), Decimal("0")
    ),
    choices_case(
        ReportedFigure,
        "heritage_figure_category_valid",
        "category",
        "bookshop",
        "",
    ),
    publication_case(ReportedFigure, "heritage_figure_status_valid"),
    ordered_case(
        ReportedFigure,
        "heritage_figure_period_ordered",
        ("period_start", "period_end"),
        datetime.date(1992, 1, 1),
        datetime.date(2020, 1, 1),
    ),
    slug_case(ReportedFigure),
    not_blank_case(
        ReportedFigure,
        "heritage_figure_metric_not_blank",
        "metric",
        "destroyed",
    ),
    not_blank_case(
        ReportedFigure,
        "heritage_figure_subject_not_blank",
        "subject",
        "libraries",
    ),
]

TRANSLATIONS = [
    unique_case(
        SiteTranslation, "heritage_site_translation_unique", ("site", "language"), language="ar"
    ),
    not_blank_case(SiteTranslation, "heritage_site_translation_language", "language", "ar"),
    not_blank_case(SiteTranslation, "heritage_site_translation_description", "description", "X"),
    unique_case(
        SiteClaimTranslation,
        "heritage_siteclaim_translation_unique",
        ("claim", "language"),
        language="ar",
    ),
    not_blank_case(
        SiteClaimTranslation, "heritage_siteclaim_translation_language", "language", "ar"
    ),
    not_blank_case(
        SiteClaimTranslation, "heritage_siteclaim_translation_statement", "statement", "X"
    ),
]

HERITAGE_CASES = [
    *PLACES,
    *PEOPLE_AND_SOURCES,
    *SITES,
    *CLAIMS_CITATIONS_AND_FIGURES,
    *TRANSLATIONS,
]
CASES = [*HERITAGE_CASES, *INSPECTIONS_CASES]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_database_rejects_a_write_that_breaks_the_constraint(case):
    assert_rejected(case)


@pytest.mark.parametrize("case", [case for case in CASES if case.comply], ids=case_id)
def test_database_accepts_a_write_that_keeps_the_constraint(case):
    assert_accepted(case)


@pytest.mark.parametrize("find_faults", COVERAGE)
@pytest.mark.parametrize(
    ("app_label", "cases"),
    [("heritage", HERITAGE_CASES), ("inspections", INSPECTIONS_CASES)],
    ids=["heritage", "inspections"],
)
def test_each_constraint_of_the_app_has_one_case(find_faults, app_label, cases):
    assert find_faults(app_label, cases) == set()
