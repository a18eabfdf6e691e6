"""``/sites/``: the listing of published sites, what each row shows, the filter form, the
links that keep the filters, and pages."""

from html import unescape

import pytest
from django.urls import reverse

from tests.factories import (
    AssessmentFactory,
    OrganisationFactory,
    PlaceFactory,
    SiteFactory,
    condition,
)
from tests.languages import in_language
from tests.public.pages import assert_shows, listed_slugs, without_isolation
from tests.public.site_filters import FILTER_PARAMETERS

pytestmark = pytest.mark.django_db

LIST_URL = reverse("site-list")


@pytest.mark.usefixtures("four_sites")
def test_without_filters_every_published_site_is_listed_by_name(client):
    response = client.get(LIST_URL)

    assert listed_slugs(response) == ["alpha", "beta", "delta", "gamma"]
    assert "4 sites match." in response.content.decode()


@pytest.mark.usefixtures("four_sites")
def test_each_row_shows_name_category_place_condition_and_date(client):
    html = client.get(LIST_URL).content.decode()

    row = html[html.index('href="/sites/alpha/"') :]
    row = row[: row.index("</tr>")]
    assert_shows(
        row,
        shown=[
            ">Alpha Mosque</a>",
            "<td>Mosque</td>",
            '<td><a href="/areas/east-village/"><bdi>East Village</bdi></a></td>',
            "<td>Destroyed</td>",
            '<time datetime="2021-01-12">',
        ],
    )
    never = html[html.index('href="/sites/gamma/"') :]
    never = never[: never.index("</tr>")]
    assert "Not assessed" in never


@pytest.mark.usefixtures("four_sites")
def test_rows_speak_the_visitors_language(client):
    html = client.get(in_language(LIST_URL, "az")).content.decode()
    assert ">Qarğabazar məscidi</a>" in without_isolation(html)

    html = client.get(in_language(LIST_URL, "ar")).content.decode()
    assert condition("Destroyed").label_ar in html


def test_names_typed_by_staff_are_escaped(client):
    SiteFactory(published=True, name="<script>alert(1)</script>")

    html = client.get(LIST_URL).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.usefixtures("four_sites")
def test_form_has_a_labelled_control_for_every_filter(client):
    html = client.get(LIST_URL).content.decode()

    assert '<form class="filters" method="get" action="/sites/" data-drop-empty>' in html
    for name in [*FILTER_PARAMETERS, "sort"]:
        assert f'name="{name}"' in html
        assert f'<label for="id_{name}">' in html


@pytest.mark.usefixtures("four_sites")
def test_form_offers_options_from_published_data(client):
    OrganisationFactory(slug="silent-body", name="Silent Body")
    PlaceFactory(slug="empty-place", name="Empty Place")
    draft_only = OrganisationFactory(slug="draft-only", name="Draft Only Body")
    AssessmentFactory(
        site=SiteFactory(published=True), publication_status="draft", assessed_by=draft_only
    )

    html = client.get(LIST_URL).content.decode()

    assert_shows(
        html,
        shown=[
            '<option value="icesco">ICESCO</option>',
            '<option value="watch">Heritage Watch</option>',
        ],
        hidden=["Silent Body", "Draft Only Body", "Empty Place"],
    )
    # The districts (and the places above them) with sites; finer areas are typed.
    areas = html[html.index('name="area"') : html.index('name="area_name"')]
    assert ">East District<" in areas
    assert "East City<" not in areas
    assert "East Village<" not in areas
    assert '<option value="Destroyed">Destroyed</option>' in html
    assert '<option value="mosque">Mosque</option>' in html


@pytest.mark.usefixtures("four_sites")
def test_form_keeps_the_chosen_values(client):
    html = client.get(
        LIST_URL, {"q": "alp", "area": "east", "assessed_from": "2021-01-01", "sort": "-name"}
    ).content.decode()

    assert_shows(
        html,
        shown=[
            'name="q" value="alp"',
            '<option value="east" selected>',
            'name="assessed_from" value="2021-01-01"',
            '<option value="-name" selected>',
        ],
    )


