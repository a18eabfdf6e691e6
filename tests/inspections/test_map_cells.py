"""The map's maintained cells equal a recount of the public sites, whatever changed and by
whatever route, and an edit empties the cached blocks of its own region only."""

import datetime
import io
import itertools
import math
from collections import Counter, defaultdict
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from heritage.base import PublicationStatus
from heritage.imports.engine import write_file
from heritage.imports.files import CSV
from heritage.imports.resources import SiteResource
from heritage.models import Place, Site
from inspections import cell_migrations, map_cells
from inspections.imports import AssessmentResource
from inspections.models import Assessment, MapCell, MapCellYear, OverallCondition
from inspections.models.map_cells import FINE_ZOOM, cell_size
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    OrganisationFactory,
    PlaceFactory,
    SiteFactory,
    SiteNameFactory,
    UserFactory,
    VisitFactory,
    published_assessment,
)
from tests.map_sites import many_sites

pytestmark = pytest.mark.django_db

#: Points on both sides of cell edges, of the equator and of the prime meridian.
LATITUDES = ["39.500000", "39.510000", "40.200000", "-10.300000", "0.000000"]
LONGITUDES = ["47.100000", "47.120000", "46.000000", "-60.500000", "0.000000"]


#: The places in ``stored()``'s tuples of the counts kept in a field of ``MapCell``.
COUNT_PARTS = (2, 3, 4, 5, 6, 8, 9, 10)


def facet_labels(parts):
    """The labels of a cell's counts by organisation and level (``stored()``'s tuple)."""
    return {key.split("|")[0] for key in (*parts[3], *parts[8])}


def stored():
    years = defaultdict(dict)
    for row in MapCellYear.objects.all():
        years[(row.zoom, row.row, row.column)][(row.year, row.month)] = row.counts
    found = {
        (cell.zoom, cell.row, cell.column): (
            cell.sites,
            cell.conditions,
            cell.counts,
            cell.facets,
            cell.category_facets,
            cell.years,
            cell.year_pairs,
            years.pop((cell.zoom, cell.row, cell.column), {}),
            cell.organisation_levels,
            cell.latest_years,
            cell.earliest_years,
        )
        for cell in MapCell.objects.all()
    }
    # Rows of years of no cell.
    found.update(years)
    return found


def labels(site):
    """The organisations, verification levels, years and months of the site's published
    assessments, each two years in a row of those years and each two months in a row of
    those months less than twelve apart, and the year, month and day of the latest and of the
    earliest, as the cells' facets, years, pairs of years, months and rows of years name
    them."""
    found = set()
    assessments = Assessment.objects.published().filter(site=site)
    if assessments:
        latest = max(assessment.assessed_on for assessment in assessments)
        found.add(f"l:{latest.year}")
        found.add(f"m:{latest:%Y-%m}")
        found.add(f"d:{latest:%Y-%m-%d}")
        earliest = min(assessment.assessed_on for assessment in assessments)
        found.add(f"e:{earliest.year}")
        found.add(f"f:{earliest:%Y-%m}")
        found.add(f"g:{earliest:%Y-%m-%d}")
    years = sorted({assessment.assessed_on.year for assessment in assessments})
    found.update(f"p:{first}:{then}" for first, then in itertools.pairwise(years))
    months = sorted(
        {(assessment.assessed_on.year, assessment.assessed_on.month) for assessment in assessments}
    )
    found.update(f"a:{year}-{month:02}" for year, month in months)
    found.update(
        f"q:{first[0]}-{first[1]:02}:{then[0]}-{then[1]:02}"
        for first, then in itertools.pairwise(months)
        if (then[0] - first[0]) * 12 + then[1] - first[1] < 12
    )
    for assessment in assessments:
        found.add(f"v:{assessment.verification}")
        found.add(f"y:{assessment.assessed_on.year}")
        organisations = set()
        if assessment.assessed_by_id is not None:
            organisations.add(assessment.assessed_by_id)
        if assessment.visit is not None:
            organisations.update(assessment.visit.organisations.values_list("pk", flat=True))
        found.update(f"o:{pk}" for pk in organisations)
        # Each organisation together with the level of the same assessment.
        found.update(f"w:{pk}:{assessment.verification}" for pk in organisations)
    return found


