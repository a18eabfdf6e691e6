"""Every data text carries its language; numbers and dates follow the visitor's language;
error pages, icons and rejected filter values keep the HTML valid."""

import datetime
from decimal import Decimal

import pytest

from heritage.models import SiteClaimTranslation, SiteTranslation
from inspections.models import OverallCondition
from public.templatetags.public_tags import cited_title, isolate, term_label
from tests.factories import (
    ReportedFigureFactory,
    SiteClaimFactory,
    SiteFactory,
    SourceFactory,
    VisitFactory,
)
from tests.languages import in_language

pytestmark = pytest.mark.django_db


def get(client, url, language, status=200):
    response = client.get(in_language(url, language))
    assert response.status_code == status
    return response.content.decode()


def test_a_description_is_shown_in_the_visitors_language_when_translated(client):
    site = SiteFactory(published=True, description="A caravanserai of 1681.")
    SiteTranslation.objects.create(site=site, language="az", description="1681-ci il karvansarayı.")
    english = get(client, site.get_absolute_url(), "en")
    assert '<div lang="en" dir="auto"><p>A caravanserai of 1681.</p></div>' in english
    azerbaijani = get(client, site.get_absolute_url(), "az")
    assert '<div lang="az" dir="auto"><p>1681-ci il karvansarayı.</p></div>' in azerbaijani
    # No Arabic translation: the original, marked as English on the Arabic page.
    arabic = get(client, site.get_absolute_url(), "ar")
    assert '<div lang="en" dir="auto"><p>A caravanserai of 1681.</p></div>' in arabic


def test_a_statement_keeps_its_own_language_and_may_be_translated(client):
    claim = SiteClaimFactory(
        published=True,
        site=SiteFactory(published=True),
        source=SourceFactory(published=True),
        statement="Tikilib 1681-ci ildə.",
        text_language="az",
    )
    SiteClaimTranslation.objects.create(claim=claim, language="en", statement="Built in 1681.")
    arabic = get(client, claim.site.get_absolute_url(), "ar")
    assert '<p lang="az" dir="auto">Tikilib 1681-ci ildə.</p>' in arabic
    english = get(client, claim.site.get_absolute_url(), "en")
    assert '<p lang="en" dir="auto">Built in 1681.</p>' in english


def test_a_source_title_is_isolated_with_its_language(client):
    source = SourceFactory(published=True, title="Şuşa məscidləri.", language="az")
    SiteClaimFactory(published=True, site=SiteFactory(published=True), source=source)
    page = get(client, source.get_absolute_url(), "ar")
    assert '<h1><bdi lang="az">Şuşa məscidləri.</bdi></h1>' in page
    dossier = get(client, source.site_claims.get().site.get_absolute_url(), "ar")
    # In a citation the title loses its final full stop: no ".," or ".." after it.
    assert '<bdi lang="az">Şuşa məscidləri</bdi>' in dossier
    assert "məscidləri.</bdi>" not in dossier


def test_filters_isolate_text_and_drop_only_a_single_full_stop():
    assert isolate("a<b", "en") == '<bdi lang="en">a&lt;b</bdi>'
    assert isolate("x") == "<bdi>x</bdi>"
    assert isolate("") == ""
    assert cited_title("New partnership prospects.") == "New partnership prospects"
    assert cited_title("Wait...") == "Wait..."
    assert cited_title("Why?") == "Why?"


def test_eamena_terms_have_the_registers_azerbaijani_labels(client, settings):
    destroyed = OverallCondition.objects.get(label="Destroyed")
    assert destroyed.label_az == "Dağıdılıb"
    from django.utils import translation

    with translation.override("az"):
        assert term_label(destroyed) == "Dağıdılıb"
    with translation.override("ar"):
        assert term_label(destroyed) == destroyed.label_ar
    OverallCondition.objects.filter(pk=destroyed.pk).update(label_ar="")
    destroyed.refresh_from_db()
    with translation.override("ar"):
        assert term_label(destroyed) == '<bdi lang="en">Destroyed</bdi>'
    footer = get(client, "/", "az")
    assert "reyestrin öz tərcüməsidir" in footer
    assert "reyestrin öz tərcüməsidir" not in get(client, "/", "en")


def test_numbers_are_grouped_and_dates_spelled_alike_in_every_language(client):
    ReportedFigureFactory(
        published=True, value=Decimal("4600000"), source=SourceFactory(published=True)
    )
    VisitFactory(published=True, start_date=datetime.date(2021, 1, 12))
    assert "4.600.000" in get(client, "/", "ar")
    english = get(client, "/", "en")
    assert "4,600,000" in english
    assert '<time datetime="2021-01-12">12 January 2021</time>' in english
    assert "Jan. 12, 2021" not in english


@pytest.mark.parametrize(
    ("url", "status", "rejected"),
    [
        ("/sites/?assessed_from=2021-02-30", 400, 'value="2021-02-30"'),
        ("/sites/?assessed_to=yesterday", 400, 'value="yesterday"'),
        ("/visits/?year=twenty", 400, 'value="twenty"'),
        # Arabic-Indic digits are a valid year, but not a value <input type="number"> holds.
        ("/visits/?year=%D9%A3", 200, 'value="٣"'),
    ],
)
def test_a_value_a_typed_field_cannot_hold_is_not_written_back(client, url, status, rejected):
    page = get(client, url, "en", status=status)
    assert rejected not in page


def test_a_valid_value_stays_in_its_field(client):
    assert 'value="2021-02-03"' in get(client, "/sites/?assessed_from=2021-02-03", "en")
    assert 'value="2021"' in get(client, "/visits/?year=2021", "en")


def test_filter_forms_offer_the_script_that_drops_empty_fields(client):
    for url in ("/sites/", "/visits/"):
        page = get(client, url, "en")
        assert "data-drop-empty" in page
        assert "js/filters" in page
    # The server reads empty parameters as absent.
    SiteFactory(published=True)
    with_empty = get(client, "/sites/?q=&category=&area=&organisation=&sort=", "en")
    assert '<p id="result-count">1 site matches.</p>' in with_empty
    assert '<p id="result-count">1 site matches.</p>' in get(client, "/sites/", "en")


@pytest.mark.parametrize("language", ["en", "az", "ar"])
def test_a_missing_page_is_in_the_visitors_language(client, language):
    page = get(client, "/sites/no-such-site/", language, status=404)
    assert f'<html lang="{language}"' in page
    assert 'rel="icon"' in page


def test_the_favicon_is_served_by_the_app(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".ico")
    assert "icons/favicon" in response["Location"]
