"""A synthetic register for measuring the app at the size of the largest real registers.

Everything generated here is marked so that it cannot be taken for real data: slugs start
with ``synthetic-``, names carry no real place, every record cites one source titled as
synthetic, and the places hang under a country named "Synthetic country". The generator
refuses to write into a database that holds real sites, and ``load_demo`` refuses to load
the demo into one that holds synthetic sites, so the two are never mixed.

Rows are written in batches inside one transaction: a failed run leaves nothing behind.
The rows bypass the ORM and send no signals, so the folded search forms that
``heritage.signals`` would fill are computed here. On PostgreSQL the plain indexes (the
trigram GIN indexes of the text search among them) and the foreign keys of the tables being
filled are dropped for the load and made again from their own definitions once the rows are
in: building an index once is far cheaper than updating it row by row, and adding a foreign
key checks every row in one join rather than one lookup per row.
"""

import datetime
import random
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction

from heritage.base import PublicationStatus
from heritage.models import (
    NameKind,
    Organisation,
    OrganisationKind,
    Place,
    PlaceKind,
    Site,
    SiteCategory,
    SiteCitation,
    SiteName,
    Source,
    SourceKind,
)
from heritage.text import fold
from inspections.models import (
    Assessment,
    AssessmentCitation,
    CauseCategory,
    CauseType,
    Certainty,
    Disturbance,
    OverallCondition,
    SiteStatus,
    Verification,
)
from inspections.status import rebuild_site_status

PREFIX = "synthetic-"
SYNTHETIC_NOTE = "Synthetic record generated for performance measurement; not real data."
FIRST_DAY = datetime.date(1994, 1, 1)

SYLLABLES = [
    "ba", "da", "ga", "ka", "la", "ma", "na", "ra", "sa", "ta", "za", "qa", "xa", "ha",
    "be", "de", "ke", "le", "me", "ne", "re", "se", "te", "ze", "bi", "di", "ki", "li",
    "mi", "ni", "ri", "si", "ti", "bo", "do", "ko", "lo", "mo", "no", "ro", "so", "to",
    "bu", "du", "ku", "lu", "mu", "nu", "ru", "su", "tu", "şa", "ça", "ğa", "ə", "ı", "ö", "ü",
]  # fmt: skip
CYRILLIC = str.maketrans(
    {
        "a": "а", "b": "б", "d": "д", "e": "е", "g": "г", "h": "х", "i": "и", "k": "к",
        "l": "л", "m": "м", "n": "н", "o": "о", "q": "г", "r": "р", "s": "с", "t": "т",
        "u": "у", "x": "х", "z": "з", "ş": "ш", "ç": "ч", "ğ": "г", "ə": "а", "ı": "ы",
        "ö": "ё", "ü": "ю",
    }
)  # fmt: skip
ARABIC = str.maketrans(
    {
        "a": "ا", "b": "ب", "d": "د", "e": "ي", "g": "غ", "h": "ه", "i": "ي", "k": "ك",
        "l": "ل", "m": "م", "n": "ن", "o": "و", "q": "ق", "r": "ر", "s": "س", "t": "ت",
        "u": "و", "x": "خ", "z": "ز", "ş": "ش", "ç": "چ", "ğ": "غ", "ə": "ا", "ı": "ي",
        "ö": "و", "ü": "و",
    }
)  # fmt: skip
CATEGORY_WORDS = {
    SiteCategory.MOSQUE: ("Mosque", "məscidi"),
    SiteCategory.CARAVANSERAI: ("Caravanserai", "karvansarası"),
    SiteCategory.CEMETERY: ("Cemetery", "qəbiristanlığı"),
    SiteCategory.LIBRARY: ("Library", "kitabxanası"),
    SiteCategory.PALACE_OF_CULTURE: ("Palace of Culture", "mədəniyyət sarayı"),
    SiteCategory.MUSIC_ART_SCHOOL: ("Music School", "musiqi məktəbi"),
    SiteCategory.EDUCATIONAL: ("School", "məktəbi"),
    SiteCategory.MUSEUM: ("Museum", "muzeyi"),
    SiteCategory.MONUMENT: ("Monument", "abidəsi"),
    SiteCategory.HISTORIC_BUILDING: ("House", "evi"),
    SiteCategory.ARCHAEOLOGICAL: ("Mound", "təpəsi"),
    SiteCategory.OTHER: ("Site", "obyekti"),
}


