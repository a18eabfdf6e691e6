"""A restoration project is public only while its site is published: the flag the public
list reads instead of the site follows every change of the site's publication."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heritage import services
from inspections.models import RestorationProject
from inspections.project_sites import rebuild_project_sites
from tests.factories import SiteFactory, UserFactory
from tests.recovery_factories import RestorationProjectFactory

pytestmark = pytest.mark.django_db


def public_slugs():
    return set(RestorationProject.objects.public().values_list("slug", flat=True))


def test_a_project_of_a_draft_site_is_not_public_until_the_site_is_published():
    site = SiteFactory()
    project = RestorationProjectFactory(site=site, published=True)
    assert public_slugs() == set()

    site.publication_status = "published"
    site.save()

    assert public_slugs() == {project.slug}


def test_a_withdrawn_site_takes_its_projects_off_the_public_list():
    project = RestorationProjectFactory(published=True)
    reviewer = UserFactory(groups=["Reviewer"])
    assert public_slugs() == {project.slug}

    services.record_reject(record=project.site, user=reviewer, reason="Wrong place.")

    assert public_slugs() == set()
    project.refresh_from_db()
    assert project.site_published is False


def test_a_project_moved_to_an_unpublished_site_is_no_longer_public():
    project = RestorationProjectFactory(published=True)
    project.site = SiteFactory()
    project.save()
    assert public_slugs() == set()


def test_a_save_that_keeps_the_sites_publication_writes_no_project():
    project = RestorationProjectFactory(published=True)
    site = project.site
    site.description = "Edited."
    with CaptureQueriesContext(connection) as captured:
        site.save()
    assert captured.captured_queries
    assert not any(
        "inspections_restorationproject" in query["sql"] for query in captured.captured_queries
    )


def test_the_rebuild_repairs_flags_written_around_the_orm():
    project = RestorationProjectFactory(published=True)
    RestorationProject.objects.update(site_published=False)
    assert public_slugs() == set()

    rebuild_project_sites()

    assert public_slugs() == {project.slug}
