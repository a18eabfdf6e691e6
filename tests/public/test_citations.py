""" "Cite this record": the citation model, its formats and the downloads."""

import datetime
import json
import re
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from public.citations import REGISTER_NAME, RecordCitation
from tests import factories

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "data" / "csl-data.schema.json").read_text())
RIS_LINE = re.compile(r"^[A-Z][A-Z0-9]  - ")


def edit(record, summary, **fields):
    for name, value in fields.items():
        setattr(record, name, value)
    record._change_reason = summary
    record.save()
    del record._change_reason


def ris_lines(text):
    lines = text.split("\r\n")
    assert lines[-1] == ""
    return lines[:-1]


def sample(**fields):
    values = {
        "key": "site-gargabazar-mosque-v2",
        "title": "Gargabazar Mosque",
        "version": 2,
        "issued": datetime.date(2026, 11, 20),
        "url": "https://register.example.org/sites/gargabazar-mosque/history/2/",
        "accessed": datetime.date(2026, 12, 2),
    }
    return RecordCitation(**{**values, **fields})


def test_csl_json_item_is_valid_against_the_schema():
    item = sample().csl()
    jsonschema.validate([item], SCHEMA)
    assert item["version"] == "2"
    assert item["issued"] == {"date-parts": [[2026, 11, 20]]}
    assert item["accessed"] == {"date-parts": [[2026, 12, 2]]}
    assert item["author"] == [{"literal": REGISTER_NAME}]


def test_schema_refuses_a_malformed_item():
    item = sample().csl()
    item["issued"] = "2026-11-20"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([item], SCHEMA)


def test_bibtex_parses_with_its_fields():
    library = bibtexparser.parse_string(sample(title="Mosque {50%} & co_1").bibtex())

    assert library.failed_blocks == []
    [entry] = library.entries
    assert entry.entry_type == "misc"
    assert entry.key == "site-gargabazar-mosque-v2"
    fields = {field.key: field.value for field in entry.fields}
    assert fields["title"] == r"Mosque \{50\%\} \& co\_1"
    assert fields["author"] == "{Heritage damage register}"
    assert fields["version"] == "2"
    assert fields["year"] == "2026"
    assert fields["date"] == "2026-11-20"
    assert fields["url"] == "https://register.example.org/sites/gargabazar-mosque/history/2/"
    assert fields["urldate"] == "2026-12-02"


def test_ris_has_its_tags_in_order():
    lines = ris_lines(sample(title="Two\nlines").ris())

    assert lines[0] == "TY  - ELEC"
    assert lines[-1] == "ER  - "
    assert all(RIS_LINE.match(line) for line in lines)
    tags = {line[:2]: line[6:] for line in lines}
    assert tags["TI"] == "Two lines"
    assert tags["ET"] == "2"
    assert tags["DA"] == "2026/11/20"
    assert tags["Y2"] == "2026/12/02"
    assert tags["UR"] == "https://register.example.org/sites/gargabazar-mosque/history/2/"


def test_undated_version_leaves_the_date_out_of_every_format():
    citation = sample(issued=None)
    jsonschema.validate([citation.csl()], SCHEMA)
    assert "issued" not in citation.csl()
    assert "PY  - " not in citation.ris()
    assert "year" not in citation.bibtex()


def test_formatted_styles_name_the_register_title_version_and_dates():
    styles = sample().styles()

    assert [key for key, _label, _text in styles] == ["author-date", "harvard"]
    for _key, _label, text in styles:
        assert REGISTER_NAME in text
        assert "Gargabazar Mosque" in text
        assert "2026" in text
        assert "https://register.example.org/sites/gargabazar-mosque/history/2/" in text
        assert "December 2, 2026" in text
    author_date = styles[0][2]
    assert "version 2" in author_date
    assert "November 20, 2026" in author_date
    assert "(version 2)" in styles[1][2]


