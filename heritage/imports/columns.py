"""The columns of a file: each sets one field of the record, or stands for rows of its own.

The short functions at the end declare a resource's columns: ``text("name")``,
``choice(Site, "category")``, ``record("place", Place, required=True)``, ``term(...)``.
"""

from django.db.models.fields import NOT_PROVIDED
from import_export.fields import Field

from heritage.imports.cells import ChoiceWidget, RecordWidget, TermWidget, TextWidget, same_text
from heritage.text import escape_formula


class Column(Field):
    """A column that sets one field of the record.

    Text that differs from the record's only by its line endings, and a number written
    differently (``39.5956`` for ``39.595600``), leave the record unchanged.
    """

    def save(self, instance, row, is_m2m=False, **kwargs):
        cleaned = self.clean(row, **kwargs)
        current = getattr(instance, self.attribute, None)
        if isinstance(cleaned, str) and isinstance(current, str) and same_text(cleaned, current):
            return
        setattr(instance, self.attribute, cleaned)


class RelatedColumn(Field):
    """A column about rows that belong to the record (its names, its citations).

    The resource reads and writes those rows itself; ``render(record)`` gives the column's
    text for the record, including what the row being imported adds.
    """

    def __init__(self, column_name, render):
        super().__init__(attribute=None, column_name=column_name)
        self.render = render

    def export(self, instance, **kwargs):
        text = self.render(instance)
        return escape_formula(text) if kwargs.get("escape_formulae") else text


def column(name, widget, *, default=NOT_PROVIDED):
    return Column(attribute=name, column_name=name, widget=widget, default=default)


def text(name):
    return column(name, TextWidget())


def choice(model, name):
    field = model._meta.get_field(name)
    default = field.default if field.has_default() else NOT_PROVIDED
    return column(name, ChoiceWidget(field.choices), default=default)


def record(name, model, *, required=False):
    return column(name, RecordWidget(model, required=required))


def term(name, model):
    return column(name, TermWidget(model))
