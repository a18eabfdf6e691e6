"""``/sites/``: the filtered listing of published sites."""

import datetime
import itertools
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from heritage.models import Place
from inspections.models import OverallCondition
from tests.factories import (
    AssessmentFactory,
    OrganisationFactory,
    PlaceFactory,
    SiteFactory,
    SiteNameFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("site-list")
AREA_INDEX = "heritage_site_area_sort_idx"


def condition(label):
    return OverallCondition.objects.get(label=label)


def listed_slugs(response):
    """Slugs of the sites in the results table, in order."""
    html = response.content.decode()
    return re.findall(r'<th scope="row"><a href="/sites/([^/]+)/">', html)


def build_register():
    """Four published sites, each with at most one published assessment, so that a site
    matches two filters exactly when it matches each of them.

    ============  ============  ===============  ===========  =========  ============
    site          category      place            condition    assessed   by / level
    ============  ============  ===============  ===========  =========  ============
    alpha         mosque        village, east    Destroyed    2021-01-12 icesco, verified
    beta          cemetery      city, east       Poor         2022-06-01 watch, reported
    gamma         caravanserai  west district    (none)       (never)
    delta         library       west district    Good         2020-03-01 icesco's visit,
                                                                         corroborated
    ============  ============  ===============  ===========  =========  ============
    """
    east = PlaceFactory(slug="east", name="East District", kind=Place.Kind.DISTRICT)
    city = PlaceFactory(slug="east-city", name="East City", parent=east)
    village = PlaceFactory(
        slug="east-village", name="East Village", kind=Place.Kind.VILLAGE, parent=east
    )
    west = PlaceFactory(slug="west", name="West District", kind=Place.Kind.DISTRICT)
    icesco = OrganisationFactory(slug="icesco", name="ICESCO")
    watch = OrganisationFactory(slug="watch", name="Heritage Watch")

    alpha = SiteFactory(
        published=True, slug="alpha", name="Alpha Mosque", category="mosque", place=village
    )
    SiteNameFactory(site=alpha, name="Qarğabazar məscidi", language="az")
    AssessmentFactory(
        site=alpha,
        published=True,
        assessed_on=datetime.date(2021, 1, 12),
        assessed_by=icesco,
        verification="verified",
        overall_condition=condition("Destroyed"),
    )
    beta = SiteFactory(
        published=True, slug="beta", name="Beta Cemetery", category="cemetery", place=city
    )
    AssessmentFactory(
        site=beta,
        published=True,
        assessed_on=datetime.date(2022, 6, 1),
        assessed_by=watch,
        verification="reported",
        overall_condition=condition("Poor"),
    )
    SiteFactory(
        published=True, slug="gamma", name="Gamma Caravanserai", category="caravanserai", place=west
    )
    delta = SiteFactory(
        published=True, slug="delta", name="Delta Library", category="library", place=west
    )
    visit = VisitFactory(published=True)
    visit.organisations.add(icesco)
    AssessmentFactory(
        site=delta,
        published=True,
        visit=visit,
        assessed_on=datetime.date(2020, 3, 1),
        verification="corroborated",
        overall_condition=condition("Good"),
    )


ALL_SITES = {"alpha", "beta", "gamma", "delta"}

#: One case per parameter: (parameter, value, slugs of the sites it finds).
FILTER_CASES = [
    ("q", "qargabazar", {"alpha"}),
    ("category", "cemetery", {"beta"}),
    ("condition", "Destroyed", {"alpha"}),
    ("area", "east", {"alpha", "beta"}),
    ("organisation", "icesco", {"alpha", "delta"}),
    ("assessed_from", "2021-01-01", {"alpha", "beta"}),
    ("assessed_to", "2021-12-31", {"alpha", "delta"}),
    ("verification", "verified", {"alpha"}),
]

#: Further single-filter cases: other values of the same parameters.
MORE_FILTER_CASES = [
    ("q", "BETA", {"beta"}),
    ("q", "  alpha   MOSQUE ", {"alpha"}),
    ("q", "Qarğabazar", {"alpha"}),
    ("q", "nothing like it", set()),
    ("category", "caravanserai", {"gamma"}),
    ("condition", "Good", {"delta"}),
    ("condition", "Fair", set()),
    ("area", "east-village", {"alpha"}),
    ("area", "west", {"gamma", "delta"}),
    ("organisation", "watch", {"beta"}),
    ("verification", "corroborated", {"delta"}),
    ("verification", "disputed", set()),
]


@pytest.mark.parametrize(
    ("parameter", "value", "expected"),
    FILTER_CASES + MORE_FILTER_CASES,
    ids=lambda case: case if isinstance(case, str) else None,
)
def test_each_filter_alone_finds_its_sites(client, parameter, value, expected):
    build_register()

    response = client.get(LIST_URL, {parameter: value})

    assert response.status_code == 200
    assert set(listed_slugs(response)) == expected


@pytest.mark.parametrize(
    ("first", "second"),
    list(itertools.combinations(FILTER_CASES, 2)),
    ids=lambda case: f"{case[0]}={case[1]}",
)
def test_two_filters_together_find_the_sites_matching_both(client, first, second):
    build_register()

    response = client.get(LIST_URL, {first[0]: first[1], second[0]: second[1]})

    assert response.status_code == 200
    assert set(listed_slugs(response)) == first[2] & second[2]


def test_without_filters_every_published_site_is_listed_by_name(client):
    build_register()

    response = client.get(LIST_URL)

    assert listed_slugs(response) == ["alpha", "beta", "delta", "gamma"]
    assert "4 sites match." in response.content.decode()


def test_an_empty_search_lists_everything(client):
    build_register()

    response = client.get(LIST_URL, {"q": "   ", "category": "", "sort": ""})

    assert response.status_code == 200
    assert set(listed_slugs(response)) == ALL_SITES


def test_condition_is_that_of_the_latest_published_assessment(client):
    site = SiteFactory(published=True, slug="mended")
    AssessmentFactory(
        site=site,
        published=True,
        assessed_on=datetime.date(2020, 1, 1),
        overall_condition=condition("Destroyed"),
    )
    AssessmentFactory(
        site=site,
        published=True,
        assessed_on=datetime.date(2023, 1, 1),
        overall_condition=condition("Fair"),
    )

    assert listed_slugs(client.get(LIST_URL, {"condition": "Destroyed"})) == []
    assert listed_slugs(client.get(LIST_URL, {"condition": "Fair"})) == ["mended"]


def test_assessment_filters_apply_to_one_and_the_same_assessment(client):
    icesco = OrganisationFactory(slug="icesco")
    other = OrganisationFactory(slug="other")
    site = SiteFactory(published=True, slug="twice-assessed")
    AssessmentFactory(
        site=site, published=True, assessed_by=icesco, assessed_on=datetime.date(2019, 5, 1)
    )
    AssessmentFactory(
        site=site,
        published=True,
        assessed_by=other,
        assessed_on=datetime.date(2022, 5, 1),
        verification="verified",
    )

    def found(**params):
        return listed_slugs(client.get(LIST_URL, params))

    assert found(organisation="icesco", assessed_from="2022-01-01") == []
    assert found(organisation="icesco", verification="verified") == []
    assert found(organisation="other", assessed_from="2022-01-01") == ["twice-assessed"]
    assert found(assessed_from="2019-01-01", assessed_to="2019-12-31") == ["twice-assessed"]
    assert found(assessed_from="2020-01-01", assessed_to="2021-12-31") == []


def test_date_range_includes_both_ends(client):
    site = SiteFactory(published=True, slug="on-the-day")
    AssessmentFactory(site=site, published=True, assessed_on=datetime.date(2021, 1, 12))

    response = client.get(LIST_URL, {"assessed_from": "2021-01-12", "assessed_to": "2021-01-12"})

    assert listed_slugs(response) == ["on-the-day"]


def test_area_includes_every_level_below_it(client):
    country = PlaceFactory(slug="country", kind=Place.Kind.COUNTRY)
    district = PlaceFactory(slug="district", kind=Place.Kind.DISTRICT, parent=country)
    city = PlaceFactory(slug="city", parent=district)
    quarter = PlaceFactory(slug="quarter", kind=Place.Kind.OTHER, parent=city)
    for slug, place in [("in-country", country), ("in-city", city), ("in-quarter", quarter)]:
        SiteFactory(published=True, slug=slug, place=place)
    SiteFactory(published=True, slug="elsewhere")

    assert set(listed_slugs(client.get(LIST_URL, {"area": "country"}))) == {
        "in-country",
        "in-city",
        "in-quarter",
    }
    assert set(listed_slugs(client.get(LIST_URL, {"area": "district"}))) == {
        "in-city",
        "in-quarter",
    }


def test_organisation_counts_a_visit_only_when_the_visit_is_published(client):
    icesco = OrganisationFactory(slug="icesco")
    draft_visit = VisitFactory(publication_status="draft")
    draft_visit.organisations.add(icesco)
    site = SiteFactory(published=True, slug="on-a-draft-visit")
    AssessmentFactory(site=site, published=True, visit=draft_visit)

    assert listed_slugs(client.get(LIST_URL, {"organisation": "icesco"})) == []


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["alpha", "beta", "delta", "gamma"]),
        ("-name", ["gamma", "delta", "beta", "alpha"]),
        ("category", ["gamma", "beta", "delta", "alpha"]),
        ("-assessed", ["beta", "alpha", "delta", "gamma"]),
        ("assessed", ["delta", "alpha", "beta", "gamma"]),
    ],
)
def test_sort_orders_the_results(client, sort, expected):
    build_register()

    assert listed_slugs(client.get(LIST_URL, {"sort": sort})) == expected


