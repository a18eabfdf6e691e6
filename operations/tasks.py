"""Background jobs of operations: a backup written by a worker (``manage.py backup
--background``), so that a long backup does not hold a terminal or a request."""

from pathlib import Path

from django_tasks import task

from operations.backups import create_backup


@task()
def backup_register(archive, database="default"):
    """Write a backup archive to ``archive`` on the worker's machine; what it holds."""
    summary = create_backup(Path(archive), using=database)
    return {"archive": str(archive), "rows": summary.total_records, "files": summary.media}
