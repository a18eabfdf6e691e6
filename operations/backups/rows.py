"""The rows of a backup as JSON Lines: one object a line, in Django's serialization format.

Rows are written model by model, in an order where the rows a natural key names come first,
each model's rows in primary-key order. Foreign keys are written as natural keys where the
target model has one (content types and permissions are renumbered by ``migrate``, so only
their names survive a restore); primary keys are kept, so that public addresses such as
``/sources/<id>/`` stay the same.

Both directions stream: a backup reads each table in chunks with the rows it refers to
joined in, and writes each row as it is read; a restore parses and saves one line at a time.
Neither holds more than a chunk of rows, whatever the size of the register.
"""

import json
from collections import OrderedDict

from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.base import DEFER_FIELD, DeserializationError
from django.core.serializers.python import Deserializer
from django.db import DatabaseError, connections, models

from operations.backups.base import DATA, BackupError, backed_up_models

#: Rows read from the database at a time.
CHUNK_ROWS = 2000
#: Natural keys a restore remembers the ids of.
KNOWN_KEYS = 20_000


class RowSerializer(jsonl.Serializer):
    """Django's JSON Lines serializer, safe for references the database does not enforce,
    and keeping times to the microsecond.

    The edit history's foreign keys have no database constraint: a historical row may still
    name a row deleted since. Its natural key cannot be known any more, so its id is written,
    which a restore puts back as it was (ids are kept).
    """

    def handle_field(self, obj, field):
        """Dates with times are written whole: Django's JSON encoder keeps milliseconds only,
        so a restore would change the edit history's times (and a time of ``…47.000123``
        would come back as ``…47``)."""
        value = field.value_from_object(obj)
        if isinstance(field, models.DateTimeField | models.TimeField) and value is not None:
            self._current[field.name] = value.isoformat()
            return
        super().handle_field(obj, field)

    def handle_fk_field(self, obj, field):
        if not hasattr(field.remote_field.model, "natural_key"):
            super().handle_fk_field(obj, field)
            return
        try:
            related = getattr(obj, field.name)
        except ObjectDoesNotExist:
            related = None
        if related is None:
            # No reference at all, or one to a row that is gone: the column as it is.
            self._current[field.name] = getattr(obj, field.attname)
        else:
            self._current[field.name] = related.natural_key()


def dump_order():
    """The backed-up models, each after the models its natural-key references point to."""
    return serializers.sort_dependencies([(None, backed_up_models())], allow_cycles=True)


