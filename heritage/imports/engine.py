"""Running a file through a resource in batches: checking every row, and writing them in bulk.

A file is read :data:`BATCH_SIZE` rows at a time. For each batch the records the rows name
are read with a few queries (the records by slug, their names or citations, the records
their columns refer to), so checking a row asks the database nothing of its own. Each row
is then read by its resource (every column and related row) and checked by the model's own
rules (``full_clean``, without the queries it would make for each row: uniqueness, since
slugs are matched to records and duplicates in the file are errors of their rows; the
existence of related records, which were just read; and the database's check constraints,
which the fields' own validation mirrors and the database enforces when the rows are
written).

:func:`check_file` writes nothing: it gives an :class:`Outcome` with the counts, every
problem (the first :data:`MAX_PROBLEMS` in full), the first :data:`PREVIEW_ROWS` rows with
their changes marked, and the version of each existing record the file touches.
:func:`write_file` runs the same checks again and writes the batches with bulk queries, their
history rows and the admin's log entries, inside the caller's transaction: any problem
raises :class:`ImportAborted` and the caller's transaction is rolled back, so nothing is
written. What is kept between batches is small per row (the slug and version of a record
that exists, and a hash of each key while the rows are compared with each other); the file
itself is read from the database a piece at a time, and the garbage of the batches is
collected as they go (:data:`COLLECT_EVERY`), so memory hardly grows with the file's size.
"""

import gc
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from heritage import services
from heritage.base import PublicationStatus, Publishable
from heritage.imports.cells import RecordWidget, cell_text, column_letter, sheet_row
from heritage.imports.preview import Problem, stale_message
from heritage.imports.writing import WriteConflict, write_records

#: Rows read, checked and written together.
BATCH_SIZE = 500
#: Problems kept in full (the rest are counted).
MAX_PROBLEMS = 500
#: Rows of the preview shown with their cells.
PREVIEW_ROWS = 100
#: Batches after which the garbage of the last ones is collected. A batch's records, their
#: names and their checks refer to each other in cycles, which reference counting never
#: frees; Python's own full collections grow rarer as its heap grows, so without these the
#: memory of a run grew with the file (some 2 kB a row). A full collection takes tens of
#: milliseconds; a batch, hundreds.
COLLECT_EVERY = 4


class ImportAborted(Exception):
    """A problem found while writing: the transaction must be rolled back."""

    def __init__(self, outcome):
        super().__init__("The import has problems; nothing may be written.")
        self.outcome = outcome


@dataclass
class Outcome:
    """What a run found: plain data, kept on the import's job."""

    total: int = 0
    read: int = 0
    counts: dict = field(default_factory=lambda: {"new": 0, "changed": 0, "unchanged": 0})
    problems: list = field(default_factory=list)
    problem_count: int = 0
    warnings: list = field(default_factory=list)
    headers: list = field(default_factory=list)
    diff_headers: list = field(default_factory=list)
    preview: list = field(default_factory=list)
    versions: dict = field(default_factory=dict)
    written: int = 0

    def add_problem(self, row, column, letter, message):
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(row, column, letter, str(message))._asdict())

    def as_dict(self):
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


ACTIONS = {"new": "new", "update": "changed", "skip": "unchanged"}


