"""The admin pages of visits, assessments and disturbances: what each page holds, and how
disturbances are numbered."""

import pytest
from pytest_django.asserts import assertContains

from inspections.models import Assessment, CauseCategory, Disturbance, Visit
from tests.admin_forms import admin_url, page_data, post_page
from tests.factories import AssessmentFactory, DisturbanceFactory

pytestmark = pytest.mark.django_db


def test_visit_page_holds_participants_and_assessments_with_links(admin_client, records):
    response = admin_client.get(admin_url(Visit, "change", records[Visit].pk))

    for prefix in ("participations", "citations", "assessments"):
        assertContains(response, f'name="{prefix}-TOTAL_FORMS"')
    assertContains(response, admin_url(Assessment, "change", records[Assessment].pk))


def test_assessment_page_links_each_disturbance_to_its_own_page(admin_client, records):
    response = admin_client.get(admin_url(Assessment, "change", records[Assessment].pk))

    assertContains(response, admin_url(Disturbance, "change", records[Disturbance].pk))
    assertContains(response, 'name="citations-TOTAL_FORMS"')


def test_disturbance_page_shows_responsibility_claims_inline(admin_client, records):
    response = admin_client.get(admin_url(Disturbance, "change", records[Disturbance].pk))

    assertContains(response, 'name="responsibility_claims-TOTAL_FORMS"')
    assertContains(response, 'value="Party 1"')


def test_vocabulary_choices_show_eamena_labels_in_scale_order(admin_client):
    response = admin_client.get(admin_url(Assessment, "add"))

    field = response.context["adminform"].form.fields["overall_condition"]
    labels = [str(label) for value, label in field.choices if value]
    assert labels == ["Good", "Fair", "Poor", "Very Bad", "Destroyed", "Unknown"]


def disturbance_rows(prefix, *indexes, category):
    rows = {f"{prefix}-TOTAL_FORMS": str(max(indexes) + 1)}
    for index in indexes:
        rows[f"{prefix}-{index}-cause_category"] = str(category.pk)
        rows[f"{prefix}-{index}-position"] = ""
        rows[f"{prefix}-{index}-text_language"] = "en"
    return rows


def test_disturbances_added_together_are_numbered_after_the_others(admin_client, records):
    assessment = AssessmentFactory()
    DisturbanceFactory(assessment=assessment, cause_category=records[CauseCategory])
    url = admin_url(Assessment, "change", assessment.pk)
    response = admin_client.get(url)
    prefix = next(
        inline.formset.prefix
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Disturbance
    )
    existing = int(page_data(response)[f"{prefix}-INITIAL_FORMS"])

    response = post_page(
        admin_client,
        url,
        disturbance_rows(prefix, existing, existing + 1, category=records[CauseCategory]),
    )

    assert response.status_code == 302, response.context["errors"]
    assert list(assessment.disturbances.values_list("position", flat=True)) == [1, 2, 3]


def add_disturbance(client, **changes):
    """Post the add page of a disturbance as a browser would, with ``changes``."""
    url = admin_url(Disturbance, "add")
    data = {key: value for key, value in page_data(client.get(url)).items() if value != ""}
    return client.post(url, {**data, **changes})


def test_a_disturbance_number_given_by_hand_is_kept(admin_client, records):
    assessment = records[Assessment]

    response = add_disturbance(
        admin_client,
        assessment=assessment.pk,
        position="7",
        cause_category=records[CauseCategory].pk,
    )

    assert response.status_code == 302, response.context["errors"]
    assert list(assessment.disturbances.values_list("position", flat=True)) == [1, 7]


def test_a_new_disturbance_on_its_own_page_is_numbered_after_the_others(admin_client, records):
    assessment = records[Assessment]

    response = add_disturbance(
        admin_client, assessment=assessment.pk, cause_category=records[CauseCategory].pk
    )

    assert response.status_code == 302, response.context["errors"]
    assert list(assessment.disturbances.values_list("position", flat=True)) == [1, 2]
