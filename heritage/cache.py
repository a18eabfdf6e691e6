"""A version number of the register's public content, for caching what is costly to count.

Every save or deletion of a record of the register (and every change to a many-to-many
relation between them) raises the version; cached results are stored under keys that carry
it, so an edit makes them unreachable at once, on every app server that shares the cache
(Redis in production). Cached entries also expire after ``TIMEOUT`` seconds, which bounds
how stale a result can be after a write that sends no signal (raw SQL, ``QuerySet.update``).

Narrower versions change only when what the statistics and the filters' options are made of
changes, so that what is cached under them outlives edits that move no number, such as a
site's description or a source's title, which are most edits:

- the *places version*, raised by saves and deletions of the places, their names and the
  overall-condition terms (``COUNTS_SOURCES``): the place tree, the names of areas and the
  terms are cached under it (``cached_places``);
- a version of each table of maintained counts (``COUNT_TABLES``), raised by
  ``inspections.counts`` when it writes that table's rows: an edit that moves the counts of
  sites by category leaves the counts by month of assessment as they are;
- a version of each place's rows of each table, raised with it for the places whose rows
  the write changed: what is summed place by place (the districts of the statistics) is
  cached a place at a time (``cached_by_place``), and an edit in one district leaves the
  others' sums as they are;
- a version of each group of models (``MODEL_GROUPS``), raised by the saves and deletions
  of those models and by the changes of their many-to-many relations: what is made of them
  alone (the options of a filter's select, a filter form) is cached under it
  (``versions_of``), and outlives the edits of every other record.

``counts_version(*tables)`` joins the places version and those of the tables a result is
made of (of all of them if none is named); ``cached_counts`` and the statistics page's
template fragments are keyed by it.
"""

import sys
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.models import HistoricalChanges

from heritage.upkeep import not_while_loading

VERSION_KEY = "register:version"
COUNTS_VERSION_KEY = "register:counts-version:{table}"
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
    "inspections.assessedyearcount",
    "inspections.damageyearcount",
    "inspections.mapcell",
    "inspections.mapcellyear",
}
#: Models whose saves and deletions raise the places version: what the statistics show beside
#: the numbers (the areas and their names, the conditions' labels).
COUNTS_SOURCES = {"heritage.place", "heritage.placename", "inspections.overallcondition"}
#: The tables of maintained counts, each with a version of its own (by label: heritage may
#: not import inspections).
COUNT_TABLES = (
    "inspections.sitecount",
    "inspections.assessmentmonthcount",
    "inspections.assessedyearcount",
    "inspections.damageyearcount",
    "inspections.citedsourcecount",
)
PLACES_VERSION_KEY = "register:places-version"
#: Groups of models, each with a version of its own (see the module's docstring), by label.
MODEL_GROUPS = {
    # The organisations, by name.
    "organisations": {"heritage.organisation"},
    # Who made or took part in a published assessment. A site's publication or withdrawal
    # changes it too (``SITE_PUBLICATION_GROUPS``).
    "assessors": {"heritage.organisation", "inspections.assessment", "inspections.visit"},
    # Where published visits went, and the names of those places.
    "visit-places": {"heritage.place", "heritage.placename", "inspections.visit"},
    # The vocabulary terms an assessment shows beside it, read from the cache rather than
    # joined to each assessment (``inspections.models.querysets.WithTerms``).
    "terms": {
        "inspections.assessmenttype",
        "inspections.overallcondition",
        "inspections.damageextent",
        "inspections.damagetrend",
        "inspections.priority",
    },
    # The words close matches are looked for among. They are added by bulk inserts, which
    # send no post_save: ``heritage.signals.add_search_words`` raises it when it adds one.
    "search-words": {"heritage.searchword"},
    # The reported figures, their sources and who reported them (their areas and the counts
    # beside them are the places' and the counts' versions).
    "figures": {"heritage.reportedfigure", "heritage.source", "heritage.organisation"},
    # What the register of sources lists and counts: the sources, their publishers, and
    # whether a public record cites each (``public.source_selectors.cited_condition``): the
    # records that cite and the assessments and visits they hang off. A site's publication
    # or withdrawal changes it too (``SITE_PUBLICATION_GROUPS``).
    "citing": {
        "heritage.source",
        "heritage.organisation",
        "heritage.sitecitation",
        "heritage.siteclaim",
        "heritage.sitename",
        "heritage.reportedfigure",
        "inspections.assessment",
        "inspections.assessmentcitation",
        "inspections.visit",
        "inspections.visitcitation",
        "inspections.visitevent",
        "inspections.statement",
    },
}
#: The groups that a site's publication, withdrawal, creation or deletion changes besides its
#: own: ``inspections.counts``, which reads a site's state before each save, raises them.
SITE_PUBLICATION_GROUPS = ("assessors", "citing")
GROUP_VERSION_KEY = "register:group-version:{group}"
#: The version of one place's rows of a table of counts, and that of the whole table's rows
#: together (raised only when they are all rewritten).
PLACE_COUNTS_KEY = "register:counts-version:{table}:{place}"
COUNTS_EPOCH_KEY = "register:counts-epoch:{table}"
#: Seconds a cached result may live at most.
TIMEOUT = 300


