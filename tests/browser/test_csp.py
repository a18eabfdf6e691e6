"""The Content-Security-Policy, enforced by a real browser, breaks nothing: the home page, a
site's dossier with its map (Leaflet from /static/leaflet/, tiles from MAP_TILE_URL's origin,
GeoJSON fetched from this site), and the admin after logging in. Every
``securitypolicyviolation`` event and every console message about the policy is collected;
there must be none."""

import json

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "a long admin passphrase"

#: Reports each violation to the test, then counts it in ``window.reportedViolations`` once
#: the test has it, so that a test can wait for a report instead of for a fixed time.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(JSON.stringify({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
    page: document.location.pathname,
  })).then(() => {
    window.reportedViolations = (window.reportedViolations || 0) + 1;
  });
});
"""


@pytest.fixture
def curator(demo):
    """An administrator of the register with the demo data."""
    get_user_model().objects.create_superuser("curator", "curator@register.example", PASSWORD)


@pytest.fixture
def violations(page):
    """Policy violations seen by the page, from the browser's events and its console."""
    seen = []
    page.expose_function("reportViolation", lambda report: seen.append(json.loads(report)))
    page.add_init_script(REPORT_VIOLATIONS)

    def on_console(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            seen.append({"console": message.text})

    page.on("console", on_console)
    return seen


def enforced_policy(response):
    """The policy the browser received, which must be enforced rather than report-only."""
    headers = response.all_headers()
    assert "content-security-policy-report-only" not in headers
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    return policy


def test_home_page_and_its_map_work_under_the_policy(page, demo, violations):
    response = page.goto("/")
    enforced_policy(response)
    expect(page.locator(".map.map--ready")).to_be_visible()
    expect(page.locator(".map .map-marker").first).to_be_visible()
    # Leaflet asked for tiles at the tile server (the test aborts them: no network here).
    wait_until(page, "() => document.querySelectorAll('.leaflet-tile').length > 0")
    assert violations == []


def test_dossier_with_its_map_works_under_the_policy(page, demo, violations):
    with page.expect_response(lambda response: "export.geojson" in response.url) as geojson:
        response = page.goto("/sites/gargabazar-mosque/")
    enforced_policy(response)
    assert geojson.value.ok
    expect(page.locator(".map.map--ready")).to_be_visible()
    expect(page.locator(".map .map-marker")).to_have_count(1)
    page.locator(".map .map-marker").click()
    expect(page.locator(".leaflet-popup .map-popup-name")).to_have_text("Gargabazar Mosque")
    assert violations == []


def test_site_listing_in_arabic_works_under_the_policy(page, demo, violations):
    page.goto("/sites/?category=mosque")
    page.locator(".language-switcher a[hreflang=ar]").click()
    page.wait_for_url("**/ar/sites/?category=mosque")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".map.map--ready")).to_be_visible()
    assert violations == []


def test_admin_works_under_the_policy_after_logging_in(page, curator, violations):
    response = page.goto("/admin/")
    enforced_policy(response)
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#site-name")).to_be_visible()
    assert page.url.endswith("/admin/")

    # A list with its actions, filters and search.
    page.goto("/admin/heritage/site/")
    expect(page.locator("#changelist")).to_be_visible()
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("selected")  # actions.js ran

    # A form with inlines and date widgets: the admin's scripts add their controls.
    page.goto("/admin/inspections/assessment/add/")
    expect(page.locator(".datetimeshortcuts").first).to_be_visible()  # calendar widget
    page.goto("/admin/heritage/site/add/")
    expect(page.locator(".add-row a").first).to_be_visible()  # inline "Add another"

    # An existing record's change form.
    page.goto("/admin/heritage/site/")
    page.get_by_role("link", name="Gargabazar Mosque").first.click()
    expect(page.locator("#content h2, #content h1").first).to_be_visible()
    assert violations == []


def test_a_violation_would_be_seen(page, demo, violations):
    """The collection above works: an inline script, refused by the policy, is reported."""
    page.goto("/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.appendChild(s); }"
    )
    wait_until(page, "() => window.reportedViolations > 0")
    assert page.evaluate("window.ran === undefined")
    assert any(report.get("directive") == "script-src-elem" for report in violations)


def test_the_dossiers_json_ld_block_is_data_under_the_policy(page, demo, violations):
    """The schema.org block is read as data (not run), so the policy has nothing to refuse."""
    response = page.goto("/sites/gargabazar-mosque/")
    enforced_policy(response)
    block = page.locator('script[type="application/ld+json"]')
    expect(block).to_have_count(1)
    description = json.loads(block.text_content())
    assert description["about"]["name"] == "Gargabazar Mosque"
    expect(page.locator(".map.map--ready")).to_be_visible()
    assert violations == []
