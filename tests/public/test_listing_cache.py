"""The site listing's cached counts, options and terms follow every change to the register."""

import pytest
from django.urls import reverse

from heritage.cache import current_version
from heritage.models import Place
from inspections.models import EvidenceTranslation
from tests.factories import (
    AssessmentFactory,
    EvidenceFactory,
    OrganisationFactory,
    PlaceFactory,
    SiteFactory,
    condition,
)
from tests.languages import in_language
from tests.public.pages import options_of

pytestmark = pytest.mark.django_db

LIST_URL = reverse("site-list")


def count_line(client, query=""):
    html = client.get(reverse("site-list") + query).content.decode()
    start = html.index('id="result-count">') + len('id="result-count">')
    return " ".join(html[start : html.index("</p>", start)].split())


def test_cached_count_follows_publishing_and_deleting(client):
    SiteFactory(published=True, category="mosque")
    draft = SiteFactory(category="mosque")
    assert count_line(client) == "1 site matches."
    assert count_line(client, "?category=mosque") == "1 site matches."

    draft.publication_status = "published"
    draft.save()
    assert count_line(client) == "2 sites match."
    assert count_line(client, "?category=mosque") == "2 sites match."

    draft.delete()
    assert count_line(client) == "1 site matches."


def test_count_is_read_once_per_set_of_filters(client, django_assert_num_queries):
    SiteFactory.create_batch(3, published=True)
    client.get(reverse("site-list"))
    # The second request reads the count, the condition terms and the form's options from
    # the cache: only the page of sites and their names are read again.
    with django_assert_num_queries(2):
        client.get(reverse("site-list"))


def test_cached_area_options_follow_publishing_and_deleting(client):
    district = PlaceFactory(slug="east", name="East District", kind=Place.Kind.DISTRICT)
    village = PlaceFactory(slug="east-village", name="East Village", parent=district)
    PlaceFactory(slug="west", name="West District", kind=Place.Kind.DISTRICT)
    SiteFactory(published=True, place=village)
    draft = SiteFactory(place=Place.objects.get(slug="west"))
    assert "West District" not in options_of(client, LIST_URL, "area")

    draft.publication_status = "published"
    draft.save()
    assert "West District" in options_of(client, LIST_URL, "area")

    draft.delete()
    areas = options_of(client, LIST_URL, "area")
    assert "West District" not in areas
    # The village's district stays; the village itself is typed, not listed.
    assert "East District" in areas
    assert "East Village" not in areas


def test_cached_area_options_follow_a_renamed_place(client):
    place = PlaceFactory(slug="east", name="East District", kind=Place.Kind.DISTRICT)
    SiteFactory(published=True, place=place)
    assert ">East District<" in options_of(client, LIST_URL, "area")

    place.name = "Eastern District"
    place.save()
    assert ">Eastern District<" in options_of(client, LIST_URL, "area")


def test_cached_organisation_options_follow_publishing_and_deleting(client):
    body = OrganisationFactory(slug="watch", name="Heritage Watch")
    assessment = AssessmentFactory(site=SiteFactory(published=True), assessed_by=body)
    assert "Heritage Watch" not in options_of(client, LIST_URL, "organisation")

    assessment.publication_status = "published"
    assessment.save()
    assert '<option value="watch">Heritage Watch</option>' in options_of(
        client, LIST_URL, "organisation"
    )

    assessment.delete()
    assert "Heritage Watch" not in options_of(client, LIST_URL, "organisation")


def test_cached_condition_terms_follow_an_edited_term(client):
    site = SiteFactory(published=True)
    AssessmentFactory(site=site, published=True, condition="Poor")
    html = client.get(reverse("site-list")).content.decode()
    assert '<option value="Poor">Poor</option>' in html
    assert "<td>Poor</td>" in html

    term = condition("Poor")
    term.label_az = "Pis (yeni)"
    term.save()
    html = client.get(in_language(reverse("site-list"), "az")).content.decode()
    assert '<option value="Poor">Pis (yeni)</option>' in html
    assert "<td>Pis (yeni)</td>" in html
    assert (
        'data-condition="Poor"><span class="map-swatch map-condition-poor" aria-hidden="true">'
        in html
    )
    assert "</span> Pis (yeni)</li>" in html


def test_cached_condition_options_are_in_the_visitors_language(client):
    english = options_of(client, LIST_URL, "condition")
    arabic = client.get(in_language(reverse("site-list"), "ar")).content.decode()
    assert '<option value="Destroyed">Destroyed</option>' in english
    label = condition("Destroyed").label_ar
    assert label
    assert f'<option value="Destroyed">{label}</option>' in arabic


def test_repeated_listing_reads_no_option_or_term_again(client, django_assert_num_queries):
    for _ in range(2):
        site = SiteFactory(published=True, category="mosque")
        AssessmentFactory(site=site, published=True, condition="Destroyed")
    client.get(reverse("site-list"), {"condition": "Destroyed"})
    # The count (a new set of filters), the page of sites and their names are read; the
    # condition's term, the options and the terms come from the cache.
    with django_assert_num_queries(3):
        client.get(reverse("site-list"), {"condition": "Destroyed", "category": "mosque"})


def test_evidence_uploads_leave_the_cached_counts_alone_but_records_do_not():
    site = SiteFactory(published=True)
    before = current_version()

    item = EvidenceFactory(site=site)
    EvidenceTranslation.objects.create(evidence=item, language="az", caption="Şəkil")
    item.caption = "Edited"
    item.save()
    assert current_version() == before

    site.name = "Renamed"
    site.save()
    assert current_version() > before
