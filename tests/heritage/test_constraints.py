"""The database itself rejects values that break the register's rules.

Every write here bypasses model validation (``QuerySet.update`` or ``Manager.create``, which
never call ``full_clean``), so a passing case shows the constraint is in the database, not
only in forms. Each case also checks that the error names the constraint it is about, so a
case cannot pass because some other rule happened to fail; where it is cheap, a control
writes a good value that the same constraint accepts.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from heritage.models import (
    Organisation,
    Person,
    Place,
    PlaceName,
    ReportedFigure,
    Site,
    SiteCitation,
    SiteClaim,
    SiteName,
    Source,
)
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
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    DisturbanceFactory,
    EvidenceFactory,
    EvidenceTranslationFactory,
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    PlaceFactory,
    PlaceNameFactory,
    ReportedFigureFactory,
    ResponsibilityClaimFactory,
    SiteCitationFactory,
    SiteClaimFactory,
    SiteFactory,
    SiteNameFactory,
    SourceFactory,
    VisitCitationFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

APPS = ("heritage", "inspections")

#: Checks the register needs that the models do not declare yet: a required name or title
#: may not be empty. They are named as the models name their other checks.
UNDECLARED_CONSTRAINTS: set[str] = set()


@dataclass(frozen=True)
class Case:
    """A row that satisfies a constraint, a write that breaks it and one that keeps it.

    ``constraint`` is the constraint's name, or ``<table>.<column>`` for a field declared
    with ``unique=True``.
    """

    model: type[models.Model]
    constraint: str
    arrange: Callable[[], models.Model]
    violate: Callable[[models.Model], object]
    comply: Callable[[models.Model], object] | None = None


def update(**values):
    """A write that sets ``values`` on the row with an UPDATE."""

    def write(row):
        type(row).objects.filter(pk=row.pk).update(**values)

    return write


def repeat(factory_class, *fields, **values):
    """A write that creates a row copying ``fields`` from the given row, with ``values``."""

    def write(row):
        factory_class(**{field: getattr(row, field) for field in fields}, **values)

    return write


def unique_field(model, field):
    return f"{model._meta.db_table}.{model._meta.get_field(field).column}"


def choices_case(model, constraint, factory_class, field, bad, good):
    return Case(model, constraint, factory_class, update(**{field: bad}), update(**{field: good}))


def coordinate_cases(model, prefix, factory_class):
    return coordinate_cases_with_fields(model, prefix, factory_class, "")


def coordinate_cases_with_fields(model, prefix, factory_class, fields):
    """Cases of :func:`heritage.base.coordinate_constraints` with field prefix ``fields``."""
    lat, lon = f"{fields}latitude", f"{fields}longitude"

    def located():
        return factory_class(**{lat: Decimal("39.75"), lon: Decimal("46.75")})

    return [
        Case(
            model,
            f"{prefix}_latitude_range",
            located,
            update(**{lat: Decimal("91")}),
            update(**{lat: Decimal("90")}),
        ),
        Case(
            model,
            f"{prefix}_longitude_range",
            located,
            update(**{lon: Decimal("-181")}),
            update(**{lon: Decimal("-180")}),
        ),
        Case(
            model,
            f"{prefix}_coordinates_paired",
            factory_class,
            update(**{lat: Decimal("39.75")}),
            update(**{lat: Decimal("39.75"), lon: Decimal("46.75")}),
        ),
    ]


def publication_case(model, constraint, factory_class):
    return choices_case(
        model, constraint, factory_class, "publication_status", "public", "in_review"
    )


def slug_case(model, factory_class):
    return Case(model, unique_field(model, "slug"), factory_class, repeat(factory_class, "slug"))


def vocabulary_case(model):
    def first_term():
        return model.objects.order_by("position", "label").first()

    def create_with_label(suffix=""):
        return lambda term: model.objects.create(label=term.label + suffix)

    return Case(
        model,
        unique_field(model, "label"),
        first_term,
        create_with_label(),
        create_with_label(" (local)"),
    )


def disturbance_with_range():
    return DisturbanceFactory(
        date_from=datetime.date(2020, 10, 1), date_to=datetime.date(2023, 9, 30)
    )


def visit_with_leader():
    return ParticipationFactory(role=Participation.Role.LEADER)


CASES = [
    # Place
    choices_case(Place, "heritage_place_kind_valid", PlaceFactory, "kind", "planet", "village"),
    *coordinate_cases(Place, "heritage_place", PlaceFactory),
    Case(
        Place,
        "heritage_place_not_own_parent",
        PlaceFactory,
        update(parent=models.F("pk")),
        lambda place: update(parent=PlaceFactory(kind=Place.Kind.COUNTRY))(place),
    ),
    Case(Place, "heritage_place_name_not_blank", PlaceFactory, update(name=""), update(name="X")),
    slug_case(Place, PlaceFactory),
    # PlaceName
    Case(
        PlaceName,
        "heritage_placename_unique",
        PlaceNameFactory,
        repeat(PlaceNameFactory, "place", "language", "name"),
        repeat(PlaceNameFactory, "place", "name", language="en"),
    ),
    choices_case(
        PlaceName, "heritage_placename_kind_valid", PlaceNameFactory, "kind", "nick", "historical"
    ),
    Case(
        PlaceName,
        "heritage_placename_not_blank",
        PlaceNameFactory,
        update(name=""),
        update(name="Şuşa"),
    ),
    # Organisation and Person
    choices_case(
        Organisation,
        "heritage_organisation_kind_valid",
        OrganisationFactory,
        "kind",
        "company",
        "intergovernmental",
    ),
    Case(
        Organisation,
        "heritage_organisation_name_not_blank",
        OrganisationFactory,
        update(name=""),
        update(name="ICESCO"),
    ),
    slug_case(Organisation, OrganisationFactory),
    Case(
        Person,
        "heritage_person_name_not_blank",
        PersonFactory,
        update(name=""),
        update(name="A. Person"),
    ),
    slug_case(Person, PersonFactory),
    # Source
    choices_case(
        Source, "heritage_source_kind_valid", SourceFactory, "kind", "rumour", "ngo_report"
    ),
    publication_case(Source, "heritage_source_status_valid", SourceFactory),
    choices_case(
        Source,
        "heritage_source_precision_valid",
        SourceFactory,
        "published_precision",
        "decade",
        "year",
    ),
    Case(
        Source,
        "heritage_source_title_not_blank",
        SourceFactory,
        update(title=""),
        update(title="Report"),
    ),
    slug_case(Source, SourceFactory),
    # Site
    choices_case(Site, "heritage_site_category_valid", SiteFactory, "category", "castle", "museum"),
    choices_case(
        Site, "heritage_site_precision_valid", SiteFactory, "location_precision", "vague", "exact"
    ),
    choices_case(Site, "heritage_site_importance_valid", SiteFactory, "importance", "global", ""),
    publication_case(Site, "heritage_site_status_valid", SiteFactory),
    *coordinate_cases(Site, "heritage_site", SiteFactory),
    Case(
        Site,
        "heritage_site_years_ordered",
        SiteFactory,
        update(year_from=1700, year_to=1600),
        update(year_from=1683, year_to=1683),
    ),
    Case(Site, "heritage_site_name_not_blank", SiteFactory, update(name=""), update(name="X")),
    slug_case(Site, SiteFactory),
    # SiteName
    Case(
        SiteName,
        "heritage_sitename_unique",
        SiteNameFactory,
        repeat(SiteNameFactory, "site", "language", "name"),
        repeat(SiteNameFactory, "site", "name", language="en"),
    ),
    choices_case(
        SiteName, "heritage_sitename_kind_valid", SiteNameFactory, "kind", "nick", "transliteration"
    ),
    Case(
        SiteName,
        "heritage_sitename_not_blank",
        SiteNameFactory,
        update(name=""),
        update(name="Cümə məscidi"),
    ),
    # SiteClaim
    choices_case(
        SiteClaim, "heritage_siteclaim_kind_valid", SiteClaimFactory, "kind", "gossip", "identity"
    ),
    publication_case(SiteClaim, "heritage_siteclaim_status_valid", SiteClaimFactory),
    Case(
        SiteClaim,
        "heritage_siteclaim_years_ordered",
        SiteClaimFactory,
        update(year_from=1800, year_to=1799),
        update(year_from=1799, year_to=1800),
    ),
    Case(
        SiteClaim,
        "heritage_siteclaim_statement_not_blank",
        SiteClaimFactory,
        update(statement=""),
        update(statement="Built in 1683."),
    ),
    slug_case(SiteClaim, SiteClaimFactory),
    # SiteCitation
    Case(
        SiteCitation,
        "heritage_sitecitation_unique",
        SiteCitationFactory,
        repeat(SiteCitationFactory, "site", "source"),
        repeat(SiteCitationFactory, "site"),
    ),
    # ReportedFigure
    Case(
        ReportedFigure,
        "heritage_figure_non_negative",
        ReportedFigureFactory,
        update(value=Decimal("-1")),
        update(value=Decimal("0")),
    ),
    choices_case(
        ReportedFigure,
        "heritage_figure_category_valid",
        ReportedFigureFactory,
        "category",
        "bookshop",
        "",
    ),
    publication_case(ReportedFigure, "heritage_figure_status_valid", ReportedFigureFactory),
    Case(
        ReportedFigure,
        "heritage_figure_period_ordered",
        ReportedFigureFactory,
        update(period_start=datetime.date(2020, 1, 1), period_end=datetime.date(1992, 1, 1)),
        update(period_start=datetime.date(1992, 1, 1), period_end=datetime.date(2020, 1, 1)),
    ),
    slug_case(ReportedFigure, ReportedFigureFactory),
    # Vocabularies
    *(vocabulary_case(model) for model in VOCABULARIES),
    # Visit
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
    Case(
        Visit,
        "inspections_visit_dates_ordered",
        VisitFactory,
        update(start_date=datetime.date(2024, 5, 2), end_date=datetime.date(2024, 5, 1)),
        update(start_date=datetime.date(2024, 5, 1), end_date=datetime.date(2024, 5, 1)),
    ),
    Case(
        Visit,
        "inspections_visit_title_not_blank",
        VisitFactory,
        update(title=""),
        update(title="Visit to Aghdam"),
    ),
    slug_case(Visit, VisitFactory),
    # Participation
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
    # VisitCitation
    Case(
        VisitCitation,
        "inspections_visitcitation_unique",
        VisitCitationFactory,
        repeat(VisitCitationFactory, "visit", "source"),
        repeat(VisitCitationFactory, "visit"),
    ),
    # Assessment
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
    # AssessmentCitation
    Case(
        AssessmentCitation,
        "inspections_assessmentcitation_unique",
        AssessmentCitationFactory,
        repeat(AssessmentCitationFactory, "assessment", "source"),
        repeat(AssessmentCitationFactory, "assessment"),
    ),
    # Disturbance
    Case(
        Disturbance,
        "inspections_disturbance_unique",
        DisturbanceFactory,
        repeat(DisturbanceFactory, "assessment", "position"),
        repeat(DisturbanceFactory, "assessment"),
    ),
    Case(
        Disturbance,
        "inspections_disturbance_dates_ordered",
        DisturbanceFactory,
        update(date_from=datetime.date(2023, 9, 30), date_to=datetime.date(2020, 10, 1)),
        update(date_from=datetime.date(2020, 10, 1), date_to=datetime.date(2023, 9, 30)),
    ),
    Case(
        Disturbance,
        "inspections_disturbance_range_or_before",
        disturbance_with_range,
        update(occurred_before=datetime.date(2023, 11, 20)),
        update(date_from=None, date_to=None, occurred_before=datetime.date(2023, 11, 20)),
    ),
    # ResponsibilityClaim
    Case(
        ResponsibilityClaim,
        "inspections_responsibility_unique",
        ResponsibilityClaimFactory,
        repeat(ResponsibilityClaimFactory, "disturbance", "source"),
        repeat(ResponsibilityClaimFactory, "disturbance"),
    ),
    Case(
        ResponsibilityClaim,
        "inspections_responsibility_not_blank",
        ResponsibilityClaimFactory,
        update(attributed_to=""),
        update(attributed_to="Unnamed armed group"),
    ),
    # Required text of citations, figures and vocabulary terms
    *[
        Case(model, name, factory_class, update(summary=""), update(summary="Says so."))
        for model, name, factory_class in [
            (SiteCitation, "heritage_sitecitation_summary_not_blank", SiteCitationFactory),
            (VisitCitation, "inspections_visitcitation_summary_not_blank", VisitCitationFactory),
            (
                AssessmentCitation,
                "inspections_assessmentcitation_summary_not_blank",
                AssessmentCitationFactory,
            ),
        ]
    ],
    Case(
        ReportedFigure,
        "heritage_figure_metric_not_blank",
        ReportedFigureFactory,
        update(metric=""),
        update(metric="destroyed"),
    ),
    Case(
        ReportedFigure,
        "heritage_figure_subject_not_blank",
        ReportedFigureFactory,
        update(subject=""),
        update(subject="libraries"),
    ),
    # Evidence
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
    Case(
        Evidence,
        "inspections_evidence_sha256_length",
        EvidenceFactory,
        update(sha256="abc"),
        update(sha256="f" * 64),
    ),
    Case(
        Evidence,
        unique_field(Evidence, "sha256"),
        EvidenceFactory,
        repeat(EvidenceFactory, "sha256"),
    ),
    Case(
        Evidence,
        "inspections_evidence_size_positive",
        EvidenceFactory,
        update(size=0),
        update(size=1),
    ),
    Case(
        Evidence,
        "inspections_evidence_kind_matches_format",
        EvidenceFactory,
        update(format="PDF"),
        update(format="PDF", kind="document"),
    ),
    *coordinate_cases_with_fields(Evidence, "inspections_evidence_gps", EvidenceFactory, "gps_"),
    Case(
        EvidenceTranslation,
        "inspections_evidence_translation_unique",
        EvidenceTranslationFactory,
        repeat(EvidenceTranslationFactory, "evidence", "language"),
        repeat(EvidenceTranslationFactory, "evidence", language="ar"),
    ),
    Case(
        EvidenceTranslation,
        "inspections_evidence_translation_language",
        EvidenceTranslationFactory,
        update(language=""),
        update(language="ru"),
    ),
    *[
        Case(
            model,
            f"inspections_{model._meta.model_name}_label_not_blank",
            lambda model=model: model.objects.create(label=f"Local {model.__name__} term"),
            update(label=""),
            update(label="Another local term"),
        )
        for model in VOCABULARIES
    ],
]


def case_id(case):
    return case.constraint


def expected_error_text(case):
    """A part of the database's error message that names the constraint of ``case``."""
    model = case.model
    table = model._meta.db_table
    declared = {constraint.name: constraint for constraint in model._meta.constraints}
    sqlite = connection.vendor == "sqlite"
    if case.constraint in declared:
        constraint = declared[case.constraint]
        if sqlite and isinstance(constraint, models.UniqueConstraint):
            columns = [model._meta.get_field(field).column for field in constraint.fields]
            return "UNIQUE constraint failed: " + ", ".join(f"{table}.{c}" for c in columns)
        return case.constraint
    if case.constraint in UNDECLARED_CONSTRAINTS:
        return "CHECK constraint failed" if sqlite else "violates check constraint"
    column = case.constraint.removeprefix(f"{table}.")
    return f"UNIQUE constraint failed: {case.constraint}" if sqlite else f"Key ({column})="


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_database_rejects_a_write_that_breaks_the_constraint(case):
    row = case.arrange()
    assert isinstance(row, case.model)

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        case.violate(row)

    assert expected_error_text(case) in str(error.value)


@pytest.mark.parametrize("case", [case for case in CASES if case.comply], ids=case_id)
def test_database_accepts_a_write_that_keeps_the_constraint(case):
    row = case.arrange()

    case.comply(row)

    assert case.model.objects.filter(pk=row.pk).exists()


def constraints_of_the_register():
    """Names of every declared constraint and every ``unique=True`` field of the register."""
    names = set()
    for app_label in APPS:
        for model in apps.get_app_config(app_label).get_models():
            names.update(constraint.name for constraint in model._meta.constraints)
            names.update(
                unique_field(model, field.name)
                for field in model._meta.local_concrete_fields
                if field.unique and not field.primary_key
            )
    return names


def test_every_constraint_of_the_register_has_a_case():
    covered = {case.constraint for case in CASES}

    assert constraints_of_the_register() - covered == set()


def test_every_case_is_about_a_constraint_the_register_has_or_needs():
    known = constraints_of_the_register() | UNDECLARED_CONSTRAINTS

    assert {case.constraint for case in CASES} - known == set()


def test_cases_are_one_per_constraint():
    names = [case.constraint for case in CASES]

    assert len(names) == len(set(names))
