"""``/visits/<slug>/``: a published visit, who took part, its sources and its findings per
published site."""

import datetime
import re

import pytest
from django.urls import reverse

from heritage.base import DatePrecision
from inspections.models import Assessment, CauseType, Participation, Visit
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    DisturbanceFactory,
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    PlaceFactory,
    SiteFactory,
    SiteNameFactory,
    SourceFactory,
    VisitCitationFactory,
    VisitFactory,
)
from tests.languages import in_language
from tests.public.pages import assert_shows, without_isolation

pytestmark = pytest.mark.django_db


def test_visit_page_shows_a_published_visit(client):
    visit = VisitFactory(
        published=True,
        title="ICESCO delegation visit to Fuzuli",
        kind=Visit.Kind.DELEGATION,
        status=Visit.Status.COMPLETED,
        start_date=datetime.date(2021, 1, 12),
        summary="The delegation inspected the ruins of the city.",
    )
    visit.organisations.add(OrganisationFactory(name="ICESCO"))
    visit.places.add(PlaceFactory(name="Fuzuli", slug="fuzuli"))

    response = client.get(visit.get_absolute_url())

    assert response.status_code == 200
    text = response.text
    assert_shows(
        text,
        shown=[
            '<h1><bdi lang="en">ICESCO delegation visit to Fuzuli</bdi></h1>',
            "Delegation visit",
            "Completed",
            '<time datetime="2021-01-12">12 January 2021</time>',
            "ICESCO",
            'href="/visits/?place=fuzuli"><bdi>Fuzuli</bdi></a>',
            "The delegation inspected the ruins of the city.",
        ],
    )


@pytest.mark.parametrize("status", ["draft", "in_review", "rejected"])
def test_visit_page_of_an_unpublished_visit_is_not_found(client, status):
    visit = VisitFactory(publication_status=status)

    response = client.get(visit.get_absolute_url())

    assert response.status_code == 404


def test_visit_page_of_an_unknown_slug_is_not_found(client):
    response = client.get(reverse("visit-detail", args=["no-such-visit"]))

    assert response.status_code == 404


def test_visit_page_says_plainly_when_a_visit_did_not_take_place_as_announced(client):
    visit = VisitFactory(
        published=True,
        status=Visit.Status.NOT_AS_ANNOUNCED,
        start_date=datetime.date(2021, 2, 1),
        date_precision=DatePrecision.MONTH,
    )

    response = client.get(visit.get_absolute_url())

    assert "This visit did not take place as announced." in response.text
    assert '<time datetime="2021-02">February 2021</time>' in response.text


def test_visit_page_of_a_completed_visit_has_no_status_warning(client):
    visit = VisitFactory(published=True, status=Visit.Status.COMPLETED)

    response = client.get(visit.get_absolute_url())

    assert "did not take place" not in response.text
    assert "status-notice" not in response.text


def test_visit_page_shows_the_leader_and_participants_with_roles_and_organisations(client):
    visit = VisitFactory(published=True)
    leader = PersonFactory(name="Salim AlMalik", position="Director-General of ICESCO")
    ParticipationFactory(
        visit=visit,
        person=leader,
        organisation=OrganisationFactory(name="ICESCO"),
        role=Participation.Role.LEADER,
    )
    ParticipationFactory(
        visit=visit,
        person=PersonFactory(name="Aygun Host"),
        organisation=OrganisationFactory(name="Ministry of Culture"),
        role=Participation.Role.HOST,
    )

    response = client.get(visit.get_absolute_url())

    text = response.text
    assert "Led by" in text
    assert "Salim AlMalik, Director-General of ICESCO (ICESCO)" in without_isolation(text)
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", text, flags=re.S)
    assert len(rows) == 2
    assert "Salim AlMalik" in rows[0]
    assert "Leader" in rows[0]
    assert "Aygun Host" in rows[1]
    assert "Host" in rows[1]
    assert "Ministry of Culture" in rows[1]


def test_visit_page_cites_its_published_sources_and_hides_unpublished_ones(client):
    visit = VisitFactory(published=True)
    VisitCitationFactory(
        visit=visit,
        source=SourceFactory(published=True, title="Partnership prospects", publisher="AzerNews"),
        summary="The delegation visited Fuzuli.",
    )
    VisitCitationFactory(
        visit=visit,
        source=SourceFactory(title="Unchecked rumour", publisher="Rumour Mill"),
        summary="Something nobody checked.",
    )

    response = client.get(visit.get_absolute_url())

    text = response.text
    assert_shows(
        text,
        shown=["According to AzerNews", "Partnership prospects", "The delegation visited Fuzuli."],
        hidden=["Unchecked rumour", "Rumour Mill", "Something nobody checked."],
    )


