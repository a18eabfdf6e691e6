"""Waiting in browser tests: for a condition in a page that runs under the
Content-Security-Policy, and for the live server to finish what a closed page asked of it."""

import threading
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


def close_and_wait_for_the_server(context, timeout=10.0):
    """Close ``context``, then wait (up to ``timeout`` s) until the live server has answered
    every request its pages made.

    A test's database is emptied as the test ends (``TRUNCATE`` on PostgreSQL), and a page's
    script may still be fetching when the test has seen what it looks for. A request the
    server was still answering then held locks on the tables it had read, and PostgreSQL
    ended the emptying as a deadlock; on SQLite the server shares the test's in-memory
    connection, which must not be used by two threads at once. Closing the browser's side
    does not stop the server's: each connection is answered in a thread of its own
    (``socketserver.ThreadingMixIn``), which ends once its last request is answered."""
    context.close()
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(max(0.0, deadline - time.monotonic()))
