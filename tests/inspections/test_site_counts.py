"""The maintained counts of sites equal a recount, whatever changed and by whatever route."""

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from heritage.base import PublicationStatus
from heritage.imports.engine import write_file
from heritage.imports.files import CSV
from heritage.imports.resources import SiteResource
from heritage.models import Place, Site, SiteCitation
from inspections import counts
from inspections.counts import rebuild_site_counts
from inspections.imports import AssessmentResource
from inspections.models import (
    AssessedYearCount,
    Assessment,
    AssessmentMonthCount,
    CitedSourceCount,
    DamageYearCount,
    Disturbance,
    SiteCount,
    SiteStatus,
    Verification,
)
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    DisturbanceFactory,
    PlaceFactory,
    SiteCitationFactory,
    SiteClaimFactory,
    SiteFactory,
    SourceFactory,
    UserFactory,
    VisitFactory,
    condition,
    published_assessment,
)

pytestmark = pytest.mark.django_db


def stored():
    """The counts of each place's own sites, by category, condition and verification."""
    totals = Counter()
    for row in SiteCount.objects.filter(below=False):
        totals[(row.place_id, row.category, row.condition_id, row.verification)] += row.sites
    return totals


def stored_flags():
    """The counts of each place's own sites by every key, whether assessed and inferred too."""
    totals = Counter()
    for row in SiteCount.objects.filter(below=False):
        key = (row.place_id, row.category, row.condition_id, row.verification)
        totals[(*key, row.assessed, row.inferred)] += row.sites
    return totals


def stored_below(model, *fields):
    """The counts of the sites below each place, by ``fields``."""
    totals = Counter()
    for row in model.objects.filter(below=True):
        totals[(row.place_id, *(getattr(row, field) for field in fields))] += row.sites
    return totals


def rolled_up(totals):
    """Counts keyed by a site's own place, summed into every place above it."""
    parents = dict(Place.objects.values_list("pk", "parent_id"))
    result = Counter()
    for (place_id, *rest), sites in totals.items():
        seen, node = {place_id}, parents[place_id]
        while node is not None and node not in seen:
            result[(node, *rest)] += sites
            seen.add(node)
            node = parents[node]
    return +result


def recount_flags():
    """Every public site counted afresh, from the sites and their assessments."""
    totals = Counter()
    for site in Site.objects.public():
        latest = (
            Assessment.objects.published().filter(site=site).order_by("-assessed_on", "-id").first()
        )
        key = (
            site.place_id,
            site.category,
            latest.overall_condition_id if latest else None,
            latest.verification if latest else "",
            latest is not None,
            bool(latest and latest.rests_on_inference),
        )
        totals[key] += 1
    return totals


def recount():
    totals = Counter()
    for key, sites in recount_flags().items():
        totals[key[:4]] += sites
    return totals


def stored_months():
    return Counter(
        {
            (row.place_id, row.year, row.month): row.sites
            for row in AssessmentMonthCount.objects.filter(below=False)
        }
    )


def recount_months():
    """Sites with a public assessment in each month, by place, counted afresh."""
    seen = {
        (a.site.place_id, a.assessed_on.year, a.assessed_on.month, a.site_id)
        for a in Assessment.objects.public().select_related("site")
    }
    return Counter((place, year, month) for place, year, month, _site in seen)


def stored_years():
    return Counter(
        {
            (row.place_id, row.year, row.category, row.condition_id): row.sites
            for row in AssessedYearCount.objects.filter(below=False)
        }
    )


def recount_years():
    """Sites with a public assessment in each year, by place, category and the condition of
    their latest published assessment, counted afresh."""
    seen = set()
    for assessment in Assessment.objects.public().select_related("site"):
        site = assessment.site
        latest = (
            Assessment.objects.published().filter(site=site).order_by("-assessed_on", "-id").first()
        )
        key = (site.place_id, assessment.assessed_on.year, site.category)
        seen.add((*key, latest.overall_condition_id, site.pk))
    return Counter(key[:4] for key in seen)


def stored_damage():
    return Counter(
        {
            (row.place_id, row.year, row.dating): row.sites
            for row in DamageYearCount.objects.filter(below=False)
        }
    )


def recount_damage():
    seen = set()
    for disturbance in Disturbance.objects.filter(
        assessment__in=Assessment.objects.public()
    ).select_related("assessment__site"):
        site = disturbance.assessment.site
        if disturbance.date_from:
            key = (site.place_id, disturbance.date_from.year, "began")
        elif disturbance.occurred_before:
            key = (site.place_id, disturbance.occurred_before.year, "before")
        else:
            key = (site.place_id, None, "undated")
        seen.add((*key, site.pk))
    return Counter(key[:3] for key in seen)


def stored_sources():
    return Counter(
        {
            (row.place_id, row.source_id): row.sites
            for row in CitedSourceCount.objects.filter(below=False)
        }
    )


def recount_sources():
    """Public sites citing each source, by place, counted afresh."""
    seen = {
        (citation.site.place_id, citation.source_id, citation.site_id)
        for citation in SiteCitation.objects.filter(site__in=Site.objects.public()).select_related(
            "site"
        )
    }
    return Counter((place, source) for place, source, _site in seen)


def assert_dates_true():
    """Every site's own copy of its latest published assessment's date (the listing's sort)
    is the date recomputed from its assessments."""
    for site in Site.objects.all():
        latest = (
            Assessment.objects.published().filter(site=site).order_by("-assessed_on", "-id").first()
        )
        assert site.last_assessed_on == (latest.assessed_on if latest else None), site


def assert_counts_true():
    assert_dates_true()
    sites = recount_flags()
    assert stored_flags() == sites
    fields = ("category", "condition_id", "verification", "assessed", "inferred")
    assert stored_below(SiteCount, *fields) == rolled_up(sites)
    months = recount_months()
    assert stored_months() == months
    assert stored_below(AssessmentMonthCount, "year", "month") == rolled_up(months)
    years = recount_years()
    assert stored_years() == years
    assert stored_below(AssessedYearCount, "year", "category", "condition_id") == rolled_up(years)
    damage = recount_damage()
    assert stored_damage() == damage
    assert stored_below(DamageYearCount, "year", "dating") == rolled_up(damage)
    sources = recount_sources()
    assert stored_sources() == sources
    assert stored_below(CitedSourceCount, "source_id") == rolled_up(sources)


def test_creating_publishing_editing_and_deleting_sites_keeps_the_counts():
    village, town = PlaceFactory(), PlaceFactory()
    draft = SiteFactory(place=village)
    site = SiteFactory(place=village, published=True)
    assert stored() == Counter({(village.pk, "mosque", None, ""): 1})

    draft.publication_status = PublicationStatus.PUBLISHED
    draft.save()
    assert stored()[(village.pk, "mosque", None, "")] == 2

    site.category = Site.Category.LIBRARY
    site.place = town
    site.save()
    assert stored() == Counter(
        {(village.pk, "mosque", None, ""): 1, (town.pk, "library", None, ""): 1}
    )

    draft.publication_status = PublicationStatus.REJECTED
    draft.save()
    site.delete()
    assert stored() == Counter()
    assert_counts_true()


