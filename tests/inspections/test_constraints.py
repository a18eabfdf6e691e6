"""The database itself rejects values that break the rules of visits, assessments,
disturbances, evidence and the vocabularies. The cases and their checks are explained in
tests/constraints.py."""

import datetime

import pytest

from inspections.models import (
    Assessment,
    AssessmentCitation,
    Disturbance,
    Evidence,
    EvidenceTranslation,
    Participation,
    ResponsibilityClaim,
    Visit,
    VisitCitation,
)
from inspections.vocabularies import VOCABULARIES
from tests.constraints import (
    COVERAGE,
    Case,
    assert_accepted,
    assert_rejected,
    case_id,
    choices_case,
    coordinate_cases,
    not_blank_case,
    ordered_case,
    publication_case,
    repeat,
    slug_case,
    unique_case,
    unique_field,
    update,
)
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    DisturbanceFactory,
    EvidenceFactory,
    EvidenceTranslationFactory,
    ParticipationFactory,
    ResponsibilityClaimFactory,
    VisitCitationFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


def vocabulary_cases(model):
    """A term's label is unique and not blank."""

    def first_term():
        return model.objects.order_by("position", "label").first()

    def create_with_label(suffix=""):
        return lambda term: model.objects.create(label=term.label + suffix)

    def local_term():
        return model.objects.create(label=f"Local {model.__name__} term")

    return [
        Case(
            model,
            unique_field(model, "label"),
            first_term,
            create_with_label(),
            create_with_label(" (local)"),
        ),
        not_blank_case(
            model,
            f"inspections_{model._meta.model_name}_label_not_blank",
            local_term,
            "label",
            "Another local term",
        ),
    ]


def visit_with_leader():
    return ParticipationFactory(role=Participation.Role.LEADER)


def disturbance_with_range():
    return DisturbanceFactory(
        date_from=datetime.date(2020, 10, 1), date_to=datetime.date(2023, 9, 30)
    )


def citation_cases(model, factory_class, subject, prefix):
    return [
        unique_case(model, f"{prefix}_unique", factory_class, (subject, "source")),
        not_blank_case(model, f"{prefix}_summary_not_blank", factory_class, "summary", "Says so."),
    ]


VISITS = [
    choices_case(
        Visit, "inspections_visit_kind_valid", VisitFactory, "kind", "tour", "desk_review"
    ),
    choices_case(
        Visit, "inspections_visit_status_valid", VisitFactory, "status", "postponed", "cancelled"
    ),
    choices_case(
        Visit, "inspections_visit_precision_valid", VisitFactory, "date_precision", "hour", "month"
    ),
    publication_case(Visit, "inspections_visit_pubstatus_valid", VisitFactory),
    ordered_case(
        Visit,
        "inspections_visit_dates_ordered",
        VisitFactory,
        ("start_date", "end_date"),
        datetime.date(2024, 5, 1),
        datetime.date(2024, 5, 2),
    ),
    not_blank_case(
        Visit, "inspections_visit_title_not_blank", VisitFactory, "title", "Visit to Aghdam"
    ),
    slug_case(Visit, VisitFactory),
    Case(
        Participation,
        "inspections_participation_unique",
        ParticipationFactory,
        repeat(ParticipationFactory, "visit", "person", role=Participation.Role.HOST),
        repeat(ParticipationFactory, "visit", role=Participation.Role.HOST),
    ),
    Case(
        Participation,
        "inspections_participation_one_leader",
        visit_with_leader,
        repeat(ParticipationFactory, "visit", role=Participation.Role.LEADER),
        repeat(ParticipationFactory, "visit", role=Participation.Role.MEMBER),
    ),
    choices_case(
        Participation,
        "inspections_participation_role_valid",
        ParticipationFactory,
        "role",
        "driver",
        "guide",
    ),
    *citation_cases(VisitCitation, VisitCitationFactory, "visit", "inspections_visitcitation"),
]

