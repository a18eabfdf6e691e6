import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from public.data_package.writer import remove_unused, write_package
from public.tasks import export_register_package


def at_least_one(value):
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Write the published register as a Frictionless Data Package (a zip of "
        "datapackage.json, one CSV per kind of record, the sites as GeoJSON and the register "
        "as Linked Art JSON-LD) into DATA_PACKAGE_DIR or --output; /data/ offers the newest."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=None,
            help="Folder to write the package into (default: the DATA_PACKAGE_DIR setting).",
        )
        parser.add_argument(
            "--base-url",
            default=None,
            help="Address the package's links start with, e.g. https://register.example.org "
            "(default: the PUBLIC_BASE_URL setting).",
        )
        parser.add_argument(
            "--keep",
            type=at_least_one,
            default=3,
            help="Packages to keep in the folder, the newest (default 3).",
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue the export for a worker (manage.py db_worker), which writes the "
            "package on its own machine; give an absolute folder.",
        )

    def handle(self, *args, output, base_url, keep, background, **options):
        directory = Path(output) if output else Path(settings.DATA_PACKAGE_DIR)
        origin = (base_url or settings.PUBLIC_BASE_URL).rstrip("/")
        if not origin.startswith(("http://", "https://")):
            raise CommandError("The base URL starts with http:// or https://.")
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} is a file, not a folder: give a folder to write into.")
        if background:
            if not directory.is_absolute():
                raise CommandError("With --background, give the folder's absolute path.")
            result = export_register_package.enqueue(str(directory), origin, keep)
            self.stdout.write(f"Queued the data package to {directory} (job {result.id}).")
            return
        started = time.monotonic()
        written = write_package(directory, origin)
        remove_unused(directory, keep)
        rows = sum(written.rows.values())
        self.stdout.write(
            f"Wrote {written.path} ({written.size:,} bytes, {rows:,} rows, SHA-256 "
            f"{written.sha256}) in {time.monotonic() - started:.1f} s."
        )
