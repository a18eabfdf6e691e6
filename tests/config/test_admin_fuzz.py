"""The admin's list filters, search, ordering, pages and autocomplete, fuzzed with
hypothesis while logged in: whatever the parameters (any text, bytes that are not UTF-8,
NUL and other control characters, hostile markup, huge numbers), the answer is a page, a
redirect (the admin's own answer to a filter it cannot apply), or a 400/403/404; never a
server error. CI runs it on SQLite and on PostgreSQL, which refuses a NUL in any text.

Each parameter of each admin list (every filter's, the search ``q``, the ordering ``o`` and
the page ``p``) and the ``term`` of each autocomplete is a test of its own, so that each
gets ``ADMIN_FUZZ_EXAMPLES`` examples (default 4; 10 for a longer run), each with up to two other
parameters of the page. ``ADMIN_FUZZ_REPORT``, a file name, receives how many examples
carried each parameter.
"""

import collections
import os
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.db import models, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.admin_forms import logged_in
from tests.full_register import make_full_register
from tests.module_data import once_a_module
from tests.public.test_fuzz import encoded_values

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("ADMIN_FUZZ_EXAMPLES", "4")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Parameters of every admin list: search, ordering, page; and, sent beside them, "show
#: all", the error flag and those of a list opened in a pop-up.
LIST_PARAMETERS = ["q", "o", "p"]
BESIDE = ["all", "e", "_to_field", "_popup"]

#: What an admin page may answer: the page, a redirect (to ``?e=1`` for a filter it cannot
#: apply), a refused parameter or request, a page that does not exist.
ANSWERS = {200, 302, 400, 403, 404}

#: How many examples carried each (page, parameter), for ``ADMIN_FUZZ_REPORT``.
COUNTS = collections.Counter()


def filter_parameters(model_admin):
    """The query parameters of a changelist's filters, named as Django's filters name them."""
    names = []
    for entry in model_admin.list_filter:
        if isinstance(entry, type):  # a filter of its own, with its one parameter
            names.append(entry.parameter_name)
            continue
        path = entry if isinstance(entry, str) else entry[0]
        field = model_admin.model._meta.get_field(path.split("__")[0])
        for part in path.split("__")[1:]:
            field = field.related_model._meta.get_field(part)
        if field.is_relation:
            names.append(f"{path}__{field.target_field.name}__exact")
        elif isinstance(field, models.DateField | models.DateTimeField):
            names += [f"{path}__gte", f"{path}__lt"]
        else:
            names.append(f"{path}__exact")
        names.append(f"{path}__isnull")
    return names


def changelists():
    return sorted(
        (
            (model._meta.app_label, model._meta.model_name, tuple(filter_parameters(model_admin)))
            for model, model_admin in admin.site._registry.items()
        ),
        key=lambda row: row[:2],
    )


def list_parameters():
    """(app label, model name, parameter, the page's other parameters) of every list."""
    for app_label, model_name, filters in changelists():
        names = [*filters, *LIST_PARAMETERS]
        for name in names:
            yield app_label, model_name, name, tuple(names)


def autocomplete_fields():
    """(app label, model name, field name) of every autocomplete of the admin, inlines'
    included, as the autocomplete view is asked for them."""
    found = set()
    for model, model_admin in admin.site._registry.items():
        sources = [(model, model_admin.autocomplete_fields)]
        sources += [(inline.model, inline.autocomplete_fields) for inline in model_admin.inlines]
        for owner, names in sources:
            for name in names:
                found.add((owner._meta.app_label, owner._meta.model_name, name))
    return sorted(found)


@pytest.fixture(scope="module")
def register_of_the_module(request, django_db_setup, django_db_blocker):
    """One of every record (``make_full_register``), made once for the module's hundreds of
    tests."""
    yield from once_a_module(request, django_db_blocker, make_full_register)


@pytest.fixture
def staff(register_of_the_module, db):
    """A superuser's client, on a register with one of every record."""
    return logged_in(factories.UserFactory(is_superuser=True), Client(raise_request_exception=True))


@pytest.fixture(scope="session", autouse=True)
def _report_counts():
    yield
    report = os.environ.get("ADMIN_FUZZ_REPORT")
    if report and COUNTS:
        with open(report, "a", encoding="utf-8") as out:
            for (page, name), count in sorted(COUNTS.items()):
                out.write(f"{page}\t{name}\t{count}\n")


def ask(client, path, pairs):
    query = "&".join(f"{name}={value}" for name, value in pairs)
    # A savepoint per request: on PostgreSQL a failed query must not spoil the next example.
    with transaction.atomic():
        response = client.get(f"{path}?{query}")
        if response.streaming:
            b"".join(response.streaming_content)
    return response


LIST_CASES = list(list_parameters())


# A date typed by hand into a date-time filter (``attempt_time__gte=2021-01-12``, which the
# filter's own links never send) is read as midnight UTC with a warning from Django: the
# page is answered, so the warning is not the failure this test looks for.
@pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime:RuntimeWarning")
@pytest.mark.parametrize(("app_label", "model_name", "parameter", "others"), LIST_CASES)
@FUZZ
@given(data=st.data())
def test_admin_lists_answer_any_value_of_each_parameter(
    staff, app_label, model_name, parameter, others, data
):
    names = st.one_of(st.sampled_from([*others, *BESIDE]), st.text(max_size=8).map(quote))
    pairs = [(parameter, data.draw(encoded_values))]
    pairs += data.draw(st.lists(st.tuples(names, encoded_values), max_size=2))
    path = f"/admin/{app_label}/{model_name}/"
    response = ask(staff, path, pairs)
    COUNTS[path, parameter] += 1
    assert response.status_code in ANSWERS, (pairs, response.status_code)


@pytest.mark.parametrize(("app_label", "model_name", "field_name"), autocomplete_fields())
@FUZZ
@given(term=encoded_values, page=st.one_of(st.none(), encoded_values))
def test_admin_autocomplete_answers_any_term(staff, app_label, model_name, field_name, term, page):
    pairs = [
        ("term", term),
        ("app_label", app_label),
        ("model_name", model_name),
        ("field_name", field_name),
    ]
    if page is not None:
        pairs.append(("page", page))
    response = ask(staff, "/admin/autocomplete/", pairs)
    COUNTS["/admin/autocomplete/", f"term ({app_label}.{model_name}.{field_name})"] += 1
    assert response.status_code in ANSWERS, (pairs, response.status_code)


@FUZZ
@given(
    pairs=st.lists(
        st.tuples(
            st.sampled_from(["term", "app_label", "model_name", "field_name", "page"]),
            encoded_values,
        ),
        max_size=5,
    )
)
def test_admin_autocomplete_answers_any_parameters(staff, pairs):
    response = ask(staff, "/admin/autocomplete/", pairs)
    for name, _value in pairs:
        COUNTS["/admin/autocomplete/", name] += 1
    assert response.status_code in ANSWERS, (pairs, response.status_code)
