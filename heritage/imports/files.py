"""Reading an uploaded file as a table, strictly.

:class:`CSV` and :class:`XLSX` read a file's first row as the column headings and the rows
below as the records. A file that is not UTF-8 text, not a workbook, empty, or whose rows do
not fit its headings is refused with an :class:`ImportFileError` that says what to do.
"""

import csv
import io
import zipfile

import tablib
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export.formats import base_formats

from heritage.imports.cells import column_letter, is_blank, sheet_row

#: Byte signatures of files that are not CSV text.
ZIP_START = b"PK\x03\x04"
OLE_START = b"\xd0\xcf\x11\xe0"


class ImportFileError(ValueError):
    """A file that cannot be read as a table, or whose columns are wrong."""


def table(headers, rows):
    """A dataset from a file's first row (headings) and the rows below it.

    Trailing empty rows and empty columns without a heading are dropped; a short row is
    padded. A row with values beyond the last heading, a heading missing above values, or a
    file without rows is refused.
    """
    headers = ["" if header is None else str(header).strip() for header in headers]
    while rows and all(is_blank(value) for value in rows[-1]):
        rows.pop()
    if not any(headers):
        raise ImportFileError(_("The first row must hold the column headings; it is empty."))
    if not rows:
        raise ImportFileError(_("The file has column headings but no rows to import."))
    width = len(headers)
    problems = []
    for number, row in enumerate(rows, 1):
        extra = [value for value in row[width:] if not is_blank(value)]
        if extra:
            problems.append(
                ngettext(
                    "Row %(row)d has %(count)d value past the last column heading (%(last)s).",
                    "Row %(row)d has %(count)d values past the last column heading (%(last)s).",
                    len(extra),
                )
                % {"row": sheet_row(number), "count": len(extra), "last": column_letter(width)}
            )
    unnamed = [position for position, header in enumerate(headers) if not header]
    for position in unnamed:
        if any(position < len(row) and not is_blank(row[position]) for row in rows):
            problems.append(
                _("Column %(column)s has values but no heading.")
                % {"column": column_letter(position + 1)}
            )
    if problems:
        raise ImportFileError(" ".join(problems))
    keep = [position for position in range(width) if headers[position]]
    dataset = tablib.Dataset(headers=[headers[position] for position in keep])
    for row in rows:
        row = list(row[:width]) + [""] * (width - len(row))
        dataset.append([row[position] for position in keep])
    return dataset


class CSV(base_formats.CSV):
    """CSV in UTF-8 (a byte-order mark is allowed), separated by commas or semicolons.

    The bytes are decoded here rather than by the library, so that a file in another
    encoding is refused with a message naming the line, never read as garbled text.
    """

    CONTENT_TYPE = "text/csv; charset=utf-8"

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        data = in_stream.encode() if isinstance(in_stream, str) else bytes(in_stream or b"")
        if not data.strip():
            raise ImportFileError(_("The file is empty."))
        if data.startswith(ZIP_START):
            raise ImportFileError(
                _(
                    "This is a zip archive (perhaps an XLSX workbook), not CSV text: choose "
                    "the format XLSX, or save the sheet as CSV UTF-8."
                )
            )
        if b"\x00" in data:
            raise ImportFileError(
                _(
                    "This is a binary file (or UTF-16 text), not CSV text in UTF-8. In a "
                    "spreadsheet, save it as CSV UTF-8 and upload that file."
                )
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise ImportFileError(
                _(
                    "The file is not UTF-8 text: line %(line)d holds a byte (0x%(byte)02X) "
                    "that UTF-8 cannot read, as in a file saved as Latin-1 or Windows-1252. "
                    "In a spreadsheet, save it as CSV UTF-8 and upload that file."
                )
                % {"line": line, "byte": data[error.start]}
            ) from None
        if not text.strip():
            raise ImportFileError(_("The file is empty."))
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as error:
            raise ImportFileError(
                _("The file cannot be read as CSV: %(error)s.") % {"error": error}
            ) from None
        if not rows:
            raise ImportFileError(_("The file is empty."))
        return table(rows[0], rows[1:])

    def export_data(self, dataset, **kwargs):
        # With a byte-order mark, spreadsheets open the file as UTF-8.
        return "\ufeff" + super().export_data(dataset, **kwargs)


class XLSX(base_formats.XLSX):
    """An Excel workbook (.xlsx); the first sheet is read, formulas as their values."""

    def create_dataset(self, in_stream):
        import openpyxl

        data = bytes(in_stream or b"")
        if not data.strip():
            raise ImportFileError(_("The file is empty."))
        if data.startswith(OLE_START):
            raise ImportFileError(
                _("This is an old Excel workbook (.xls): save it as .xlsx or as CSV UTF-8.")
            )
        if not data.startswith(ZIP_START):
            raise ImportFileError(
                _("This is not an XLSX workbook; for a CSV file, choose the format CSV.")
            )
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
            finally:
                book.close()
        except (zipfile.BadZipFile, KeyError, IndexError, OSError, ValueError, TypeError):
            raise ImportFileError(
                _("The workbook cannot be read: it is damaged, or not an XLSX workbook.")
            ) from None
        if not rows:
            raise ImportFileError(_("The first sheet of the workbook is empty."))
        return table(rows[0], rows[1:])


FORMATS = [CSV, XLSX]
