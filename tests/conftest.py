"""Fixtures for the whole suite: a clean state for every test, logged-in clients, the demo
data, and the registers that tests in several folders build on."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from heritage.models import LocationPrecision, Organisation, Person, Place, Site, Source
from inspections.models import (
    VOCABULARIES,
    CauseCategory,
    CauseType,
    Certainty,
    EffectType,
    OverallCondition,
    Participation,
    Statement,
    VisitEvent,
)
from inspections.vocabulary_labels import load_azerbaijani_labels
from tests import factories
from tests.admin_forms import logged_in
from tests.recovery_factories import recovery_records


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep files written by tests out of the project folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache: a rolled-back test sends no signal to clear it."""
    cache.clear()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Start every test in English: a request in another language leaves it active in the
    thread, and messages made outside a request would follow the previous test."""
    with translation.override("en"):
        yield


# --- Who is asking ----------------------------------------------------------------------


@pytest.fixture
def editor_client(client):
    """The test client of Erin, a member of the Editor group."""
    return logged_in(factories.editor(username="erin"), client)


@pytest.fixture
def reviewer_client(client):
    """The test client of Rafael, a member of the Reviewer group."""
    return logged_in(factories.reviewer(username="rafael"), client)


# --- Data -------------------------------------------------------------------------------


@pytest.fixture
def demo():
    """The demo data, as ``manage.py load_demo`` loads it."""
    call_command("load_demo", verbosity=0)


def heritage_records(n):
    """One row of every model of the heritage app, told apart by ``n``."""
    country = factories.PlaceFactory(
        slug=f"country-{n}", name=f"Country {n}", kind=Place.Kind.COUNTRY
    )
    place = factories.PlaceFactory(
        slug=f"village-{n}", name=f"Village {n}", kind=Place.Kind.VILLAGE, parent=country
    )
    organisation = factories.OrganisationFactory(
        slug=f"organisation-{n}", name=f"Organisation {n}", acronym=f"ORG{n}"
    )
    source = factories.SourceFactory(
        slug=f"source-{n}",
        title=f"Report {n}",
        publisher=f"Publisher {n}",
        kind=Source.Kind.NGO_REPORT,
        published_on=datetime.date(2024, 3, 1),
    )
    site = factories.SiteFactory(slug=f"site-{n}", name=f"Site {n}", place=place)
    claim = factories.SiteClaimFactory(slug=f"claim-{n}", site=site, source=source)
    return {
        record._meta.model: record
        for record in [
            place,
            factories.PlaceNameFactory(place=place, name=f"Kənd {n}"),
            organisation,
            factories.PersonFactory(
                slug=f"person-{n}", name=f"Person {n}", organisation=organisation
            ),
            source,
            site,
            factories.SiteNameFactory(site=site, name=f"Abidə {n}"),
            claim,
            factories.SiteCitationFactory(site=site, source=source, summary="Seen."),
            factories.SiteIdentifierFactory(site=site, source=source),
            factories.SiteTranslationFactory(site=site, description=f"Təsvir {n}"),
            factories.SiteClaimTranslationFactory(claim=claim, statement=f"İddia {n}"),
            factories.ReportedFigureFactory(
                slug=f"figure-{n}", category="", area=place, reported_by=organisation, source=source
            ),
        ]
    }


def inspection_records(n, heritage):
    """One row of every model of the inspections app, told apart by ``n``, linked to the
    ``heritage`` records of :func:`heritage_records`."""
    terms = {
        vocabulary: vocabulary.objects.create(
            label=f"Test {vocabulary._meta.verbose_name} {n}", position=0
        )
        for vocabulary in VOCABULARIES
    }
    source, organisation = heritage[Source], heritage[Organisation]
    visit = factories.VisitFactory(
        slug=f"visit-{n}", title=f"Visit {n}", start_date=datetime.date(2024, 4, 1)
    )
    assessment = factories.AssessmentFactory(
        slug=f"assessment-{n}",
        site=heritage[Site],
        visit=visit,
        assessed_on=datetime.date(2024, 4, 2),
        assessed_by=organisation,
        assessment_type=None,
        overall_condition=terms[OverallCondition],
    )
    disturbance = factories.DisturbanceFactory(
        assessment=assessment,
        cause_category=terms[CauseCategory],
        cause_type=terms[CauseType],
        cause_certainty=terms[Certainty],
    )
    disturbance.effect_types.add(terms[EffectType])
    evidence = factories.EvidenceFactory(
        site=heritage[Site], caption=f"Photo {n}", sha256=f"{n:064x}"
    )
    records = [
        visit,
        factories.ParticipationFactory(
            visit=visit,
            person=heritage[Person],
            organisation=organisation,
            role=Participation.Role.LEADER,
        ),
        factories.VisitCitationFactory(visit=visit, source=source, summary="The visit took place."),
        assessment,
        factories.AssessmentCitationFactory(
            assessment=assessment, source=source, summary="Roof collapsed."
        ),
        disturbance,
        factories.ResponsibilityClaimFactory(
            disturbance=disturbance, attributed_to=f"Party {n}", source=source
        ),
        evidence,
        factories.EvidenceTranslationFactory(evidence=evidence, caption=f"Şəkil {n}"),
        Statement.objects.create(
            slug=f"statement-{n}",
            quote=f"Words {n}",
            speaker_person=heritage[Person],
            speaker_organisation=organisation,
            visit=visit,
            source=source,
        ),
        VisitEvent.objects.create(
            visit=visit, happened_on=datetime.date(2024, 4, 1), title=f"Event {n}", source=source
        ),
    ]
    return {**terms, **{record._meta.model: record for record in records}}


@pytest.fixture
def make_records(db):
    """Makes one row of every model of both apps, told apart by the number it is given;
    returns them by model."""

    def make(n):
        heritage = heritage_records(n)
        inspections = inspection_records(n, heritage)
        return {**heritage, **inspections, **recovery_records(n, {**heritage, **inspections})}

    return make


@pytest.fixture
def records(make_records):
    """One row of every model of both apps."""
    return make_records(1)


@pytest.fixture
def full_register(db):
    """One of every public record, linked as on the real register, with what hangs off them."""
    district = factories.PlaceFactory(
        kind=Place.Kind.DISTRICT, latitude=Decimal("39.6"), longitude=Decimal("47.1")
    )
    village = factories.PlaceFactory(
        kind=Place.Kind.VILLAGE, parent=district, latitude=Decimal("39.5"), longitude=Decimal("47")
    )
    factories.PlaceNameFactory(place=village)
    organisation = factories.OrganisationFactory(acronym="ORG")
    source = factories.SourceFactory(published=True, author="A. Author", notes="Public notes.")
    site = factories.SiteFactory(
        published=True,
        place=village,
        latitude=Decimal("39.512345"),
        longitude=Decimal("47.054321"),
        location_precision=LocationPrecision.EXACT,
        dating_label="17th century",
        registry_number="No. 123",
        description="A mosque.",
    )
    factories.SiteNameFactory(site=site)
    factories.SiteClaimFactory(site=site, source=source, published=True)
    factories.SiteClaimFactory(
        site=site, source=source, published=True, kind="identity", year_from=None, year_to=None
    )
    factories.SiteCitationFactory(site=site, source=source, locator="p. 3")
    visit = full_visit(village, organisation, source)
    assessment = factories.AssessmentFactory(
        site=site, visit=visit, published=True, assessed_by=organisation, summary="Damaged."
    )
    factories.AssessmentCitationFactory(assessment=assessment, source=source, locator="p. 4")
    disturbance = factories.DisturbanceFactory(assessment=assessment, description="Fire.")
    factories.ResponsibilityClaimFactory(disturbance=disturbance, source=source, summary="Said.")
    factories.ReportedFigureFactory(
        published=True,
        source=source,
        reported_by=organisation,
        area=district,
        area_label="Fuzuli",
        period_label="1993-2020",
        summary="Reported.",
    )
    return {"site": site, "visit": visit, "source": source, "district": district}


def full_visit(place, organisation, source):
    """A published visit to ``place`` by ``organisation``, led by one of its people."""
    visit = factories.VisitFactory(published=True, summary="The delegation saw the mosque.")
    visit.organisations.add(organisation)
    visit.places.add(place)
    person = factories.PersonFactory(organisation=organisation, position="Head of mission")
    factories.ParticipationFactory(visit=visit, person=person, role="leader")
    factories.VisitCitationFactory(visit=visit, source=source, locator="para. 2")
    return visit


@pytest.fixture
def public_urls(full_register):
    """Every kind of public page and export, on the records of ``full_register``."""
    site, visit, source = full_register["site"], full_register["visit"], full_register["source"]
    return [
        "/",
        "/sites/",
        f"/sites/?q={site.name[:4]}",
        f"/sites/?area={full_register['district'].slug}",
        site.get_absolute_url(),
        "/visits/",
        visit.get_absolute_url(),
        "/figures/",
        f"/sources/{source.pk}/",
        "/sites/export.csv",
        "/sites/export.geojson",
        f"/sites/export.geojson?site={site.slug}",
        "/feeds/assessments.atom",
        "/feeds/visits.atom",
        "/feeds/sources.atom",
    ]


@pytest.fixture
def vocabularies(transactional_db):
    """The EAMENA terms and the register's mapping of cause types, as the data migrations
    load them.

    A test that needs committed data (the browser tests, for the live server) is
    transactional; a transactional test's flush empties every table, vocabularies included.
    The serialized rollback restores them only when Django serialized the database when
    creating it, which depends on which other tests run in the same session. So the terms
    are loaded again."""
    for name in ("0002_load_eamena_vocabularies", "0004_load_cause_type_mapping"):
        migration = importlib.import_module(f"inspections.migrations.{name}")
        loader = getattr(migration, "load_terms", None) or migration.load_mapping
        loader(apps, schema_editor=None)
    load_azerbaijani_labels(apps, schema_editor=None)
