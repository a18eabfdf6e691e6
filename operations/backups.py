"""Back up the whole register (database and uploaded files) to one archive, and restore it.

An archive is a gzipped tar file holding:

- ``manifest.json``: the format and its version, when and by which migrations the data was
  written, the number of rows of every model, and the size and SHA-256 of every other member;
- ``data.json``: every row, as Django's ``dumpdata`` writes it with natural foreign keys
  (content types and permissions are named, not numbered) and the primary keys kept, so that
  public addresses such as ``/sources/<id>/`` stay the same after a restore;
- ``media/<name>``: every file in the default storage (``MEDIA_ROOT`` or the bucket).

Left out are what the database rebuilds by itself or what is only transient: content types
and permissions (made by ``migrate``), sessions, and django-axes' login attempts.

A backup reads the database in one transaction (a consistent snapshot on PostgreSQL) and
writes the archive under a temporary name, renamed only when complete. A restore checks the
whole archive first (members, sizes, checksums, migrations), then replaces the database's
content in one transaction, checks the row counts, and writes the files; if anything fails,
the database is rolled back and the files it replaced are put back.
"""

import datetime
import json
import logging
import os
import shutil
import tarfile
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings

from heritage import checksums

FORMAT = "heritage-register-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA_PREFIX = "media/"
#: Models that are not backed up: rebuilt by ``migrate`` or transient.
EXCLUDED = ("contenttypes", "auth.permission", "sessions", "axes")
CHUNK = 1024 * 1024

logger = logging.getLogger(__name__)


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, for a person."""


@dataclass
class Summary:
    records: dict = field(default_factory=dict)
    media: int = 0

    @property
    def total_records(self):
        return sum(self.records.values())


def _sha256(path):
    with open(path, "rb") as stream:
        return checksums.sha256(stream)


def _excluded(model):
    label = model._meta.label_lower
    return model._meta.app_label in EXCLUDED or label in EXCLUDED


def backed_up_models():
    """The concrete models whose rows go into a backup, in a stable order."""
    return sorted(
        (
            model
            for model in apps.get_models()
            if not model._meta.proxy and model._meta.managed and not _excluded(model)
        ),
        key=lambda model: model._meta.label_lower,
    )


def _record_counts(using):
    return {
        model._meta.label_lower: model._base_manager.using(using).count()
        for model in backed_up_models()
    }


def _applied_migrations(using):
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def media_files(storage=default_storage, folder=""):
    """Names of every file in ``storage``, folders included, in a stable order."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        if folder:
            raise
        return  # No upload yet: the media folder does not exist.
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        yield from media_files(storage, f"{folder}/{name}" if folder else name)


def _add(tar, name, path):
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o644
    with open(path, "rb") as stream:
        tar.addfile(info, stream)


def create_backup(destination, *, using=DEFAULT_DB_ALIAS, storage=default_storage):
    """Write a backup archive to ``destination`` (a path that must not exist yet)."""
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose another file name.")
    if not destination.parent.is_dir():
        raise BackupError(f"The folder {destination.parent} does not exist.")
    connection = connections[using]
    with tempfile.TemporaryDirectory(prefix="heritage-backup-") as scratch:
        data_path = Path(scratch) / DATA
        connection.ensure_connection()
        # Inside a transaction already begun, its isolation level stands.
        snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic(using=using):
            if snapshot:
                # Every table as of one moment, however long the dump takes.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            call_command(
                "dumpdata",
                exclude=list(EXCLUDED),
                natural_foreign=True,
                database=using,
                output=str(data_path),
                verbosity=0,
            )
            records = _record_counts(using)
            migrations = _applied_migrations(using)

        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "migrations": migrations,
            "records": records,
            "files": {DATA: {"bytes": data_path.stat().st_size, "sha256": _sha256(data_path)}},
        }
        partial = destination.with_name(f".{destination.name}.partial")
        try:
            with tarfile.open(partial, "w:gz") as tar:
                media = []
                for name in media_files(storage):
                    copy = Path(scratch) / "media-file"
                    with storage.open(name, "rb") as source, open(copy, "wb") as target:
                        shutil.copyfileobj(source, target, CHUNK)
                    member = MEDIA_PREFIX + name
                    manifest["files"][member] = {
                        "bytes": copy.stat().st_size,
                        "sha256": _sha256(copy),
                    }
                    media.append((member, copy))
                    _add(tar, member, copy)
                manifest_path = Path(scratch) / MANIFEST
                manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
                _add(tar, MANIFEST, manifest_path)
                _add(tar, DATA, data_path)
            os.replace(partial, destination)
        finally:
            partial.unlink(missing_ok=True)
    return Summary(records=records, media=len(media))


# --- Restore -----------------------------------------------------------------------------


def _safe_media_name(member):
    """The storage name of a media member, or None if the name could escape the folder."""
    if not member.startswith(MEDIA_PREFIX):
        return None
    name = member.removeprefix(MEDIA_PREFIX)
    if any(part in {"", ".", ".."} for part in name.split("/")):
        return None
    if "\\" in name or "\x00" in name:
        return None
    return name


