"""The trust of the record on the public pages: the assessor kept apart from who reports it,
one vocabulary for a missing condition, inferences flagged wherever a condition appears,
statements and dated events of a visit, organisations' pages."""

import datetime
import re

import pytest
from django.urls import reverse

from heritage.models import Organisation
from inspections.models import ConditionStatus, Statement, VisitEvent
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    OrganisationFactory,
    PersonFactory,
    SiteClaimFactory,
    SiteFactory,
    SourceFactory,
    VisitFactory,
)
from tests.public.pages import assert_shows, body, csv_rows, dossier, geojson, page, section
from tests.public.test_site_list_queries import LISTING_QUERIES

pytestmark = pytest.mark.django_db


def icesco():
    return OrganisationFactory(
        slug="icesco",
        name="ICESCO body",
        acronym="ICESCO",
        kind=Organisation.Kind.INTERGOVERNMENTAL,
    )


def news(name="AzerNews", **fields):
    organisation = OrganisationFactory(name=name, kind=Organisation.Kind.MEDIA)
    return SourceFactory(
        published=True,
        publisher=name,
        publisher_organisation=organisation,
        published_on=datetime.date(2021, 1, 15),
        **fields,
    )


def inferred_site(condition="Destroyed"):
    """A published site whose only assessment rests on the register's identification."""
    site = SiteFactory(published=True, name="Haji Alakbar Mosque")
    source = news()
    claim = SiteClaimFactory(
        site=site, source=source, kind="identity", is_inference=True, published=True
    )
    assessment = AssessmentFactory(
        site=site, published=True, condition=condition, identification=claim
    )
    AssessmentCitationFactory(assessment=assessment, source=source)
    return site, assessment


def text(html):
    """The text of ``html``: tags removed, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


# --- Assessor and reporter ----------------------------------------------------------------


def test_a_news_report_of_an_assessment_is_not_the_assessors_word(client):
    site = SiteFactory(published=True)
    assessment = AssessmentFactory(site=site, published=True, assessed_by=icesco())
    AssessmentCitationFactory(assessment=assessment, source=news())

    html = text(section(dossier(client, site), "assessments"))

    assert_shows(
        html,
        shown=[
            "Reported by AzerNews (15 January 2021): on 1 May 2024, Poor.",
            "Assessed by ICESCO, as the reports say; no document of ICESCO is cited.",
        ],
        hidden=["According to ICESCO"],
    )


def test_according_to_the_assessor_only_with_a_source_it_published(client):
    site = SiteFactory(published=True)
    organisation = icesco()
    assessment = AssessmentFactory(site=site, published=True, assessed_by=organisation)
    own = SourceFactory(published=True, publisher="ICESCO", publisher_organisation=organisation)
    AssessmentCitationFactory(assessment=assessment, source=own)

    html = text(section(dossier(client, site), "assessments"))

    assert "According to ICESCO, 1 May 2024: Poor." in html, html
    assert "Reported by ICESCO" not in html
    assert "as the reports say" not in html


# --- One vocabulary for a missing condition ---------------------------------------------


def sites_in_each_state():
    stated = SiteFactory(published=True, name="Stated")
    AssessmentFactory(site=stated, published=True, condition="Poor")
    silent = SiteFactory(published=True, name="Silent")
    AssessmentFactory(site=silent, published=True, overall_condition=None)
    never = SiteFactory(published=True, name="Never")
    return stated, silent, never


def test_listing_home_and_legend_share_one_vocabulary(client):
    sites_in_each_state()

    listing = page(client, reverse("site-list"))
    home = page(client, reverse("home"))

    for html in (listing, home):
        assert "Condition not stated" in html
        assert "Not assessed" in html
        assert "Not recorded" not in html
        assert "Not stated<" not in html
    counts = section(home, "by-condition")
    assert '<td>Condition not stated</td><td class="number">1</td>' in counts
    assert '<td>Not assessed</td><td class="number">1</td>' in counts


def test_visit_and_dossier_say_condition_not_stated(client):
    visit = VisitFactory(published=True)
    site = SiteFactory(published=True)
    assessment = AssessmentFactory(site=site, published=True, visit=visit, overall_condition=None)
    AssessmentCitationFactory(assessment=assessment, source=news())

    assert "Condition not stated" in page(client, visit.get_absolute_url())
    assert "Condition not stated." in dossier(client, site)


def test_exports_give_the_condition_status(client):
    stated, silent, never = sites_in_each_state()

    rows = {row["slug"]: row for row in csv_rows(client.get(reverse("site-export-csv")))}
    features = geojson(client.get(reverse("site-export-geojson")))["features"]
    by_slug = {feature["id"]: feature["properties"] for feature in features}

    assert rows[stated.slug]["condition_status"] == "stated"
    assert rows[silent.slug]["condition_status"] == "not_stated"
    assert rows[never.slug]["condition_status"] == "not_assessed"
    assert by_slug[silent.slug]["condition_label"] == "Condition not stated"
    assert by_slug[never.slug]["condition_label"] == "Not assessed"
    assert by_slug[never.slug]["condition_status"] == ConditionStatus.NOT_ASSESSED


# --- Inferences flagged -----------------------------------------------------------------


def test_an_inferred_condition_is_flagged_everywhere(client):
    site, _assessment = inferred_site()
    plain = SiteFactory(published=True, name="Plain")
    AssessmentFactory(site=plain, published=True, condition="Destroyed")

    listing = page(client, reverse("site-list"))
    home = page(client, reverse("home"))
    rows = {row["slug"]: row for row in csv_rows(client.get(reverse("site-export-csv")))}
    features = geojson(client.get(reverse("site-export-geojson")))["features"]
    api = client.get(f"/api/v1/sites/{site.slug}/").json()

    assert listing.count("(by the register's inference)") == 1
    assert "1 site is counted by the register's own identification of it" in home
    assert rows[site.slug]["condition_inferred"] == "yes"
    assert rows[plain.slug]["condition_inferred"] == "no"
    assert {f["id"]: f["properties"]["condition_inferred"] for f in features} == {
        site.slug: True,
        plain.slug: False,
    }
    assert api["condition_inferred"] is True
    assert api["assessments"][0]["rests_on_inference"] is True
    assert "Tied to this site by the register's own identification" in dossier(client, site)


def test_unmarking_the_inference_clears_the_flag(client):
    _site, assessment = inferred_site()
    claim = assessment.identification
    claim.is_inference = False
    claim.save()

    assert "(by the register's inference)" not in page(client, reverse("site-list"))


def test_listing_queries_stay_pinned_with_inferred_rows(client, django_assert_num_queries):
    for _ in range(3):
        inferred_site()

    with django_assert_num_queries(LISTING_QUERIES):
        html = page(client, reverse("site-list"))

    assert html.count("(by the register's inference)") == 3


# --- Statements and dated events --------------------------------------------------------


def test_visit_shows_its_events_and_statements_with_sources(client, django_assert_num_queries):
    visit = VisitFactory(published=True)
    source = news(title="Partnership prospects")
    draft = SourceFactory(publisher="Hidden", title="Draft report")
    speaker = PersonFactory(name="Salim AlMalik", organisation=icesco())
    for day in (11, 13, 14):
        VisitEvent.objects.create(
            visit=visit,
            happened_on=datetime.date(2021, 1, day),
            title=f"Event {day}",
            source=source,
        )
    VisitEvent.objects.create(
        visit=visit, happened_on=datetime.date(2021, 1, 15), title="Unsourced", source=draft
    )
    Statement.objects.create(
        slug="crime",
        quote="a crime against humanity",
        speaker_person=speaker,
        speaker_organisation=speaker.organisation,
        said_on=datetime.date(2021, 1, 14),
        occasion="Press conference",
        visit=visit,
        source=source,
        publication_status="published",
    )
    Statement.objects.create(
        slug="draft", quote="not yet reviewed", speaker_person=speaker, visit=visit, source=source
    )

    # The visit, organisations, places, participants, citations, assessments, events,
    # statements, evidence and the language's place names, the visit's history (for the
    # version "Cite this record" names) and its commitments: the same whatever the rows.
    with django_assert_num_queries(13):
        html = page(client, visit.get_absolute_url())

    assert_shows(
        html,
        shown=["Event 11", "Event 13", "Event 14", "“a crime against humanity”", "Salim AlMalik"],
        hidden=["Unsourced", "not yet reviewed"],
    )


def test_organisation_page_shows_its_statements_and_sources(client):
    organisation = icesco()
    own = SourceFactory(published=True, title="Own report", publisher_organisation=organisation)
    Statement.objects.create(
        slug="said",
        quote="we will assist",
        speaker_organisation=organisation,
        source=news(),
        publication_status="published",
    )

    html = page(client, reverse("organisation-detail", args=[organisation.slug]))

    assert_shows(html, shown=["Intergovernmental organisation", "“we will assist”", own.title])
    assert client.get("/organisations/no-such-body/").status_code == 404


def test_escaping_of_statements(client):
    organisation = icesco()
    Statement.objects.create(
        slug="xss",
        quote="<script>alert(1)</script>",
        speaker_organisation=organisation,
        source=news(),
        publication_status="published",
    )
    html = page(client, reverse("organisation-detail", args=[organisation.slug]))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_export_body_is_unchanged_in_shape(client):
    sites_in_each_state()
    header = body(client.get(reverse("site-export-csv"))).splitlines()[0]
    assert header.endswith("url,condition_status,condition_inferred,unosat_class,chw_category")


@pytest.mark.parametrize("size", [1, 5])
def test_dossier_queries_stay_pinned_with_attribution_and_inferences(
    client, django_assert_num_queries, size
):
    site = SiteFactory(published=True)
    organisation = icesco()
    for index in range(size):
        source = news(name=f"Outlet {index}")
        claim = SiteClaimFactory(
            site=site, source=source, kind="identity", is_inference=True, published=True
        )
        assessment = AssessmentFactory(
            site=site,
            published=True,
            assessed_by=organisation,
            identification=claim,
            assessed_on=datetime.date(2021, 1, 1 + index),
        )
        AssessmentCitationFactory(assessment=assessment, source=source)

    # The same count for one row as for five: the publisher organisations and the
    # identifications come with the rows that point to them. (Fewer than test_dossier's
    # 23: this site has no visits, disturbances or names to prefetch.) With the cache empty,
    # the five vocabularies of the assessments' terms are read too.
    with django_assert_num_queries(19):
        html = text(dossier(client, site))

    assert html.count("Tied to this site by the register's own identification") == size
    assert html.count("Assessed by ICESCO, as the reports say") == size