# --- What each row shows ------------------------------------------------------------------


def test_each_row_shows_name_category_place_condition_and_date(client):
    build_register()

    html = client.get(LIST_URL).content.decode()

    row = html[html.index('href="/sites/alpha/"') :]
    row = row[: row.index("</tr>")]
    assert ">Alpha Mosque</a>" in row
    assert "<td>Mosque</td>" in row
    assert "<td>East Village</td>" in row
    assert "<td>Destroyed</td>" in row
    assert '<time datetime="2021-01-12">' in row
    never = html[html.index('href="/sites/gamma/"') :]
    never = never[: never.index("</tr>")]
    assert "Not assessed" in never


def test_rows_speak_the_visitors_language(client):
    build_register()

    html = client.get(LIST_URL, headers={"accept-language": "az"}).content.decode()
    assert ">Qarğabazar məscidi</a>" in html

    html = client.get(LIST_URL, headers={"accept-language": "ar"}).content.decode()
    assert condition("Destroyed").label_ar in html


def test_names_typed_by_staff_are_escaped(client):
    SiteFactory(published=True, name="<script>alert(1)</script>")

    html = client.get(LIST_URL).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Form, links and pagination -----------------------------------------------------------


def test_form_has_a_labelled_control_for_every_filter(client):
    build_register()

    html = client.get(LIST_URL).content.decode()

    assert '<form class="filters" method="get" action="/sites/">' in html
    for name in [
        "q",
        "category",
        "condition",
        "area",
        "organisation",
        "assessed_from",
        "assessed_to",
        "verification",
        "sort",
    ]:
        assert f'name="{name}"' in html
        assert f'<label for="id_{name}">' in html