def recount():
    """Every public site placed afresh at its public point, at every zoom."""
    cells = defaultdict(Counter)
    for site in Site.objects.public().select_related("place"):
        point = site.public_coordinates()
        if point is None:
            continue
        latest = (
            Assessment.objects.published().filter(site=site).order_by("-assessed_on", "-id").first()
        )
        condition = (
            ""
            if latest is None or latest.overall_condition_id is None
            else latest.overall_condition_id
        )
        own = labels(site)
        by_category = {f"c:{site.category}:{label}" for label in own if label[:2] in ("o:", "v:")}
        by_category |= {f"k:{label[2:]}:{site.category}" for label in own if label[:2] == "y:"}
        for label in {site.category} | own | by_category:
            key = f"{label}|{condition}"
            for zoom in range(FINE_ZOOM + 1):
                size = cell_size(zoom)
                cell = (
                    zoom,
                    math.floor(float(point[0]) / size),
                    math.floor(float(point[1]) / size),
                )
                cells[cell][(key, "sites")] += 1
                cells[cell][(key, "lat")] += round(point[0] * 1_000_000)
                cells[cell][(key, "lon")] += round(point[1] * 1_000_000)
    result = {}
    for cell, totals in cells.items():
        keys = {key for key, _part in totals}
        everything = {
            key: [totals[(key, "sites")], totals[(key, "lat")], totals[(key, "lon")]]
            for key in keys
        }
        counts = {key: values for key, values in everything.items() if ":" not in key}

        def of_kind(*prefixes, everything=everything):
            return {key: values for key, values in everything.items() if key[:2] in prefixes}

        by_year = defaultdict(dict)
        for key, values in everything.items():
            # A year's row (month 0), and the days of the latest and the earliest assessments
            # in their month's.
            if key[:2] in ("a:", "q:", "k:", "m:", "f:"):
                by_year[(int(key[2:6]), 0)][key] = values
            elif key[:2] in ("d:", "g:"):
                by_year[(int(key[2:6]), int(key[7:9]))][key] = values
        conditions = {}
        for key, values in counts.items():
            total = conditions.setdefault(key.split("|")[1], [0, 0, 0])
            for index in range(3):
                total[index] += values[index]
        result[cell] = (
            sum(values[0] for values in counts.values()),
            conditions,
            counts,
            of_kind("o:", "v:"),
            of_kind("c:"),
            of_kind("y:"),
            of_kind("p:"),
            dict(by_year),
            of_kind("w:"),
            of_kind("l:"),
            of_kind("e:"),
        )
    return result


def assert_cells_true():
    assert stored() == recount()


def test_creating_moving_withholding_publishing_and_deleting_sites_keeps_the_cells():
    village = PlaceFactory(latitude="40.200000", longitude="46.000000")
    site = SiteFactory(place=village, published=True, latitude="39.5", longitude="47.1")
    draft = SiteFactory(place=village, latitude="39.5", longitude="47.1")
    assert stored()[(FINE_ZOOM, 1797, 2143)][0] == 1
    assert_cells_true()

    site.latitude, site.longitude = "-10.3", "-60.5"
    site.save()
    assert (FINE_ZOOM, 1797, 2143) not in stored()
    assert_cells_true()

    # Withheld: counted at its place's point, never its own.
    site.location_precision = Site.Precision.WITHHELD
    site.save()
    assert stored()[(FINE_ZOOM, *map_cells.cell_of(40.2, 46.0))][0] == 1
    assert not any(zoom == FINE_ZOOM and row < 0 for zoom, row, _column in stored())
    assert_cells_true()

    # The place moves: its withheld sites move with it.
    village.latitude, village.longitude = "39.510000", "47.120000"
    village.save()
    assert stored()[(FINE_ZOOM, *map_cells.cell_of(39.51, 47.12))][0] == 1
    assert_cells_true()

    draft.publication_status = PublicationStatus.PUBLISHED
    draft.save()
    assert stored()[(0, 0, 0)][0] == 2
    assessment = AssessmentFactory(site=draft, published=True, condition="Destroyed")
    assert_cells_true()
    assessment.publication_status = PublicationStatus.REJECTED
    assessment.save()
    assert_cells_true()

    site.delete()
    draft.publication_status = PublicationStatus.REJECTED
    draft.save()
    assert stored() == {}


