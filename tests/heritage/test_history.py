"""Never lose work: every change is kept with who and when, a past version can be restored,
and a save from an out-of-date page is refused instead of overwriting someone else's work.
"""

import datetime

import pytest
from django.contrib import admin as django_admin
from django.urls import reverse
from pytest_django.asserts import assertContains

from heritage import services
from heritage.base import PublicationStatus, StaleRecordError
from heritage.models import Site
from inspections.models import Visit
from tests.admin_forms import admin_url, logged_in, page_data, post_page
from tests.config.test_security_headers import INLINE_CODE
from tests.factories import (
    DisturbanceFactory,
    OrganisationFactory,
    SiteFactory,
    SiteNameFactory,
    UserFactory,
    VisitFactory,
    editor,
    reviewer,
)

pytestmark = pytest.mark.django_db


def restore_url(record, entry):
    opts = record._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[record.pk, entry.pk]
    )


# History


def test_every_save_in_the_admin_is_kept_with_who_made_it():
    user = editor(username="erin")
    site = SiteFactory(name="Juma Mosque")
    url = admin_url(Site, "change", site.pk)

    post_page(logged_in(user), url, {"name": "Juma Mosque of Fuzuli"})

    latest = site.history.latest()
    assert latest.history_user == user
    assert latest.name == "Juma Mosque of Fuzuli"
    assert [entry.name for entry in site.history.all()] == ["Juma Mosque of Fuzuli", "Juma Mosque"]


def test_the_history_of_a_record_is_one_click_from_its_page(admin_client):
    site = SiteFactory(name="Caravanserai")
    site.name = "Qarğabazar caravanserai"
    site.save()
    history_url = admin_url(Site, "history", site.pk)

    assertContains(admin_client.get(admin_url(Site, "change", site.pk)), history_url)
    response = admin_client.get(history_url)

    assertContains(response, "Qarğabazar caravanserai")
    for entry in site.history.all():
        assertContains(response, restore_url(site, entry))


def test_a_past_version_is_restored_from_the_history_page():
    user = editor()
    site = SiteFactory(name="Gargabazar Mosque", year_from=1682, year_to=1682)
    first = site.history.earliest()
    site.name, site.year_from, site.year_to = "Mosque", 1683, 1684
    site.save()
    client = logged_in(user)
    url = restore_url(site, first)

    response = client.get(url)
    assertContains(response, 'value="Gargabazar Mosque"')
    response = client.post(url, page_data(response))

    assert response.status_code == 302
    site.refresh_from_db()
    assert (site.name, site.year_from, site.year_to) == ("Gargabazar Mosque", 1682, 1682)
    assert site.version == 3
    assert site.history.latest().history_user == user
    assert site.history.count() == 3


def test_restoring_brings_back_many_to_many_values():
    icesco, ministry = OrganisationFactory(name="ICESCO"), OrganisationFactory(name="Ministry")
    visit = VisitFactory()
    visit.organisations.set([icesco])
    first = visit.history.latest()
    visit.organisations.set([ministry])
    client = logged_in(reviewer())
    url = restore_url(visit, first)

    response = client.post(url, page_data(client.get(url)))

    assert response.status_code == 302
    assert list(visit.organisations.all()) == [icesco]


def test_restoring_a_published_version_does_not_publish_the_record():
    site = SiteFactory(published=True, name="Old name")
    published_entry = site.history.latest()
    services.record_reject(record=site, user=reviewer(), reason="Wrong name.")
    client = logged_in(editor())
    url = restore_url(site, published_entry)

    client.post(url, page_data(client.get(url)))

    site.refresh_from_db()
    assert site.publication_status == PublicationStatus.REJECTED
    assert site.review_note == "Wrong name."


def test_an_editor_cannot_restore_over_a_published_record():
    site = SiteFactory(name="First")
    first = site.history.latest()
    site.name = "Second"
    site.save()
    services.record_publish(record=site, user=reviewer())
    client = logged_in(editor())
    url = restore_url(site, first)
    data = page_data(logged_in(reviewer()).get(url))

    assert client.post(url, data).status_code == 403
    site.refresh_from_db()
    assert site.name == "Second"


def test_a_deleted_record_keeps_its_history_and_can_be_restored():
    site = SiteFactory(name="Lost mosque")
    entry = site.history.latest()
    pk = site.pk
    site.delete()
    client = logged_in(reviewer())
    url = reverse("admin:heritage_site_simple_history", args=[pk, entry.pk])

    response = client.post(url, page_data(client.get(url)))

    assert response.status_code == 302
    restored = Site.objects.get(pk=pk)
    assert (restored.name, restored.publication_status) == ("Lost mosque", "draft")


def test_review_steps_are_entries_of_the_history():
    user = reviewer()
    site = SiteFactory()

    services.record_submit(record=site, user=user)
    services.record_publish(record=site, user=user)

    entries = list(site.history.order_by("history_date", "history_id"))
    assert [e.publication_status for e in entries] == ["draft", "in_review", "published"]
    assert [e.history_change_reason for e in entries] == [None, "Submitted for review", "Published"]


# Two people editing the same record


def save_over_a_colleague(record, theirs, mine, *, colleague=None, me=None):
    """I open the change page of ``record``; a colleague then saves it with ``theirs``
    changes, and I save my copy with ``mine``. Returns my client and the answer to my save.
    Both of us are reviewers unless given."""
    colleague_client = logged_in(colleague or reviewer())
    my_client = logged_in(me or reviewer())
    url = admin_url(type(record), "change", record.pk)
    my_page = page_data(my_client.get(url))
    post_page(colleague_client, url, theirs)
    return my_client, my_client.post(url, {**my_page, **mine})


