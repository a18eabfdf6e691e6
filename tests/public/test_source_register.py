"""``/sources/``: the register of sources, its filters, its refusals and its queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heritage.models import Organisation
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    OrganisationFactory,
    ReportedFigureFactory,
    SiteCitationFactory,
    SiteClaimFactory,
    SiteFactory,
    SiteNameFactory,
    SourceFactory,
    StatementFactory,
    VisitCitationFactory,
    VisitEventFactory,
    VisitFactory,
)
from tests.public.pages import assert_shows

pytestmark = pytest.mark.django_db

URL = reverse("source-list")


def titles(response):
    html = response.content.decode()
    return {title for title in ("State report", "Study", "Forgotten", "Draft") if title in html}


@pytest.fixture
def register():
    state = OrganisationFactory(slug="azertac", name="AZERTAC", kind=Organisation.Kind.STATE_MEDIA)
    lab = OrganisationFactory(slug="chw", name="Watch", kind=Organisation.Kind.ACADEMIC)
    cited = SourceFactory(
        published=True,
        title="State report",
        publisher_organisation=state,
        language="az",
        published_on=datetime.date(2021, 1, 15),
    )
    SourceFactory(
        published=True,
        title="Study",
        kind="satellite_study",
        publisher_organisation=lab,
        published_on=datetime.date(2023, 1, 1),
    )
    SourceFactory(published=True, title="Forgotten", published_on=datetime.date(2020, 5, 1))
    SourceFactory(title="Draft")
    assessment = AssessmentFactory(site=SiteFactory(published=True), published=True)
    AssessmentCitationFactory(assessment=assessment, source=cited)


def test_lists_published_sources_with_publisher_and_kind(client, register):
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == {"State report", "Study", "Forgotten"}
    assert_shows(
        response.content.decode(), shown=["State-owned media", "Academic or research body"]
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "satellite_study"}, {"Study"}),
        ({"publisher": "azertac"}, {"State report"}),
        ({"publisher_kind": "state_media"}, {"State report"}),
        ({"language": "AZ"}, {"State report"}),
        ({"year": "2023"}, {"Study"}),
        ({"cited": "yes"}, {"State report"}),
        ({"cited": "no"}, {"Study", "Forgotten"}),
        ({"q": "forgot"}, {"Forgotten"}),
        ({"q": "watch"}, {"Study"}),
    ],
)
def test_filters(client, register, params, expected):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert titles(response) == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "rumour"}, "is not a kind of source"),
        ({"publisher": "nobody"}, "There is no organisation"),
        ({"publisher": "bad slug!"}, "There is no organisation"),
        ({"publisher_kind": "cabal"}, "is not a kind of organisation"),
        ({"year": "twenty"}, "Enter a year as a number"),
        ({"cited": "maybe"}, "is not “yes” or “no”"),
        ({"q": "x" * 201}, "at most 200 characters"),
        ({"page": "99"}, "There is no page 99"),
    ],
)
def test_bad_parameters_are_refused_with_400(client, register, params, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("size", [2, 20])
def test_query_count_does_not_grow_with_the_sources(client, django_assert_num_queries, size):
    for _ in range(size):
        source = SourceFactory(
            published=True, publisher_organisation=OrganisationFactory(), title="Study"
        )
        assessment = AssessmentFactory(site=SiteFactory(published=True), published=True)
        AssessmentCitationFactory(assessment=assessment, source=source)

    # the count, the page of sources with publishers, which of them are cited, and the
    # publisher options
    with django_assert_num_queries(4):
        response = client.get(URL)

    assert response.status_code == 200


def cite_by_site(source, public):
    SiteCitationFactory(source=source, site=SiteFactory(published=public))


def cite_by_claim(source, public):
    SiteClaimFactory(source=source, site=SiteFactory(published=True), published=public)


def cite_by_name(source, public):
    SiteNameFactory(source=source, kind="as_reported", site=SiteFactory(published=public))


def cite_by_assessment(source, public):
    # A published assessment, public only if its site is published too.
    assessment = AssessmentFactory(site=SiteFactory(published=public), published=True)
    AssessmentCitationFactory(assessment=assessment, source=source)


def cite_by_visit(source, public):
    VisitCitationFactory(source=source, visit=VisitFactory(published=public))


def cite_by_event(source, public):
    VisitEventFactory(source=source, visit=VisitFactory(published=public))


def cite_by_statement(source, public):
    StatementFactory(source=source, published=public)


def cite_by_figure(source, public):
    ReportedFigureFactory(source=source, published=public)


#: A public citation of a source by each kind of record that can cite one.
CITE_KINDS = [
    cite_by_site,
    cite_by_claim,
    cite_by_name,
    cite_by_assessment,
    cite_by_visit,
    cite_by_event,
    cite_by_statement,
    cite_by_figure,
]


@pytest.mark.parametrize("cite", CITE_KINDS)
def test_a_source_is_cited_by_a_public_record_of_each_kind_and_by_no_other(client, cite):
    cited = SourceFactory(published=True, title="Cited one")
    uncited = SourceFactory(published=True, title="Uncited one")
    cite(cited, public=True)
    cite(uncited, public=False)

    html = client.get(URL).content.decode()
    rows = {
        title: html[html.index(title) : html.index("</tr>", html.index(title))]
        for title in ("Cited one", "Uncited one")
    }

    assert ">yes</td>" in rows["Cited one"]
    assert ">no</td>" in rows["Uncited one"]
    assert "Cited one" in client.get(URL, {"cited": "yes"}).content.decode()
    assert "Uncited one" not in client.get(URL, {"cited": "yes"}).content.decode()
    assert "Uncited one" in client.get(URL, {"cited": "no"}).content.decode()


def found(client, params):
    """The number the page says it found for ``params``."""
    html = client.get(URL, params).content.decode()
    start = html.index('class="result-count">') + len('class="result-count">')
    return int(html[start : html.index("</p>", start)].split()[0])


@pytest.mark.parametrize("cite", CITE_KINDS)
def test_the_cached_count_follows_a_new_citation_of_each_kind(client, cite):
    source = SourceFactory(published=True, title="Cited one")
    SourceFactory(published=True, title="Never cited")
    assert found(client, {"cited": "yes"}) == 0
    assert found(client, {"cited": "no"}) == 2

    cite(source, public=True)

    assert found(client, {"cited": "yes"}) == 1
    assert found(client, {"cited": "no"}) == 1


def test_the_cached_count_follows_the_publication_of_the_cited_site(client):
    source = SourceFactory(published=True)
    site = SiteFactory(published=False)
    SiteCitationFactory(source=source, site=site)
    assert found(client, {"cited": "yes"}) == 0

    # Saving the site changes no record that cites: the site's publication itself does.
    site.publication_status = "published"
    site.save()
    assert found(client, {"cited": "yes"}) == 1

    site.publication_status = "draft"
    site.save()
    assert found(client, {"cited": "yes"}) == 0

    site.publication_status = "published"
    site.save()
    assert found(client, {"cited": "yes"}) == 1
    site.delete()
    assert found(client, {"cited": "yes"}) == 0


def test_the_cached_count_follows_the_sources_and_their_publishers(client):
    publisher = OrganisationFactory(name="Watch")
    source = SourceFactory(published=True, title="Report", publisher_organisation=publisher)
    assert found(client, {"q": "watch"}) == 1

    publisher.name = "Monitor"
    publisher.save()
    assert found(client, {"q": "watch"}) == 0
    assert found(client, {"q": "monitor"}) == 1

    source.publication_status = "draft"
    source.save()
    assert found(client, {"q": "monitor"}) == 0


def count_queries(client, params):
    """The queries of ``params``'s page that count the sources."""
    with CaptureQueriesContext(connection) as captured:
        client.get(URL, params)
    return [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]


def test_the_count_outlives_an_edit_that_moves_no_source(client):
    source = SourceFactory(published=True)
    site = SiteFactory(published=True, name="Old name")
    SiteCitationFactory(source=source, site=site)
    assert len(count_queries(client, {"cited": "yes"})) == 1
    assert count_queries(client, {"cited": "yes"}) == []

    # A site renamed and moved to another category: whether a source is cited and which
    # sources are listed stay as they were.
    site.name = "New name"
    site.category = "library"
    site.save()

    assert count_queries(client, {"cited": "yes"}) == []
    assert found(client, {"cited": "yes"}) == 1