def test_the_facets_follow_assessments_visits_and_their_organisations():
    site = SiteFactory(published=True, latitude="39.5", longitude="47.1")
    other = SiteFactory(published=True, latitude="-10.3", longitude="-60.5")
    ngo, ministry, press = (OrganisationFactory() for _ in range(3))
    visit = VisitFactory(published=True)
    visit.organisations.add(ministry)
    world = (0, 0, 0)

    assessment = AssessmentFactory(
        site=site, published=True, assessed_by=ngo, verification="verified", visit=visit
    )
    assert_cells_true()
    # Each organisation of the assessment, by itself and with the assessment's level.
    assert facet_labels(stored()[world]) == {
        f"o:{ngo.pk}",
        f"o:{ministry.pk}",
        "v:verified",
        f"w:{ngo.pk}:verified",
        f"w:{ministry.pk}:verified",
    }

    # The visit's organisations, changed from either side.
    visit.organisations.add(press)
    assert f"o:{press.pk}" in {key.split("|")[0] for key in stored()[world][3]}
    assert_cells_true()
    press.visits.remove(visit)
    assert_cells_true()
    ministry.visits.clear()
    assert f"o:{ministry.pk}" not in {key.split("|")[0] for key in stored()[world][3]}
    assert_cells_true()
    visit.organisations.set([ministry, press])
    assert_cells_true()
    visit.organisations.clear()
    assert_cells_true()
    visit.organisations.add(ministry)

    # A second assessment of another level; the first one's level changes.
    AssessmentFactory(site=site, published=True, verification="disputed", assessed_by=press)
    assessment.verification = "corroborated"
    assessment.save()
    labels = facet_labels(stored()[world])
    assert "v:verified" not in labels
    assert {f"w:{ngo.pk}:corroborated", f"w:{press.pk}:disputed"} <= labels
    assert f"w:{ngo.pk}:verified" not in labels
    assert_cells_true()

    # The visit withdrawn hides its organisations, and the assessment made on it.
    visit.publication_status = PublicationStatus.REJECTED
    visit.save()
    assert f"o:{ministry.pk}" not in {key.split("|")[0] for key in stored()[world][3]}
    assert_cells_true()
    visit.publication_status = PublicationStatus.PUBLISHED
    visit.save()

    # An organisation deleted leaves the visits it was on without a signal.
    AssessmentFactory(site=other, published=True, visit=visit)
    assert_cells_true()
    ministry.delete()
    assert_cells_true()
    assert not any(f"o:{ministry.pk}|" in key for cell in stored().values() for key in cell[3])
    assert not any(f"w:{ministry.pk}:" in key for cell in stored().values() for key in cell[8])


def test_an_import_that_moves_sites_keeps_the_cells():
    place = PlaceFactory(slug="village", latitude="40.2", longitude="46.0")
    SiteFactory(
        slug="mosque", name="Mosque", place=place, published=True, latitude="39.5", longitude="47.1"
    )
    dataset = CSV().create_dataset(
        b"slug,name,category,place,latitude,longitude,location_precision\n"
        b"mosque,Mosque,mosque,village,-10.3,-60.5,exact\n"
        b"new-site,New site,library,village,39.51,47.12,withheld\n"
    )

    with transaction.atomic():
        write_file(
            SiteResource(user=UserFactory(is_superuser=True)), dataset, expected_versions=None
        )

    assert_cells_true()
    assert (FINE_ZOOM, *map_cells.cell_of(-10.3, -60.5)) in stored()


