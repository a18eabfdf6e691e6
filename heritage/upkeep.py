"""Holding off the upkeep that signal receivers do after each save while a whole database is
loaded, so that it is done once, afterwards.

The receivers of ``heritage``, ``inspections`` and the cache keep derived rows (the search's
words, the sites' statuses, the maintained counts, the map's cells, the projects' flags of
their sites' publication) and the cached versions in step with each save, as an edit: they
read the row as it was stored, recount the sites around it and raise versions, tens of
queries a row. A restore saves every row of a register one raw save at a time, which sends
``pre_save`` and ``post_save`` too: a restore of the 10,000-site synthetic register was still
loading after 37 minutes on SQLite (76 s without them), and their work grows with the
register. Within ``loading()`` the receivers marked
``@not_while_loading`` return at once, and the loader derives those rows again whole and
raises every version (``operations.backups.restore``).
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

_LOADING = ContextVar("whole_database_loading", default=False)


@contextmanager
def loading():
    """Within this block the receivers marked ``@not_while_loading`` do nothing: the caller
    derives again what they keep once the rows are in."""
    token = _LOADING.set(True)
    try:
        yield
    finally:
        _LOADING.reset(token)


def not_while_loading(receiver):
    """Make the signal receiver ``receiver`` do nothing within ``loading()``. Put it below
    ``@receiver``, which must register the function it returns."""

    @wraps(receiver)
    def receive(*args, **kwargs):
        if _LOADING.get():
            return None
        return receiver(*args, **kwargs)

    return receive
