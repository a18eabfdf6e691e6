"""Comparison with independent assessments: the register's crosswalk to UNOSAT and CHW,
the latest verdict of each assessor side by side, and the page of disagreements."""

import datetime
import re

import pytest
from django.urls import reverse

from inspections.crosswalk import CROSSWALK, crosswalk, verdicts_agree
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

    # One query: the assessments of the sites with two assessors, as a subquery.
    with django_assert_num_queries(1):
        html = page(client, reverse("disagreement-list"))

    assert "Disputed site" in html
    assert "Agreed site" not in html
    assert "Draft site" not in html


def test_exports_carry_the_crosswalk(client):
    site = SiteFactory(published=True)
    AssessmentFactory(site=site, published=True, condition="Very Bad")

    [row] = csv_rows(client.get(reverse("site-export-csv")))
    [feature] = geojson(client.get(reverse("site-export-geojson")))["features"]

    assert (row["unosat_class"], row["chw_category"]) == ("severe", "major")
    assert feature["properties"]["unosat_class"] == "severe"
    assert feature["properties"]["chw_category"] == "major"
