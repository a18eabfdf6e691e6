"""HTTP caching of the public pages and exports: ETag, Last-Modified, 304 and Cache-Control.

What a public page shows changes only when the register does, so its validators come from
the register's version, as the API's do (``public.api.conditional.register_state``): the
ETag is a digest of the versions, the address, the language and the CSRF cookie (a page with
a form holds a token made from it), and Last-Modified is when this server first answered at
those versions. A conditional GET that matches is answered 304 before any view runs.

``Cache-Control``: ``public, max-age=HTTP_CACHE_MAX_AGE`` for a request that carries no
cookie and whose answer sets none, so that a shared cache (nginx, Varnish) may keep it;
``Vary: Cookie`` is then left out, since nothing in such an answer came from a cookie.
``private, no-cache`` for other anonymous requests, and ``private, no-store`` for signed-in
staff, whose pages show what the public does not see. The admin, the API (which has its
own validators) and the language switch are left alone, as are answers other than 200.

The app also keeps whole answers to cookie-less requests in its own cache (Redis in
production) for ``PAGE_CACHE_SECONDS``, keyed by the ETag (so by the register's version,
address and language) and the scheme and host the page's absolute links use: a repeated
request for a page costs a few cache reads and no query or template, whether or not a proxy
sits in front. An edit changes the register's version, so no kept answer outlives it.
Streamed answers (the exports), answers that set a cookie and answers larger than
``PAGE_CACHE_MAX_BYTES`` are not kept.
"""

import hashlib

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import get_urlconf
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language_from_request
from django.utils.translation.trans_real import get_language_from_path

from heritage.cache import reading_at_one_version
from public.api.conditional import register_state

#: Paths whose answers this middleware leaves alone.
EXCLUDED_PREFIXES = ("/admin/", "/api/", "/i18n/", "/healthz", "/static/", "/media/")


def request_language(request):
    """The language the page will be in, as ``LocaleMiddleware`` will choose it."""
    urlconf = getattr(request, "urlconf", None) or get_urlconf() or settings.ROOT_URLCONF
    prefixed, _default_prefixed = is_language_prefix_patterns_used(urlconf)
    if prefixed:
        language = get_language_from_path(request.path_info)
        if language:
            return language
    return get_language_from_request(request, check_path=prefixed)


def cookieless(request):
    return not request.COOKIES


def page_etag(request, state, csrf_cookie):
    version, last_modified = state
    digest = hashlib.sha256(
        "\n".join(
            [
                version,
                str(last_modified),
                request.get_full_path(),
                request_language(request) or "",
                csrf_cookie or "",
            ]
        ).encode()
    ).hexdigest()
    return f'"{digest[:32]}"'


#: Headers of a kept answer that :meth:`PublicHttpCacheMiddleware.describe` sets anew.
DESCRIBED = {"etag", "last-modified", "cache-control"}


def page_key(request, etag):
    return f"page:{request.scheme}://{request.get_host()}:{etag}"


def kept_answer(request, etag):
    """The answer kept for this request, or None."""
    if not settings.PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
        return None
    kept = cache.get(page_key(request, etag))
    if kept is None:
        return None
    content, headers = kept
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def keep_answer(request, etag, response):
    """Keep ``response`` for later cookie-less requests, if it may be kept."""
    if (
        settings.PAGE_CACHE_SECONDS
        and request.method == "GET"
        and not response.streaming
        and not response.cookies
        and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES
    ):
        headers = [
            (name, value) for name, value in response.items() if name.lower() not in DESCRIBED
        ]
        cache.set(page_key(request, etag), (response.content, headers), settings.PAGE_CACHE_SECONDS)


class PublicHttpCacheMiddleware:
    """Placed before the session middleware, so that it sees the answer last."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or request.path_info.startswith(EXCLUDED_PREFIXES):
            return self.get_response(request)
        with reading_at_one_version():
            return self.answer(request)

    def answer(self, request):
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
        state = None
        if not signed_in:
            state = register_state()
            etag = page_etag(request, state, request.COOKIES.get(settings.CSRF_COOKIE_NAME))
            not_modified = get_conditional_response(request, etag=etag, last_modified=state[1])
            if not_modified is not None:
                # As the page itself would, unless its language is in its address.
                if not get_language_from_path(request.path_info):
                    patch_vary_headers(not_modified, ["Accept-Language"])
                self.describe(request, not_modified, etag, state[1])
                return not_modified
            if cookieless(request):
                kept = kept_answer(request, etag)
                if kept is not None:
                    self.describe(request, kept, etag, state[1])
                    return kept
        response = self.get_response(request)
        if response.status_code != 200:
            return response
        user = getattr(request, "user", None)
        if signed_in and user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
            return response
        if state is None:
            patch_cache_control(response, private=True, no_cache=True)
            return response
        # A page that set a new CSRF cookie holds a token made from it: so does its ETag.
        token = response.cookies.get(settings.CSRF_COOKIE_NAME)
        if token is not None:
            etag = page_etag(request, state, token.value)
        elif cookieless(request):
            keep_answer(request, etag, response)
        self.describe(request, response, etag, state[1])
        return response

    def describe(self, request, response, etag, last_modified):
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        if cookieless(request) and not response.cookies:
            response["Cache-Control"] = f"public, max-age={settings.HTTP_CACHE_MAX_AGE}"
            vary = [
                value.strip()
                for value in response.get("Vary", "").split(",")
                if value.strip() and value.strip().lower() != "cookie"
            ]
            if vary:
                response["Vary"] = ", ".join(vary)
            elif response.has_header("Vary"):
                del response["Vary"]
        else:
            response["Cache-Control"] = "private, no-cache"
