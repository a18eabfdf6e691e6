"""Cases of the database constraints of the register, and the checks every case runs.

Every write of a case bypasses model validation (``QuerySet.update`` or ``Manager.create``,
which never call ``full_clean``), so a passing case shows the constraint is in the
database, not only in forms. Each case also checks that the error names the constraint it
is about, so a case cannot pass because some other rule happened to fail; where it is
cheap, a control writes a good value that the same constraint accepts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from tests.factories import MODEL_FACTORIES

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


def case_id(case):
    return case.constraint


# --- Writes ------------------------------------------------------------------------------


def update(**values):
    """A write that sets ``values`` on the row with an UPDATE."""

    def write(row):
        type(row).objects.filter(pk=row.pk).update(**values)

    return write


def repeat(*fields, **values):
    """A write that creates another row of the given row's model, copying ``fields`` from
    it, with ``values``."""

    def write(row):
        make = MODEL_FACTORIES[type(row)]
        make(**{field: getattr(row, field) for field in fields}, **values)

    return write


# --- Cases of the common kinds of constraint, on rows made by the model's factory -------


def unique_field(model, field):
    return f"{model._meta.db_table}.{model._meta.get_field(field).column}"


def writes_case(model, constraint, violate, comply=None):
    return Case(model, constraint, MODEL_FACTORIES[model], violate, comply)


def choices_case(model, constraint, field, bad, good):
    return writes_case(model, constraint, update(**{field: bad}), update(**{field: good}))


def not_blank_case(model, constraint, field, good):
    return choices_case(model, constraint, field, "", good)


def publication_case(model, constraint):
    return choices_case(model, constraint, "publication_status", "public", "in_review")


def ordered_case(model, constraint, fields, earlier, later):
    """The first of ``fields`` (a start) may not come after the second (an end)."""
    start, end = fields
    return writes_case(
        model,
        constraint,
        update(**{start: later, end: earlier}),
        update(**{start: earlier, end: later}),
    )


def unique_case(model, constraint, fields, **other):
    """A row repeating ``fields`` of another breaks the constraint; one that differs in the
    last of them (``other``'s value, or the factory's) keeps it."""
    return writes_case(model, constraint, repeat(*fields), repeat(*fields[:-1], **other))


def slug_case(model):
    return writes_case(model, unique_field(model, "slug"), repeat("slug"))


def coordinate_cases(model, prefix, fields=""):
    """Cases of :func:`heritage.base.coordinate_constraints` with field prefix ``fields``:
    (constraint, bad values, good values)."""
    lat, lon = f"{fields}latitude", f"{fields}longitude"
    located = {lat: Decimal("39.75"), lon: Decimal("46.75")}
    return [
        Case(
            model,
            f"{prefix}_{name}",
            lambda values=arranged: MODEL_FACTORIES[model](**values),
            update(**bad),
            update(**good),
        )
        for name, arranged, bad, good in [
            ("latitude_range", located, {lat: Decimal("91")}, {lat: Decimal("90")}),
            ("longitude_range", located, {lon: Decimal("-181")}, {lon: Decimal("-180")}),
            ("coordinates_paired", {}, {lat: Decimal("39.75")}, located),
        ]
    ]


# --- The checks ---------------------------------------------------------------------------


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


def assert_rejected(case):
    """The database refuses the write that breaks the constraint, naming it."""
    row = case.arrange()
    assert isinstance(row, case.model)

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        case.violate(row)

    assert expected_error_text(case) in str(error.value)


def assert_accepted(case):
    """The database takes the write that keeps the constraint."""
    row = case.arrange()

    case.comply(row)

    assert case.model.objects.filter(pk=row.pk).exists()


def constraints_of(app_label):
    """Names of every declared constraint and every ``unique=True`` field of the app."""
    names = set()
    for model in apps.get_app_config(app_label).get_models():
        names.update(constraint.name for constraint in model._meta.constraints)
        names.update(
            unique_field(model, field.name)
            for field in model._meta.local_concrete_fields
            if field.unique and not field.primary_key
        )
    return names


def uncovered(app_label, cases):
    """Constraints of the app without a case."""
    return constraints_of(app_label) - {case.constraint for case in cases}


def unknown(app_label, cases):
    """Cases about a constraint the app neither has nor needs."""
    return {case.constraint for case in cases} - constraints_of(app_label) - UNDECLARED_CONSTRAINTS


def repeated(app_label, cases):
    """Constraints with more than one case."""
    names = [case.constraint for case in cases]
    return {name for name in names if names.count(name) > 1}


#: The checks of a list of cases: each gives what is wrong with it.
COVERAGE = [uncovered, unknown, repeated]
