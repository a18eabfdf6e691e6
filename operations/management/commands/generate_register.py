import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from heritage.progress import ProgressBar
from inspections.sqlite_statistics import refresh_database
from operations.synthetic import RealDataPresent, generate_register


def positive(value):
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Generate a synthetic register of N sites (places, name variants in several scripts, "
        "1-5 assessments per site with disturbances and citations) for performance "
        "measurement. Every record is marked synthetic; the command refuses a database that "
        "holds real sites."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sites", type=positive, required=True, help="Number of sites.")
        parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
        parser.add_argument(
            "--batch-size", type=positive, default=5000, help="Rows per insert (default 5000)."
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, sites, seed, batch_size, quiet, **options):
        progress = None if quiet else ProgressBar(sys.stderr, "sites")
        started = time.monotonic()
        try:
            counts = generate_register(
                sites=sites, seed=seed, batch_size=batch_size, progress=progress
            )
        except RealDataPresent as error:
            raise CommandError(str(error)) from error
        if connection.vendor == "postgresql":
            # The rows went in by the million: without a visibility map PostgreSQL cannot
            # read the feeds' covering indexes alone, and walks the assessments' rows (a
            # second for a district's feed, not tens of milliseconds) until autovacuum has
            # been by. (SQLite's tables were analysed as they were loaded.)
            refresh_database(connection)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Generated {counts.sites:,} synthetic sites, {counts.names:,} name variants, "
            f"{counts.assessments:,} assessments, {counts.disturbances:,} disturbances, "
            f"{counts.citations:,} citations, {counts.projects:,} restoration projects, "
            f"{counts.commitments:,} commitments and {counts.places:,} places "
            f"in {elapsed:.1f} s."
        )
