"""The API's docs (Swagger UI from the sidecar package) render in a real browser under the
site's enforced Content-Security-Policy, with no violation: the only change the docs page
makes to the policy is to allow the ``data:`` images of Swagger UI's stylesheet."""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

#: Hands every ``securitypolicyviolation`` event of the page to the test.
COLLECT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.apiDocsViolation(JSON.stringify({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    sample: event.sample,
  }));
});
"""


def test_the_api_docs_render_under_the_policy(page, demo):
    violations = []
    page.expose_function("apiDocsViolation", lambda report: violations.append(json.loads(report)))
    page.add_init_script(COLLECT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and violations.append({"console": message.text})
        ),
    )
    response = page.goto("/api/v1/docs/")
    policy = response.all_headers()["content-security-policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    # Swagger UI fetched the schema and lists the operations.
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/sites/").first).to_be_visible()
    wait_until(page, "() => document.querySelectorAll('.opblock').length >= 16")
    assert violations == []
