from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from operations.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by 'manage.py backup': replaces ALL the data in the database "
        "with the backup's and writes its files to the media storage (files the backup does "
        "not hold are left alone). The archive is checked in full first; if anything fails, "
        "nothing is changed. The database must be migrated to the same migrations as the "
        "backup's."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="A .tar.gz file written by 'manage.py backup'.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default)."
        )

    def handle(self, *args, archive, interactive, database, **options):
        if interactive:
            name = connections[database].settings_dict["NAME"]
            answer = input(
                f"This replaces every row in the database {name!r} with the backup's.\n"
                "Type 'yes' to continue, or anything else to stop: "
            )
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            summary = restore_backup(archive, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {summary.total_records:,} rows and {summary.media:,} files from {archive}."
        )
