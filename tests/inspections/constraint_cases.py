"""Cases of the database constraints of visits, assessments, disturbances, evidence and the
vocabularies, checked in tests/heritage/test_constraints.py with those of the heritage
app."""

import datetime

from inspections.models import (
    VOCABULARIES,
    AssessedYearCount,
    Assessment,
    AssessmentCitation,
    AssessmentMonthCount,
    CitedSourceCount,
    DamageYearCount,
    Disturbance,
    Evidence,
    EvidenceTranslation,
    MapCell,
    MapCellYear,
    Participation,
    ResponsibilityClaim,
    SiteCount,
    Statement,
    Visit,
    VisitCitation,
    VisitEvent,
)
from tests.constraints import (
    Case,
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
    writes_case,
)
from tests.factories import (
    DisturbanceFactory,
    ParticipationFactory,
    PlaceFactory,
    SourceFactory,
    VisitFactory,
)
from tests.inspections.recovery_constraint_cases import CASES as RECOVERY_CASES


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
        Case(
            model,
            f"inspections_{model._meta.model_name}_label_not_blank",
            local_term,
            update(label=""),
            update(label="Another local term"),
        ),
    ]


def visit_with_leader():
    return ParticipationFactory(role=Participation.Role.LEADER)


def disturbance_with_range():
    return DisturbanceFactory(
        date_from=datetime.date(2020, 10, 1), date_to=datetime.date(2023, 9, 30)
    )


def citation_cases(model, subject, prefix):
    return [
        unique_case(model, f"{prefix}_unique", (subject, "source")),
        not_blank_case(model, f"{prefix}_summary_not_blank", "summary", "Says so."),
    ]


VISITS = [
    choices_case(Visit, "inspections_visit_kind_valid", "kind", "tour", "desk_review"),
    choices_case(Visit, "inspections_visit_status_valid", "status", "postponed", "cancelled"),
    choices_case(Visit, "inspections_visit_precision_valid", "date_precision", "hour", "month"),
    publication_case(Visit, "inspections_visit_pubstatus_valid"),
    ordered_case(
        Visit,
        "inspections_visit_dates_ordered",
        ("start_date", "end_date"),
        datetime.date(2024, 5, 1),
        datetime.date(2024, 5, 2),
    ),
    not_blank_case(Visit, "inspections_visit_title_not_blank", "title", "Visit to Aghdam"),
    slug_case(Visit),
    writes_case(
        Participation,
        "inspections_participation_unique",
        repeat("visit", "person", role=Participation.Role.HOST),
        repeat("visit", role=Participation.Role.HOST),
    ),
    Case(
        Participation,
        "inspections_participation_one_leader",
        visit_with_leader,
        repeat("visit", role=Participation.Role.LEADER),
        repeat("visit", role=Participation.Role.MEMBER),
    ),
    choices_case(
        Participation,
        "inspections_participation_role_valid",
        "role",
        "driver",
        "guide",
    ),
    *citation_cases(VisitCitation, "visit", "inspections_visitcitation"),
    not_blank_case(VisitEvent, "inspections_visitevent_title_not_blank", "title", "Arrival"),
    unique_case(VisitEvent, "inspections_visitevent_unique", ["visit", "title"], title="Other"),
    slug_case(Statement),
    publication_case(Statement, "inspections_statement_status_valid"),
    choices_case(
        Statement, "inspections_statement_precision_valid", "date_precision", "decade", "year"
    ),
    not_blank_case(Statement, "inspections_statement_quote_not_blank", "quote", "Words."),
    writes_case(
        Statement,
        "inspections_statement_has_speaker",
        update(speaker_person=None, speaker_organisation=None),
        update(speaker_organisation=None),
    ),
]

ASSESSMENTS = [
    choices_case(
        Assessment,
        "inspections_assessment_verification_valid",
        "verification",
        "rumoured",
        "verified",
    ),
    choices_case(
        Assessment,
        "inspections_assessment_precision_valid",
        "date_precision",
        "decade",
        "year",
    ),
    publication_case(Assessment, "inspections_assessment_status_valid"),
    slug_case(Assessment),
    *citation_cases(AssessmentCitation, "assessment", "inspections_assessmentcitation"),
    unique_case(
        Disturbance,
        "inspections_disturbance_unique",
        ("assessment", "position"),
    ),
    ordered_case(
        Disturbance,
        "inspections_disturbance_dates_ordered",
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
        ("disturbance", "source"),
    ),
    not_blank_case(
        ResponsibilityClaim,
        "inspections_responsibility_not_blank",
        "attributed_to",
        "Unnamed armed group",
    ),
]

