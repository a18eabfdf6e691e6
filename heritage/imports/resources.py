"""Import and export of sites and reported figures as spreadsheet rows (django-import-export).

One row of a file is one record, found by its slug: an existing record is changed, a missing
one is created, always as a draft. Other records are named by their natural keys (a place,
site, organisation or source by its slug, an EAMENA term by its English label); a name that
matches nothing is an error of that row and column, never a silent blank. Every rule of the
models applies (``full_clean``), and so do the rules of review: an import never publishes,
and only reviewers change published records. An import never deletes anything: name
variants and citations that a file does not list are kept.

An import is all or nothing: the preview runs the whole file in a transaction that is rolled
back, and the confirmed import runs it again in one transaction that is rolled back if any
row fails, so either every row is written or none is. The columns of each file are listed
in the README ("Importing and exporting"); an export writes the same columns, so exporting
and importing the file again changes nothing.
"""

import datetime
import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from diff_match_patch import diff_match_patch
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models.fields import NOT_PROVIDED
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources, widgets
from import_export.fields import Field
from import_export.results import Result

from heritage import services
from heritage.base import PublicationStatus, Publishable, StaleRecordError
from heritage.models import (
    NameKind,
    Organisation,
    Place,
    ReportedFigure,
    Site,
    SiteName,
    Source,
)
from heritage.text import escape_formula, unescape_formula

#: Columns a file may carry that an import never reads: how records are published is decided
#: by review, and records are found by slug. They are reported as ignored in the preview.
IGNORED_COLUMNS = (
    "id",
    "version",
    "publication_status",
    "review_note",
    "submitted_by",
    "submitted_at",
    "reviewed_by",
    "reviewed_at",
)

#: The longest "Imported from <file>" that the history keeps (its reason field's length).
CHANGE_REASON_LENGTH = 100


class ImportFileError(ValueError):
    """A file that cannot be read as a table, or whose columns are wrong."""


# --- Cells ---------------------------------------------------------------------------------


def cell_text(value):
    """A cell as trimmed text: empty for None, ``1889`` for a spreadsheet's ``1889.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


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
        wanted = text.casefold()
        with translation.override("en"):
            for choice, label in self.choices:
                if wanted in {choice.casefold(), str(label).casefold()}:
                    return choice
        raise ValueError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": ", ".join(choice for choice, _label in self.choices)}
        )


class WholeNumberWidget(widgets.Widget):
    """A whole number such as a year: ``1889``; ``1889.5`` is refused, not rounded."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = cell_text(value)
        if not re.fullmatch(r"[+-]?\d{1,9}", text):
            raise ValueError(
                _("“%(value)s” is not a whole number; write it as, e.g., 1889.") % {"value": text}
            )
        return int(text)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else str(value)


