from django.core.management.base import BaseCommand

from inspections.counts import rebuild_site_counts


class Command(BaseCommand):
    help = (
        "Recount the public sites of every place by category, latest condition and "
        "verification level (the counts the home, statistics and area pages read). Saves, "
        "deletions and imports keep them up to date; run this after writing sites or "
        "assessments around the ORM, e.g. with raw SQL (refresh_site_status does it too)."
    )

    def handle(self, *args, **options):
        count = rebuild_site_counts()
        self.stdout.write(f"Counted {count:,} public sites.")
