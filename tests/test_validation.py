"""Clear validation messages on the field they concern, from the models, so every route
(admin form, service, import) gets them.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from pytest_django.asserts import assertContains

import inspections
from heritage.base import PublicationStatus
from heritage.models import Site
from inspections.models import Disturbance
from inspections.vocabularies import CauseCategory, CauseType
from operations.demo import DEMO_FIXTURES
from tests.admin_forms import admin_url, post_page
from tests.factories import (
    AssessmentCitationFactory,
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

pytestmark = pytest.mark.django_db

PUBLISHED = PublicationStatus.PUBLISHED
DATA = Path(inspections.__file__).parent / "data"


def errors_of(record):
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    return error.value.message_dict


def day(text):
    return datetime.date.fromisoformat(text)


# Dates in order


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


def test_a_range_and_occurred_before_together_are_reported_on_occurred_before():
    disturbance = DisturbanceFactory(date_from=day("2020-10-01"))
    disturbance.occurred_before = day("2020-11-20")

    assert list(errors_of(disturbance)) == ["occurred_before"]


# An assessment within its visit


def test_an_assessment_dated_outside_its_visit_is_reported_on_its_date():
    visit = VisitFactory(start_date=day("2021-01-12"))
    assessment = AssessmentFactory.build(
        site=SiteFactory(), visit=visit, assessed_on=day("2021-01-14")
    )

    errors = errors_of(assessment)

    assert list(errors) == ["assessed_on"]
    assert errors["assessed_on"][0].startswith("The assessment is dated outside its visit")


@pytest.mark.parametrize(
    ("visit_precision", "assessed_on", "assessment_precision"),
    [
        ("day", "2021-01-12", "day"),
        ("month", "2021-02-20", "day"),
        ("year", "2021-07-01", "day"),
        ("day", "2021-01-01", "month"),
        ("approximate", "2022-06-01", "day"),
    ],
)
def test_an_assessment_within_its_visit_at_their_precision_is_accepted(
    visit_precision, assessed_on, assessment_precision
):
    start = day("2021-02-01") if visit_precision == "month" else day("2021-01-12")
    visit = VisitFactory(start_date=start, date_precision=visit_precision)
    assessment = AssessmentFactory.build(
        site=SiteFactory(),
        visit=visit,
        assessed_on=day(assessed_on),
        date_precision=assessment_precision,
    )

    assessment.full_clean()


def test_moving_a_visit_away_from_its_assessments_is_reported_on_its_start():
    visit = VisitFactory(start_date=day("2021-01-12"))
    AssessmentFactory(visit=visit, assessed_on=day("2021-01-12"))
    visit.start_date = day("2021-02-01")

    errors = errors_of(visit)

    assert list(errors) == ["start_date"]
    assert "leave out assessments made on this visit" in errors["start_date"][0]


# Coordinates


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
    SiteFactory(location_precision=Site.Precision.SETTLEMENT).full_clean()


# Figures


def test_a_negative_figure_is_reported_on_its_value():
    figure = ReportedFigureFactory()
    figure.value = Decimal("-4")

    assert errors_of(figure) == {"value": ["A reported figure cannot be negative."]}


# Published records need sources


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


def test_a_published_assessment_needs_a_citation_of_a_published_source():
    assessment = AssessmentFactory()
    AssessmentCitationFactory(assessment=assessment, source=SourceFactory())
    assessment.publication_status = PUBLISHED

    errors = errors_of(assessment)
    assert list(errors) == ["publication_status"]
    assert errors["publication_status"][0].startswith(
        "A published assessment needs at least one citation of a published source."
    )

    AssessmentCitationFactory(assessment=assessment, source=SourceFactory(published=True))
    assessment.full_clean()


def test_a_draft_may_lack_a_source():
    AssessmentFactory().full_clean()
    ReportedFigureFactory(source=SourceFactory()).full_clean()


# Duplicate sites


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

    SiteFactory.build(name="Juma Mosque", place=PlaceFactory(), slug="other").full_clean()


def test_saving_a_site_again_is_not_a_duplicate_of_itself():
    SiteFactory(name="Juma Mosque").full_clean()


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


# Cause types


def test_a_cause_type_outside_its_categorys_mapping_is_reported_on_the_type():
    disturbance = DisturbanceFactory(cause_category=CauseCategory.objects.get(label="Vandalism"))
    disturbance.cause_type = CauseType.objects.get(label="Seismic Activity")

    errors = errors_of(disturbance)

    assert list(errors) == ["cause_type"]
    message = errors["cause_type"][0]
    assert message.startswith("“Seismic Activity” is not a cause type of the category “Vandalism”")
    assert "Graffiti" in message


def test_a_category_without_a_mapping_allows_any_type():
    disturbance = DisturbanceFactory(cause_category=CauseCategory.objects.get(label="Unknown"))
    disturbance.cause_type = CauseType.objects.get(label="Seismic Activity")

    disturbance.full_clean()


def test_the_admin_form_groups_cause_types_by_category_and_refuses_a_mismatch(admin_client):
    disturbance = DisturbanceFactory()
    url = admin_url(Disturbance, "change", disturbance.pk)

    response = admin_client.get(url)
    assertContains(response, '<optgroup label="Vandalism">')
    assertContains(response, "inspections/cause-types.js")

    response = post_page(
        admin_client,
        url,
        {"cause_type": CauseType.objects.get(label="Drought").pk},
    )
    assert "cause_type" in response.context["adminform"].form.errors
    disturbance.refresh_from_db()
    assert disturbance.cause_type is None


def test_the_mapping_file_is_the_registers_own_and_uses_eamena_labels():
    mapping = json.loads((DATA / "cause_types.json").read_text(encoding="utf-8"))
    eamena = json.loads((DATA / "eamena.json").read_text(encoding="utf-8"))
    categories = {term["en"] for term in eamena["disturbance_cause_category"]["terms"]}
    types = {term["en"] for term in eamena["disturbance_cause_type"]["terms"]}
    by_category = mapping["cause_types_by_category"]

    assert "not EAMENA's" in mapping["_about"]
    assert set(by_category) <= categories
    assert {label for labels in by_category.values() for label in labels} == types
    loaded = {
        category.label: {term.label for term in category.cause_types.all()}
        for category in CauseCategory.objects.prefetch_related("cause_types")
        if category.cause_types.exists()
    }
    assert loaded == {label: set(labels) for label, labels in by_category.items()}


# The demo data passes every rule


def test_every_record_of_the_demo_data_passes_validation():
    call_command("loaddata", *[str(path) for path in DEMO_FIXTURES], verbosity=0)

    checked = 0
    for label in ("heritage", "inspections"):
        for model in apps.get_app_config(label).get_models():
            if model._meta.model_name.startswith("historical"):
                continue
            for record in model._default_manager.all():
                record.full_clean()
                checked += 1
    assert checked > 100
