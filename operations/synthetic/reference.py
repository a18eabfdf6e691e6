"""The few rows every synthetic site refers to: places, organisations, sources, and the ids of
the vocabularies' terms. Created through the ORM, as there are few of them."""

import datetime
from dataclasses import dataclass

from heritage.base import PublicationStatus
from heritage.models import Organisation, OrganisationKind, Place, PlaceKind, Source, SourceKind
from inspections.models import CauseCategory, CauseType, Certainty, OverallCondition
from operations.synthetic.words import word

PREFIX = "synthetic-"
SYNTHETIC_NOTE = "Synthetic record generated for performance measurement; not real data."
#: How many organisations assess the synthetic sites.
ORGANISATIONS = 5


@dataclass
class Reference:
    """What the sites, assessments and disturbances of a synthetic register refer to."""

    places: int
    villages: list
    organisation_ids: list
    source_ids: list
    condition_ids: list
    category_ids: list
    cause_type_ids: list
    certainty_ids: list


def _coordinate(rng, centre, spread):
    return round(float(centre) + rng.uniform(-spread, spread), 6)


def _districts(rng, country, districts):
    return Place.objects.bulk_create(
        Place(
            slug=f"{PREFIX}district-{index}",
            name=f"Synthetic district {index}",
            kind=PlaceKind.DISTRICT,
            parent=country,
            latitude=round(rng.uniform(38.5, 41.5), 6),
            longitude=round(rng.uniform(45.0, 50.0), 6),
        )
        for index in range(1, districts + 1)
    )


def _villages(rng, districts, per_district, batch_size):
    rows = [
        Place(
            slug=f"{district.slug}-village-{index}",
            name=f"{word(rng).title()} ({district.name})",
            kind=PlaceKind.VILLAGE,
            parent=district,
            latitude=_coordinate(rng, district.latitude, 0.2),
            longitude=_coordinate(rng, district.longitude, 0.2),
        )
        for district in districts
        for index in range(1, per_district + 1)
    ]
    villages = Place.objects.bulk_create(rows, batch_size=batch_size)
    # Plain floats for the per-site arithmetic.
    for village in villages:
        village.latitude = float(village.latitude)
        village.longitude = float(village.longitude)
    return villages


def _organisation_ids():
    organisations = Organisation.objects.bulk_create(
        Organisation(
            slug=f"{PREFIX}organisation-{index}",
            name=f"Synthetic organisation {index}",
            kind=OrganisationKind.OTHER,
        )
        for index in range(1, ORGANISATIONS + 1)
    )
    return [organisation.pk for organisation in organisations]


def _source_ids(count):
    sources = Source.objects.bulk_create(
        Source(
            slug=f"{PREFIX}source-{index}",
            title=f"Synthetic source {index} (not real data)",
            kind=SourceKind.FIELD_RECORD,
            notes=SYNTHETIC_NOTE,
            published_on=datetime.date(2000, 1, 1) + datetime.timedelta(days=index % 9000),
            publication_status=PublicationStatus.PUBLISHED,
        )
        for index in range(1, count + 1)
    )
    return [source.pk for source in sources]


def _ids(model):
    return list(model.objects.values_list("pk", flat=True))


def create_reference(rng, *, sites, districts, villages_per_district, batch_size):
    """Create the places, organisations and sources of a register of ``sites`` sites."""
    country = Place.objects.create(
        slug=f"{PREFIX}country", name="Synthetic country", kind=PlaceKind.COUNTRY
    )
    district_rows = _districts(rng, country, districts)
    villages = _villages(rng, district_rows, villages_per_district, batch_size)
    return Reference(
        places=1 + len(district_rows) + len(villages),
        villages=villages,
        organisation_ids=_organisation_ids(),
        source_ids=_source_ids(max(2, sites // 100)),
        condition_ids=_ids(OverallCondition),
        category_ids=_ids(CauseCategory),
        cause_type_ids=_ids(CauseType),
        certainty_ids=_ids(Certainty),
    )
