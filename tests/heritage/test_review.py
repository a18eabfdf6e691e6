"""Roles and review: editors submit, reviewers publish or reject, and who did what is kept;
through the services and through the admin form.

An editor cannot publish by any route: the service, the admin form, the admin actions
(test_review_admin.py), or restoring a past version (test_history.py).
"""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from pytest_django.asserts import assertContains

from heritage import services
from heritage.base import PublicationStatus
from heritage.models import Site
from inspections.models import Assessment
from tests.admin_forms import admin_url, post_page
from tests.factories import (
    AssessmentFactory,
    ReportedFigureFactory,
    SiteFactory,
    SourceFactory,
    editor,
    reviewer,
)

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
IN_REVIEW = PublicationStatus.IN_REVIEW
PUBLISHED = PublicationStatus.PUBLISHED
REJECTED = PublicationStatus.REJECTED


def test_the_groups_come_with_the_database():
    editor_perms = set(
        Group.objects.get(name="Editor").permissions.values_list("codename", flat=True)
    )
    reviewer_perms = set(
        Group.objects.get(name="Reviewer").permissions.values_list("codename", flat=True)
    )

    assert {"add_site", "change_site", "view_site", "change_assessment"} <= editor_perms
    assert not {perm for perm in editor_perms if perm.startswith("review_")}
    reviewing = {perm for perm in reviewer_perms - editor_perms if perm.startswith("review_")}
    assert reviewing == {
        "review_source",
        "review_site",
        "review_siteclaim",
        "review_reportedfigure",
        "review_visit",
        "review_assessment",
        "review_evidence",
        "review_statement",
        "review_restorationproject",
        "review_trainingcourse",
        "review_commitment",
    }
    # Organisations, people, places and vocabulary terms are the reviewers' to change
    # (tests/heritage/test_reference_review.py).
    curated = reviewer_perms - editor_perms - reviewing
    assert {"change_organisation", "add_place", "delete_overallcondition"} <= curated
    assert {perm.split("_", 1)[0] for perm in curated} == {"add", "change", "delete"}


def test_an_editor_submits_a_draft_and_who_and_when_are_recorded():
    user = editor()
    site = SiteFactory()

    services.record_submit(record=site, user=user)

    site.refresh_from_db()
    assert site.publication_status == IN_REVIEW
    assert site.submitted_by == user
    assert site.submitted_at is not None
    assert site.history.latest().history_user == user


def test_an_editor_cannot_publish_through_the_service():
    site = SiteFactory(publication_status=IN_REVIEW)

    with pytest.raises(PermissionDenied, match="Only reviewers can publish"):
        services.record_publish(record=site, user=editor())

    site.refresh_from_db()
    assert site.publication_status == IN_REVIEW
    assert site.reviewed_by is None


def test_a_reviewer_publishes_and_is_recorded_as_the_reviewer():
    user = reviewer()
    site = SiteFactory(publication_status=IN_REVIEW)

    services.record_publish(record=site, user=user)

    site.refresh_from_db()
    assert site.publication_status == PUBLISHED
    assert (site.reviewed_by, site.review_note) == (user, "")
    assert site.reviewed_at is not None


def test_rejecting_needs_a_reason_and_keeps_it_for_staff():
    user = reviewer()
    site = SiteFactory(publication_status=IN_REVIEW)

    with pytest.raises(ValidationError) as error:
        services.record_reject(record=site, user=user, reason="  ")
    assert "review_note" in error.value.message_dict
    site.refresh_from_db()
    assert site.publication_status == IN_REVIEW

    services.record_reject(record=site, user=user, reason="The dating has no source.")
    site.refresh_from_db()
    assert site.publication_status == REJECTED
    assert site.review_note == "The dating has no source."


def test_publishing_checks_the_record_and_changes_nothing_when_it_fails():
    figure = ReportedFigureFactory(publication_status=IN_REVIEW, source=SourceFactory())

    with pytest.raises(ValidationError) as error:
        services.record_publish(record=figure, user=reviewer())

    assert "source" in error.value.message_dict
    assert figure.publication_status == IN_REVIEW
    figure.refresh_from_db()
    assert (figure.publication_status, figure.version) == (IN_REVIEW, 1)


@pytest.mark.parametrize(
    ("status", "service"),
    [
        (PUBLISHED, "submit"),
        (IN_REVIEW, "submit"),
        (PUBLISHED, "publish"),
        (DRAFT, "reject"),
        (REJECTED, "reject"),
    ],
)
def test_a_change_the_status_does_not_allow_is_refused(status, service):
    site = SiteFactory(publication_status=status)
    call = getattr(services, f"record_{service}")
    kwargs = {"reason": "No."} if service == "reject" else {}

    with pytest.raises(ValidationError) as error:
        call(record=site, user=reviewer(), **kwargs)

    assert "publication_status" in error.value.message_dict


def test_an_editor_is_offered_draft_and_review_only(editor_client):
    response = editor_client.get(admin_url(Site, "add"))

    field = response.context["adminform"].form.fields["publication_status"]
    assert [value for value, _label in field.choices] == [DRAFT, IN_REVIEW]


@pytest.mark.parametrize(
    ("role", "before", "after", "who"),
    [
        ("editor", DRAFT, IN_REVIEW, "submitted_by"),
        ("reviewer", IN_REVIEW, PUBLISHED, "reviewed_by"),
    ],
)
def test_a_status_the_role_may_give_is_saved_from_the_form_with_who_gave_it(
    request, role, before, after, who
):
    client = request.getfixturevalue(f"{role}_client")
    site = SiteFactory(publication_status=before)

    response = post_page(client, admin_url(Site, "change", site.pk), {"publication_status": after})

    assert response.status_code == 302
    site.refresh_from_db()
    assert (site.publication_status, getattr(site, who)) == (after, client.user)


@pytest.mark.parametrize(
    ("role", "before", "asked", "field"),
    [
        ("editor", DRAFT, PUBLISHED, "publication_status"),
        ("reviewer", IN_REVIEW, REJECTED, "review_note"),
    ],
    ids=["editor-publishes", "reviewer-rejects-without-a-reason"],
)
def test_a_status_change_the_form_refuses_is_reported_on_its_field(
    request, role, before, asked, field
):
    site = SiteFactory(publication_status=before)
    client = request.getfixturevalue(f"{role}_client")

    response = post_page(client, admin_url(Site, "change", site.pk), {"publication_status": asked})

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    site.refresh_from_db()
    assert site.publication_status == before


def test_the_review_fields_are_read_only_for_an_editor(editor_client):
    site = SiteFactory(publication_status=REJECTED, review_note="Add a source for the date.")

    response = editor_client.get(admin_url(Site, "change", site.pk))

    form = response.context["adminform"].form
    assert "review_note" not in form.fields
    assert {"submitted_by", "reviewed_by", "reviewed_at"}.isdisjoint(form.fields)
    assertContains(response, "Add a source for the date.")
    assertContains(response, "Publication and review")


def test_a_publication_the_record_cannot_pass_is_reported_on_its_field(reviewer_client):
    assessment = AssessmentFactory(publication_status=IN_REVIEW)
    url = admin_url(Assessment, "change", assessment.pk)

    response = post_page(reviewer_client, url, {"publication_status": PUBLISHED})

    form = response.context["adminform"].form
    assert "needs at least one citation" in " ".join(form.errors["publication_status"])
    assessment.refresh_from_db()
    assert assessment.publication_status == IN_REVIEW
