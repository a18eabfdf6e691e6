"""Factories for restoration projects, training courses and commitments."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from inspections.models import (
    Commitment,
    CommitmentUpdate,
    ProjectBudget,
    ProjectEvidence,
    ProjectRole,
    ProjectStatusUpdate,
    RestorationProject,
    TrainingCourse,
)
from tests.factories import (
    EvidenceFactory,
    OrganisationFactory,
    PublishableFactory,
    SiteFactory,
    SourceFactory,
)


class RestorationProjectFactory(PublishableFactory):
    class Meta:
        model = RestorationProject

    slug = factory.Sequence(lambda n: f"project-{n}")
    title = factory.Sequence(lambda n: f"Restoration {n}")
    site = factory.SubFactory(SiteFactory, published=True)
    kind = RestorationProject.Kind.RESTORATION
    source = factory.SubFactory(SourceFactory, published=True)


class ProjectStatusUpdateFactory(DjangoModelFactory):
    class Meta:
        model = ProjectStatusUpdate

    project = factory.SubFactory(RestorationProjectFactory)
    status = RestorationProject.Status.PLANNED
    date = datetime.date(2025, 10, 27)
    source = factory.SubFactory(SourceFactory, published=True)


class ProjectRoleFactory(DjangoModelFactory):
    class Meta:
        model = ProjectRole

    project = factory.SubFactory(RestorationProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = ProjectRole.Role.FUNDER


class ProjectBudgetFactory(DjangoModelFactory):
    class Meta:
        model = ProjectBudget

    project = factory.SubFactory(RestorationProjectFactory)
    amount = Decimal("314706")
    currency = "AZN"
    source = factory.SubFactory(SourceFactory, published=True)


class TrainingCourseFactory(PublishableFactory):
    class Meta:
        model = TrainingCourse

    slug = factory.Sequence(lambda n: f"course-{n}")
    title = factory.Sequence(lambda n: f"Course {n}")
    start_date = datetime.date(2022, 5, 1)
    source = factory.SubFactory(SourceFactory, published=True)


class CommitmentFactory(PublishableFactory):
    class Meta:
        model = Commitment

    slug = factory.Sequence(lambda n: f"commitment-{n}")
    title = factory.Sequence(lambda n: f"Promise {n}")
    kind = Commitment.Kind.TRAINING
    by_organisation = factory.SubFactory(OrganisationFactory)
    made_on = datetime.date(2021, 1, 14)
    source = factory.SubFactory(SourceFactory, published=True)
    quote = "Training courses will be organized."


class CommitmentUpdateFactory(DjangoModelFactory):
    class Meta:
        model = CommitmentUpdate

    commitment = factory.SubFactory(CommitmentFactory)
    status = Commitment.Status.IN_PROGRESS
    date = datetime.date(2021, 6, 1)
    source = factory.SubFactory(SourceFactory, published=True)


class ProjectEvidenceFactory(DjangoModelFactory):
    class Meta:
        model = ProjectEvidence

    project = factory.SubFactory(RestorationProjectFactory)
    evidence = factory.SubFactory(EvidenceFactory, site=factory.SelfAttribute("..project.site"))
    phase = ProjectEvidence.Phase.BEFORE


RECOVERY_FACTORIES = {
    factory_class._meta.model: factory_class
    for factory_class in [
        RestorationProjectFactory,
        ProjectStatusUpdateFactory,
        ProjectRoleFactory,
        ProjectBudgetFactory,
        ProjectEvidenceFactory,
        TrainingCourseFactory,
        CommitmentFactory,
        CommitmentUpdateFactory,
    ]
}

#: Restoration projects, training courses and commitments for the tests that run on every
#: publishable model (``tests/heritage/test_querysets.py``).
RECOVERY_PUBLISHABLE_FACTORIES = {
    RestorationProject: RestorationProjectFactory,
    TrainingCourse: TrainingCourseFactory,
    Commitment: CommitmentFactory,
}

#: Queries of each changelist (see ``tests/heritage/test_admin.py``).
RECOVERY_CHANGELIST_QUERIES = {
    "inspections.commitment": 8,
    "inspections.commitmentupdate": 7,
    "inspections.projectbudget": 6,
    "inspections.projectevidence": 5,
    "inspections.projectrole": 5,
    "inspections.projectstatusupdate": 7,
    "inspections.restorationproject": 5,
    "inspections.trainingcourse": 8,
}


def recovery_records(n, records):
    """One row of every model of projects, courses and commitments, told apart by ``n`` and
    linked to ``records`` (one row of every other model, by model)."""
    from heritage.models import Organisation, Site, Source
    from inspections.models import Evidence, Visit

    source, organisation = records[Source], records[Organisation]
    project = RestorationProjectFactory(
        slug=f"project-{n}", title=f"Project {n}", site=records[Site], source=source
    )
    course = TrainingCourseFactory(slug=f"course-{n}", title=f"Course {n}", source=source)
    course.organisers.add(organisation)
    commitment = CommitmentFactory(
        slug=f"commitment-{n}",
        title=f"Commitment {n}",
        by_organisation=organisation,
        source=source,
        occasion_visit=records[Visit],
    )
    rows = [
        project,
        ProjectStatusUpdateFactory(project=project, source=source),
        ProjectRoleFactory(project=project, organisation=organisation),
        ProjectBudgetFactory(project=project, source=source),
        ProjectEvidenceFactory(project=project, evidence=records[Evidence]),
        course,
        commitment,
        CommitmentUpdateFactory(commitment=commitment, source=source, course=course),
    ]
    return {row._meta.model: row for row in rows}
