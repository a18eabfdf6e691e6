"""Fixtures for the whole suite: a clean state for every test, logged-in clients, the demo
data, and the registers that tests in several folders build on."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from heritage.models import Organisation, Person, Place, Site, Source
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
from tests.full_register import make_full_register
from tests.module_data import once_a_module
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


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Within each module, the tests of the demo data run after the others: the demo is
    loaded once for the rest of the module (``demo_of_the_module``), which a test without it
    must not see. The order is otherwise kept. Runs before pytest-django's own ordering,
    which then puts the tests that commit after the others (a flush at the end of each
    empties every table) and keeps this order among each kind."""
    order = {}
    for index, item in enumerate(items):
        module = item.nodeid.split("::", 1)[0]
        order.setdefault(module, len(order))
        order[item] = (order[module], "demo" in item.fixturenames, index)
    items.sort(key=order.__getitem__)


@pytest.fixture(scope="module")
def demo_of_the_module(request, django_db_setup, django_db_blocker):
    """The demo data, loaded once for the tests of a module that ask for it
    (``tests.module_data.once_a_module``); False in a module with a test that commits, whose
    tests load it each."""
    yield from once_a_module(
        request, django_db_blocker, lambda: call_command("load_demo", verbosity=0)
    )


@pytest.fixture
def demo(demo_of_the_module):
    """The demo data, as ``manage.py load_demo`` loads it (once a module:
    ``demo_of_the_module``)."""
    if not demo_of_the_module:
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
    """One of every public record, linked as on the real register, with what hangs off them
    (``make_full_register``)."""
    return make_full_register()


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
