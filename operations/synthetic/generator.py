"""The synthetic register's sites, name variants, assessments, disturbances and citations,
written in batches of plain rows."""

import datetime
import random
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction

from heritage.base import PublicationStatus
from heritage.cache import raise_groups
from heritage.models import Place, SearchWord, Site, SiteCategory, SiteCitation, SiteName
from heritage.text import fold
from inspections.models import (
    Assessment,
    AssessmentCitation,
    Commitment,
    CommitmentUpdate,
    Disturbance,
    ProjectBudget,
    ProjectRole,
    ProjectStatusUpdate,
    RestorationProject,
    SiteStatus,
    Verification,
)
from inspections.project_sites import rebuild_project_sites
from inspections.status import rebuild_site_status
from operations.synthetic.bulk import DeferredIndexes, TableWriter, analyze, reset_sequences
from operations.synthetic.reference import PREFIX, SYNTHETIC_NOTE, create_reference
from operations.synthetic.words import CATEGORY_WORDS, name_variants, word

FIRST_DAY = datetime.date(1994, 1, 1)
#: The tables the generator fills in bulk.
BULK_MODELS = (
    Site,
    SiteName,
    SiteCitation,
    Assessment,
    AssessmentCitation,
    Disturbance,
    RestorationProject,
    ProjectStatusUpdate,
    ProjectRole,
    ProjectBudget,
    Commitment,
    CommitmentUpdate,
)
#: Share of sites with a restoration project: a few in a hundred, as damaged sites are
#: restored slowly (Caucasus Heritage Watch counted 3 renovated or restored among 109).
PROJECT_SHARE = 0.03
#: Sites per commitment: pledges are made per visit or conference, not per site.
SITES_PER_COMMITMENT = 200
PROJECT_STATUSES = ["proposed", "planned", "funded", "under_way", "completed"]
COMMITMENT_OUTCOMES = ["in_progress", "fulfilled", "partly_fulfilled", "not_fulfilled", "unknown"]
LOCATION_PRECISIONS = ["exact", "exact", "approximate", "settlement", "withheld"]


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
    projects: int = 0
    commitments: int = 0


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
        self.search_words = set()

    def status(self, published_share):
        """Published, or now and then a draft."""
        if self.random.random() < published_share:
            return PublicationStatus.PUBLISHED
        return PublicationStatus.DRAFT

    def location(self, village):
        """Coordinates near the village, for nine sites in ten, and their precision."""
        located = self.random.random() < 0.9
        precision = self.random.choice(LOCATION_PRECISIONS)
        if not located:
            return {"latitude": None, "longitude": None, "location_precision": "settlement"}
        return {
            "latitude": round(village.latitude + self.random.uniform(-0.05, 0.05), 6),
            "longitude": round(village.longitude + self.random.uniform(-0.05, 0.05), 6),
            "location_precision": precision,
        }

    def site(self, number, rows):
        """Add a site, its name variants and its citation to ``rows``; return the site's id."""
        category = self.random.choice(SiteCategory.values)
        stem = word(self.random)
        name = f"{stem.title()} {CATEGORY_WORDS[category][0]}"
        village = self.random.choice(self.reference.villages)
        site_id, row = self.writers[Site].row(
            slug=f"{PREFIX}site-{number}",
            name=name,
            folded_name=self.search_form(name),
            category=category,
            place_id=village.pk,
            **self.location(village),
            description=SYNTHETIC_NOTE,
            publication_status=self.status(0.95),
        )
        rows[Site].append(row)
        variants = name_variants(stem, category)[: self.random.randint(1, 3)]
        for text, language, script, kind in variants:
            _name_id, row = self.writers[SiteName].row(
                site_id=site_id,
                name=text,
                folded=self.search_form(text),
                language=language,
                script=script,
                kind=kind,
            )
            rows[SiteName].append(row)
        rows[SiteCitation].append(self.citation(SiteCitation, site_id=site_id))
        return site_id

    def search_form(self, name):
        """The search form of ``name``; its words are kept for ``write_search_words``."""
        folded = fold(name)
        self.search_words.update(folded.split())
        return folded

    def write_search_words(self):
        """Record the words gathered since the last call among the search words."""
        SearchWord.objects.bulk_create(
            [SearchWord(word=word[:200]) for word in sorted(self.search_words)],
            ignore_conflicts=True,
            batch_size=self.batch_size,
        )
        # A bulk insert sends no post_save: the close matches cached before are stale.
        raise_groups("search-words")
        self.search_words = set()

    def citation(self, model, **target):
        return self.writers[model].row(
            **target,
            source_id=self.random.choice(self.reference.source_ids),
            summary=SYNTHETIC_NOTE,
        )[1]

    def assessments(self, site_id, slug, rows):
        """Add one to five assessments of a site, with citations and disturbances, to
        ``rows``; return the date of its latest published one, or None."""
        reference = self.reference
        days = sorted(self.random.sample(range(0, 11_000), self.random.randint(1, 5)))
        latest = None
        for index, day in enumerate(days, start=1):
            assessed_on = FIRST_DAY + datetime.timedelta(days=day)
            status = self.status(0.9)
            assessment_id, row = self.writers[Assessment].row(
                slug=f"{slug}-assessment-{index}",
                site_id=site_id,
                assessed_on=assessed_on,
                assessed_by_id=self.random.choice(reference.organisation_ids),
                overall_condition_id=self.random.choice(reference.condition_ids),
                verification=self.random.choice(Verification.values),
                summary=SYNTHETIC_NOTE,
                publication_status=status,
            )
            if status == PublicationStatus.PUBLISHED:
                latest = assessed_on
            rows[Assessment].append(row)
            rows[AssessmentCitation].append(
                self.citation(AssessmentCitation, assessment_id=assessment_id)
            )
            for position in range(1, self.random.randint(0, 2) + 1):
                _disturbance_id, row = self.writers[Disturbance].row(
                    assessment_id=assessment_id,
                    position=position,
                    cause_category_id=self.random.choice(reference.category_ids),
                    cause_type_id=self.random.choice(reference.cause_type_ids),
                    cause_certainty_id=self.random.choice(reference.certainty_ids),
                    description=SYNTHETIC_NOTE,
                )
                rows[Disturbance].append(row)
        return latest

    def project(self, site_id, slug, rows):
        """Add a restoration project of a site, its status updates, one or two organisations'
        roles and, for most, a budget, to ``rows``."""
        reference, rng = self.reference, self.random
        source_id = rng.choice(reference.source_ids)
        start = FIRST_DAY + datetime.timedelta(days=rng.randint(9_000, 11_000))
        project_id, row = self.writers[RestorationProject].row(
            slug=f"{slug}-project",
            site_id=site_id,
            title=f"{rng.choice(['Restoration', 'Conservation', 'Stabilisation'])} {slug}",
            kind=rng.choice(RestorationProject.Kind.values),
            start_date=start,
            description=SYNTHETIC_NOTE,
            source_id=source_id,
            publication_status=self.status(0.9),
        )
        rows[RestorationProject].append(row)
        for index in range(rng.randint(1, 3)):
            rows[ProjectStatusUpdate].append(
                self.writers[ProjectStatusUpdate].row(
                    project_id=project_id,
                    status=PROJECT_STATUSES[min(index * 2, len(PROJECT_STATUSES) - 1)],
                    date=start + datetime.timedelta(days=200 * index),
                    source_id=rng.choice(reference.source_ids),
                    summary=SYNTHETIC_NOTE,
                )[1]
            )
        organisations = rng.sample(reference.organisation_ids, rng.randint(1, 2))
        for organisation_id, role in zip(organisations, ["funder", "implementer"], strict=False):
            rows[ProjectRole].append(
                self.writers[ProjectRole].row(
                    project_id=project_id, organisation_id=organisation_id, role=role
                )[1]
            )
        if rng.random() < 0.7:
            rows[ProjectBudget].append(
                self.writers[ProjectBudget].row(
                    project_id=project_id,
                    amount=rng.randint(10, 5_000) * 1000,
                    currency=rng.choice(["AZN", "AZN", "USD", "EUR"]),
                    source_id=source_id,
                )[1]
            )

    def commitment(self, number, rows):
        """Add a commitment and up to three status updates to ``rows``."""
        reference, rng = self.reference, self.random
        made = FIRST_DAY + datetime.timedelta(days=rng.randint(8_000, 11_000))
        commitment_id, row = self.writers[Commitment].row(
            slug=f"{PREFIX}commitment-{number}",
            title=f"Commitment {number}",
            kind=rng.choice(Commitment.Kind.values),
            by_organisation_id=rng.choice(reference.organisation_ids),
            made_on=made,
            deadline=made + datetime.timedelta(days=rng.randint(30, 400))
            if rng.random() < 0.4
            else None,
            source_id=rng.choice(reference.source_ids),
            quote=SYNTHETIC_NOTE,
            publication_status=self.status(0.9),
        )
        rows[Commitment].append(row)
        for index in range(rng.randint(0, 3)):
            rows[CommitmentUpdate].append(
                self.writers[CommitmentUpdate].row(
                    commitment_id=commitment_id,
                    status=rng.choice(COMMITMENT_OUTCOMES) if index else "in_progress",
                    date=made + datetime.timedelta(days=100 * (index + 1)),
                    source_id=rng.choice(reference.source_ids),
                    summary=SYNTHETIC_NOTE,
                )[1]
            )

    def site_batch(self, start, size):
        """Write the sites numbered ``start`` to ``start + size - 1`` and all that is theirs."""
        rows = {model: [] for model in BULK_MODELS}
        numbers = range(start, start + size)
        site_ids = [self.site(number, rows) for number in numbers]
        dated = self.writers[Site].positions["last_assessed_on"]
        for index, (site_id, number) in enumerate(zip(site_ids, numbers, strict=True)):
            latest = self.assessments(site_id, f"{PREFIX}site-{number}", rows)
            # Written with the site, as its status will have it: the status's rebuild then
            # leaves every site row as it is (on PostgreSQL an update writes the whole row
            # again, and the table would stay twice its size).
            site_row = rows[Site][index]
            rows[Site][index] = (*site_row[:dated], latest, *site_row[dated + 1 :])
            if self.random.random() < PROJECT_SHARE:
                self.project(site_id, f"{PREFIX}site-{number}", rows)
        for number in range(start, start + size):
            if number % SITES_PER_COMMITMENT == 0:
                self.commitment(number // SITES_PER_COMMITMENT, rows)
        for model in BULK_MODELS:
            self.writers[model].write(rows[model])
        self.write_search_words()
        self.counts.sites += len(rows[Site])
        self.counts.names += len(rows[SiteName])
        self.counts.assessments += len(rows[Assessment])
        self.counts.disturbances += len(rows[Disturbance])
        self.counts.citations += len(rows[SiteCitation]) + len(rows[AssessmentCitation])
        self.counts.projects += len(rows[RestorationProject])
        self.counts.commitments += len(rows[Commitment])

    def check_database(self):
        if real_sites().exists():
            raise RealDataPresent(
                "This database holds real sites. Generate the synthetic register into an "
                "empty database (for example one named for benchmarks), never beside real data."
            )
        if synthetic_sites().exists():
            raise RealDataPresent(
                "This database already holds a synthetic register; start from an empty one."
            )

    def run(self):
        self.check_database()
        with transaction.atomic():
            deferred = DeferredIndexes([*BULK_MODELS, SiteStatus])
            deferred.drop()
            self.reference = create_reference(
                self.random,
                sites=self.total,
                districts=self.districts,
                villages_per_district=self.villages_per_district,
                batch_size=self.batch_size,
            )
            self.counts.places = self.reference.places
            for name in Place.objects.values_list("name", flat=True):
                self.search_form(name)
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
            rebuild_project_sites()
            deferred.restore()
        # Every table of the register, small ones too: a planner that takes the 5,000
        # sources for two rows joins them to every commitment update in a nested loop (a
        # second, not milliseconds, for the home page's count of commitments).
        analyze(register_models())
        return self.counts


def register_models():
    """The concrete models whose tables hold the register (heritage's and inspections')."""
    return [
        model
        for label in ("heritage", "inspections")
        for model in apps.get_app_config(label).get_models()
        if not model._meta.proxy and model._meta.managed
    ]


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
