"""The files of the media storage (a folder or a bucket) in a backup, and putting them back."""

import logging
import shutil
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage

from operations.backups.base import CHUNK, BackupError, sha256_of

logger = logging.getLogger(__name__)


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


def copy_from_storage(storage, name, target):
    """Copy the stored file ``name`` to the local path ``target``."""
    with storage.open(name, "rb") as source, open(target, "wb") as copy:
        shutil.copyfileobj(source, copy, CHUNK)


class MediaWriter:
    """Writes restored files, and undoes every write if the restore fails."""

    def __init__(self, storage, scratch):
        self.storage = storage
        self.scratch = Path(scratch)
        self.written = []
        self.replaced = []

    def write(self, name, path):
        if self.storage.exists(name):
            kept = self.scratch / f"replaced-{len(self.replaced)}"
            copy_from_storage(self.storage, name, kept)
            if sha256_of(kept) == sha256_of(path):
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
