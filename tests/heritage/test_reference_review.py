"""Review for every change that reaches a public page: organisations, people, places (with
their names) and the terms of the vocabularies are public the moment they exist, so only
reviewers add, change or delete them. An editor's change is refused and the public pages
keep showing what a reviewer let through; a reviewer's change shows at once."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from heritage.models import Organisation, Person, Place, PlaceName
from inspections.models import (
    AssessmentType,
    CauseCategory,
    CauseType,
    Certainty,
    DamageExtent,
    DamageTrend,
    EffectType,
    OverallCondition,
    Priority,
)
from tests import factories
from tests.admin_forms import admin_url, logged_in, post_page
from tests.languages import in_language

pytestmark = pytest.mark.django_db

REFERENCE_MODELS = [Organisation, Person, Place, PlaceName]
VOCABULARIES = [
    OverallCondition,
    DamageExtent,
    Certainty,
    DamageTrend,
    Priority,
    AssessmentType,
    CauseCategory,
    CauseType,
    EffectType,
]


@pytest.fixture
def editor():
    return logged_in(factories.editor(), Client())


@pytest.fixture
def reviewer():
    return logged_in(factories.reviewer(), Client())


def public_text(url, language="en"):
    response = Client().get(in_language(url, language))
    assert response.status_code == 200
    return response.content.decode()


def shown_records(register):
    """(record, field, public page, language) for each kind of reference record, as the
    public pages of ``full_register`` show them."""
    site, visit = register["site"], register["visit"]
    assessment = site.assessments.get()
    person = visit.participations.get().person
    return {
        "organisation": (person.organisation, "name", visit.get_absolute_url(), "en"),
        "person": (person, "name", visit.get_absolute_url(), "en"),
        "place": (site.place, "name", site.get_absolute_url(), "en"),
        "condition (az)": (assessment.overall_condition, "label_az", site.get_absolute_url(), "az"),
        "condition (ar)": (assessment.overall_condition, "label_ar", site.get_absolute_url(), "ar"),
    }


@pytest.mark.parametrize(
    "kind", ["organisation", "person", "place", "condition (az)", "condition (ar)"]
)
def test_an_editors_change_does_not_reach_a_public_page(full_register, editor, kind):
    record, field, url, language = shown_records(full_register)[kind]
    before = getattr(record, field)
    assert before in public_text(url, language)

    response = editor.post(admin_url(type(record), "change", record.pk), {field: "Renamed"})

    assert response.status_code == 403
    record.refresh_from_db()
    assert getattr(record, field) == before
    page = public_text(url, language)
    assert before in page
    assert "Renamed" not in page


@pytest.mark.parametrize(
    "kind", ["organisation", "person", "place", "condition (az)", "condition (ar)"]
)
def test_a_reviewers_change_shows_at_once(full_register, reviewer, kind):
    record, field, url, language = shown_records(full_register)[kind]

    response = post_page(reviewer, admin_url(type(record), "change", record.pk), {field: "Renamed"})

    assert response.status_code == 302, response.content.decode()[:2000]
    record.refresh_from_db()
    assert getattr(record, field) == "Renamed"
    assert "Renamed" in public_text(url, language)


def reference_record(model):
    if model in VOCABULARIES:
        return model.objects.first()
    if model is PlaceName:
        return factories.PlaceNameFactory()
    return {
        Organisation: factories.OrganisationFactory,
        Person: factories.PersonFactory,
        Place: factories.PlaceFactory,
    }[model]()


@pytest.mark.parametrize("model", REFERENCE_MODELS + VOCABULARIES, ids=lambda m: m.__name__)
def test_editors_may_view_but_not_add_change_or_delete(editor, reviewer, model):
    record = reference_record(model)
    assert record is not None
    count = model.objects.count()

    assert editor.get(admin_url(model, "change", record.pk)).status_code == 200
    assert editor.get(admin_url(model, "add")).status_code == 403
    assert editor.post(admin_url(model, "add"), {"name": "New", "label": "New"}).status_code == 403
    assert editor.post(admin_url(model, "delete", record.pk), {"post": "yes"}).status_code == 403
    # Nor by restoring a past version from the history.
    record.save()
    entry = record.history.first()
    restore = admin_url(model, "change", record.pk).replace("/change/", f"/history/{entry.pk}/")
    assert editor.post(restore, {}).status_code == 403
    assert model.objects.count() == count

    assert reviewer.get(admin_url(model, "add")).status_code == 200


def test_the_groups_say_so():
    editing = {
        f"{action}_{model._meta.model_name}"
        for model in REFERENCE_MODELS + VOCABULARIES
        for action in ("add", "change", "delete")
    }
    editor_codenames = set(
        Group.objects.get(name="Editor").permissions.values_list("codename", flat=True)
    )
    reviewer_codenames = set(
        Group.objects.get(name="Reviewer").permissions.values_list("codename", flat=True)
    )
    assert editor_codenames & editing == set()
    assert editing <= reviewer_codenames
    views = {f"view_{model._meta.model_name}" for model in REFERENCE_MODELS + VOCABULARIES}
    assert views <= editor_codenames
