"""The site dossier, ``/sites/<slug>/``: nothing unpublished leaks, the site's names, place
and position are shown, and its queries are pinned.

What the dossier says of the site's history (datings, claims, assessments) is tested in
test_dossier_claims.py."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heritage.models import Site
from inspections.models import DamageExtent, EffectType, Priority
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    DisturbanceFactory,
    OrganisationFactory,
    PlaceFactory,
    ResponsibilityClaimFactory,
    SiteCitationFactory,
    SiteClaimFactory,
    SiteFactory,
    SiteIdentifierFactory,
    SiteNameFactory,
    SourceFactory,
    VisitFactory,
    term,
)
from tests.languages import in_language
from tests.public.pages import assert_shows, dossier, page, row_with, section

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["draft", "in_review", "rejected"])
def test_unpublished_site_has_no_dossier(client, status):
    site = SiteFactory(publication_status=status)

    response = client.get(reverse("site-detail", args=[site.slug]))

    assert response.status_code == 404


def test_unknown_site_is_not_found(client):
    assert client.get("/sites/no-such-site/").status_code == 404


def test_draft_claim_and_claim_from_draft_source_never_appear(client):
    site = SiteFactory(published=True)
    SiteClaimFactory(
        site=site, source=SourceFactory(published=True), statement="Built in 1682.", published=True
    )
    SiteClaimFactory(
        site=site, source=SourceFactory(published=True), statement="Draft dating claim."
    )
    SiteClaimFactory(
        site=site,
        source=SourceFactory(publication_status="draft", title="Unreviewed chronicle"),
        statement="Claim resting on an unreviewed source.",
        published=True,
    )

    html = dossier(client, site)

    assert_shows(
        html,
        shown=["Built in 1682."],
        hidden=[
            "Draft dating claim.",
            "Claim resting on an unreviewed source.",
            "Unreviewed chronicle",
        ],
    )


def test_draft_assessment_and_its_disturbances_never_appear(client):
    site = SiteFactory(published=True)
    AssessmentFactory(site=site, published=True, summary="Seen by the delegation.")
    draft = AssessmentFactory(
        site=site,
        publication_status="draft",
        summary="Unreviewed assessment.",
        assessed_on=datetime.date(2024, 6, 1),
    )
    disturbance = DisturbanceFactory(assessment=draft, description="Unreviewed disturbance.")
    ResponsibilityClaimFactory(
        disturbance=disturbance,
        source=SourceFactory(published=True),
        attributed_to="Unreviewed attribution",
    )

    html = dossier(client, site)

    assert_shows(
        html,
        shown=["Seen by the delegation."],
        hidden=["Unreviewed assessment.", "Unreviewed disturbance.", "Unreviewed attribution"],
    )


def test_rejected_visit_never_appears_nor_its_assessments_although_published(client):
    site = SiteFactory(published=True)
    rejected = VisitFactory(publication_status="rejected", title="Rejected mission")
    AssessmentFactory(site=site, visit=rejected, published=True, summary="Seen from the road.")
    published = VisitFactory(published=True, title="Delegation to Fuzuli")
    AssessmentFactory(site=site, visit=published, published=True, summary="Seen up close.")

    html = dossier(client, site)

    assert_shows(
        html,
        shown=["Seen up close."],
        hidden=["Rejected mission", rejected.get_absolute_url(), "Seen from the road."],
    )
    visits = section(html, "visits")
    assert (
        f'<a href="{published.get_absolute_url()}"><bdi lang="en">Delegation to Fuzuli</bdi></a>'
        in visits
    )


def test_citations_to_draft_sources_never_appear(client):
    site = SiteFactory(published=True)
    draft_source = SourceFactory(publication_status="draft", title="Unreviewed report")
    SiteCitationFactory(site=site, source=SourceFactory(published=True, title="Reviewed report"))
    SiteCitationFactory(site=site, source=draft_source, summary="Says too much.")
    assessment = AssessmentFactory(site=site, published=True)
    AssessmentCitationFactory(assessment=assessment, source=draft_source, summary="Unreviewed.")
    disturbance = DisturbanceFactory(assessment=assessment)
    ResponsibilityClaimFactory(
        disturbance=disturbance, source=draft_source, attributed_to="Unsourced culprit"
    )

    html = dossier(client, site)

    assert "Reviewed report" in section(html, "sources")
    assert_shows(
        html,
        hidden=[
            "Unreviewed report",
            draft_source.get_absolute_url(),
            "Says too much.",
            "Unsourced culprit",
        ],
    )


def test_withheld_location_shows_only_the_place(client):
    place = PlaceFactory(name="Fuzuli", latitude=Decimal("39.6003"), longitude=Decimal("47.1431"))
    site = SiteFactory(
        published=True,
        place=place,
        latitude=Decimal("39.612345"),
        longitude=Decimal("47.154321"),
        location_precision=Site.Precision.WITHHELD,
    )

    html = dossier(client, site)

    location = section(html, "location")
    assert "Location withheld; shown at <bdi>Fuzuli</bdi>." in location
    assert "39.6003, 47.1431" in location
    assert_shows(
        html,
        hidden=["39.612345", "47.154321", "39.6123"],
    )


def test_dossier_shows_public_coordinates_with_their_precision_and_a_map_of_the_site(client):
    site = SiteFactory(
        published=True,
        slug="gargabazar-caravanserai",
        latitude=Decimal("39.539143"),
        longitude=Decimal("47.156952"),
        location_precision=Site.Precision.EXACT,
    )

    location = section(dossier(client, site), "location")

    assert_shows(
        location,
        shown=[
            "39.539143, 47.156952",
            "Exact",
            f"{reverse('site-export-geojson')}?site=gargabazar-caravanserai",
        ],
    )


def test_dossier_shows_every_name_with_language_script_and_kind(client):
    site = SiteFactory(published=True, name="Haji Alakbar Mosque")
    SiteNameFactory(site=site, name="Hacı Ələkbər məscidi", language="az", script="Latn")
    SiteNameFactory(
        site=site, name="Мечеть Гаджи Алекпера", language="ru", script="Cyrl", kind="translation"
    )

    names = section(dossier(client, site), "names")

    azerbaijani = row_with(names, "Hacı Ələkbər məscidi")
    assert_shows(
        azerbaijani,
        shown=['lang="az"', "Azerbaijani", "Latin", "Official"],
    )
    russian = row_with(names, "Мечеть Гаджи Алекпера")
    assert_shows(
        russian,
        shown=["Russian", "Cyrillic", "Translation"],
    )


def test_dossier_is_headed_with_the_name_in_the_visitors_language(client):
    site = SiteFactory(published=True, name="Gargabazar Mosque")
    SiteNameFactory(site=site, name="Qarğabazar məscidi", language="az")

    html = page(client, in_language(site.get_absolute_url(), "az"))

    assert "<h1><bdi>Qarğabazar məscidi</bdi></h1>" in html


def test_dossier_shows_the_place_with_its_ancestors(client):
    country = PlaceFactory(name="Azerbaijan", kind="country")
    district = PlaceFactory(name="Fuzuli District", kind="district", parent=country)
    city = PlaceFactory(name="Fuzuli city", kind="city", parent=district)
    site = SiteFactory(published=True, place=city)

    # Each name links to the place's area page.
    assert (
        f'<a href="/areas/{city.slug}/"><bdi>Fuzuli city</bdi></a>, '
        f'<a href="/areas/{district.slug}/"><bdi>Fuzuli District</bdi></a>, '
        f'<a href="/areas/{country.slug}/"><bdi>Azerbaijan</bdi></a>'
    ) in dossier(client, site)


def test_dossier_shows_registry_number_importance_wikidata_and_description(client):
    site = SiteFactory(
        published=True,
        registry_number="5166",
        importance=Site.Importance.LOCAL,
        wikidata_id="Q4115178",
        description="A mosque built by Karbalayi Safikhan Karabakhi.",
    )

    html = dossier(client, site)

    assert_shows(
        html,
        shown=[
            "5166",
            "Local importance",
            'href="https://www.wikidata.org/wiki/Q4115178" rel="noopener"',
        ],
    )
    assert "A mosque built by Karbalayi Safikhan Karabakhi." in section(html, "description")


def test_dossier_escapes_text_typed_by_staff(client):
    site = SiteFactory(published=True, description="<script>alert(1)</script>")
    SiteClaimFactory(
        site=site, published=True, statement="<b>bold</b>", source=SourceFactory(published=True)
    )

    html = dossier(client, site)

    assert_shows(
        html,
        shown=["&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;bold&lt;/b&gt;"],
        hidden=["<script>alert(1)</script>", "<b>bold</b>"],
    )


def build_dossier(size):
    """A published site with ``size`` of everything the dossier shows, and as many
    unpublished rows that it must leave out."""
    site = SiteFactory(
        published=True,
        place=PlaceFactory(parent=PlaceFactory(kind="country")),
        latitude=Decimal("39.5956"),
        longitude=Decimal("47.1453"),
    )
    organisation = OrganisationFactory()
    for index in range(size):
        source = SourceFactory(published=True)
        SiteNameFactory(site=site)
        SiteClaimFactory(site=site, source=source, published=True)
        SiteClaimFactory(site=site, source=source, kind="identity", published=True)
        SiteClaimFactory(site=site, source=source)
        SiteCitationFactory(site=site, source=source)
        SiteIdentifierFactory(site=site, source=source)
        visit = VisitFactory(published=True)
        assessment = AssessmentFactory(
            site=site,
            visit=visit,
            assessed_by=organisation,
            published=True,
            assessed_on=datetime.date(2021, 1, 1 + index),
        )
        AssessmentCitationFactory(assessment=assessment, source=source)
        disturbance = DisturbanceFactory(assessment=assessment)
        disturbance.effect_types.add(term(EffectType, "Cracked/Broken/Missing Parts"))
        ResponsibilityClaimFactory(disturbance=disturbance, source=source)
        AssessmentFactory(site=site, visit=VisitFactory(publication_status="rejected"))
    return site


@pytest.mark.parametrize("size", [1, 5])
def test_dossier_query_count_does_not_grow_with_the_site(client, django_assert_num_queries, size):
    site = build_dossier(size)
    # site with its place and ancestors, names, claims, citations, assessments, their
    # citations, disturbances, effects, attributions of responsibility, visits, evidence of
    # the site and its assessments; the translations of the description and of the claims;
    # and the condition terms of the map's legend; the site's history and its names' history,
    # for the number of the version "Cite this record" names; the site's restoration projects;
    # its identifiers elsewhere, with their sources; and, the cache being empty, the five
    # vocabularies of the assessments' terms (``assessment_terms``)
    with django_assert_num_queries(23):
        html = dossier(client, site)
    assert html.count("attributes this to") == size
    assert section(html, "identifiers").count("EAMENA-") == size
    # A second request reads them, and the terms of the map's legend, from the cache.
    with django_assert_num_queries(17):
        assert dossier(client, site) == html


def test_an_assessments_terms_come_from_the_cache_and_a_changed_term_shows_at_once(
    client, django_assert_max_num_queries
):
    site = SiteFactory(published=True)
    AssessmentFactory(
        site=site,
        published=True,
        damage_extent=term(DamageExtent, "31-60%"),
        priority=term(Priority, "Immediate Action (Emergency)"),
    )
    AssessmentFactory(site=site, published=True, damage_extent=term(DamageExtent, "1-10%"))
    assert_shows(dossier(client, site), shown=["31-60%", "1-10%", "Immediate Action (Emergency)"])

    # An editor renames a term: the next page shows the new name, whatever was kept.
    extent = term(DamageExtent, "31-60%")
    extent.label = "Between a third and three fifths"
    extent.save()
    with django_assert_max_num_queries(23):
        html = dossier(client, site)
    assert_shows(html, shown=["Between a third and three fifths", "1-10%"], hidden=["31-60%"])


def test_a_dossier_without_assessments_reads_no_vocabulary(client):
    site = SiteFactory(published=True)

    with CaptureQueriesContext(connection) as captured:
        assert_shows(dossier(client, site), shown=[site.name])

    read = " ".join(query["sql"] for query in captured.captured_queries)
    for table in ("inspections_damageextent", "inspections_damagetrend", "inspections_priority"):
        assert table not in read