def test_an_import_of_assessments_keeps_the_facets_and_years():
    site = SiteFactory(slug="mosque", published=True, latitude="39.5", longitude="47.1")
    assessment = published_assessment(site, datetime.date(2021, 1, 12), "Poor", slug="mosque-2021")
    AssessmentCitationFactory(assessment=assessment, source__published=True)
    ngo = OrganisationFactory(slug="ngo")
    dataset = CSV().create_dataset(
        b"slug,site,assessed_on,overall_condition,assessed_by,verification\n"
        b"mosque-2021,mosque,2023-05-02,Destroyed,ngo,verified\n"
    )

    with transaction.atomic():
        write_file(
            AssessmentResource(user=UserFactory(is_superuser=True)),
            dataset,
            expected_versions=None,
        )

    assert_cells_true()
    world = stored()[(0, 0, 0)]
    assert facet_labels(world) == {
        f"o:{ngo.pk}",
        "v:verified",
        f"w:{ngo.pk}:verified",
    }
    category = Site.objects.get().category
    assert {key.split("|")[0] for key in world[4]} == {
        f"c:{category}:o:{ngo.pk}",
        f"c:{category}:v:verified",
    }
    assert {key.split("|")[0] for key in world[5]} == {"y:2023"}
    assert {key.split("|")[0] for key in world[9]} == {"l:2023"}
    assert {key.split("|")[0] for key in world[10]} == {"e:2023"}
    assert {key.split("|")[0] for key in world[7][(2023, 0)]} == {
        "a:2023-05",
        f"k:2023:{category}",
        "m:2023-05",
        "f:2023-05",
    }
    assert {key.split("|")[0] for key in world[7][(2023, 5)]} == {"d:2023-05-02", "g:2023-05-02"}
    assert set(world[7]) == {(2023, 0), (2023, 5)}


def test_the_command_rebuilds_cells_written_around_the_orm():
    site = SiteFactory(published=True, latitude="39.5", longitude="47.1")
    Site.objects.filter(pk=site.pk).update(latitude="40.2")
    MapCell.objects.filter(zoom=3).update(sites=7)
    assert stored() != recount()

    out = io.StringIO()
    call_command("rebuild_map_cells", stdout=out)

    assert "Counted 1 public sites on the map." in out.getvalue()
    assert_cells_true()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("command", "tables"),
    [
        ("rebuild_map_cells", ("inspections_mapcell", "inspections_mapcellyear")),
        (
            "refresh_site_status",
            (
                "inspections_sitestatus",
                "inspections_sitecount",
                "inspections_assessedyearcount",
                "inspections_mapcell",
                "inspections_mapcellyear",
            ),
        ),
    ],
)
def test_the_rebuilding_commands_leave_their_tables_vacuumed_on_postgresql(
    command, tables, vocabularies
):
    """Outside a transaction, the commands that write tables again whole vacuum and analyse
    each of them once, so that PostgreSQL does not read their old rows until autovacuum
    comes."""
    if connection.vendor != "postgresql":
        pytest.skip("VACUUM is PostgreSQL's")
    site = SiteFactory(published=True, latitude="39.5", longitude="47.1")
    published_assessment(site, datetime.date(2024, 3, 5), "Poor")

    def vacuums_and_analyses():
        # The statistics collector's counts are read from a snapshot: ask for a fresh one.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT relname, vacuum_count, analyze_count FROM pg_stat_user_tables "
                "WHERE relname = ANY(%s)",
                [list(tables)],
            )
            return {name: (vacuums, analyses) for name, vacuums, analyses in cursor.fetchall()}

    before = vacuums_and_analyses()
    call_command(command, stdout=io.StringIO())
    after = vacuums_and_analyses()
    for table in tables:
        vacuums, analyses = before.get(table, (0, 0))
        assert after[table][0] == vacuums + 1, table
        assert after[table][1] == analyses + 1, table


