"""The templates keep to the Content-Security-Policy: no inline code or styles."""

import re
from pathlib import Path

from django.apps import apps

PROJECT = Path(__file__).resolve().parents[2]


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
