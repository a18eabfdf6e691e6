"""A before/after photo of a restoration project must be about the project's site: attached
to it or to one of its assessments."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from inspections.models import ProjectEvidence
from tests.admin_forms import admin_url, logged_in
from tests.factories import AssessmentFactory, EvidenceFactory, SiteFactory, VisitFactory
from tests.recovery_factories import ProjectEvidenceFactory, RestorationProjectFactory

pytestmark = pytest.mark.django_db


def link(project, evidence):
    return ProjectEvidence(project=project, evidence=evidence, phase="before")


def test_a_photo_of_the_projects_site_or_of_its_assessment_is_accepted():
    project = RestorationProjectFactory()
    link(project, EvidenceFactory(site=project.site)).full_clean()
    assessment = AssessmentFactory(site=project.site)
    link(project, EvidenceFactory(site=None, assessment=assessment)).full_clean()


def test_a_photo_of_another_site_is_refused_naming_both_sites():
    project = RestorationProjectFactory(site=SiteFactory(name="Gargabazar Caravanserai"))
    other = EvidenceFactory(site=SiteFactory(name="Gochahmadli Mosque"), caption="Ruins")

    with pytest.raises(ValidationError) as raised:
        link(project, other).full_clean()

    [message] = raised.value.message_dict["evidence"]
    assert "is about Gochahmadli Mosque, not about the project's site" in message
    assert "Gargabazar Caravanserai" in message


def test_a_photo_of_a_visit_is_refused():
    project = RestorationProjectFactory()
    of_visit = EvidenceFactory(site=None, visit=VisitFactory())
    with pytest.raises(ValidationError) as raised:
        link(project, of_visit).full_clean()
    assert "is not about a site" in raised.value.message_dict["evidence"][0]


def test_a_project_with_photos_cannot_move_to_another_site():
    linked = ProjectEvidenceFactory()
    project = linked.project
    project.site = SiteFactory()
    with pytest.raises(ValidationError) as raised:
        project.full_clean()
    assert "before/after photos are of another site" in raised.value.message_dict["site"][0]


def test_the_admin_refuses_a_photo_of_another_site():
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw-12345678")
    client = logged_in(admin)
    project = RestorationProjectFactory()
    other = EvidenceFactory(site=SiteFactory(name="Another mosque"))

    response = client.post(
        admin_url(ProjectEvidence, "add"),
        {"project": project.pk, "evidence": other.pk, "phase": "after"},
    )

    assert response.status_code == 200
    assert "is about Another mosque, not about the project" in response.content.decode()
    assert not ProjectEvidence.objects.exists()
