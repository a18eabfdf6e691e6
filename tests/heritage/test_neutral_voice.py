"""The register's own voice stays neutral: contested words only inside quotations or in a
field that holds someone's words (see ``heritage.neutral_voice``). Scans the fixtures, the
templates and the translation catalogues."""

import json
from pathlib import Path

import pytest

from heritage.neutral_voice import contested_words

ROOT = Path(__file__).resolve().parents[2]

#: Fields that hold what a source or a speaker says, not the register's own words.
ATTRIBUTED_FIELDS = {
    ("heritage.sitecitation", "summary"),
    ("heritage.siteclaim", "statement"),
    ("heritage.reportedfigure", "summary"),
    ("inspections.assessmentcitation", "summary"),
    ("inspections.visitcitation", "summary"),
    ("inspections.responsibilityclaim", "summary"),
    ("inspections.responsibilityclaim", "attributed_to"),
    ("inspections.statement", "quote"),
}


def fixture_texts(path):
    """(where, text) of every text field of the fixture at ``path`` in the register's voice."""
    for index, record in enumerate(json.loads(path.read_text(encoding="utf-8"))):
        for name, value in record["fields"].items():
            if name == "locator" or (record["model"], name) in ATTRIBUTED_FIELDS:
                continue
            if isinstance(value, str):
                yield f"{path.name}[{index}] {record['model']}.{name}", value


def test_the_scanner_finds_contested_words_outside_quotations_only():
    assert contested_words("A mission to the liberated areas.") == ["liberated"]
    assert contested_words("It would arrive “in the liberated areas”.") == []
    assert contested_words("Losses in the formerly occupied areas.") == []
    assert contested_words("Traces of Vandalism; Armenian aggression") == [
        "Vandalism",
        "aggression",
    ]
    assert contested_words("İşğaldan azad edilmiş ərazilər") == ["İşğal", "azad edilmiş"]
    assert contested_words("«azad edilmiş ərazilər»") == []
    assert contested_words("المناطق المحررة") == ["المحررة"]
    assert contested_words("يرسل المحررون القيود") == []


@pytest.mark.parametrize("path", sorted((ROOT / "fixtures").glob("*.json")), ids=lambda p: p.name)
def test_fixtures_use_contested_words_only_in_quotations(path):
    found = [
        (where, words) for where, text in fixture_texts(path) if (words := contested_words(text))
    ]
    assert found == []


def test_templates_use_no_contested_words():
    found = [
        (str(path.relative_to(ROOT)), words)
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if (words := contested_words(path.read_text(encoding="utf-8")))
    ]
    assert found == []


@pytest.mark.parametrize("path", sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")), ids=str)
def test_translation_catalogues_use_no_contested_words(path):
    found = [
        (number, words)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if not line.startswith("#") and (words := contested_words(line))
    ]
    assert found == []
