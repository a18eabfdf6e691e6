"""Roles and review: editors submit, reviewers publish or reject, and who did what is kept.

An editor cannot publish by any route: the service, the admin form, the admin actions, or
restoring a past version.
"""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from heritage import services
from heritage.base import PublicationStatus
from heritage.models import ReportedFigure, Site, SiteName
from inspections.models import Assessment
from tests.admin_forms import admin_url, page_data, post_page
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    ReportedFigureFactory,
    SiteFactory,
    SiteNameFactory,
    SourceFactory,
    editor,
    reviewer,
)

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
IN_REVIEW = PublicationStatus.IN_REVIEW
PUBLISHED = PublicationStatus.PUBLISHED
REJECTED = PublicationStatus.REJECTED


@pytest.fixture
def editor_client(client):
    user = editor(username="erin")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def reviewer_client(client):
    user = reviewer(username="rafael")
    client.force_login(user)
    client.user = user
    return client


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def action(client, model, name, records, **extra):
    data = {"action": name, "_selected_action": [record.pk for record in records], **extra}
    return client.post(admin_url(model, "changelist"), data, follow=True)


# The groups


def test_the_groups_come_with_the_database():
    editor_perms = set(
        Group.objects.get(name="Editor").permissions.values_list("codename", flat=True)
    )
    reviewer_perms = set(
        Group.objects.get(name="Reviewer").permissions.values_list("codename", flat=True)
    )

    assert {"add_site", "change_site", "view_site", "change_assessment"} <= editor_perms
    assert not {perm for perm in editor_perms if perm.startswith("review_")}
    assert reviewer_perms - editor_perms == {
        "review_source",
        "review_site",
        "review_siteclaim",
        "review_reportedfigure",
        "review_visit",
        "review_assessment",
        "review_evidence",
    }


# The services


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


# The admin form


def test_an_editor_is_offered_draft_and_review_only(editor_client):
    response = editor_client.get(admin_url(Site, "add"))

    field = response.context["adminform"].form.fields["publication_status"]
    assert [value for value, _label in field.choices] == [DRAFT, IN_REVIEW]


def test_an_editor_cannot_publish_through_the_form_field(editor_client):
    site = SiteFactory()
    url = admin_url(Site, "change", site.pk)

    response = post_page(editor_client, url, {"publication_status": PUBLISHED})

    assert response.status_code == 200
    assert "publication_status" in response.context["adminform"].form.errors
    site.refresh_from_db()
    assert site.publication_status == DRAFT


def test_an_editor_submits_from_the_form(editor_client):
    site = SiteFactory()
    url = admin_url(Site, "change", site.pk)

    response = post_page(editor_client, url, {"publication_status": IN_REVIEW})

    assert response.status_code == 302
    site.refresh_from_db()
    assert (site.publication_status, site.submitted_by) == (IN_REVIEW, editor_client.user)


def test_the_review_fields_are_read_only_for_an_editor(editor_client):
    site = SiteFactory(publication_status=REJECTED, review_note="Add a source for the date.")

    response = editor_client.get(admin_url(Site, "change", site.pk))

    form = response.context["adminform"].form
    assert "review_note" not in form.fields
    assert {"submitted_by", "reviewed_by", "reviewed_at"}.isdisjoint(form.fields)
    assertContains(response, "Add a source for the date.")
    assertContains(response, "Publication and review")


def test_a_reviewer_publishes_through_the_form_field(reviewer_client):
    site = SiteFactory(publication_status=IN_REVIEW)
    url = admin_url(Site, "change", site.pk)

    response = post_page(reviewer_client, url, {"publication_status": PUBLISHED})

    assert response.status_code == 302
    site.refresh_from_db()
    assert (site.publication_status, site.reviewed_by) == (PUBLISHED, reviewer_client.user)


