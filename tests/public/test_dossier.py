"""The site dossier, ``/sites/<slug>/``: what it shows, and that nothing unpublished leaks."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.formats import date_format

from heritage.models import Site, Source
from inspections.models import (
    CauseType,
    Certainty,
    DamageExtent,
    DamageTrend,
    EffectType,
    OverallCondition,
)
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
    SiteNameFactory,
    SourceFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


def dossier(client, site, **headers):
    response = client.get(reverse("site-detail", args=[site.slug]), **headers)
    assert response.status_code == 200
    return response.content.decode()


def section(html, heading_id):
    """The HTML of the section whose heading has ``heading_id``."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def row_with(html, text):
    """The one table row that contains ``text``."""
    rows = [row for row in html.split("<tr")[1:] if text in row]
    assert len(rows) == 1, f"{len(rows)} rows contain {text!r}"
    return rows[0].split("</tr>")[0]


def item_with(html, text):
    """The innermost list item that contains ``text``."""
    items = [item.split("</li>")[0] for item in html.split("<li")[1:]]
    matches = [item for item in items if text in item]
    assert matches, f"no list item contains {text!r}"
    return matches[-1]


def text_of(html):
    """The text of ``html`` without tags, its white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" ,", ",").replace(" :", ":")


def term(model, label):
    return model.objects.get(label=label)


def published_source(**fields):
    return SourceFactory(published=True, **fields)


# Publication ----------------------------------------------------------------------------


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
        site=site, source=published_source(), statement="Built in 1682.", published=True
    )
    SiteClaimFactory(site=site, source=published_source(), statement="Draft dating claim.")
    SiteClaimFactory(
        site=site,
        source=SourceFactory(publication_status="draft", title="Unreviewed chronicle"),
        statement="Claim resting on an unreviewed source.",
        published=True,
    )

    html = dossier(client, site)

    assert "Built in 1682." in html
    assert "Draft dating claim." not in html
    assert "Claim resting on an unreviewed source." not in html
    assert "Unreviewed chronicle" not in html


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
        disturbance=disturbance, source=published_source(), attributed_to="Unreviewed attribution"
    )

    html = dossier(client, site)

    assert "Seen by the delegation." in html
    assert "Unreviewed assessment." not in html
    assert "Unreviewed disturbance." not in html
    assert "Unreviewed attribution" not in html


def test_rejected_visit_never_appears_although_its_assessment_is_published(client):
    site = SiteFactory(published=True)
    rejected = VisitFactory(publication_status="rejected", title="Rejected mission")
    AssessmentFactory(site=site, visit=rejected, published=True, summary="Seen from the road.")
    published = VisitFactory(published=True, title="Delegation to Fuzuli")
    AssessmentFactory(site=site, visit=published, published=True)

    html = dossier(client, site)

    assert "Seen from the road." in html
    assert "Rejected mission" not in html
    assert rejected.get_absolute_url() not in html
    visits = section(html, "visits")
    assert f'<a href="{published.get_absolute_url()}">Delegation to Fuzuli</a>' in visits


def test_citations_to_draft_sources_never_appear(client):
    site = SiteFactory(published=True)
    draft_source = SourceFactory(publication_status="draft", title="Unreviewed report")
    SiteCitationFactory(site=site, source=published_source(title="Reviewed report"))
    SiteCitationFactory(site=site, source=draft_source, summary="Says too much.")
    assessment = AssessmentFactory(site=site, published=True)
    AssessmentCitationFactory(assessment=assessment, source=draft_source, summary="Unreviewed.")
    disturbance = DisturbanceFactory(assessment=assessment)
    ResponsibilityClaimFactory(
        disturbance=disturbance, source=draft_source, attributed_to="Unsourced culprit"
    )

    html = dossier(client, site)

    assert "Reviewed report" in section(html, "sources")
    assert "Unreviewed report" not in html
    assert draft_source.get_absolute_url() not in html
    assert "Says too much." not in html
    assert "Unsourced culprit" not in html


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
    assert "Location withheld; shown at Fuzuli." in location
    assert "39.6003, 47.1431" in location
    assert "39.612345" not in html
    assert "47.154321" not in html
    assert "39.6123" not in html


# What the dossier shows -----------------------------------------------------------------


def test_dossier_shows_public_coordinates_with_their_precision_and_a_map_of_the_site(client):
    site = SiteFactory(
        published=True,
        slug="gargabazar-caravanserai",
        latitude=Decimal("39.539143"),
        longitude=Decimal("47.156952"),
        location_precision=Site.Precision.EXACT,
    )

    location = section(dossier(client, site), "location")

    assert "39.539143, 47.156952" in location
    assert "Exact" in location
    assert f"{reverse('site-export-geojson')}?site=gargabazar-caravanserai" in location


def test_dossier_shows_every_name_with_language_script_and_kind(client):
    site = SiteFactory(published=True, name="Haji Alakbar Mosque")
    SiteNameFactory(site=site, name="Hacı Ələkbər məscidi", language="az", script="Latn")
    SiteNameFactory(
        site=site, name="Мечеть Гаджи Алекпера", language="ru", script="Cyrl", kind="translation"
    )

    names = section(dossier(client, site), "names")

    azerbaijani = row_with(names, "Hacı Ələkbər məscidi")
    assert 'lang="az"' in azerbaijani
    assert "Azerbaijani" in azerbaijani
    assert "Latin" in azerbaijani
    assert "Official" in azerbaijani
    russian = row_with(names, "Мечеть Гаджи Алекпера")
    assert "Russian" in russian
    assert "Cyrillic" in russian
    assert "Translation" in russian


def test_dossier_is_headed_with_the_name_in_the_visitors_language(client):
    site = SiteFactory(published=True, name="Gargabazar Mosque")
    SiteNameFactory(site=site, name="Qarğabazar məscidi", language="az")

    html = dossier(client, site, HTTP_ACCEPT_LANGUAGE="az")

    assert "<h1>Qarğabazar məscidi</h1>" in html


def test_dossier_shows_the_place_with_its_ancestors(client):
    country = PlaceFactory(name="Azerbaijan", kind="country")
    district = PlaceFactory(name="Fuzuli District", kind="district", parent=country)
    city = PlaceFactory(name="Fuzuli city", kind="city", parent=district)
    site = SiteFactory(published=True, place=city)

    assert "Fuzuli city, Fuzuli District, Azerbaijan" in dossier(client, site)


def test_dossier_shows_registry_number_importance_wikidata_and_description(client):
    site = SiteFactory(
        published=True,
        registry_number="5166",
        importance=Site.Importance.LOCAL,
        wikidata_id="Q4115178",
        description="A mosque built by Karbalayi Safikhan Karabakhi.",
    )

    html = dossier(client, site)

    assert "5166" in html
    assert "Local importance" in html
    assert 'href="https://www.wikidata.org/wiki/Q4115178" rel="noopener"' in html
    assert "A mosque built by Karbalayi Safikhan Karabakhi." in section(html, "description")


def test_competing_datings_are_shown_side_by_side_each_with_its_source(client):
    site = SiteFactory(
        published=True, year_from=1682, year_to=1684, dating_label="1682, or 1683–84"
    )
    SiteClaimFactory(
        site=site,
        published=True,
        year_from=1682,
        year_to=1682,
        dating_label="1682",
        statement="Built in 1682.",
        source=published_source(title="District page", publisher="Supreme Court"),
    )
    SiteClaimFactory(
        site=site,
        published=True,
        year_from=1683,
        year_to=1684,
        dating_label="AH 1095 (1683–84)",
        statement="Inscription dated AH 1095.",
        source=published_source(title="The mosque", publisher="religions.az"),
    )

    dating = section(dossier(client, site), "dating")

    assert "1682, or 1683–84" in dating
    assert "1682–1684" in dating
    first = row_with(dating, "Built in 1682.")
    assert "According to Supreme Court" in first
    assert "District page" in first
    assert "religions.az" not in first
    second = row_with(dating, "Inscription dated AH 1095.")
    assert "According to religions.az" in second
    assert "1683–1684" in second
    assert "Supreme Court" not in second


def test_identity_use_and_other_claims_are_shown_apart_from_datings(client):
    site = SiteFactory(published=True)
    SiteClaimFactory(
        site=site,
        published=True,
        kind="use",
        statement="Used as a cattle barn.",
        source=published_source(publisher="kulis.az"),
    )
    SiteClaimFactory(
        site=site,
        published=True,
        kind="identity",
        is_inference=True,
        statement="Probably the Juma Mosque.",
        source=published_source(publisher="AzerNews"),
    )

    html = dossier(client, site)

    assert "Used as a cattle barn." not in section(html, "dating")
    claims = section(html, "claims")
    use = item_with(claims, "Used as a cattle barn.")
    assert "According to kulis.az" in use
    assert "inference" not in use
    identity = item_with(claims, "Probably the Juma Mosque.")
    assert "The register's inference, not stated by any source." in identity
    assert "AzerNews" in identity
    assert "According to" not in identity


def test_assessments_are_a_timeline_of_sourced_claims_newest_first(client):
    site = SiteFactory(published=True)
    icesco = OrganisationFactory(name="Islamic World Organization", acronym="ICESCO")
    older = AssessmentFactory(
        site=site,
        published=True,
        assessed_on=datetime.date(2020, 11, 19),
        overall_condition=None,
        summary="Most tombstones removed.",
    )
    AssessmentCitationFactory(
        assessment=older,
        source=published_source(publisher="sonxeberler.com", title="The cemetery"),
        summary="Tombstones removed, fences taken.",
    )
    newer = AssessmentFactory(
        site=site,
        published=True,
        assessed_by=icesco,
        assessed_on=datetime.date(2021, 1, 12),
        overall_condition=term(OverallCondition, "Destroyed"),
        damage_extent=term(DamageExtent, "91-100%"),
        damage_trend=term(DamageTrend, "Increasing (Disturbance)"),
        verification="corroborated",
        summary="Seen by the delegation.",
    )
    AssessmentCitationFactory(
        assessment=newer,
        source=published_source(publisher="AzerNews", title="New partnership prospects"),
        summary="The destroyed Juma Mosque.",
    )

    timeline = section(dossier(client, site), "assessments")
    text = text_of(timeline)

    newest = f"According to ICESCO, {date_format(datetime.date(2021, 1, 12))}: Destroyed."
    oldest = (
        f"According to sonxeberler.com, {date_format(datetime.date(2020, 11, 19))}: "
        "condition not recorded."
    )
    assert text.index(newest) < text.index(oldest)
    assert '<time datetime="2021-01-12">' in timeline
    newer_text = text[text.index(newest) : text.index(oldest)]
    for shown in [
        "Seen by the delegation.",
        "91-100%",
        "Increasing (Disturbance)",
        "Corroborated by independent sources",
        "AzerNews, New partnership prospects",
        "The destroyed Juma Mosque.",
    ]:
        assert shown in newer_text
    older_text = text[text.index(oldest) :]
    assert "Reported by one source" in older_text
    assert "Tombstones removed, fences taken." in older_text


def test_disturbances_show_cause_certainty_effects_dates_and_attributions(client):
    site = SiteFactory(published=True)
    assessment = AssessmentFactory(site=site, published=True)
    disturbance = DisturbanceFactory(
        assessment=assessment,
        cause_type=term(CauseType, "Theft/Unauthorised Removal of Objects"),
        cause_certainty=term(Certainty, "High"),
        occurred_before=datetime.date(2020, 11, 19),
        description="Most tombstones removed; the iron fences taken.",
    )
    disturbance.effect_types.add(term(EffectType, "Cracked/Broken/Missing Parts"))
    source = published_source(publisher="AzerNews", title="New partnership prospects")
    ResponsibilityClaimFactory(disturbance=disturbance, source=source, attributed_to="Armenians")
    DisturbanceFactory(
        assessment=assessment,
        date_from=datetime.date(1993, 8, 23),
        date_to=datetime.date(2020, 11, 20),
    )

    timeline = section(dossier(client, site), "assessments")

    assert "Vandalism" in timeline
    assert "Theft/Unauthorised Removal of Objects" in timeline
    assert "High" in timeline
    assert "Cracked/Broken/Missing Parts" in timeline
    assert f"before {date_format(datetime.date(2020, 11, 19))}" in timeline
    assert "Most tombstones removed; the iron fences taken." in timeline
    start, end = date_format(datetime.date(1993, 8, 23)), date_format(datetime.date(2020, 11, 20))
    assert f"from {start} to {end}" in timeline
    attribution = item_with(timeline, "attributes this to")
    assert "AzerNews" in attribution
    assert f'href="{source.get_absolute_url()}"' in attribution
    assert "attributes this to “Armenians”." in attribution


def test_dossier_lists_every_public_citation_with_what_the_source_says(client):
    site = SiteFactory(published=True)
    source = published_source(
        title="The Garghabazar Haji Giyaseddin mosque",
        publisher="religions.az",
        url="https://religions.az/the-garghabazar-haji-giyaseddin-mosque/",
    )
    SiteCitationFactory(site=site, source=source, summary="Reads the inscription as AH 1095.")

    sources = section(dossier(client, site), "sources")

    assert f'<a href="{source.get_absolute_url()}">' in sources
    assert "Reads the inscription as AH 1095." in sources
    assert 'href="https://religions.az/the-garghabazar-haji-giyaseddin-mosque/" rel="noopener"' in (
        sources
    )


def test_dossier_escapes_text_typed_by_staff(client):
    site = SiteFactory(published=True, description="<script>alert(1)</script>")
    SiteClaimFactory(site=site, published=True, statement="<b>bold</b>", source=published_source())

    html = dossier(client, site)

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


# The demo data --------------------------------------------------------------------------


@pytest.fixture
def demo():
    call_command("load_demo")


@pytest.mark.usefixtures("demo")
def test_gargabazar_mosque_shows_both_construction_dates_each_with_its_own_source(client):
    dating = section(dossier(client, Site.objects.get(slug="gargabazar-mosque")), "dating")

    supreme_court = Source.objects.get(slug="supremecourt-gov-az-fuzuli-district")
    ministry = Source.objects.get(slug="kulis-az-ministry-of-culture-gargabazar")
    built_1682 = row_with(dating, "The mosque was built in 1682.")
    assert f'href="{supreme_court.get_absolute_url()}"' in built_1682
    assert ministry.get_absolute_url() not in built_1682
    built_1683 = row_with(dating, "According to the Ministry of Culture")
    assert "AH 1095 (1683–84)" in built_1683
    assert f'href="{ministry.get_absolute_url()}"' in built_1683
    assert supreme_court.get_absolute_url() not in built_1683


@pytest.mark.usefixtures("demo")
def test_haji_alakbar_dossier_marks_the_juma_mosque_identity_as_an_inference(client):
    html = dossier(client, Site.objects.get(slug="haji-alakbar-mosque"))

    identity = item_with(section(html, "claims"), "Juma Mosque")
    assert "The register's inference, not stated by any source." in identity
    assert "Azerbaijan and ICESCO. New partnership prospects." in identity
    timeline = section(html, "assessments")
    assert "According to ICESCO" in timeline
    assert "Destroyed" in timeline
    assert "attributes this to “Armenians”." in timeline
    assert "ICESCO delegation visit to Fuzuli" in section(html, "visits")


# Query counts ---------------------------------------------------------------------------


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
        source = published_source()
        SiteNameFactory(site=site)
        SiteClaimFactory(site=site, source=source, published=True)
        SiteClaimFactory(site=site, source=source, kind="identity", published=True)
        SiteClaimFactory(site=site, source=source)
        SiteCitationFactory(site=site, source=source)
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
    # the site and its assessments; and the condition terms of the map's legend
    with django_assert_num_queries(12):
        html = dossier(client, site)
    assert html.count("attributes this to") == size
