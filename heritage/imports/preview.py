"""What the preview of an import shows, and what it hands on to the confirmation.

The preview checks the whole file without writing anything
(:mod:`heritage.imports.engine`): every problem with its spreadsheet row and column
(:class:`Problem`), or every row as new, changed (with the changes marked, :class:`Diff`)
or unchanged. The job keeps the versions of the records the preview compared against, so a
record changed before the confirmation stops the import (:func:`stale_message`) instead of
being overwritten.
"""

from collections import defaultdict
from typing import NamedTuple

from diff_match_patch import diff_match_patch
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from import_export import resources

from heritage.base import REVIEW_FIELDS
from heritage.imports.cells import cell_text, column_letter

#: Columns a file may carry that an import never reads: how records are published is decided
#: by review, and records are found by slug. They are reported as ignored in the preview.
IGNORED_COLUMNS = ("id", "version", *REVIEW_FIELDS)

#: Unchanged text longer than this is shortened in the preview (the whole text is its title).
PREVIEW_LENGTH = 120


# --- The columns of the file ---------------------------------------------------------------


def check_headers(dataset, known, required, model):
    """Errors and warnings about the column headings of a file of ``model`` (its plural
    name), which may have the columns ``known`` and must have ``required``. The headings are
    normalised (trimmed, lower case) in place."""
    errors, warnings = [], []
    headers = [cell_text(header).lower() for header in dataset.headers or []]
    if dataset.headers:
        dataset.headers = headers
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
            warnings.append(ignored_column_message(name))
        else:
            errors.append(
                _(
                    "Unknown column “%(column)s”. The columns of a file of %(model)s are: "
                    "%(columns)s."
                )
                % {"column": name, "model": model, "columns": ", ".join(known)}
            )
    missing = [name for name in required if name not in positions]
    if missing:
        errors.append(
            _("Missing column: %(columns)s. A file of %(model)s needs %(required)s.")
            % {"columns": ", ".join(missing), "model": model, "required": ", ".join(required)}
        )
    return errors, warnings


def ignored_column_message(name):
    if name in {"id", "version"}:
        return _("The column “%(column)s” is ignored: records are found by their slug.") % {
            "column": name
        }
    return _(
        "The column “%(column)s” is ignored: imported records start as drafts, and "
        "records are published through review (an editor submits them, a reviewer "
        "publishes them)."
    ) % {"column": name}


def add_error(errors, number, name, message):
    """Note ``message`` about column ``name`` of row ``number`` in {row: {column: [...]}}."""
    errors.setdefault(number, {}).setdefault(name, []).append(message)


# --- From the preview to the confirmation --------------------------------------------------


def stale_message(slug, expected, version):
    """Why the record ``slug`` stops the import, if it is no longer at the ``expected``
    version the preview saw (None: it did not exist); None if it is."""
    if expected == version:
        return None
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
    return message % {"slug": slug, "then": expected, "now": version}


# --- What the preview shows ----------------------------------------------------------------


class DiffCell(NamedTuple):
    html: str
    changed: bool
    #: The whole text of a cell shortened for the preview, else "".
    full: str = ""


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
