"""Reading the API the way a client does: JSON answers, every page of a list, and every
record the API links to."""

import json
from urllib.parse import urlsplit

#: The list of each resource.
RESOURCES = [
    "/api/v1/sites/",
    "/api/v1/places/",
    "/api/v1/visits/",
    "/api/v1/assessments/",
    "/api/v1/sources/",
    "/api/v1/figures/",
    "/api/v1/organisations/",
    "/api/v1/vocabularies/",
]


def get_json(client, url, status=200, **extra):
    response = client.get(url, **extra)
    assert response.status_code == status, (url, response.content[:500])
    return response.json()


def path_of(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def all_pages(client, url):
    """The results of every page of the list at ``url``, following ``next``."""
    results = []
    while url:
        body = get_json(client, url)
        results.extend(body["results"])
        url = body["next"] and path_of(body["next"])
    return results


def api_links(value):
    """Every URL into the API's resources found anywhere in a decoded JSON answer."""
    if isinstance(value, dict):
        for item in value.values():
            yield from api_links(item)
    elif isinstance(value, list):
        for item in value:
            yield from api_links(item)
    elif isinstance(value, str) and value.startswith("http://testserver/api/v1/"):
        path = path_of(value)
        if not path.startswith(("/api/v1/schema/", "/api/v1/docs/")):
            yield path


def crawl(client, start=RESOURCES):
    """{path: body text} of every answer reachable from ``start`` through the API's links
    (each list with every page); every answer must succeed."""
    seen, queue = {}, list(start)
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code == 200, (path, response.content[:500])
        body = response.content.decode()
        seen[path] = body
        queue.extend(api_links(json.loads(body)))
    return seen
