"""The demo, read as a careful reader would: no organisation speaks without its own source,
the inference is visible, one label for a missing condition, every source is cited, and
every verification level agrees with its citations."""

import re

import pytest
from django.urls import reverse

from inspections.models import Assessment
from inspections.verification import verification_conflict
from tests.public.pages import csv_rows, page

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(demo):
    return demo


def test_no_according_to_icesco_without_an_icesco_source(client, loaded):
    for slug in [
        "haji-alakbar-mosque",
        "fuzuli-city-cemetery",
        "gargabazar-mosque",
        "gargabazar-caravanserai",
        "gochahmadli-mosque",
    ]:
        html = re.sub(r"<[^>]+>", "", page(client, reverse("site-detail", args=[slug])))
        assert "According to ICESCO" not in html, slug
        assert "Reported by AzerNews (15 January 2021)" in html, slug


def test_caravanserai_is_corroborated_by_its_two_publishers(loaded):
    caravanserai = Assessment.objects.get(slug="gargabazar-caravanserai-2021-01-12-icesco")
    assert caravanserai.get_verification_display() == "Corroborated by independent sources"


def test_every_demo_level_agrees_with_its_citations(loaded):
    for assessment in Assessment.objects.prefetch_related("citations__source"):
        sources = [citation.source for citation in assessment.citations.all()]
        assert verification_conflict(assessment.verification, sources) is None, assessment.slug


def test_the_inference_is_visible_in_listing_home_and_exports(client, loaded):
    listing = page(client, reverse("site-list"))
    home = page(client, reverse("home"))
    rows = {row["slug"]: row for row in csv_rows(client.get(reverse("site-export-csv")))}

    assert "(by the register's inference)" in listing
    assert "1 site is counted by the register's own identification" in home
    assert rows["haji-alakbar-mosque"]["condition_inferred"] == "yes"
    assert "Not assessed" not in home.split('id="by-condition"')[1].split("</section>")[0]
    assert "Condition not stated" in home


def test_every_demo_source_is_cited(client, loaded):
    response = client.get(reverse("source-list"), {"cited": "no"})
    assert "0 sources found." in response.content.decode()


def test_demo_visit_has_its_dated_events_and_statements(client, loaded):
    html = page(client, reverse("visit-detail", args=["icesco-delegation-fuzuli-2021-01-12"]))
    for date in ("12 January 2021", "13 January 2021", "14 January 2021"):
        assert date in html
    # No recorded source dates the delegation's arrival.
    assert "11 January 2021" not in html
    assert "a crime against humanity" in html
