"""Records made once for the tests of a module, rather than once a test.

``once_a_module`` makes them inside a transaction that stays open until the module's last
test has run and is then rolled back; each test runs in a savepoint of it (pytest-django's
``db`` enters its atomic blocks inside the open one) and leaves the records as they were
made, as ``django.test.TestCase.setUpTestData`` does for the tests of a class. The records'
Python objects are not handed to the tests: a test that changed one in memory would change
it for the next.
"""

import sys

from django.db import transaction

#: Fixtures that make a test commit what it writes, as pytest-django names them.
COMMITTING_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def transactional(item):
    """Whether the test ``item`` commits what it writes (a live server's, a transactional
    test's): such a test cannot run inside a transaction that another test left open."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and any(
        marker.kwargs.get(name)
        for name in ("transaction", "reset_sequences", "serialized_rollback")
    ):
        return True
    return not COMMITTING_FIXTURES.isdisjoint(item.fixturenames)


def once_a_module(request, django_db_blocker, make):
    """A generator for a module-scoped fixture (``yield from``): calls ``make()`` once for the
    module ``request`` is of and yields True, or, when a test of the module commits
    (``transactional``), makes nothing and yields False (each test must then make its own)."""
    module = request.node.obj
    if any(
        transactional(item)
        for item in request.session.items
        if getattr(item, "module", None) is module
    ):
        yield False
        return
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            make()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield True
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