def test_visit_page_lists_findings_per_published_site(client):
    visit = VisitFactory(published=True)
    site = SiteFactory(published=True, name="Juma Mosque", slug="juma-mosque")
    assessment = AssessmentFactory(
        published=True,
        visit=visit,
        site=site,
        condition="Destroyed",
        verification=Assessment.Verification.CORROBORATED,
        summary="Seen in ruins by the delegation.",
    )
    DisturbanceFactory(
        assessment=assessment,
        cause_type=CauseType.objects.get(label="Occupation/Continued Use"),
        description="Used to keep cattle.",
        occurred_before=datetime.date(2021, 1, 12),
    )
    AssessmentCitationFactory(
        assessment=assessment,
        source=SourceFactory(published=True, publisher="Trend"),
        summary="The mosque is destroyed.",
    )

    response = client.get(visit.get_absolute_url())

    text = response.text
    assert_shows(
        text,
        shown=[
            f'<h3><a href="{site.get_absolute_url()}">Juma Mosque</a></h3>',
            "Destroyed",
            "Corroborated by independent sources",
            "Seen in ruins by the delegation.",
            "Occupation/Continued Use",
            "Used to keep cattle.",
            "According to Trend",
            "The mosque is destroyed.",
        ],
    )


def test_visit_page_hides_unpublished_assessments_and_assessments_of_unpublished_sites(client):
    visit = VisitFactory(published=True)
    AssessmentFactory(
        visit=visit, site=SiteFactory(published=True, name="Site with a draft assessment")
    )
    AssessmentFactory(
        published=True, visit=visit, site=SiteFactory(name="Draft site"), summary="Hidden."
    )
    AssessmentFactory(
        published=True, site=SiteFactory(published=True, name="Assessed on another visit")
    )

    response = client.get(visit.get_absolute_url())

    text = response.text
    assert_shows(
        text,
        shown=["No published findings are recorded for this visit."],
        hidden=[
            "Site with a draft assessment",
            "Draft site",
            "Hidden.",
            "Assessed on another visit",
        ],
    )


def test_visit_page_hides_an_assessment_citation_whose_source_is_unpublished(client):
    visit = VisitFactory(published=True)
    assessment = AssessmentFactory(published=True, visit=visit, site=SiteFactory(published=True))
    AssessmentCitationFactory(
        assessment=assessment, source=SourceFactory(title="Draft source"), summary="Secret."
    )

    response = client.get(visit.get_absolute_url())

    assert "Draft source" not in response.text
    assert "Secret." not in response.text


def test_visit_page_shows_condition_and_site_name_in_the_visitors_language(client):
    visit = VisitFactory(published=True)
    site = SiteFactory(published=True, name="Gargabazar Mosque")
    SiteNameFactory(site=site, language="ar", name="مسجد قرغابازار", script="Arab")
    AssessmentFactory(published=True, visit=visit, site=site, condition="Destroyed")

    response = client.get(in_language(visit.get_absolute_url(), "ar"))

    assert "مسجد قرغابازار" in response.text
    assert "مدمر" in response.text


@pytest.mark.usefixtures("demo")
def test_visit_page_shows_the_demo_technical_mission_that_did_not_happen(client):
    response = client.get(reverse("visit-detail", args=["icesco-technical-mission-2021-02"]))

    text = response.text
    assert response.status_code == 200
    assert_shows(
        text,
        shown=[
            "This visit did not take place as announced.",
            "February 2021",
            "According to AzerNews",
        ],
    )


def make_detailed_visit(size):
    """A published visit with ``size`` participants, citations and findings."""
    visit = VisitFactory(published=True)
    visit.organisations.add(*[OrganisationFactory() for _ in range(size)])
    visit.places.add(*[PlaceFactory() for _ in range(size)])
    for index in range(size):
        ParticipationFactory(
            visit=visit,
            role=Participation.Role.LEADER if index == 0 else Participation.Role.MEMBER,
        )
        VisitCitationFactory(visit=visit, source=SourceFactory(published=True))
        site = SiteFactory(published=True)
        SiteNameFactory(site=site, language="ar")
        assessment = AssessmentFactory(published=True, visit=visit, site=site)
        DisturbanceFactory(assessment=assessment)
        DisturbanceFactory(
            assessment=assessment, cause_type=CauseType.objects.get(label="Breaking/Smashing")
        )
        AssessmentCitationFactory(assessment=assessment, source=SourceFactory(published=True))
    return visit


# visit, organisations, places, participations, citations, assessments, site names,
# disturbances, assessment citations, evidence of the visit and its assessments, its dated
# events and statements, and (the page is read in Arabic) the places' names in Arabic; the
# visit's history with the organisations and places each entry held, for the version "Cite
# this record" names; the commitments made on or linked to it
DETAIL_QUERIES = 17


@pytest.mark.parametrize("size", [1, 4])
def test_visit_page_query_count_does_not_grow_with_its_contents(
    client, django_assert_num_queries, size
):
    visit = make_detailed_visit(size)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(in_language(visit.get_absolute_url(), "ar"))

    assert len(response.context["visit"].public_assessments) == size