def read_archive(source, scratch):
    """Check the archive ``source`` and unpack it into the folder ``scratch``.

    Returns (manifest, path of data.json, [(storage name, unpacked path)]). Raises
    BackupError for anything that is not a complete, intact backup of this format.
    """
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    try:
        tar = tarfile.open(source, "r:gz")  # noqa: SIM115 (closed by the "with" below)
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{source} is not a backup archive (a .tar.gz file): {error}") from None
    with tar:
        try:
            members = tar.getmembers()
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BackupError(f"{source} is damaged: {error}") from None
        names = [member.name for member in members]
        if len(set(names)) != len(names):
            raise BackupError(f"{source} holds the same name twice: it was not made by backup.")
        for member in members:
            if not member.isfile():
                raise BackupError(f"{source} holds {member.name!r}, which is not a plain file.")
            if member.name not in {MANIFEST, DATA} and _safe_media_name(member.name) is None:
                raise BackupError(f"{source} holds an unexpected member {member.name!r}.")
        if MANIFEST not in names:
            raise BackupError(f"{source} has no {MANIFEST}: it is not a register backup.")
        try:
            manifest = json.load(tar.extractfile(MANIFEST))
        except (ValueError, UnicodeDecodeError) as error:
            raise BackupError(f"{source}: {MANIFEST} is not valid JSON: {error}") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(f"{source} is not a register backup.")
        if manifest.get("version") != VERSION:
            raise BackupError(
                f"{source} is a backup of format version {manifest.get('version')!r}; this "
                f"version of the register reads version {VERSION} only."
            )
        expected = manifest.get("files")
        if not isinstance(expected, dict) or DATA not in expected:
            raise BackupError(f"{source}: the manifest lists no {DATA}.")
        present = set(names) - {MANIFEST}
        if present != set(expected):
            missing = sorted(set(expected) - present)
            extra = sorted(present - set(expected))
            raise BackupError(
                f"{source} does not hold what its manifest lists "
                f"(missing: {missing or 'none'}; not listed: {extra or 'none'})."
            )
        media = []
        for index, member in enumerate(members):
            if member.name == MANIFEST:
                continue
            target = Path(scratch) / ("data.json" if member.name == DATA else f"media-{index}")
            try:
                with tar.extractfile(member) as stream, open(target, "wb") as out:
                    shutil.copyfileobj(stream, out, CHUNK)
            except (tarfile.TarError, OSError, EOFError) as error:
                raise BackupError(f"{source} is damaged at {member.name}: {error}") from None
            facts = expected[member.name]
            if target.stat().st_size != facts.get("bytes") or _sha256(target) != facts.get(
                "sha256"
            ):
                raise BackupError(
                    f"{source} is damaged: {member.name} does not match its checksum."
                )
            if member.name != DATA:
                media.append((_safe_media_name(member.name), target))
    return manifest, Path(scratch) / DATA, media


def _check_migrations(manifest, using):
    recorded = set(manifest.get("migrations") or [])
    applied = set(_applied_migrations(using))
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


class _MediaWriter:
    """Writes restored files, and undoes every write if the restore fails."""

    def __init__(self, storage, scratch):
        self.storage = storage
        self.scratch = Path(scratch)
        self.written = []
        self.replaced = []

    def write(self, name, path):
        if self.storage.exists(name):
            with self.storage.open(name, "rb") as existing:
                kept = self.scratch / f"replaced-{len(self.replaced)}"
                with open(kept, "wb") as copy:
                    shutil.copyfileobj(existing, copy, CHUNK)
            if _sha256(kept) == _sha256(path):
                kept.unlink()
                return
            self.replaced.append((name, kept))
            self.storage.delete(name)
        with open(path, "rb") as stream:
            saved = self.storage.save(name, File(stream, name=name))
        self.written.append(saved)
        if saved != name:
            raise BackupError(f"The storage saved {name} as {saved}; the restore is undone.")

    def undo(self):
        """Put the storage back as it was, as far as it lets us; log what it refused."""
        for name in self.written:
            try:
                self.storage.delete(name)
            except Exception:
                logger.exception("Restore undone: could not delete %s.", name)
        for name, kept in self.replaced:
            try:
                with open(kept, "rb") as stream:
                    saved = self.storage.save(name, File(stream, name=name))
                if saved != name:
                    raise BackupError(f"saved as {saved}")
            except Exception:
                logger.exception("Restore undone: could not put %s back.", name)


def _flush(using):
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


def restore_backup(source, *, using=DEFAULT_DB_ALIAS, storage=default_storage):
    """Replace the database's content and add the files of the backup ``source``.

    Files in the storage that the backup does not hold are left alone. Returns a Summary.
    """
    with ExitStack() as stack:
        scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="heritage-restore-"))
        manifest, data_path, media = read_archive(source, scratch)
        _check_migrations(manifest, using)
        expected = manifest.get("records") or {}
        writer = _MediaWriter(storage, scratch)
        try:
            # The rows are put back as they were: django-simple-history must not record
            # the load itself (it records many-to-many changes even in raw saves).
            with transaction.atomic(using=using), override_settings(SIMPLE_HISTORY_ENABLED=False):
                _flush(using)
                # The flush renumbered the content types: forget those read before it.
                ContentType.objects.clear_cache()
                try:
                    call_command("loaddata", str(data_path), database=using, verbosity=0)
                except (DeserializationError, DatabaseError, ValueError) as error:
                    raise BackupError(
                        f"The backup's data could not be loaded: {error} Nothing was changed."
                    ) from error
                counts = _record_counts(using)
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
                for name, path in media:
                    writer.write(name, path)
        except BaseException:
            writer.undo()
            raise
        finally:
            ContentType.objects.clear_cache()
    return Summary(records=counts, media=len(media))