def test_an_edit_empties_the_cached_blocks_of_its_own_region_only():
    here = SiteFactory(published=True, latitude="39.5", longitude="47.1")
    there = SiteFactory(published=True, latitude="-10.3", longitude="-60.5")
    fine = FINE_ZOOM
    block_here = (fine, *(index // map_cells.BLOCK for index in map_cells.cell_of(39.5, 47.1)))
    block_there = (fine, *(index // map_cells.BLOCK for index in map_cells.cell_of(-10.3, -60.5)))
    world = (0, 0, 0)
    cache.clear()
    before = map_cells.block_tokens({block_here, block_there, world})

    # A field the map does not show: no block changes.
    here.registry_number = "R-1"
    here.save()
    assert map_cells.block_tokens({block_here, block_there, world}) == before

    # A renamed site: its own blocks, at every zoom, and no other.
    SiteNameFactory(site=here)
    after = map_cells.block_tokens({block_here, block_there, world})
    assert after[block_here] != before[block_here]
    assert after[block_there] == before[block_there]
    assert after[(0, 0, 0)] != before[(0, 0, 0)]

    there.category = Site.Category.LIBRARY
    there.save()
    last = map_cells.block_tokens({block_here, block_there, world})
    assert last[block_here] == after[block_here]
    assert last[block_there] != after[block_there]


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "create",
                "publish",
                "reject",
                "move",
                "withhold",
                "move place",
                "recategorise",
                "assess",
                "withdraw",
                "reverify",
                "visit organisations",
                "delete",
            ]
        ),
        st.integers(min_value=0, max_value=50),
        st.integers(min_value=0, max_value=50),
    ),
    max_size=12,
)


