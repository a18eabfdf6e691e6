"""Reading the public pages and exports the way the tests need them: the sites listed, one
section, row or list item of a page, its text, the rows of the streamed exports, and the
Atom feeds as a feed reader parses them."""

import csv
import io
import json
import re

import feedparser
from django.http import StreamingHttpResponse
from django.urls import reverse

from tests.languages import in_language


def page(client, url, **extra):
    """The HTML of the page at ``url``, which must be found."""
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response.content.decode()


def listed_slugs(response):
    """Slugs of the sites in the results table of the site listing (in any language), in
    order."""
    return re.findall(
        r'<th scope="row"><a href="(?:/az|/ar)?/sites/([^/]+)/">', response.content.decode()
    )


def section(html, heading_id):
    """The HTML of the section whose heading has ``heading_id``."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def row_with(html, text):
    """The one table row that contains ``text``."""
    rows = [row.split("</tr>")[0] for row in html.split("<tr")[1:] if text in row]
    assert len(rows) == 1, f"{len(rows)} rows contain {text!r}"
    return rows[0]


def item_with(html, text):
    """The innermost list item that contains ``text``."""
    items = [item.split("</li>")[0] for item in html.split("<li")[1:]]
    matches = [item for item in items if text in item]
    assert matches, f"no list item contains {text!r}"
    return matches[-1]


def text_of(html):
    """The text of ``html`` without tags, its white space collapsed."""
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    for mark in ",:.":
        text = text.replace(f" {mark}", mark)
    return text


def body(response):
    """The text of a streamed export."""
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(body(response), newline="")))


def geojson(response):
    return json.loads(body(response))


def features_by_slug(response):
    return {feature["properties"]["slug"]: feature for feature in geojson(response)["features"]}


def fetch(client, url, language="en"):
    """The response to a GET of ``url`` in ``language``, which must be found, and its text
    (an export's streamed too)."""
    response = client.get(in_language(url, language), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content.decode()


def without_isolation(html):
    """``html`` without the ``<bdi>`` elements that isolate stored text (their content kept),
    so that a test can look for a sentence that quotes a name or title."""
    return re.sub(r"</?bdi[^>]*>", "", html)


def assert_shows(html, shown=(), hidden=()):
    """``html`` holds every text of ``shown`` and none of ``hidden``, whether or not stored
    text in it is isolated in ``<bdi>``."""
    plain = without_isolation(html)
    missing = [text for text in shown if text not in html and text not in plain]
    leaked = [text for text in hidden if text in html or text in plain]
    assert (missing, leaked) == ([], [])


def dossier(client, site, **extra):
    """The HTML of the dossier of ``site``, which must be found."""
    return page(client, reverse("site-detail", args=[site.slug]), **extra)


def select_of(html, name):
    """The HTML of the options of the select ``name``."""
    start = html.index(f'name="{name}"')
    return html[start : html.index("</select>", start)]


def visit_titles(response):
    """The titles of the visits listed on the visit listing, in order."""
    return [visit.title for visit in response.context["visits"]]


def options_of(client, url, name):
    """The HTML of the options of the select ``name`` on the page at ``url``."""
    return select_of(page(client, url), name)


def parse_feed(client, url):
    """The Atom feed at ``url``, parsed by feedparser, which must find nothing malformed."""
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed
