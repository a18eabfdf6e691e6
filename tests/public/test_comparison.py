"""Comparison with independent assessments: the register's crosswalk to UNOSAT and CHW,
the latest verdict of each assessor side by side, and the page of disagreements."""

import datetime
import random
import re

import pytest
from django.urls import reverse

from inspections.crosswalk import CROSSWALK, crosswalk, verdicts_agree
from inspections.models import Assessment, SiteStatus
from inspections.status import disputed_sites
from public import comparison
from public.views import organisations
from tests.factories import AssessmentFactory, OrganisationFactory, SiteFactory
from tests.public.pages import csv_rows, dossier, geojson, page

pytestmark = pytest.mark.django_db


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_crosswalk_covers_every_damage_term_and_nothing_else():
    assert set(CROSSWALK) == {"Good", "Fair", "Poor", "Very Bad", "Destroyed"}
    assert crosswalk("Destroyed") == ("destroyed", "destroyed")
    assert crosswalk("Unknown") == (None, None)
    assert crosswalk(None) == (None, None)
    assert verdicts_agree("Poor", "Very Bad") is False
    assert verdicts_agree("Destroyed", "Destroyed") is True
    assert verdicts_agree("Destroyed", "Unknown") is None


def two_assessors(site, first, second):
    AssessmentFactory(
        site=site,
        published=True,
        condition=first,
        assessed_by=OrganisationFactory(name="Ministry", acronym="MoC"),
        assessed_on=datetime.date(2021, 1, 12),
    )
    AssessmentFactory(
        site=site,
        published=True,
        condition=second,
        assessed_by=OrganisationFactory(name="Watch", acronym="CHW"),
        assessed_on=datetime.date(2020, 6, 1),
    )


def test_dossier_sets_verdicts_side_by_side_and_says_they_disagree(client):
    site = SiteFactory(published=True, name="Caravanserai")
    two_assessors(site, "Destroyed", "Fair")

    html = text(dossier(client, site))

    assert "Verdicts side by side" in html
    assert "MoC, 12 January 2021: Destroyed" in html
    assert "CHW, 1 June 2020: Fair" in html
    assert "They disagree" in html
    assert "UNOSAT “Destroyed”, Caucasus Heritage Watch “Destroyed”" in html
    assert "UNOSAT “Possible damage”, Caucasus Heritage Watch “Minor damage”" in html


def test_dossier_says_when_verdicts_agree(client):
    site = SiteFactory(published=True)
    two_assessors(site, "Very Bad", "Very Bad")
    assert "They agree" in text(dossier(client, site))


def test_one_assessor_has_no_comparison(client):
    site = SiteFactory(published=True)
    AssessmentFactory(site=site, published=True, condition="Destroyed")
    assert "Verdicts side by side" not in dossier(client, site)


def test_disagreements_page_lists_only_disagreeing_sites(client, django_assert_num_queries):
    disputed = SiteFactory(published=True, name="Disputed site")
    two_assessors(disputed, "Destroyed", "Good")
    agreed = SiteFactory(published=True, name="Agreed site")
    two_assessors(agreed, "Destroyed", "Destroyed")
    hidden = SiteFactory(name="Draft site")
    two_assessors(hidden, "Destroyed", "Good")

    # How many sites are marked disputed (cached afterwards), the page of them, and their
    # assessments that name an assessor.
    with django_assert_num_queries(3):
        html = page(client, reverse("disagreement-list"))

    assert "Disputed site" in html
    assert "MoC, 12 January 2021: Destroyed" in text(html)
    assert "Agreed site" not in html
    assert "Draft site" not in html


