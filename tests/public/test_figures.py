"""``/figures/``, and the citation snippet every page may include."""

import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format, number_format

from heritage.models import Source
from tests.factories import OrganisationFactory, PlaceFactory, ReportedFigureFactory, SourceFactory
from tests.languages import in_language
from tests.public.pages import assert_shows, page, row_with, text_of, without_isolation

pytestmark = pytest.mark.django_db


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
        "According to AzerNews, Azerbaijan and ICESCO. New partnership prospects "
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

    assert_shows(
        html,
        shown=["&lt;script&gt;alert(1)&lt;/script&gt;"],
        hidden=["According to", "<script>"],
    )


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
    assert "Reported by Ministry of Education." in without_isolation(schools)
    assert "According to AzerNews" in without_isolation(schools)
    plain = without_isolation(html)
    assert plain.index("Cultural institutions</h2>") < plain.index("music and art schools")
    music = row_with(html, "music and art schools")
    assert_shows(
        music,
        shown=["85", "Azerbaijan", "1993–2020"],
        hidden=["Reported by"],
    )


def test_figures_page_shows_only_published_figures_with_published_sources(client):
    ReportedFigureFactory(published=True, source=SourceFactory(published=True), subject="shown")
    ReportedFigureFactory(source=SourceFactory(published=True), subject="draft figure")
    ReportedFigureFactory(
        published=True,
        source=SourceFactory(publication_status="draft", title="Unreviewed source"),
        subject="figure from an unreviewed source",
    )

    html = page(client, reverse("figure-list"))

    assert_shows(
        html,
        shown=["shown"],
        hidden=["draft figure", "figure from an unreviewed source", "Unreviewed source"],
    )


def test_figure_values_are_formatted_for_the_language(client):
    ReportedFigureFactory(
        published=True, source=SourceFactory(published=True), value=Decimal("4600000")
    )

    english = page(client, reverse("figure-list"))
    azerbaijani = client.get(in_language(reverse("figure-list"), "az")).content.decode()

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


@pytest.mark.usefixtures("demo")
def test_figures_page_shows_the_libraries_and_books_with_their_source(client):
    html = page(client, reverse("figure-list"))

    azernews = Source.objects.get(slug="azernews-2021-01-15-icesco-partnership")
    libraries = row_with(html, "libraries: destroyed")
    assert_shows(
        libraries,
        shown=[">927<", f'href="{azernews.get_absolute_url()}"', "According to AzerNews"],
    )
    books = row_with(html, "books: held in the destroyed libraries")
    assert_shows(
        books,
        shown=[">4,600,000<", "4.6 million", f'href="{azernews.get_absolute_url()}"'],
    )