def _safe_to_join(model, path):
    """Whether following ``path`` from ``model`` with a join can lose no row: every step is
    nullable (an outer join) or enforced by the database (the row it names exists)."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if not (field.null or field.db_constraint):
            return False
        model = field.remote_field.model
    return True


def _key_paths(model):
    """The relations ``model.natural_key()`` follows, as paths from ``model``."""
    if hasattr(model, "NATURAL_KEY"):
        return {path.rsplit("__", 1)[0] for path in model.NATURAL_KEY if "__" in path}
    # Django's own natural keys (a permission's) follow their foreign keys.
    return {
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and hasattr(field.remote_field.model, "natural_key")
    }


def _related_paths(model):
    """select_related and prefetch_related paths that give every natural key a row's
    serialization needs without a query per row."""
    joined, prefetched = set(), set()
    for field in model._meta.concrete_fields:
        target = field.remote_field.model if field.is_relation else None
        if target is None or not hasattr(target, "natural_key"):
            continue
        for path in {field.name} | {f"{field.name}__{key}" for key in _key_paths(target)}:
            if _safe_to_join(model, path):
                joined.add(path)
    for field in model._meta.many_to_many:
        target = field.remote_field.model
        if field.remote_field.through._meta.auto_created and hasattr(target, "natural_key"):
            prefetched |= {field.name} | {f"{field.name}__{key}" for key in _key_paths(target)}
    return sorted(joined), sorted(prefetched)


def _rows(using, counts):
    for model in dump_order():
        joined, prefetched = _related_paths(model)
        queryset = (
            model._base_manager.using(using)
            .select_related(*joined)
            .prefetch_related(*prefetched)
            .order_by(model._meta.pk.name)
        )
        label = model._meta.label_lower
        counts[label] = 0
        for row in queryset.iterator(chunk_size=CHUNK_ROWS):
            counts[label] += 1
            yield row


def write_rows(stream, *, using):
    """Write every backed-up row to the text ``stream``, a line each, as it is read.

    Returns the number of rows written of every model, by model label.
    """
    counts = {}
    RowSerializer().serialize(_rows(using, counts), stream=stream, use_natural_foreign_keys=True)
    return counts


# --- Loading ---------------------------------------------------------------------------------


def _parsed(lines, position):
    """The objects of ``lines``, parsed one line at a time; ``position`` says which line is
    being loaded, for error messages."""
    for number, line in enumerate(lines, start=1):
        position["at"] = f"line {number} of {DATA}"
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as error:
            raise BackupError(f"Line {number} of {DATA} is not valid JSON: {error}") from None
        if not isinstance(row, dict) or not isinstance(row.get("fields"), dict):
            raise BackupError(f"Line {number} of {DATA} is not a serialized row.")
        yield row


class RowDeserializer(Deserializer):
    """Django's deserializer, remembering the ids that recent natural keys named.

    Neighbouring rows often name the same rows: a site's names and assessments name the
    site, every assessment one of a few condition terms. Each is then looked up once rather
    than once a row. Only the latest ``KNOWN_KEYS`` keys are kept, so memory stays flat; a
    load only adds rows, so an id remembered stays right.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.known = OrderedDict()

    def _handle_fk_field_node(self, field, field_value):
        if not isinstance(field_value, list):
            return super()._handle_fk_field_node(field, field_value)
        key = (field.remote_field.model, field.remote_field.field_name, json.dumps(field_value))
        if key in self.known:
            self.known.move_to_end(key)
            return self.known[key]
        value = super()._handle_fk_field_node(field, field_value)
        if value is not DEFER_FIELD:
            self.known[key] = value
            if len(self.known) > KNOWN_KEYS:
                self.known.popitem(last=False)
        return value


def _save_all(rows, using, position):
    """Save each deserialized row; those naming rows not loaded yet are finished last."""
    loaded, pending = set(), []
    for row in rows:
        # Into an empty database: each row is new, and an update tried first (as a save with
        # a primary key does) would find nothing, a query a row for naught.
        row.save(using=using, force_insert=True)
        loaded.add(type(row.object))
        if row.deferred_fields:
            pending.append(row)
    for row in pending:
        position["at"] = f"{row.object._meta.label} {row.object.pk}, which names a later row"
        row.save_deferred_fields(using=using)
    return loaded


#: What a row that cannot be loaded raises, from parsing it to checking its references.
LOAD_ERRORS = (
    DeserializationError,
    DatabaseError,
    FieldDoesNotExist,
    ObjectDoesNotExist,
    LookupError,
    TypeError,
    ValueError,
)


def load_rows(lines, *, using):
    """Save the rows of ``lines`` (an iterable of JSON Lines, such as a file opened in text
    mode) into the empty database ``using``, one line at a time.

    Constraints are checked once everything is in, and PostgreSQL's id sequences are moved
    past the loaded ids. Raises BackupError, naming the line, for a row that cannot be loaded.
    """
    connection = connections[using]
    position = {"at": f"the start of {DATA}"}
    rows = RowDeserializer(_parsed(lines, position), using=using, handle_forward_references=True)
    with connection.constraint_checks_disabled():
        try:
            loaded = _save_all(rows, using, position)
        except LOAD_ERRORS as error:
            raise BackupError(
                f"The backup's data could not be loaded ({position['at']}): "
                f"{error} Nothing was changed."
            ) from error
    try:
        connection.check_constraints(table_names=sorted(m._meta.db_table for m in loaded))
    except DatabaseError as error:
        raise BackupError(
            f"The backup's data refers to rows it does not hold: {error} Nothing was changed."
        ) from error
    statements = connection.ops.sequence_reset_sql(no_style(), list(loaded))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return loaded
