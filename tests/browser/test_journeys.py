"""What a visitor does in a real browser: filter, read a dossier and a source, switch to
Arabic, download the GeoJSON. The demo data is loaded for each test."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.waiting import wait_until

# The live server needs committed data; serialized_rollback restores the vocabulary rows
# that the data migration loaded, which a transactional test's flush would remove.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def errors(page, live_server):
    """JavaScript errors, and console errors about the app's own resources, seen while the
    test runs. Requests to other hosts (map tiles) are refused on purpose and not counted."""
    seen = []

    def on_console(message):
        if message.type == "error" and message.location.get("url", "").startswith(live_server.url):
            seen.append(message.text)

    page.on("pageerror", lambda error: seen.append(str(error)))
    page.on("console", on_console)
    return seen


def test_visitor_filters_sites_opens_a_dossier_and_reads_a_source(page, demo, errors):
    page.goto("/sites/")
    page.get_by_label("Name").fill("Garghabazar")
    page.get_by_role("button", name="Apply filters").click()

    page.wait_for_url("**/sites/?*q=Garghabazar*")
    results = page.locator("main table tbody tr")
    expect(results).to_have_count(2)
    names = results.all_inner_texts()
    assert any("Mosque" in name for name in names)
    assert any("Caravanserai" in name for name in names)

    page.get_by_role("link", name="Gargabazar Mosque").first.click()
    expect(page.locator("h1")).to_have_text("Gargabazar Mosque")
    dating = page.locator("section:has(h2#dating)")
    assert "1682" in dating.inner_text()
    assert "1683" in dating.inner_text()

    page.locator("section:has(h2#dating) a[href^='/sources/']").first.click()
    page.wait_for_url("**/sources/*/")
    expect(page.locator("h2#claims")).to_be_visible()
    assert "Gargabazar Mosque" in page.locator("main").inner_text()
    assert errors == []


# What readers of the seed article and of other sources type, and the site each means.
READER_SEARCHES = [
    ("Gargabazari", {"Gargabazar Mosque", "Gargabazar Caravanserai"}),
    ("Juma", {"Haji Alakbar Mosque"}),
    ("Fuzuli cemetery", {"Fuzuli city cemetery"}),
    ("Кочахмедли", {"Gochahmadli Mosque"}),
    ("Физули", {"Haji Alakbar Mosque", "Fuzuli city cemetery"}),
    ("Varanda", {"Haji Alakbar Mosque", "Fuzuli city cemetery"}),
    ("Гаргабазар", {"Gargabazar Mosque", "Gargabazar Caravanserai"}),
    ("mescidi", {"Gargabazar Mosque", "Gochahmadli Mosque", "Haji Alakbar Mosque"}),
]


def test_reader_searches_find_the_sites_meant_and_suggestions_come_as_one_types(page, demo, errors):
    page.goto("/sites/")
    for text, expected in READER_SEARCHES:
        page.get_by_label("Name").fill(text)
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_load_state()
        names = page.locator("main table tbody tr th").all_inner_texts()
        assert set(names) == expected, text

    page.get_by_label("Name").fill("Garqabazor")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#close-matches")).to_contain_text("Garqabazor")
    expect(page.locator("main table tbody tr")).to_have_count(2)

    # Suggestions fill the search box's list as one types.
    page.get_by_label("Name").fill("")
    page.get_by_label("Name").press_sequentially("garg", delay=30)
    wait_until(page, "() => document.querySelectorAll('#site-suggestions option').length > 0")
    options = page.locator("#site-suggestions option")
    values = [options.nth(i).get_attribute("value") for i in range(options.count())]
    assert "Gargabazar Mosque" in values
    assert len(values) <= 10
    assert errors == []


def test_a_visitor_picks_a_village_for_the_visits_by_typing_with_suggestions(page, demo, errors):
    page.goto("/visits/")
    # The select offers the districts and the places above them, not the villages.
    select = page.locator("select#id_place")
    expect(select.locator("option")).to_have_text(["Any place", "Azerbaijan", re.compile("Fuzuli")])

    field = page.get_by_label("City or village")
    field.focus()
    page.keyboard.type("qarg", delay=30)
    wait_until(page, "() => document.querySelectorAll('#area-suggestions option').length > 0")
    options = page.locator("#area-suggestions option")
    values = [options.nth(i).get_attribute("value") for i in range(options.count())]
    assert values == ["Qarğabazar"]

    field.fill("Qarğabazar")
    page.keyboard.press("Enter")
    page.wait_for_url("**/visits/?place_name=*")
    # The empty fields are left out of the address.
    assert page.url.endswith("/visits/?place_name=Qar%C4%9Fabazar")
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table tbody tr th")).to_have_text("ICESCO delegation visit to Fuzuli")
    expect(page.get_by_label("City or village")).to_have_value("Qarğabazar")
    assert errors == []


def test_filtered_map_shows_a_marker_per_located_site(page, demo, errors):
    page.goto("/sites/?category=mosque")
    expect(page.locator(".map.map--ready")).to_be_visible()
    expect(page.locator(".map .map-marker")).to_have_count(3)
    assert errors == []


def test_visitor_switches_to_arabic_and_sees_a_right_to_left_page(page, demo):
    page.goto("/sites/")
    assert page.locator("html").get_attribute("dir") == "ltr"

    page.locator(".language-switcher a[hreflang=ar]").click()

    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.url.endswith("/ar/sites/")
    direction = page.evaluate("getComputedStyle(document.body).direction")
    assert direction == "rtl"


def test_reader_follows_a_permanent_link_and_reads_the_page_in_arabic_and_back(page, demo, errors):
    page.goto("/sites/gargabazar-mosque/")
    permanent = page.locator(".permalink a")
    expect(permanent).to_have_text(re.compile(r"^http://[^/]+/s/[0-9]+$"))
    address = permanent.inner_text()

    # A citation's reader opens the permanent address and lands on the dossier.
    page.goto(address)
    page.wait_for_url("**/sites/gargabazar-mosque/")
    expect(page.locator("h1")).to_have_text("Gargabazar Mosque")

    page.locator(".language-switcher a[hreflang=ar]").click()
    page.wait_for_url("**/ar/sites/gargabazar-mosque/")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    wait_until(page, "() => getComputedStyle(document.body).direction === 'rtl'")
    expect(page.locator(".permalink a")).to_have_text(re.compile(r"/ar/s/[0-9]+$"))

    page.locator(".language-switcher a[hreflang=en]").click()
    page.wait_for_url(re.compile(r"^http://[^/]+/sites/gargabazar-mosque/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    assert page.context.cookies() == []
    assert errors == []


def test_visitor_downloads_the_filtered_geojson(page, demo):
    page.goto("/sites/?q=qargabazar")
    with page.expect_download() as download_info:
        page.locator(".downloads").get_by_role("link", name="GeoJSON").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".geojson")
    collection = json.loads(download.path().read_text(encoding="utf-8"))

    assert collection["type"] == "FeatureCollection"
    slugs = {feature["properties"]["slug"] for feature in collection["features"]}
    assert slugs == {"gargabazar-mosque", "gargabazar-caravanserai"}
    for feature in collection["features"]:
        longitude, latitude = feature["geometry"]["coordinates"]
        assert 47 < longitude < 48
        assert 39 < latitude < 40
