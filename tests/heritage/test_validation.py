"""Clear validation messages on the field they concern, from the models, so every route
(admin form, service, import) gets them: dates in order, coordinates, figures, sources of
published records, duplicate sites; and the demo data passes every rule.

The rules of visits, assessments and disturbances are tested in
tests/inspections/test_validation.py.
"""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from pytest_django.asserts import assertContains

from heritage.base import PublicationStatus
from heritage.models import Site
from tests.admin_forms import admin_url, post_page
from tests.factories import (
    AssessmentFactory,
    DisturbanceFactory,
    PlaceFactory,
    ReportedFigureFactory,
    SiteClaimFactory,
    SiteFactory,
    SiteNameFactory,
    SourceFactory,
    VisitFactory,
)
from tests.validation import errors_of, validation_errors

pytestmark = pytest.mark.django_db

PUBLISHED = PublicationStatus.PUBLISHED


def day(text):
    return datetime.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("factory_class", "values", "field", "message"),
    [
        (
            VisitFactory,
            {"start_date": day("2021-01-13"), "end_date": day("2021-01-12")},
            "end_date",
            "The end date is before the start date.",
        ),
        (
            SiteFactory,
            {"year_from": 1684, "year_to": 1683},
            "year_to",
            "The end of the dating is before its start.",
        ),
        (
            SiteClaimFactory,
            {"year_from": 1890, "year_to": 1889},
            "year_to",
            "The end of the dating is before its start.",
        ),
        (
            ReportedFigureFactory,
            {"period_start": day("2020-11-10"), "period_end": day("1994-05-12")},
            "period_end",
            "The end of the period is before its start.",
        ),
        (
            DisturbanceFactory,
            {"date_from": day("2023-09-30"), "date_to": day("2020-10-01")},
            "date_to",
            "The end date is before the start date.",
        ),
    ],
    ids=["visit", "site", "claim", "figure", "disturbance"],
)
def test_an_end_before_the_start_is_reported_on_the_end(factory_class, values, field, message):
    record = factory_class()
    for name, value in values.items():
        setattr(record, name, value)

    assert errors_of(record) == {field: [message]}


@pytest.mark.parametrize(
    ("latitude", "longitude", "field", "message"),
    [
        ("91", "47.1", "latitude", "Latitude must be between -90 and 90."),
        ("39.6", "-181", "longitude", "Longitude must be between -180 and 180."),
        ("39.6", None, "longitude", "Give the longitude too, or neither coordinate."),
        (None, "47.1", "latitude", "Give the latitude too, or neither coordinate."),
    ],
)
@pytest.mark.parametrize("factory_class", [SiteFactory, PlaceFactory], ids=["site", "place"])
def test_coordinates_out_of_range_or_unpaired_are_reported_on_their_field(
    factory_class, latitude, longitude, field, message
):
    record = factory_class()
    record.latitude = latitude and Decimal(latitude)
    record.longitude = longitude and Decimal(longitude)

    assert errors_of(record) == {field: [message]}


@pytest.mark.parametrize("precision", [Site.Precision.EXACT, Site.Precision.APPROXIMATE])
def test_an_exact_or_approximate_location_needs_coordinates(precision):
    site = SiteFactory()
    site.location_precision = precision

    errors = errors_of(site)

    assert list(errors) == ["latitude"]
    assert errors["latitude"][0].startswith("An exact or approximate location needs coordinates")


def test_a_settlement_level_location_may_have_no_coordinates():
    site = SiteFactory(location_precision=Site.Precision.SETTLEMENT)

    assert (site.latitude, site.longitude) == (None, None)
    assert validation_errors(site) == {}


def test_a_negative_figure_is_reported_on_its_value():
    figure = ReportedFigureFactory()
    figure.value = Decimal("-4")

    assert errors_of(figure) == {"value": ["A reported figure cannot be negative."]}


def test_a_published_figure_needs_a_published_source():
    figure = ReportedFigureFactory(source=SourceFactory(title="Draft report"))
    figure.publication_status = PUBLISHED

    errors = errors_of(figure)

    assert list(errors) == ["source"]
    assert "A published figure needs a published source." in errors["source"][0]
    assert "Draft report" in errors["source"][0]


def test_a_published_claim_needs_a_published_source():
    claim = SiteClaimFactory(source=SourceFactory())
    claim.publication_status = PUBLISHED

    assert list(errors_of(claim)) == ["source"]


def test_a_draft_may_lack_a_source():
    assessment = AssessmentFactory()
    figure = ReportedFigureFactory(source=SourceFactory())

    assert not assessment.citations.exists()
    assert not figure.source.is_public
    assert validation_errors(assessment) == {}
    assert validation_errors(figure) == {}


def test_a_site_with_the_name_and_place_of_another_links_to_the_existing_one():
    existing = SiteFactory(name="Qarğabazar məscidi")
    site = SiteFactory.build(name="QARGABAZAR MASCIDI", place=existing.place, slug="copy")

    errors = errors_of(site)

    assert list(errors) == ["name"]
    assert admin_url(Site, "change", existing.pk) in errors["name"][0]


def test_a_site_named_like_another_sites_variant_in_the_same_place_is_a_duplicate():
    existing = SiteFactory(name="Gargabazar Mosque")
    SiteNameFactory(site=existing, name="Hacı Qiyasəddin məscidi")

    site = SiteFactory.build(name="HACI QIYASADDIN MASCIDI", place=existing.place, slug="copy")

    assert list(errors_of(site)) == ["name"]


def test_the_same_name_in_another_place_is_not_a_duplicate():
    SiteFactory(name="Juma Mosque")

    site = SiteFactory.build(name="Juma Mosque", place=PlaceFactory(), slug="other")

    assert validation_errors(site) == {}


def test_saving_a_site_again_is_not_a_duplicate_of_itself():
    site = SiteFactory(name="Juma Mosque")

    assert validation_errors(site) == {}


def test_the_admin_offers_the_existing_site_instead_of_a_duplicate(admin_client):
    existing = SiteFactory(name="Juma Mosque")
    url = admin_url(Site, "add")

    response = post_page(
        admin_client,
        url,
        {
            "slug": "juma-mosque-2",
            "name": "Juma mosque",
            "category": "mosque",
            "place": existing.place.pk,
            "location_precision": "settlement",
            "publication_status": "draft",
        },
    )

    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    assertContains(response, f'<a href="{admin_url(Site, "change", existing.pk)}">Juma Mosque</a>')
    assert Site.objects.count() == 1


@pytest.mark.usefixtures("demo")
def test_every_record_of_the_demo_data_passes_validation():
    checked = 0
    for label in ("heritage", "inspections"):
        for model in apps.get_app_config(label).get_models():
            if model._meta.model_name.startswith("historical"):
                continue
            for record in model._default_manager.all():
                record.full_clean()
                checked += 1
    assert checked > 100