def test_rejecting_through_the_form_asks_for_the_reason(reviewer_client):
    site = SiteFactory(publication_status=IN_REVIEW)
    url = admin_url(Site, "change", site.pk)

    response = post_page(reviewer_client, url, {"publication_status": REJECTED})

    assert "review_note" in response.context["adminform"].form.errors
    site.refresh_from_db()
    assert site.publication_status == IN_REVIEW


def test_a_publication_the_record_cannot_pass_is_reported_on_its_field(reviewer_client):
    assessment = AssessmentFactory(publication_status=IN_REVIEW)
    url = admin_url(Assessment, "change", assessment.pk)

    response = post_page(reviewer_client, url, {"publication_status": PUBLISHED})

    form = response.context["adminform"].form
    assert "needs at least one citation" in " ".join(form.errors["publication_status"])
    assessment.refresh_from_db()
    assert assessment.publication_status == IN_REVIEW


def test_an_editor_sees_a_published_record_read_only_and_cannot_save_it(editor_client):
    site = SiteFactory(published=True, name="Juma Mosque")
    url = admin_url(Site, "change", site.pk)

    response = editor_client.get(url)
    assertContains(response, "Juma Mosque")
    assertNotContains(response, 'name="_save"')

    data = page_data(reviewer_page(site))
    data["name"] = "Renamed"
    assert editor_client.post(url, data).status_code == 403
    site.refresh_from_db()
    assert site.name == "Juma Mosque"


def reviewer_page(site):
    """The change page of ``site`` as a reviewer sees it (to have the full form)."""
    from django.test import Client

    client = Client()
    client.force_login(reviewer())
    return client.get(admin_url(Site, "change", site.pk))


def test_an_editor_cannot_add_a_name_to_a_published_site(editor_client):
    site = SiteFactory(published=True)

    response = editor_client.post(
        admin_url(SiteName, "add"),
        {"site": site.pk, "name": "Təzə ad", "language": "az", "script": "", "kind": "official"},
    )

    assertContains(response, "only reviewers change published records")
    assert not site.names.exists()


def test_an_editor_cannot_delete_a_published_record(editor_client):
    site = SiteFactory(published=True)

    response = editor_client.post(admin_url(Site, "delete", site.pk), {"post": "yes"})

    assert response.status_code == 403
    assert Site.objects.filter(pk=site.pk).exists()


def test_an_editor_cannot_delete_published_records_chosen_in_the_list(editor_client):
    published, draft = SiteFactory(published=True), SiteFactory()

    response = action(editor_client, Site, "delete_selected", [published, draft], post="yes")

    assertContains(response, "The selected sites cannot be deleted.")
    assertContains(response, "published; only reviewers delete published records")
    assert Site.objects.filter(pk__in=[published.pk, draft.pk]).count() == 2


def test_an_editor_can_delete_a_draft(editor_client):
    draft = SiteFactory()

    editor_client.post(admin_url(Site, "delete", draft.pk), {"post": "yes"})

    assert not Site.objects.filter(pk=draft.pk).exists()


# The admin actions


def test_an_editor_does_not_get_the_publish_and_reject_actions(editor_client):
    response = editor_client.get(admin_url(Site, "changelist"))

    actions = [name for name, _label in response.context["action_form"].fields["action"].choices]
    assert "submit_for_review" in actions
    assert "publish" not in actions
    assert "reject" not in actions


def test_an_editor_cannot_publish_through_the_action(editor_client):
    site = SiteFactory(publication_status=IN_REVIEW)

    action(editor_client, Site, "publish", [site])

    site.refresh_from_db()
    assert site.publication_status == IN_REVIEW


def test_the_submit_action_says_what_changed_and_what_was_refused(editor_client):
    drafts = [SiteFactory(name="Draft A"), SiteFactory(name="Draft B")]
    in_review = SiteFactory(name="Already in review", publication_status=IN_REVIEW)

    response = action(editor_client, Site, "submit_for_review", [*drafts, in_review])

    messages = messages_of(response)
    assert "2 sites were submitted for review." in messages
    refused = next(message for message in messages if "left unchanged" in message)
    assert refused.startswith("1 site was left unchanged: “Already in review”")
    assert "Only drafts and rejected records can be submitted" in refused
    assert Site.objects.filter(publication_status=IN_REVIEW).count() == 3


