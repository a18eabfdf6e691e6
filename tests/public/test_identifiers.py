"""A site's identifiers in other registers on its dossier, in its schema.org block and in
the API: each linked when its scheme gives an address, unlinked otherwise, escaped, and
only for a published site."""

import pytest

from tests.factories import SiteFactory, SiteIdentifierFactory, SourceFactory
from tests.public.linked_data import schema_org_blocks
from tests.public.pages import dossier, section

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    site = SiteFactory(published=True, wikidata_id="Q4115178")
    SiteIdentifierFactory(
        site=site,
        scheme="chw",
        value="AZ-117",
        url="https://caucasusheritage.cornell.edu/site/117",
        source=SourceFactory(published=True, title="Between the Wars"),
    )
    SiteIdentifierFactory(site=site, value="EAMENA-0192725")
    return site


def test_the_dossier_lists_identifiers_elsewhere_each_linked_when_it_has_an_address(client, site):
    html = section(dossier(client, site), "identifiers")

    assert 'href="https://www.wikidata.org/wiki/Q4115178" rel="noopener"' in html
    assert (
        '<a class="external" href="https://caucasusheritage.cornell.edu/site/117" '
        'rel="noopener"><bdi dir="ltr">AZ-117</bdi></a>'
    ) in html
    # EAMENA's records have no address made from the identifier: shown unlinked.
    assert '<dd><bdi dir="ltr">EAMENA-0192725</bdi></dd>' in html
    assert "Between the Wars" in html


def test_an_identifiers_unpublished_source_is_not_shown(client):
    site = SiteFactory(published=True)
    SiteIdentifierFactory(
        site=site, source=SourceFactory(publication_status="draft", title="Draft list")
    )
    html = section(dossier(client, site), "identifiers")
    assert "EAMENA-" in html
    assert "Draft list" not in html


def test_a_site_without_identifiers_has_no_such_section(client):
    assert 'id="identifiers"' not in dossier(client, SiteFactory(published=True))


def test_identifiers_are_escaped(client):
    site = SiteFactory(published=True)
    SiteIdentifierFactory(site=site, scheme="chw", value="<b>AZ</b>")
    html = dossier(client, site)
    assert "&lt;b&gt;AZ&lt;/b&gt;" in html
    assert "<b>AZ</b>" not in html


@pytest.mark.parametrize("status", ["draft", "in_review", "rejected"])
def test_an_unpublished_sites_identifiers_are_shown_nowhere(client, status):
    site = SiteFactory(publication_status=status)
    SiteIdentifierFactory(site=site, value="EAMENA-0000123")
    for address in (site.get_absolute_url(), f"/api/v1/sites/{site.slug}/"):
        response = client.get(address)
        assert response.status_code == 404
        assert b"EAMENA-0000123" not in response.content


def test_the_schema_org_block_names_every_record_elsewhere_with_an_address(client, site):
    [description], _raw = schema_org_blocks(dossier(client, site))
    assert description["about"]["sameAs"] == [
        "https://www.wikidata.org/wiki/Q4115178",
        "https://caucasusheritage.cornell.edu/site/117",
    ]


def test_the_api_gives_a_sites_identifiers(client, site):
    data = client.get(f"/api/v1/sites/{site.slug}/").json()
    identifiers = [
        {key: value for key, value in item.items() if key != "source"}
        for item in data["identifiers"]
    ]
    assert identifiers == [
        {
            "scheme": "wikidata",
            "label": "Wikidata",
            "value": "Q4115178",
            "url": "https://www.wikidata.org/wiki/Q4115178",
        },
        {
            "scheme": "chw",
            "label": "Caucasus Heritage Watch",
            "value": "AZ-117",
            "url": "https://caucasusheritage.cornell.edu/site/117",
        },
        {"scheme": "eamena", "label": "EAMENA", "value": "EAMENA-0192725", "url": None},
    ]
    assert data["identifiers"][1]["source"].startswith("http://testserver/api/v1/sources/")
    assert data["identifiers"][2]["source"] is None


def test_a_stored_address_that_is_not_a_web_address_is_not_linked(client):
    site = SiteFactory(published=True)
    SiteIdentifierFactory(site=site, scheme="chw", value="AZ-1", url="javascript:alert(1)")
    html = section(dossier(client, site), "identifiers")
    assert "javascript:" not in html
    assert '<dd><bdi dir="ltr">AZ-1</bdi></dd>' in html
