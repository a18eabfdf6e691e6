"""Old addresses of renamed records and short permanent addresses by id: 301s to the
record's current page, in the address's language; 404 for what the public may not see."""

import pytest

from tests.factories import (
    AssessmentFactory,
    ReportedFigureFactory,
    SiteFactory,
    SourceFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


def rename(record, slug):
    record.slug = slug
    record.save()
    return record


def test_a_renamed_sites_old_address_redirects_permanently_to_the_new(client):
    rename(SiteFactory(published=True, slug="old-mosque"), "new-mosque")
    response = client.get("/sites/old-mosque/?tab=1")
    assert response.status_code == 301
    assert response["Location"] == "/sites/new-mosque/?tab=1"
    assert client.get(response["Location"]).status_code == 200


def test_the_old_address_in_arabic_redirects_to_the_arabic_page(client):
    rename(SiteFactory(published=True, slug="old-mosque"), "new-mosque")
    response = client.get("/ar/sites/old-mosque/")
    assert response.status_code == 301
    assert response["Location"] == "/ar/sites/new-mosque/"


def test_a_renamed_visits_old_address_redirects_permanently(client):
    rename(VisitFactory(published=True, slug="visit-2021"), "icesco-visit-2021")
    response = client.get("/az/visits/visit-2021/")
    assert response.status_code == 301
    assert response["Location"] == "/az/visits/icesco-visit-2021/"


def test_an_old_address_of_an_unpublished_site_is_a_404(client):
    rename(SiteFactory(slug="old-draft"), "new-draft")
    assert client.get("/sites/old-draft/").status_code == 404
    assert client.get("/sites/never-was/").status_code == 404


def test_a_live_slug_wins_over_an_old_one(client):
    rename(SiteFactory(published=True, slug="shared"), "moved")
    SiteFactory(published=True, slug="shared", name="The new holder")
    response = client.get("/sites/shared/")
    assert response.status_code == 200
    assert "The new holder" in response.content.decode()


@pytest.fixture
def records(db):
    site = SiteFactory(published=True, slug="mosque")
    visit = VisitFactory(published=True, slug="visit")
    assessment = AssessmentFactory(site=site, published=True)
    source = SourceFactory(published=True)
    figure = ReportedFigureFactory(published=True, source=source)
    return {
        "s": (site, "/sites/mosque/"),
        "v": (visit, "/visits/visit/"),
        "a": (assessment, f"/sites/mosque/#assessment-{assessment.pk}"),
        "src": (source, f"/sources/{source.pk}/"),
        "f": (figure, f"/figures/#figure-{figure.pk}"),
    }


@pytest.mark.parametrize("prefix", ["s", "v", "a", "src", "f"])
@pytest.mark.parametrize("language", ["", "/ar"])
def test_a_permanent_address_redirects_to_the_current_page(client, records, prefix, language):
    record, page = records[prefix]
    response = client.get(f"{language}/{prefix}/{record.pk}")
    assert response.status_code == 301
    assert response["Location"] == f"{language}{page}"


def test_a_permanent_address_survives_a_rename(client, records):
    site, _page = records["s"]
    rename(site, "renamed-mosque")
    assert client.get(f"/s/{site.pk}")["Location"] == "/sites/renamed-mosque/"


@pytest.mark.parametrize("prefix", ["s", "v", "a", "src", "f"])
def test_the_permanent_address_of_an_unpublished_record_is_a_404(client, records, prefix):
    record, _page = records[prefix]
    type(record).objects.filter(pk=record.pk).update(publication_status="draft")
    assert client.get(f"/{prefix}/{record.pk}").status_code == 404
    assert client.get(f"/{prefix}/999999").status_code == 404


def test_a_figures_permanent_address_leads_to_its_row(client, records):
    figure, _page = records["f"]
    assert f'<tr id="figure-{figure.pk}">' in client.get("/figures/").content.decode()


@pytest.mark.parametrize(("prefix", "url"), [("s", "/sites/mosque/"), ("v", "/visits/visit/")])
def test_pages_show_their_permanent_link(client, records, prefix, url):
    record, _page = records[prefix]
    html = client.get(f"/ar{url}").content.decode()
    permanent = f"http://testserver/ar/{prefix}/{record.pk}"
    assert f'<a href="{permanent}" dir="ltr" rel="bookmark">{permanent}</a>' in html


def test_a_source_page_shows_its_permanent_link(client, records):
    source, page = records["src"]
    html = client.get(page).content.decode()
    assert f'href="http://testserver/src/{source.pk}"' in html