class RandomEditsTests(TestCase):
    """Random sequences of the edits the register sees; after each, the cells are true."""

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(OPERATIONS)
    def test_cells_equal_a_recount_after_any_sequence_of_edits(self, operations):
        places = [
            PlaceFactory(latitude=LATITUDES[index], longitude=LONGITUDES[index])
            for index in range(2)
        ] + [PlaceFactory()]
        categories = ["mosque", "library", "museum"]
        conditions = ["Good", "Poor", "Destroyed"]
        levels = ["reported", "corroborated", "verified", "disputed"]
        organisations = [OrganisationFactory(), OrganisationFactory(), None]
        visit = VisitFactory(published=True)
        visit.organisations.add(organisations[0])
        precisions = list(Site.Precision.values)

        def point(index):
            return LATITUDES[index % 5], LONGITUDES[(index // 5) % 5]

        sites = [SiteFactory(place=places[0], published=True, latitude="39.5", longitude="47.1")]
        for day, (operation, a, b) in enumerate(operations):
            site = sites[a % len(sites)] if sites else None
            if operation == "create" or site is None:
                latitude, longitude = point(b)
                sites.append(
                    SiteFactory(
                        place=places[a % 3],
                        published=bool(b % 2),
                        latitude=latitude,
                        longitude=longitude,
                        location_precision=precisions[a % len(precisions)],
                    )
                )
            elif operation == "publish":
                site.publication_status = PublicationStatus.PUBLISHED
                site.save()
            elif operation == "reject":
                site.publication_status = PublicationStatus.REJECTED
                site.save()
            elif operation == "move":
                site.latitude, site.longitude = point(b)
                site.place = places[b % 3]
                site.save()
            elif operation == "withhold":
                site.location_precision = precisions[b % len(precisions)]
                site.save()
            elif operation == "move place":
                place = Place.objects.get(pk=places[b % 2].pk)
                place.latitude, place.longitude = point(a)
                place.save()
            elif operation == "recategorise":
                site.category = categories[b % 3]
                site.save()
            elif operation == "assess":
                AssessmentFactory(
                    site=site,
                    published=bool(b % 3),
                    # Over five years: a site assessed in several counts pairs of years.
                    assessed_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=37 * b + day),
                    condition=conditions[b % 3],
                    assessed_by=organisations[a % 3],
                    verification=levels[b % 4],
                    visit=visit if a % 2 else None,
                )
            elif operation == "withdraw":
                latest = site.assessments.order_by("-assessed_on", "-id").first()
                if latest is not None:
                    latest.publication_status = PublicationStatus.REJECTED
                    latest.save()
            elif operation == "reverify":
                latest = site.assessments.order_by("-assessed_on", "-id").first()
                if latest is not None:
                    latest.verification = levels[b % 4]
                    latest.assessed_by = organisations[b % 3]
                    latest.save()
            elif operation == "visit organisations":
                organisation = organisations[b % 2]
                if visit.organisations.filter(pk=organisation.pk).exists():
                    visit.organisations.remove(organisation)
                else:
                    visit.organisations.add(organisation)
            elif operation == "delete":
                site.assessments.all().delete()
                site.delete()
                sites.remove(site)
            assert_cells_true()


def test_the_extent_of_a_key_is_that_of_the_fine_cells_holding_it():
    many_sites(400, places=20)
    ngo = OrganisationFactory()
    sites = list(Site.objects.public().order_by("pk"))
    for site in sites[::37]:
        AssessmentFactory(site=site, published=True, assessed_by=ngo, verification="verified")

    def scanned(field, keys):
        cells = [cell for cell in fine if set(getattr(cell, field)) & set(keys)]
        if not cells:
            return None
        rows = [cell.row for cell in cells]
        columns = [cell.column for cell in cells]
        return min(rows), min(columns), max(rows), max(columns)

    fine = list(MapCell.objects.filter(zoom=FINE_ZOOM))
    conditions = {key.split("|")[1] for cell in fine for key in cell.counts}
    cases = [
        ("counts", [f"mosque|{condition}" for condition in conditions]),
        ("counts", ["mosque|"]),
        ("conditions", [next(iter(conditions))]),
        ("facets", [f"o:{ngo.pk}|{condition}" for condition in conditions]),
        ("facets", [f"v:disputed|{condition}" for condition in conditions]),
    ]
    for field, keys in cases:
        assert map_cells.keys_extent(field, keys) == scanned(field, keys)
    assert scanned("facets", [f"v:disputed|{condition}" for condition in conditions]) is None

    # Cached while every fine cell keeps its keys: a site renamed reads no cell again.
    renamed = sites[1]
    renamed.name = "Renamed"
    renamed.save()
    with CaptureQueriesContext(connection) as queries:
        for field, keys in cases:
            assert map_cells.keys_extent(field, keys) == scanned(field, keys)
    assert not any("inspections_mapcell" in query["sql"] for query in queries)
    # A site of no organisation's made a library: the NGO's extent stays cached.
    other = sites[3]
    assert other not in sites[::37]
    other.category = "library" if other.category != "library" else "museum"
    other.save()
    with CaptureQueriesContext(connection) as queries:
        assert map_cells.keys_extent(*cases[3]) == scanned(*cases[3])
    assert not any("inspections_mapcell" in query["sql"] for query in queries)

    # A key gained or lost by a fine cell moves an extent: the cached ones are dropped.
    far = sites[2]
    far.latitude, far.longitude = "-10.300000", "-60.500000"
    far.save()
    condition = OverallCondition.objects.get(pk=int(max(conditions)))
    AssessmentFactory(
        site=far, published=True, verification="disputed", overall_condition=condition
    )
    fine = list(MapCell.objects.filter(zoom=FINE_ZOOM))
    for field, keys in cases:
        assert map_cells.keys_extent(field, keys) == scanned(field, keys)
    assert scanned("facets", [f"v:disputed|{condition}" for condition in conditions]) is not None


def test_the_large_fields_are_compressed_with_lz4_on_postgresql():
    """An edit writes the whole value of each field it changes: PostgreSQL compresses the
    cells' large ones with lz4 where it has it (migrations inspections 0035, 0037 and
    0050)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's compression of stored values")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        if not cursor.fetchone()[0]:
            pytest.skip("this PostgreSQL was built without lz4")
        compression = {}
        for table in ("inspections_mapcell", "inspections_mapcellyear"):
            cursor.execute(
                "SELECT attrelid::regclass::text || '.' || attname, attcompression "
                "FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                "AND NOT attisdropped",
                [table],
            )
            compression.update(cursor.fetchall())
    assert {name for name, method in compression.items() if method == "l"} == {
        "inspections_mapcell.counts",
        "inspections_mapcell.facets",
        "inspections_mapcell.organisation_levels",
        "inspections_mapcell.category_facets",
        "inspections_mapcell.years",
        "inspections_mapcell.latest_years",
        "inspections_mapcell.earliest_years",
        "inspections_mapcell.year_pairs",
        "inspections_mapcellyear.counts",
    }


def test_a_migration_before_the_months_rows_writes_a_row_a_year_holding_its_days():
    """Migrations 0039 and 0041 count the cells on a historical year model without
    ``month``: each year's days go into its one row there."""
    counts = {
        (2023, 0): {"m:2023-05|3": [1, 2, 3]},
        (2023, 5): {"d:2023-05-02|3": [1, 2, 3]},
        (2024, 1): {"d:2024-01-09|": [2, 4, 6]},
    }
    assert map_cells.periods(counts, by_month=True) == [
        (2023, {"month": 0}, {"m:2023-05|3": [1, 2, 3]}),
        (2023, {"month": 5}, {"d:2023-05-02|3": [1, 2, 3]}),
        (2024, {"month": 1}, {"d:2024-01-09|": [2, 4, 6]}),
    ]
    assert map_cells.periods(counts, by_month=False) == [
        (2023, {}, {"m:2023-05|3": [1, 2, 3], "d:2023-05-02|3": [1, 2, 3]}),
        (2024, {}, {"d:2024-01-09|": [2, 4, 6]}),
    ]


def test_undoing_the_migrations_that_add_labels_leaves_the_cells_the_code_before_read():
    """Migration 0048 undone counts every cell again without the labels of an organisation
    with a level, 0046 without those and the labels of the earliest assessments (which the
    code before each cannot read); done again, with them."""
    site = SiteFactory(published=True, latitude="39.5", longitude="47.1")
    published_assessment(site, datetime.date(2021, 3, 4), "Poor", slug="first")
    published_assessment(site, datetime.date(2023, 5, 2), "Destroyed", slug="then")
    other = SiteFactory(published=True, latitude="40.2", longitude="46.0")
    ngo = OrganisationFactory()
    AssessmentFactory(
        site=other,
        published=True,
        assessed_by=ngo,
        verification="verified",
        assessed_on=datetime.date(2022, 7, 9),
    )

    def labels():
        return {
            key.split("|")[0]
            for parts in stored().values()
            for part in (*(parts[index] for index in COUNT_PARTS), *parts[7].values())
            for key in part
        }

    def without(cells, prefixes):
        def kept(counts):
            return {key: value for key, value in counts.items() if not key.startswith(prefixes)}

        return {
            cell: (
                *parts[:2],
                *(kept(part) for part in parts[2:7]),
                {period: kept(counts) for period, counts in parts[7].items() if kept(counts)},
                *(kept(part) for part in parts[8:]),
            )
            for cell, parts in cells.items()
        }

    assert {f"w:{ngo.pk}:verified", "e:2021", "g:2021-03-04"} <= labels()

    with transaction.atomic():
        cell_migrations.count_every_cell_before("0048")(django_apps, None)
    assert not {label for label in labels() if label.startswith("w:")}
    assert {f"o:{ngo.pk}", "e:2021", "g:2021-03-04"} <= labels()
    assert stored() == without(recount(), ("w:",))

    with transaction.atomic():
        cell_migrations.count_every_cell_before("0046")(django_apps, None)
    earliest = ("e:", "f:", "g:", "w:")
    assert not {label for label in labels() if label.startswith(earliest)}
    assert {"l:2023", "d:2023-05-02", "y:2021", "m:2022-07", "v:verified"} <= labels()
    assert stored() == without(recount(), earliest)

    with transaction.atomic():
        cell_migrations.count_every_cell_again(django_apps, None)
    assert_cells_true()
    assert {f"w:{ngo.pk}:verified", "e:2021", "e:2022"} <= labels()


def test_migration_0050_moves_the_keys_to_their_own_fields_and_back():
    """The keys of an organisation with a level and of the latest and earliest years move
    out of ``facets`` and ``years`` into fields of their own in the database, and back when
    the migration is undone; nothing else moves."""
    site = SiteFactory(published=True, latitude="39.5", longitude="47.1")
    published_assessment(site, datetime.date(2021, 3, 4), "Poor", slug="first")
    ngo = OrganisationFactory()
    AssessmentFactory(
        site=site,
        published=True,
        assessed_by=ngo,
        verification="verified",
        assessed_on=datetime.date(2023, 5, 2),
    )
    editor = SimpleNamespace(connection=connection)
    counted = recount()
    assert stored() == counted

    with transaction.atomic():
        cell_migrations.move_keys_back(django_apps, editor)
    world = stored()[(0, 0, 0)]
    assert world[8:] == ({}, {}, {})
    assert facet_labels(world) == {
        f"o:{ngo.pk}",
        "v:verified",
        "v:reported",
        f"w:{ngo.pk}:verified",
    }
    assert {key.split("|")[0] for key in world[5]} == {
        "y:2021",
        "y:2023",
        "l:2023",
        "e:2021",
    }
    for cell, parts in stored().items():
        expected = counted[cell]
        assert parts[3] == {**expected[3], **expected[8]}
        assert parts[5] == {**expected[5], **expected[9], **expected[10]}
        assert parts[:3] + parts[4:5] + parts[6:8] == expected[:3] + expected[4:5] + expected[6:8]

    with transaction.atomic():
        cell_migrations.move_keys_to_own_fields(django_apps, editor)
    assert stored() == counted


def test_a_model_from_before_a_field_of_its_own_gets_its_keys_in_the_former_field():
    """Counted on a migration's model from before 0050 (undoing 0046, say), the keys of the
    latest and earliest years go to ``years`` and those of organisations with levels to
    ``facets``, where the code of that time reads them."""
    parts = {
        "counts": {"mosque|": [1, 2, 3]},
        "facets": {"o:7|": [1, 2, 3]},
        "organisation_levels": {"w:7:verified|": [1, 2, 3]},
        "years": {"y:2021|": [1, 2, 3]},
        "latest_years": {"l:2021|": [1, 2, 3]},
        "earliest_years": {"e:2021|": [1, 2, 3]},
    }
    assert map_cells.model_fields(parts, {"counts", "facets", "years"}) == {
        "counts": {"mosque|": [1, 2, 3]},
        "facets": {"o:7|": [1, 2, 3], "w:7:verified|": [1, 2, 3]},
        "years": {"y:2021|": [1, 2, 3], "l:2021|": [1, 2, 3], "e:2021|": [1, 2, 3]},
    }
    assert map_cells.model_fields(parts, {"counts"}) == {"counts": {"mosque|": [1, 2, 3]}}
    assert map_cells.model_fields(parts, set(parts)) == parts