ASSESSMENTS = [
    choices_case(
        Assessment,
        "inspections_assessment_verification_valid",
        AssessmentFactory,
        "verification",
        "rumoured",
        "verified",
    ),
    choices_case(
        Assessment,
        "inspections_assessment_precision_valid",
        AssessmentFactory,
        "date_precision",
        "decade",
        "year",
    ),
    publication_case(Assessment, "inspections_assessment_status_valid", AssessmentFactory),
    slug_case(Assessment, AssessmentFactory),
    *citation_cases(
        AssessmentCitation,
        AssessmentCitationFactory,
        "assessment",
        "inspections_assessmentcitation",
    ),
    unique_case(
        Disturbance,
        "inspections_disturbance_unique",
        DisturbanceFactory,
        ("assessment", "position"),
    ),
    ordered_case(
        Disturbance,
        "inspections_disturbance_dates_ordered",
        DisturbanceFactory,
        ("date_from", "date_to"),
        datetime.date(2020, 10, 1),
        datetime.date(2023, 9, 30),
    ),
    Case(
        Disturbance,
        "inspections_disturbance_range_or_before",
        disturbance_with_range,
        update(occurred_before=datetime.date(2023, 11, 20)),
        update(date_from=None, date_to=None, occurred_before=datetime.date(2023, 11, 20)),
    ),
    unique_case(
        ResponsibilityClaim,
        "inspections_responsibility_unique",
        ResponsibilityClaimFactory,
        ("disturbance", "source"),
    ),
    not_blank_case(
        ResponsibilityClaim,
        "inspections_responsibility_not_blank",
        ResponsibilityClaimFactory,
        "attributed_to",
        "Unnamed armed group",
    ),
]

EVIDENCE = [
    Case(
        Evidence,
        "inspections_evidence_one_subject",
        EvidenceFactory,
        update(visit=None, site=None),
        lambda row: Evidence.objects.filter(pk=row.pk).update(site=None, visit=VisitFactory()),
    ),
    choices_case(
        Evidence, "inspections_evidence_kind_valid", EvidenceFactory, "kind", "x", "photo"
    ),
    choices_case(
        Evidence, "inspections_evidence_format_valid", EvidenceFactory, "format", "GIF", "PNG"
    ),
    choices_case(
        Evidence,
        "inspections_evidence_licence_valid",
        EvidenceFactory,
        "licence",
        "mine",
        "CC0-1.0",
    ),
    publication_case(Evidence, "inspections_evidence_status_valid", EvidenceFactory),
    choices_case(
        Evidence, "inspections_evidence_sha256_length", EvidenceFactory, "sha256", "abc", "f" * 64
    ),
    Case(
        Evidence,
        unique_field(Evidence, "sha256"),
        EvidenceFactory,
        repeat(EvidenceFactory, "sha256"),
    ),
    choices_case(Evidence, "inspections_evidence_size_positive", EvidenceFactory, "size", 0, 1),
    Case(
        Evidence,
        "inspections_evidence_kind_matches_format",
        EvidenceFactory,
        update(format="PDF"),
        update(format="PDF", kind="document"),
    ),
    *coordinate_cases(Evidence, "inspections_evidence_gps", EvidenceFactory, "gps_"),
    unique_case(
        EvidenceTranslation,
        "inspections_evidence_translation_unique",
        EvidenceTranslationFactory,
        ("evidence", "language"),
        language="ar",
    ),
    not_blank_case(
        EvidenceTranslation,
        "inspections_evidence_translation_language",
        EvidenceTranslationFactory,
        "language",
        "ru",
    ),
]

CASES = [
    *VISITS,
    *ASSESSMENTS,
    *EVIDENCE,
    *(case for model in VOCABULARIES for case in vocabulary_cases(model)),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_database_rejects_a_write_that_breaks_the_constraint(case):
    assert_rejected(case)


@pytest.mark.parametrize("case", [case for case in CASES if case.comply], ids=case_id)
def test_database_accepts_a_write_that_keeps_the_constraint(case):
    assert_accepted(case)


@pytest.mark.parametrize("find_faults", COVERAGE)
def test_each_constraint_of_the_inspections_app_has_one_case(find_faults):
    assert find_faults("inspections", CASES) == set()
