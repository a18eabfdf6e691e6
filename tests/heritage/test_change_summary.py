"""The admin asks for a summary of the change when a published record changes, and keeps it
as the change reason of the record's history entry, which the public history shows."""

import pytest
from django.urls import reverse

from heritage.base import PublicationStatus
from heritage.models import ReportedFigure, Site, Source
from inspections.models import Visit
from tests import factories
from tests.admin_forms import admin_url, post_page

pytestmark = pytest.mark.django_db

SUMMARY = "change_summary"


def test_change_to_a_published_site_without_summary_is_refused(reviewer_client):
    site = factories.SiteFactory(published=True, name="Old name")

    response = post_page(reviewer_client, admin_url(Site, "change", site.pk), {"name": "New"})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert SUMMARY in errors
    assert "say in a sentence what you changed and why" in errors[SUMMARY][0]
    site.refresh_from_db()
    assert site.name == "Old name"


def test_change_with_summary_is_kept_and_shown_in_the_public_history(reviewer_client, client):
    site = factories.SiteFactory(published=True, name="Old name")

    response = post_page(
        reviewer_client,
        admin_url(Site, "change", site.pk),
        {"name": "New name", SUMMARY: "  Spelled as in the inventory.  "},
    )

    assert response.status_code == 302
    latest = site.history.order_by("-history_date", "-history_id").first()
    assert latest.name == "New name"
    assert latest.history_change_reason == "Spelled as in the inventory."
    page = client.get(reverse("site-history", args=[site.slug])).content.decode()
    assert "Spelled as in the inventory." in page


def test_unchanged_save_of_a_published_record_needs_no_summary(reviewer_client):
    site = factories.SiteFactory(published=True)

    response = post_page(reviewer_client, admin_url(Site, "change", site.pk))

    assert response.status_code == 302


def test_draft_changes_ask_for_no_summary(editor_client):
    site = factories.SiteFactory(name="Draft")

    page = editor_client.get(admin_url(Site, "change", site.pk))
    response = post_page(editor_client, admin_url(Site, "change", site.pk), {"name": "Draft 2"})

    assert SUMMARY not in page.context["adminform"].form.fields
    assert response.status_code == 302


def test_withdrawing_a_published_record_needs_a_reason_but_no_summary(reviewer_client):
    site = factories.SiteFactory(published=True)

    response = post_page(
        reviewer_client,
        admin_url(Site, "change", site.pk),
        {"publication_status": PublicationStatus.REJECTED, "review_note": "Source disputed."},
    )

    assert response.status_code == 302
    site.refresh_from_db()
    assert site.publication_status == PublicationStatus.REJECTED


@pytest.mark.parametrize(
    ("model", "make", "changes"),
    [
        (Visit, lambda: factories.VisitFactory(published=True), {"title": "Visit renamed"}),
        (Source, lambda: factories.SourceFactory(published=True), {"title": "Retitled"}),
        (
            ReportedFigure,
            lambda: factories.ReportedFigureFactory(
                published=True, source=factories.SourceFactory(published=True)
            ),
            {"unit": "buildings"},
        ),
    ],
)
def test_other_records_with_a_public_history_ask_for_a_summary(
    reviewer_client, model, make, changes
):
    record = make()
    url = admin_url(model, "change", record.pk)

    refused = post_page(reviewer_client, url, changes)
    saved = post_page(reviewer_client, url, {**changes, SUMMARY: "Corrected from the source."})

    assert SUMMARY in refused.context["adminform"].form.errors
    assert saved.status_code == 302
    latest = record.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == "Corrected from the source."


def test_records_without_a_public_history_ask_for_no_summary(reviewer_client):
    claim = factories.SiteClaimFactory(
        published=True,
        site=factories.SiteFactory(published=True),
        source=factories.SourceFactory(published=True),
    )

    page = reviewer_client.get(admin_url(type(claim), "change", claim.pk))

    assert SUMMARY not in page.context["adminform"].form.fields
