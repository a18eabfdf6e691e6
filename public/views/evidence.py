"""``/evidence/<id>/<rendition>``: evidence files, served under the publication rules.

Files are never linked by their storage address: every request comes here, so that the
rules hold whatever the storage (a folder or a bucket). The public gets the ``thumbnail``
and ``web`` renditions of a public photo, and the ``original`` of a public item only when
:meth:`~inspections.models.Evidence.original_is_downloadable` allows it; staff who may view
evidence get every file, uncached. Anything else is a 404, which says nothing about whether
the item exists. Every response names its content type, forbids sniffing another, and
cannot run scripts even if opened on its own.
"""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from inspections.evidence import checks as files
from inspections.models import Evidence

#: How long browsers and shared caches may keep a public file (a day): an item can be
#: unpublished, so not forever.
PUBLIC_MAX_AGE = 86400


def staff_may_view(user):
    return user.is_active and user.is_staff and user.has_perm("inspections.view_evidence")


@require_safe
def evidence_file(request, pk, rendition):
    # Any rendition of a public photo may be fetched; the original has rules of its own.
    if rendition not in (*files.RENDITION_SIZES, "original"):
        raise Http404
    staff = staff_may_view(request.user)
    items = Evidence.objects.all() if staff else Evidence.objects.public()
    item = items.select_related("site", "assessment__site").filter(pk=pk).first()
    if item is None:
        raise Http404
    if rendition == "original":
        if not staff and not item.original_is_downloadable():
            raise Http404
        name, content_type = item.original.name, item.media_type
        download_name = f"{item.sha256}.{files.FORMATS[item.format].extension}"
    else:
        name = getattr(item, rendition).name
        if not item.is_photo or not name:
            raise Http404
        content_type, download_name = files.RENDITION_FORMAT.media_type, None
    try:
        stored = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stored,
        content_type=content_type,
        as_attachment=download_name is not None,
        filename=download_name or "",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    # Staff may be looking at an unpublished file: never kept by a shared cache.
    response["Cache-Control"] = (
        "private, no-store" if staff else f"public, max-age={PUBLIC_MAX_AGE}"
    )
    return response
