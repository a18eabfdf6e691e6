"""Restoration projects, training courses and commitments: database constraints, model
validation and the publication rules."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from heritage import services
from heritage.base import PublicationStatus
from inspections.models import (
    Commitment,
    CommitmentUpdate,
    ProjectBudget,
    RestorationProject,
    TrainingCourse,
    budget_totals,
)
from tests.factories import SourceFactory, reviewer
from tests.recovery_factories import (
    CommitmentFactory,
    CommitmentUpdateFactory,
    ProjectBudgetFactory,
    ProjectStatusUpdateFactory,
    RestorationProjectFactory,
    TrainingCourseFactory,
)
from tests.validation import errors_of

pytestmark = pytest.mark.django_db


def refused(queryset, constraint, **values):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        queryset.update(**values)


# --- Constraints in the database --------------------------------------------------------


def test_a_negative_budget_is_refused_by_the_database():
    budget = ProjectBudgetFactory()
    rows = ProjectBudget.objects.filter(pk=budget.pk)

    refused(rows, "inspections_budget_non_negative", amount=Decimal("-1"))
    rows.update(amount=Decimal("0"))


# A longer code is refused by the column's length (max_length=3) before the check.
@pytest.mark.parametrize("currency", ["", "az", "azn", "A1N"])
def test_a_budget_without_a_currency_code_is_refused_by_the_database(currency):
    budget = ProjectBudgetFactory()

    refused(
        ProjectBudget.objects.filter(pk=budget.pk),
        "inspections_budget_currency_code",
        currency=currency,
    )


def test_a_project_ending_before_it_starts_is_refused_by_the_database():
    project = RestorationProjectFactory(start_date=datetime.date(2024, 5, 1))

    refused(
        RestorationProject.objects.filter(pk=project.pk),
        "inspections_project_dates_ordered",
        end_date=datetime.date(2024, 4, 1),
    )


def test_a_fabric_claim_without_its_source_is_refused_by_the_database():
    project = RestorationProjectFactory()

    refused(
        RestorationProject.objects.filter(pk=project.pk),
        "inspections_project_fabric_sourced",
        fabric=RestorationProject.Fabric.CHANGED,
    )


def test_an_unknown_project_kind_is_refused_by_the_database():
    project = RestorationProjectFactory()

    refused(
        RestorationProject.objects.filter(pk=project.pk),
        "inspections_project_kind_valid",
        kind="repainting",
    )


def test_a_commitment_needs_someone_who_committed():
    commitment = CommitmentFactory()

    refused(
        Commitment.objects.filter(pk=commitment.pk),
        "inspections_commitment_has_committer",
        by_organisation=None,
    )


def test_a_deadline_before_the_commitment_is_refused_by_the_database():
    commitment = CommitmentFactory(made_on=datetime.date(2021, 1, 14))

    refused(
        Commitment.objects.filter(pk=commitment.pk),
        "inspections_commitment_deadline_after_made",
        deadline=datetime.date(2021, 1, 1),
    )


def test_an_unknown_commitment_status_is_refused_by_the_database():
    update = CommitmentUpdateFactory()

    refused(
        CommitmentUpdate.objects.filter(pk=update.pk),
        "inspections_commitmentupdate_status_valid",
        status="forgotten",
    )


def test_a_course_ending_before_it_starts_is_refused_by_the_database():
    course = TrainingCourseFactory(start_date=datetime.date(2022, 5, 2))

    refused(
        TrainingCourse.objects.filter(pk=course.pk),
        "inspections_course_dates_ordered",
        end_date=datetime.date(2022, 5, 1),
    )


# --- Validation -------------------------------------------------------------------------


def test_a_negative_amount_and_a_missing_currency_are_reported_on_their_fields():
    budget = ProjectBudgetFactory.build(
        project=RestorationProjectFactory(), amount=Decimal("-5"), currency=""
    )

    errors = errors_of(budget)

    assert "A budget cannot be negative." in errors["amount"]
    assert any("three-letter code" in message for message in errors["currency"])


def test_project_dates_out_of_order_are_reported_on_the_end():
    project = RestorationProjectFactory.build(
        site=RestorationProjectFactory().site,
        source=SourceFactory(published=True),
        start_date=datetime.date(2024, 5, 1),
        end_date=datetime.date(2024, 4, 1),
    )

    assert errors_of(project)["end_date"] == ["The end date is before the start date."]


def test_a_fabric_claim_needs_a_source():
    project = RestorationProjectFactory()
    project.fabric = RestorationProject.Fabric.KEPT

    assert "fabric_source" in errors_of(project)


def test_a_status_update_dated_before_the_commitment_was_made_is_refused():
    commitment = CommitmentFactory(made_on=datetime.date(2021, 1, 14))
    update = CommitmentUpdate(
        commitment=commitment,
        status=Commitment.Status.FULFILLED,
        date=datetime.date(2020, 12, 1),
        source=SourceFactory(published=True),
    )

    with pytest.raises(ValidationError) as error:
        update.full_clean()

    assert error.value.message_dict["date"] == [
        "This update is dated before the commitment was made."
    ]


def test_an_update_in_the_month_a_month_precise_commitment_was_made_is_accepted():
    commitment = CommitmentFactory(made_on=datetime.date(2021, 1, 1), made_precision="month")
    update = CommitmentUpdate(
        commitment=commitment,
        status=Commitment.Status.IN_PROGRESS,
        date=datetime.date(2021, 1, 1),
        source=SourceFactory(published=True),
    )

    update.full_clean()


def test_moving_a_commitment_after_its_updates_is_refused():
    update = CommitmentUpdateFactory(date=datetime.date(2021, 6, 1))
    commitment = update.commitment
    commitment.made_on = datetime.date(2021, 7, 1)

    assert "made_on" in errors_of(commitment)


def test_a_commitment_without_anyone_who_committed_is_reported():
    commitment = CommitmentFactory()
    commitment.by_organisation = None

    assert "by_organisation" in errors_of(commitment)


# --- Publication --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "factory_class", [RestorationProjectFactory, TrainingCourseFactory, CommitmentFactory]
)
def test_a_record_with_an_unpublished_source_cannot_be_published(factory_class):
    record = factory_class(source=SourceFactory(publication_status=PublicationStatus.DRAFT))

    with pytest.raises(ValidationError) as error:
        services.record_publish(record=record, user=reviewer())

    assert "source" in error.value.message_dict
    record.refresh_from_db()
    assert record.publication_status == PublicationStatus.DRAFT


def test_a_project_of_an_unpublished_site_is_not_public_and_cannot_be_published():
    project = RestorationProjectFactory(site__publication_status=PublicationStatus.DRAFT)
    RestorationProject.objects.filter(pk=project.pk).update(
        publication_status=PublicationStatus.PUBLISHED
    )

    assert list(RestorationProject.objects.public()) == []
    project.refresh_from_db()
    assert "site" in errors_of(project)


def test_a_reviewer_publishes_a_commitment_with_a_published_source():
    commitment = CommitmentFactory()

    services.record_publish(record=commitment, user=reviewer())

    assert list(Commitment.objects.public()) == [commitment]


def test_an_update_with_an_unpublished_source_does_not_set_the_status():
    commitment = CommitmentFactory(published=True)
    CommitmentUpdateFactory(
        commitment=commitment,
        status=Commitment.Status.FULFILLED,
        source=SourceFactory(publication_status=PublicationStatus.IN_REVIEW),
    )

    (row,) = Commitment.objects.public().with_current_status()

    assert row.current_status == Commitment.Status.UNKNOWN


def test_the_current_status_is_the_latest_update_with_a_published_source():
    commitment = CommitmentFactory(published=True)
    CommitmentUpdateFactory(
        commitment=commitment, status="in_progress", date=datetime.date(2021, 3, 1)
    )
    CommitmentUpdateFactory(
        commitment=commitment, status="fulfilled", date=datetime.date(2022, 3, 1)
    )
    project = RestorationProjectFactory(published=True)
    ProjectStatusUpdateFactory(project=project, status="planned", date=datetime.date(2024, 1, 1))
    ProjectStatusUpdateFactory(project=project, status="under_way", date=datetime.date(2025, 1, 1))

    assert Commitment.objects.with_current_status().get().current_status == "fulfilled"
    assert RestorationProject.objects.with_current_status().get().current_status == "under_way"


def test_budgets_are_summed_per_currency_never_across():
    project = RestorationProjectFactory()
    ProjectBudgetFactory(project=project, amount=Decimal("100"), currency="AZN")
    ProjectBudgetFactory(project=project, amount=Decimal("50"), currency="AZN")
    ProjectBudgetFactory(project=project, amount=Decimal("70"), currency="USD")

    assert budget_totals(project.budgets.all()) == [("AZN", Decimal("150")), ("USD", Decimal("70"))]


# --- The deadline in the register's voice ----------------------------------------------


def test_a_passed_deadline_without_an_outcome_is_marked():
    commitment = CommitmentFactory(deadline=datetime.date(2021, 2, 1), deadline_precision="month")
    in_progress = CommitmentUpdateFactory(commitment=commitment, status="in_progress")

    assert commitment.deadline_passed_unreported([in_progress], datetime.date(2021, 3, 1))
    # Within the deadline's month, it has not passed yet.
    assert not commitment.deadline_passed_unreported([], datetime.date(2021, 2, 28))


@pytest.mark.parametrize("status", ["fulfilled", "partly_fulfilled", "not_fulfilled", "withdrawn"])
def test_a_sourced_outcome_replaces_the_registers_note(status):
    commitment = CommitmentFactory(deadline=datetime.date(2021, 2, 28))
    update = CommitmentUpdateFactory(commitment=commitment, status=status)

    assert not commitment.deadline_passed_unreported([update], datetime.date(2024, 1, 1))


def test_a_commitment_without_a_deadline_is_never_marked():
    assert not CommitmentFactory().deadline_passed_unreported([], datetime.date(2030, 1, 1))
