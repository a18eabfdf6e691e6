"""Writing a checked batch of an import with bulk queries, with its history and log entries.

What ``save()`` does for one record is done here for a batch: the ``pre_save`` receivers run
(folded names), a changed record's version goes up by one after checking, under a row lock,
that nobody saved it since it was read, and every write adds its history row (as
django-simple-history's bulk helpers do: :func:`write_history`) naming the importer and the
file. The admin's log gets one entry a record. Everything happens in the caller's transaction.
"""

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import connection
from django.db.models.signals import pre_save
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from heritage.base import VersionedModel

#: Sent with the batch's ``instances`` and a ``state`` dict before a bulk write, and with the
#: same two after it: bulk queries send no ``post_save``, so what other apps keep in step
#: with the records (the latest assessments, the counts of sites) listens to these. A
#: receiver keeps what it reads before the write (a site's place before it moves) in
#: ``state``, under a key of its own.
pre_bulk_save = Signal()
post_bulk_save = Signal()

#: Records whose history rows one query copies (within SQLite's 999 parameters).
HISTORY_BATCH = 500


def stored_values(instances, field):
    """The distinct values of ``field`` that the already stored ``instances`` hold in the
    database: for a ``pre_bulk_save`` receiver, what the write is about to change."""
    if not instances:
        return set()
    model = type(instances[0])
    ids = [instance.pk for instance in instances if instance.pk is not None]
    return set(model.objects.filter(pk__in=ids).values_list(field, flat=True).distinct())


class WriteConflict(Exception):
    """A record changed by someone else between reading and writing the batch."""


def send_pre_save(model, instances):
    for instance in instances:
        pre_save.send(sender=model, instance=instance, raw=False, using="default", bulk=True)


def updatable_fields(model):
    return [f.name for f in model._meta.concrete_fields if not f.primary_key]


def check_versions(model, records):
    """Lock ``records`` and raise :class:`WriteConflict` if one was saved since it was read;
    then give each the version its write makes."""
    if not issubclass(model, VersionedModel) or not records:
        return
    current = dict(
        model._base_manager.select_for_update()
        .filter(pk__in=[record.pk for record in records])
        .values_list("pk", "version")
    )
    for record in records:
        if current.get(record.pk) != record.version:
            raise WriteConflict(
                _(
                    "“%(record)s” was changed by someone else during the import; nothing was "
                    "written. Upload the file again to preview it against the record."
                )
                % {"record": record}
            )
    for record in records:
        record.version += 1


def write_history(model, records, history_type, *, user, reason):
    """Add a history row (django-simple-history's) for each of ``records``, as its bulk
    helpers do, copied by the database from the rows just written (``INSERT … SELECT``): the
    history holds exactly what was stored, and no value passes through Python again, which
    had taken a third of a write's time. A history model with columns other than the usual
    ones goes the helpers' way."""
    history = model.history.model
    tracked = {field.attname: field for field in history.tracked_fields}
    now = timezone.now()
    constants = {
        "history_date": now,
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user": getattr(user, "pk", None),
    }
    quote = connection.ops.quote_name
    columns, selected, constant_values = [], [], []
    for field in history._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.attname in tracked:
            selected.append(quote(tracked[field.attname].column))
        elif field.name in constants:
            selected.append("%s")
            constant_values.append(field.get_db_prep_save(constants[field.name], connection))
        else:
            model.history.bulk_history_create(
                records,
                update=history_type == "~",
                default_user=user,
                default_change_reason=reason,
                default_date=now,
            )
            return
        columns.append(quote(field.column))
    key = quote(model._meta.pk.column)
    ids = [record.pk for record in records]
    with connection.cursor() as cursor:
        for start in range(0, len(ids), HISTORY_BATCH):
            chunk = ids[start : start + HISTORY_BATCH]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(columns)}) "
                f"SELECT {', '.join(selected)} FROM {quote(model._meta.db_table)} "
                f"WHERE {key} IN ({', '.join(['%s'] * len(chunk))}) ORDER BY {key}",
                [*constant_values, *chunk],
            )


def save_all(model, records, *, user, reason):
    """Insert the new and update the changed ``records`` of ``model`` with their history."""
    new = [record for record in records if record.pk is None]
    changed = [record for record in records if record.pk is not None]
    check_versions(model, changed)
    state = {}
    pre_bulk_save.send(sender=model, instances=records, state=state)
    send_pre_save(model, records)
    if new:
        model._default_manager.bulk_create(new)
        if any(record.pk is None for record in new):  # pragma: no cover - old SQLite
            raise WriteConflict(_("The database did not return the new records' ids."))
        write_history(model, new, "+", user=user, reason=reason)
    if changed:
        model._default_manager.bulk_update(changed, updatable_fields(model))
        write_history(model, changed, "~", user=user, reason=reason)
    post_bulk_save.send(sender=model, instances=records, state=state)
    return new, changed


def write_records(resource, model, records, related):
    """Write a batch: ``records`` (new or changed), then ``related``, the rows that belong
    to them (names, citations) as [(model, row, field, record)]; the number of records
    written."""
    user, reason = resource.user, resource.change_reason()
    new, changed = save_all(model, records, user=user, reason=reason)
    by_model = {}
    for related_model, row, owner_field, owner in related:
        setattr(row, owner_field, owner)
        by_model.setdefault(related_model, []).append(row)
    for related_model, rows in by_model.items():
        save_all(related_model, rows, user=user, reason=reason)
    user_id = getattr(user, "pk", None)
    if user_id is not None:
        message = reason
        if new:
            LogEntry.objects.log_actions(user_id, new, ADDITION, message)
        if changed:
            LogEntry.objects.log_actions(user_id, changed, CHANGE, message)
    return len(new) + len(changed)