# The changed rows read by their keys, and every row of their places read.
@pytest.mark.parametrize("keyed_read", [counts.KEYED_READ, 0])
def test_assessments_and_visits_move_sites_between_conditions_and_verification_levels(
    monkeypatch, keyed_read
):
    monkeypatch.setattr(counts, "KEYED_READ", keyed_read)
    site = SiteFactory(published=True)
    older = published_assessment(site, datetime.date(2020, 1, 1), "Poor")
    assert stored() == Counter({(site.place_id, "mosque", condition("Poor").pk, "reported"): 1})

    visit = VisitFactory(published=True)
    latest = published_assessment(
        site,
        datetime.date(2021, 1, 1),
        "Destroyed",
        visit=visit,
        verification=Verification.VERIFIED,
    )
    assert stored() == Counter(
        {(site.place_id, "mosque", condition("Destroyed").pk, "verified"): 1}
    )
    assert_counts_true()

    visit.publication_status = PublicationStatus.REJECTED
    visit.save()
    assert stored() == Counter({(site.place_id, "mosque", condition("Poor").pk, "reported"): 1})

    older.delete()
    latest.delete()
    assert stored() == Counter({(site.place_id, "mosque", None, ""): 1})
    assert_counts_true()


# The changed rows read by their keys, and every row of their places read.
@pytest.mark.parametrize("keyed_read", [counts.KEYED_READ, 0])
def test_an_import_that_moves_and_reclassifies_published_sites_keeps_the_counts(
    monkeypatch, keyed_read
):
    monkeypatch.setattr(counts, "KEYED_READ", keyed_read)
    village, town = PlaceFactory(slug="village"), PlaceFactory(slug="town")
    SiteFactory(slug="mosque", name="Mosque", place=village, published=True)
    SiteFactory(slug="museum", name="Museum", place=village, category="museum", published=True)
    dataset = CSV().create_dataset(
        b"slug,name,category,place\nmosque,Mosque,library,town\nnew-site,New site,mosque,village\n"
    )

    with transaction.atomic():
        write_file(
            SiteResource(user=UserFactory(is_superuser=True)), dataset, expected_versions=None
        )

    assert stored() == Counter(
        {(town.pk, "library", None, ""): 1, (village.pk, "museum", None, ""): 1}
    )
    assert_counts_true()


def test_an_import_that_changes_a_published_assessment_refreshes_the_status_and_counts():
    site = SiteFactory(slug="mosque", published=True)
    assessment = published_assessment(site, datetime.date(2021, 1, 12), "Poor", slug="mosque-2021")
    AssessmentCitationFactory(assessment=assessment, source__published=True)
    dataset = CSV().create_dataset(
        b"slug,site,assessed_on,overall_condition\nmosque-2021,mosque,2021-01-12,Destroyed\n"
    )

    with transaction.atomic():
        outcome = write_file(
            AssessmentResource(user=UserFactory(is_superuser=True)),
            dataset,
            expected_versions=None,
        )

    assert outcome.written == 1
    assert SiteStatus.objects.get(site=site).condition.label == "Destroyed"
    assert stored() == Counter(
        {(site.place_id, "mosque", condition("Destroyed").pk, "reported"): 1}
    )


def test_the_command_rebuilds_counts_written_around_the_orm():
    site = SiteFactory(published=True)
    AssessmentFactory(site=site, published=True, condition="Fair")
    Site.objects.filter(pk=site.pk).update(category="museum")
    SiteCount.objects.filter(place=site.place).update(sites=7)
    assert stored() != recount()

    out = io.StringIO()
    call_command("rebuild_site_counts", stdout=out)
    assert "Counted 1 public sites." in out.getvalue()

    assert_counts_true()
    assert rebuild_site_counts() == 1


def test_disturbances_are_counted_by_the_year_of_the_damage():
    site = SiteFactory(published=True)
    assessment = published_assessment(site, datetime.date(2021, 3, 4), "Destroyed")
    began = DisturbanceFactory(assessment=assessment, date_from=datetime.date(2020, 10, 1))
    DisturbanceFactory(assessment=assessment)
    assert stored_damage() == Counter(
        {(site.place_id, 2020, "began"): 1, (site.place_id, None, "undated"): 1}
    )
    assert stored_months() == Counter({(site.place_id, 2021, 3): 1})

    began.date_from = None
    began.occurred_before = datetime.date(2019, 5, 1)
    began.save()
    assert stored_damage() == Counter(
        {(site.place_id, 2019, "before"): 1, (site.place_id, None, "undated"): 1}
    )
    site.publication_status = PublicationStatus.REJECTED
    site.save()
    assert stored_damage() == Counter()
    assert stored_months() == Counter()
    assert_counts_true()


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "create",
                "publish",
                "reject",
                "move",
                "recategorise",
                "assess",
                "withdraw",
                "damage",
                "delete",
                "reparent",
                "infer",
                "cite",
                "uncite",
            ]
        ),
        st.integers(min_value=0, max_value=50),
        st.integers(min_value=0, max_value=50),
    ),
    max_size=12,
)


