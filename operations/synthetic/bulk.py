"""Loading millions of rows quickly: plain-row inserts, and on PostgreSQL indexes and foreign
keys dropped for the load and made again afterwards."""

from django.core.management.color import no_style
from django.db import connection

#: Memory PostgreSQL may use to build each index after the load.
INDEX_BUILD_MEMORY = "256MB"


class TableWriter:
    """Fast inserts of plain rows into one model's table, bypassing model instances.

    The ORM's ``bulk_create`` spends most of its time building and preparing model
    instances; for millions of rows this writes tuples instead: ``COPY`` on PostgreSQL and
    ``executemany`` elsewhere. Ids are assigned here, from the table's current maximum, so
    that child rows can refer to their parents without reading them back. Columns not given
    take the field's default.
    """

    def __init__(self, model):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.columns = [field.column for field in self.fields]
        self.defaults = [
            None if field.primary_key else field.get_default() for field in self.fields
        ]
        self.positions = {field.attname: index for index, field in enumerate(self.fields)}
        self.next_id = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def row(self, **values):
        """A row tuple with a new id (returned first) and the given column values."""
        new_id = self.next_id
        self.next_id += 1
        row = list(self.defaults)
        row[self.positions["id"]] = new_id
        for name, value in values.items():
            row[self.positions[name]] = value
        return new_id, tuple(row)

    def write(self, rows):
        if not rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def reset_sequences(models):
    """After explicit ids, make PostgreSQL's id sequences continue past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


class DeferredIndexes:
    """On PostgreSQL, the plain indexes and foreign keys of some tables, dropped for a bulk
    load and created again afterwards, inside the caller's transaction.

    Indexes that back a primary key or a unique constraint stay, so duplicates are still
    refused row by row. Everything dropped is made again from the definition the database
    reports, so a later migration that adds or changes an index needs nothing here. A failed
    load rolls back the drops with the rows. Elsewhere this does nothing.
    """

    INDEXES = """
        SELECT pg_get_indexdef(i.indexrelid), quote_ident(c.relname)
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = ANY(%s::regclass[])
          AND NOT i.indisprimary
          AND NOT EXISTS (
              SELECT 1 FROM pg_constraint k
              WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid
          )
        ORDER BY c.relname
    """
    FOREIGN_KEYS = """
        SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
        FROM pg_constraint
        WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
        ORDER BY conrelid::regclass::text, conname
    """

    def __init__(self, models):
        self.tables = [model._meta.db_table for model in models]
        self.indexes = []
        self.foreign_keys = []

    def drop(self):
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(self.INDEXES, [self.tables])
            self.indexes = cursor.fetchall()
            cursor.execute(self.FOREIGN_KEYS, [self.tables])
            self.foreign_keys = cursor.fetchall()
            for table, name, _definition in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            for _definition, name in self.indexes:
                cursor.execute(f"DROP INDEX {name}")

    def restore(self):
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
            for definition, _name in self.indexes:
                cursor.execute(definition)
            for table, name, definition in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        self.indexes, self.foreign_keys = [], []


def analyze(models):
    """Refresh the query planner's statistics of these tables.

    SQLite keeps no statistics until ``ANALYZE`` runs: without them it takes the published
    status for a selective condition and scans the whole listing in name order for a search
    that matches a handful of sites. PostgreSQL's autovacuum would get there on its own, but
    only some time after the load.
    """
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