def test_form_offers_options_from_published_data(client):
    build_register()
    OrganisationFactory(slug="silent-body", name="Silent Body")
    PlaceFactory(slug="empty-place", name="Empty Place")
    draft_only = OrganisationFactory(slug="draft-only", name="Draft Only Body")
    AssessmentFactory(
        site=SiteFactory(published=True), publication_status="draft", assessed_by=draft_only
    )

    html = client.get(LIST_URL).content.decode()

    assert '<option value="icesco">ICESCO</option>' in html
    assert '<option value="watch">Heritage Watch</option>' in html
    assert "Silent Body" not in html
    assert "Draft Only Body" not in html
    assert "Empty Place" not in html
    # The places with sites, under their parents, in hierarchical order.
    areas = html[html.index('name="area"') : html.index('name="organisation"')]
    assert areas.index(">East District<") < areas.index("East City<")
    assert "\u00a0East Village<" in areas
    assert '<option value="Destroyed">Destroyed</option>' in html
    assert '<option value="mosque">Mosque</option>' in html


def test_form_keeps_the_chosen_values(client):
    build_register()

    html = client.get(
        LIST_URL, {"q": "alp", "area": "east", "assessed_from": "2021-01-01", "sort": "-name"}
    ).content.decode()

    assert 'name="q" value="alp"' in html
    assert '<option value="east" selected>' in html
    assert 'name="assessed_from" value="2021-01-01"' in html
    assert '<option value="-name" selected>' in html


