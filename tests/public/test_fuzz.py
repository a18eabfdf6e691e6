"""Every public URL and parameter, fuzzed with hypothesis: whatever the value (any text, any
length, bytes that are not UTF-8, hostile markup, huge numbers), the answer is a page, a 400
naming the parameter, or a 404 for an address that names nothing; never a server error, never
a reflected value left unescaped, and never more than the public may see. A parameter that is
not UTF-8 or holds a control character is refused with a 400 on every page (see
``config.security.InvalidParameterMiddleware``)."""

import csv
import io
import json
import os
import re
from urllib.parse import quote, quote_from_bytes

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.languages import in_language
from tests.public.restricted import SECRET, WITHHELD
from tests.public.site_filters import FILTER_PARAMETERS

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SITE_PARAMETERS = [*FILTER_PARAMETERS, "site", "sort", "page"]
VISIT_PARAMETERS = ["organisation", "year", "status", "place", "page"]

HOSTILE = [
    "<x-hostile>",
    '"><x-hostile>',
    "'><x-hostile a=",
    "</textarea><x-hostile>",
    "javascript:alert(1)",
    "{{ 7|add:7 }}",
    "{% debug %}",
    "%(name)s",
    "' OR 1=1 --",
    "\\x00",
    "..%2f..%2fetc%2fpasswd",
]


# --- Strategies ---------------------------------------------------------------------------

KNOWN = [
    "gargabazar-mosque",
    "withheld-library",
    "draft-draft",
    "draft-in-review",
    "fuzuli-district",
    "gargabazar",
    "icesco",
    "mosque",
    "library",
    "Destroyed",
    "Poor",
    "reported",
    "verified",
    "completed",
    "not_as_announced",
    "-assessed",
    "name",
    "last",
    "1",
    "2",
    "0",
    "-1",
    "2021",
    "2021-01-12",
    "2021-02-30",
    "9999-12-31",
    "0001-01-01",
    "",
]

text_values = st.one_of(
    st.sampled_from(KNOWN),
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.text(min_size=190, max_size=4000),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(lambda day: day.isoformat()),
    st.from_regex(r"\A[0-9]{1,6}-[0-9]{1,3}-[0-9]{1,3}\Z"),
)
#: A value as it travels in a query string: UTF-8 text or arbitrary bytes, percent-encoded.
encoded_values = st.one_of(
    text_values.map(lambda value: quote(value, safe="")),
    st.binary(max_size=48).map(lambda raw: quote_from_bytes(raw, safe="")),
)


def query_strings(names):
    pair = st.tuples(
        st.one_of(st.sampled_from(names), st.text(max_size=10).map(quote)), encoded_values
    )
    return st.lists(pair, max_size=6).map(
        lambda pairs: "&".join(f"{name}={value}" for name, value in pairs)
    )


languages = st.one_of(
    st.sampled_from(["en", "az", "ar", "ar-SA,en;q=0.5", "*", ""]),
    st.text(max_size=30).filter(lambda value: value.isprintable() and value.isascii()),
)


# --- What every answer must keep to -------------------------------------------------------


def body_of(response):
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8")


def assert_public_only(response, body, register):
    assert SECRET not in body
    for number in WITHHELD:
        assert number[:8] not in body
    content_type = response.get("Content-Type", "")
    if content_type.startswith("text/html"):
        # Whatever was asked is shown back escaped, never as markup.
        assert "<x-hostile" not in body
        linked = set(re.findall(r'href="/sites/([a-z0-9-]+)/"', body))
        assert linked <= register["public_slugs"] | {"export.csv", "export.geojson"}
    if response.status_code == 200 and "csv" in content_type:
        slugs = {row["slug"] for row in csv.DictReader(io.StringIO(body))}
        assert slugs <= register["public_slugs"]
    if response.status_code == 200 and "geo+json" in content_type:
        features = json.loads(body)["features"]
        assert {feature["properties"]["slug"] for feature in features} <= register["public_slugs"]


def refused_parameter(response, body):
    """Whether ``response`` is the 400 that a parameter which is not UTF-8, or holds a
    control character, gets on every page (in the visitor's language: the code point or
    "UTF-8" is in every translation)."""
    return (
        response.status_code == 400
        and response["Content-Type"] == "text/plain; charset=utf-8"
        and ("U+" in body or "UTF-8" in body)
    )


def get(path, query="", language="en"):
    client = Client(raise_request_exception=True)
    # A savepoint per request: on PostgreSQL a failed query must not spoil the next example.
    with transaction.atomic():
        path = in_language(path, language)
        response = client.get(f"{path}?{query}" if query else path, HTTP_ACCEPT_LANGUAGE=language)
        body = body_of(response)
    return response, body


