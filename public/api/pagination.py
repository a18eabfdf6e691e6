"""Cursor pagination: every list of the API is in a fixed order of the records' ids, and a
page is found from the last id of the page before (``WHERE id > ... ORDER BY id LIMIT n``),
so page 10,000 costs what page 1 does, and records added meanwhile never shift a page.

``cursor`` is opaque: clients follow the ``next`` and ``previous`` links. ``page_size`` is a
whole number from 1 to ``API_MAX_PAGE_SIZE`` (default 100); anything else is a 400 naming
the parameter, as is a cursor the API did not make.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

from public.api.errors import InvalidParameters

DEFAULT_PAGE_SIZE = 25
#: Ids are 64-bit: a cursor beyond them is not one the API made.
LARGEST_ID = 2**63 - 1


class IdCursorPagination(CursorPagination):
    ordering = "id"
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    cursor_query_description = (
        "Where the page starts: the value in the `next` or `previous` link of the page before. "
        "Leave it out for the first page."
    )

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:  # left out or empty, as a form leaves an empty field
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise InvalidParameters.one(
                self.page_size_query_param,
                _("Give a whole number from 1 to %(largest)s.") % {"largest": self.max_page_size},
            )
        return int(raw)

    def decode_cursor(self, request):
        message = _("This cursor was not made by the API: follow the next and previous links.")
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise InvalidParameters.one(self.cursor_query_param, message) from None
        if cursor is not None and cursor.position is not None:
            position = cursor.position
            if not (position.isascii() and position.isdigit() and int(position) <= LARGEST_ID):
                raise InvalidParameters.one(self.cursor_query_param, message)
        return cursor

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Records per page, from 1 to {self.max_page_size} (default {self.page_size})."
                )
                parameter["schema"].update(
                    {"minimum": 1, "maximum": self.max_page_size, "default": self.page_size}
                )
        return parameters
