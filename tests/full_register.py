"""One of every public record, linked as on the real register: the records of the
``full_register`` fixture, which the admin's fuzz tests make once for their module."""

from decimal import Decimal

from heritage.models import LocationPrecision, Place
from tests import factories


def make_full_register():
    """One of every public record, linked as on the real register, with what hangs off them:
    {"site", "visit", "source", "district"}."""
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
