from django.core.management.base import BaseCommand
from django.db import connection

from inspections.counts import COUNT_MODELS
from inspections.models import MapCell, MapCellYear, SiteStatus
from inspections.sqlite_statistics import refresh_rewritten
from inspections.status import rebuild_site_status


class Command(BaseCommand):
    help = (
        "Recompute every site's latest published assessment (the table listings read their "
        "condition from), and the counts and map cells made from them. Saves and deletions "
        "keep them up to date; run this after writing assessments around the ORM, e.g. with "
        "raw SQL."
    )

    def handle(self, *args, **options):
        count = rebuild_site_status()
        self.stdout.write(f"Recorded the latest published assessment of {count:,} sites.")
        # The status rows, the maintained counts and the map's cells were all written again:
        # vacuumed and analysed, PostgreSQL does not read their old rows too.
        refresh_rewritten(connection, (SiteStatus, *COUNT_MODELS, MapCell, MapCellYear))
