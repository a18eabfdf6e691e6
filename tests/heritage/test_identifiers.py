"""A site's identifiers in other registers: each scheme checks the form of its values and
where its records may be, and builds the link the pages show."""

import pytest
from django.core.exceptions import ValidationError

from heritage.models import SiteIdentifier, site_identifiers
from tests.factories import SiteFactory, SiteIdentifierFactory, SourceFactory

pytestmark = pytest.mark.django_db


def errors_of(identifier):
    with pytest.raises(ValidationError) as raised:
        identifier.full_clean()
    return raised.value.message_dict


@pytest.mark.parametrize("value", ["EAMENA-0192725", "EAMENA-1"])
def test_an_eamena_identifier_is_eamena_and_digits(value):
    SiteIdentifierFactory.build(site=SiteFactory(), value=value).full_clean()


@pytest.mark.parametrize("value", ["0192725", "eamena-0192725", "EAMENA-01 92", "EAMENA-"])
def test_a_malformed_eamena_identifier_is_refused_saying_what_it_looks_like(value):
    identifier = SiteIdentifierFactory.build(site=SiteFactory(), value=value)
    assert errors_of(identifier) == {
        "value": ["An EAMENA identifier looks like EAMENA-0123456: “EAMENA-” and digits."]
    }


def test_a_caucasus_heritage_watch_identifier_may_not_hold_spaces():
    good = SiteIdentifierFactory.build(site=SiteFactory(), scheme="chw", value="AZ-117")
    good.full_clean()
    bad = SiteIdentifierFactory.build(site=SiteFactory(), scheme="chw", value="AZ 117")
    assert list(errors_of(bad)) == ["value"]


def test_a_record_address_must_be_on_the_schemes_own_site():
    site = SiteFactory()
    SiteIdentifierFactory.build(
        site=site, url="https://database.eamena.org/report/1f0e6a0c"
    ).full_clean()
    elsewhere = SiteIdentifierFactory.build(site=site, url="https://eamena.example.org/r/1")
    assert errors_of(elsewhere) == {
        "url": ["A record of EAMENA is at database.eamena.org; this address is elsewhere."]
    }


def test_a_site_holds_an_identifier_of_a_scheme_once():
    first = SiteIdentifierFactory(value="EAMENA-0000007")
    again = SiteIdentifierFactory.build(site=first.site, value="EAMENA-0000007")
    assert "__all__" in errors_of(again)
    # The same identifier on another site, or another scheme's, is accepted.
    SiteIdentifierFactory.build(value="EAMENA-0000007", site=SiteFactory()).full_clean()


def test_the_pages_list_wikidata_first_each_with_its_link_and_only_a_published_source():
    site = SiteFactory(wikidata_id="Q4115178")
    SiteIdentifierFactory(
        site=site, value="EAMENA-0000042", source=SourceFactory(publication_status="draft")
    )
    published = SourceFactory(published=True)
    SiteIdentifierFactory(
        site=site,
        scheme="chw",
        value="AZ-9",
        url="https://caucasusheritage.cornell.edu/a/9",
        source=published,
    )

    found = site_identifiers(SiteFactory._meta.model.objects.for_dossier().get(pk=site.pk))

    assert [(i.scheme, i.value, i.url, i.source) for i in found] == [
        ("wikidata", "Q4115178", "https://www.wikidata.org/wiki/Q4115178", None),
        ("chw", "AZ-9", "https://caucasusheritage.cornell.edu/a/9", published),
        ("eamena", "EAMENA-0000042", None, None),
    ]


def test_an_identifier_is_named_by_its_scheme():
    identifier = SiteIdentifierFactory.build(value="EAMENA-0000001")
    assert str(identifier) == "EAMENA: EAMENA-0000001"
    assert SiteIdentifier.Scheme("chw").label == "Caucasus Heritage Watch"
