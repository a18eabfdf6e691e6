"""The app keeps whole anonymous public pages in its cache, keyed by the register's version,
address, language and host: a repeated request costs no query, an edit is never hidden, and
nothing that carries a cookie, is streamed, or is too large is kept."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from public.data_package.writer import write_package
from tests.factories import SiteFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site():
    return SiteFactory(published=True, slug="juma-mosque", name="Juma Mosque")


def test_a_repeated_page_is_answered_from_the_cache_without_a_query(
    client, site, django_assert_num_queries
):
    first = client.get(reverse("site-list"))
    with django_assert_num_queries(0):
        again = client.get(reverse("site-list"))

    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Content-Language"] == first["Content-Language"]
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]
    assert "Juma Mosque" in again.content.decode()


def test_an_edit_is_seen_at_once(client, site):
    url = site.get_absolute_url()
    assert "Juma Mosque" in client.get(url).content.decode()

    site.name = "Juma Mosque of Shusha"
    site._change_reason = "Full name."
    site.save()

    assert "Juma Mosque of Shusha" in client.get(url).content.decode()


def test_each_language_address_and_host_has_its_own_copy(client, site):
    english = client.get(reverse("site-list"), headers={"accept-language": "en"})
    arabic = client.get("/ar/sites/")
    other_host = client.get(reverse("site-list"), HTTP_HOST="localhost")
    filtered = client.get(reverse("site-list") + "?q=nothing-matches-this")

    assert english.content != arabic.content
    assert 'lang="ar"' in arabic.content.decode()
    assert "http://localhost/" in other_host.content.decode()
    assert "http://testserver/" not in other_host.content.decode()
    assert "Juma Mosque" not in filtered.content.decode()
    # Asked again, each is its own.
    assert client.get("/ar/sites/").content == arabic.content
    assert client.get(reverse("site-list"), HTTP_HOST="localhost").content == other_host.content


def test_requests_with_cookies_and_staff_are_never_served_a_kept_page(
    client, site, django_assert_max_num_queries
):
    client.get(reverse("site-list"))
    client.cookies["csrftoken"] = "x" * 32
    with django_assert_max_num_queries(20) as counted:
        client.get(reverse("site-list"))
    assert len(counted.captured_queries) > 0

    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    response = client.get(reverse("site-list"))
    assert "no-store" in response["Cache-Control"]


def kept_pages():
    return [key for key in cache._cache if ":page:" in key]


def test_streamed_exports_and_large_pages_are_not_kept(client, site, settings):
    client.get(reverse("site-export-csv"))
    assert kept_pages() == []

    settings.PAGE_CACHE_MAX_BYTES = 100
    client.get(reverse("visit-list"))
    assert kept_pages() == []

    settings.PAGE_CACHE_MAX_BYTES = 1024 * 1024
    client.get(reverse("visit-list"))
    assert len(kept_pages()) == 1


def test_turned_off_it_keeps_nothing(client, site, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(reverse("site-list"))
    with django_assert_max_num_queries(20) as counted:
        client.get(reverse("site-list"))
    assert len(counted.captured_queries) > 0


def test_a_new_data_package_shows_at_once_on_the_data_page(client, site, settings, tmp_path):
    settings.DATA_PACKAGE_DIR = tmp_path
    assert "No data package has been written yet." in client.get(reverse("data")).content.decode()

    written = write_package(tmp_path, "https://example.org")

    page = client.get(reverse("data")).content.decode()
    assert written.sha256 in page
    assert "No data package has been written yet." not in page