class DecimalWidget(widgets.Widget):
    """A number with a point for decimals and no thousands separators: ``39.5956``."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
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

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else format_decimal(value)


class DateWidget(widgets.Widget):
    """A date as ``YYYY-MM-DD`` (or a spreadsheet's date cell); nothing else is guessed."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
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

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else value.isoformat()


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

    def lookup(self, text):
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


# --- Columns -------------------------------------------------------------------------------


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


# --- What the preview shows ----------------------------------------------------------------


class DiffCell(NamedTuple):
    html: str
    changed: bool
    #: The whole text of a cell shortened for the preview, else "".
    full: str = ""


#: Unchanged text longer than this is shortened in the preview (the whole text is its title).
PREVIEW_LENGTH = 120


class Diff(resources.Diff):
    """Each cell of a previewed row: its value, and for a change the old and new text.

    Marked up with plain ``<del>`` and ``<ins>`` (no inline styles, which the site's
    Content-Security-Policy forbids).
    """

    def as_html(self):
        cells = []
        for old, new in zip(self.left, self.right, strict=False):
            old, new = str(old if old is not None else ""), str(new if new is not None else "")
            if self.new or old == new:
                if len(new) > PREVIEW_LENGTH:
                    cells.append(DiffCell(escape(new[: PREVIEW_LENGTH - 20] + "…"), False, new))
                else:
                    cells.append(DiffCell(escape(new), False))
                continue
            dmp = diff_match_patch()
            operations = dmp.diff_main(old, new)
            dmp.diff_cleanupSemantic(operations)
            tags = {-1: "<del>{}</del>", 1: "<ins>{}</ins>", 0: "{}"}
            html = "".join(format_html(tags[op], chunk) for op, chunk in operations)
            # Every chunk was escaped by format_html.
            cells.append(DiffCell(mark_safe(html), True))
        return cells


class Problem(NamedTuple):
    """One error of an import: the spreadsheet row and the column it is in, if any."""

    row: int | None
    column: str
    letter: str
    message: str


class PreviewRow(NamedTuple):
    row: int
    action: str
    label: str
    cells: list


class ImportResult(Result):
    """The result of an import, with warnings about columns that were not read, and what
    the preview shows: every problem with its row and column, or every row's change."""

    ACTIONS = {
        "new": gettext_lazy("New"),
        "update": gettext_lazy("Changed"),
        "skip": gettext_lazy("Unchanged"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings = []
        self.headers = []

    def letter(self, column):
        if column in self.headers:
            return column_letter(self.headers.index(column) + 1)
        return ""

    def problems(self):
        """Every error, file-wide ones first, then by row; a row's errors by column."""
        found = [Problem(None, "", "", str(error.error)) for error in self.base_errors]
        by_row = []
        for invalid in self.invalid_rows:
            for name, messages in invalid.error_dict.items():
                column = "" if name == NON_FIELD_ERRORS else name
                for message in messages:
                    by_row.append(
                        Problem(sheet_row(invalid.number), column, self.letter(column), message)
                    )
        for error_row in self.error_rows:
            for error in error_row.errors:
                by_row.append(Problem(sheet_row(error_row.number), "", "", str(error.error)))
        order = {name: position for position, name in enumerate(self.headers)}
        order[""] = -1
        by_row.sort(key=lambda problem: (problem.row, order.get(problem.column, len(order))))
        return found + by_row

    def preview(self):
        """Each row with what the import does to it and its cells (changes marked)."""
        return [
            PreviewRow(
                sheet_row(number),
                row.import_type,
                self.ACTIONS.get(row.import_type, row.import_type),
                row.diff or [],
            )
            for number, row in enumerate(self.rows, 1)
            if row.import_type in self.ACTIONS
        ]

    def counts(self):
        return {
            "new": self.totals["new"],
            "changed": self.totals["update"],
            "unchanged": self.totals["skip"],
        }


# --- The base of every resource ------------------------------------------------------------


class RegisterResource(resources.ModelResource):
    """What every import and export of the register shares.

    Subclasses declare their columns and list them in ``Meta.fields`` (in file order);
    ``REQUIRED_COLUMNS`` are those a file must have. A file may leave out the other columns:
    their fields are then left as they are (a new record gets the defaults).
    """

    REQUIRED_COLUMNS = ("slug",)
    #: The columns that together say which row a line of the file is (duplicates are errors).
    KEY_COLUMNS = ("slug",)

    class Meta:
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, *, user=None, expected_versions=None, seen_versions=None, **kwargs):
        """``user`` imports; ``seen_versions`` collects {slug: version, None if new} of the
        records the file touches, and ``expected_versions`` (what the preview collected)
        makes any record changed since then an error of its row."""
        super().__init__()
        self.user = user
        self.expected_versions = expected_versions
        self.seen_versions = {} if seen_versions is None else seen_versions
        self.file_name = ""
        self.row_errors = {}

    @classmethod
    def get_result_class(cls):
        return ImportResult

    @classmethod
    def get_diff_class(cls):
        return Diff

    @classmethod
    def column_names(cls):
        return list(cls._meta.fields)

    @classmethod
    def get_display_name(cls):
        return str(cls._meta.model._meta.verbose_name_plural)

    def get_queryset(self):
        return self._meta.model._default_manager.all()

    # The whole file

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """Check the columns, then import every row, all or nothing."""
        if self.user is None:
            self.user = kwargs.get("user")
        self.file_name = str(kwargs.get("file_name") or "")
        errors, warnings = self.check_columns(dataset)
        if errors:
            result = self.get_result_class()()
            result.headers = list(dataset.headers or [])
            result.diff_headers = self.get_diff_headers()
            result.total_rows = len(dataset)
            for message in errors:
                result.append_base_error(self.get_error_result_class()(ImportFileError(message)))
            return result
        self.row_errors = self.check_rows(dataset)
        kwargs["rollback_on_validation_errors"] = True
        kwargs["use_transactions"] = True
        result = super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)
        result.warnings = warnings
        result.headers = list(dataset.headers)
        return result

    def check_columns(self, dataset):
        """Errors and warnings about the file's column headings; the headings are normalised
        (trimmed, lower case) in place."""
        errors, warnings = [], []
        model = self._meta.model._meta.verbose_name_plural
        headers = [cell_text(header).lower() for header in dataset.headers or []]
        if dataset.headers:
            dataset.headers = headers
        known = self.column_names()
        positions = defaultdict(list)
        for position, name in enumerate(headers, 1):
            positions[name].append(position)
        for name, at in positions.items():
            if len(at) > 1:
                errors.append(
                    _("The column “%(column)s” appears more than once (columns %(at)s).")
                    % {"column": name, "at": ", ".join(column_letter(n) for n in at)}
                )
        for name in positions:
            if name in known:
                continue
            if name in IGNORED_COLUMNS:
                warnings.append(self.ignored_column_message(name))
            else:
                errors.append(
                    _(
                        "Unknown column “%(column)s”. The columns of a file of %(model)s are: "
                        "%(columns)s."
                    )
                    % {"column": name, "model": model, "columns": ", ".join(known)}
                )
        missing = [name for name in self.REQUIRED_COLUMNS if name not in positions]
        if missing:
            errors.append(
                _("Missing column: %(columns)s. A file of %(model)s needs %(required)s.")
                % {
                    "columns": ", ".join(missing),
                    "model": model,
                    "required": ", ".join(self.REQUIRED_COLUMNS),
                }
            )
        return errors, warnings

    def ignored_column_message(self, name):
        if name in {"id", "version"}:
            return _("The column “%(column)s” is ignored: records are found by their slug.") % {
                "column": name
            }
        return _(
            "The column “%(column)s” is ignored: imported records start as drafts, and "
            "records are published through review (an editor submits them, a reviewer "
            "publishes them)."
        ) % {"column": name}

    def check_rows(self, dataset):
        """Errors found by comparing rows: {row number: {column: [messages]}}."""
        errors = defaultdict(dict)
        first = {}
        for number, row in enumerate(dataset.dict, 1):
            key = tuple(cell_text(row.get(name)) for name in self.KEY_COLUMNS)
            if not key[0]:
                continue
            if key in first:
                add_error(
                    errors,
                    number,
                    self.KEY_COLUMNS[-1],
                    _("Row %(row)d already gives this %(model)s: each is given once.")
                    % {
                        "row": sheet_row(first[key]),
                        "model": self.duplicate_name(),
                    },
                )
            else:
                first[key] = number
        return errors

    def duplicate_name(self):
        return self._meta.model._meta.verbose_name

    # One row

    def after_init_instance(self, instance, new, row, **kwargs):
        """Note the version of each record the file touches; with the versions the preview
        saw, a record changed since then is an error of its row."""
        slug = cell_text(row.get("slug"))
        if not slug or slug in self.seen_versions:
            return
        version = None if new else getattr(instance, "version", None)
        self.seen_versions[slug] = version
        if self.expected_versions is None or slug not in self.expected_versions:
            return
        expected = self.expected_versions[slug]
        if expected == version:
            return
        if expected is None:
            message = _("“%(slug)s” was added by someone else after the preview.")
        elif version is None:
            message = _("“%(slug)s” was deleted by someone else after the preview.")
        else:
            message = _(
                "“%(slug)s” was changed by someone else after the preview (version %(then)s "
                "then, %(now)s now)."
            )
        message = message + " " + _("Upload the file again to preview it against the record.")
        add_error(
            self.row_errors,
            kwargs["row_number"],
            NON_FIELD_ERRORS,
            message % {"slug": slug, "then": expected, "now": version},
        )

    def import_instance(self, instance, row, **kwargs):
        """Read every column, then the related rows; report every error of the row at once."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            self.import_related(instance, row)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, messages in self.row_errors.get(kwargs.get("row_number"), {}).items():
            errors.setdefault(name, []).extend(ValidationError(m) for m in messages)
        if errors:
            raise ValidationError(errors)

    def import_related(self, instance, row):
        """Read and check the row's related rows (names, citations); subclasses do."""

    def related_changed(self, instance):
        """Whether the related rows read from this row change anything."""
        return False

    def save_related(self, instance):
        """Write the related rows read from this row."""

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        return not self.related_changed(instance)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.pk is not None and not services.can_edit(self.user, instance):
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                ValidationError(
                    _(
                        "“%(record)s” is published: only reviewers change published records "
                        "and their parts. Leave this row as it is, or ask a reviewer."
                    )
                    % {"record": services.publishable_owner(instance)}
                )
            )
        super().validate_instance(instance, errors, validate_unique)

    def before_save_instance(self, instance, row, **kwargs):
        if instance._state.adding and isinstance(instance, Publishable):
            instance.publication_status = PublicationStatus.DRAFT
        self.mark_history(instance)

    def do_instance_save(self, instance, is_create):
        try:
            super().do_instance_save(instance, is_create)
        except StaleRecordError as error:
            raise ValidationError(str(error)) from error

    def after_save_instance(self, instance, row, **kwargs):
        if self._is_using_transactions(kwargs) or not self._is_dry_run(kwargs):
            self.save_related(instance)

    def mark_history(self, record):
        """Record who imported and from which file in ``record``'s history."""
        reason = _("Imported from %(file)s") % {"file": self.file_name or _("a file")}
        record._history_user = self.user
        record._change_reason = reason[:CHANGE_REASON_LENGTH]

    # Export

    def export(self, queryset=None, **kwargs):
        kwargs.setdefault("escape_formulae", True)
        return super().export(queryset, **kwargs)


