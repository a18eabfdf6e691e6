"""The map of sites: templates/includes/map.html, its legend, and Leaflet served locally."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from inspections.models import OverallCondition
from tests.public.pages import assert_shows

pytestmark = pytest.mark.django_db

EAMENA_CONDITIONS = ["Good", "Fair", "Poor", "Very Bad", "Destroyed", "Unknown"]


def static_text(path):
    return Path(finders.find(path)).read_text(encoding="utf-8")


def render_map(geojson_url="/sites/export.geojson?category=mosque", language="en"):
    request = RequestFactory().get("/")
    with translation.override(language):
        return render_to_string("includes/map.html", {"geojson_url": geojson_url}, request=request)


def map_container(html):
    match = re.search(r"<div class=\"map\" data-map[^>]*>", html)
    assert match, "the include renders no map container"
    return match.group(0)


def test_map_container_carries_the_geojson_and_tile_settings(settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "Example tiles"

    container = map_container(render_map("/sites/export.geojson?category=mosque&place=fuzuli"))

    assert 'data-geojson-url="/sites/export.geojson?category=mosque&amp;place=fuzuli"' in (
        container
    )
    assert_shows(
        container,
        shown=[
            'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"',
            'data-tile-attribution="Example tiles"',
            'aria-label="Interactive map"',
        ],
    )


def test_map_container_is_hidden_without_scripts_and_holds_its_place_with_them():
    html = render_map()
    container = map_container(html)
    stylesheet = static_text("css/site.css")
    script = static_text("js/map.js")

    assert "map--ready" not in container
    assert 'READY_CLASS = "map--ready"' in script
    # Hidden where scripts do not run (the legend says where the data is); where they do,
    # the box is there from the first paint and the no-script hint is not.
    assert re.search(r"@media \(scripting: none\) \{\s*\.map \{ display: none; \}", stylesheet)
    assert re.search(
        r"@media \(scripting: enabled\) \{\s*\.map-no-script \{ display: none; \}", stylesheet
    )
    assert ".map:not(.map--ready)" not in stylesheet


def test_map_legend_lists_every_overall_condition_with_a_text_label():
    html = render_map()
    legend = re.search(r'<ul class="map-legend-list">(.*?)</ul>', html, flags=re.S).group(1)
    items = re.findall(r"<li[^>]*>(.*?)</li>", legend, flags=re.S)
    texts = [re.sub(r"<[^>]+>", "", item).strip() for item in items]

    assert texts == [*EAMENA_CONDITIONS, "Condition not stated", "Not assessed"]
    slugs = ["good", "fair", "poor", "very-bad", "destroyed", "unknown", "not-stated", "none"]
    for item, slug in zip(items, slugs, strict=True):
        assert f'class="map-swatch map-condition-{slug}" aria-hidden="true"' in item


def test_map_legend_includes_a_condition_term_added_by_editors():
    OverallCondition.objects.create(label="Restored", position=99)

    html = render_map()

    assert "Restored</li>" in html


def test_map_legend_is_localized():
    html = render_map(language="ar")

    for term in OverallCondition.objects.all():
        assert term.label_ar
        assert term.label_ar in html


def test_map_reads_the_condition_terms_once_per_request(django_assert_num_queries):
    request = RequestFactory().get("/")

    with django_assert_num_queries(1):
        for _ in range(2):
            render_to_string("includes/map.html", {"geojson_url": "/g"}, request=request)


def test_leaflet_and_the_map_script_are_static_files_of_the_app():
    for path in ("leaflet/leaflet.js", "leaflet/leaflet.css", "js/map.js"):
        assert finders.find(path), path


def test_map_include_loads_only_local_files_and_no_inline_script_or_style():
    html = render_map()

    assert_shows(
        html,
        shown=[
            '<script src="/static/leaflet/leaflet.js" defer></script>',
            '<script src="/static/js/map.js" defer></script>',
            '<link rel="stylesheet" href="/static/leaflet/leaflet.css">',
        ],
    )
    for tag, attribute in re.findall(r"<(script|link)\b[^>]*\b(?:src|href)=\"([^\"]*)\"", html):
        assert attribute.startswith("/static/"), (tag, attribute)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_map_script_fetches_no_third_party_code():
    script = static_text("js/map.js")

    assert not re.search(r"https?://", script)
    assert "data-map" in script or "[data-map]" in script
    assert "innerHTML" not in script


def test_map_offers_its_data_without_javascript():
    html = render_map("/sites/export.geojson?category=mosque")

    assert '<a href="/sites/export.geojson?category=mosque" type="application/geo+json">' in html


def test_home_page_includes_the_map_of_sites(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    text = response.text
    assert '<h2 id="map-of-sites">Map of sites</h2>' in text
    container = map_container(text)
    assert f'data-geojson-url="{reverse("site-export-geojson")}"' in container
    assert "/static/js/map.js" in text
    # The map comes after the first paragraph and before the other sections.
    assert text.index('class="lead"') < text.index("map-of-sites") < text.index("by-condition")
