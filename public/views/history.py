"""A record's public history, its versions' permalinks and its citation downloads.

``/<kind>/<key>/history/``: every published version of a site, visit, source or reported
figure with its date, what changed in its public fields and the editor's summary, newest
first, 25 a page (``?page=n``; another value is a 400 naming it).
``/<kind>/<key>/history/<n>/``: version ``n`` as it was published, marked as an old version
when it is one. ``/<kind>/<key>/cite.<ext>`` and ``/<kind>/<key>/history/<n>/cite.<ext>``:
the citation of the latest version or of version ``n`` as CSL-JSON, BibTeX or RIS.

Only published records have these pages (404 otherwise), and they show only published
versions and public fields (see ``public.history``).
"""

import json

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from public.citations import DOWNLOADS
from public.history import latest_version, public_versions, published_rows, versions_of_rows
from public.records import KINDS, citation_block
from public.views.listing import InvalidParameter, page_of

#: Versions on a page of a record's history.
HISTORY_PAGE = 25


def _record(kind, key):
    return get_object_or_404(kind.public(), **{kind.key: key})


def _version(versions, number):
    if not 1 <= number <= len(versions):
        raise Http404(_("This record has no published version %(number)s.") % {"number": number})
    return versions[number - 1]


def record_history(request, kind, key):
    """The published versions, newest first, ``HISTORY_PAGE`` a page (``?page=n``): a record
    edited hundreds of times would otherwise make a page of hundreds of tables."""
    kind = KINDS[kind]
    record = _record(kind, key)
    kept = published_rows(record)
    # The versions' numbers, newest first: only the page's versions are made.
    paginator = Paginator(range(len(kept), 0, -1), HISTORY_PAGE)
    context = {
        "record": record,
        "title": kind.title(record),
        "current_url": kind.current_url(record),
        "history_url": request.path,
    }
    try:
        page = page_of(paginator, request.GET.get("page") or 1)
    except InvalidParameter as invalid:
        context["errors"] = [invalid.error]
        return render(request, "public/record_history.html", context, status=400)
    context["page_obj"] = page
    context["versions"] = [
        (version, kind.version_url(record, version.number))
        for version in versions_of_rows(record, kept, page.object_list)
    ]
    return render(request, "public/record_history.html", context)


def record_version(request, kind, key, version):
    kind = KINDS[kind]
    record = _record(kind, key)
    versions = public_versions(record)
    shown = _version(versions, version)
    return render(
        request,
        "public/record_version.html",
        {
            "record": record,
            "title": kind.title(record),
            "version": shown,
            "latest": versions[-1],
            "is_current": shown.number == len(versions),
            "current_url": kind.current_url(record),
            "history_url": kind.history_url(record),
            "cite": citation_block(request, record, shown),
        },
    )


def record_citation(request, kind, key, extension, version=None):
    kind = KINDS[kind]
    if extension not in DOWNLOADS:
        raise Http404(_("Citations are offered as .json, .bib and .ris."))
    record = _record(kind, key)
    if version is None:
        number, date = latest_version(record)
    else:
        shown = _version(public_versions(record), version)
        number, date = shown.number, shown.date
    citation = kind.citation(request, record, number, date)
    if extension == "json":
        body = json.dumps([citation.csl()], ensure_ascii=False, indent=2)
    elif extension == "bib":
        body = citation.bibtex()
    else:
        body = citation.ris()
    response = HttpResponse(body, content_type=DOWNLOADS[extension][0])
    response["Content-Disposition"] = f'attachment; filename="{citation.key}.{extension}"'
    return response