# --- The fuzzing --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/sites/", "/sites/export.csv", "/sites/export.geojson"])
@FUZZ
@given(query=query_strings(SITE_PARAMETERS), language=languages)
def test_site_listing_and_exports_answer_any_parameters_with_results_or_400(
    restricted_register, path, query, language
):
    response, body = get(path, query, language)
    assert response.status_code in {200, 400}, (query, response.status_code)
    if response.status_code == 400 and not refused_parameter(response, body):
        # The answer names the parameter at fault, in any language.
        assert any(name in body for name in SITE_PARAMETERS), body[:300]
    assert_public_only(response, body, restricted_register)


@FUZZ
@given(query=query_strings(VISIT_PARAMETERS), language=languages)
def test_visit_listing_answers_any_parameters_with_results_or_400(
    restricted_register, query, language
):
    response, body = get("/visits/", query, language)
    assert response.status_code in {200, 400}, (query, response.status_code)
    if response.status_code == 400 and not refused_parameter(response, body):
        assert any(name in body for name in VISIT_PARAMETERS), body[:300]
    assert_public_only(response, body, restricted_register)


@pytest.mark.parametrize("path", ["/", "/figures/"])
@FUZZ
@given(query=query_strings(SITE_PARAMETERS + VISIT_PARAMETERS), language=languages)
def test_pages_without_parameters_ignore_any_they_are_given(
    restricted_register, path, query, language
):
    response, body = get(path, query, language)
    assert response.status_code == 200 or refused_parameter(response, body), query
    assert_public_only(response, body, restricted_register)


segments = st.one_of(
    st.sampled_from(KNOWN),
    st.sampled_from(HOSTILE),
    st.text(min_size=1, max_size=300),
    st.from_regex(r"\A[-a-zA-Z0-9_]{1,400}\Z"),
)


@pytest.mark.parametrize("prefix", ["/sites/", "/visits/"])
@FUZZ
@given(segment=segments, query=query_strings(SITE_PARAMETERS), language=languages)
def test_dossiers_and_visits_answer_any_address_with_a_page_or_404(
    restricted_register, prefix, segment, query, language
):
    response, body = get(f"{prefix}{quote(segment, safe='')}/", query, language)
    if refused_parameter(response, body):
        return
    assert response.status_code in {200, 404}, (segment, response.status_code)
    if response.status_code == 200 and prefix == "/sites/":
        assert segment in restricted_register["public_slugs"]
    assert_public_only(response, body, restricted_register)


@FUZZ
@given(
    number=st.one_of(
        st.integers(min_value=-5, max_value=10**40).map(str),
        st.sampled_from(["1.5", "0x10", "１２", "1e3", " 1", "٣"]),
    ),
    query=query_strings(SITE_PARAMETERS),
)
def test_sources_answer_any_id_with_a_page_or_404(restricted_register, number, query):
    response, body = get(f"/sources/{quote(number, safe='')}/", query)
    if refused_parameter(response, body):
        return
    assert response.status_code in {200, 404}, (number, response.status_code)
    if response.status_code == 200:
        assert int(number) == restricted_register["source_ids"][0]
    assert_public_only(response, body, restricted_register)


def test_restricted_records_are_not_reachable_by_their_addresses(restricted_register):
    """The sampled values above include them; this says so outright."""
    for path in ["/sites/draft-draft/", "/sites/draft-in-review/", "/visits/visit-draft/"]:
        assert get(path)[0].status_code == 404
    assert get(f"/sources/{restricted_register['source_ids'][1]}/")[0].status_code == 404
    for query in ["q=restricted", "area=gargabazar&sort=name"]:
        response, body = get("/sites/export.csv", query)
        assert response.status_code == 200
        assert SECRET not in body
    # An unpublished site is answered as an unknown one is.
    for path in ["/sites/", "/sites/export.csv", "/sites/export.geojson"]:
        unpublished, body = get(path, "site=draft-draft")
        unknown, unknown_body = get(path, "site=no-such-site")
        assert unpublished.status_code == unknown.status_code == 400
        assert SECRET not in body
        tokens = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
        assert tokens.sub("", body.replace("draft-draft", "X")) == tokens.sub(
            "", unknown_body.replace("no-such-site", "X")
        )


@FUZZ
@given(
    number=st.one_of(
        st.integers(min_value=-5, max_value=10**40).map(str),
        st.sampled_from(["1.5", "0x10", "１２", " 1", "٣"]),
    ),
    rendition=st.one_of(st.sampled_from(["thumbnail", "web", "original"]), segments),
)
def test_evidence_files_answer_any_address_with_a_404(restricted_register, number, rendition):
    """The register here holds no evidence: every address is a 404, never a server error."""
    path = f"/evidence/{quote(number, safe='')}/{quote(rendition, safe='')}"

    response, _body = get(path)

    assert response.status_code == 404, (path, response.status_code)
