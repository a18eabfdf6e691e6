"""Back up the whole register (database and uploaded files) to one archive, and restore it.

An archive is a gzipped tar file holding:

- ``manifest.json``: the format and its version, when and by which migrations the data was
  written, the number of rows of every model, and the size and SHA-256 of every other member;
- ``data.jsonl``: every row as JSON Lines, one serialized object a line, model by model in
  dependency order, with natural foreign keys (content types and permissions are named, not
  numbered) and the primary keys kept, so that public addresses such as ``/sources/<id>/``
  stay the same after a restore;
- ``media/<name>``: every file in the default storage (``MEDIA_ROOT`` or the bucket).

Left out are what the database rebuilds by itself or what is only transient: content types
and permissions (made by ``migrate``), sessions, and django-axes' login attempts.

A backup reads the database in one transaction (a consistent snapshot on PostgreSQL),
writing each row as it is read, and writes the archive under a temporary name, renamed only
when complete. A restore checks the whole archive first (members, sizes, checksums,
migrations), then replaces the database's content in one transaction, loading the rows one
line at a time, checks the row counts, and writes the files; if anything fails, the
database is rolled back and the files it replaced are put back. Memory stays flat whatever
the number of rows.

- ``base``: names, models, counts; ``rows``: the JSON Lines; ``media``: the files;
- ``archive``: writing members and checking an archive; ``create`` and ``restore``.
"""

from operations.backups.archive import read_archive
from operations.backups.base import (
    DATA,
    EXCLUDED,
    MANIFEST,
    VERSION,
    BackupError,
    Summary,
    backed_up_models,
)
from operations.backups.create import create_backup
from operations.backups.media import media_files
from operations.backups.restore import restore_backup

__all__ = [
    "DATA",
    "EXCLUDED",
    "MANIFEST",
    "VERSION",
    "BackupError",
    "Summary",
    "backed_up_models",
    "create_backup",
    "media_files",
    "read_archive",
    "restore_backup",
]
