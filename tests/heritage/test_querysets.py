"""Reads every page relies on: ``public()``, natural keys, public coordinates and the place
hierarchy."""

import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.core import serializers

from heritage.base import NaturalKeyModel, PublicationStatus, Publishable
from heritage.models import Place, ReportedFigure, Site, SiteClaim, Source
from inspections.models import (
    VOCABULARIES,
    Assessment,
    CauseType,
    EffectType,
    Evidence,
    Participation,
    Statement,
    Visit,
)
from tests.factories import (
    MODEL_FACTORIES,
    AssessmentFactory,
    EvidenceFactory,
    ParticipationFactory,
    PlaceFactory,
    ReportedFigureFactory,
    ResponsibilityClaimFactory,
    SiteClaimFactory,
    SiteFactory,
    SiteNameFactory,
    SourceFactory,
    StatementFactory,
    VisitFactory,
)
from tests.recovery_factories import RECOVERY_PUBLISHABLE_FACTORIES

pytestmark = pytest.mark.django_db

APPS = ("heritage", "inspections")


def register_models(base):
    return {
        model
        for app_label in APPS
        for model in apps.get_app_config(app_label).get_models()
        if issubclass(model, base)
    }


def model_name(model):
    return model.__name__


PUBLISHABLE_FACTORIES = {
    Site: SiteFactory,
    Source: SourceFactory,
    SiteClaim: SiteClaimFactory,
    ReportedFigure: ReportedFigureFactory,
    Visit: VisitFactory,
    # An assessment is public only when its site is too (see the test below).
    Assessment: lambda **fields: AssessmentFactory(site=SiteFactory(published=True), **fields),
    # Evidence is public only when its site is too (tests/public/test_evidence_galleries.py).
    Evidence: lambda **fields: EvidenceFactory(site=SiteFactory(published=True), **fields),
    # A statement is public only with a published source (and visit, if any).
    Statement: StatementFactory,
    **RECOVERY_PUBLISHABLE_FACTORIES,
}


UNPUBLISHED = [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.REJECTED]


@pytest.mark.parametrize("model", PUBLISHABLE_FACTORIES, ids=model_name)
def test_public_returns_published_records_and_hides_drafts_reviews_and_rejections(model):
    factory_class = PUBLISHABLE_FACTORIES[model]
    published = factory_class(published=True)
    for status in UNPUBLISHED:
        factory_class(publication_status=status)

    assert list(model.objects.public()) == [published]


@pytest.mark.parametrize("model", PUBLISHABLE_FACTORIES, ids=model_name)
def test_public_chains_after_other_filters(model):
    factory_class = PUBLISHABLE_FACTORIES[model]
    published = factory_class(published=True)
    factory_class(published=True)
    factory_class()

    assert list(model.objects.filter(pk=published.pk).public()) == [published]


def test_published_assessment_of_an_unpublished_site_is_not_public():
    hidden_site = SiteFactory(publication_status=PublicationStatus.IN_REVIEW)
    hidden = AssessmentFactory(site=hidden_site, published=True)
    shown = AssessmentFactory(site=SiteFactory(published=True), published=True)

    assert list(Assessment.objects.public()) == [shown]
    assert set(Assessment.objects.published()) == {hidden, shown}


def test_every_publishable_model_has_its_public_queryset_tested():
    assert register_models(Publishable) == set(PUBLISHABLE_FACTORIES)


def test_new_records_are_drafts_and_not_public():
    site = SiteFactory()

    assert site.publication_status == PublicationStatus.DRAFT
    assert not site.is_public
    assert SiteFactory(published=True).is_public


def first_term(model):
    return lambda: model.objects.order_by("position", "label").first()


NATURAL_KEY_MAKERS = {
    **{m: make for m, make in MODEL_FACTORIES.items() if issubclass(m, NaturalKeyModel)},
    **{model: first_term(model) for model in VOCABULARIES},
}


@pytest.mark.parametrize("model", NATURAL_KEY_MAKERS, ids=model_name)
def test_natural_key_finds_the_same_row(model):
    row = NATURAL_KEY_MAKERS[model]()
    NATURAL_KEY_MAKERS[model]()  # another row, so the key has to choose

    assert model.objects.get_by_natural_key(*row.natural_key()) == row


