"""What backups and restores share: the archive's names, the models backed up, and the
facts a manifest records about a database."""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from heritage import checksums

FORMAT = "heritage-register-backup"
#: Version 1 held the rows as one JSON document (``data.json``); version 2 as JSON Lines.
VERSION = 2
MANIFEST = "manifest.json"
DATA = "data.jsonl"
MEDIA_PREFIX = "media/"
#: Models that are not backed up: rebuilt by ``migrate``, derived (the search's words, which
#: restoring the names writes again; the counts of sites and the map's cells, recounted
#: after the load) or transient (the queue of background jobs, and import jobs with the
#: pieces of the files waiting in them).
EXCLUDED = (
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "django_tasks_database",
    "heritage.importjob",
    "heritage.importfilepiece",
    "heritage.searchword",
    "inspections.sitecount",
    "inspections.assessmentmonthcount",
    "inspections.assessedyearcount",
    "inspections.damageyearcount",
    "inspections.mapcell",
    "inspections.mapcellyear",
    "inspections.citedsourcecount",
)
#: Bytes copied at a time between files.
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, for a person."""


@dataclass
class Summary:
    records: dict = field(default_factory=dict)
    media: int = 0

    @property
    def total_records(self):
        return sum(self.records.values())


def sha256_of(path):
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


def record_counts(using):
    """The number of rows of every backed-up model, by model label."""
    return {
        model._meta.label_lower: model._base_manager.using(using).count()
        for model in backed_up_models()
    }


def applied_migrations(using):
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())
