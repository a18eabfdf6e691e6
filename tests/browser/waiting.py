"""Waiting for a condition in a page that runs under the Content-Security-Policy."""

import time


def wait_until(page, expression, arg=None, timeout=10.0):
    """Wait until ``expression`` (a function of ``arg``) is truthy in ``page``.

    Playwright's ``wait_for_function`` re-evaluates its predicate inside the page with
    ``eval``, which our Content-Security-Policy refuses, so it fails whenever the first check
    is false. ``page.evaluate`` goes through the browser's debugging protocol, which the
    policy does not govern; polling with it waits without weakening the policy under test.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"Still false after {timeout} s: {expression}")
        page.wait_for_timeout(50)
