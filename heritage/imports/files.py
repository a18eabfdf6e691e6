"""Reading an uploaded file as a table, strictly, and row by row.

:class:`CSV` and :class:`XLSX` read a file's first row as the column headings and the rows
below as the records. A file that is not UTF-8 text, not a workbook, empty, or whose rows do
not fit its headings is refused with an :class:`ImportFileError` that says what to do.

A file is never held whole: :meth:`CSV.open_table` and :meth:`XLSX.open_table` give a
:class:`Table` that reads its rows from a binary stream (the uploaded file as stored in the
database in pieces of a megabyte, read a piece at a time: :class:`StoredFile`) each time it
is iterated. Opening
the table reads the file once to check its shape and count its rows, so a file with a bad
byte or a value without a heading is refused before any row is checked.
"""

import bisect
import csv
import io
import itertools
import zipfile

import tablib
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export.formats import base_formats

from heritage.imports.cells import column_letter, is_blank, sheet_row
from heritage.models import ImportFilePiece

#: Byte signatures of files that are not CSV text.
ZIP_START = b"PK\x03\x04"
OLE_START = b"\xd0\xcf\x11\xe0"
#: The problems of a file's shape named in full (the first ones are enough to mend it).
MAX_SHAPE_PROBLEMS = 20
#: Bytes read from the database at a time.
CHUNK_SIZE = 1024 * 1024


class ImportFileError(ValueError):
    """A file that cannot be read as a table, or whose columns are wrong."""


class StoredFile(io.RawIOBase):
    """The file of an import job as stored in the database, in pieces
    (:class:`~heritage.models.ImportFilePiece`), read a piece of a piece at a time
    (``substr``, which SQLite and PostgreSQL both apply to bytes), so that the file is never
    in memory whole. Opening it reads only the pieces' sizes. Seekable, as a workbook's zip
    archive needs."""

    def __init__(self, job_id):
        super().__init__()
        quote = connection.ops.quote_name
        meta = ImportFilePiece._meta
        self.table = quote(meta.db_table)
        self.data = quote(meta.get_field("data").column)
        self.job = quote(meta.get_field("job").column)
        self.number = quote(meta.get_field("number").column)
        self.job_id = job_id
        self.position = 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {self.number}, length({self.data}) FROM {self.table} "
                f"WHERE {self.job} = %s ORDER BY {self.number}",
                [job_id],
            )
            sizes = cursor.fetchall()
        #: The pieces' numbers, and the offset in the file at which each starts.
        self.numbers = [number for number, _size in sizes]
        self.starts = list(itertools.accumulate((size or 0 for _n, size in sizes), initial=0))
        self.size = self.starts.pop()

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.position

    def seek(self, offset, whence=io.SEEK_SET):
        start = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, start + offset)
        return self.position

    def readinto(self, buffer):
        """Read into ``buffer`` from the one piece that holds the current position (a short
        read at the end of a piece; the buffered reader asks again)."""
        if self.position >= self.size or not len(buffer):
            return 0
        index = bisect.bisect_right(self.starts, self.position) - 1
        end = self.starts[index + 1] if index + 1 < len(self.starts) else self.size
        offset = self.position - self.starts[index]
        wanted = min(len(buffer), end - self.position)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT substr({self.data}, %s, %s) FROM {self.table} "
                f"WHERE {self.job} = %s AND {self.number} = %s",
                [offset + 1, wanted, self.job_id, self.numbers[index]],
            )
            found = cursor.fetchone()
        piece = bytes(found[0] or b"") if found else b""
        buffer[: len(piece)] = piece
        self.position += len(piece)
        return len(piece)


def open_stored(job_id):
    """A buffered binary stream of the file of the import job ``job_id``."""
    return io.BufferedReader(StoredFile(job_id), buffer_size=CHUNK_SIZE)


def binary_stream(data):
    """A binary stream of ``data`` (bytes, text or a binary stream)."""
    if isinstance(data, str):
        data = data.encode()
    if isinstance(data, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(data))
    return data if data is not None else io.BytesIO(b"")


class Table:
    """A file's rows under its headings, read from the file again on each iteration.

    What :func:`table` did with a whole file is done here in one reading: trailing empty
    rows and empty columns without a heading are dropped, a short row is padded, and a row
    with values beyond the last heading, a heading missing above values, or a file without
    rows is refused. Only the row count, the headings and the problems are kept.

    ``rows`` is a function giving a new iterator over the file's rows, headings first.
    Like a ``tablib.Dataset``: ``headers`` (which may be replaced) and ``len()``;
    iterating gives each row as a list in the order of ``headers``.
    """

    def __init__(self, rows):
        self.rows = rows
        reader = rows()
        first = next(reader, None)
        if first is None:
            raise ImportFileError(_("The file is empty."))
        headers = ["" if header is None else str(header).strip() for header in first]
        if not any(headers):
            raise ImportFileError(_("The first row must hold the column headings; it is empty."))
        self.width = width = len(headers)
        unnamed = {position for position, header in enumerate(headers) if not header}
        problems, filled = [], set()
        last = 0
        for count, row in enumerate(reader, 1):
            if any(not is_blank(value) for value in row):
                last = count
            extra = [value for value in row[width:] if not is_blank(value)]
            if extra and len(problems) < MAX_SHAPE_PROBLEMS:
                problems.append(
                    ngettext(
                        "Row %(row)d has %(count)d value past the last column heading (%(last)s).",
                        "Row %(row)d has %(count)d values past the last column heading (%(last)s).",
                        len(extra),
                    )
                    % {"row": sheet_row(count), "count": len(extra), "last": column_letter(width)}
                )
            for position in unnamed - filled:
                if position < len(row) and not is_blank(row[position]):
                    filled.add(position)
        if not last:
            raise ImportFileError(_("The file has column headings but no rows to import."))
        problems.extend(
            _("Column %(column)s has values but no heading.")
            % {"column": column_letter(position + 1)}
            for position in sorted(filled)
        )
        if problems:
            raise ImportFileError(" ".join(problems))
        self.count = last
        self.keep = [position for position in range(width) if headers[position]]
        self.headers = [headers[position] for position in self.keep]

    def __len__(self):
        return self.count

    def __iter__(self):
        reader = self.rows()
        next(reader, None)
        width, keep = self.width, self.keep
        for _number, row in zip(range(self.count), reader, strict=False):
            row = list(row[:width]) + [""] * (width - len(row))
            yield [row[position] for position in keep]

    def dataset(self):
        """The whole table as a ``tablib.Dataset`` (for small files: exports read back)."""
        dataset = tablib.Dataset(headers=self.headers)
        for row in self:
            dataset.append(row)
        return dataset


