"""Every public page kind, in every language, read as visitors and validators read it.

For each page kind (home, the site listing, a dossier, the visit listing, a visit, the
reported figures, a source, a listing answering 400 and a 404 page) in English,
Azerbaijani and Arabic, at a desktop width and at 320 CSS pixels:

- axe-core (the npm package pinned in package.json) checks the WCAG 2.0, 2.1 and 2.2 A and
  AA rules: there must be no violation. Its source is handed to the page through
  Playwright's ``page.evaluate``, that is through the browser's debugging protocol, which
  the Content-Security-Policy does not govern; the page itself still refuses inline and
  evaluated scripts.
- At 320 pixels the page must not scroll sideways (WCAG 1.4.10, reflow).

The HTML the server sends for each page kind and language is validated by the Nu HTML
Checker (vnu.jar from the npm package ``vnu-jar``, run with Java) in one run over all the
files: there must be no error.

The tools come from ``npm ci`` at the repository's root. Without them (or without Java)
these tests are skipped, unless ``REQUIRE_BROWSER=1`` (set by CI) makes that a failure.
Each test reuses one browser page per language, so the whole module takes about a minute.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from heritage.models import Site, Source
from inspections.models import Visit
from tests.browser.waiting import close_and_wait_for_the_server
from tests.languages import in_language

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

LANGUAGES = [code for code, _name in settings.LANGUAGES]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 320, "height": 640}

#: The rule sets of WCAG 2.0, 2.1 and 2.2 at levels A and AA, as axe-core tags them.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

#: Rules outside those tags that the register keeps too: landmarks with distinct names (two
#: regions called "Map of sites" confuse a screen reader's list of landmarks) and a skip
#: link that leads somewhere.
EXTRA_RULES = ["landmark-unique", "skip-link"]

RUN_AXE = """async ([tags, extra]) => {
  const rules = Object.fromEntries(extra.map((rule) => [rule, {enabled: true}]));
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, rules});
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
    count: violation.nodes.length,
  }));
}"""

SCROLL_WIDTH = "() => document.documentElement.scrollWidth"


def require(path, what):
    if path.exists():
        return
    message = f"{what} is missing ({path.relative_to(ROOT)}): run `npm ci` at the root."
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def page_kinds():
    """[(kind, path, expected status)] of every public page kind, on the demo data."""
    site = Site.objects.public().order_by("pk").first()
    visit = Visit.objects.public().order_by("pk").first()
    source = Source.objects.public().order_by("pk").first()
    return [
        ("home", "/", 200),
        ("site list", "/sites/", 200),
        ("dossier", site.get_absolute_url(), 200),
        ("record history", f"{site.get_absolute_url()}history/", 200),
        ("record version", f"{site.get_absolute_url()}history/1/", 200),
        ("visit list", "/visits/", 200),
        ("visit", visit.get_absolute_url(), 200),
        ("figures", "/figures/", 200),
        ("source", source.get_absolute_url(), 200),
        ("data", "/data/", 200),
        ("400", "/sites/?assessed_from=2021-02-30&q=mosque", 400),
        ("404", "/sites/no-such-site/", 404),
    ]


def language_page(browser, live_server, language):
    """A browser page that may only reach the live server (pages are opened in
    ``language`` by their address, see ``tests.languages``)."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    host = live_server.url.split("//", 1)[1]
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.split("/")[2] == host else route.abort()
        ),
    )
    return context, context.new_page()


def report(findings):
    return "\n".join(json.dumps(finding, ensure_ascii=False) for finding in findings)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_kind_passes_axe_and_reflows_at_320_pixels(browser, live_server, demo, language):
    require(AXE, "axe-core")
    axe_source = AXE.read_text(encoding="utf-8")
    context, page = language_page(browser, live_server, language)
    violations, overflows, checked = [], [], 0
    try:
        for kind, path, status in page_kinds():
            for width in (DESKTOP, PHONE):
                page.set_viewport_size(width)
                response = page.goto(in_language(path, language))
                assert response.status == status, (kind, path, response.status)
                page_language = page.evaluate("document.documentElement.lang")
                if page_language != language:
                    violations.append({"page": kind, "lang": page_language, "count": 1})
                page.evaluate(axe_source)
                for violation in page.evaluate(RUN_AXE, [WCAG_TAGS, EXTRA_RULES]):
                    violations.append({"page": kind, "width": width["width"], **violation})
                if width is PHONE:
                    scroll_width = page.evaluate(SCROLL_WIDTH)
                    if scroll_width > PHONE["width"]:
                        overflows.append({"page": kind, "scroll_width": scroll_width})
                checked += 1
    finally:
        close_and_wait_for_the_server(context)
    assert checked == 2 * len(page_kinds())
    assert (violations, overflows) == ([], []), (
        f"axe-core in {language}: {sum(v['count'] for v in violations)} failing elements\n"
        f"{report(violations)}\nSideways scrolling at 320 px:\n{report(overflows)}"
    )


def test_the_html_of_every_page_kind_in_every_language_is_valid(client, demo, tmp_path):
    require(VNU, "The Nu HTML Checker")
    java = shutil.which("java")
    if java is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("Java is needed to run the Nu HTML Checker.")
        pytest.skip("Java is needed to run the Nu HTML Checker.")
    names = {}
    for language in LANGUAGES:
        for kind, path, status in page_kinds():
            response = client.get(in_language(path, language))
            assert response.status_code == status, (kind, path)
            file = tmp_path / f"{language}-{kind.replace(' ', '-')}.html"
            file.write_bytes(response.content)
            names[file.name] = f"{kind} ({language}, {path})"
    assert len(names) == len(LANGUAGES) * len(page_kinds())
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--exit-zero-always", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        {
            "page": names.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url")),
            "line": message.get("lastLine"),
            "message": message["message"],
        }
        for message in messages
        if message["type"] in ("error", "non-document-error")
    ]
    assert errors == [], f"{len(errors)} HTML errors:\n{report(errors)}"
