"""The public visit pages: ``/visits/`` (filtered list) and ``/visits/<slug>/``."""

import datetime
import re

import pytest
from django.urls import reverse

from heritage.base import DatePrecision
from heritage.models import Place
from inspections.models import Assessment, CauseType, Participation, Visit
from inspections.vocabularies import OverallCondition
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    DisturbanceFactory,
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    PlaceFactory,
    SiteFactory,
    SiteNameFactory,
    SourceFactory,
    VisitCitationFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("visit-list")


def visit_titles(response):
    """The titles of the visits listed on a list page, in order."""
    return [visit.title for visit in response.context["visits"]]


def published_visit(**kwargs):
    return VisitFactory(published=True, **kwargs)


# /visits/: what is listed


def test_visit_list_shows_published_visits_and_hides_drafts_and_rejected(client):
    published_visit(title="Published mission")
    VisitFactory(title="Draft mission")
    VisitFactory(title="Rejected mission", publication_status="rejected")

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert visit_titles(response) == ["Published mission"]
    assert "Draft mission" not in response.text
    assert "Rejected mission" not in response.text


def test_visit_list_row_links_to_visit_and_shows_kind_status_organisations_and_places(client):
    visit = published_visit(
        title="Mission to Qarğabazar",
        kind=Visit.Kind.FIELD_INSPECTION,
        status=Visit.Status.CANCELLED,
    )
    visit.organisations.add(OrganisationFactory(name="Heritage Watch"))
    visit.places.add(PlaceFactory(name="Qarğabazar"))

    response = client.get(LIST_URL)

    assert f'<a href="{visit.get_absolute_url()}">Mission to Qarğabazar</a>' in response.text
    assert "Field inspection" in response.text
    assert "Cancelled" in response.text
    assert "Heritage Watch" in response.text
    assert "Qarğabazar" in response.text


def test_visit_list_shows_a_month_precision_visit_as_its_month_only(client):
    published_visit(
        title="Announced mission",
        start_date=datetime.date(2021, 2, 1),
        date_precision=DatePrecision.MONTH,
    )

    response = client.get(LIST_URL)

    assert '<time datetime="2021-02">February 2021</time>' in response.text
    assert "Feb. 1, 2021" not in response.text


def test_visit_list_shows_a_day_precision_visit_as_its_day(client):
    published_visit(start_date=datetime.date(2021, 1, 12), end_date=datetime.date(2021, 1, 14))

    response = client.get(LIST_URL)

    assert '<time datetime="2021-01-12">Jan. 12, 2021</time>' in response.text
    assert '<time datetime="2021-01-14">Jan. 14, 2021</time>' in response.text


def test_visit_list_counts_the_results(client):
    for _ in range(3):
        published_visit()

    response = client.get(LIST_URL)

    assert "3 visits found." in response.text


def test_visit_list_form_labels_every_filter(client):
    response = client.get(LIST_URL)

    for name in ("organisation", "year", "status", "place"):
        assert f'<label for="id_{name}">' in response.text
        assert f'name="{name}"' in response.text
    assert 'method="get"' in response.text


# /visits/: filters


def test_visit_list_filters_by_organisation_slug(client):
    icesco = OrganisationFactory(slug="icesco")
    ours = published_visit(title="ICESCO visit")
    ours.organisations.add(icesco, OrganisationFactory())
    published_visit(title="Other visit").organisations.add(OrganisationFactory())

    response = client.get(LIST_URL, {"organisation": "icesco"})

    assert response.status_code == 200
    assert visit_titles(response) == ["ICESCO visit"]


def test_visit_list_filters_by_year_of_start_date(client):
    published_visit(title="2021 visit", start_date=datetime.date(2021, 12, 31))
    published_visit(title="2022 visit", start_date=datetime.date(2022, 1, 1))

    response = client.get(LIST_URL, {"year": "2021"})

    assert visit_titles(response) == ["2021 visit"]


@pytest.mark.parametrize("status", [choice.value for choice in Visit.Status])
def test_visit_list_filters_by_each_status(client, status):
    for choice in Visit.Status:
        published_visit(title=f"Visit {choice.value}", status=choice)

    response = client.get(LIST_URL, {"status": status})

    assert visit_titles(response) == [f"Visit {status}"]


def test_visit_list_place_filter_includes_the_cities_and_villages_of_a_district(client):
    district = PlaceFactory(slug="fuzuli-district", kind=Place.Kind.DISTRICT)
    city = PlaceFactory(parent=district, kind=Place.Kind.CITY)
    village = PlaceFactory(parent=city, kind=Place.Kind.VILLAGE)
    elsewhere = PlaceFactory(kind=Place.Kind.DISTRICT)
    published_visit(title="City visit").places.add(city)
    published_visit(title="Village visit").places.add(village)
    published_visit(title="District visit").places.add(district)
    published_visit(title="Elsewhere").places.add(elsewhere)

    response = client.get(LIST_URL, {"place": "fuzuli-district"})

    assert sorted(visit_titles(response)) == ["City visit", "District visit", "Village visit"]


def test_visit_list_place_filter_does_not_include_the_parent_place(client):
    district = PlaceFactory(kind=Place.Kind.DISTRICT)
    city = PlaceFactory(slug="fuzuli", parent=district)
    published_visit(title="District-wide visit").places.add(district)
    published_visit(title="City visit").places.add(city)

    response = client.get(LIST_URL, {"place": "fuzuli"})

    assert visit_titles(response) == ["City visit"]


def test_visit_list_lists_a_visit_once_when_several_of_its_places_match(client):
    district = PlaceFactory(slug="district", kind=Place.Kind.DISTRICT)
    villages = [PlaceFactory(parent=district) for _ in range(3)]
    visit = published_visit(title="Tour of the villages")
    visit.places.add(*villages)
    visit.organisations.add(OrganisationFactory(slug="org"))

    response = client.get(LIST_URL, {"place": "district", "organisation": "org"})

    assert visit_titles(response) == ["Tour of the villages"]
    assert "1 visit found." in response.text


def test_visit_list_combines_filters(client):
    org = OrganisationFactory(slug="icesco")
    match = published_visit(title="Match", status=Visit.Status.COMPLETED)
    match.organisations.add(org)
    wrong_status = published_visit(title="Wrong status", status=Visit.Status.PLANNED)
    wrong_status.organisations.add(org)

    response = client.get(LIST_URL, {"organisation": "icesco", "status": "completed"})

    assert visit_titles(response) == ["Match"]


def test_visit_list_filters_never_reveal_drafts(client):
    org = OrganisationFactory(slug="icesco")
    VisitFactory(title="Draft visit").organisations.add(org)

    response = client.get(LIST_URL, {"organisation": "icesco"})

    assert response.status_code == 200
    assert visit_titles(response) == []
    assert "Draft visit" not in response.text


def test_visit_list_empty_parameters_mean_no_filter(client):
    published_visit(title="Any visit")

    response = client.get(LIST_URL, {"organisation": "", "year": "", "status": "", "place": ""})

    assert response.status_code == 200
    assert visit_titles(response) == ["Any visit"]


# /visits/: invalid parameters answer 400 with the whole page and a clear message


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        ({"status": "lost"}, "status", "“lost” is not a visit status"),
        ({"year": "abc"}, "year", "Enter a year as a number"),
        ({"year": "99999"}, "year", "Enter a year between 1 and 9999"),
        ({"year": "0"}, "year", "Enter a year between 1 and 9999"),
        ({"year": "20.5"}, "year", "Enter a year as a number"),
        ({"organisation": "no-such-body"}, "organisation", "There is no organisation"),
        ({"organisation": "bad slug!"}, "organisation", "There is no organisation"),
        ({"organisation": "nul\x00byte"}, "organisation", "There is no organisation"),
        ({"place": "atlantis"}, "place", "There is no place"),
        ({"place": "nul\x00byte"}, "place", "There is no place"),
        ({"page": "abc"}, "page", "is not a page number"),
        ({"page": "99"}, "page", "There is no page 99"),
        ({"page": "0"}, "page", "There is no page 0"),
    ],
)
def test_visit_list_invalid_parameter_answers_400_with_the_page_and_names_it(
    client, params, parameter, message
):
    published_visit(title="Listed visit")

    response = client.get(LIST_URL, params)

    assert response.status_code == 400
    text = response.text
    assert "<h1>Visits</h1>" in text
    assert 'role="search"' in text
    assert "Some filters could not be applied" in text
    assert f"(parameter “{parameter}”)" in text
    assert message in text
    assert "Listed visit" not in text


def test_visit_list_invalid_filter_is_marked_on_its_form_field(client):
    response = client.get(LIST_URL, {"status": "lost"})

    assert response.status_code == 400
    assert re.search(r'<select name="status"[^>]*aria-invalid="true"', response.text)


def test_visit_list_page_error_is_not_reported_twice_when_filters_are_invalid(client):
    response = client.get(LIST_URL, {"status": "lost", "page": "3"})

    assert response.status_code == 400
    assert "(parameter “status”)" in response.text
    assert "(parameter “page”)" not in response.text


def test_visit_list_accepts_last_as_page(client):
    for day in range(1, 28):
        published_visit(title=f"Visit {day:02d}", start_date=datetime.date(2024, 1, day))

    response = client.get(LIST_URL, {"page": "last"})

    assert response.status_code == 200
    assert visit_titles(response) == ["Visit 02", "Visit 01"]


# /visits/: pagination


def test_visit_list_paginates_and_keeps_the_filters_in_page_links(client):
    for day in range(1, 28):
        published_visit(status=Visit.Status.PLANNED, start_date=datetime.date(2024, 1, day))
    published_visit(status=Visit.Status.COMPLETED)

    first = client.get(LIST_URL, {"status": "planned"})
    second = client.get(LIST_URL, {"status": "planned", "page": "2"})

    assert len(first.context["visits"]) == 25
    assert "27 visits found." in first.text
    assert 'href="?status=planned&amp;page=2"' in first.text
    assert second.status_code == 200
    assert len(second.context["visits"]) == 2
    assert 'href="?status=planned&amp;page=1"' in second.text


# /visits/: query counts


def make_listed_visit():
    visit = published_visit()
    visit.organisations.add(OrganisationFactory(), OrganisationFactory())
    visit.places.add(PlaceFactory(), PlaceFactory())
    return visit


# count, page of visits, organisations, places, and the two choice lists of the form
LIST_QUERIES = 6


@pytest.mark.parametrize("visits", [1, 5])
def test_visit_list_query_count_does_not_grow_with_visits(
    client, django_assert_num_queries, visits
):
    for _ in range(visits):
        make_listed_visit()

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST_URL)

    assert len(response.context["visits"]) == visits


@pytest.mark.parametrize("visits", [1, 5])
def test_visit_list_filtered_query_count_does_not_grow_with_visits(
    client, django_assert_num_queries, visits
):
    district = PlaceFactory(slug="district", kind=Place.Kind.DISTRICT)
    village = PlaceFactory(parent=district, kind=Place.Kind.VILLAGE)
    organisation = OrganisationFactory(slug="org")
    for _ in range(visits):
        visit = make_listed_visit()
        visit.places.add(village)
        visit.organisations.add(organisation)

    # + organisation and place looked up by slug, + two levels of places below the district
    with django_assert_num_queries(LIST_QUERIES + 4):
        response = client.get(
            LIST_URL, {"organisation": "org", "place": "district", "year": "2024"}
        )

    assert len(response.context["visits"]) == visits


def test_visit_list_reads_its_options_once_until_the_register_changes(
    client, django_assert_num_queries
):
    make_listed_visit()
    client.get(LIST_URL)

    # count, page of visits, organisations, places: the form's options come from the cache
    with django_assert_num_queries(LIST_QUERIES - 2):
        client.get(LIST_URL)


def select_of(response, name):
    html = response.text
    start = html.index(f'name="{name}"')
    return html[start : html.index("</select>", start)]


def test_visit_list_cached_place_options_follow_publishing_and_deleting(client):
    district = PlaceFactory(slug="east", name="East District", kind=Place.Kind.DISTRICT)
    village = PlaceFactory(slug="east-village", name="East Village", parent=district)
    visit = VisitFactory(title="Draft mission")
    visit.places.add(village)
    assert "East Village" not in select_of(client.get(LIST_URL), "place")

    visit.publication_status = "published"
    visit.save()
    places = select_of(client.get(LIST_URL), "place")
    assert ">East District<" in places
    assert "\u00a0East Village<" in places

    visit.delete()
    assert "East Village" not in select_of(client.get(LIST_URL), "place")


def test_visit_list_cached_organisation_options_follow_adding_renaming_and_deleting(client):
    assert "Heritage Watch" not in select_of(client.get(LIST_URL), "organisation")

    body = OrganisationFactory(slug="watch", name="Heritage Watch")
    assert '<option value="watch">Heritage Watch</option>' in select_of(
        client.get(LIST_URL), "organisation"
    )

    body.name = "Heritage Watch International"
    body.save()
    assert ">Heritage Watch International<" in select_of(client.get(LIST_URL), "organisation")

    body.delete()
    assert "Heritage Watch" not in select_of(client.get(LIST_URL), "organisation")


def test_visit_list_keeps_the_chosen_organisation_and_place_selected(client):
    district = PlaceFactory(slug="east", name="East District", kind=Place.Kind.DISTRICT)
    published_visit().places.add(district)
    OrganisationFactory(slug="watch", name="Heritage Watch")

    response = client.get(LIST_URL, {"organisation": "watch", "place": "east"})

    assert '<option value="watch" selected>' in select_of(response, "organisation")
    assert '<option value="east" selected>' in select_of(response, "place")


