"""Browser tests: Playwright driving the system's Chromium against a live test server.

Chromium is taken from the system (``CHROMIUM_PATH``, default ``/usr/bin/chromium``); no
browser is downloaded. Without it these tests are skipped, unless ``REQUIRE_BROWSER=1``
(set by CI) turns the absence into a failure. Every request to a host other than the
test server is aborted, so no test depends on the network (map tiles included).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

import tests.browser.serialized_server  # noqa: F401  (the live server, one request at a time on SQLite)
from tests.browser.waiting import close_and_wait_for_the_server

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def allow_database_under_event_loop():
    """Playwright's synchronous API runs an event loop in the test's thread; Django would
    otherwise refuse the test's own database queries there. Set only while browser tests
    run, so that no other test (or process it starts) inherits it."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(allow_database_under_event_loop):
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (set CHROMIUM_PATH)."
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page that may only reach the live test server."""
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    allowed = urlsplit(live_server.url).netloc

    def only_local(route):
        if urlsplit(route.request.url).netloc == allowed:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    yield page
    close_and_wait_for_the_server(context)


@pytest.fixture
def demo(vocabularies):
    """The demo data, on top of the vocabularies."""
    call_command("load_demo", verbosity=0)
