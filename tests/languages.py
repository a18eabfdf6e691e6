"""Addresses of the public pages in each language: English unprefixed, /az/… and /ar/…."""

#: Addresses that have no language prefix: the API and the admin follow the browser's
#: language, files are the same in every language.
UNPREFIXED = ("/api/", "/admin/", "/evidence/", "/favicon.ico")


def in_language(url, language):
    """``url`` (a path, unprefixed) in ``language`` (``en``, ``az``, ``ar``, or an
    ``Accept-Language`` value, whose first language counts)."""
    code = language.split(",")[0].split("-")[0].split(";")[0].strip().lower()
    # A path reversed while a request's language was still active carries its prefix.
    for prefix in ("/az/", "/ar/"):
        if url.startswith(prefix):
            url = url[len(prefix) - 1 :]
    if code not in {"az", "ar"} or url.startswith(UNPREFIXED):
        return url
    return f"/{code}{url}"