# /visits/<slug>/


def test_visit_page_shows_a_published_visit(client):
    visit = published_visit(
        title="ICESCO delegation visit to Fuzuli",
        kind=Visit.Kind.DELEGATION,
        status=Visit.Status.COMPLETED,
        start_date=datetime.date(2021, 1, 12),
        summary="The delegation inspected the ruins of the city.",
    )
    visit.organisations.add(OrganisationFactory(name="ICESCO"))
    visit.places.add(PlaceFactory(name="Fuzuli", slug="fuzuli"))

    response = client.get(visit.get_absolute_url())

    assert response.status_code == 200
    text = response.text
    assert "<h1>ICESCO delegation visit to Fuzuli</h1>" in text
    assert "Delegation visit" in text
    assert "Completed" in text
    assert '<time datetime="2021-01-12">Jan. 12, 2021</time>' in text
    assert "ICESCO" in text
    assert 'href="/visits/?place=fuzuli">Fuzuli</a>' in text
    assert "The delegation inspected the ruins of the city." in text


@pytest.mark.parametrize("status", ["draft", "in_review", "rejected"])
def test_visit_page_of_an_unpublished_visit_is_not_found(client, status):
    visit = VisitFactory(publication_status=status)

    response = client.get(visit.get_absolute_url())

    assert response.status_code == 404


def test_visit_page_of_an_unknown_slug_is_not_found(client):
    response = client.get(reverse("visit-detail", args=["no-such-visit"]))

    assert response.status_code == 404


def test_visit_page_says_plainly_when_a_visit_did_not_take_place_as_announced(client):
    visit = published_visit(
        status=Visit.Status.NOT_AS_ANNOUNCED,
        start_date=datetime.date(2021, 2, 1),
        date_precision=DatePrecision.MONTH,
    )

    response = client.get(visit.get_absolute_url())

    assert "This visit did not take place as announced." in response.text
    assert '<time datetime="2021-02">February 2021</time>' in response.text


def test_visit_page_of_a_completed_visit_has_no_status_warning(client):
    visit = published_visit(status=Visit.Status.COMPLETED)

    response = client.get(visit.get_absolute_url())

    assert "did not take place" not in response.text
    assert "status-notice" not in response.text


def test_visit_page_shows_the_leader_and_participants_with_roles_and_organisations(client):
    visit = published_visit()
    leader = PersonFactory(name="Salim AlMalik", position="Director-General of ICESCO")
    ParticipationFactory(
        visit=visit,
        person=leader,
        organisation=OrganisationFactory(name="ICESCO"),
        role=Participation.Role.LEADER,
    )
    ParticipationFactory(
        visit=visit,
        person=PersonFactory(name="Aygun Host"),
        organisation=OrganisationFactory(name="Ministry of Culture"),
        role=Participation.Role.HOST,
    )

    response = client.get(visit.get_absolute_url())

    text = response.text
    assert "Led by" in text
    assert "Salim AlMalik, Director-General of ICESCO (ICESCO)" in text
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", text, flags=re.S)
    assert len(rows) == 2
    assert "Salim AlMalik" in rows[0]
    assert "Leader" in rows[0]
    assert "Aygun Host" in rows[1]
    assert "Host" in rows[1]
    assert "Ministry of Culture" in rows[1]


def test_visit_page_cites_its_published_sources_and_hides_unpublished_ones(client):
    visit = published_visit()
    VisitCitationFactory(
        visit=visit,
        source=SourceFactory(published=True, title="Partnership prospects", publisher="AzerNews"),
        summary="The delegation visited Fuzuli.",
    )
    VisitCitationFactory(
        visit=visit,
        source=SourceFactory(title="Unchecked rumour", publisher="Rumour Mill"),
        summary="Something nobody checked.",
    )

    response = client.get(visit.get_absolute_url())

    text = response.text
    assert "According to AzerNews" in text
    assert "Partnership prospects" in text
    assert "The delegation visited Fuzuli." in text
    assert "Unchecked rumour" not in text
    assert "Rumour Mill" not in text
    assert "Something nobody checked." not in text


