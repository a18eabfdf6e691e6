"""Writing a backup: the rows in one consistent read, the media files, and the manifest."""

import datetime
import json
import os
import tarfile
import tempfile
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from operations.backups.archive import add_member, describe
from operations.backups.base import (
    DATA,
    FORMAT,
    MANIFEST,
    MEDIA_PREFIX,
    VERSION,
    BackupError,
    Summary,
    applied_migrations,
    record_counts,
)
from operations.backups.media import copy_from_storage, media_files
from operations.backups.rows import write_rows


def _dump_rows(path, using):
    """Write every row to ``path`` in one transaction; return (row counts, migrations)."""
    connection = connections[using]
    connection.ensure_connection()
    # Inside a transaction already begun, its isolation level stands.
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(using=using):
        if snapshot:
            # Every table as of one moment, however long the dump takes.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        with open(path, "w", encoding="utf-8", newline="\n") as stream:
            written = write_rows(stream, using=using)
        counted = record_counts(using)
        if written != counted:
            differing = sorted(label for label in counted if written.get(label) != counted[label])
            raise BackupError(
                f"The rows read differ from the rows counted for: {', '.join(differing)}. "
                "No backup was written."
            )
        migrations = applied_migrations(using)
    return written, migrations


def _add_media(tar, storage, scratch, files):
    """Add every file of ``storage`` to ``tar``, recording each in ``files``; return how many."""
    copy = Path(scratch) / "media-file"
    count = 0
    for name in media_files(storage):
        copy_from_storage(storage, name, copy)
        member = MEDIA_PREFIX + name
        files[member] = describe(copy)
        add_member(tar, member, copy)
        count += 1
    return count


def create_backup(destination, *, using=DEFAULT_DB_ALIAS, storage=default_storage):
    """Write a backup archive to ``destination`` (a path that must not exist yet)."""
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose another file name.")
    if not destination.parent.is_dir():
        raise BackupError(f"The folder {destination.parent} does not exist.")
    with tempfile.TemporaryDirectory(prefix="heritage-backup-") as scratch:
        data_path = Path(scratch) / DATA
        records, migrations = _dump_rows(data_path, using)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "migrations": migrations,
            "records": records,
            "files": {DATA: describe(data_path)},
        }
        partial = destination.with_name(f".{destination.name}.partial")
        try:
            with tarfile.open(partial, "w:gz") as tar:
                media = _add_media(tar, storage, scratch, manifest["files"])
                manifest_path = Path(scratch) / MANIFEST
                manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
                add_member(tar, MANIFEST, manifest_path)
                add_member(tar, DATA, data_path)
            os.replace(partial, destination)
        finally:
            partial.unlink(missing_ok=True)
    return Summary(records=records, media=media)
