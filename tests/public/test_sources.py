"""``/sources/<id>/``: a published source, with the published records it supports."""

import datetime

import pytest
from django.urls import reverse

from heritage.models import Source
from public.views import sources as source_pages
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    DisturbanceFactory,
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
from tests.public.pages import assert_shows, page, section, text_of, without_isolation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["draft", "in_review", "rejected"])
def test_unpublished_source_has_no_page(client, status):
    source = SourceFactory(publication_status=status)

    assert client.get(source.get_absolute_url()).status_code == 404


def test_unknown_source_is_not_found(client):
    assert client.get(reverse("source-detail", args=[999999])).status_code == 404
    assert client.get("/sources/not-a-number/").status_code == 404


def test_source_page_shows_its_bibliographic_details(client):
    source = SourceFactory(
        published=True,
        title="Between the Wars",
        author="Caucasus Heritage Watch team",
        publisher="Caucasus Heritage Watch",
        url="https://caucasusheritage.cornell.edu/",
        published_on=datetime.date(2023, 1, 1),
        published_precision="year",
        kind=Source.Kind.SATELLITE_STUDY,
        language="en",
    )

    html = page(client, source.get_absolute_url())

    assert '<h1><bdi lang="en">Between the Wars</bdi></h1>' in html
    details = section(html, "details")
    assert_shows(
        details,
        shown=[
            "Satellite study",
            "Caucasus Heritage Watch team",
            '<time datetime="2023">2023</time>',
            "English",
            'href="https://caucasusheritage.cornell.edu/" rel="noopener"',
        ],
    )


def test_source_page_lists_what_it_supports(client):
    source = SourceFactory(published=True)
    site = SiteFactory(published=True, name="Gargabazar Mosque")
    SiteCitationFactory(site=site, source=source, summary="Describes the mosque.")
    SiteClaimFactory(site=site, source=source, published=True, statement="Built in 1682.")
    assessment = AssessmentFactory(site=site, published=True)
    AssessmentCitationFactory(assessment=assessment, source=source, summary="Saw its remains.")
    disturbance = DisturbanceFactory(assessment=assessment)
    ResponsibilityClaimFactory(disturbance=disturbance, source=source, attributed_to="Occupiers")
    visit = VisitFactory(published=True, title="Delegation to Fuzuli")
    VisitCitationFactory(visit=visit, source=source, summary="Reports the visit.")
    ReportedFigureFactory(published=True, source=source, subject="libraries", value=927)

    html = page(client, source.get_absolute_url())

    assert "Describes the mosque." in section(html, "sites")
    assert site.get_absolute_url() in section(html, "sites")
    assert "Built in 1682." in section(html, "claims")
    assessments = section(html, "assessments")
    assert "Saw its remains." in assessments
    assert site.get_absolute_url() in assessments
    visits = section(html, "visits")
    assert f'<a href="{visit.get_absolute_url()}">Delegation to Fuzuli</a>' in without_isolation(
        visits
    )
    assert "Reports the visit." in visits
    assert "927" in section(html, "figures")
    responsibility = text_of(without_isolation(section(html, "responsibility")))
    assert "this source attributes the disturbance “Vandalism” to “Occupiers”." in responsibility


def test_source_page_leaves_out_unpublished_records_and_sites(client):
    source = SourceFactory(published=True)
    draft_site = SiteFactory(publication_status="draft", name="Secret site")
    site = SiteFactory(published=True)
    SiteCitationFactory(site=draft_site, source=source, summary="Citation of a draft site.")
    SiteClaimFactory(site=site, source=source, statement="Draft claim.")
    SiteClaimFactory(site=draft_site, source=source, published=True, statement="Hidden site claim.")
    draft_assessment = AssessmentFactory(site=site, publication_status="draft")
    AssessmentCitationFactory(
        assessment=draft_assessment, source=source, summary="Draft assessment."
    )
    AssessmentCitationFactory(
        assessment=AssessmentFactory(site=draft_site, published=True),
        source=source,
        summary="Assessment of a draft site.",
    )
    ResponsibilityClaimFactory(
        disturbance=DisturbanceFactory(assessment=draft_assessment),
        source=source,
        attributed_to="Unreviewed attribution",
    )
    VisitCitationFactory(
        visit=VisitFactory(publication_status="rejected", title="Rejected mission"),
        source=source,
        summary="Rejected visit.",
    )
    ReportedFigureFactory(source=source, subject="draft figure")

    html = page(client, source.get_absolute_url())

    assert_shows(
        html,
        shown=["No published record of the register cites this source yet."],
        hidden=[
            "Secret site",
            draft_site.get_absolute_url(),
            "Citation of a draft site.",
            "Draft claim.",
            "Hidden site claim.",
            "Draft assessment.",
            "Assessment of a draft site.",
            "Unreviewed attribution",
            "Rejected mission",
            "Rejected visit.",
            "draft figure",
        ],
    )