def csv_lines(stream):
    """The lines of a CSV file's binary ``stream`` as text, refused with a message naming
    the line if one is not UTF-8; ``stream`` is read from its start."""
    stream.seek(0)
    for number, line in enumerate(stream, 1):
        try:
            yield line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _(
                    "The file is not UTF-8 text: line %(line)d holds a byte (0x%(byte)02X) "
                    "that UTF-8 cannot read, as in a file saved as Latin-1 or Windows-1252. "
                    "In a spreadsheet, save it as CSV UTF-8 and upload that file."
                )
                % {"line": number, "byte": line[error.start]}
            ) from None


def refuse_binary(stream):
    """Refuse a zip archive, and a file with a NUL byte anywhere: binary, or UTF-16 text,
    not CSV text."""
    stream.seek(0)
    start = stream.read(len(ZIP_START))
    stream.seek(0)
    if start == ZIP_START:
        raise ImportFileError(
            _(
                "This is a zip archive (perhaps an XLSX workbook), not CSV text: choose "
                "the format XLSX, or save the sheet as CSV UTF-8."
            )
        )
    for piece in iter(lambda: stream.read(CHUNK_SIZE), b""):
        if b"\x00" in piece:
            raise ImportFileError(
                _(
                    "This is a binary file (or UTF-16 text), not CSV text in UTF-8. In a "
                    "spreadsheet, save it as CSV UTF-8 and upload that file."
                )
            )
    stream.seek(0)


def csv_rows(stream):
    """The rows of a CSV file's binary ``stream``, headings first; nothing for a file of
    nothing but spaces and empty lines."""
    lines = csv_lines(stream)
    first = ""
    for line in lines:
        first += line
        if first.strip():
            break
    else:
        return
    delimiter = ";" if first.count(";") > first.count(",") else ","

    def all_lines():
        yield first
        yield from lines

    try:
        yield from csv.reader(all_lines(), delimiter=delimiter)
    except csv.Error as error:
        raise ImportFileError(
            _("The file cannot be read as CSV: %(error)s.") % {"error": error}
        ) from None


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

    def open_table(self, stream):
        """The :class:`Table` of a binary stream (seekable: it is read more than once)."""
        refuse_binary(stream)
        return Table(lambda: csv_rows(stream))

    def create_dataset(self, in_stream, **kwargs):
        return self.open_table(binary_stream(in_stream)).dataset()

    def export_data(self, dataset, **kwargs):
        # With a byte-order mark, spreadsheets open the file as UTF-8.
        return "\ufeff" + super().export_data(dataset, **kwargs)


def xlsx_rows(stream):
    """The rows of the first sheet of the workbook in the binary ``stream``."""
    import openpyxl

    stream.seek(0)
    start = stream.read(len(ZIP_START))
    stream.seek(0)
    if not start.strip() and not any(piece.strip() for piece in iter(stream.read1, b"")):
        raise ImportFileError(_("The file is empty."))
    stream.seek(0)
    if start == OLE_START:
        raise ImportFileError(
            _("This is an old Excel workbook (.xls): save it as .xlsx or as CSV UTF-8.")
        )
    if start != ZIP_START:
        raise ImportFileError(
            _("This is not an XLSX workbook; for a CSV file, choose the format CSV.")
        )
    try:
        book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        try:
            empty = True
            for row in book.worksheets[0].iter_rows(values_only=True):
                empty = False
                yield list(row)
        finally:
            book.close()
    except (zipfile.BadZipFile, KeyError, IndexError, OSError, ValueError, TypeError):
        raise ImportFileError(
            _("The workbook cannot be read: it is damaged, or not an XLSX workbook.")
        ) from None
    if empty:
        raise ImportFileError(_("The first sheet of the workbook is empty."))


class XLSX(base_formats.XLSX):
    """An Excel workbook (.xlsx); the first sheet is read, formulas as their values."""

    def open_table(self, stream):
        return Table(lambda: xlsx_rows(stream))

    def create_dataset(self, in_stream):
        return self.open_table(binary_stream(in_stream)).dataset()


FORMATS = [CSV, XLSX]
