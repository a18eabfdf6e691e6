"""The three languages of the public pages: English, Azerbaijani and Arabic."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.languages import in_language

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"


def get(client, url, language):
    return client.get(in_language(url, language)).content.decode()


@pytest.mark.parametrize(
    ("language", "direction", "title"),
    [
        ("en", "ltr", "Heritage damage register"),
        ("az", "ltr", "Mədəni irsə dəymiş zərər reyestri"),
        ("ar", "rtl", "سجل أضرار التراث"),
    ],
)
@pytest.mark.parametrize(
    "url",
    [
        reverse("home"),
        reverse("site-list"),
        reverse("visit-list"),
        reverse("figure-list"),
        reverse("site-detail", args=["gargabazar-mosque"]),
    ],
)
def test_every_page_speaks_the_chosen_language_in_its_direction(
    client, demo, url, language, direction, title
):
    html = get(client, url, language)
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert title in html


def test_the_address_not_the_browser_language_decides(client, demo):
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5").content.decode()
    assert 'dir="ltr"' in html
    assert 'dir="rtl"' in client.get("/ar/").content.decode()


def test_language_switcher_links_to_the_same_page_in_the_other_language(client, demo):
    html = client.get("/sites/?category=mosque").content.decode()
    assert '<a href="/az/sites/?category=mosque" hreflang="az"' in html
    assert '<html lang="az"' in client.get("/az/sites/?category=mosque").content.decode()


def test_vocabulary_labels_are_eamenas_arabic(client, demo):
    html = get(client, reverse("site-list") + "?condition=Destroyed", "ar")
    assert "مدمر" in html


def test_site_names_are_shown_in_the_visitors_language_when_a_variant_exists(client, demo):
    assert "Qarğabazar məscidi" in get(client, reverse("site-list") + "?q=qargabazar", "az")
    english = get(client, reverse("site-list") + "?q=qargabazar", "en")
    assert "Gargabazar Mosque" in english


@pytest.mark.parametrize(
    ("language", "date", "number"),
    [
        ("en", "12 January 2021", "4,600,000"),
        ("az", "12 Yanvar 2021", "4\xa0600\xa0000"),
        ("ar", "12 يناير، 2021", "4.600.000"),
    ],
)
def test_dates_and_numbers_are_formatted_for_the_language(client, demo, language, date, number):
    visit = get(
        client, reverse("visit-detail", args=["icesco-delegation-fuzuli-2021-01-12"]), language
    )
    assert date in visit
    figures = get(client, reverse("figure-list"), language)
    assert number in figures


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def unescape(text):
    return re.sub(r"\\(.)", lambda match: ESCAPES.get(match.group(1), match.group(0)), text)


def po_strings(part):
    """The text of one keyword of a .po entry: its quoted pieces, joined and unescaped."""
    return unescape("".join(re.findall(r'^(?:\w+(?:\[0\])? )?"(.*)"$', part, re.M)))


def po_messages(path):
    """{msgid: (msgstr, is_plural)} of a .po file; a plural entry by its singular and its
    first form."""
    messages = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        if "#, fuzzy" in block or "\nmsgid " not in f"\n{block}":
            continue
        head, _sep, tail = block.partition("\nmsgstr")
        msgid = po_strings(
            head.split("\nmsgid_plural")[0].split("\nmsgid ", 1)[-1].join(["msgid ", ""])
        )
        msgstr = po_strings(("msgstr" + tail).split("\nmsgstr[1]")[0])
        context = re.search(r'^msgctxt "(.*)"$', head, re.M)
        if context:  # compiled catalogues key a message with a context as context EOT msgid
            msgid = f"{unescape(context.group(1))}\x04{msgid}"
        if msgid:
            messages[msgid] = (msgstr, "\nmsgid_plural" in head)
    return messages


@pytest.mark.parametrize("language", ["az", "ar"])
def test_compiled_catalogue_matches_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    source = po_messages(folder / "django.po")
    assert source, "the catalogue has no messages"
    compiled = catalogue._catalog
    stale = [
        msgid
        for msgid, (msgstr, plural) in source.items()
        if compiled.get((msgid, 0) if plural else msgid) != msgstr
    ]
    assert stale == [], "run `make messages` to compile the catalogues"
    assert all(msgstr for msgstr, _plural in source.values()), "every message is translated"