#: The versions read once for the whole of a request that only reads
#: (``reading_at_one_version``): {key: version}.
PINNED_VERSIONS = ContextVar("register_versions", default=None)
#: What ``kept_for_request`` gave in that request: {key: value}, read from the cache once.
REQUEST_VALUES = ContextVar("register_request_values", default=None)


def usual_version_keys():
    """The versions most pages read, read together with the first version a request at one
    version asks for (``read_versions``): the register's, the places', those of the tables
    of counts and of the groups of models, and those added by ``read_early``."""
    return [
        VERSION_KEY,
        PLACES_VERSION_KEY,
        *(COUNTS_VERSION_KEY.format(table=label) for label in COUNT_TABLES),
        *(GROUP_VERSION_KEY.format(group=group) for group in MODEL_GROUPS),
        *EARLY_KEYS,
    ]


#: Versions of the apps above, read with the usual ones (``read_early``).
EARLY_KEYS = []


def read_early(*keys):
    """Read the versions under ``keys`` (kept as ``read_versions`` keeps them, a missing one
    starting at ``first_version()``) with the first read of versions of a request at one
    version, beside the usual ones: one round trip to the cache for them all."""
    EARLY_KEYS.extend(key for key in keys if key not in EARLY_KEYS)


def read_version(key):
    return read_versions([key])[0]


def read_versions(keys):
    """The versions stored under ``keys``, in one read of the cache for those not yet read
    in this request (a version that is missing starts at ``first_version()``). The first
    read of a request at one version reads the usual versions too (``usual_version_keys``):
    a page asks for several of them, one part at a time, and each read of the cache is a
    round trip."""
    pinned = PINNED_VERSIONS.get()
    found = {key: pinned[key] for key in keys if pinned is not None and key in pinned}
    missing = [key for key in keys if key not in found]
    if pinned == {}:
        missing += [key for key in usual_version_keys() if key not in missing]
    if missing:
        stored = cache.get_many(missing)
        lost = [key for key in missing if key not in stored]
        if lost:
            stored.update(start_versions(lost))
        for key in missing:
            found[key] = stored[key]
            if pinned is not None:
                pinned[key] = stored[key]
    return [found[key] for key in keys]


def first_version():
    """What a version that the cache does not hold starts at: the time in microseconds. A
    version the cache lost (a restart of Redis, a ``clear``) thus starts again above any value
    it held before, so that no key made under an old version is made again: a process may
    still hold what it read under such a key (the near copies of ``config.cache``)."""
    return time.time_ns() // 1000


def start_versions(keys):
    """{key: version} of ``keys``, which held no version when read: each starts at
    ``first_version()``, unless another process started or raised it meanwhile, and is read
    again. A cleared cache has lost every version, and a page may read a few dozen (one a
    district): where the cache offers ``add_many`` (``config.cache.RedisCache``), that is
    two round trips in all rather than two a version."""
    first = first_version()
    add_many = getattr(cache, "add_many", None)
    if add_many is not None:
        add_many(dict.fromkeys(keys, first), timeout=None)
    else:
        for key in keys:
            cache.add(key, first, timeout=None)
    stored = cache.get_many(keys)
    return {key: stored.get(key, first) for key in keys}


def current_version():
    """The register's version: raised by every change of a record of the register."""
    return read_version(VERSION_KEY)


def places_version():
    """The places version (see the module's docstring)."""
    return read_version(PLACES_VERSION_KEY)


def counts_version(*tables):
    """The version of what is made of the places and of the counts of ``tables`` (models of
    ``COUNT_TABLES``, or their labels; all of them if none is given), as a string for cache
    keys."""
    labels = [table_label(table) for table in tables] or list(COUNT_TABLES)
    for label in labels:
        if label not in COUNT_TABLES:
            raise ValueError(f"{label!r} is not a table of maintained counts")
    keys = [COUNTS_VERSION_KEY.format(table=label) for label in labels]
    return "-".join(str(version) for version in read_versions([PLACES_VERSION_KEY, *keys]))