def test_formatted_styles_speak_arabic_on_arabic_pages_and_english_on_azerbaijani_ones():
    with override("ar"):
        arabic = sample().styles()
    with override("az"):
        azerbaijani = sample().styles()

    author_date, harvard = (text for _key, _label, text in arabic)
    assert "تاريخ الوصول" in author_date  # "Accessed"
    assert "إصدار 2" in author_date  # "version 2"
    assert "ديسمبر" in author_date  # December
    assert "Accessed" not in author_date
    assert "تاريخ الوصول" in harvard
    # citeproc-py has no Azerbaijani locale: those pages cite in English.
    assert azerbaijani[0][2] == sample().styles()[0][2]
    assert "(Accessed: December 2, 2026)" in azerbaijani[1][2]


def test_formatted_styles_escape_the_title():
    for _key, _label, text in sample(title="<script>alert(1)</script>").styles():
        assert "<script>" not in text
        assert "&lt;script&gt;" in text


def test_dossier_cites_its_latest_version_with_absolute_permalink(client):
    site = factories.SiteFactory(published=True, name="Gargabazar Mosque")
    edit(site, "Renamed.", name="Gargabazar Mosque (Qarğabazar)")

    page = client.get(site.get_absolute_url()).content.decode()

    assert "Cite this record" in page
    assert f"http://testserver{reverse('site-version', args=[site.slug, 2])}" in page
    for extension in ("json", "bib", "ris"):
        assert reverse("site-cite", args=[site.slug, extension]) in page


@pytest.mark.parametrize(
    ("kind", "extension", "content_type"),
    [
        ("site", "json", "application/vnd.citationstyles.csl+json"),
        ("visit", "bib", "application/x-bibtex; charset=utf-8"),
        ("source", "ris", "application/x-research-info-systems; charset=utf-8"),
        ("figure", "json", "application/vnd.citationstyles.csl+json"),
    ],
)
def test_downloads_of_each_kind(client, kind, extension, content_type):
    source = factories.SourceFactory(published=True)
    records = {
        "site": factories.SiteFactory(published=True),
        "visit": factories.VisitFactory(published=True),
        "source": source,
        "figure": factories.ReportedFigureFactory(published=True, source=source),
    }
    record = records[kind]
    key = record.pk if kind in ("source", "figure") else record.slug

    response = client.get(reverse(f"{kind}-cite", args=[key, extension]))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="{kind}-{key}-v1.{extension}"'
    )
    body = response.content.decode()
    if extension == "json":
        jsonschema.validate(json.loads(body), SCHEMA)
    elif extension == "bib":
        assert bibtexparser.parse_string(body).failed_blocks == []
    else:
        assert ris_lines(body)[0] == "TY  - ELEC"


def test_version_download_cites_that_version(client):
    site = factories.SiteFactory(published=True, name="First")
    edit(site, "Renamed.", name="Second")

    response = client.get(reverse("site-version-cite", args=[site.slug, 1, "json"]))

    [item] = json.loads(response.content)
    jsonschema.validate([item], SCHEMA)
    assert item["version"] == "1"
    assert item["URL"] == f"http://testserver{reverse('site-version', args=[site.slug, 1])}"
    assert item["accessed"] == {"date-parts": [list(timezone.localdate().timetuple()[:3])]}
    assert client.get(reverse("site-version-cite", args=[site.slug, 3, "json"])).status_code == 404


def test_version_page_cites_that_version(client):
    site = factories.SiteFactory(published=True, name="First")
    edit(site, "Renamed.", name="Second")

    page = client.get(reverse("site-version", args=[site.slug, 1])).content.decode()

    assert reverse("site-version-cite", args=[site.slug, 1, "ris"]) in page
    assert "version 1" in page


def test_unknown_format_and_unpublished_record_are_not_found(client):
    site = factories.SiteFactory(published=True)
    draft = factories.SiteFactory()
    assert client.get(reverse("site-cite", args=[site.slug, "xml"])).status_code == 404
    assert client.get(reverse("site-cite", args=[draft.slug, "json"])).status_code == 404
