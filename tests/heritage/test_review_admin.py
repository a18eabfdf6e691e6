"""Review in the admin: only reviewers change or delete published records, the list's
actions submit, publish and reject, and what a reviewer rejects or notes stays off the
public pages."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from heritage.base import PublicationStatus
from heritage.models import ReportedFigure, Site, SiteName
from inspections.models import Assessment
from tests.admin_forms import admin_url, logged_in, messages_of, page_data
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    ReportedFigureFactory,
    SiteFactory,
    SiteNameFactory,
    SourceFactory,
    reviewer,
)

pytestmark = pytest.mark.django_db

IN_REVIEW = PublicationStatus.IN_REVIEW
PUBLISHED = PublicationStatus.PUBLISHED
REJECTED = PublicationStatus.REJECTED


def action(client, model, name, records, **extra):
    data = {"action": name, "_selected_action": [record.pk for record in records], **extra}
    return client.post(admin_url(model, "changelist"), data, follow=True)


def test_an_editor_sees_a_published_record_read_only_and_cannot_save_it(editor_client):
    site = SiteFactory(published=True, name="Juma Mosque")
    url = admin_url(Site, "change", site.pk)

    response = editor_client.get(url)
    assertContains(response, "Juma Mosque")
    assertNotContains(response, 'name="_save"')

    data = page_data(logged_in(reviewer()).get(url))
    data["name"] = "Renamed"
    assert editor_client.post(url, data).status_code == 403
    site.refresh_from_db()
    assert site.name == "Juma Mosque"


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


def test_view_on_site_is_offered_for_published_records_only(admin_client):
    published, draft = SiteFactory(published=True), SiteFactory()

    assertContains(
        admin_client.get(admin_url(Site, "change", published.pk)), published.get_absolute_url()
    )
    assertNotContains(admin_client.get(admin_url(Site, "change", draft.pk)), "View on site")
