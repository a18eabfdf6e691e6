"""Imports run as background jobs: the uploaded file, where the job is, and what it found.

The file is kept in the database, so any app server and any worker (on any machine) can read
it, in pieces of at most :data:`PIECE_SIZE` bytes (:class:`ImportFilePiece`): the upload is
written a piece at a time and read a piece at a time, so no process holds the whole file. It
is dropped when the import is written or refused for good. A job's ``heartbeat``
moves on while a worker checks its rows; a job whose worker stopped (killed, restarted) is
recognised by a heartbeat that stands still (:meth:`ImportJob.stopped`).
"""

import datetime

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: A checking job whose heartbeat is older than this has stopped (a batch takes seconds).
CHECKING_TIMEOUT = datetime.timedelta(minutes=2)
#: On SQLite, where the writing transaction cannot be probed, the longest a write may take.
WRITING_TIMEOUT = datetime.timedelta(minutes=30)
#: The most bytes of an uploaded file that one row of :class:`ImportFilePiece` holds.
PIECE_SIZE = 1024 * 1024


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    CHECKING = "checking", _("Checking the rows")
    READY = "ready", _("Checked: waiting for confirmation")
    REFUSED = "refused", _("Refused: nothing was written")
    CONFIRMED = "confirmed", _("Confirmed: waiting for a worker")
    WRITING = "writing", _("Checking and writing every row in one transaction")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed: nothing was written")


#: States in which a worker has the job.
RUNNING = {ImportStatus.CHECKING, ImportStatus.WRITING}
#: States that end a job.
FINISHED = {ImportStatus.REFUSED, ImportStatus.DONE, ImportStatus.FAILED}


class ImportJob(models.Model):
    """One uploaded file of one list: previewed, then (if confirmed) written."""

    model = models.CharField(_("records"), max_length=100, help_text="app_label.model")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("imported by")
    )
    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.PositiveSmallIntegerField(_("format"))
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_read = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_written = models.PositiveIntegerField(_("records written"), default=0)
    #: What the check found: counts, problems, warnings, the previewed rows.
    outcome = models.JSONField(_("outcome"), default=dict, editable=False)
    #: {slug: version or None}: the records as the preview saw them.
    versions = models.JSONField(default=dict, editable=False)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    heartbeat = models.DateTimeField(_("last sign of progress"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def problems(self):
        return self.outcome.get("problems", [])

    def store_file(self, chunks):
        """Keep the file whose bytes ``chunks`` gives (pieces of any size, as an upload's
        ``chunks()``) in pieces of :data:`PIECE_SIZE` bytes, written one by one: no more
        than a piece is held at a time. The job must be saved, and the caller's transaction
        keeps the job and its pieces together (a failed upload leaves neither)."""
        pending, number = bytearray(), 0
        for chunk in chunks:
            pending += chunk
            while len(pending) >= PIECE_SIZE:
                self.pieces.create(number=number, data=bytes(pending[:PIECE_SIZE]))
                del pending[:PIECE_SIZE]
                number += 1
        if pending:
            self.pieces.create(number=number, data=bytes(pending))

    def drop_file(self):
        """Delete the stored file (the job's outcome stays), in one query: a queryset's
        ``delete()`` would read every piece first, for the signals of deletions."""
        pieces = ImportFilePiece._meta
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {connection.ops.quote_name(pieces.db_table)} "
                f"WHERE {connection.ops.quote_name(pieces.get_field('job').column)} = %s",
                [self.pk],
            )

    def record_progress(self, rows_read):
        """Note progress where every app server sees it (outside any transaction)."""
        self.rows_read = rows_read
        self.heartbeat = timezone.now()
        type(self).objects.filter(pk=self.pk).update(rows_read=rows_read, heartbeat=self.heartbeat)

    def stopped(self):
        """Whether the worker running this job is gone (nothing of it was written).

        A worker notes its progress every few seconds, from a thread of its own while it
        writes. On SQLite a writing transaction locks the whole database, so those notes
        wait for its end: there, a write is given ``WRITING_TIMEOUT``.
        """
        if self.status not in RUNNING:
            return False
        limit = CHECKING_TIMEOUT
        if self.status == ImportStatus.WRITING and connection.vendor == "sqlite":
            limit = WRITING_TIMEOUT
        return timezone.now() - self.heartbeat > limit

    def mark_stopped(self):
        """Record that the job's worker stopped, if it did; whether it did."""
        if not self.stopped():
            return False
        self.status = ImportStatus.FAILED
        self.message = str(
            _(
                "The job stopped before it finished (its worker ended). Nothing was written: "
                "the rows are written in one transaction, which was rolled back. Upload the "
                "file again."
            )
        )
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "message", "finished_at"])
        self.drop_file()
        return True


class ImportFilePiece(models.Model):
    """A piece of an import job's file; the pieces in the order of their ``number`` are the
    file. Temporary, like the job: in neither the admin nor the backups."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="pieces")
    number = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="import_piece_unique_number")
        ]

    def __str__(self):
        return f"{self.job_id}:{self.number}"