def add_error(errors, number, name, message):
    errors.setdefault(number, {}).setdefault(name, []).append(message)


def column_letter(position):
    """A spreadsheet's letter for column ``position`` (1-based): A, B, …, Z, AA, …"""
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --- Sites ---------------------------------------------------------------------------------


class NameVariant(NamedTuple):
    language: str
    name: str
    script: str | None
    kind: str | None


def split_unescaped(text, separator="|"):
    """Split ``text`` at ``separator``; ``\\|`` is a literal bar and ``\\\\`` a backslash."""
    parts, current, chars = [], [], iter(text)
    for char in chars:
        if char == "\\":
            current.append(next(chars, "\\"))
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def escape_name(name):
    return name.replace("\\", "\\\\").replace("|", "\\|")


def format_name(variant):
    """``az/Latn:Hacı Ələkbər məscidi``: script and kind are written when they are set and
    not the default (kind "official")."""
    prefix = variant.language
    if variant.kind != NameKind.OFFICIAL:
        prefix += f"/{variant.script}/{variant.kind}"
    elif variant.script:
        prefix += f"/{variant.script}"
    return f"{prefix}:{escape_name(variant.name)}"


def parse_names(text):
    """The name variants of a ``names`` cell, and the messages about entries it cannot read.

    Entries are separated by ``|``; each is ``language[/script[/kind]]:name``.
    """
    variants, errors = [], []
    for entry in split_unescaped(text):
        entry = entry.strip()
        if not entry:
            continue
        prefix, colon, name = entry.partition(":")
        if not colon or not prefix.strip():
            errors.append(
                _(
                    "“%(entry)s” has no language: write each name as language:name, "
                    "e.g. az:Qarğabazar məscidi."
                )
                % {"entry": entry}
            )
            continue
        parts = [part.strip() for part in prefix.split("/")]
        if len(parts) > 3:
            errors.append(
                _("“%(entry)s”: write language/script/kind:name, with at most two slashes.")
                % {"entry": entry}
            )
            continue
        language, script, kind = (*parts, None, None)[:3]
        if kind:
            folded = kind.casefold()
            with translation.override("en"):
                matches = [
                    value
                    for value, label in NameKind.choices
                    if folded in {value, str(label).casefold()}
                ]
            if not matches:
                errors.append(
                    _("“%(entry)s”: the kind “%(kind)s” is not one of: %(kinds)s.")
                    % {"entry": entry, "kind": kind, "kinds": ", ".join(NameKind.values)}
                )
                continue
            kind = matches[0]
        variants.append(NameVariant(language, name.strip(), script, kind or None))
    return variants, errors