class Run:
    """One pass over a file with a resource; ``write`` makes it write each batch."""

    def __init__(self, resource, dataset, *, write=False, expected_versions=None, progress=None):
        self.resource = resource
        self.dataset = dataset
        self.write = write
        self.expected_versions = expected_versions
        self.progress = progress or (lambda outcome: None)
        self.outcome = Outcome(total=len(dataset))
        self.model = resource._meta.model
        self.fields = list(resource.get_import_fields())
        self.may_review = services.can_review(resource.user, self.model)
        #: Foreign keys hold records read from the database (or checked by their column):
        #: they exist, and asking again for each row would cost a query each.
        self.foreign_keys = [
            f.name for f in self.model._meta.concrete_fields if f.many_to_one and f.null
        ] + [column.attribute for column in self.fields if isinstance(column.widget, RecordWidget)]
        #: Records of this run by slug, for files that give a record on several rows.
        self.records = {}

    # The whole file

    def run(self):
        outcome, resource, dataset = self.outcome, self.resource, self.dataset
        errors, warnings = resource.check_columns(dataset)
        outcome.headers = list(dataset.headers or [])
        outcome.warnings = [str(w) for w in warnings]
        outcome.diff_headers = [str(h) for h in resource.get_diff_headers()]
        for message in errors:
            outcome.add_problem(None, "", "", message)
        if errors:
            return self.finish()
        resource.row_errors = resource.check_rows(dataset)
        headers = outcome.headers
        rows = []
        for number, values in enumerate(dataset, 1):
            rows.append((number, dict(zip(headers, values, strict=False))))
            if len(rows) == BATCH_SIZE:
                self.run_rows(rows)
                rows = []
        if rows:
            self.run_rows(rows)
        return self.finish()

    def run_rows(self, rows):
        self.run_batch(rows)
        self.outcome.read += len(rows)
        if self.outcome.read % (COLLECT_EVERY * BATCH_SIZE) == 0:
            gc.collect()
        self.progress(self.outcome)

    def finish(self):
        if self.write and self.outcome.problem_count:
            raise ImportAborted(self.outcome)
        return self.outcome

    # One batch

    def run_batch(self, rows):
        resource = self.resource
        slugs = {cell_text(row.get("slug")) for _n, row in rows} - {""}
        existing = {
            record.slug: record for record in resource.load_records(slugs - set(self.records))
        }
        self.preload(rows)
        checked = []
        for number, row in rows:
            slug = cell_text(row.get("slug"))
            instance = self.records.get(slug) or existing.get(slug)
            new = instance is None
            if new:
                instance = resource.init_instance(row)
                if resource.REPEATED_ROWS and slug:
                    self.records[slug] = instance
            elif slug in self.records and instance.pk is None:
                new = None  # a record given again, new in this file
            checked.append((number, row, instance, new))
        resource.prepare_batch([instance for _n, _r, instance, _new in checked])
        changed, related = {}, []
        for number, row, instance, new in checked:
            action = self.check_row(number, row, instance, new)
            if action is None:
                continue
            if action != "skip":
                changed[id(instance)] = instance
            related.extend(resource.related_rows(instance))
            if resource.REPEATED_ROWS:
                self.records[cell_text(row.get("slug"))] = instance
        if self.write and not self.outcome.problem_count:
            self.write_batch(list(changed.values()), related)

    def preload(self, rows):
        """Read the records the batch's cells name, one query a column."""
        for column in self.fields:
            widget = column.widget
            if isinstance(widget, RecordWidget) and column.column_name in self.outcome.headers:
                widget.preload({cell_text(row.get(column.column_name)) for _n, row in rows})
        self.resource.preload_related(rows)

    def check_row(self, number, row, instance, new):
        """Read and check one row; its action (new, update, skip), or None if it has
        problems (which are noted)."""
        resource, outcome = self.resource, self.outcome
        diff = None
        if len(outcome.preview) < PREVIEW_ROWS:
            diff = resource.get_diff_class()(resource, instance, bool(new))
        before = None if new else self.values(instance)
        status = None if new else instance.publication_status
        resource.after_init_instance(instance, bool(new), row, row_number=number)
        self.check_version(number, row, instance, new)
        errors = {}
        try:
            resource.import_instance(instance, row, row_number=number)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if new and isinstance(instance, Publishable):
            instance.publication_status = PublicationStatus.DRAFT
        try:
            instance.full_clean(
                exclude=[*errors, *self.foreign_keys],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if new:
            action = "new"
        elif new is None:
            action = "update" if resource.related_changed(instance) else "skip"
        elif before != self.values(instance) or resource.related_changed(instance):
            action = "update"
        else:
            action = "skip"
        if action == "update" and status == PublicationStatus.PUBLISHED and not self.may_review:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                ValidationError(resource.published_message(instance))
            )
        if errors:
            self.note_problems(number, errors)
            return None
        outcome.counts[ACTIONS[action]] += 1
        if diff is not None:
            diff.compare_with(resource, instance)
            outcome.preview.append(
                {
                    "row": sheet_row(number),
                    "action": action,
                    "cells": [cell._asdict() for cell in diff.as_html()],
                }
            )
        return action

    def values(self, instance):
        return [
            getattr(instance, column.attribute, None) for column in self.fields if column.attribute
        ]

    def check_version(self, number, row, instance, new):
        """Note the version of the record a row changes; when writing, stop at a record
        that is not at the version the preview saw. Only records that exist are noted (and
        every record of a resource whose records take several rows, whose later rows are
        not checked again): a slug the preview did not note was new then, and must still
        be, so a file of new sites keeps nothing a row."""
        slug = cell_text(row.get("slug"))
        if not slug or slug in self.outcome.versions:
            return
        version = None if new else getattr(instance, "version", None)
        if version is not None or self.resource.REPEATED_ROWS:
            self.outcome.versions[slug] = version
        if self.expected_versions is None:
            return
        message = stale_message(slug, self.expected_versions.get(slug), version)
        if message:
            self.resource.row_errors.setdefault(number, {}).setdefault(NON_FIELD_ERRORS, []).append(
                message
            )

    def note_problems(self, number, errors):
        outcome = self.outcome
        order = {name: position for position, name in enumerate(outcome.headers)}
        for name in sorted(errors, key=lambda n: -1 if n == NON_FIELD_ERRORS else order.get(n, 99)):
            column = "" if name == NON_FIELD_ERRORS else name
            letter = ""
            if column in outcome.headers:
                letter = column_letter(outcome.headers.index(column) + 1)
            for error in errors[name]:
                for message in error.messages if isinstance(error, ValidationError) else [error]:
                    outcome.add_problem(sheet_row(number), column, letter, message)

    # Writing

    def write_batch(self, changed, related):
        """Write the batch's new and changed records, their related rows and history."""
        try:
            self.outcome.written += write_records(self.resource, self.model, changed, related)
        except WriteConflict as conflict:
            self.outcome.add_problem(None, "", "", str(conflict))
            raise ImportAborted(self.outcome) from None


def check_file(resource, dataset, *, progress=None):
    """Check every row of ``dataset``; nothing is written."""
    return Run(resource, dataset, progress=progress).run()


def write_file(resource, dataset, *, expected_versions, progress=None):
    """Check and write every row of ``dataset`` in the caller's transaction; raises
    :class:`ImportAborted` (roll back!) if any row has a problem."""
    return Run(
        resource, dataset, write=True, expected_versions=expected_versions, progress=progress
    ).run()
