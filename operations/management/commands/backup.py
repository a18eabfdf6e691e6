import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from operations.backups import BackupError, create_backup
from operations.tasks import backup_register


class Command(BaseCommand):
    help = (
        "Back up the whole register to one .tar.gz archive: every row of the database (users "
        "and the admin's history included) and every uploaded file. Restore it with "
        "'manage.py restore'. The archive holds password hashes: keep it as safe as the "
        "database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive",
            nargs="?",
            help="File to write (default: heritage-backup-<UTC date and time>.tar.gz here). "
            "An existing file is never overwritten.",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default)."
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue the backup for a worker (manage.py db_worker), which writes the "
            "archive on its own machine; give an absolute path.",
        )

    def handle(self, *args, archive, database, background, **options):
        if archive is None:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
            archive = f"heritage-backup-{stamp}.tar.gz"
        path = Path(archive)
        if background:
            if not path.is_absolute():
                raise CommandError("With --background, give the archive's absolute path.")
            result = backup_register.enqueue(str(path), database)
            self.stdout.write(f"Queued the backup to {path} (job {result.id}).")
            return
        try:
            summary = create_backup(path, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up {summary.total_records:,} rows and {summary.media:,} files to {path}."
        )