class RandomEditsTests(TestCase):
    """Random sequences of the edits the register sees; after each, the counts are true."""

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(OPERATIONS)
    def test_counts_equal_a_recount_after_any_sequence_of_edits(self, operations):
        country = PlaceFactory(kind="country")
        districts = [
            PlaceFactory(kind="district", parent=country),
            PlaceFactory(kind="district", parent=country),
        ]
        places = [
            PlaceFactory(kind="village", parent=districts[0]),
            PlaceFactory(kind="village", parent=districts[0]),
            PlaceFactory(kind="village", parent=districts[1]),
        ]
        categories = ["mosque", "library", "museum"]
        conditions = ["Good", "Poor", "Destroyed"]
        verifications = list(Verification.values)
        sources = [SourceFactory(published=True), SourceFactory()]
        sites = [SiteFactory(place=places[0], published=True)]
        for day, (operation, a, b) in enumerate(operations):
            site = sites[a % len(sites)] if sites else None
            if operation == "create" or site is None:
                sites.append(SiteFactory(place=places[a % 3], published=bool(b % 2)))
            elif operation == "publish":
                site.publication_status = PublicationStatus.PUBLISHED
                site.save()
            elif operation == "reject":
                site.publication_status = PublicationStatus.REJECTED
                site.save()
            elif operation == "move":
                site.place = places[b % 3]
                site.save()
            elif operation == "recategorise":
                site.category = categories[b % 3]
                site.save()
            elif operation == "assess":
                AssessmentFactory(
                    site=site,
                    published=bool(b % 3),
                    assessed_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=b + day),
                    condition=conditions[b % 3],
                    verification=verifications[a % len(verifications)],
                )
            elif operation == "withdraw":
                latest = site.assessments.order_by("-assessed_on", "-id").first()
                if latest is not None:
                    latest.publication_status = PublicationStatus.REJECTED
                    latest.save()
            elif operation == "damage":
                assessments = list(site.assessments.order_by("pk"))
                if assessments:
                    assessment = assessments[b % len(assessments)]
                    date = datetime.date(2020, 1, 1) + datetime.timedelta(days=40 * b)
                    DisturbanceFactory(
                        assessment=assessment,
                        date_from=date if b % 3 == 0 else None,
                        occurred_before=date if b % 3 == 1 else None,
                    )
            elif operation == "reparent":
                village = places[a % 3]
                village.parent = districts[b % 2] if b % 5 else None
                village.save()
            elif operation == "infer":
                claim = SiteClaimFactory(
                    site=site, kind="identity", is_inference=True, published=True
                )
                AssessmentFactory(
                    site=site,
                    published=True,
                    identification=claim,
                    assessed_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=b + day),
                    **({"condition": conditions[b % 3]} if b % 4 else {"overall_condition": None}),
                )
            elif operation == "cite":
                if not site.citations.filter(source=sources[b % 2]).exists():
                    SiteCitationFactory(site=site, source=sources[b % 2])
            elif operation == "uncite":
                citation = site.citations.order_by("pk").first()
                if citation is not None:
                    citation.delete()
            elif operation == "delete":
                for assessment in site.assessments.all():
                    assessment.disturbances.all().delete()
                    assessment.delete()
                site.delete()
                sites.remove(site)
            assert_counts_true()
