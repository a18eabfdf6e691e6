"""A query parameter holding a NUL, another control character, or bytes that are not UTF-8
is answered 400 naming the parameter, on every page, the admin's included, before any
database sees it (PostgreSQL refuses a NUL in any text it is given). Other text passes."""

import pytest
from django.test import Client, RequestFactory

from config.security import InvalidParameterMiddleware, parameter_problem
from tests import factories
from tests.admin_forms import logged_in

pytestmark = pytest.mark.django_db

#: Pages and the query strings the register was seen to fail on, or could.
ADMIN_CASES = [
    ("/admin/heritage/site/", "publication_status__exact=%00", "publication_status__exact"),
    ("/admin/heritage/site/", "q=mosque%00", "q"),
    ("/admin/heritage/place/", "kind__exact=village%01", "kind__exact"),
    ("/admin/inspections/visit/", "organisations__id__exact=%00", "organisations__id__exact"),
    (
        "/admin/autocomplete/",
        "term=%00&app_label=heritage&model_name=sitecitation&field_name=source",
        "term",
    ),
    (
        "/admin/autocomplete/",
        "term=%ED%A0%80&app_label=heritage&model_name=sitecitation&field_name=source",
        "term",
    ),
    ("/admin/heritage/source/", "q=%FF%FE", "q"),
    ("/admin/heritage/source/", "o=1%1B", "o"),
]

PUBLIC_CASES = [
    ("/sites/", "area=east%00", "area"),
    ("/sites/", "q=mosque%00", "q"),
    ("/sites/export.csv", "condition=%ED%A0%80", "condition"),
    ("/sites/export.geojson", "site=%C0%AF", "site"),
    ("/visits/", "year=2021%7F", "year"),
    ("/visits/", "organisation=nul%00byte", "organisation"),
    ("/visits/", "place=nul%00byte", "place"),
    ("/", "lang%00=1", "lang"),
    ("/figures/", "x=%E2%80", "x"),
]


@pytest.fixture
def superuser_client():
    return logged_in(factories.UserFactory(is_superuser=True), Client())


def assert_refused(response, parameter):
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert f"Parameter “{parameter}" in response.content.decode()


@pytest.mark.parametrize(("path", "query", "parameter"), ADMIN_CASES)
def test_admin_parameters_with_invalid_characters_get_a_400_naming_them(
    superuser_client, path, query, parameter
):
    assert_refused(superuser_client.get(f"{path}?{query}"), parameter)


@pytest.mark.parametrize(("path", "query", "parameter"), PUBLIC_CASES)
def test_public_parameters_with_invalid_characters_get_a_400_naming_them(
    client, path, query, parameter
):
    assert_refused(client.get(f"{path}?{query}"), parameter)


def test_the_answer_names_the_character():
    assert parameter_problem(b"q=a%00b") == (
        "Parameter “q”: its value holds a character that is not allowed, "
        "U+0000 (a control character)."
    )
    assert "U+202E" not in (parameter_problem(b"q=%E2%80%AE") or "")
    assert parameter_problem(b"q=%ED%A0%80") == (
        "Parameter “q”: its value is not valid UTF-8 text."
    )
    # A character sent as U+FFFD itself is refused too: it stands for undecodable bytes.
    assert "U+FFFD" in parameter_problem(b"q=%EF%BF%BD")


@pytest.mark.parametrize(
    "query",
    [
        b"",
        b"q=Qar%C4%9Fabazar",
        b"q=%D9%82%D8%B1%D8%BA%D8%A8%D8%A7%D8%B2%D8%A7%D8%B1",
        b"q=line%0Abreak%09tab",
        b"q=a+b&&category=mosque&empty=",
        b"flag",
        b"q=%25%20%2B",
        b"q=\xc4\x9f",
    ],
)
def test_valid_text_passes(query):
    assert parameter_problem(query) is None
    request = RequestFactory().get("/sites/")
    request.META["QUERY_STRING"] = query.decode("latin-1")
    passed = []
    InvalidParameterMiddleware(lambda request: passed.append(request) or "page")(request)
    assert passed == [request]


def test_unencoded_bytes_that_are_not_utf8_are_refused():
    request = RequestFactory().get("/sites/")
    # WSGI servers pass the raw query string decoded as latin-1.
    request.META["QUERY_STRING"] = b"q=\xff".decode("latin-1")
    response = InvalidParameterMiddleware(lambda request: None)(request)
    assert response.status_code == 400
