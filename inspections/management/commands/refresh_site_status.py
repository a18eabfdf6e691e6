from django.core.management.base import BaseCommand

from inspections.status import rebuild_site_status


class Command(BaseCommand):
    help = (
        "Recompute every site's latest published assessment (the table listings read their "
        "condition from). Saves and deletions keep it up to date; run this after writing "
        "assessments around the ORM, e.g. with raw SQL."
    )

    def handle(self, *args, **options):
        count = rebuild_site_status()
        self.stdout.write(f"Recorded the latest published assessment of {count:,} sites.")