def test_map_and_exports_use_the_current_filters_without_the_page(client):
    SiteFactory.create_batch(30, published=True, category="mosque")

    html = client.get(LIST_URL, {"category": "mosque", "q": "site", "page": "2"}).content.decode()

    assert 'data-geojson-url="/sites/export.geojson?category=mosque&amp;q=site"' in html
    assert 'href="/sites/export.csv?category=mosque&amp;q=site"' in html
    assert 'href="/sites/export.geojson?category=mosque&amp;q=site"' in html


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


def test_no_results_says_so(client):
    build_register()

    response = client.get(LIST_URL, {"q": "zzz"})

    assert response.status_code == 200
    assert "0 sites match." in response.content.decode()
    assert "No published site matches these filters." in response.content.decode()


# --- Bad parameters -----------------------------------------------------------------------

BAD_PARAMETERS = [
    ({"category": "fish"}, "category", "fish is not one of the available choices"),
    ({"condition": "Ruined"}, "condition", "Select a valid choice"),
    ({"condition": "destroyed"}, "condition", "Select a valid choice"),
    ({"area": "atlantis"}, "area", "Select a valid choice"),
    ({"area": "east\x00"}, "area", ""),
    ({"organisation": "nobody"}, "organisation", "Select a valid choice"),
    ({"assessed_from": "2021-13-45"}, "assessed_from", "Enter a valid date"),
    ({"assessed_to": "yesterday"}, "assessed_to", "Enter a valid date"),
    (
        {"assessed_from": "2022-01-01", "assessed_to": "2021-01-01"},
        "assessed_to",
        "comes before the start of the range, assessed_from",
    ),
    ({"verification": "maybe"}, "verification", "maybe is not one of the available choices"),
    ({"sort": "price"}, "sort", "price is not one of the available choices"),
    ({"q": "x" * 201}, "q", "at most 200 characters"),
    ({"q": "mosque\x00"}, "q", "Null characters are not allowed"),
]

BAD_PAGES = [
    ({"page": "abc"}, "page", "A page number is a whole number"),
    ({"page": "1.5"}, "page", "A page number is a whole number"),
    ({"page": "9"}, "page", "There is no page 9: pages run from 1 to 1."),
    ({"page": "0"}, "page", "There is no page 0"),
    ({"page": "-1"}, "page", "There is no page -1"),
]


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    BAD_PARAMETERS + BAD_PAGES,
    ids=lambda case: "&".join(case) if isinstance(case, dict) else None,
)
def test_bad_parameter_gets_the_full_page_with_a_400_naming_it(client, params, parameter, message):
    build_register()

    response = client.get(LIST_URL, params)

    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "<h1>Sites</h1>" in html
    assert '<form class="filters"' in html
    assert f"Parameter “{parameter}”" in html
    assert message in html
    assert listed_slugs(response) == []


def test_bad_parameter_keeps_the_other_values_in_the_form(client):
    build_register()

    response = client.get(LIST_URL, {"category": "fish", "area": "east"})

    assert response.status_code == 400
    assert '<option value="east" selected>' in response.content.decode()


# --- Publication rule ---------------------------------------------------------------------


def test_only_published_sites_are_listed(client):
    SiteFactory(published=True, slug="public-site", name="Public site")
    SiteFactory(publication_status="draft", slug="draft-site", name="Draft site")
    SiteFactory(publication_status="rejected", slug="rejected-site", name="Rejected site")
    SiteFactory(publication_status="in_review", slug="review-site", name="Review site")

    html = client.get(LIST_URL).content.decode()

    assert "Public site" in html
    for hidden in ["draft-site", "Draft site", "rejected-site", "Rejected site", "Review site"]:
        assert hidden not in html


