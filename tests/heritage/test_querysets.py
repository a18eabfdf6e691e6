"""Reads every page relies on: ``public()``, natural keys, public coordinates, the place
hierarchy and the EAMENA vocabularies."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers
from django.utils import translation

import inspections
from heritage.base import NaturalKeyModel, PublicationStatus, Publishable
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
from inspections.models import (
    Assessment,
    AssessmentCitation,
    CauseType,
    Disturbance,
    EffectType,
    Evidence,
    EvidenceTranslation,
    OverallCondition,
    Participation,
    ResponsibilityClaim,
    Visit,
    VisitCitation,
)
from inspections.vocabularies import VOCABULARIES, DamageExtent
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    DisturbanceFactory,
    EvidenceFactory,
    EvidenceTranslationFactory,
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    PlaceFactory,
    PlaceNameFactory,
    ReportedFigureFactory,
    ResponsibilityClaimFactory,
    SiteCitationFactory,
    SiteClaimFactory,
    SiteFactory,
    SiteNameFactory,
    SourceFactory,
    VisitCitationFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

APPS = ("heritage", "inspections")

EAMENA_DATA = json.loads(
    (Path(inspections.__file__).parent / "data" / "eamena.json").read_text(encoding="utf-8")
)


def register_models(base):
    return {
        model
        for app_label in APPS
        for model in apps.get_app_config(app_label).get_models()
        if issubclass(model, base)
    }


def model_name(model):
    return model.__name__


# public()

PUBLISHABLE_FACTORIES = {
    Site: SiteFactory,
    Source: SourceFactory,
    SiteClaim: SiteClaimFactory,
    ReportedFigure: ReportedFigureFactory,
    Visit: VisitFactory,
    Assessment: AssessmentFactory,
    # Evidence is public only when its site is too (tests/public/test_evidence_galleries.py).
    Evidence: lambda **fields: EvidenceFactory(site=SiteFactory(published=True), **fields),
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


def test_every_publishable_model_has_its_public_queryset_tested():
    assert register_models(Publishable) == set(PUBLISHABLE_FACTORIES)


def test_new_records_are_drafts_and_not_public():
    site = SiteFactory()

    assert site.publication_status == PublicationStatus.DRAFT
    assert not site.is_public
    assert SiteFactory(published=True).is_public


# Natural keys


def first_term(model):
    return lambda: model.objects.order_by("position", "label").first()


NATURAL_KEY_MAKERS = {
    Place: PlaceFactory,
    PlaceName: PlaceNameFactory,
    Organisation: OrganisationFactory,
    Person: PersonFactory,
    Source: SourceFactory,
    Site: SiteFactory,
    SiteName: SiteNameFactory,
    SiteClaim: SiteClaimFactory,
    SiteCitation: SiteCitationFactory,
    ReportedFigure: ReportedFigureFactory,
    Visit: VisitFactory,
    Participation: ParticipationFactory,
    VisitCitation: VisitCitationFactory,
    Assessment: AssessmentFactory,
    AssessmentCitation: AssessmentCitationFactory,
    Disturbance: DisturbanceFactory,
    ResponsibilityClaim: ResponsibilityClaimFactory,
    Evidence: EvidenceFactory,
    EvidenceTranslation: EvidenceTranslationFactory,
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


# Site.public_coordinates()


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


# Place.ancestors()


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


# Vocabularies


def labels(model):
    return list(model.objects.values_list("label", flat=True))


def test_overall_conditions_are_listed_in_scale_order():
    assert labels(OverallCondition) == ["Good", "Fair", "Poor", "Very Bad", "Destroyed", "Unknown"]


def test_damage_extents_are_listed_in_scale_order():
    assert labels(DamageExtent) == [
        "No Visible/Known",
        "1-10%",
        "11-30%",
        "31-60%",
        "61-90%",
        "91-100%",
        "Unknown",
    ]


@pytest.mark.parametrize("model", VOCABULARIES, ids=model_name)
def test_vocabulary_lists_every_eamena_term_in_eamena_order(model):
    terms = EAMENA_DATA[model.EAMENA_LIST]["terms"]

    assert labels(model) == [term["en"] for term in terms]
    assert all(model.objects.values_list("from_eamena", flat=True))


@pytest.mark.parametrize("model", VOCABULARIES, ids=model_name)
def test_vocabulary_carries_the_arabic_labels_eamena_publishes(model):
    terms = EAMENA_DATA[model.EAMENA_LIST]["terms"]

    assert list(model.objects.values_list("label", "label_ar")) == [
        (term["en"], term["ar"] or "") for term in terms
    ]


def test_destroyed_is_labelled_in_arabic():
    assert OverallCondition.objects.get(label="Destroyed").label_ar == "مدمر"


def test_term_added_by_an_editor_sorts_by_its_position():
    OverallCondition.objects.create(label="Partly restored", position=3)

    assert labels(OverallCondition)[2:4] == ["Partly restored", "Poor"]


def test_localized_label_is_arabic_when_arabic_is_active():
    term = OverallCondition.objects.get(label="Destroyed")

    with translation.override("ar"):
        assert term.localized_label() == "مدمر"
        assert str(term) == "مدمر"


def test_localized_label_takes_an_explicit_language():
    term = OverallCondition.objects.get(label="Destroyed")

    assert term.localized_label("ar") == "مدمر"
    assert term.localized_label("en") == "Destroyed"


@pytest.mark.parametrize(
    "language",
    [
        pytest.param("az", id="language-with-an-empty-label"),
        pytest.param("fr", id="language-without-a-label-column"),
    ],
)
def test_localized_label_falls_back_to_english(language):
    term = OverallCondition.objects.get(label="Destroyed")

    assert term.label_az == ""
    with translation.override(language):
        assert term.localized_label() == "Destroyed"


def test_localized_label_falls_back_to_english_for_a_term_without_arabic():
    term = OverallCondition.objects.create(label="Partly restored", position=7)

    assert term.localized_label("ar") == "Partly restored"
