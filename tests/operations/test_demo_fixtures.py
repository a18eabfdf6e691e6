"""The demo fixtures load into an empty database, hold the facts of their sources, and load
again without duplicating anything.
"""

import datetime
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command

from heritage.base import PublicationStatus, Publishable
from heritage.models import (
    Place,
    ReportedFigure,
    Site,
    SiteClaim,
    Source,
)
from inspections.models import (
    Assessment,
    Disturbance,
    Participation,
    ResponsibilityClaim,
    Visit,
)
from operations.demo import DEMO_FIXTURES, FIXTURES_DIR

pytestmark = pytest.mark.django_db

APPS = ("heritage", "inspections")
SEED = "azernews-2021-01-15-icesco-partnership"
CHW_SET = "Caucasus Heritage Watch, Between the Wars (2023)"


def load_demo():
    call_command("loaddata", *[str(path) for path in DEMO_FIXTURES], verbosity=0)


def row_counts():
    """Rows per model of the register's apps, many-to-many tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for app in APPS
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    }


@pytest.fixture
def fixtures_loaded():
    """The demo fixture files, loaded into the empty test database."""
    assert not Site.objects.exists(), "the test database should start empty"
    load_demo()


# The files themselves


def test_every_fixture_file_is_listed_once_in_load_order():
    assert [path.name for path in DEMO_FIXTURES] == sorted(path.name for path in DEMO_FIXTURES)
    assert len(set(DEMO_FIXTURES)) == len(DEMO_FIXTURES)
    assert set(DEMO_FIXTURES) == set(FIXTURES_DIR.glob("*.json"))
    assert all(path.is_file() for path in DEMO_FIXTURES)


def test_fixtures_use_natural_keys_only():
    for path in DEMO_FIXTURES:
        for obj in json.loads(path.read_text(encoding="utf-8")):
            assert "pk" not in obj, f"{path.name}: {obj['model']} has a pk"


def test_every_publishable_record_in_the_fixtures_is_published():
    for path in DEMO_FIXTURES:
        for obj in json.loads(path.read_text(encoding="utf-8")):
            model = apps.get_model(obj["model"])
            if issubclass(model, Publishable):
                assert obj["fields"].get("publication_status") == "published", (
                    f"{path.name}: {obj['model']} {obj['fields'].get('slug')}"
                )


# Loading


def test_loading_twice_changes_no_row_count(fixtures_loaded):
    first = row_counts()
    assert first["heritage.Site"] == 5
    load_demo()
    assert row_counts() == first


def test_everything_loaded_is_public(fixtures_loaded):
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if issubclass(model, Publishable):
                assert not model.objects.exclude(
                    publication_status=PublicationStatus.PUBLISHED
                ).exists(), model._meta.label


# Places and sites


def test_places_form_a_hierarchy(fixtures_loaded):
    city = Place.objects.get(slug="fuzuli")
    assert [place.slug for place in city.ancestors()] == ["fuzuli-district", "azerbaijan"]
    assert city.parent.iso_code == "AZ-FUZ"
    assert (city.latitude, city.longitude) == (Decimal("39.6003"), Decimal("47.1431"))
    assert city.names.filter(language="hy", name="Varanda", kind="other_language").exists()
    assert city.names.filter(name="Karyagino", kind="historical").exists()
    assert Place.objects.get(slug="qargabazar").names.filter(name="Ijevanatun").exists()


def test_five_sites_with_names_in_several_scripts(fixtures_loaded):
    assert set(Site.objects.values_list("slug", flat=True)) == {
        "haji-alakbar-mosque",
        "fuzuli-city-cemetery",
        "gargabazar-mosque",
        "gargabazar-caravanserai",
        "gochahmadli-mosque",
    }
    for site in Site.objects.all():
        assert site.names.filter(language="az", kind="official").exists(), site.slug
        assert site.citations.filter(source__slug=SEED).exists(), site.slug
    scripts = set(
        Site.objects.get(slug="haji-alakbar-mosque").names.values_list("script", flat=True)
    )
    assert scripts == {"Latn", "Cyrl"}


def test_sites_located_by_settlement_carry_their_place_coordinates(fixtures_loaded):
    settlement = Site.objects.filter(location_precision=Site.Precision.SETTLEMENT)
    assert settlement.count() == 3
    for site in settlement:
        assert (site.latitude, site.longitude) == (site.place.latitude, site.place.longitude)
    caravanserai = Site.objects.get(slug="gargabazar-caravanserai")
    assert caravanserai.location_precision == Site.Precision.EXACT
    # No recorded source states its inventory number.
    assert caravanserai.registry_number == ""
    assert (caravanserai.latitude, caravanserai.longitude) == (
        Decimal("39.539143"),
        Decimal("47.156952"),
    )


def test_every_site_claim_has_a_source(fixtures_loaded):
    assert SiteClaim.objects.exists()
    assert not SiteClaim.objects.filter(source__isnull=True).exists()
    assert not SiteClaim.objects.exclude(source__publication_status="published").exists()


def dating_claims(site_slug):
    return SiteClaim.objects.filter(site__slug=site_slug, kind=SiteClaim.Kind.DATING)


def test_competing_dates_of_the_gargabazar_mosque_have_different_sources(fixtures_loaded):
    claims = dating_claims("gargabazar-mosque")
    in_1682 = claims.get(year_from=1682, year_to=1682)
    in_1683_84 = claims.filter(year_from=1683, year_to=1684)
    assert in_1683_84.count() == 2
    assert in_1682.source.slug not in {claim.source.slug for claim in in_1683_84}
    assert in_1682.source.publisher.startswith("Supreme Court")


@pytest.mark.parametrize(
    ("site_slug", "one", "other"),
    [
        ("gargabazar-caravanserai", (1681, 1681), (1683, 1684)),
        ("haji-alakbar-mosque", (1889, 1890), (1890, 1890)),
    ],
)
def test_other_competing_dates_are_kept_side_by_side(fixtures_loaded, site_slug, one, other):
    claims = dating_claims(site_slug)
    first = claims.get(year_from=one[0], year_to=one[1])
    second = claims.get(year_from=other[0], year_to=other[1])
    assert first.source != second.source


def test_juma_mosque_identity_is_marked_as_the_registers_inference(fixtures_loaded):
    identity = SiteClaim.objects.get(site__slug="haji-alakbar-mosque", kind="identity")
    assert identity.is_inference
    assert identity.source.slug == SEED
    assert "Juma Mosque" in identity.statement
    assert not SiteClaim.objects.filter(is_inference=True).exclude(pk=identity.pk).exists()


def test_one_caravanserai_or_several_are_two_claims(fixtures_loaded):
    claims = SiteClaim.objects.filter(
        site__slug="gargabazar-caravanserai", kind="description", slug__contains="-number-"
    )
    assert {claim.source.slug for claim in claims} == {SEED, "trend-2021-01-icesco-fuzuli-visit"}


# Visits and assessments


def test_the_january_visit_was_led_by_almalik(fixtures_loaded):
    visit = Visit.objects.get(start_date=datetime.date(2021, 1, 12))
    assert visit.kind == Visit.Kind.DELEGATION
    assert visit.status == Visit.Status.COMPLETED
    leader = visit.leader()
    assert leader.person.name == "Salim bin Mohammed AlMalik"
    assert leader.organisation.acronym == "ICESCO"
    assert Participation.objects.filter(visit=visit).count() == 1
    assert set(visit.places.values_list("slug", flat=True)) == {
        "fuzuli",
        "qargabazar",
        "qocahmadli",
    }
    assert set(visit.sources.values_list("slug", flat=True)) == {
        SEED,
        "trend-2021-01-icesco-fuzuli-visit",
    }
    assert set(visit.assessments.values_list("site__slug", flat=True)) == set(
        Site.objects.values_list("slug", flat=True)
    )


def test_the_announced_technical_mission_did_not_happen_as_announced(fixtures_loaded):
    mission = Visit.objects.get(kind=Visit.Kind.TECHNICAL_MISSION)
    assert mission.status == Visit.Status.NOT_AS_ANNOUNCED
    assert mission.date_precision == "month"
    assert mission.start_date == datetime.date(2021, 2, 1)
    assert set(mission.sources.values_list("slug", flat=True)) == {
        SEED,
        "yenicag-az-icesco-envoy-technical-mission",
    }
    assert not mission.assessments.exists()


def test_every_assessment_has_a_citation(fixtures_loaded):
    assert Assessment.objects.count() == 6
    for assessment in Assessment.objects.all():
        assert assessment.citations.exists(), assessment.slug


def test_conditions_come_from_the_sources_or_stay_empty(fixtures_loaded):
    conditions = dict(
        Assessment.objects.filter(visit__isnull=False).values_list(
            "site__slug", "overall_condition__label"
        )
    )
    assert conditions == {
        "haji-alakbar-mosque": "Destroyed",
        "gochahmadli-mosque": "Destroyed",
        "fuzuli-city-cemetery": None,
        "gargabazar-mosque": None,
        "gargabazar-caravanserai": None,
    }
    # The caravanserai's visit is reported by two publishers (AzerNews and Trend): its level
    # says so; every other assessment cites one source.
    assert set(
        Assessment.objects.exclude(verification="reported").values_list("slug", flat=True)
    ) == {"gargabazar-caravanserai-2021-01-12-icesco"}


def test_disturbances_use_eamena_terms_and_attributions_are_sourced_claims(fixtures_loaded):
    livestock = Disturbance.objects.get(assessment__slug="haji-alakbar-mosque-2021-01-12-icesco")
    assert livestock.cause_category.label == "Agricultural/Pastoral"
    assert livestock.cause_type.label == "Occupation/Continued Use"
    removal = Disturbance.objects.get(
        assessment__site__slug="fuzuli-city-cemetery",
        position=1,
        assessment__assessed_on=datetime.date(2020, 11, 19),
    )
    assert removal.cause_type.label == "Theft/Unauthorised Removal of Objects"
    assert removal.assessment.visit is None
    assert ResponsibilityClaim.objects.exists()
    for claim in ResponsibilityClaim.objects.all():
        assert claim.attributed_to
        assert claim.source.slug == SEED


# Reported figures


def test_every_reported_figure_has_a_published_source(fixtures_loaded):
    assert ReportedFigure.objects.count() == 14
    assert not ReportedFigure.objects.filter(source__isnull=True).exists()
    assert not ReportedFigure.objects.exclude(source__publication_status="published").exists()


def test_seed_figures(fixtures_loaded):
    values = dict(ReportedFigure.objects.filter(source__slug=SEED).values_list("slug", "value"))
    assert values == {
        "azernews-2021-libraries-destroyed": 927,
        "azernews-2021-books-in-destroyed-libraries": 4_600_000,
        "azernews-2021-palaces-of-culture-destroyed": 808,
        "azernews-2021-music-art-schools-destroyed": 85,
        "azernews-2021-educational-institutions-destroyed": 54,
        "azernews-2021-students-killed": 10,
        "azernews-2021-students-injured": 16,
    }
    reporters = dict(
        ReportedFigure.objects.filter(source__slug=SEED).values_list("slug", "reported_by__slug")
    )
    assert {slug for slug, reporter in reporters.items() if reporter} == {
        "azernews-2021-educational-institutions-destroyed",
        "azernews-2021-students-killed",
        "azernews-2021-students-injured",
    }
    assert set(reporters.values()) == {None, "ministry-of-education-azerbaijan"}


def test_caucasus_heritage_watch_figures_add_up_to_the_sites_assessed(fixtures_loaded):
    figures = ReportedFigure.objects.filter(figure_set=CHW_SET)
    assert {figure.reported_by.slug for figure in figures} == {"caucasus-heritage-watch"}
    assert {figure.period_label for figure in figures} == {"1994–2020"}
    total = figures.get(metric="assessed").value
    parts = figures.exclude(metric="assessed")
    assert total == 109
    assert parts.count() == 6
    assert sum(figure.value for figure in parts) == total


def test_sources_give_only_known_urls(fixtures_loaded):
    for source in Source.objects.exclude(url=""):
        assert source.url.startswith("https://"), source.slug
    assert Source.objects.get(slug="azertag-haji-alakbar-mosque").url == ""