class RealDataPresent(Exception):
    """The database holds real sites; synthetic ones must not be mixed in."""


@dataclass
class Counts:
    places: int = 0
    sites: int = 0
    names: int = 0
    assessments: int = 0
    disturbances: int = 0
    citations: int = 0


class TableWriter:
    """Fast inserts of plain rows into one model's table, bypassing model instances.

    The ORM's ``bulk_create`` spends most of its time building and preparing model
    instances; for millions of rows this writes tuples instead: ``COPY`` on PostgreSQL and
    ``executemany`` elsewhere. Ids are assigned here, from the table's current maximum, so
    that child rows can refer to their parents without reading them back. Columns not given
    take the field's default.
    """

    def __init__(self, model):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.columns = [field.column for field in self.fields]
        self.defaults = [
            None if field.primary_key else field.get_default() for field in self.fields
        ]
        self.positions = {field.attname: index for index, field in enumerate(self.fields)}
        self.next_id = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def row(self, **values):
        """A row tuple with a new id (returned first) and the given column values."""
        new_id = self.next_id
        self.next_id += 1
        row = list(self.defaults)
        row[self.positions["id"]] = new_id
        for name, value in values.items():
            row[self.positions[name]] = value
        return new_id, tuple(row)

    def write(self, rows):
        if not rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def reset_sequences(models):
    """After explicit ids, make PostgreSQL's id sequences continue past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


#: The tables the generator fills in bulk.
BULK_MODELS = (Site, SiteName, SiteCitation, Assessment, AssessmentCitation, Disturbance)
#: Memory PostgreSQL may use to build each index after the load.
INDEX_BUILD_MEMORY = "256MB"


class DeferredIndexes:
    """On PostgreSQL, the plain indexes and foreign keys of some tables, dropped for a bulk
    load and created again afterwards, inside the caller's transaction.

    Indexes that back a primary key or a unique constraint stay, so duplicates are still
    refused row by row. Everything dropped is made again from the definition the database
    reports, so a later migration that adds or changes an index needs nothing here. A failed
    load rolls back the drops with the rows. Elsewhere this does nothing.
    """

    INDEXES = """
        SELECT pg_get_indexdef(i.indexrelid), quote_ident(c.relname)
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = ANY(%s::regclass[])
          AND NOT i.indisprimary
          AND NOT EXISTS (
              SELECT 1 FROM pg_constraint k
              WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid
          )
        ORDER BY c.relname
    """
    FOREIGN_KEYS = """
        SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
        FROM pg_constraint
        WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
        ORDER BY conrelid::regclass::text, conname
    """

    def __init__(self, models):
        self.tables = [model._meta.db_table for model in models]
        self.indexes = []
        self.foreign_keys = []

    def drop(self):
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(self.INDEXES, [self.tables])
            self.indexes = cursor.fetchall()
            cursor.execute(self.FOREIGN_KEYS, [self.tables])
            self.foreign_keys = cursor.fetchall()
            for table, name, _definition in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            for _definition, name in self.indexes:
                cursor.execute(f"DROP INDEX {name}")

    def restore(self):
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
            for definition, _name in self.indexes:
                cursor.execute(definition)
            for table, name, definition in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        self.indexes, self.foreign_keys = [], []


def analyze(models):
    """Refresh the query planner's statistics of these tables.

    SQLite keeps no statistics until ``ANALYZE`` runs: without them it takes the published
    status for a selective condition and scans the whole listing in name order for a search
    that matches a handful of sites. PostgreSQL's autovacuum would get there on its own, but
    only some time after the load.
    """
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def synthetic_sites():
    return Site.objects.filter(slug__startswith=PREFIX)


def real_sites():
    return Site.objects.exclude(slug__startswith=PREFIX)


class Generator:
    def __init__(self, *, sites, seed, batch_size, districts, villages_per_district, progress):
        self.total = sites
        self.random = random.Random(seed)
        self.batch_size = batch_size
        self.districts = districts
        self.villages_per_district = villages_per_district
        self.progress = progress or (lambda done, total: None)
        self.counts = Counts()

    def word(self):
        return "".join(self.random.choice(SYLLABLES) for _ in range(self.random.randint(2, 4)))

    def reference_rows(self):
        """Places, organisations and sources: few rows, created one by one."""
        country = Place.objects.create(
            slug=f"{PREFIX}country", name="Synthetic country", kind=PlaceKind.COUNTRY
        )
        self.villages = []
        district_rows = Place.objects.bulk_create(
            Place(
                slug=f"{PREFIX}district-{index}",
                name=f"Synthetic district {index}",
                kind=PlaceKind.DISTRICT,
                parent=country,
                latitude=round(self.random.uniform(38.5, 41.5), 6),
                longitude=round(self.random.uniform(45.0, 50.0), 6),
            )
            for index in range(1, self.districts + 1)
        )
        village_rows = []
        for district in district_rows:
            for index in range(1, self.villages_per_district + 1):
                village_rows.append(
                    Place(
                        slug=f"{district.slug}-village-{index}",
                        name=f"{self.word().title()} ({district.name})",
                        kind=PlaceKind.VILLAGE,
                        parent=district,
                        latitude=round(
                            float(district.latitude) + self.random.uniform(-0.2, 0.2), 6
                        ),
                        longitude=round(
                            float(district.longitude) + self.random.uniform(-0.2, 0.2), 6
                        ),
                    )
                )
        self.villages = Place.objects.bulk_create(village_rows, batch_size=self.batch_size)
        self.counts.places = 1 + len(district_rows) + len(self.villages)
        self.organisations = Organisation.objects.bulk_create(
            Organisation(
                slug=f"{PREFIX}organisation-{index}",
                name=f"Synthetic organisation {index}",
                kind=OrganisationKind.OTHER,
            )
            for index in range(1, 6)
        )
        self.sources = Source.objects.bulk_create(
            Source(
                slug=f"{PREFIX}source-{index}",
                title=f"Synthetic source {index} (not real data)",
                kind=SourceKind.FIELD_RECORD,
                notes=SYNTHETIC_NOTE,
                published_on=datetime.date(2000, 1, 1) + datetime.timedelta(days=index % 9000),
                publication_status=PublicationStatus.PUBLISHED,
            )
            for index in range(1, max(2, self.total // 100) + 1)
        )
        self.source_ids = [source.pk for source in self.sources]
        self.organisation_ids = [organisation.pk for organisation in self.organisations]
        self.condition_ids = list(OverallCondition.objects.values_list("pk", flat=True))
        self.category_ids = list(CauseCategory.objects.values_list("pk", flat=True))
        self.cause_type_ids = list(CauseType.objects.values_list("pk", flat=True))
        self.certainty_ids = list(Certainty.objects.values_list("pk", flat=True))
        # Plain floats for the per-site arithmetic.
        for village in self.villages:
            village.latitude = float(village.latitude)
            village.longitude = float(village.longitude)

    def site_batch(self, start, size):
        sites, names, site_citations = [], [], []
        site_ids = []
        for number in range(start, start + size):
            category = self.random.choice(SiteCategory.values)
            english, azerbaijani = CATEGORY_WORDS[category]
            stem = self.word()
            name = f"{stem.title()} {english}"
            village = self.random.choice(self.villages)
            located = self.random.random() < 0.9
            precision = self.random.choice(
                ["exact", "exact", "approximate", "settlement", "withheld"]
            )
            site_id, row = self.writers[Site].row(
                slug=f"{PREFIX}site-{number}",
                name=name,
                folded_name=fold(name),
                category=category,
                place_id=village.pk,
                latitude=round(village.latitude + self.random.uniform(-0.05, 0.05), 6)
                if located
                else None,
                longitude=round(village.longitude + self.random.uniform(-0.05, 0.05), 6)
                if located
                else None,
                location_precision=precision if located else "settlement",
                description=SYNTHETIC_NOTE,
                publication_status=PublicationStatus.PUBLISHED
                if self.random.random() < 0.95
                else PublicationStatus.DRAFT,
            )
            sites.append(row)
            site_ids.append((site_id, f"{PREFIX}site-{number}"))
            local = f"{stem.title()} {azerbaijani}"
            variants = [
                (local, "az", "Latn", NameKind.OFFICIAL),
                (local.lower().translate(CYRILLIC).title(), "ru", "Cyrl", NameKind.TRANSLITERATION),
                (stem.translate(ARABIC), "ar", "Arab", NameKind.TRANSLITERATION),
            ][: self.random.randint(1, 3)]
            for text, language, script, kind in variants:
                names.append(
                    self.writers[SiteName].row(
                        site_id=site_id,
                        name=text,
                        folded=fold(text),
                        language=language,
                        script=script,
                        kind=kind,
                    )[1]
                )
            site_citations.append(
                self.writers[SiteCitation].row(
                    site_id=site_id,
                    source_id=self.random.choice(self.source_ids),
                    summary=SYNTHETIC_NOTE,
                )[1]
            )
        self.writers[Site].write(sites)
        self.writers[SiteName].write(names)
        self.writers[SiteCitation].write(site_citations)
        self.counts.sites += len(sites)
        self.counts.names += len(names)
        self.counts.citations += len(site_citations)
        self.assessment_batch(site_ids)

    def assessment_batch(self, site_ids):
        assessments, citations, disturbances = [], [], []
        for site_id, slug in site_ids:
            days = sorted(self.random.sample(range(0, 11_000), self.random.randint(1, 5)))
            for index, day in enumerate(days, start=1):
                assessment_id, row = self.writers[Assessment].row(
                    slug=f"{slug}-assessment-{index}",
                    site_id=site_id,
                    assessed_on=FIRST_DAY + datetime.timedelta(days=day),
                    assessed_by_id=self.random.choice(self.organisation_ids),
                    overall_condition_id=self.random.choice(self.condition_ids),
                    verification=self.random.choice(Verification.values),
                    summary=SYNTHETIC_NOTE,
                    publication_status=PublicationStatus.PUBLISHED
                    if self.random.random() < 0.9
                    else PublicationStatus.DRAFT,
                )
                assessments.append(row)
                citations.append(
                    self.writers[AssessmentCitation].row(
                        assessment_id=assessment_id,
                        source_id=self.random.choice(self.source_ids),
                        summary=SYNTHETIC_NOTE,
                    )[1]
                )
                for position in range(1, self.random.randint(0, 2) + 1):
                    disturbances.append(
                        self.writers[Disturbance].row(
                            assessment_id=assessment_id,
                            position=position,
                            cause_category_id=self.random.choice(self.category_ids),
                            cause_type_id=self.random.choice(self.cause_type_ids),
                            cause_certainty_id=self.random.choice(self.certainty_ids),
                            description=SYNTHETIC_NOTE,
                        )[1]
                    )
        self.writers[Assessment].write(assessments)
        self.writers[AssessmentCitation].write(citations)
        self.writers[Disturbance].write(disturbances)
        self.counts.assessments += len(assessments)
        self.counts.citations += len(citations)
        self.counts.disturbances += len(disturbances)

    def run(self):
        if real_sites().exists():
            raise RealDataPresent(
                "This database holds real sites. Generate the synthetic register into an "
                "empty database (for example one named for benchmarks), never beside real data."
            )
        if synthetic_sites().exists():
            raise RealDataPresent(
                "This database already holds a synthetic register; start from an empty one."
            )
        with transaction.atomic():
            deferred = DeferredIndexes([*BULK_MODELS, SiteStatus])
            deferred.drop()
            self.reference_rows()
            self.writers = {model: TableWriter(model) for model in BULK_MODELS}
            done = 0
            self.progress(done, self.total)
            while done < self.total:
                size = min(self.batch_size, self.total - done)
                self.site_batch(done + 1, size)
                done += size
                self.progress(done, self.total)
            reset_sequences(list(self.writers))
            # The rows went in around the ORM: record each site's latest assessment.
            rebuild_site_status(batch_size=self.batch_size)
            deferred.restore()
        analyze([Place, *BULK_MODELS, SiteStatus])
        return self.counts


def generate_register(
    *, sites, seed=0, batch_size=5000, districts=None, villages_per_district=20, progress=None
):
    """Write a synthetic register of ``sites`` sites; return the :class:`Counts` written."""
    if districts is None:
        districts = max(1, min(80, sites // 5000))
    return Generator(
        sites=sites,
        seed=seed,
        batch_size=batch_size,
        districts=districts,
        villages_per_district=villages_per_district,
        progress=progress,
    ).run()
