"""Security headers on every response, and the Content-Security-Policy: what it allows, where
its sources come from, and that the templates keep to it."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from config.env import csp_origin
from tests.config.processes import PROJECT, settings_value


def policy(response):
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "csrftoken" not in response.cookies  # an anonymous public page sets no cookie
    csrf = client.get("/admin/login/", secure=True).cookies["csrftoken"]
    assert csrf["secure"]
    assert csrf["httponly"]
    assert csrf["samesite"] == "Lax"


@pytest.mark.django_db
def test_content_security_policy_allows_no_inline_code_and_no_other_site(client):
    directives = policy(client.get("/"))
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"]  # the map's GeoJSON
    assert directives["img-src"] == ["'self'", "https://tile.openstreetmap.org"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    header = client.get("/").headers["Content-Security-Policy"]
    assert "unsafe" not in header
    assert "*" not in header


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/sites/", "/admin/login/", "/sites/export.geojson", "/nowhere/"])
def test_every_response_carries_the_policy(client, path):
    assert "script-src 'self'" in client.get(path)["Content-Security-Policy"]


def test_production_upgrades_insecure_requests():
    assert settings_value(
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['upgrade-insecure-requests']"
    ) == ("True")


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://tiles.example.net:8080/{z}/{x}/{y}.png", "http://tiles.example.net:8080"),
        ("/tiles/{z}/{x}/{y}.png", None),
        ("static/", None),
    ],
)
def test_tile_and_media_origins_become_policy_sources(url, origin):
    assert csp_origin(url, "MAP_TILE_URL") == origin


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)//{z}", "https://tiles.{s}.example.org/{z}.png", "ftp://x.org/"]
)
def test_a_tile_url_the_policy_cannot_express_is_a_clear_error(url):
    with pytest.raises(ImproperlyConfigured, match="MAP_TILE_URL"):
        csp_origin(url, "MAP_TILE_URL")


def test_tile_server_of_the_environment_is_allowed_for_images():
    assert settings_value(
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']",
        MAP_TILE_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png",
    ) == ("[\"'self'\", 'https://*.tiles.example.org']")


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


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/", "/sites/", "/sites/export.csv", "/admin/login/", "/nowhere/", "/sites/?q=%00"],
)
def test_every_response_refuses_the_browser_features_the_register_never_uses(client, path):
    header = client.get(path)["Permissions-Policy"]
    features = dict(part.strip().split("=") for part in header.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature
