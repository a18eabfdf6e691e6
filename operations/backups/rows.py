"""The rows of a backup as JSON Lines: one object a line, in Django's serialization format.

Rows are written model by model, in an order where the rows a natural key names come first,
each model's rows in primary-key order. Foreign keys are written as natural keys where the
target model has one (content types and permissions are renumbered by ``migrate``, so only
their names survive a restore); primary keys are kept, so that public addresses such as
``/sources/<id>/`` stay the same.

Both directions stream: a backup reads each table in chunks with the rows it refers to
joined in, and writes each row as it is read; a restore parses one line at a time and
inserts the rows of a model a batch at a time. Neither holds more than a chunk of rows,
whatever the size of the register, but for the index of the natural keys a restore reads
(``RowDeserializer``: the keys of the models that other rows name, such as every site's).
"""

import json
from collections import OrderedDict, defaultdict

from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.base import DEFER_FIELD, DeserializationError
from django.core.serializers.python import Deserializer
from django.db import DatabaseError, connections, models
from django.db.models.signals import post_save, pre_save

from heritage.base import plain_key_value
from operations.backups.base import DATA, BackupError, backed_up_models

#: Rows read from the database at a time.
CHUNK_ROWS = 2000
#: Rows of one model inserted with one statement, at most, and the most characters of
#: their lines in a batch (a few rows with long texts make a batch of their own).
BATCH_ROWS = 500
BATCH_CHARACTERS = 256 * 1024
#: Natural keys a restore remembers the ids of, beyond its indexes (``RowDeserializer``).
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


def _parsed(lines, position, next_model=lambda: None):
    """The objects of ``lines``, parsed one line at a time; ``position`` says which line is
    being loaded, for error messages. ``next_model`` is called before the first row of each
    model but the first is given out."""
    model = None
    for number, line in enumerate(lines, start=1):
        position.update(at=f"line {number} of {DATA}", line=number, characters=len(line))
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as error:
            raise BackupError(f"Line {number} of {DATA} is not valid JSON: {error}") from None
        if not isinstance(row, dict) or not isinstance(row.get("fields"), dict):
            raise BackupError(f"Line {number} of {DATA} is not a serialized row.")
        if model is not None and row.get("model") != model:
            next_model()
        model = row.get("model")
        yield row


class RowDeserializer(Deserializer):
    """Django's deserializer, reading the ids that natural keys name from an index of each
    model's keys rather than with a query each.

    The first natural key of a model to be read reads the keys of every row of that model
    loaded so far (the rows a natural key names are written first: ``dump_order``), one
    query for all of them: at 10,000 sites a restore looked up 64,000 keys one by one, a
    third of its time. A key the index does not hold (a row loaded since, or a key written
    in another form) is looked up as Django does, and the ids found so are remembered, the
    latest ``KNOWN_KEYS`` of them; a load only adds rows, so an id read stays right.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.known = OrderedDict()
        self.indexes = {}

    def key_index(self, model, field_name):
        """{natural key as JSON: value of ``field_name``} of the rows of ``model`` in the
        database, read once; empty for a model without ``NATURAL_KEY`` (Django's own)."""
        index = self.indexes.get((model, field_name))
        if index is None:
            index = self.indexes[model, field_name] = {}
            paths = getattr(model, "NATURAL_KEY", None)
            if paths:
                rows = model._base_manager.using(self.using).values_list(*paths, field_name)
                for *key, value in rows.iterator(chunk_size=CHUNK_ROWS * 10):
                    index[json.dumps([plain_key_value(part) for part in key])] = value
        return index

    def forget(self, model):
        """Read the keys of ``model`` again when next needed: more of its rows are in."""
        self.indexes = {key: index for key, index in self.indexes.items() if key[0] is not model}

    def _handle_fk_field_node(self, field, field_value):
        if not isinstance(field_value, list):
            return super()._handle_fk_field_node(field, field_value)
        model, field_name = field.remote_field.model, field.remote_field.field_name
        written = json.dumps(field_value)
        value = self.key_index(model, field_name).get(written)
        if value is not None:
            return value
        key = (model, field_name, written)
        if key in self.known:
            self.known.move_to_end(key)
            return self.known[key]
        value = super()._handle_fk_field_node(field, field_value)
        if value is not DEFER_FIELD:
            self.known[key] = value
            if len(self.known) > KNOWN_KEYS:
                self.known.popitem(last=False)
        return value


def _insert(rows, using):
    """Insert the deserialized ``rows``, all of one model, as a raw save of each would (their
    fields as they are: no ``auto_now`` time, no default computed; ``pre_save`` and
    ``post_save`` sent with ``raw``), with a statement a batch rather than a row; and their
    many-to-many links, a statement a batch too.

    At 10,000 sites a restore saved 141,000 rows one by one, each an ``INSERT`` built by the
    ORM, and set the links of 30,000 rows each with a query and an ``INSERT``: two thirds of
    its time. ``QuerySet._insert`` is what ``Model.save`` itself inserts with, given many
    rows at once; ``bulk_create`` cannot be used, as it computes ``auto_now`` times afresh.
    The receivers of ``m2m_changed`` do nothing while a database is loaded
    (``heritage.upkeep``), so none is sent."""
    model = type(rows[0].object)._meta.concrete_model
    objects = [row.object for row in rows]
    for obj in objects:
        pre_save.send(model, instance=obj, raw=True, using=using, update_fields=None)
    fields = [field for field in model._meta.local_concrete_fields if not field.generated]
    size = min(BATCH_ROWS, connections[using].ops.bulk_batch_size(fields, objects) or 1)
    for start in range(0, len(objects), size):
        batch = objects[start : start + size]
        model._base_manager.using(using)._insert(batch, fields=fields, using=using, raw=True)
    links = defaultdict(list)
    for row, obj in zip(rows, objects, strict=True):
        obj._state.adding, obj._state.db = False, using
        post_save.send(model, instance=obj, created=True, raw=True, using=using, update_fields=None)
        for name, values in (row.m2m_data or {}).items():
            field = model._meta.get_field(name)
            through = field.remote_field.through
            source = through._meta.get_field(field.m2m_field_name()).attname
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            links[through] += [through(**{source: obj.pk, target: value}) for value in values]
        row.m2m_data = None
    for through, linked in links.items():
        through._base_manager.using(using).bulk_create(linked, batch_size=BATCH_ROWS)


class Loader:
    """Inserts deserialized rows a batch of one model at a time (``_insert``), and those that
    name rows not loaded yet once every row is in.

    The rows of a model are inserted before the first row of the next is read
    (``next_model``): a row names rows of the models before its own only, so each is in the
    database when named (and the natural keys of the model just inserted are read again)."""

    def __init__(self, using, position):
        self.using, self.position = using, position
        self.batch, self.lines, self.pending, self.loaded = [], [], [], set()
        self.characters = 0
        self.rows = None

    def load(self, rows):
        """Insert every row of ``rows`` (a ``RowDeserializer``); the models loaded."""
        self.rows = rows
        for row in rows:
            if len(self.batch) >= BATCH_ROWS or self.characters >= BATCH_CHARACTERS:
                self.insert()
            self.batch.append(row)
            self.lines.append(self.position["line"])
            self.characters += self.position["characters"]
            self.loaded.add(type(row.object))
            if row.deferred_fields:
                self.pending.append(row)
        self.insert()
        for row in self.pending:
            self.position["at"] = (
                f"{row.object._meta.label} {row.object.pk}, which names a later row"
            )
            row.save_deferred_fields(using=self.using)
        return self.loaded

    def next_model(self):
        if self.batch:
            model = type(self.batch[0].object)
            self.insert()
            self.rows.forget(model)

    def insert(self):
        if not self.batch:
            return
        at = self.position["at"]
        self.position["at"] = f"lines {self.lines[0]} to {self.lines[-1]} of {DATA}"
        _insert(self.batch, self.using)
        connection = connections[self.using]
        if not connection.force_debug_cursor:
            # With DEBUG on, Django keeps the text of the last 9,000 queries, here each a
            # batch of hundreds of rows: forgotten, as after each request, unless a test
            # asked to capture them (``force_debug_cursor``).
            connection.queries_log.clear()
        self.position["at"] = at
        self.batch, self.lines, self.characters = [], [], 0


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
    mode) into the empty database ``using``, read one line at a time, inserted a batch of
    rows of one model at a time (``Loader``).

    Constraints are checked once everything is in, and PostgreSQL's id sequences are moved
    past the loaded ids. Raises BackupError, naming the line, for a row that cannot be loaded.
    """
    connection = connections[using]
    position = {"at": f"the start of {DATA}"}
    loader = Loader(using, position)
    rows = RowDeserializer(
        _parsed(lines, position, loader.next_model), using=using, handle_forward_references=True
    )
    with connection.constraint_checks_disabled():
        try:
            loaded = loader.load(rows)
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
