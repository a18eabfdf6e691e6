"""Cases of the database constraints of restoration projects, training courses and
commitments (see tests/constraints.py), checked with the rest of the inspections app's in
tests/heritage/test_constraints.py."""

import datetime
from decimal import Decimal

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
from tests.constraints import (
    Case,
    choices_case,
    not_blank_case,
    ordered_case,
    publication_case,
    slug_case,
    unique_case,
    update,
    writes_case,
)
from tests.factories import SourceFactory
from tests.recovery_factories import RestorationProjectFactory

EARLY, LATE = datetime.date(2021, 1, 14), datetime.date(2021, 2, 28)


def with_fabric_source(row):
    """The historic fabric's outcome with the source that reports it."""
    RestorationProject.objects.filter(pk=row.pk).update(
        fabric="kept", fabric_source=SourceFactory(published=True)
    )


PROJECTS = [
    slug_case(RestorationProject),
    choices_case(
        RestorationProject, "inspections_project_kind_valid", "kind", "repair", "clearance"
    ),
    # With the source of the outcome, so that only the choice of outcome can be refused.
    Case(
        RestorationProject,
        "inspections_project_fabric_valid",
        lambda: RestorationProjectFactory(
            fabric="kept", fabric_source=SourceFactory(published=True)
        ),
        update(fabric="lost"),
        update(fabric="changed"),
    ),
    choices_case(
        RestorationProject,
        "inspections_project_start_precision_valid",
        "start_precision",
        "hour",
        "month",
    ),
    choices_case(
        RestorationProject,
        "inspections_project_end_precision_valid",
        "end_precision",
        "hour",
        "year",
    ),
    publication_case(RestorationProject, "inspections_project_pubstatus_valid"),
    not_blank_case(RestorationProject, "inspections_project_title_not_blank", "title", "Roof"),
    ordered_case(
        RestorationProject,
        "inspections_project_dates_ordered",
        ("start_date", "end_date"),
        EARLY,
        LATE,
    ),
    writes_case(
        RestorationProject,
        "inspections_project_fabric_sourced",
        update(fabric="changed", fabric_source=None),
        with_fabric_source,
    ),
    choices_case(
        ProjectStatusUpdate, "inspections_projectupdate_status_valid", "status", "dreamt", "funded"
    ),
    choices_case(
        ProjectStatusUpdate,
        "inspections_projectupdate_precision_valid",
        "date_precision",
        "hour",
        "month",
    ),
    unique_case(
        ProjectStatusUpdate,
        "inspections_projectupdate_unique",
        ("project", "status", "date"),
        date=LATE,
    ),
    choices_case(ProjectRole, "inspections_projectrole_role_valid", "role", "donor", "supervisor"),
    unique_case(
        ProjectRole,
        "inspections_projectrole_unique",
        ("project", "organisation", "role"),
        role="contractor",
    ),
    choices_case(
        ProjectBudget, "inspections_budget_non_negative", "amount", Decimal("-1"), Decimal("0")
    ),
    choices_case(ProjectBudget, "inspections_budget_currency_code", "currency", "azn", "USD"),
    unique_case(
        ProjectBudget,
        "inspections_budget_unique",
        ("project", "currency", "amount"),
        amount=Decimal("1000"),
    ),
    choices_case(
        ProjectEvidence, "inspections_projectevidence_phase_valid", "phase", "later", "after"
    ),
    unique_case(ProjectEvidence, "inspections_projectevidence_unique", ("project", "evidence")),
]

COURSES = [
    slug_case(TrainingCourse),
    choices_case(TrainingCourse, "inspections_course_kind_valid", "kind", "lecture", "workshop"),
    choices_case(
        TrainingCourse, "inspections_course_precision_valid", "date_precision", "hour", "year"
    ),
    publication_case(TrainingCourse, "inspections_course_pubstatus_valid"),
    not_blank_case(TrainingCourse, "inspections_course_title_not_blank", "title", "Masonry"),
    ordered_case(
        TrainingCourse, "inspections_course_dates_ordered", ("start_date", "end_date"), EARLY, LATE
    ),
]

COMMITMENTS = [
    slug_case(Commitment),
    choices_case(Commitment, "inspections_commitment_kind_valid", "kind", "hope", "funding"),
    choices_case(
        Commitment, "inspections_commitment_made_precision_valid", "made_precision", "hour", "month"
    ),
    choices_case(
        Commitment,
        "inspections_commitment_deadline_precision_valid",
        "deadline_precision",
        "hour",
        "month",
    ),
    publication_case(Commitment, "inspections_commitment_pubstatus_valid"),
    not_blank_case(Commitment, "inspections_commitment_title_not_blank", "title", "Training"),
    not_blank_case(Commitment, "inspections_commitment_quote_not_blank", "quote", "We will."),
    writes_case(
        Commitment,
        "inspections_commitment_has_committer",
        update(by_organisation=None, by_person=None),
    ),
    ordered_case(
        Commitment,
        "inspections_commitment_deadline_after_made",
        ("made_on", "deadline"),
        EARLY,
        LATE,
    ),
    choices_case(
        CommitmentUpdate,
        "inspections_commitmentupdate_status_valid",
        "status",
        "forgotten",
        "fulfilled",
    ),
    choices_case(
        CommitmentUpdate,
        "inspections_commitmentupdate_precision_valid",
        "date_precision",
        "hour",
        "month",
    ),
    unique_case(
        CommitmentUpdate,
        "inspections_commitmentupdate_unique",
        ("commitment", "status", "date"),
        date=LATE,
    ),
]

CASES = [*PROJECTS, *COURSES, *COMMITMENTS]
