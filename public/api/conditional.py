"""ETag and Last-Modified for the API's answers, from the register's version.

Every change to the register raises its version (``heritage.cache``); the API adds a version
of its own for evidence files, whose metadata sources show but which do not raise the
register's. An answer's ETag is a digest of both versions, the address asked for, the media
type and the language, and its Last-Modified is when this server first answered at those
versions; a conditional GET that matches is answered 304 before any record is read.
Like every cached result, the versions go stale at most ``heritage.cache.TIMEOUT`` seconds
after a write that sends no signal (raw SQL, ``QuerySet.update``).
"""

import hashlib
import time

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from heritage.cache import TIMEOUT, VERSION_KEY, raise_version, read_early, read_versions
from inspections.models import Evidence, EvidenceTranslation

EVIDENCE_VERSION_KEY = "api:evidence-version"


def bump_evidence_version(**kwargs):
    raise_version(EVIDENCE_VERSION_KEY)


def connect():
    """Raise the evidence version whenever an evidence item or a caption changes, and read it
    with the register's versions (``heritage.cache.read_early``)."""
    read_early(EVIDENCE_VERSION_KEY)
    for model in (Evidence, EvidenceTranslation):
        uid = f"api-evidence-{model._meta.label_lower}"
        post_save.connect(bump_evidence_version, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(bump_evidence_version, sender=model, dispatch_uid=f"{uid}-del")


def register_state():
    """(the versions as text, when this server first answered at them, in epoch seconds):
    two reads of the cache, the versions' and the time's, unless this server is the first
    to answer at those versions."""
    version = ".".join(str(value) for value in read_versions([VERSION_KEY, EVIDENCE_VERSION_KEY]))
    key = f"api:modified:{version}"
    modified = cache.get(key)
    if modified is None:
        now = int(time.time())
        cache.add(key, now, timeout=TIMEOUT)
        modified = cache.get(key) or now
    return version, modified


class NotModified(Exception):
    def __init__(self, response):
        super().__init__("not modified")
        self.response = response


class ConditionalMixin:
    """For REST framework views: ETag and Last-Modified on successful reads, and 304 (or
    412 for an ``If-Match`` that fails) on a matching conditional request."""

    etag = None
    last_modified = None

    def check_conditions(self, request):
        """Called once the request is negotiated and allowed, before any record is read."""
        if request.method not in ("GET", "HEAD"):
            return
        version, modified = register_state()
        digest = hashlib.sha256(
            "\n".join(
                [
                    version,
                    str(modified),
                    request.get_full_path(),
                    request.accepted_media_type or "",
                    get_language() or "",
                ]
            ).encode()
        ).hexdigest()
        self.etag, self.last_modified = f'"{digest[:32]}"', modified
        response = get_conditional_response(
            request, etag=self.etag, last_modified=self.last_modified
        )
        if response is not None:
            raise NotModified(response)

    def handle_exception(self, exc):
        if isinstance(exc, NotModified):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        if self.etag and response.status_code in (200, 304):
            response["ETag"] = self.etag
            response["Last-Modified"] = http_date(self.last_modified)
            response["Cache-Control"] = "public, no-cache"
        return response
