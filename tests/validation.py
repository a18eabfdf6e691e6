"""What model validation (``full_clean``) finds wrong with a record."""

from django.core.exceptions import ValidationError


def validation_errors(record):
    """The messages ``full_clean`` gives for ``record``, by field; empty when it passes."""
    try:
        record.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def errors_of(record):
    """The messages of a record that must fail validation, by field."""
    errors = validation_errors(record)
    assert errors, f"{record!r} passes validation"
    return errors
