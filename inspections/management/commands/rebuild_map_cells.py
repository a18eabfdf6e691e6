from django.core.management.base import BaseCommand

from inspections.map_cells import rebuild_map_cells


class Command(BaseCommand):
    help = (
        "Recount the public sites of every cell of the map's grid, at every zoom, by "
        "category and latest condition (what /sites/map.json reads). Saves, deletions and "
        "imports keep the cells up to date; run this after writing sites, places or "
        "assessments around the ORM, e.g. with raw SQL (refresh_site_status does it too)."
    )

    def handle(self, *args, **options):
        count = rebuild_map_cells()
        self.stdout.write(f"Counted {count:,} public sites on the map.")
