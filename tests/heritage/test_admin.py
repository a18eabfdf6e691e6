"""The admin: every model of the register is registered with the register's admin, and can
be listed, added and edited by staff.

Searching is tested in test_admin_search.py, deleting in test_admin_delete.py, the pages of
visits, assessments and disturbances in tests/inspections/test_admin.py; review, history
and concurrent edits in test_review_*.py and test_history.py; validation messages in
test_validation.py.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import flatten
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from simple_history.models import HistoricalChanges

from heritage.admin import RegisterAdmin
from heritage.models import (
    ImportFilePiece,
    ImportJob,
    OldSlug,
    Organisation,
    Person,
    Place,
    ReportedFigure,
    SearchWord,
    Site,
    Source,
)
from inspections.models import (
    VOCABULARIES,
    AssessedYearCount,
    Assessment,
    AssessmentMonthCount,
    CauseCategory,
    CitedSourceCount,
    DamageYearCount,
    Disturbance,
    MapCell,
    MapCellYear,
    OverallCondition,
    SiteCount,
    SiteStatus,
    Visit,
)
from tests.admin_forms import admin_url
from tests.recovery_factories import RECOVERY_CHANGELIST_QUERIES

pytestmark = pytest.mark.django_db

APPS = ("heritage", "inspections")

REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in APPS),
    key=lambda model: model._meta.label_lower,
)


def register_models():
    """The register's models, without the history tables (shown from each record's page),
    SiteStatus, the counts of sites and the map's cells (derived from the sites and
    assessments), SearchWord (derived from the names), ImportJob (shown on each import's own
    page) with the pieces of its file, and OldSlug (written by the saves that change a
    slug), never edited by hand."""
    return {
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if not issubclass(model, HistoricalChanges)
        and model
        not in (
            SiteStatus,
            SiteCount,
            AssessmentMonthCount,
            AssessedYearCount,
            DamageYearCount,
            CitedSourceCount,
            MapCell,
            MapCellYear,
            SearchWord,
            ImportJob,
            ImportFilePiece,
            OldSlug,
        )
    }


def test_every_model_of_both_apps_is_registered():
    assert register_models() == set(REGISTERED)


def test_every_model_has_the_history_and_review_admin():
    assert all(isinstance(admin.site._registry[model], RegisterAdmin) for model in REGISTERED)
    assert all(hasattr(model, "history") for model in REGISTERED)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label_lower)
def test_every_changelist_has_columns_filters_and_search(model):
    model_admin = admin.site._registry[model]

    assert model_admin.list_display != ("__str__",)
    assert model_admin.list_filter
    assert model_admin.search_fields


#: Tables too large for a plain drop-down: foreign keys to them use autocomplete.
LARGE_TABLES = {Place, Organisation, Person, Source, Site, Visit, Assessment, Disturbance}


def admin_pages():
    for model_admin in admin.site._registry.values():
        if model_admin.model in REGISTERED:
            yield model_admin.model, model_admin, None
            for inline in model_admin.inlines:
                yield inline.model, inline, model_admin.model


def test_every_foreign_key_to_a_large_table_uses_autocomplete():
    missing = []
    for model, page, parent in admin_pages():
        for field in model._meta.get_fields():
            if not (field.many_to_one or field.many_to_many) or not field.concrete:
                continue
            if field.related_model not in LARGE_TABLES or not field.editable:
                continue
            if field.many_to_many and not field.remote_field.through._meta.auto_created:
                continue  # Edited as the inline of its own model.
            if field.related_model is parent or field.name in page.autocomplete_fields:
                continue
            if page.fields is None or field.name in flatten(page.fields):
                missing.append(f"{type(page).__name__}.{field.name}")
    assert missing == []


def test_models_with_dates_have_a_date_hierarchy():
    for model, name in [
        (Source, "published_on"),
        (ReportedFigure, "period_start"),
        (Visit, "start_date"),
        (Assessment, "assessed_on"),
        (Disturbance, "date_from"),
    ]:
        assert admin.site._registry[model].date_hierarchy == name


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label_lower)
def test_changelist_lists_a_record(admin_client, records, model):
    response = admin_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assertContains(response, f"Select {model._meta.verbose_name} to change")
    assertContains(response, admin_url(model, "change", records[model].pk))


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label_lower)
def test_add_page_shows_an_empty_form(admin_client, model):
    response = admin_client.get(admin_url(model, "add"))

    assert response.status_code == 200
    assertContains(response, f"Add {model._meta.verbose_name}")
    assertContains(response, f'id="{model._meta.model_name}_form"')


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label_lower)
def test_change_page_shows_the_record(admin_client, records, model):
    record = records[model]

    response = admin_client.get(admin_url(model, "change", record.pk))

    assert response.status_code == 200
    assertContains(response, f"Change {model._meta.verbose_name}")
    assertContains(response, escape(str(record)))


def changelist_query_counts(client):
    counts = {}
    for model in REGISTERED:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(admin_url(model, "changelist"))
        assert response.status_code == 200
        counts[model._meta.label_lower] = len(queries)
    return counts


#: Queries of each changelist: the session and the user, the counts, the page of rows and
#: the choices of the filters that list other rows (organisations, terms, sources).
CHANGELIST_QUERIES = {
    "heritage.organisation": 6,
    "heritage.person": 6,
    "heritage.place": 5,
    "heritage.placename": 6,
    "heritage.reportedfigure": 8,
    "heritage.site": 5,
    "heritage.sitecitation": 5,
    "heritage.siteclaim": 5,
    "heritage.siteclaimtranslation": 6,
    "heritage.siteidentifier": 5,
    "heritage.sitename": 6,
    "heritage.sitetranslation": 6,
    "heritage.source": 8,
    "inspections.assessment": 9,
    "inspections.assessmentcitation": 5,
    "inspections.assessmenttype": 5,
    "inspections.causecategory": 5,
    "inspections.causetype": 5,
    "inspections.certainty": 5,
    "inspections.damageextent": 5,
    "inspections.damagetrend": 5,
    "inspections.disturbance": 9,
    "inspections.effecttype": 5,
    "inspections.evidence": 7,
    "inspections.evidencetranslation": 6,
    "inspections.overallcondition": 5,
    "inspections.participation": 5,
    "inspections.priority": 5,
    "inspections.responsibilityclaim": 5,
    "inspections.statement": 6,
    "inspections.visit": 8,
    "inspections.visitcitation": 5,
    "inspections.visitevent": 5,
    **RECOVERY_CHANGELIST_QUERIES,
}


def test_changelist_queries_are_pinned_and_do_not_grow_with_the_number_of_rows(
    admin_client, make_records
):
    make_records(1)
    admin_client.get(admin_url(Site, "changelist"))  # Warm the session and content types.
    one_row = changelist_query_counts(admin_client)
    for n in range(2, 5):
        make_records(n)

    four_rows = changelist_query_counts(admin_client)

    assert one_row == CHANGELIST_QUERIES
    assert four_rows == one_row


def test_vocabulary_terms_share_one_admin():
    admins = [admin.site._registry[vocabulary] for vocabulary in VOCABULARIES]
    shared = type(admin.site._registry[OverallCondition])

    assert all(isinstance(model_admin, shared) for model_admin in admins)
    assert shared.list_display == ("label", "label_ar", "label_az", "position", "from_eamena")
    # Cause categories also edit the register's mapping to cause types.
    assert admin.site._registry[CauseCategory].filter_horizontal == ("cause_types",)


def test_admin_shows_the_register_name(admin_client):
    response = admin_client.get(reverse("admin:index"))

    assertContains(response, "Heritage damage register")


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    url = admin_url(Site, "changelist")

    response = client.get(url, follow=True)

    assertRedirects(response, f"{reverse('admin:login')}?next={url}")
    assertContains(response, 'id="login-form"')
    assertNotContains(response, "Select site to change")


def test_the_admin_list_of_sites_is_in_the_order_of_an_index():
    """Its pages, of every publication status, are read in index order rather than sorted
    from every site (at 500,000 sites, 0.4-3.2 s a page without the index)."""
    ordering = list(admin.site._registry[Site].get_ordering(None))
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Site._meta.db_table)
    columns = [Site._meta.get_field(name).column for name in ordering]
    assert columns in [
        found["columns"][: len(columns)] for found in constraints.values() if found["index"]
    ]


@pytest.mark.parametrize("model", [Site, get_user_model()])
def test_a_to_field_naming_a_relation_to_the_model_is_refused(admin_client, model):
    """A hidden relation pointing to the model (the history's, named "+") is no field to
    read a choice from: 400, where Django's check failed with an error."""
    response = admin_client.get(admin_url(model, "changelist"), {"_to_field": "+"})
    assert response.status_code == 400
    assert admin_client.get(admin_url(model, "changelist"), {"_to_field": "id"}).status_code == 200
