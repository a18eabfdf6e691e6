"""The import's two steps as background tasks (django-tasks, run by ``manage.py db_worker``).

:func:`start_preview` and :func:`start_confirm` queue a task and return at once; the admin's
job page shows where the job is. The preview checks every row and writes nothing. The
confirmation checks every row again and writes them batch by batch in one transaction, with
their history and log entries, and marks the job done in that same transaction: either the
records and "Imported" are both in the database, or neither is. A worker killed while
writing leaves nothing written, and the job page says the job failed
(:meth:`heritage.models.ImportJob.stopped`).
"""

import contextlib
import logging
import threading

from django.apps import apps
from django.contrib import admin
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from heritage.cache import bump_version
from heritage.imports.engine import ImportAborted, check_file, write_file
from heritage.imports.files import FORMATS, ImportFileError, open_stored
from heritage.models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)


def resource_for(job):
    """The resource that imports the job's records, as the admin of its list declares it."""
    model = apps.get_model(job.model)
    resource_class = admin.site._registry[model].get_import_resource_classes(None)[0]
    return resource_class(user=job.user, file_name=job.file_name)


def read_dataset(job):
    """The job's file as a :class:`~heritage.imports.files.Table`, read from the database
    a piece at a time each time its rows are gone through: never held whole."""
    return FORMATS[job.file_format]().open_table(open_stored(job.pk))


def start_preview(job, chunks):
    """Save the new ``job`` with the file whose bytes ``chunks`` gives (an upload's
    ``chunks()``), stored a piece at a time, and queue its preview: all in one transaction,
    so that an upload that fails part way leaves neither the job nor a piece of its file."""
    with transaction.atomic():
        job.save()
        job.store_file(chunks)
        transaction.on_commit(lambda: preview_import.enqueue(job.pk))


def start_confirm(job):
    ImportJob.objects.filter(pk=job.pk, status=ImportStatus.READY).update(
        status=ImportStatus.CONFIRMED, heartbeat=timezone.now()
    )
    transaction.on_commit(lambda: confirm_import.enqueue(job.pk))


def begin(job_id, expected, status):
    """Take the job for this step, or None if it is not in the ``expected`` state."""
    taken = ImportJob.objects.filter(pk=job_id, status=expected).update(
        status=status, heartbeat=timezone.now(), rows_read=0
    )
    return ImportJob.objects.select_related("user").get(pk=job_id) if taken else None


def refuse(job, outcome, message=""):
    job.status = ImportStatus.REFUSED
    job.outcome = outcome_data(outcome)
    job.message = message
    job.finished_at = timezone.now()
    job.save()
    job.drop_file()


def fail(job, message):
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED, message=message, finished_at=timezone.now()
    )
    job.drop_file()


def outcome_data(outcome):
    data = outcome.as_dict()
    data.pop("versions", None)
    return data


def file_problem(job, error):
    job.outcome = {"problems": [{"row": None, "column": "", "letter": "", "message": str(error)}]}
    job.outcome["problem_count"] = 1
    job.status = ImportStatus.REFUSED
    job.finished_at = timezone.now()
    job.save()
    job.drop_file()


def failing_honestly(step):
    """Run ``step``; an error it does not handle marks the job failed, then goes on up."""

    def run(job_id):
        try:
            return step(job_id)
        except BaseException:
            fail(
                ImportJob(pk=job_id),
                _("The job stopped on an error. Nothing was written. Upload the file again."),
            )
            raise

    run.__name__, run.__doc__, run.__module__ = step.__name__, step.__doc__, step.__module__
    run.__qualname__ = step.__qualname__
    return run


@task()
@failing_honestly
def preview_import(job_id):
    """Check every row of the job's file; nothing is written."""
    job = begin(job_id, ImportStatus.QUEUED, ImportStatus.CHECKING)
    if job is None:
        return
    try:
        dataset = read_dataset(job)
    except ImportFileError as error:
        return file_problem(job, error)
    ImportJob.objects.filter(pk=job.pk).update(rows_total=len(dataset))
    outcome = check_file(resource_for(job), dataset, progress=lambda o: job.record_progress(o.read))
    job.rows_total, job.rows_read = outcome.total, outcome.read
    if outcome.problem_count:
        return refuse(job, outcome)
    job.status = ImportStatus.READY
    job.outcome = outcome_data(outcome)
    job.versions = outcome.versions
    job.save(update_fields=["status", "outcome", "versions", "rows_total", "rows_read"])


class ProgressReporter(threading.Thread):
    """Notes a job's progress every few seconds from a thread of its own, so on a database
    connection of its own: the rows written inside the import's transaction stay invisible
    until it commits, but its progress and heartbeat are seen at once. Not on SQLite, where
    a writing transaction locks the whole database: a second writer there would only wait,
    or make the import's commit fail."""

    def __init__(self, job, every=2.0):
        super().__init__(daemon=True)
        self.job, self.every, self.rows_read = job, every, 0
        self.done = threading.Event()

    def run(self):
        try:
            while not self.done.wait(self.every):
                with contextlib.suppress(DatabaseError):
                    self.job.record_progress(self.rows_read)
        finally:
            connection.close()

    def stop(self):
        self.done.set()
        if self.is_alive():
            self.join()


@task()
@failing_honestly
def confirm_import(job_id):
    """Check and write every row in one transaction, or nothing; the job is marked done in
    that same transaction."""
    job = begin(job_id, ImportStatus.CONFIRMED, ImportStatus.WRITING)
    if job is None:
        return
    try:
        dataset = read_dataset(job)
    except ImportFileError as error:
        return file_problem(job, error)
    ImportJob.objects.filter(pk=job.pk).update(rows_total=len(dataset))
    reporter = ProgressReporter(job)
    if connection.vendor != "sqlite":
        reporter.start()
    try:
        with transaction.atomic():
            outcome = write_file(
                resource_for(job),
                dataset,
                expected_versions=job.versions,
                progress=lambda o: setattr(reporter, "rows_read", o.read),
            )
            reporter.stop()
            job.status = ImportStatus.DONE
            job.rows_total = outcome.total
            job.rows_read = outcome.read
            job.rows_written = outcome.written
            job.outcome = outcome_data(outcome)
            job.finished_at = timezone.now()
            job.save()
            job.drop_file()
    except ImportAborted as aborted:
        reporter.stop()
        return refuse(job, aborted.outcome)
    except ImportFileError as error:
        # Read as the preview read it, the file cannot fail now; if it does, nothing stays.
        reporter.stop()
        return file_problem(job, error)
    except (IntegrityError, DatabaseError) as error:
        reporter.stop()
        logger.exception("Import job %s could not be written", job.pk)
        return fail(
            job,
            _(
                "The database refused a row (%(error)s). Nothing was written: the whole "
                "import was rolled back."
            )
            % {"error": str(error).splitlines()[0] if str(error) else type(error).__name__},
        )
    finally:
        if reporter.is_alive():
            reporter.stop()
    bump_version()
