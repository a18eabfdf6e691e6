"""``/figures/``, ``/sources/<id>/`` and the citation snippet every page may include."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format, number_format

from heritage.models import Source
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    DisturbanceFactory,
    OrganisationFactory,
    PlaceFactory,
    ReportedFigureFactory,
    ResponsibilityClaimFactory,
    SiteCitationFactory,
    SiteClaimFactory,
    SiteFactory,
    SourceFactory,
    VisitCitationFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def text_of(html):
    """The text of ``html`` without tags, its white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" ,", ",").replace(" .", ".")


def section(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def row_with(html, text):
    rows = [row.split("</tr>")[0] for row in html.split("<tr")[1:] if text in row]
    assert len(rows) == 1, f"{len(rows)} rows contain {text!r}"
    return rows[0]


# The citation snippet -------------------------------------------------------------------


def test_citation_names_the_source_links_to_it_and_to_the_original():
    source = SourceFactory(
        published=True,
        title="Azerbaijan and ICESCO. New partnership prospects.",
        publisher="AzerNews",
        url="https://azernews.az/nation/175040.html",
        published_on=datetime.date(2021, 1, 15),
    )

    html = render_to_string(
        "includes/citation.html", {"source": source, "locator": "second section"}
    )

    assert text_of(html).startswith(
        "According to AzerNews, Azerbaijan and ICESCO. New partnership prospects. "
        f"( {date_format(datetime.date(2021, 1, 15))} ), second section"
    )
    assert f'<a href="/sources/{source.pk}/">' in html
    assert '<time datetime="2021-01-15">' in html
    assert '<a class="external" href="https://azernews.az/nation/175040.html" rel="noopener"' in (
        html
    )


def test_citation_of_a_year_precise_source_shows_only_the_year():
    source = SourceFactory(
        published=True,
        title="Between the Wars",
        publisher="Caucasus Heritage Watch",
        published_on=datetime.date(2023, 1, 1),
        published_precision="year",
    )

    html = render_to_string("includes/citation.html", {"source": source})

    assert '<time datetime="2023">2023</time>' in html
    assert date_format(datetime.date(2023, 1, 1)) not in html


def test_citation_of_a_month_precise_source_shows_month_and_year():
    source = SourceFactory(
        published=True, published_on=datetime.date(2021, 2, 1), published_precision="month"
    )

    html = render_to_string("includes/citation.html", {"source": source})

    assert '<time datetime="2021-02">February 2021</time>' in html


def test_citation_falls_back_to_the_author_and_omits_what_is_unknown():
    source = SourceFactory(
        published=True, title="Field notes", publisher="", author="A. Researcher", url=""
    )
    source.published_on = None

    html = render_to_string("includes/citation.html", {"source": source})

    assert text_of(html) == "According to A. Researcher, Field notes"
    assert "rel=" not in html
    assert "<time" not in html


def test_plain_citation_leaves_out_according_to_and_escapes_the_title():
    source = SourceFactory(published=True, title="<script>alert(1)</script>", publisher="X")

    html = render_to_string("includes/citation.html", {"source": source, "plain": True})

    assert "According to" not in html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# /figures/ ------------------------------------------------------------------------------


def test_figures_are_grouped_by_set_with_their_source_and_reporter(client):
    source = SourceFactory(published=True, title="Report on schools", publisher="AzerNews")
    ministry = OrganisationFactory(name="Ministry of Education", acronym="")
    ReportedFigureFactory(
        published=True,
        source=source,
        figure_set="Ministry of Education figures",
        subject="educational institutions",
        value=54,
        reported_by=ministry,
    )
    ReportedFigureFactory(
        published=True,
        source=source,
        figure_set="Cultural institutions",
        subject="music and art schools",
        value=85,
        area=PlaceFactory(name="Azerbaijan"),
        period_label="1993–2020",
    )

    html = page(client, reverse("figure-list"))

    assert html.count("<h1>") == 1
    assert "The register has not verified them" in html
    schools = row_with(html, "educational institutions")
    assert "Reported by Ministry of Education." in schools
    assert "According to AzerNews" in schools
    assert html.index("Cultural institutions</h2>") < html.index("music and art schools")
    music = row_with(html, "music and art schools")
    assert "85" in music
    assert "Azerbaijan" in music
    assert "1993–2020" in music
    assert "Reported by" not in music


def test_figures_page_shows_only_published_figures_with_published_sources(client):
    ReportedFigureFactory(published=True, source=SourceFactory(published=True), subject="shown")
    ReportedFigureFactory(source=SourceFactory(published=True), subject="draft figure")
    ReportedFigureFactory(
        published=True,
        source=SourceFactory(publication_status="draft", title="Unreviewed source"),
        subject="figure from an unreviewed source",
    )

    html = page(client, reverse("figure-list"))

    assert "shown" in html
    assert "draft figure" not in html
    assert "figure from an unreviewed source" not in html
    assert "Unreviewed source" not in html


def test_figure_values_are_formatted_for_the_language(client):
    ReportedFigureFactory(
        published=True, source=SourceFactory(published=True), value=Decimal("4600000")
    )

    english = page(client, reverse("figure-list"))
    azerbaijani = client.get(reverse("figure-list"), HTTP_ACCEPT_LANGUAGE="az").content.decode()

    assert "4,600,000" in english
    assert "4.6 million" in english
    with translation.override("az"):
        grouped = number_format(4600000, force_grouping=True)
    assert grouped != "4,600,000"
    assert f">{grouped}<" in azerbaijani


@pytest.mark.parametrize("size", [1, 5])
def test_figures_query_count_does_not_grow(client, django_assert_num_queries, size):
    for index in range(size):
        ReportedFigureFactory(
            published=True,
            source=SourceFactory(published=True),
            reported_by=OrganisationFactory(),
            area=PlaceFactory(),
            figure_set=f"set {index % 2}",
        )
    with django_assert_num_queries(1):
        html = page(client, reverse("figure-list"))
    assert html.count("According to") == size


# /sources/<id>/ -------------------------------------------------------------------------


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

    assert "<h1>Between the Wars</h1>" in html
    details = section(html, "details")
    assert "Satellite study" in details
    assert "Caucasus Heritage Watch team" in details
    assert '<time datetime="2023">2023</time>' in details
    assert "English" in details
    assert 'href="https://caucasusheritage.cornell.edu/" rel="noopener"' in details


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
    assert f'<a href="{visit.get_absolute_url()}">Delegation to Fuzuli</a>' in visits
    assert "Reports the visit." in visits
    assert "927" in section(html, "figures")
    responsibility = text_of(section(html, "responsibility"))
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

    for hidden in [
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
    ]:
        assert hidden not in html
    assert "No published record of the register cites this source yet." in html


def test_source_page_escapes_text_typed_by_staff(client):
    source = SourceFactory(published=True, title="<script>alert(1)</script>", notes="<b>n</b>")

    html = page(client, source.get_absolute_url())

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;n&lt;/b&gt;" in html


def build_source(size):
    source = SourceFactory(published=True)
    for _index in range(size):
        site = SiteFactory(published=True)
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
def test_source_page_query_count_does_not_grow(client, django_assert_num_queries, size):
    source = build_source(size)
    # the source; site citations, site claims, assessment citations and attributions of
    # responsibility, each with its sites' names; visit citations; figures; its archived
    # copies and other evidence
    with django_assert_num_queries(12):
        html = page(client, source.get_absolute_url())
    assert html.count("attributes the disturbance") == size


# The demo data --------------------------------------------------------------------------


@pytest.fixture
def demo():
    call_command("load_demo")


@pytest.mark.usefixtures("demo")
def test_figures_page_shows_the_libraries_and_books_with_their_source(client):
    html = page(client, reverse("figure-list"))

    azernews = Source.objects.get(slug="azernews-2021-01-15-icesco-partnership")
    libraries = row_with(html, "libraries: destroyed")
    assert ">927<" in libraries
    assert f'href="{azernews.get_absolute_url()}"' in libraries
    assert "According to AzerNews" in libraries
    books = row_with(html, "books: held in the destroyed libraries")
    assert ">4,600,000<" in books
    assert "4.6 million" in books
    assert f'href="{azernews.get_absolute_url()}"' in books


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
