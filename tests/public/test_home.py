"""The home page: counts of published sites by category and condition, reported figures,
the latest visits, and its cache."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import (
    AssessmentFactory,
    ReportedFigureFactory,
    SiteFactory,
    SourceFactory,
    VisitFactory,
    condition,
    published_assessment,
)
from tests.languages import in_language
from tests.public.pages import assert_shows, section

pytestmark = pytest.mark.django_db

DESTROYED = "Destroyed"
POOR = "Poor"


def test_home_counts_only_published_sites(client):
    SiteFactory.create_batch(2, published=True, category="mosque")
    SiteFactory(publication_status="draft", category="mosque")
    SiteFactory(publication_status="rejected", category="cemetery")
    SiteFactory(publication_status="in_review", category="library")

    html = client.get(reverse("home")).content.decode()

    assert "holds 2 published sites" in html
    by_category = section(html, "by-category")
    assert_shows(
        by_category,
        shown=['<td>Mosque</td><td class="number">2</td>'],
        hidden=["Cemetery", "Library"],
    )


def test_home_counts_sites_by_their_latest_published_assessment(client):
    """The latest published assessment decides; drafts and older ones do not."""
    site = SiteFactory(published=True)
    published_assessment(site, datetime.date(2020, 1, 1), POOR)
    published_assessment(site, datetime.date(2021, 1, 12), DESTROYED)
    AssessmentFactory(
        site=site,
        assessed_on=datetime.date(2022, 1, 1),
        condition="Good",
        publication_status="draft",
    )
    SiteFactory(published=True)  # never assessed

    by_condition = section(client.get(reverse("home")).content.decode(), "by-condition")

    assert_shows(
        by_condition,
        shown=[
            '<td>Destroyed</td><td class="number">1</td>',
            '<td>Not assessed</td><td class="number">1</td>',
        ],
        hidden=["Poor", "Good"],
    )


def test_home_shows_figures_with_their_source_and_hides_unpublished_ones(client):
    source = SourceFactory(published=True, title="Report on libraries", publisher="AzerNews")
    ReportedFigureFactory(
        published=True,
        source=source,
        value=927,
        subject="libraries",
        metric="destroyed",
        figure_set="Seed figures",
    )
    ReportedFigureFactory(publication_status="draft", source=source, subject="secret draft")
    hidden_source = SourceFactory(publication_status="draft", title="Unreviewed source")
    ReportedFigureFactory(published=True, source=hidden_source, subject="unsourced claim")

    html = client.get(reverse("home")).content.decode()
    figures = section(html, "figures")

    assert_shows(
        figures,
        shown=["927", "libraries: destroyed", "According to AzerNews, Report on libraries"],
    )
    assert_shows(
        html,
        hidden=["secret draft", "unsourced claim", "Unreviewed source"],
    )


def test_home_escapes_text_typed_by_staff(client):
    source = SourceFactory(published=True, title="<script>alert(1)</script>")
    ReportedFigureFactory(published=True, source=source, subject="<b>libraries</b>")

    html = client.get(reverse("home")).content.decode()

    assert_shows(
        html,
        shown=["&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;libraries&lt;/b&gt;"],
        hidden=["<script>alert(1)</script>"],
    )


def test_home_lists_latest_published_visits_only(client):
    VisitFactory(
        published=True, title="Delegation to Fuzuli", start_date=datetime.date(2021, 1, 12)
    )
    VisitFactory(publication_status="draft", title="Unreviewed mission")

    html = client.get(reverse("home")).content.decode()

    assert "Delegation to Fuzuli" in html
    assert "Unreviewed mission" not in html


def build_register(size):
    source = SourceFactory(published=True)
    for index in range(size):
        site = SiteFactory(published=True)
        AssessmentFactory(site=site, published=True, condition=DESTROYED)
        ReportedFigureFactory(published=True, source=source, figure_set=f"set {index % 2}")
        VisitFactory(published=True)


@pytest.mark.parametrize("size", [1, 8])
def test_home_query_count_does_not_grow_with_the_register(client, django_assert_num_queries, size):
    build_register(size)
    # the maintained counts of the top places (by category, condition, assessed and
    # inferred: one query), condition terms, figures, visits, visits' organisations and
    # places, the map legend's condition terms, and the count of commitments
    with django_assert_num_queries(8):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_home_counts_read_the_maintained_counts_not_the_sites_or_their_statuses(
    client, django_assert_max_num_queries
):
    build_register(4)
    with django_assert_max_num_queries(8) as captured:
        client.get(reverse("home"))
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert '"inspections_sitecount"' in sql
    assert '"inspections_sitestatus"' not in sql
    assert 'FROM "heritage_site" ' not in sql


def test_home_aggregates_are_cached_between_requests(client, django_assert_num_queries):
    build_register(3)
    client.get(reverse("home"))
    # The counts and the map legend's terms come from the cache.
    with django_assert_num_queries(0):
        client.get(reverse("home"))


def test_home_map_legend_follows_an_edited_condition_term(client):
    arabic_home = in_language(reverse("home"), "ar")
    term = condition(DESTROYED)
    assert term.label_ar
    assert f"</span> {term.label_ar}</li>" in client.get(arabic_home).text

    term.label_ar = "مدمر كليا"
    term.save()
    assert "</span> مدمر كليا</li>" in client.get(arabic_home).text


def test_cached_home_follows_an_edit_a_publish_and_a_delete(client):
    site = SiteFactory(published=True, category="mosque")
    assert "holds 1 published site" in client.get(reverse("home")).content.decode()

    draft = SiteFactory(category="cemetery")
    assert "holds 1 published site" in client.get(reverse("home")).content.decode()

    draft.publication_status = "published"
    draft.save()
    html = client.get(reverse("home")).content.decode()
    assert "holds 2 published sites" in html
    assert "Cemetery" in section(html, "by-category")

    site.category = "library"
    site.save()
    assert "Library" in section(client.get(reverse("home")).content.decode(), "by-category")

    assessment = AssessmentFactory(site=site, published=True, condition=POOR)
    assert "Poor" in section(client.get(reverse("home")).content.decode(), "by-condition")

    assessment.delete()
    draft.delete()
    html = client.get(reverse("home")).content.decode()
    assert "holds 1 published site" in html
    assert "Poor" not in section(html, "by-condition")
