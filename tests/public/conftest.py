"""Registers the public pages are tested on."""

import datetime
from decimal import Decimal

import pytest

from heritage.models import LocationPrecision, Place, Site
from tests.factories import (
    AssessmentFactory,
    OrganisationFactory,
    PlaceFactory,
    ReportedFigureFactory,
    SiteCitationFactory,
    SiteFactory,
    SiteNameFactory,
    SourceFactory,
    VisitFactory,
    published_assessment,
)
from tests.public.restricted import WITHHELD, add_unpublished_records


@pytest.fixture
def four_sites(db):
    """Four published sites, each with at most one published assessment, so that a site
    matches two filters exactly when it matches each of them.

    ============  ============  ===============  ===========  =========  ============
    site          category      place            condition    assessed   by / level
    ============  ============  ===============  ===========  =========  ============
    alpha         mosque        village, east    Destroyed    2021-01-12 icesco, verified
    beta          cemetery      city, east       Poor         2022-06-01 watch, reported
    gamma         caravanserai  west district    (none)       (never)
    delta         library       west district    Good         2020-03-01 icesco's visit,
                                                                         corroborated
    ============  ============  ===============  ===========  =========  ============
    """
    east = PlaceFactory(slug="east", name="East District", kind=Place.Kind.DISTRICT)
    city = PlaceFactory(slug="east-city", name="East City", parent=east)
    village = PlaceFactory(
        slug="east-village", name="East Village", kind=Place.Kind.VILLAGE, parent=east
    )
    west = PlaceFactory(slug="west", name="West District", kind=Place.Kind.DISTRICT)
    icesco = OrganisationFactory(slug="icesco", name="ICESCO")

    def site(slug, name, category, place):
        return SiteFactory(published=True, slug=slug, name=name, category=category, place=place)

    alpha = site("alpha", "Alpha Mosque", "mosque", village)
    SiteNameFactory(site=alpha, name="Qarğabazar məscidi", language="az")
    published_assessment(
        alpha, datetime.date(2021, 1, 12), "Destroyed", assessed_by=icesco, verification="verified"
    )
    beta = site("beta", "Beta Cemetery", "cemetery", city)
    published_assessment(
        beta,
        datetime.date(2022, 6, 1),
        "Poor",
        assessed_by=OrganisationFactory(slug="watch", name="Heritage Watch"),
        verification="reported",
    )
    site("gamma", "Gamma Caravanserai", "caravanserai", west)
    visit = VisitFactory(published=True)
    visit.organisations.add(icesco)
    published_assessment(
        site("delta", "Delta Library", "library", west),
        datetime.date(2020, 3, 1),
        "Good",
        visit=visit,
        verification="corroborated",
    )


@pytest.fixture
def unpublished_findings(db):
    """What ICESCO found that is not published: a draft assessment of the published site
    ``only-draft-assessment`` (verified, destroyed, 12 January 2021), and a draft visit
    whose published assessment is of the published site ``on-a-draft-visit``."""
    icesco = OrganisationFactory(slug="icesco")
    AssessmentFactory(
        site=SiteFactory(published=True, slug="only-draft-assessment"),
        publication_status="draft",
        assessed_by=icesco,
        assessed_on=datetime.date(2021, 1, 12),
        verification="verified",
        condition="Destroyed",
    )
    draft_visit = VisitFactory(publication_status="draft")
    draft_visit.organisations.add(icesco)
    AssessmentFactory(
        site=SiteFactory(published=True, slug="on-a-draft-visit"), published=True, visit=draft_visit
    )


@pytest.fixture
def restricted_register(db):
    """Published records, among them a library whose position is withheld, and for each
    status short of published, restricted records that no answer may reveal."""
    district = PlaceFactory(slug="fuzuli-district", kind=Place.Kind.DISTRICT)
    village = PlaceFactory(
        slug="gargabazar",
        kind=Place.Kind.VILLAGE,
        parent=district,
        latitude=Decimal("39.6"),
        longitude=Decimal("47.1"),
    )
    mosque = SiteFactory(slug="gargabazar-mosque", published=True, place=village)
    withheld = SiteFactory(
        slug="withheld-library",
        published=True,
        place=village,
        category=Site.Category.LIBRARY,
        latitude=Decimal(WITHHELD[0]),
        longitude=Decimal(WITHHELD[1]),
        location_precision=LocationPrecision.WITHHELD,
    )
    visit = VisitFactory(slug="icesco-2021", published=True)
    visit.organisations.add(OrganisationFactory(slug="icesco"))
    visit.places.add(village)
    for site in (mosque, withheld):
        AssessmentFactory(site=site, visit=visit, published=True)
    ReportedFigureFactory(published=True)
    source = SourceFactory(published=True)
    SiteCitationFactory(site=mosque, source=source)
    hidden_sources = add_unpublished_records(mosque, visit)
    return {
        "public_slugs": set(Site.objects.public().values_list("slug", flat=True)),
        "source_ids": [source.pk, hidden_sources[-1].pk],
    }


@pytest.fixture
def many_villages(db):
    """2,000 villages in 20 new districts (``district-0``…``district-19``), written in bulk:
    a register whose places outnumber what a select may list."""
    districts = Place.objects.bulk_create(
        Place(slug=f"district-{i}", name=f"District {i}", kind=Place.Kind.DISTRICT)
        for i in range(20)
    )
    return Place.objects.bulk_create(
        Place(
            slug=f"village-{i}",
            name=f"Village number {i}",
            kind=Place.Kind.VILLAGE,
            parent=districts[i % 20],
        )
        for i in range(2000)
    )