def versions_of(*groups):
    """The versions of the model ``groups`` (names of ``MODEL_GROUPS``), as one string for
    cache keys, in one read of the cache."""
    for group in groups:
        if group not in MODEL_GROUPS:
            raise ValueError(f"{group!r} is not a group of models")
    keys = [GROUP_VERSION_KEY.format(group=group) for group in groups]
    return "-".join(str(version) for version in read_versions(keys))


@contextmanager
def reading_at_one_version():
    """Read each version once for what runs inside (a GET of a public page, which asks for
    the register's version for its ETag and again for each cached part), the usual ones in
    the same read as the first (``read_versions``), and each value of ``cached_places``
    and ``cached_counts`` once: one read of the cache, not a dozen. A write inside still
    raises the versions for everyone else."""
    token, values_token = PINNED_VERSIONS.set({}), REQUEST_VALUES.set({})
    try:
        yield
    finally:
        REQUEST_VALUES.reset(values_token)
        PINNED_VERSIONS.reset(token)


def raise_version(key):
    try:
        cache.incr(key)
    except ValueError:  # no version stored yet (or evicted): start one
        cache.add(key, first_version(), timeout=None)


def bump_version(**kwargs):
    raise_version(VERSION_KEY)


def bump_counts_version(table, places=None):
    """Raise the version of the counts ``table`` (a model or its label) now, and again once
    the transaction commits, so that a page made in between from the counts as they were is
    not kept under the new one. ``places``: the ids of the places whose rows changed, whose
    own versions rise too (``cached_by_place``); None when every row may have (a rebuild)."""
    label = table_label(table)
    keys = [COUNTS_VERSION_KEY.format(table=label)]
    if places is None:
        keys.append(COUNTS_EPOCH_KEY.format(table=label))
    else:
        keys += [PLACE_COUNTS_KEY.format(table=label, place=place) for place in places]
    raise_now_and_on_commit(keys)


def raise_now_and_on_commit(keys):
    """Raise the versions stored under ``keys`` now, and again once the transaction
    commits: a page made in between from the records as they were is then not kept under
    the new versions."""

    def raise_all():
        for key in keys:
            raise_version(key)

    raise_all()
    transaction.on_commit(raise_all)


def table_label(table):
    return getattr(getattr(table, "_meta", None), "label_lower", table)


def bump_places_version(**kwargs):
    """Raise the places version, now and once the transaction commits (as above)."""
    raise_now_and_on_commit([PLACES_VERSION_KEY])


def cached(name, compute):
    """The result of ``compute()``, cached under ``name`` and the current register version."""
    return cached_under(f"register:{name}:{current_version()}", compute)


def cached_counts(name, compute, tables=()):
    """The result of ``compute()``, cached under ``name`` and ``counts_version(*tables)``:
    ``compute`` may read only the maintained counts of ``tables`` (all of them if none is
    given) and the ``COUNTS_SOURCES``. Read from the cache once a request
    (``kept_for_request``)."""
    return kept_for_request(f"counts:{name}:{counts_version(*tables)}", compute)


def cached_by_place(name, table, place_ids, compute):
    """{place id: value} for ``place_ids``, each place's value cached under ``name`` and the
    version of that place's rows of the counts ``table``: after an edit only the places
    whose counts it moved are computed again, by ``compute(ids)``, which must give
    {place id: value} for each of ``ids``, reading nothing but their rows of ``table``."""
    label = table_label(table)
    ids = sorted(place_ids)
    epoch, *versions = read_versions(
        [
            COUNTS_EPOCH_KEY.format(table=label),
            *(PLACE_COUNTS_KEY.format(table=label, place=place) for place in ids),
        ]
    )
    keys = {
        place: f"place-counts:{name}:{label}:{place}:{epoch}-{version}"
        for place, version in zip(ids, versions, strict=True)
    }
    stored = cache.get_many(list(keys.values()))
    found = {place: stored[key] for place, key in keys.items() if key in stored}
    missing = [place for place in ids if place not in found]
    if missing:
        computed = compute(missing)
        cache.set_many({keys[place]: computed[place] for place in missing}, timeout=TIMEOUT)
        found.update((place, computed[place]) for place in missing)
    return found


