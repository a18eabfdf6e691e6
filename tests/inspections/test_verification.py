"""A verification level that contradicts its citations is refused: in the admin, and when
an assessment is published by any route (see ``inspections.verification``)."""

import pytest
from django.core.exceptions import ValidationError

from heritage import services
from inspections.models import Verification
from inspections.verification import independent_count, verification_conflict
from tests import factories
from tests.admin_forms import admin_url, post_page
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    OrganisationFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def test_sources_of_one_publisher_are_one_voice():
    agency = OrganisationFactory()
    same = [
        SourceFactory(publisher="Trend", publisher_organisation=agency),
        SourceFactory(publisher="Trend News Agency", publisher_organisation=agency),
    ]
    assert independent_count(same) == 1
    by_name = [SourceFactory(publisher="AzerNews"), SourceFactory(publisher=" azernews")]
    assert independent_count(by_name) == 1
    assert independent_count([SourceFactory(publisher="AzerNews"), same[0]]) == 2
    anonymous = [SourceFactory(publisher="", author=""), SourceFactory(publisher="", author="")]
    assert independent_count(anonymous) == 2


def test_reported_by_one_source_with_two_publishers_is_a_conflict():
    sources = [SourceFactory(publisher="AzerNews"), SourceFactory(publisher="Trend")]
    assert "contradicts" in verification_conflict(Verification.REPORTED, sources)
    assert verification_conflict(Verification.CORROBORATED, sources) is None
    assert verification_conflict(Verification.REPORTED, sources[:1]) is None


def test_corroborated_needs_two_publishers():
    one = [SourceFactory(publisher="AzerNews")]
    twice = [SourceFactory(publisher="AzerNews"), SourceFactory(publisher="AzerNews")]
    assert "at least two" in verification_conflict(Verification.CORROBORATED, one)
    assert "one voice" in verification_conflict(Verification.CORROBORATED, twice)


@pytest.mark.parametrize("level", [Verification.VERIFIED, Verification.DISPUTED])
def test_levels_not_counting_sources_are_never_refused(level):
    assert verification_conflict(level, []) is None
    assert verification_conflict(level, [SourceFactory(publisher="A")]) is None


def test_admin_refuses_reported_by_one_source_with_two_independent_sources(admin_client):
    assessment = AssessmentFactory(verification=Verification.REPORTED)
    AssessmentCitationFactory(assessment=assessment, source=SourceFactory(publisher="AzerNews"))
    AssessmentCitationFactory(assessment=assessment, source=SourceFactory(publisher="Trend"))
    url = admin_url(type(assessment), "change", assessment.pk)

    refused = post_page(admin_client, url)
    assert refused.status_code == 200
    assert "“Reported by one source” contradicts the citations" in refused.content.decode()

    accepted = post_page(admin_client, url, {"verification": Verification.CORROBORATED})
    assert accepted.status_code == 302
    assessment.refresh_from_db()
    assert assessment.verification == Verification.CORROBORATED


def test_admin_refuses_corroborated_with_one_publisher(admin_client):
    assessment = AssessmentFactory(verification=Verification.CORROBORATED)
    AssessmentCitationFactory(assessment=assessment, source=SourceFactory(publisher="AzerNews"))
    AssessmentCitationFactory(assessment=assessment, source=SourceFactory(publisher="AzerNews"))

    refused = post_page(admin_client, admin_url(type(assessment), "change", assessment.pk))

    assert refused.status_code == 200
    assert "one voice" in refused.content.decode()


def test_publishing_refuses_a_contradicting_level():
    assessment = AssessmentFactory(
        site=factories.SiteFactory(published=True), verification=Verification.CORROBORATED
    )
    AssessmentCitationFactory(assessment=assessment, source=SourceFactory(published=True))

    with pytest.raises(ValidationError, match="at least two"):
        services.record_publish(record=assessment, user=factories.reviewer())
