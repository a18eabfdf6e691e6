"""The demo's records start their public history with their state as loaded."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from heritage.models import Site
from inspections.models import Visit
from operations.history import history_start

pytestmark = pytest.mark.django_db


def test_loaded_records_get_one_first_entry_with_their_many_to_many_values(demo):
    visit = Visit.objects.filter(organisations__isnull=False).first()
    [entry] = visit.history.all()
    assert entry.history_type == "+"
    assert sorted(row.organisation_id for row in entry.organisations.all()) == sorted(
        visit.organisations.values_list("pk", flat=True)
    )
    assert all(site.history.count() == 1 for site in Site.objects.all())


def test_loading_again_adds_no_entry(demo):
    before = Site.history.count()
    call_command("load_demo", verbosity=0)
    assert Site.history.count() == before
    assert history_start(reason="again") == 0


def test_first_change_of_a_loaded_site_is_version_two(demo, client):
    site = Site.objects.public().get(slug="gargabazar-mosque")
    old_name = site.name
    site.name = "Renamed mosque"
    site._change_reason = "Renamed."
    site.save()

    response = client.get(reverse("site-history", args=[site.slug]))

    [(latest, _url), (first, _first_url)] = response.context["versions"]
    assert latest.number == 2
    assert [(c.old, c.new) for c in latest.changes] == [(old_name, "Renamed mosque")]
    assert first.number == 1
