"""The site listing's cached counts, options, terms and rendered filter form follow every
change to the register, and outlive the edits that change none of them."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.forms import BoundField
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heritage.cache import current_version, versions_of
from heritage.imports.writing import post_bulk_save
from heritage.models import Place
from inspections.models import Assessment, EvidenceTranslation
from tests.factories import (
    AssessmentFactory,
    EvidenceFactory,
    OrganisationFactory,
    PlaceFactory,
    SiteFactory,
    VisitFactory,
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
    # the cache: only the page of sites is read again.
    with django_assert_num_queries(1):
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
    # The count (a new set of filters) and the page of sites are read; the condition's
    # term, the options and the terms come from the cache.
    with django_assert_num_queries(2):
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


def reads_of(queries, table):
    """The queries that read ``table`` first (not those that only join it)."""
    return [query["sql"] for query in queries if f'FROM "{table}"' in query["sql"]]


def filter_form(html):
    return html[html.index('<form class="filters"') : html.index("</form>")]


def test_an_edit_that_moves_no_option_leaves_the_rendered_form_as_it_was(client):
    body = OrganisationFactory(slug="watch", name="Heritage Watch")
    site = SiteFactory(published=True, category="mosque")
    AssessmentFactory(site=site, assessed_by=body, published=True)
    before = filter_form(client.get(LIST_URL, {"category": "mosque"}).content.decode())

    site.description = "A new description."
    site.save()
    with CaptureQueriesContext(connection) as queries:
        after = filter_form(client.get(LIST_URL, {"category": "mosque"}).content.decode())
    assert after == before
    # The options of the organisations and of the areas are not read again.
    assert reads_of(queries, "heritage_organisation") == []
    assert reads_of(queries, "heritage_place") == []
    assert '<option value="mosque" selected>' in after


def test_a_category_edit_recounts_but_keeps_the_organisations_and_areas(client):
    district = PlaceFactory(slug="east", name="East District", kind=Place.Kind.DISTRICT)
    body = OrganisationFactory(slug="watch", name="Heritage Watch")
    site = SiteFactory(published=True, category="mosque", place=district)
    AssessmentFactory(site=site, assessed_by=body, published=True)
    client.get(LIST_URL)

    site.category = "library"
    site.save()
    with CaptureQueriesContext(connection) as queries:
        html = client.get(LIST_URL).content.decode()
    assert reads_of(queries, "heritage_organisation") == []
    assert '<option value="watch">Heritage Watch</option>' in html
    assert ">East District<" in html
    # Which areas hold sites is read again (one query), but not the areas' options.
    assert len(reads_of(queries, "heritage_place")) == 1
    assert not [query for query in queries if '"has_sites"' in query["sql"]]


def test_the_kept_form_is_kept_for_each_set_of_values(client):
    SiteFactory(published=True, category="mosque")
    for category in ("mosque", "library", "mosque"):
        form = filter_form(client.get(LIST_URL, {"category": category}).content.decode())
        assert f'<option value="{category}" selected>' in form
        # Only the category: no other value was given.
        assert re.findall(r'<option value="[^"]+" selected>', form) == [
            f'<option value="{category}" selected>'
        ]
    arabic = filter_form(
        client.get(in_language(LIST_URL, "ar"), {"category": "mosque"}).content.decode()
    )
    assert arabic != form
    assert 'dir="rtl"' not in form


def test_organisation_options_follow_a_site_withdrawn_and_published_again(client):
    body = OrganisationFactory(slug="watch", name="Heritage Watch")
    site = SiteFactory(published=True)
    AssessmentFactory(site=site, assessed_by=body, published=True)
    SiteFactory(published=True)
    assert "Heritage Watch" in options_of(client, LIST_URL, "organisation")

    site.publication_status = "draft"
    site.save()
    assert "Heritage Watch" not in options_of(client, LIST_URL, "organisation")

    site.publication_status = "published"
    site.save()
    assert "Heritage Watch" in options_of(client, LIST_URL, "organisation")


def test_organisation_options_follow_a_visit_and_its_organisations(client):
    body = OrganisationFactory(slug="ministry", name="Ministry of Culture")
    visit = VisitFactory(published=False)
    AssessmentFactory(site=SiteFactory(published=True), visit=visit, published=True)
    visit.organisations.add(body)
    assert "Ministry of Culture" not in options_of(client, LIST_URL, "organisation")

    visit.publication_status = "published"
    visit.save()
    assert "Ministry of Culture" in options_of(client, LIST_URL, "organisation")

    visit.organisations.remove(body)
    assert "Ministry of Culture" not in options_of(client, LIST_URL, "organisation")


def test_a_renamed_organisation_shows_at_once_in_every_listing_form(client):
    body = OrganisationFactory(slug="watch", name="Heritage Watch")
    AssessmentFactory(site=SiteFactory(published=True), assessed_by=body, published=True)
    urls = [LIST_URL, reverse("visit-list")]
    for url in urls:
        client.get(url)

    body.name = "Heritage Watch International"
    body.save()
    assert ">Heritage Watch International<" in options_of(client, LIST_URL, "organisation")
    assert ">Heritage Watch International<" in options_of(
        client, reverse("visit-list"), "organisation"
    )


def test_visit_place_options_follow_the_places_a_visit_went_to(client):
    east = PlaceFactory(slug="east", name="East District", kind=Place.Kind.DISTRICT)
    west = PlaceFactory(slug="west", name="West District", kind=Place.Kind.DISTRICT)
    visit = VisitFactory(published=True)
    visit.places.add(east)
    url = reverse("visit-list")
    assert "West District" not in options_of(client, url, "place")

    visit.places.add(west)
    assert "West District" in options_of(client, url, "place")

    visit.publication_status = "draft"
    visit.save()
    assert "East District" not in options_of(client, url, "place")


def test_an_import_of_assessments_raises_the_version_of_their_assessors():
    assessors, places = versions_of("assessors"), versions_of("visit-places")
    post_bulk_save.send(sender=Assessment, instances=[], state={})
    assert versions_of("assessors") != assessors
    assert versions_of("visit-places") == places


def test_a_new_set_of_values_renders_only_the_fields_whose_values_are_new(client, monkeypatch):
    district = PlaceFactory(slug="east", name="East District", kind=Place.Kind.DISTRICT)
    SiteFactory(published=True, category="mosque", place=district)
    client.get(LIST_URL, {"category": "mosque"})
    client.get(LIST_URL, {"area": "east"})
    rendered = []
    original = BoundField.as_field_group

    def counted(field):
        rendered.append(field.name)
        return original(field)

    monkeypatch.setattr(BoundField, "as_field_group", counted)
    asked = {"category": "mosque", "area": "east"}

    both = filter_form(client.get(LIST_URL, asked).content.decode())

    assert rendered == []
    assert re.findall(r'<option value="[^"]+" selected>', both) == [
        '<option value="mosque" selected>',
        '<option value="east" selected>',
    ]
    # The same form as one rendered whole.
    cache.clear()
    assert filter_form(client.get(LIST_URL, asked).content.decode()) == both
    assert "category" in rendered
    assert "sort" in rendered
    # A value not asked for before renders its own field alone.
    rendered.clear()
    other = filter_form(client.get(LIST_URL, {**asked, "category": "library"}).content.decode())
    assert rendered == ["category"]
    assert '<option value="library" selected>' in other
    assert '<option value="mosque" selected>' not in other


def test_an_invalid_form_is_rendered_with_its_errors_and_not_kept(client):
    SiteFactory(published=True, category="mosque")
    client.get(LIST_URL, {"category": "mosque"})
    response = client.get(LIST_URL, {"category": "mosque", "assessed_from": "2024-13-01"})
    assert response.status_code == 400
    form = filter_form(response.content.decode())
    assert 'class="errorlist' in form
    assert '<option value="mosque" selected>' in form
    # The field kept before shows no error: the one asked for again is as it was.
    again = filter_form(client.get(LIST_URL, {"category": "mosque"}).content.decode())
    assert 'class="errorlist' not in again