EVIDENCE = [
    writes_case(
        Evidence,
        "inspections_evidence_one_subject",
        update(visit=None, site=None),
        lambda row: Evidence.objects.filter(pk=row.pk).update(site=None, visit=VisitFactory()),
    ),
    choices_case(Evidence, "inspections_evidence_kind_valid", "kind", "x", "photo"),
    choices_case(Evidence, "inspections_evidence_format_valid", "format", "GIF", "PNG"),
    choices_case(
        Evidence,
        "inspections_evidence_licence_valid",
        "licence",
        "mine",
        "CC0-1.0",
    ),
    publication_case(Evidence, "inspections_evidence_status_valid"),
    choices_case(Evidence, "inspections_evidence_sha256_length", "sha256", "abc", "f" * 64),
    writes_case(Evidence, unique_field(Evidence, "sha256"), repeat("sha256")),
    choices_case(Evidence, "inspections_evidence_size_positive", "size", 0, 1),
    writes_case(
        Evidence,
        "inspections_evidence_kind_matches_format",
        update(format="PDF"),
        update(format="PDF", kind="document"),
    ),
    *coordinate_cases(Evidence, "inspections_evidence_gps", "gps_"),
    unique_case(
        EvidenceTranslation,
        "inspections_evidence_translation_unique",
        ("evidence", "language"),
        language="ar",
    ),
    not_blank_case(
        EvidenceTranslation,
        "inspections_evidence_translation_language",
        "language",
        "ru",
    ),
]


def map_cell(row, column):
    """A cell of zoom 5 at ``row`` and ``column``, holding one site."""

    def arrange():
        return MapCell.objects.create(
            zoom=5, row=row, column=column, sites=1, counts={}, conditions={}
        )

    return arrange


def map_cell_year(row, column, year):
    """A year of a cell of zoom 5 at ``row`` and ``column``."""

    def arrange():
        return MapCellYear.objects.create(zoom=5, row=row, column=column, year=year, counts={})

    return arrange


def count_row(model, **fields):
    def arrange():
        return model.objects.create(place=PlaceFactory(), sites=1, **fields)

    return arrange


COUNTS = [
    Case(
        SiteCount,
        "inspections_sitecount_positive",
        count_row(SiteCount, category="mosque"),
        update(sites=0),
        update(sites=2),
    ),
    Case(
        AssessmentMonthCount,
        "inspections_monthcount_positive",
        count_row(AssessmentMonthCount, year=2021, month=1),
        update(sites=0),
        update(sites=2),
    ),
    Case(
        AssessedYearCount,
        "inspections_yearcount_positive",
        count_row(AssessedYearCount, year=2021, category="mosque"),
        update(sites=0),
        update(sites=2),
    ),
    Case(
        DamageYearCount,
        "inspections_damagecount_positive",
        count_row(DamageYearCount, year=2020, dating="began"),
        update(sites=0),
        update(sites=2),
    ),
    Case(
        CitedSourceCount,
        "inspections_citedsourcecount_positive",
        lambda: CitedSourceCount.objects.create(
            place=PlaceFactory(), source=SourceFactory(), sites=1
        ),
        update(sites=0),
        update(sites=2),
    ),
    Case(
        MapCell,
        "inspections_mapcell_positive",
        map_cell(0, 0),
        update(sites=0),
        update(sites=2),
    ),
    Case(
        MapCell,
        "inspections_mapcell_unique",
        map_cell(3, 4),
        lambda row: map_cell(row.row, row.column)(),
        lambda row: map_cell(row.row, row.column + 1)(),
    ),
    Case(
        MapCellYear,
        "inspections_mapcellyear_unique",
        map_cell_year(3, 4, 2023),
        lambda row: map_cell_year(row.row, row.column, row.year)(),
        lambda row: map_cell_year(row.row, row.column, row.year + 1)(),
    ),
]


CASES = [
    *RECOVERY_CASES,
    *VISITS,
    *COUNTS,
    *ASSESSMENTS,
    *EVIDENCE,
    *(case for model in VOCABULARIES for case in vocabulary_cases(model)),
]