def site_names(site):
    """The site's name variants with those the row being imported adds or changes."""
    names = {}
    if site.pk is not None:
        names = {(n.language, n.name): n for n in site.names.all()}
    for variant in site.__dict__.get("_import_names", []):
        names[(variant.language, variant.name)] = variant
    return "|".join(format_name(names[key]) for key in sorted(names))


def name_problems(entry, error):
    """Messages about a name variant that fails its model's checks, each naming the entry."""
    labels = {field.name: field.verbose_name for field in SiteName._meta.fields}
    for field, problems in error.message_dict.items():
        for problem in problems:
            label = labels.get(field)
            yield (
                _("“%(entry)s”: %(field)s: %(problem)s")
                % {"entry": entry, "field": label, "problem": problem}
                if label
                else _("“%(entry)s”: %(problem)s") % {"entry": entry, "problem": problem}
            )


class SiteResource(RegisterResource):
    """Sites, one a row, with their name variants in the ``names`` column."""

    REQUIRED_COLUMNS = ("slug", "name", "category", "place")

    slug = text("slug")
    name = text("name")
    category = choice(Site, "category")
    place = record("place", Place, required=True)
    latitude = column("latitude", DecimalWidget())
    longitude = column("longitude", DecimalWidget())
    location_precision = choice(Site, "location_precision")
    year_from = column("year_from", WholeNumberWidget())
    year_to = column("year_to", WholeNumberWidget())
    dating_label = text("dating_label")
    registry_number = text("registry_number")
    importance = choice(Site, "importance")
    wikidata_id = text("wikidata_id")
    description = text("description")
    names = RelatedColumn("names", site_names)

    class Meta:
        model = Site
        fields = (
            "slug",
            "name",
            "category",
            "place",
            "latitude",
            "longitude",
            "location_precision",
            "year_from",
            "year_to",
            "dating_label",
            "registry_number",
            "importance",
            "wikidata_id",
            "description",
            "names",
        )

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("place").prefetch_related("names")

    def import_related(self, site, row):
        """Read the ``names`` cell into new and changed :class:`SiteName` rows (not saved)."""
        site._import_names = []
        site._import_names_change = False
        if "names" not in row:
            return
        variants, messages = parse_names(TextWidget().clean(row["names"]))
        existing = {}
        if site.pk is not None:
            existing = {(n.language, n.name): n for n in site.names.all()}
        seen = set()
        for variant in variants:
            key = (variant.language, variant.name)
            entry = f"{variant.language}:{variant.name}"
            if key in seen:
                messages.append(_("“%(entry)s” is listed twice.") % {"entry": entry})
                continue
            seen.add(key)
            name = existing.get(key) or SiteName(language=variant.language, name=variant.name)
            before = (name.pk, name.script, name.kind)
            if variant.script is not None:
                name.script = variant.script
            if variant.kind is not None:
                name.kind = variant.kind
            try:
                name.full_clean(exclude=["site"], validate_unique=False)
            except ValidationError as error:
                messages.extend(name_problems(entry, error))
                continue
            site._import_names.append(name)
            site._import_names_change |= before != (name.pk, name.script, name.kind) or (
                name.pk is None
            )
        if messages:
            raise ValidationError({"names": messages})

    def related_changed(self, site):
        return site.__dict__.get("_import_names_change", False)

    def save_related(self, site):
        for name in site.__dict__.get("_import_names", []):
            name.site = site
            self.mark_history(name)
            name.save()


# --- Reported figures ----------------------------------------------------------------------


class ReportedFigureResource(RegisterResource):
    """Reported figures, one a row, each with the slug of its source."""

    REQUIRED_COLUMNS = ("slug", "metric", "subject", "value", "source")

    slug = text("slug")
    figure_set = text("figure_set")
    metric = text("metric")
    subject = text("subject")
    category = choice(ReportedFigure, "category")
    value = column("value", DecimalWidget())
    unit = text("unit")
    area = record("area", Place)
    area_label = text("area_label")
    period_start = column("period_start", DateWidget())
    period_end = column("period_end", DateWidget())
    period_label = text("period_label")
    reported_by = record("reported_by", Organisation)
    source = record("source", Source, required=True)
    locator = text("locator")
    summary = text("summary")

    class Meta:
        model = ReportedFigure
        fields = (
            "slug",
            "figure_set",
            "metric",
            "subject",
            "category",
            "value",
            "unit",
            "area",
            "area_label",
            "period_start",
            "period_end",
            "period_label",
            "reported_by",
            "source",
            "locator",
            "summary",
        )

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("area", "reported_by", "source")
