"""Validation of visits, assessments and disturbances: an assessment within its visit, a
published assessment's citations, a disturbance's dates and its cause type within its
category."""

import datetime
import json
from pathlib import Path

import pytest
from pytest_django.asserts import assertContains

import inspections
from heritage.base import PublicationStatus
from inspections.models import CauseCategory, CauseType, Disturbance
from tests.admin_forms import admin_url, post_page
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    DisturbanceFactory,
    SiteFactory,
    SourceFactory,
    VisitFactory,
)
from tests.validation import errors_of, validation_errors

pytestmark = pytest.mark.django_db

DATA = Path(inspections.__file__).parent / "data"


def day(text):
    return datetime.date.fromisoformat(text)


def test_a_range_and_occurred_before_together_are_reported_on_occurred_before():
    disturbance = DisturbanceFactory(date_from=day("2020-10-01"))
    disturbance.occurred_before = day("2020-11-20")

    assert list(errors_of(disturbance)) == ["occurred_before"]


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

    assert validation_errors(assessment) == {}


def test_moving_a_visit_away_from_its_assessments_is_reported_on_its_start():
    visit = VisitFactory(start_date=day("2021-01-12"))
    AssessmentFactory(visit=visit, assessed_on=day("2021-01-12"))
    visit.start_date = day("2021-02-01")

    errors = errors_of(visit)

    assert list(errors) == ["start_date"]
    assert "leave out assessments made on this visit" in errors["start_date"][0]


def test_a_published_assessment_needs_a_citation_of_a_published_source():
    assessment = AssessmentFactory()
    AssessmentCitationFactory(assessment=assessment, source=SourceFactory())
    assessment.publication_status = PublicationStatus.PUBLISHED

    errors = errors_of(assessment)
    assert list(errors) == ["publication_status"]
    assert errors["publication_status"][0].startswith(
        "A published assessment needs at least one citation of a published source."
    )

    AssessmentCitationFactory(assessment=assessment, source=SourceFactory(published=True))
    assert validation_errors(assessment) == {}


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

    assert validation_errors(disturbance) == {}


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
