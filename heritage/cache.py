"""A version number of the register's public content, for caching what is costly to count.

Every save or deletion of a record of the register (and every change to a many-to-many
relation between them) raises the version; cached results are stored under keys that carry
it, so an edit makes them unreachable at once, on every app server that shares the cache
(Redis in production). Cached entries also expire after ``TIMEOUT`` seconds, which bounds
how stale a result can be after a write that sends no signal (raw SQL, ``QuerySet.update``).

A second, narrower version, the *counts version*, changes only when what the statistics are
made of changes: the maintained counts of sites (``inspections.counts`` raises it when it
writes them), the places and their names, and the overall-condition terms. What is cached
under it (``cached_counts``, and template fragments that carry it) outlives edits that move
no number, such as a site's description or a source's title, which are most edits.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.models import HistoricalChanges

VERSION_KEY = "register:version"
COUNTS_VERSION_KEY = "register:counts-version"
#: The apps whose records raise the version. Inspections' models are reached through the app
#: registry by label (``connect``), since heritage may not import the apps above it.
REGISTER_APPS = ("heritage", "inspections")
#: Models that nothing cached reads (the dossier and visit pages, which show evidence, are
#: not cached): uploading photos after a visit leaves the cached counts and options alone.
#: A cached result that reads one of them must take it off this list.
UNCACHED_MODELS = {"inspections.evidence", "inspections.evidencetranslation"}
#: Tables derived from other records (the latest assessments, the counts of sites), written
#: only together with a change of those records, which raises the version: their rows are
#: rewritten by the hundred, and a signal a row would make each write cost a query a row.
#: What rebuilds them whole raises the version itself.
DERIVED_MODELS = {
    "inspections.sitestatus",
    "inspections.sitecount",
    "inspections.assessmentmonthcount",
    "inspections.damageyearcount",
    "inspections.mapcell",
}
#: Models besides the counts themselves whose saves and deletions raise the counts version:
#: what the statistics show beside the numbers (the areas' names, the conditions' labels).
COUNTS_SOURCES = {"heritage.place", "heritage.placename", "inspections.overallcondition"}
#: Seconds a cached result may live at most.
TIMEOUT = 300


#: The versions read once for the whole of a request that only reads
#: (``reading_at_one_version``): {key: version}.
PINNED_VERSIONS = ContextVar("register_versions", default=None)


def read_version(key):
    pinned = PINNED_VERSIONS.get()
    if pinned is not None and key in pinned:
        return pinned[key]
    version = cache.get(key)
    if version is None:
        cache.add(key, 1, timeout=None)
        version = cache.get(key, 1)
    if pinned is not None:
        pinned[key] = version
    return version


def current_version():
    """The register's version: raised by every change of a record of the register."""
    return read_version(VERSION_KEY)


def counts_version():
    """The counts version (see the module's docstring)."""
    return read_version(COUNTS_VERSION_KEY)


@contextmanager
def reading_at_one_version():
    """Read each version once for what runs inside (a GET of a public page, which asks for
    the register's version for its ETag and again for each cached part): one cache read
    each, not a dozen. A write inside still raises the versions for everyone else."""
    token = PINNED_VERSIONS.set({})
    try:
        yield
    finally:
        PINNED_VERSIONS.reset(token)


def raise_version(key):
    try:
        cache.incr(key)
    except ValueError:  # no version stored yet (or evicted): start one
        cache.add(key, 1, timeout=None)


def bump_version(**kwargs):
    raise_version(VERSION_KEY)


def bump_counts_version(**kwargs):
    """Raise the counts version now, and again once the transaction commits, so that a
    page made in between from the counts as they were is not kept under the new one."""
    raise_version(COUNTS_VERSION_KEY)
    transaction.on_commit(lambda: raise_version(COUNTS_VERSION_KEY))


def cached(name, compute):
    """The result of ``compute()``, cached under ``name`` and the current register version."""
    return cached_under(f"register:{name}:{current_version()}", compute)


def cached_counts(name, compute):
    """The result of ``compute()``, cached under ``name`` and the current counts version:
    ``compute`` may read only the maintained counts and the ``COUNTS_SOURCES``."""
    return cached_under(f"counts:{name}:{counts_version()}", compute)


def cached_under(key, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=TIMEOUT)
    return value


def connect():
    """Raise the version whenever a record of the register changes.

    History rows are left out (each comes with a save of its record, which raises the
    version), as are the ``UNCACHED_MODELS`` and the ``DERIVED_MODELS``.
    """
    for label in REGISTER_APPS:
        for model in apps.get_app_config(label).get_models():
            label_lower = model._meta.label_lower
            if (
                label_lower in UNCACHED_MODELS
                or label_lower in DERIVED_MODELS
                or issubclass(model, HistoricalChanges)
            ):
                continue
            post_save.connect(bump_version, sender=model, dispatch_uid=f"bump-save-{model}")
            post_delete.connect(bump_version, sender=model, dispatch_uid=f"bump-del-{model}")
            if label_lower in COUNTS_SOURCES:
                for signal, uid in ((post_save, "save"), (post_delete, "del")):
                    signal.connect(
                        bump_counts_version, sender=model, dispatch_uid=f"counts-{uid}-{model}"
                    )
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    bump_version,
                    sender=field.remote_field.through,
                    dispatch_uid=f"bump-m2m-{field.remote_field.through}",
                )
