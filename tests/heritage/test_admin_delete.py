"""Deleting in the admin: a record others depend on is kept, with an explanation; one that
nothing uses goes."""

import pytest
from pytest_django.asserts import assertContains

from heritage.models import Organisation, Source
from inspections.models import Disturbance, EffectType
from tests.admin_forms import admin_url
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    DisturbanceFactory,
    OrganisationFactory,
    SourceFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


def test_deleting_a_cited_source_is_refused_with_an_explanation(admin_client):
    source = SourceFactory(title="Trend report")
    AssessmentCitationFactory(
        source=source, assessment=AssessmentFactory(publication_status="published")
    )

    response = admin_client.post(admin_url(Source, "delete", source.pk), {"post": "yes"})

    assertContains(response, "cannot be deleted")
    assertContains(response, "leave a claim without its source")
    assert Source.objects.filter(pk=source.pk).exists()


def test_deleting_a_term_that_records_use_is_refused(admin_client):
    term = EffectType.objects.get(label="Cracked/Broken/Missing Parts")
    disturbance = DisturbanceFactory()
    disturbance.effect_types.add(term)

    response = admin_client.post(admin_url(EffectType, "delete", term.pk), {"post": "yes"})

    assertContains(response, "in use by")
    assertContains(response, admin_url(Disturbance, "change", disturbance.pk))
    assert disturbance.effect_types.filter(pk=term.pk).exists()


def test_deleting_an_organisation_of_a_published_visit_is_refused(admin_client):
    organisation = OrganisationFactory()
    visit = VisitFactory(published=True)
    visit.organisations.add(organisation)

    response = admin_client.post(
        admin_url(Organisation, "delete", organisation.pk), {"post": "yes"}
    )

    assertContains(response, "published; deleting would also remove")
    assert visit.organisations.filter(pk=organisation.pk).exists()


def test_deleting_a_term_or_source_nothing_uses_goes_through(admin_client):
    term = EffectType.objects.create(label="Local term")
    source = SourceFactory()

    admin_client.post(admin_url(EffectType, "delete", term.pk), {"post": "yes"})
    admin_client.post(admin_url(Source, "delete", source.pk), {"post": "yes"})

    assert not EffectType.objects.filter(pk=term.pk).exists()
    assert not Source.objects.filter(pk=source.pk).exists()