def test_source_page_escapes_text_typed_by_staff(client):
    source = SourceFactory(published=True, title="<script>alert(1)</script>", notes="<b>n</b>")

    html = page(client, source.get_absolute_url())

    assert_shows(
        html,
        shown=["&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;n&lt;/b&gt;"],
        hidden=["<script>alert(1)</script>"],
    )


def build_source(size):
    source = SourceFactory(published=True)
    for index in range(size):
        site = SiteFactory(published=True, name=f"Monument {index}")
        SiteNameFactory(site=site, name=f"Abidə {index}")
        SiteCitationFactory(site=site, source=source)
        SiteClaimFactory(site=site, source=source, published=True)
        assessment = AssessmentFactory(site=site, published=True)
        AssessmentCitationFactory(assessment=assessment, source=source)
        ResponsibilityClaimFactory(
            disturbance=DisturbanceFactory(assessment=assessment), source=source
        )
        VisitCitationFactory(visit=VisitFactory(published=True), source=source)
        ReportedFigureFactory(published=True, source=source)
    return source


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize(
    ("prefix", "name", "queries"), [("", "Monument", 10), ("/az", "Abidə", 14)]
)
def test_source_page_query_count_does_not_grow(
    client, django_assert_num_queries, size, prefix, name, queries
):
    source = build_source(size)
    # the source; site citations, site claims, assessment citations and attributions of
    # responsibility; visit citations; figures; its archived copies and other evidence; the
    # translations of the claims' statements; the source's history, for the version "Cite
    # this record" names. In Azerbaijani, the name variants of the sites of the four kinds
    # of records that name a site too, each site named by its variant.
    with django_assert_num_queries(queries):
        html = page(client, prefix + source.get_absolute_url())
    # Each site is named by its citation, its claim, its assessment and the attribution.
    assert [html.count(f"{name} {index}<") for index in range(size)] == [4] * size


@pytest.mark.usefixtures("demo")
def test_demo_source_page_lists_the_sites_visits_and_figures_it_supports(client):
    azernews = Source.objects.get(slug="azernews-2021-01-15-icesco-partnership")

    html = page(client, azernews.get_absolute_url())

    assert "Haji Alakbar Mosque" in section(html, "sites")
    assert "ICESCO delegation visit to Fuzuli" in section(html, "visits")
    assert "Announced ICESCO technical mission" in section(html, "visits")
    assert "927" in section(html, "figures")
    assert "Armenians" in section(html, "responsibility")
    assert "The register's inference" in section(html, "claims")


def test_a_source_page_lists_the_first_records_of_each_kind_and_says_how_many(client, monkeypatch):
    monkeypatch.setattr(source_pages, "SUPPORT_LENGTH", 2)
    source = SourceFactory(published=True)
    for index in range(3):
        site = SiteFactory(published=True, name=f"Cited site {index}")
        SiteCitationFactory(source=source, site=site)
        AssessmentCitationFactory(
            source=source, assessment=AssessmentFactory(site=site, published=True)
        )
    VisitCitationFactory(source=source, visit=VisitFactory(published=True))

    html = page(client, source.get_absolute_url())

    # Sites and assessments: two of three each; the one visit, with nothing more to say.
    assert html.count("2 of 3 shown.") == 2
    assert html.count("shown.") == 2
    assert (
        len({name for name in ("Cited site 0", "Cited site 1", "Cited site 2") if name in html})
        >= 2
    )
