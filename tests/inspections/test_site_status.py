"""Each site's latest published assessment, as SiteStatus keeps it for the listings."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection

from heritage.base import PublicationStatus
from heritage.models import Site
from inspections.models import Assessment, SiteStatus
from inspections.status import rebuild_site_status
from tests.factories import AssessmentFactory, SiteFactory, condition, published_assessment

pytestmark = pytest.mark.django_db


def status_of(site):
    """The site's latest condition and date, as its status row holds them; and checks that
    the site's own copy of the date (the listing's sort) says the same."""
    row = SiteStatus.objects.filter(site=site).first()
    site.refresh_from_db(fields=["last_assessed_on"])
    assert site.last_assessed_on == (row.assessed_on if row else None)
    return (row.condition.label, row.assessed_on) if row and row.assessment_id else None


def test_publishing_an_assessment_makes_it_the_latest():
    site = SiteFactory(published=True)
    draft = AssessmentFactory(site=site, assessed_on=datetime.date(2021, 1, 12), condition="Poor")
    assert status_of(site) is None

    draft.publication_status = PublicationStatus.PUBLISHED
    draft.save()

    assert status_of(site) == ("Poor", datetime.date(2021, 1, 12))


@pytest.fixture
def assessed_twice():
    """A published site, found poor in 2020 and destroyed in 2021; returns the site and its
    latest assessment."""
    site = SiteFactory(published=True)
    published_assessment(site, datetime.date(2020, 1, 1), "Poor")
    latest = published_assessment(site, datetime.date(2021, 1, 12), "Destroyed")
    return site, latest


def test_a_newer_published_assessment_replaces_an_older_one_and_a_draft_does_not(assessed_twice):
    site, _latest = assessed_twice
    AssessmentFactory(site=site, assessed_on=datetime.date(2023, 1, 1), condition="Good")

    assert status_of(site) == ("Destroyed", datetime.date(2021, 1, 12))


def test_editing_the_condition_of_the_latest_assessment_updates_the_status():
    site = SiteFactory(published=True)
    assessment = AssessmentFactory(site=site, published=True, condition="Poor")

    assessment.overall_condition = condition("Very Bad")
    assessment.save()

    assert status_of(site)[0] == "Very Bad"


def test_unpublishing_or_deleting_the_latest_falls_back_to_the_previous_one(assessed_twice):
    site, latest = assessed_twice

    latest.publication_status = PublicationStatus.REJECTED
    latest.save()
    assert status_of(site) == ("Poor", datetime.date(2020, 1, 1))

    Assessment.objects.filter(site=site, publication_status="published").get().delete()
    assert status_of(site) is None


def test_moving_an_assessment_to_another_site_refreshes_both():
    first, second = SiteFactory(published=True), SiteFactory(published=True)
    assessment = AssessmentFactory(site=first, published=True, condition="Fair")

    assessment.site = second
    assessment.save()

    assert status_of(first) is None
    assert status_of(second)[0] == "Fair"


@pytest.mark.usefixtures("demo")
def test_loading_the_demo_fixtures_records_the_status():
    destroyed = SiteStatus.objects.filter(condition__label="Destroyed")
    assert set(destroyed.values_list("site__slug", flat=True)) >= {
        "haji-alakbar-mosque",
        "gochahmadli-mosque",
    }


def test_rebuild_matches_what_the_saves_recorded():
    for index in range(4):
        site = SiteFactory(published=True)
        for day in range(index):
            AssessmentFactory(
                site=site,
                published=True,
                assessed_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=day),
            )
    kept = sorted(SiteStatus.objects.values_list("site_id", "assessment_id", "condition_id"))

    assert rebuild_site_status() == 3
    assert (
        sorted(SiteStatus.objects.values_list("site_id", "assessment_id", "condition_id")) == kept
    )


def test_rebuild_writes_each_sites_date_and_clears_a_stale_one():
    dated, undated = SiteFactory(published=True), SiteFactory(published=True)
    published_assessment(dated, "2021-05-01", "Destroyed")
    Site.objects.filter(pk=dated.pk).update(last_assessed_on=None)
    Site.objects.filter(pk=undated.pk).update(last_assessed_on=datetime.date(2020, 1, 1))

    rebuild_site_status()

    assert status_of(dated) == ("Destroyed", datetime.date(2021, 5, 1))
    assert status_of(undated) is None


def test_a_stale_copy_of_a_site_does_not_write_back_its_latest_assessment_date():
    site = SiteFactory(published=True)
    copy = Site.objects.get(pk=site.pk)
    published_assessment(site, "2021-05-01", "Destroyed")

    copy.description = "Edited after the assessment was published."
    copy.save()

    copy.refresh_from_db()
    assert copy.description == "Edited after the assessment was published."
    assert copy.last_assessed_on == datetime.date(2021, 5, 1)


def test_refresh_command_repairs_a_status_changed_behind_the_orms_back():
    site = SiteFactory(published=True)
    AssessmentFactory(site=site, published=True, condition="Poor")
    Assessment.objects.filter(site=site).update(overall_condition=condition("Good"))
    assert status_of(site)[0] == "Poor"

    call_command("refresh_site_status", stdout=None)

    assert status_of(site)[0] == "Good"


def test_listing_filter_follows_the_status_after_an_edit(client):
    site = SiteFactory(published=True, name="Followed Site")
    assessment = AssessmentFactory(site=site, published=True, condition="Poor")
    assert "Followed Site" in client.get("/sites/?condition=Poor").content.decode()

    assessment.overall_condition = condition("Destroyed")
    assessment.save()

    assert "Followed Site" not in client.get("/sites/?condition=Poor").content.decode()
    assert "Followed Site" in client.get("/sites/?condition=Destroyed").content.decode()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statistics")
@pytest.mark.parametrize(
    ("migration", "table", "index"),
    [
        (
            "0023_site_status_condition_by_site",
            "inspections_sitestatus",
            "inspections_status_site_idx",
        ),
        (
            "0024_assessments_by_organisation_index",
            "inspections_assessment",
            "inspections_assess_site_idx",
        ),
        ("0025_site_status_disputed", "inspections_sitestatus", "inspections_status_site_idx"),
        ("0026_copy_dates_to_sites", "heritage_site", "heritage_site_recent_idx"),
    ],
)
def test_new_indexes_get_statistics_where_sqlite_keeps_some(migration, table, index):
    published_assessment(SiteFactory(published=True), "2021-05-01", "Destroyed")
    step = importlib.import_module(f"inspections.migrations.{migration}")
    editor = SimpleNamespace(connection=connection)

    def statistics_kept():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            return cursor.fetchone() is not None

    def analysed_indexes():
        with connection.cursor() as cursor:
            cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = %s", [table])
            return {row[0] for row in cursor.fetchall()}

    # A database never analysed stays so: statistics of one table would skew the others'.
    if not statistics_kept():
        step.refresh_sqlite_statistics(None, editor)
        assert not statistics_kept()

    # Statistics of another table only: those of ``table`` are the step's to make.
    other = "heritage_place" if table == "heritage_site" else "heritage_site"
    with connection.cursor() as cursor:
        cursor.execute(f'ANALYZE "{other}"')
    step.refresh_sqlite_statistics(None, editor)
    assert index in analysed_indexes()
