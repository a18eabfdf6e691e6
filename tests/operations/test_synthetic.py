import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from heritage.models import Site, SiteName, Source
from heritage.text import fold
from inspections import status
from inspections.models import Assessment, AssessmentCitation, Disturbance
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def generate(*args):
    call_command("generate_register", *args, "--quiet", stdout=None)


def test_generates_a_register_marked_synthetic_throughout():
    generate("--sites", "30", "--batch-size", "7")

    sites = Site.objects.all()
    assert sites.count() == 30
    assert all(site.slug.startswith("synthetic-") for site in sites)
    assert all("not real data" in site.description for site in sites)
    titles = list(Source.objects.values_list("title", flat=True))
    assert titles
    assert all("not real data" in title for title in titles)
    assessments_per_site = [site.assessments.count() for site in sites]
    assert min(assessments_per_site) >= 1
    assert max(assessments_per_site) <= 5
    assert AssessmentCitation.objects.count() == Assessment.objects.count()
    assert Disturbance.objects.exists()
    scripts = set(SiteName.objects.values_list("script", flat=True))
    assert "Latn" in scripts
    assert scripts & {"Cyrl", "Arab"}


def test_generated_names_are_searchable_like_any_other():
    generate("--sites", "10")
    for site in Site.objects.all():
        assert site.folded_name == fold(site.name)
    for variant in SiteName.objects.all():
        assert variant.folded == fold(variant.name)


def generated_with_seed(seed):
    """The sites a seed generates, in a transaction that is then rolled back."""
    with transaction.atomic():
        generate("--sites", "5", "--seed", str(seed))
        rows = list(Site.objects.order_by("slug").values_list("slug", "name", "category"))
        transaction.set_rollback(True)
    return rows


def test_same_seed_gives_the_same_register():
    assert generated_with_seed(7) == generated_with_seed(7)
    assert generated_with_seed(7) != generated_with_seed(8)


def test_records_created_after_generation_get_fresh_ids():
    generate("--sites", "5")
    highest = Site.objects.order_by("-pk").first().pk
    site = SiteFactory()
    assert site.pk > highest


def test_refuses_a_database_that_holds_real_sites():
    SiteFactory(slug="real-mosque")
    with pytest.raises(CommandError, match="holds real sites"):
        generate("--sites", "5")
    assert not Site.objects.filter(slug__startswith="synthetic-").exists()


def test_refuses_to_generate_twice():
    generate("--sites", "3")
    with pytest.raises(CommandError, match="already holds a synthetic register"):
        generate("--sites", "3")
    assert Site.objects.count() == 3


def test_demo_refuses_a_database_with_a_synthetic_register():
    generate("--sites", "3")
    with pytest.raises(CommandError, match="synthetic register"):
        call_command("load_demo")
    assert Site.objects.count() == 3


@pytest.mark.parametrize("value", ["0", "-4", "many"])
def test_rejects_a_number_of_sites_that_is_not_positive(value):
    with pytest.raises(CommandError, match="--sites"):
        generate("--sites", value)
    assert not Site.objects.exists()


BULK_TABLES = [
    "heritage_site",
    "heritage_sitename",
    "heritage_sitecitation",
    "inspections_assessment",
    "inspections_assessmentcitation",
    "inspections_disturbance",
    "inspections_sitestatus",
]


def postgres_schema():
    """The definitions of every index and foreign key of the tables filled in bulk."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [BULK_TABLES]
        )
        indexes = set(cursor.fetchall())
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [BULK_TABLES],
        )
        foreign_keys = set(cursor.fetchall())
    return indexes, foreign_keys


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's bulk load")
def test_indexes_and_foreign_keys_dropped_for_the_load_are_all_made_again():
    indexes, foreign_keys = postgres_schema()
    assert any("gin_trgm_ops" in definition for _name, definition in indexes)
    assert foreign_keys

    generate("--sites", "20")

    assert postgres_schema() == (indexes, foreign_keys)
    # The text search still finds the generated names through the trigram indexes.
    name = SiteName.objects.order_by("pk").first()
    assert Site.objects.filter(names__folded__contains=name.folded[:4]).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's bulk load")
def test_a_foreign_key_still_refuses_a_missing_site_after_the_load():
    generate("--sites", "5")
    with transaction.atomic():
        SiteName.objects.create(site_id=10**9, name="Orphan", language="en")
        with connection.cursor() as cursor, pytest.raises(IntegrityError):
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        transaction.set_rollback(True)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner statistics")
def test_the_load_leaves_statistics_for_sqlites_query_planner():
    generate("--sites", "20")
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        analysed = {row[0] for row in cursor.fetchall()}
    assert {"heritage_site", "heritage_sitename", "inspections_sitestatus"} <= analysed


def test_each_site_is_written_with_its_latest_published_assessments_date(monkeypatch):
    # Not copied from the statuses afterwards: an update of every site row would leave a
    # PostgreSQL table twice its size.
    monkeypatch.setattr(status, "copy_all_dates_to_sites", lambda: None)
    generate("--sites", "40", "--batch-size", "9")

    for site in Site.objects.all():
        latest = Assessment.objects.published().filter(site=site).order_by("-assessed_on").first()
        assert site.last_assessed_on == (latest.assessed_on if latest else None), site
