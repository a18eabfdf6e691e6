"""Expressions that read or write some of the top-level entries of a JSON field, on
PostgreSQL and SQLite, without the whole value travelling: the map's cells
(``inspections.map_cells``) hold tens of kilobytes of counts each, of which the map reads a
few keys and an edit changes a few."""

import json

from django.db.models import F, Func, JSONField


class PickedKeys(Func):
    """The object of the entries of ``keys`` in the JSON ``field`` of each row (None when it
    holds none of them), picked out by the database from the value unpacked once. Asked for
    one by one (``field -> key``), PostgreSQL unpacked the stored value again for each key,
    and read whole, Python decoded every key of it: at 500,000 sites, a district's cells at
    zoom 10 hold 9 KB of years each, and the years since 2021 of its box took 0.15 s of
    database time one by one, or 0.15 s of decoding whole."""

    output_field = JSONField()

    def __init__(self, field, keys):
        super().__init__(F(field))
        self.keys = list(keys)

    def as_sql(self, compiler, connection, **extra_context):
        raise NotImplementedError(f"PickedKeys has no SQL for {connection.vendor}.")

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        picked = (
            f"(SELECT jsonb_object_agg(entry.key, entry.value) FROM jsonb_each({sql}) AS entry"
            " WHERE entry.key = ANY(%s))"
        )
        return picked, (*params, self.keys)

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        marks = ", ".join(["%s"] * len(self.keys))
        picked = (
            "(SELECT json_group_object(entry.key, json(entry.value)) "
            f"FROM json_each({sql}) AS entry WHERE entry.key IN ({marks}))"
        )
        return picked, (*params, *self.keys)


class PatchedEntries(Func):
    """The JSON ``field`` of a row with the top-level ``entries`` ({key: value}) set, each
    value replacing the stored one whole, and the keys of ``removed`` taken out; the other
    entries as they are. An UPDATE's value: the database changes the stored value, which
    neither Python nor the connection carry whole."""

    output_field = JSONField()

    def __init__(self, field, entries, removed=()):
        super().__init__(F(field))
        self.entries = dict(entries)
        self.removed = sorted(set(removed) - self.entries.keys())

    def as_sql(self, compiler, connection, **extra_context):
        raise NotImplementedError(f"PatchedEntries has no SQL for {connection.vendor}.")

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        patched = f"(({sql} - %s::text[]) || %s::jsonb)"
        return patched, (*params, self.removed, json.dumps(self.entries))

    def as_sqlite(self, compiler, connection, **extra_context):
        # json_patch merges an object into the stored one member by member (RFC 7396), a
        # null removing one: every key is removed first, then those set are added, so that
        # an object set replaces the stored one rather than merging into it.
        sql, params = compiler.compile(self.source_expressions[0])
        cleared = dict.fromkeys([*self.entries, *self.removed])
        patched = f"json_patch(json_patch({sql}, %s), %s)"
        return patched, (*params, json.dumps(cleared), json.dumps(self.entries))
