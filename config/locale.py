"""Which language a request is answered in.

The public website's pages live at one address per language (``i18n_patterns`` in
``config.urls``): English unprefixed, ``/az/…`` and ``/ar/…``. For those, and for every
other unprefixed address outside the two below, the address alone decides: a language
cookie or the browser's ``Accept-Language`` never changes what a URL shows, so a link to a
page shows everyone the same page, and an unprefixed URL is always English.

The admin and the API have no address per language: staff and API clients still get their
browser's (or client's) preferred language there, as Django's ``LocaleMiddleware`` would
give it, and those answers vary on ``Accept-Language``.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin

#: Address prefixes answered in the language the client prefers.
NEGOTIATED_PREFIXES = ("/admin/", "/api/")


def is_negotiated(request):
    return request.path_info.startswith(NEGOTIATED_PREFIXES)


class UrlLanguageMiddleware(MiddlewareMixin):
    """In place of Django's ``LocaleMiddleware``: the language prefix of the path, else
    English, except under :data:`NEGOTIATED_PREFIXES` (see the module's docstring)."""

    def process_request(self, request):
        if is_negotiated(request):
            language = translation.get_language_from_request(request, check_path=False)
        else:
            language = (
                translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
            )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if is_negotiated(request):
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