def test_map_and_exports_use_the_current_filters_without_the_page(client):
    SiteFactory.create_batch(30, published=True, category="mosque")

    html = client.get(LIST_URL, {"category": "mosque", "q": "site", "page": "2"}).content.decode()

    assert_shows(
        html,
        shown=[
            'data-geojson-url="/sites/export.geojson?category=mosque&amp;q=site"',
            'href="/sites/export.csv?category=mosque&amp;q=site"',
            'href="/sites/export.geojson?category=mosque&amp;q=site"',
        ],
    )


def test_map_and_exports_without_filters_have_no_query_string(client):
    SiteFactory(published=True)

    html = client.get(LIST_URL).content.decode()

    assert 'data-geojson-url="/sites/export.geojson"' in html
    assert 'href="/sites/export.csv"' in html


def test_pagination_keeps_every_other_parameter(client):
    SiteFactory.create_batch(30, published=True, category="mosque")
    SiteFactory(published=True, category="cemetery")

    first = client.get(LIST_URL, {"category": "mosque", "sort": "-name"})
    html = unescape(first.content.decode())

    assert "30 sites match." in html
    assert len(listed_slugs(first)) == 25
    assert 'href="?category=mosque&sort=-name&page=2"' in html
    assert "Page 1 of 2" in html

    second = client.get(LIST_URL, {"category": "mosque", "sort": "-name", "page": "2"})
    html = unescape(second.content.decode())
    assert len(listed_slugs(second)) == 5
    assert 'href="?category=mosque&sort=-name&page=1"' in html
    assert not set(listed_slugs(first)) & set(listed_slugs(second))


def test_last_page_is_reachable_by_name(client):
    SiteFactory.create_batch(26, published=True)

    response = client.get(LIST_URL, {"page": "last"})

    assert response.status_code == 200
    assert len(listed_slugs(response)) == 1


@pytest.mark.usefixtures("four_sites")
def test_no_results_says_so(client):
    response = client.get(LIST_URL, {"q": "zzz"})

    assert response.status_code == 200
    assert "0 sites match." in response.content.decode()
    assert "No published site matches these filters." in response.content.decode()


def test_only_published_sites_are_listed(client):
    SiteFactory(published=True, slug="public-site", name="Public site")
    SiteFactory(publication_status="draft", slug="draft-site", name="Draft site")
    SiteFactory(publication_status="rejected", slug="rejected-site", name="Rejected site")
    SiteFactory(publication_status="in_review", slug="review-site", name="Review site")

    html = client.get(LIST_URL).content.decode()

    assert "Public site" in html
    for hidden in ["draft-site", "Draft site", "rejected-site", "Rejected site", "Review site"]:
        assert hidden not in html


def test_withheld_coordinates_never_appear_on_the_page(client):
    place = PlaceFactory(latitude="39.539700", longitude="47.156400")
    SiteFactory(
        published=True,
        place=place,
        latitude="40.123456",
        longitude="45.654321",
        location_precision="withheld",
    )

    html = client.get(LIST_URL).content.decode()

    assert_shows(
        html,
        hidden=["40.123456", "45.654321", "40.12"],
    )


@pytest.mark.parametrize("typed", ["Gargabazar", "qargabazar", "Garghabazar", "Qarğabazar"])
def test_demo_search_finds_the_gargabazar_sites_by_any_spelling(client, demo, typed):
    found = set(listed_slugs(client.get(LIST_URL, {"q": typed})))

    assert found == {"gargabazar-mosque", "gargabazar-caravanserai"}


def test_demo_destroyed_finds_what_the_icesco_visit_found_destroyed(client, demo):
    found = set(listed_slugs(client.get(LIST_URL, {"condition": "Destroyed"})))

    assert found == {"haji-alakbar-mosque", "gochahmadli-mosque"}


def test_demo_district_finds_all_five_sites(client, demo):
    response = client.get(LIST_URL, {"area": "fuzuli-district"})

    assert set(listed_slugs(response)) == {
        "haji-alakbar-mosque",
        "fuzuli-city-cemetery",
        "gargabazar-mosque",
        "gargabazar-caravanserai",
        "gochahmadli-mosque",
    }
    assert "5 sites match." in response.content.decode()


def test_demo_icesco_finds_the_sites_of_its_visit(client, demo):
    found = set(listed_slugs(client.get(LIST_URL, {"organisation": "icesco"})))

    assert len(found) == 5