def test_the_mark_of_a_disputed_site_follows_its_assessments(client):
    site = SiteFactory(published=True, name="Caravanserai")
    two_assessors(site, "Destroyed", "Destroyed")
    assert "Caravanserai" not in page(client, reverse("disagreement-list"))

    # A newer verdict of the second assessor that disagrees.
    second = site.assessments.order_by("assessed_on").first().assessed_by
    newer = AssessmentFactory(
        site=site,
        published=True,
        condition="Good",
        assessed_by=second,
        assessed_on=datetime.date(2022, 1, 1),
    )
    html = page(client, reverse("disagreement-list"))
    assert "Caravanserai" in html
    assert "1 site matches." in html  # the count cached before follows too
    assert SiteStatus.objects.get(site=site).disputed

    newer.publication_status = "draft"
    newer.save()
    assert "Caravanserai" not in page(client, reverse("disagreement-list"))
    assert not SiteStatus.objects.get(site=site).disputed


def test_the_disputed_marks_are_those_the_pages_compare(client):
    """The maintained marks, after random verdicts, are the sites whose verdicts the
    dossier's comparison finds disagreeing."""
    conditions = ["Good", "Fair", "Poor", "Very Bad", "Destroyed", "Unknown"]
    assessors = [OrganisationFactory(acronym=f"A{index}") for index in range(3)]
    sites = [SiteFactory(published=True) for _ in range(12)]
    chance = random.Random(17)
    for _ in range(60):
        AssessmentFactory(
            site=chance.choice(sites),
            published=chance.random() < 0.9,
            condition=chance.choice(conditions),
            assessed_by=chance.choice(assessors),
            assessed_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=chance.randrange(9)),
        )

    expected = set()
    for site in sites:
        rows = list(
            Assessment.objects.public()
            .filter(site=site, overall_condition__isnull=False, assessed_by__isnull=False)
            .select_related("assessed_by", "overall_condition")
            .order_by("-assessed_on", "-id")
        )
        if comparison.agreement(comparison.latest_verdicts(rows)) is False:
            expected.add(site.pk)
    marked = set(SiteStatus.objects.filter(disputed=True).values_list("site_id", flat=True))
    assert marked == expected
    assert disputed_sites() == expected
    assert expected  # the sequence makes some disagree
    assert len(expected) < len(sites)  # and some not


def test_disagreements_are_paged_and_a_bad_page_is_a_400(client, monkeypatch):
    monkeypatch.setattr(organisations, "DISAGREEMENTS_PER_PAGE", 1)
    for name in ["Alpha", "Beta"]:
        two_assessors(SiteFactory(published=True, name=name), "Destroyed", "Good")

    first = page(client, reverse("disagreement-list"))
    second = page(client, reverse("disagreement-list") + "?page=2")
    last = page(client, reverse("disagreement-list") + "?page=last")
    refused = client.get(reverse("disagreement-list") + "?page=9")

    assert "Alpha" in first
    assert "Beta" not in first
    assert "Beta" in second
    assert "Alpha" not in second
    assert "Beta" in last
    assert "Alpha" not in last
    assert "2 sites match." in first
    assert refused.status_code == 400
    assert "There is no page 9" in refused.content.decode()


def test_disagreements_are_listed_up_to_a_limit_and_the_page_says_more_disagree(
    client, monkeypatch
):
    monkeypatch.setattr(organisations, "DISAGREEMENTS_PER_PAGE", 1)
    monkeypatch.setattr(organisations, "DISAGREEMENTS_LIMIT", 2)
    for name in ["Alpha", "Beta", "Gamma"]:
        two_assessors(SiteFactory(published=True, name=name), "Destroyed", "Good")

    first = page(client, reverse("disagreement-list"))
    last = page(client, reverse("disagreement-list") + "?page=last")

    assert "More than 2 sites match: the first 2 are listed." in first
    assert "Beta" in last
    assert client.get(reverse("disagreement-list") + "?page=3").status_code == 400


def test_exports_carry_the_crosswalk(client):
    site = SiteFactory(published=True)
    AssessmentFactory(site=site, published=True, condition="Very Bad")

    [row] = csv_rows(client.get(reverse("site-export-csv")))
    [feature] = geojson(client.get(reverse("site-export-geojson")))["features"]

    assert (row["unosat_class"], row["chw_category"]) == ("severe", "major")
    assert feature["properties"]["unosat_class"] == "severe"
    assert feature["properties"]["chw_category"] == "major"