def test_visit_page_lists_findings_per_published_site(client):
    visit = published_visit()
    site = SiteFactory(published=True, name="Juma Mosque", slug="juma-mosque")
    assessment = AssessmentFactory(
        published=True,
        visit=visit,
        site=site,
        overall_condition=OverallCondition.objects.get(label="Destroyed"),
        verification=Assessment.Verification.CORROBORATED,
        summary="Seen in ruins by the delegation.",
    )
    DisturbanceFactory(
        assessment=assessment,
        cause_type=CauseType.objects.get(label="Occupation/Continued Use"),
        description="Used to keep cattle.",
        occurred_before=datetime.date(2021, 1, 12),
    )
    AssessmentCitationFactory(
        assessment=assessment,
        source=SourceFactory(published=True, publisher="Trend"),
        summary="The mosque is destroyed.",
    )

    response = client.get(visit.get_absolute_url())

    text = response.text
    assert f'<h3><a href="{site.get_absolute_url()}">Juma Mosque</a></h3>' in text
    assert "Destroyed" in text
    assert "Corroborated by independent sources" in text
    assert "Seen in ruins by the delegation." in text
    assert "Occupation/Continued Use" in text
    assert "Used to keep cattle." in text
    assert "According to Trend" in text
    assert "The mosque is destroyed." in text


def test_visit_page_hides_unpublished_assessments_and_assessments_of_unpublished_sites(client):
    visit = published_visit()
    AssessmentFactory(
        visit=visit, site=SiteFactory(published=True, name="Site with a draft assessment")
    )
    AssessmentFactory(
        published=True, visit=visit, site=SiteFactory(name="Draft site"), summary="Hidden."
    )
    AssessmentFactory(
        published=True, site=SiteFactory(published=True, name="Assessed on another visit")
    )

    response = client.get(visit.get_absolute_url())

    text = response.text
    assert "Site with a draft assessment" not in text
    assert "Draft site" not in text
    assert "Hidden." not in text
    assert "Assessed on another visit" not in text
    assert "No published findings are recorded for this visit." in text


def test_visit_page_hides_an_assessment_citation_whose_source_is_unpublished(client):
    visit = published_visit()
    assessment = AssessmentFactory(published=True, visit=visit, site=SiteFactory(published=True))
    AssessmentCitationFactory(
        assessment=assessment, source=SourceFactory(title="Draft source"), summary="Secret."
    )

    response = client.get(visit.get_absolute_url())

    assert "Draft source" not in response.text
    assert "Secret." not in response.text


def test_visit_page_shows_condition_and_site_name_in_the_visitors_language(client):
    visit = published_visit()
    site = SiteFactory(published=True, name="Gargabazar Mosque")
    SiteNameFactory(site=site, language="ar", name="مسجد قرغابازار", script="Arab")
    AssessmentFactory(
        published=True,
        visit=visit,
        site=site,
        overall_condition=OverallCondition.objects.get(label="Destroyed"),
    )

    response = client.get(visit.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar")

    assert "مسجد قرغابازار" in response.text
    assert "مدمر" in response.text


@pytest.mark.usefixtures("demo")
def test_visit_page_shows_the_demo_technical_mission_that_did_not_happen(client):
    response = client.get(reverse("visit-detail", args=["icesco-technical-mission-2021-02"]))

    text = response.text
    assert response.status_code == 200
    assert "This visit did not take place as announced." in text
    assert "February 2021" in text
    assert "According to AzerNews" in text


def make_detailed_visit(size):
    """A published visit with ``size`` participants, citations and findings."""
    visit = published_visit()
    visit.organisations.add(*[OrganisationFactory() for _ in range(size)])
    visit.places.add(*[PlaceFactory() for _ in range(size)])
    for index in range(size):
        ParticipationFactory(
            visit=visit,
            role=Participation.Role.LEADER if index == 0 else Participation.Role.MEMBER,
        )
        VisitCitationFactory(visit=visit, source=SourceFactory(published=True))
        site = SiteFactory(published=True)
        SiteNameFactory(site=site, language="ar")
        assessment = AssessmentFactory(published=True, visit=visit, site=site)
        DisturbanceFactory(assessment=assessment)
        DisturbanceFactory(
            assessment=assessment, cause_type=CauseType.objects.get(label="Breaking/Smashing")
        )
        AssessmentCitationFactory(assessment=assessment, source=SourceFactory(published=True))
    return visit


# visit, organisations, places, participations, citations, assessments, site names,
# disturbances, assessment citations, evidence of the visit and its assessments, and (the
# page is read in Arabic) the places' names in Arabic
DETAIL_QUERIES = 11


@pytest.mark.parametrize("size", [1, 4])
def test_visit_page_query_count_does_not_grow_with_its_contents(
    client, django_assert_num_queries, size
):
    visit = make_detailed_visit(size)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(visit.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar")

    assert len(response.context["visit"].public_assessments) == size