def test_unpublished_sites_are_not_found_by_any_filter(client):
    icesco = OrganisationFactory(slug="icesco")
    draft = SiteFactory(publication_status="draft", slug="draft-site", category="cemetery")
    SiteNameFactory(site=draft, name="Secret name")
    AssessmentFactory(
        site=draft, published=True, assessed_by=icesco, overall_condition=condition("Destroyed")
    )

    for params in [
        {"q": "secret"},
        {"category": "cemetery"},
        {"condition": "Destroyed"},
        {"organisation": "icesco"},
        {"verification": "reported"},
    ]:
        response = client.get(LIST_URL, params)
        assert response.status_code == 200
        assert "draft-site" not in response.content.decode()


def test_a_draft_assessment_counts_for_no_filter_and_shows_nowhere(client):
    icesco = OrganisationFactory(slug="icesco")
    site = SiteFactory(published=True, slug="only-draft-assessment")
    AssessmentFactory(
        site=site,
        publication_status="draft",
        assessed_by=icesco,
        assessed_on=datetime.date(2021, 1, 12),
        verification="verified",
        overall_condition=condition("Destroyed"),
    )

    for params in [
        {"condition": "Destroyed"},
        {"organisation": "icesco"},
        {"verification": "verified"},
        {"assessed_from": "2021-01-01"},
    ]:
        assert listed_slugs(client.get(LIST_URL, params)) == []
    html = client.get(LIST_URL).content.decode()
    assert listed_slugs(client.get(LIST_URL)) == ["only-draft-assessment"]
    assert "Not assessed" in html
    assert "2021-01-12" not in html
    assert "Destroyed</td>" not in html


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

    assert "40.123456" not in html
    assert "45.654321" not in html
    assert "40.12" not in html


# --- Demo data ----------------------------------------------------------------------------


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


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


# --- Query counts -------------------------------------------------------------------------


def build_sites(count):
    icesco = OrganisationFactory(slug="icesco")
    visit = VisitFactory(published=True)
    visit.organisations.add(icesco)
    district = PlaceFactory(slug="district", kind=Place.Kind.DISTRICT)
    for index in range(count):
        place = PlaceFactory(parent=district)
        site = SiteFactory(published=True, place=place, category="mosque")
        SiteNameFactory(site=site, name=f"Məscid {index}", language="az")
        SiteNameFactory(site=site, name=f"Mosque {index}", language="en")
        AssessmentFactory(
            site=site,
            published=True,
            visit=visit,
            assessed_by=icesco,
            overall_condition=condition("Destroyed"),
        )


# count, page of sites with their place, their names; the condition terms, read once for
# the rows, the form's condition options and the map legend; the form's area and
# organisation options. With an empty cache: the next request reads only the page and names.
# In another language than English, the places' names in it are read once too.
LISTING_QUERIES = 6


@pytest.mark.parametrize("size", [2, 25])
@pytest.mark.parametrize("language", ["en", "az"])
def test_listing_query_count_does_not_grow_with_the_page(
    client, django_assert_num_queries, size, language
):
    build_sites(size)

    with django_assert_num_queries(LISTING_QUERIES + (language != "en")):
        response = client.get(LIST_URL, headers={"accept-language": language})

    assert len(listed_slugs(response)) == size


@pytest.mark.parametrize("size", [2, 25])
def test_filtered_listing_query_count_does_not_grow_with_the_page(
    client, django_assert_num_queries, size
):
    build_sites(size)
    params = {
        "q": "mosque",
        "category": "mosque",
        "condition": "Destroyed",
        "organisation": "icesco",
        "assessed_from": "2020-01-01",
        "verification": "reported",
        "sort": "-assessed",
    }

    # Plus one query to look up the organisation (the condition is one of the cached terms).
    with django_assert_num_queries(LISTING_QUERIES + 1):
        response = client.get(LIST_URL, params)

    assert len(listed_slugs(response)) == size


def test_the_area_listing_index_exists():
    """Made by SQL in migration heritage 0006, so a rebuild of the table could lose it."""
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "heritage_site")
    columns = [spec["columns"] for name, spec in indexes.items() if name == AREA_INDEX]
    assert columns == [["place_id", "publication_status", "name"]]
