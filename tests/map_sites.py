"""Many published sites made quickly with ``bulk_create``, for the map's and the listing's
size bounds: spread over a box around the South Caucasus, some with a withheld location,
each with a latest condition, the map's cells counted."""

import random

from heritage.base import PublicationStatus
from heritage.models import Place, Site
from inspections.map_cells import rebuild_map_cells
from inspections.models import OverallCondition, SiteStatus

SOUTH, NORTH, WEST, EAST = 38.4, 41.9, 44.7, 50.4


def many_sites(count, places=50, seed=17):
    """``count`` published sites in ``places`` villages; every seventh location is withheld."""
    rng = random.Random(seed)
    villages = Place.objects.bulk_create(
        Place(
            slug=f"village-{index}",
            name=f"Village {index}",
            kind=Place.Kind.VILLAGE,
            latitude=round(rng.uniform(SOUTH, NORTH), 6),
            longitude=round(rng.uniform(WEST, EAST), 6),
        )
        for index in range(places)
    )
    sites = Site.objects.bulk_create(
        Site(
            slug=f"generated-{index}",
            name=f"Generated site {index} " + "with a long name " * 3,
            category=Site.Category.MOSQUE,
            place=villages[index % places],
            latitude=round(rng.uniform(SOUTH, NORTH), 6),
            longitude=round(rng.uniform(WEST, EAST), 6),
            location_precision=(
                Site.Precision.WITHHELD if index % 7 == 0 else Site.Precision.EXACT
            ),
            publication_status=PublicationStatus.PUBLISHED,
        )
        for index in range(count)
    )
    terms = list(OverallCondition.objects.all())
    SiteStatus.objects.bulk_create(
        SiteStatus(site=site, condition=terms[index % len(terms)])
        for index, site in enumerate(sites)
        if index % 5
    )
    # Written around the ORM: count the map's cells as the command does.
    rebuild_map_cells()
    return sites
