"""A version number of the register's public content, for caching what is costly to count.

Every save or deletion of a record of the register (and every change to a many-to-many
relation between them) raises the version; cached results are stored under keys that carry
it, so an edit makes them unreachable at once, on every app server that shares the cache
(Redis in production). Cached entries also expire after ``TIMEOUT`` seconds, which bounds
how stale a result can be after a write that sends no signal (raw SQL, ``QuerySet.update``).
"""

from django.apps import apps
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.models import HistoricalChanges

VERSION_KEY = "register:version"
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
#: Seconds a cached result may live at most.
TIMEOUT = 300


def current_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_version(**kwargs):
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version stored yet (or evicted): start one
        cache.add(VERSION_KEY, 1, timeout=None)


def cached(name, compute):
    """The result of ``compute()``, cached under ``name`` and the current register version."""
    key = f"register:{name}:{current_version()}"
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
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    bump_version,
                    sender=field.remote_field.through,
                    dispatch_uid=f"bump-m2m-{field.remote_field.through}",
                )
