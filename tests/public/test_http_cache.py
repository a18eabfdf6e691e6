"""Public pages and exports carry ETag and Last-Modified from the register's version, answer
a matching conditional request with 304 before any query, and say how long a shared cache
may keep them: ``public`` only for a request without cookies whose answer sets none."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import SiteFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("site-list"),
    reverse("site-export-csv"),
    reverse("site-export-geojson"),
    reverse("site-map-data") + "?bbox=44,38,51,42&zoom=7",
    reverse("visit-list"),
    reverse("figure-list"),
]


@pytest.fixture
def site():
    return SiteFactory(published=True, slug="juma-mosque", latitude="40.1", longitude="47.1")


@pytest.mark.parametrize("url", [*PAGES, "/sites/juma-mosque/", "/"])
def test_a_matching_conditional_request_is_answered_304_without_a_query(
    client, site, url, django_assert_num_queries
):
    first = client.get(url)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]

    with django_assert_num_queries(0):
        again = client.get(url, headers={"if-none-match": etag})
    with django_assert_num_queries(0):
        since = client.get(url, headers={"if-modified-since": modified})

    assert again.status_code == 304
    assert again["ETag"] == etag
    assert since.status_code == 304
    assert again.content == b""


def test_an_edit_changes_the_etag(client, site):
    url = reverse("site-list")
    etag = client.get(url)["ETag"]

    site.name = "Juma Mosque of Shusha"
    site.save()

    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_the_etag_differs_by_address_and_language(client, site):
    url = reverse("site-list")
    english = client.get(url, headers={"accept-language": "en"})["ETag"]
    client.cookies.clear()
    arabic = client.get(url, headers={"accept-language": "ar"})["ETag"]
    client.cookies.clear()
    filtered = client.get(url + "?category=mosque", headers={"accept-language": "en"})["ETag"]

    assert len({english, arabic, filtered}) == 3


@pytest.mark.parametrize(
    "url",
    [
        reverse("site-export-csv"),
        reverse("site-export-geojson"),
        reverse("site-map-data") + "?bbox=44,38,51,42&zoom=7",
    ],
)
def test_a_cookieless_answer_may_be_kept_by_a_shared_cache(client, site, url, settings):
    settings.HTTP_CACHE_MAX_AGE = 45

    response = client.get(url)

    assert response["Cache-Control"] == "public, max-age=45"
    assert "Set-Cookie" not in response
    assert "cookie" not in response.get("Vary", "").lower()


@pytest.mark.parametrize("name", ["home", "site-list", "visit-list", "statistics"])
def test_anonymous_pages_set_no_cookie_and_are_public(client, site, settings, name):
    """The language switcher is links, not a form: no page of the public holds a CSRF token,
    so none sets a cookie, and a shared cache may keep them."""
    settings.HTTP_CACHE_MAX_AGE = 45
    response = client.get(reverse(name))

    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies
    assert response["Cache-Control"] == "public, max-age=45"
    assert "cookie" not in response.get("Vary", "").lower()


def test_an_answer_that_sets_a_cookie_is_private(client, site):
    client.get(reverse("site-list"))  # may set the CSRF cookie
    client.cookies["csrftoken"] = "a" * 32

    response = client.get(reverse("site-export-csv"))

    assert response["Cache-Control"] == "private, no-cache"
    assert response["ETag"]


def test_signed_in_staff_get_private_uncached_pages(client, site):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("site-list"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response


def test_admin_api_and_errors_are_left_alone(client, site):
    assert "ETag" not in client.get(reverse("site-list") + "?category=spaceship")
    assert "public" not in client.get("/admin/login/").get("Cache-Control", "")
    api = client.get("/api/v1/sites/")
    assert api["Cache-Control"] == "public, no-cache"


def test_a_migration_changes_the_etag_and_the_date(client, site):
    url = reverse("site-list")
    first = client.get(url)

    # As a release runs it: a data migration writes records without a save's signals, and
    # new templates change no record.
    call_command("migrate", verbosity=0)

    again = client.get(
        url, headers={"if-none-match": first["ETag"], "if-modified-since": first["Last-Modified"]}
    )
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_a_migration_with_no_cache_to_answer_says_so_and_succeeds(monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("Connection refused")

    monkeypatch.setattr("heritage.cache.raise_version", unreachable)
    out = io.StringIO()

    call_command("migrate", verbosity=0, stdout=out)

    assert "The cache did not answer (Connection refused)" in out.getvalue()
