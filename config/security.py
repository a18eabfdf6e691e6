"""Security of every request and response, beside django-csp and Django's own middleware.

- :func:`client_ip`: the client's address, for login throttling (django-axes'
  ``AXES_CLIENT_IP_CALLABLE``).
- :class:`InvalidParameterMiddleware`: a query string holding bytes that are not UTF-8, or
  characters no parameter may hold (NUL and other control characters), is answered 400
  naming the parameter, before any view or database sees it. PostgreSQL refuses a NUL in
  any text it is given; without this check such a value would be a server error wherever a
  parameter reaches a query (the admin's list filters, its search and autocomplete…).
- :class:`PermissionsPolicyMiddleware`: the ``Permissions-Policy`` header on every response.

Behind reverse proxies, ``REMOTE_ADDR`` is the nearest proxy's address. Each proxy appends
the address it received the request from to ``X-Forwarded-For``, so with
``TRUSTED_PROXY_COUNT`` proxies in front of the app, the client is the entry that many places
from the right. Entries further left were sent by the client itself and are never believed.
"""

import ipaddress
import unicodedata
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


def client_ip(request):
    """The address of the client that made ``request``, as the trusted proxies report it."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count < 1:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < count:
        # Fewer addresses than proxies: the request did not come through all of them.
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


#: Control characters a parameter may hold: whitespace that a form field can send.
ALLOWED_CONTROLS = frozenset("\t\n\r")


def refused_character(text):
    """The first character of ``text`` that no parameter may hold, or None.

    Refused: control characters other than tab and line breaks (NUL among them),
    surrogates, and U+FFFD, the character that stands for bytes that were not UTF-8.
    """
    for char in text:
        if char in ALLOWED_CONTROLS:
            continue
        if char == "\ufffd" or unicodedata.category(char) in {"Cc", "Cs"}:
            return char
    return None


def query_pairs(query_string):
    """(name, value) of each parameter of a raw query string (bytes), as bytes, in order."""
    for part in query_string.split(b"&"):
        if not part:
            continue
        name, _sep, value = part.partition(b"=")
        yield (
            unquote_to_bytes(name.replace(b"+", b" ")),
            unquote_to_bytes(value.replace(b"+", b" ")),
        )


def raw_query_string(request):
    """The query string as the client sent it, in bytes.

    Servers hand it over as text decoded from latin-1 (WSGI), which gives back the bytes;
    text that is not latin-1 can only have come as UTF-8.
    """
    query_string = request.META.get("QUERY_STRING", "")
    if isinstance(query_string, bytes):
        return query_string
    try:
        return query_string.encode("latin-1")
    except UnicodeEncodeError:
        return query_string.encode("utf-8", errors="surrogatepass")


def parameter_problem(query_string):
    """What is wrong with a raw query string, as a sentence naming the parameter, or None."""
    found = named_parameter_problem(query_string)
    return found[1] if found else None


def named_parameter_problem(query_string):
    """(the parameter's name as shown, the sentence) of the first parameter of a raw query
    string that is refused, or None."""
    for raw_name, raw_value in query_pairs(query_string):
        name = raw_name.decode("utf-8", errors="replace")
        shown = "".join(f"\\u{ord(char):04x}" if refused_character(char) else char for char in name)
        for part, raw in (("name", raw_name), ("value", raw_value)):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                message = (
                    _("Parameter “%(name)s”: its name is not valid UTF-8 text.")
                    if part == "name"
                    else _("Parameter “%(name)s”: its value is not valid UTF-8 text.")
                )
                return shown, message % {"name": shown}
            char = refused_character(text)
            if char is not None:
                message = (
                    _(
                        "Parameter “%(name)s”: its name holds a character that is not "
                        "allowed, %(code)s (%(char)s)."
                    )
                    if part == "name"
                    else _(
                        "Parameter “%(name)s”: its value holds a character that is not "
                        "allowed, %(code)s (%(char)s)."
                    )
                )
                return shown, message % {
                    "name": shown,
                    "code": f"U+{ord(char):04X}",
                    "char": unicodedata.name(char, _("a control character")),
                }
    return None


class InvalidParameterMiddleware:
    """Answers 400, naming the parameter, to a query string that holds bytes that are not
    UTF-8 or a character that no parameter may hold (see :func:`refused_character`): in
    plain text, or under ``/api/`` in the read API's JSON shape of a refused parameter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query_string = raw_query_string(request)
        if query_string:
            found = named_parameter_problem(query_string)
            if found:
                name, problem = found
                if request.path_info.startswith("/api/"):
                    return JsonResponse(
                        {
                            "detail": _("Some query parameters have invalid values."),
                            "parameters": {name: [problem]},
                        },
                        status=400,
                    )
                return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


#: Browser features the register never uses, refused to every page and anything it embeds.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` to every response that does not set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