def test_the_publish_action_publishes_what_passes_and_lists_what_does_not(reviewer_client):
    source = SourceFactory(published=True)
    good = ReportedFigureFactory(publication_status=IN_REVIEW, source=source)
    bad = ReportedFigureFactory(publication_status=IN_REVIEW, source=SourceFactory())

    response = action(reviewer_client, ReportedFigure, "publish", [good, bad])

    messages = messages_of(response)
    assert "1 reported figure was published." in messages
    assert any("needs a published source" in message for message in messages)
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.publication_status, bad.publication_status) == (PUBLISHED, IN_REVIEW)
    assert good.reviewed_by == reviewer_client.user


def test_the_reject_action_asks_for_a_reason_on_its_own_page(reviewer_client):
    site = SiteFactory(name="Caravanserai", publication_status=IN_REVIEW)

    response = action(reviewer_client, Site, "reject", [site])

    assertTemplateUsed(response, "admin/register/reject_confirmation.html")
    assertContains(response, "Caravanserai")
    site.refresh_from_db()
    assert site.publication_status == IN_REVIEW

    response = action(reviewer_client, Site, "reject", [site], post="yes", reason=" ")
    assertContains(response, "This field is required")
    site.refresh_from_db()
    assert site.publication_status == IN_REVIEW

    response = action(
        reviewer_client, Site, "reject", [site], post="yes", reason="Two sources disagree."
    )
    assert "1 site was rejected." in messages_of(response)
    site.refresh_from_db()
    assert (site.publication_status, site.review_note) == (REJECTED, "Two sources disagree.")
    assert site.reviewed_by == reviewer_client.user


def test_a_rejected_published_record_leaves_the_public_pages(reviewer_client, client):
    site = SiteFactory(published=True)
    assert client.get(site.get_absolute_url()).status_code == 200

    action(reviewer_client, Site, "reject", [site], post="yes", reason="Wrong place.")

    client.logout()
    assert client.get(site.get_absolute_url()).status_code == 404


def test_the_reviewers_note_never_reaches_the_public_pages(client):
    site = SiteFactory(published=True, name="Gochahmadli Mosque")
    Site.objects.filter(pk=site.pk).update(review_note="Secret reviewer remark")

    response = client.get(site.get_absolute_url())

    assertContains(response, "Gochahmadli Mosque")
    assertNotContains(response, "Secret reviewer remark")


def test_a_published_assessment_with_a_published_citation_can_be_published(reviewer_client):
    assessment = AssessmentFactory(publication_status=IN_REVIEW)
    AssessmentCitationFactory(assessment=assessment, source=SourceFactory(published=True))

    response = action(reviewer_client, Assessment, "publish", [assessment])

    assert "1 assessment was published." in messages_of(response)


# View on site


def test_view_on_site_is_offered_for_published_records_only(admin_client):
    published, draft = SiteFactory(published=True), SiteFactory()

    assertContains(
        admin_client.get(admin_url(Site, "change", published.pk)), published.get_absolute_url()
    )
    assertNotContains(admin_client.get(admin_url(Site, "change", draft.pk)), "View on site")


def test_an_editors_change_to_a_part_of_a_published_record_is_refused_inline(editor_client):
    site = SiteFactory()
    name = SiteNameFactory(site=site, name="Köhnə ad")
    url = admin_url(Site, "change", site.pk)
    data = page_data(editor_client.get(url))
    Site.objects.filter(pk=site.pk).update(publication_status=PUBLISHED)

    response = editor_client.post(url, {**data, "names-0-name": "Yeni ad"})

    assert response.status_code == 403
    name.refresh_from_db()
    assert name.name == "Köhnə ad"