@pytest.mark.parametrize("model", NATURAL_KEY_MAKERS, ids=model_name)
def test_natural_key_is_made_of_plain_values(model):
    row = NATURAL_KEY_MAKERS[model]()

    assert len(row.natural_key()) == len(model.NATURAL_KEY)
    assert all(isinstance(value, str | int) for value in row.natural_key())


def test_every_model_with_a_natural_key_has_its_round_trip_tested():
    assert register_models(NaturalKeyModel) == set(NATURAL_KEY_MAKERS)


def test_name_variant_natural_key_is_flat():
    name = SiteNameFactory(site__slug="haji-alakbar-mosque", name="Hacı Ələkbər məscidi")

    assert name.natural_key() == ("haji-alakbar-mosque", "az", "Hacı Ələkbər məscidi")


def test_fixture_with_natural_keys_loads_onto_existing_rows_without_duplicating():
    claim = ResponsibilityClaimFactory(disturbance__cause_type=CauseType.objects.get(label="Fire"))
    claim.disturbance.effect_types.set([EffectType.objects.get(label="Burning")])
    leader = ParticipationFactory(role=Participation.Role.LEADER)
    rows = [
        claim.disturbance.assessment.site.place,
        claim.disturbance.assessment.site,
        SiteNameFactory(site=claim.disturbance.assessment.site),
        claim.disturbance.assessment,
        claim.disturbance,
        claim.source,
        claim,
        leader.visit,
        leader,
    ]
    fixture = serializers.serialize(
        "json", rows, use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    counts = {type(row): type(row).objects.count() for row in rows}

    loaded = list(serializers.deserialize("json", fixture))
    for item in loaded:
        item.save()

    assert [item.object.pk for item in loaded] == [row.pk for row in rows]
    assert {model: model.objects.count() for model in counts} == counts
    assert "pk" not in json.loads(fixture)[0]


def located_site(precision):
    return SiteFactory(
        place__latitude=Decimal("39.757"),
        place__longitude=Decimal("46.751"),
        latitude=Decimal("39.758123"),
        longitude=Decimal("46.752456"),
        location_precision=precision,
    )


def test_withheld_site_shows_only_its_place_coordinates():
    site = located_site(Site.Precision.WITHHELD)

    assert site.public_coordinates() == (Decimal("39.757"), Decimal("46.751"))


@pytest.mark.parametrize(
    "precision",
    [Site.Precision.EXACT, Site.Precision.APPROXIMATE, Site.Precision.SETTLEMENT],
)
def test_site_not_withheld_shows_its_own_coordinates(precision):
    site = located_site(precision)

    assert site.public_coordinates() == (Decimal("39.758123"), Decimal("46.752456"))


def test_withheld_site_in_a_place_without_coordinates_shows_none_rather_than_its_own():
    site = SiteFactory(
        latitude=Decimal("39.758123"),
        longitude=Decimal("46.752456"),
        location_precision=Site.Precision.WITHHELD,
    )

    assert site.public_coordinates() is None


def test_site_without_coordinates_shows_none():
    site = SiteFactory(place__latitude=Decimal("39.757"), place__longitude=Decimal("46.751"))

    assert site.public_coordinates() is None


def test_public_coordinates_read_back_from_the_database():
    site = located_site(Site.Precision.WITHHELD)

    assert Site.objects.get(pk=site.pk).public_coordinates() == (
        Decimal("39.757"),
        Decimal("46.751"),
    )


def test_place_ancestors_run_from_nearest_to_farthest():
    country = PlaceFactory(kind=Place.Kind.COUNTRY)
    district = PlaceFactory(kind=Place.Kind.DISTRICT, parent=country)
    city = PlaceFactory(kind=Place.Kind.CITY, parent=district)
    village = PlaceFactory(kind=Place.Kind.VILLAGE, parent=city)

    assert Place.objects.get(pk=village.pk).ancestors() == [city, district, country]


def test_top_level_place_has_no_ancestors():
    assert PlaceFactory(kind=Place.Kind.COUNTRY).ancestors() == []


def test_place_ancestors_stop_at_a_cycle_without_listing_the_place_itself():
    first = PlaceFactory()
    second = PlaceFactory(parent=first)
    Place.objects.filter(pk=first.pk).update(parent=second)
    first.refresh_from_db()

    assert first.ancestors() == [second]
