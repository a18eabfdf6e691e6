"""No stored character can reorder the register's own text on a page.

A source titled "abc" + RIGHT-TO-LEFT OVERRIDE + "txt.exe" would, left unisolated, reverse
whatever follows it in the same paragraph ("According to …, 15 January 2021"). Every text
node holding such a character must sit inside an element the browser isolates
(``<bdi>``, any element with ``dir``) or be the whole content of its own block.
"""

import pytest

from heritage.models import Site, SiteClaim, Source
from tests.languages import in_language

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OVERRIDE = "\u202e"

#: [(text, isolated)] for every text node of the body that contains ``mark``.
ISOLATION = """(mark) => {
  const isolating = ["isolate", "isolate-override", "plaintext"];
  function isolated(node) {
    for (let element = node.parentElement; element && element !== document.body;
         element = element.parentElement) {
      const style = window.getComputedStyle(element);
      if (isolating.includes(style.unicodeBidi)) {
        return true;
      }
      if (style.display !== "inline" && style.display !== "contents") {
        return element.textContent.trim() === node.textContent.trim();
      }
    }
    return false;
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.textContent.includes(mark)) {
      found.push([node.parentElement.outerHTML.slice(0, 200), isolated(node)]);
    }
  }
  return found;
}"""


@pytest.fixture
def hostile_texts(demo):
    """A published source, site and claim whose texts carry a right-to-left override."""
    claim = SiteClaim.objects.public().select_related("source", "site").order_by("pk").first()
    source = claim.source
    Source.objects.filter(pk=source.pk).update(title=f"abc{OVERRIDE}txt.exe")
    SiteClaim.objects.filter(pk=claim.pk).update(statement=f"Built in {OVERRIDE}1681.")
    Site.objects.filter(pk=claim.site_id).update(
        name=f"{claim.site.name} {OVERRIDE}x", description=f"{OVERRIDE}A description."
    )
    return source, claim.site


@pytest.mark.parametrize("language", ["en", "ar"])
def test_no_stored_text_can_reverse_the_page_around_it(page, live_server, hostile_texts, language):
    source, site = hostile_texts
    for path in (source.get_absolute_url(), f"/sites/{site.slug}/", "/sites/", "/figures/"):
        page.goto(in_language(path, language))
        assert page.evaluate("document.documentElement.lang") == language
        found = page.evaluate(ISOLATION, OVERRIDE)
        if path != "/figures/":
            assert found, f"The hostile text is not on {path}"
        assert [text for text, isolated in found if not isolated] == [], path
