"""One address per language: English unprefixed, /az/… and /ar/…; the address alone decides
the language, the switcher links to the same page in the others, and anonymous pages set
no cookie."""

import re

import pytest
from django.conf import settings

from public.templatetags import language_tags
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def switcher_links(html):
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html, flags=re.S).group(0)
    links = re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', nav)
    return {language: href for href, language in links}


@pytest.fixture
def site(db):
    return SiteFactory(published=True, slug="gargabazar-mosque", name="Gargabazar Mosque")


def test_an_arabic_address_shows_the_page_in_arabic_right_to_left_with_its_alternates(client, site):
    response = client.get(f"/ar/sites/{site.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "سجل أضرار التراث" in html
    assert alternates(html) == {
        "en": f"http://testserver/sites/{site.slug}/",
        "az": f"http://testserver/az/sites/{site.slug}/",
        "ar": f"http://testserver/ar/sites/{site.slug}/",
        "x-default": f"http://testserver/sites/{site.slug}/",
    }


def test_an_azerbaijani_address_is_azerbaijani_left_to_right(client, site):
    html = client.get(f"/az/sites/{site.slug}/").content.decode()
    assert '<html lang="az" dir="ltr">' in html


@pytest.mark.parametrize("language", ["az", "ar"])
def test_neither_cookie_nor_browser_language_changes_an_unprefixed_page(client, site, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(f"/sites/{site.slug}/", HTTP_ACCEPT_LANGUAGE=f"{language},en;q=0.1")
    assert response.status_code == 200
    assert '<html lang="en" dir="ltr">' in response.content.decode()
    assert response["Content-Language"] == "en"
    assert "Accept-Language" not in response.get("Vary", "")


def test_a_cookie_does_not_change_a_prefixed_page_either(client, site):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/az/sites/{site.slug}/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="az" dir="ltr">' in html


def test_the_switcher_links_to_the_same_page_and_query_in_the_other_languages(client, site):
    html = client.get("/ar/sites/?category=mosque&sort=-name").content.decode()
    assert switcher_links(html) == {
        "en": "/sites/?category=mosque&amp;sort=-name",
        "az": "/az/sites/?category=mosque&amp;sort=-name",
    }
    assert '<span aria-current="page" lang="ar" dir="rtl">' in html
    assert "csrfmiddlewaretoken" not in html


def test_the_english_switcher_links_to_the_prefixed_pages(client, site):
    html = client.get(f"/sites/{site.slug}/").content.decode()
    assert switcher_links(html) == {
        "az": f"/az/sites/{site.slug}/",
        "ar": f"/ar/sites/{site.slug}/",
    }


@pytest.mark.parametrize(
    "url", ["/", "/sites/", "/sites/gargabazar-mosque/", "/ar/", "/az/sites/gargabazar-mosque/"]
)
def test_anonymous_public_pages_set_no_cookie(client, site, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers


def test_the_language_switch_by_post_is_gone(client):
    assert client.post("/i18n/setlang/", {"language": "ar"}).status_code == 404


def test_files_keep_one_address_for_every_language(client):
    assert client.get("/favicon.ico").status_code == 302
    assert client.get("/az/favicon.ico").status_code == 404


def test_the_admin_still_follows_the_browser_language(client):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="az")
    assert '<html lang="az"' in response.content.decode()
    assert "Accept-Language" in response["Vary"]


def test_an_unknown_page_in_arabic_is_a_404_in_arabic_without_redirect(client):
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    assert 'dir="rtl"' in response.content.decode()


def test_a_page_not_found_offers_each_languages_home_not_the_address_asked_for(client):
    SiteFactory(slug="draft-draft")  # a draft: its page is not found

    response = client.get("/az/sites/draft-draft/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "/sites/draft-draft/" not in html.replace("/az/sites/draft-draft/", "")
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    assert set(re.findall(r'href="([^"]+)"', switcher)) == {"/", "/ar/"}


def test_the_alternates_and_the_switcher_share_one_list_of_the_pages_languages(
    client, site, monkeypatch
):
    made = []
    real = language_tags.languages_of

    def counted(request, current, error):
        made.append(current)
        return real(request, current, error)

    monkeypatch.setattr(language_tags, "languages_of", counted)
    html = client.get("/ar/sites/?q=mosque").content.decode()

    # Three alternates and an x-default in the head, two other languages in the switcher.
    assert html.count('rel="alternate" hreflang=') == 4
    assert 'href="/az/sites/?q=mosque" hreflang="az"' in html
    assert made == ["ar"]
