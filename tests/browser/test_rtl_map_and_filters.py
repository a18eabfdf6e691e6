"""The map in a right-to-left page, and filter forms that leave empty fields out of the
address."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_map_is_mirrored_in_arabic_and_its_tooltip_leaves_the_popup_alone(
    page, live_server, demo
):
    page.goto("/ar/sites/gargabazar-mosque/")
    expect(page.locator(".map.map--ready")).to_be_visible()
    # The zoom control stands on the right, where a right-to-left reader starts.
    expect(page.locator(".leaflet-top.leaflet-right .leaflet-control-zoom")).to_have_count(1)
    expect(page.locator(".leaflet-top.leaflet-left .leaflet-control-zoom")).to_have_count(0)
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "تكبير")

    marker = page.locator(".map .map-marker")
    marker.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup")
    expect(popup).to_be_visible()
    # The popup's text follows the page's direction; the tooltip, which would cover it, is
    # closed while the popup is open.
    alignment = page.evaluate(
        "getComputedStyle(document.querySelector('.leaflet-popup-content-wrapper')).textAlign"
    )
    assert alignment in ("start", "right")
    assert page.evaluate("getComputedStyle(document.querySelector('.map-popup')).direction") == (
        "rtl"
    )
    expect(page.locator(".leaflet-tooltip")).to_have_count(0)
    marker.hover()
    expect(page.locator(".leaflet-tooltip")).to_have_count(0)


def test_the_map_keeps_its_controls_on_the_left_in_english(page, live_server, demo):
    page.goto("/sites/gargabazar-mosque/")
    expect(page.locator(".map.map--ready")).to_be_visible()
    expect(page.locator(".leaflet-top.leaflet-left .leaflet-control-zoom")).to_have_count(1)


def test_a_filter_form_leaves_empty_fields_out_of_the_address(page, live_server, demo):
    page.goto("/sites/")
    page.select_option("#id_category", "mosque")
    with page.expect_navigation():
        page.locator(".filters button[type=submit]").click()
    # Only the fields given are in the address: not the empty ones, nor the default order.
    assert page.url.endswith("/sites/?category=mosque")

    page.select_option("#id_sort", "-name")
    with page.expect_navigation():
        page.locator(".filters button[type=submit]").click()
    assert page.url.endswith("/sites/?category=mosque&sort=-name")

    page.goto("/visits/")
    page.fill("#id_year", "2021")
    with page.expect_navigation():
        page.locator(".filters button[type=submit]").click()
    assert page.url.endswith("/visits/?year=2021")