def test_the_second_of_two_concurrent_saves_is_refused_and_says_what_changed():
    site = SiteFactory(name="Juma Mosque", dating_label="")

    _bob, response = save_over_a_colleague(
        site,
        {"name": "Haji Alakbar Mosque"},
        {"dating_label": "AH 1307 / 1889–90"},
        colleague=UserFactory(username="alice", is_superuser=True),
        me=UserFactory(username="bob", is_superuser=True),
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    message = " ".join(form.non_field_errors())
    assert "Not saved: alice saved this site" in message
    assert "Name is now “Haji Alakbar Mosque” (it was “Juma Mosque”)." in message
    assert form.errors["name"] == ["Changed since you opened the page: now “Haji Alakbar Mosque”."]
    # Bob's input is still in the form, and nothing of it was saved.
    assertContains(response, 'value="AH 1307 / 1889–90"')
    site.refresh_from_db()
    assert (site.name, site.dating_label) == ("Haji Alakbar Mosque", "")


def test_after_the_refusal_a_second_save_goes_through_knowingly():
    site = SiteFactory(name="Juma Mosque")
    bob, refused = save_over_a_colleague(
        site, {"description": "Used as a cattle shed."}, {"dating_label": "1889–90"}
    )

    resubmitted = page_data(refused)
    response = bob.post(
        admin_url(Site, "change", site.pk), {**resubmitted, "dating_label": "1889–90"}
    )

    assert response.status_code == 302
    site.refresh_from_db()
    assert site.dating_label == "1889–90"
    assert site.version == 3


def test_an_inline_change_by_someone_else_also_refuses_the_stale_page():
    site = SiteFactory()
    SiteNameFactory(site=site, name="Cümə məscidi")

    _bob, response = save_over_a_colleague(
        site, {"names-0-name": "Came məscidi"}, {"description": "Changed."}
    )

    assert response.status_code == 200
    assert "Only the rows listed below the form" in " ".join(
        response.context["adminform"].form.non_field_errors()
    )
    assert site.names.get().name == "Came məscidi"


def test_a_concurrent_edit_of_a_disturbance_is_refused():
    disturbance = DisturbanceFactory(description="")

    _bob, response = save_over_a_colleague(
        disturbance, {"description": "Tombstones removed."}, {"description": "Fences taken."}
    )

    assert response.status_code == 200
    disturbance.refresh_from_db()
    assert disturbance.description == "Tombstones removed."


def test_a_stale_copy_cannot_be_saved_by_any_route():
    site = SiteFactory(name="One")
    stale = Site.objects.get(pk=site.pk)
    site.name = "Two"
    site.save()

    stale.name = "Three"
    with pytest.raises(StaleRecordError):
        stale.save()

    site.refresh_from_db()
    assert (site.name, site.version) == ("Two", 2)
    assert stale.version == 1


def test_a_service_refuses_a_stale_copy():
    site = SiteFactory()
    stale = Site.objects.get(pk=site.pk)
    site.save()

    with pytest.raises(StaleRecordError):
        services.record_submit(record=stale, user=editor())

    site.refresh_from_db()
    assert site.publication_status == PublicationStatus.DRAFT


def test_saves_count_versions_and_queryset_updates_leave_them_alone():
    site = SiteFactory()
    assert site.version == 1
    site.save()
    site.save(update_fields=["name"])
    Site.objects.filter(pk=site.pk).update(name="Updated")

    site.refresh_from_db()
    assert site.version == 3


def test_a_visit_is_entered_on_one_page_with_its_assessments():
    client = logged_in(editor())
    visit = VisitFactory(start_date=datetime.date(2021, 1, 12))
    site = SiteFactory(slug="juma-mosque")
    url = admin_url(Visit, "change", visit.pk)
    data = page_data(client.get(url))
    data.update(
        {
            "assessments-TOTAL_FORMS": "1",
            "assessments-0-site": site.pk,
            "assessments-0-assessed_on": "2021-01-12",
            "assessments-0-date_precision": "day",
            "assessments-0-verification": "reported",
            "assessments-0-slug": "",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302
    assessment = visit.assessments.get()
    assert assessment.slug == "juma-mosque-2021-01-12"
    assert assessment.publication_status == PublicationStatus.DRAFT


# The history pages under the Content-Security-Policy


def csp_blocked(html):
    """What in ``html`` the policy (no inline scripts or styles) would block."""
    return [what for pattern, what in INLINE_CODE if pattern.search(html)]


def test_history_pages_hold_nothing_the_policy_blocks(admin_client):
    site = SiteFactory(name="Juma Mosque")
    site.name = "Juma Mosque of Fuzuli"
    site.save()
    checked = []
    for model, model_admin in django_admin.site._registry.items():
        if not hasattr(model_admin, "history_view") or not hasattr(model, "history"):
            continue
        record = site if model is Site else model._default_manager.first()
        if record is None:
            continue
        record.save()  # an entry in its history, so that the page lists one
        response = admin_client.get(admin_url(model, "history", record.pk))
        assert response.status_code == 200, model
        html = response.content.decode()
        assert 'id="change-history"' in html
        assert csp_blocked(html) == [], model
        checked.append(model)
        entry = record.history.first()
        if entry is not None:
            form = admin_client.get(restore_url(record, entry))
            assert csp_blocked(form.content.decode()) == [], model
    assert Site in checked