def bump_groups(sender, **kwargs):
    """Raise the versions of the groups of ``sender`` (a model of ``MODEL_GROUPS``, or the
    table of one of their many-to-many relations), now and once the transaction commits."""
    raise_groups(*GROUPS_BY_SENDER.get(sender, ()))


def raise_groups(*groups):
    """Raise the versions of the model ``groups``, now and once the transaction commits."""
    raise_now_and_on_commit([GROUP_VERSION_KEY.format(group=group) for group in groups])


def raise_every_version():
    """Raise the register's version, the places version and every group's, now and once the
    transaction commits: after a load of a whole database, whose saves raise none of them
    (``heritage.upkeep``). The versions of the tables of counts and the map's rise with their
    rebuilds."""
    raise_now_and_on_commit(
        [
            VERSION_KEY,
            PLACES_VERSION_KEY,
            *(GROUP_VERSION_KEY.format(group=group) for group in MODEL_GROUPS),
        ]
    )


def raise_after_migrate(sender, stdout=None, **kwargs):
    """Raise every version once ``manage.py migrate`` has run, as a release runs it (connected
    to ``post_migrate`` by ``HeritageConfig``): a data migration writes records without
    raising the versions of what is cached of them, and a page's ETag and Last-Modified
    (``public.http_cache``) are made of the versions, so a browser or a shared cache asking
    again would otherwise be answered 304, keeping the previous release's page, until the
    next edit. A cache that does not answer is reported, not fatal: the migrations are
    applied either way."""
    try:
        raise_every_version()
    except Exception as error:  # any failure of the cache's server
        (stdout or sys.stderr).write(
            f"The cache did not answer ({error}): pages it keeps may show what they showed "
            f"before this migration until they expire (CACHE_TIMEOUT).\n"
        )


#: What ``connect`` connects to the signals of the register's models: the functions above,
#: doing nothing while a whole database is loaded (``heritage.upkeep``).
version_receiver = not_while_loading(bump_version)
places_receiver = not_while_loading(bump_places_version)
groups_receiver = not_while_loading(bump_groups)


#: {model or many-to-many table: the names of its groups}, filled by ``connect``.
GROUPS_BY_SENDER = {}


def cached_places(name, compute):
    """The result of ``compute()``, cached under ``name`` and the places version:
    ``compute`` may read only the ``COUNTS_SOURCES``. Read from the cache once a request
    (``kept_for_request``): the place tree is asked for by several parts of a page."""
    return kept_for_request(f"places:{name}:{places_version()}", compute)


def kept_for_request(key, compute):
    """``cached_under(key, compute)``, read from the cache once in a request at one version
    (``reading_at_one_version``) and shared by whatever asks for it again: it must not be
    changed."""
    values = REQUEST_VALUES.get()
    if values is None:
        return cached_under(key, compute)
    if key not in values:
        values[key] = cached_under(key, compute)
    return values[key]


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
            post_save.connect(version_receiver, sender=model, dispatch_uid=f"bump-save-{model}")
            post_delete.connect(version_receiver, sender=model, dispatch_uid=f"bump-del-{model}")
            if label_lower in COUNTS_SOURCES:
                for signal, uid in ((post_save, "save"), (post_delete, "del")):
                    signal.connect(
                        places_receiver, sender=model, dispatch_uid=f"places-{uid}-{model}"
                    )
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    version_receiver,
                    sender=field.remote_field.through,
                    dispatch_uid=f"bump-m2m-{field.remote_field.through}",
                )
            connect_groups(model)


def connect_groups(model):
    """Raise the versions of the groups ``model`` belongs to when it, or one of its
    many-to-many relations, changes."""
    groups = {group for group, labels in MODEL_GROUPS.items() if model._meta.label_lower in labels}
    if not groups:
        return
    senders = [model, *(field.remote_field.through for field in model._meta.local_many_to_many)]
    for sender in senders:
        GROUPS_BY_SENDER.setdefault(sender, set()).update(groups)
    for signal, uid in ((post_save, "save"), (post_delete, "del")):
        signal.connect(groups_receiver, sender=model, dispatch_uid=f"groups-{uid}-{model}")
    for through in senders[1:]:
        m2m_changed.connect(groups_receiver, sender=through, dispatch_uid=f"groups-m2m-{through}")
    # An import writes its records with bulk queries, which send no post_save.
    from heritage.imports.writing import post_bulk_save

    post_bulk_save.connect(groups_receiver, sender=model, dispatch_uid=f"groups-bulk-{model}")
