"""The app keeps whole anonymous public pages in its cache, keyed by the register's version,
address, language and host: a repeated request costs no query, an edit is never hidden, and
nothing that carries a cookie, is streamed, or is too large is kept."""

import pytest
from django.core.cache import cache, caches
from django.urls import reverse

from public.data_package.writer import write_package
from tests.factories import PlaceFactory, SiteFactory, UserFactory

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


@pytest.fixture
def cache_reads(monkeypatch):
    """[(method, keys)] of every read of the cache (a ``get_many`` made of ``get``s, as the
    in-process cache's is, counts once)."""
    backend = caches["default"]
    reads, depth = [], []
    for name in ("get", "get_many"):
        original = getattr(backend, name)

        def recorded(*args, _name=name, _original=original, **kwargs):
            if not depth:
                reads.append((_name, list(args[0]) if _name == "get_many" else [args[0]]))
            depth.append(_name)
            try:
                return _original(*args, **kwargs)
            finally:
                depth.pop()

        monkeypatch.setattr(backend, name, recorded)
    return reads


def test_a_kept_page_is_answered_in_three_reads_of_the_cache(client, site, cache_reads):
    """The versions (the register's and the evidence's, beside the others a page reads), when
    this server first answered at them, and the page: one read each."""
    client.get(reverse("site-list"))
    cache_reads.clear()

    again = client.get(reverse("site-list"))

    assert again.status_code == 200
    assert [method for method, _keys in cache_reads] == ["get_many", "get", "get"]
    versions = cache_reads[0][1]
    assert "register:version" in versions
    assert "api:evidence-version" in versions
    assert "register:places-version" in versions


@pytest.mark.parametrize(
    "address",
    [
        "/",
        "/sites/?category=mosque&condition=Destroyed&area=karabakh",
        "/statistics/",
        "/areas/karabakh/",
        "/sites/map.json?bbox=40,35,60,45&zoom=6",
    ],
)
def test_no_key_is_read_twice_in_a_request(client, site, cache_reads, address, settings):
    """Each version is read once a request, the usual ones in the first read, and what is
    kept for the places and the counts once, however many parts of the page ask for it."""
    settings.PAGE_CACHE_SECONDS = 0  # the page made again, from what the cache holds
    site.place.parent = PlaceFactory(slug="karabakh", kind="district")
    site.place.save()
    client.get(address)
    cache_reads.clear()

    response = client.get(address)

    assert response.status_code == 200
    read = [key for _method, keys in cache_reads for key in keys]
    assert read, "the page reads the cache"
    assert sorted(key for key in set(read) if read.count(key) > 1) == []
    version_reads = [keys for _method, keys in cache_reads if "register:version" in keys]
    assert len(version_reads) == 1
