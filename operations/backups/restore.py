"""Restoring a backup: check the whole archive, then replace the database's rows in one
transaction and write the files, undoing the writes if anything fails."""

import tempfile

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import override_settings

from heritage.cache import raise_every_version
from heritage.signals import record_every_name_word
from heritage.upkeep import loading
from inspections.project_sites import rebuild_project_sites
from inspections.sqlite_statistics import refresh_database
from inspections.status import rebuild_site_status
from operations.backups.archive import read_archive
from operations.backups.base import BackupError, Summary, applied_migrations, record_counts
from operations.backups.media import MediaWriter
from operations.backups.rows import load_rows


def _check_migrations(manifest, using):
    recorded = set(manifest.get("migrations") or [])
    applied = set(applied_migrations(using))
    if recorded == applied:
        return
    newer_backup = sorted(recorded - applied)
    newer_here = sorted(applied - recorded)
    lines = ["The backup was made with another version of the database schema."]
    if newer_backup:
        lines.append(f"Migrations in the backup but not applied here: {', '.join(newer_backup)}.")
    if newer_here:
        lines.append(f"Migrations applied here but not in the backup: {', '.join(newer_here)}.")
    lines.append(
        "Restore it with the version of the register that made it (and the same migrations), "
        "then upgrade and migrate."
    )
    raise BackupError(" ".join(lines))


def empty_database(using):
    """Empty every table, inside the current transaction."""
    connection = connections[using]
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        # PostgreSQL refuses to empty a table with foreign-key checks still pending from
        # earlier writes in the same transaction: run them now, then defer them again so
        # that the load may refer to rows it has not loaded yet.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", database=using, interactive=False, verbosity=0)
    if postgresql:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _check_counts(expected, using):
    """The row counts of the database, once they are known to be the manifest's."""
    counts = record_counts(using)
    differing = sorted(
        label
        for label in set(counts) | set(expected)
        if counts.get(label, 0) != expected.get(label, 0)
    )
    if differing:
        raise BackupError(
            "After loading, the number of rows differs from the backup's for: "
            f"{', '.join(differing)}. Nothing was changed."
        )
    return counts


def restore_backup(source, *, using=DEFAULT_DB_ALIAS, storage=default_storage):
    """Replace the database's content and add the files of the backup ``source``.

    Files in the storage that the backup does not hold are left alone. Returns a Summary.
    """
    with tempfile.TemporaryDirectory(prefix="heritage-restore-") as scratch:
        manifest, data_path, media = read_archive(source, scratch)
        _check_migrations(manifest, using)
        writer = MediaWriter(storage, scratch)
        try:
            # The rows are put back as they were: django-simple-history must not record
            # the load itself (it records many-to-many changes even in raw saves).
            with transaction.atomic(using=using), override_settings(SIMPLE_HISTORY_ENABLED=False):
                empty_database(using)
                # The flush renumbered the content types: forget those read before it.
                ContentType.objects.clear_cache()
                with open(data_path, encoding="utf-8", newline="\n") as lines, loading():
                    load_rows(lines, using=using)
                counts = _check_counts(manifest["records"], using)
                _derive_again()
                for name, path in media:
                    writer.write(name, path)
        except BaseException:
            writer.undo()
            raise
        finally:
            ContentType.objects.clear_cache()
    # Outside the transaction: the planners' statistics of the tables just filled.
    refresh_database(connections[using])
    return Summary(records=counts, media=len(media))


def _derive_again():
    """What the receivers keep after each save, which the load held off (``heritage.upkeep``),
    derived again whole from the restored rows: the search's words, the sites' statuses and
    dates of their latest assessments with the maintained counts and the map's cells
    (``rebuild_site_status``), the projects' flags of their sites' publication; and every
    cached version raised."""
    record_every_name_word()
    rebuild_site_status()
    rebuild_project_sites()
    raise_every_version()
