"""One cell of a file: its text, and the widgets that read it into a value and write it back.

A cell is read strictly: a value that is not what its column wants (a date, a whole number,
one of a list of choices, the slug of a record) is an error naming the value, never a
guess. Text that a spreadsheet would run as a formula is written with an apostrophe in
front on export, which the import removes again.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from import_export import widgets

from heritage.cleaning import clean_text
from heritage.text import escape_formula, unescape_formula


def cell_text(value):
    """A cell as trimmed text: empty for None, ``1889`` for a spreadsheet's ``1889.0``;
    normalised as the register stores text (``heritage.cleaning``: NFC, no invisible or
    bidirectional control characters), so that checks against stored records compare like
    with like."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value))


def is_blank(value):
    return cell_text(value) == ""


def same_text(a, b):
    """Equal once line endings are alike (spreadsheets turn CR LF into LF)."""
    return a.replace("\r\n", "\n") == b.replace("\r\n", "\n")


def format_decimal(value):
    """``39.5956`` for ``Decimal("39.595600")``, ``927`` for ``Decimal("927.00")``."""
    text = f"{value.normalize():f}"
    return "0" if text in {"-0", "0"} else text


def sheet_row(number):
    """The spreadsheet's number of data row ``number`` (1-based): the headings are row 1."""
    return number + 1


def column_letter(position):
    """A spreadsheet's letter for column ``position`` (1-based): A, B, …, Z, AA, …"""
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def find_choice(choices, text):
    """The value of the choice that ``text`` names by its value or English label, any case;
    None if none does."""
    wanted = text.casefold()
    with translation.override("en"):
        for value, label in choices:
            if wanted in {value.casefold(), str(label).casefold()}:
                return value
    return None


# --- Widgets: one column's text to a value and back ---------------------------------------


class TextWidget(widgets.Widget):
    """Text, trimmed; an apostrophe put in front of a formula by the export is removed."""

    def clean(self, value, row=None, **kwargs):
        return unescape_formula(cell_text(value))

    def render(self, value, obj=None, **kwargs):
        text = "" if value is None else str(value)
        return escape_formula(text) if kwargs.get("escape_formulae") else text


class ChoiceWidget(TextWidget):
    """One of a model field's choices, by its value (``mosque``) or English label."""

    def __init__(self, choices):
        super().__init__()
        self.choices = [(value, label) for value, label in choices if value]

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if not text:
            return ""
        found = find_choice(self.choices, text)
        if found is None:
            raise ValueError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": text, "choices": ", ".join(choice for choice, _label in self.choices)}
            )
        return found


class NativeWidget(widgets.Widget):
    """A value a workbook stores as such (a number, a date) and a CSV file as text.

    An empty cell is None; subclasses read any other cell in ``read``.
    """

    def clean(self, value, row=None, **kwargs):
        return None if is_blank(value) else self.read(value)

    def read(self, value):
        raise NotImplementedError

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else self.as_text(value)

    def as_text(self, value):
        return str(value)


class WholeNumberWidget(NativeWidget):
    """A whole number such as a year: ``1889``; ``1889.5`` is refused, not rounded."""

    def read(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = cell_text(value)
        if not re.fullmatch(r"[+-]?\d{1,9}", text):
            raise ValueError(
                _("“%(value)s” is not a whole number; write it as, e.g., 1889.") % {"value": text}
            )
        return int(text)


class DecimalWidget(NativeWidget):
    """A number with a point for decimals and no thousands separators: ``39.5956``."""

    def read(self, value):
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, int):
            return Decimal(value)
        text = repr(value) if isinstance(value, float) else cell_text(value)
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
            raise ValueError(
                _(
                    "“%(value)s” is not a number; write it with a point for decimals and no "
                    "thousands separators, e.g. 4600000 or 39.5956."
                )
                % {"value": cell_text(value)}
            )
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": text}) from None

    def as_text(self, value):
        return format_decimal(value)


class DateWidget(NativeWidget):
    """A date as ``YYYY-MM-DD`` (or a spreadsheet's date cell); nothing else is guessed."""

    def read(self, value):
        if isinstance(value, datetime.datetime):
            if value.time() != datetime.time(0):
                raise ValueError(
                    _("“%(value)s” has a time of day; give the date only.") % {"value": value}
                )
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                raise ValueError(
                    _("“%(value)s” is not a date that exists.") % {"value": text}
                ) from None
        raise ValueError(
            _("“%(value)s” is not a date; write dates as YYYY-MM-DD, e.g. 2021-01-12.")
            % {"value": text}
        )

    def as_text(self, value):
        return value.isoformat()


class RecordWidget(widgets.Widget):
    """Another record, named by its natural key (a slug by default)."""

    def __init__(self, model, field="slug", required=False):
        super().__init__()
        self.model = model
        self.field = field
        self.required = required
        self.found = {}

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            if self.required:
                raise ValueError(self.required_message())
            return None
        if text not in self.found:
            self.found[text] = self.lookup(text)
        if self.found[text] is None:
            raise ValueError(self.unknown_message(text))
        return self.found[text]

    def lookup(self, text):
        return self.model._default_manager.filter(**{self.field: text}).first()

    def preload(self, texts):
        """Look up every text of ``texts`` not yet looked up, in one query."""
        wanted = {text for text in texts if text and text not in self.found}
        if not wanted:
            return
        records = self.model._default_manager.filter(**{f"{self.field}__in": wanted})
        for record in records:
            self.found[getattr(record, self.field)] = record
        for text in wanted:
            self.found.setdefault(text, None)

    def required_message(self):
        return _("Give the slug of the %(model)s; it is required.") % {
            "model": self.model._meta.verbose_name
        }

    def unknown_message(self, text):
        return _("No %(model)s has the slug “%(value)s”.") % {
            "model": self.model._meta.verbose_name,
            "value": text,
        }

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else getattr(value, self.field)


class TermWidget(RecordWidget):
    """An EAMENA term, by its English label, whatever the case."""

    def __init__(self, model, required=False):
        super().__init__(model, field="label", required=required)
        self.terms = None

    def preload(self, texts):
        """A list of terms is short: read it whole, once."""
        if self.terms is None:
            self.terms = list(self.model._default_manager.all())
        for text in texts:
            if text and text not in self.found:
                self.found[text] = self.lookup(text)

    def lookup(self, text):
        if self.terms is not None:
            wanted = text.casefold()
            matches = [term for term in self.terms if term.label.casefold() == wanted][:2]
        else:
            matches = list(self.model._default_manager.filter(label__iexact=text)[:2])
        if len(matches) > 1:
            exact = [term for term in matches if term.label == text]
            return exact[0] if exact else None
        return matches[0] if matches else None

    def required_message(self):
        return _("Give the %(list)s; it is required.") % {"list": self.model._meta.verbose_name}

    def unknown_message(self, text):
        labels = self.model._default_manager.values_list("label", flat=True)
        return _("“%(value)s” is not in the list of %(list)s. Use one of: %(labels)s.") % {
            "value": text,
            "list": self.model._meta.verbose_name_plural,
            "labels": ", ".join(labels),
        }
