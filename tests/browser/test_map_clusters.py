"""The home page's map on a register too large to draw site by site: it asks
``/sites/map.json`` for the visible box and draws clusters, each one keyboard stop that
says how many sites it holds and in which condition, and zooms in when chosen."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.waiting import wait_until
from tests.map_sites import many_sites

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_home_map_draws_focusable_clusters_with_their_counts(page, vocabularies):
    many_sites(400, places=20)

    with page.expect_response(lambda response: "/sites/map.json?" in response.url) as data:
        page.goto("/")
    assert data.value.ok
    assert "export.geojson" not in data.value.url

    expect(page.locator(".map.map--ready")).to_be_visible()
    clusters = page.locator(".map .map-cluster")
    expect(clusters.first).to_be_visible()
    assert page.locator(".map .map-marker").count() == 0
    labels = [clusters.nth(i).get_attribute("aria-label") for i in range(clusters.count())]
    counts = [int(re.match(r"(\d+) sites?: ", label).group(1)) for label in labels]
    assert sum(counts) == 400
    assert all(label.split(": ", 1)[1] for label in labels)

    # One keyboard stop per cluster: Tab reaches a cluster, which shows its number.
    first = clusters.first
    first.focus()
    assert page.evaluate("document.activeElement.classList.contains('map-cluster')")
    assert first.get_attribute("tabindex") == "0"
    expect(first.locator(".map-cluster-count")).to_have_text(re.compile(r"^\d+$"))

    # Enter zooms in on it; the map asks again for the new box.
    zoom_before = page.evaluate("document.querySelector('.map').dataset.mapMode")
    assert zoom_before == "clusters"
    with page.expect_response(lambda response: "/sites/map.json?" in response.url):
        page.keyboard.press("Enter")
    wait_until(page, "() => document.querySelectorAll('.map .leaflet-marker-icon').length > 0")


def test_the_results_do_not_move_when_the_listing_map_is_drawn(page, demo):
    """The map above the listing's results holds its place from the first paint: a visitor
    about to open a result is not made to click whatever the drawn map pushed under the
    pointer (the results moved down by the map's height when it appeared)."""
    first_result = page.locator("main table tbody tr").first

    # The map's data never comes: the script cannot draw the map.
    page.route("**/sites/map.json*", lambda route: route.abort())
    page.goto("/sites/")
    expect(first_result).to_be_visible()
    undrawn = first_result.bounding_box()
    expect(page.locator(".map.map--ready")).to_have_count(0)

    page.unroute("**/sites/map.json*")
    page.goto("/sites/")
    expect(page.locator(".map.map--ready")).to_be_visible()
    expect(page.locator(".map .leaflet-marker-icon").first).to_be_visible()
    drawn = first_result.bounding_box()

    assert drawn["y"] == undrawn["y"]


def test_the_map_says_what_the_server_found_wrong_with_its_request(page, demo):
    """A map data request the server refuses (a search too slow to map, say) is not a map
    that silently never appears: its message is shown, and read out, above the map."""
    message = "Add a word of three letters or more."
    page.route(
        "**/sites/map.json*",
        lambda route: route.fulfill(
            status=400, content_type="application/json", body=json.dumps({"error": message})
        ),
    )
    page.goto("/sites/")

    status = page.locator("p.map-status[role=status]")
    expect(status).to_have_text(message)
    expect(page.locator(".map.map--ready")).to_have_count(0)
