"""The EAMENA vocabularies: every term in EAMENA's order with its Arabic label, terms added
by editors in their place, and labels in the visitor's language."""

import json
from pathlib import Path

import pytest
from django.utils import translation

import inspections
from inspections.models import VOCABULARIES, DamageExtent, OverallCondition

pytestmark = pytest.mark.django_db

EAMENA_DATA = json.loads(
    (Path(inspections.__file__).parent / "data" / "eamena.json").read_text(encoding="utf-8")
)


def model_name(model):
    return model.__name__


def labels(model):
    return list(model.objects.values_list("label", flat=True))


def test_overall_conditions_are_listed_in_scale_order():
    assert labels(OverallCondition) == ["Good", "Fair", "Poor", "Very Bad", "Destroyed", "Unknown"]


def test_damage_extents_are_listed_in_scale_order():
    assert labels(DamageExtent) == [
        "No Visible/Known",
        "1-10%",
        "11-30%",
        "31-60%",
        "61-90%",
        "91-100%",
        "Unknown",
    ]


@pytest.mark.parametrize("model", VOCABULARIES, ids=model_name)
def test_vocabulary_lists_every_eamena_term_in_eamena_order(model):
    terms = EAMENA_DATA[model.EAMENA_LIST]["terms"]

    assert labels(model) == [term["en"] for term in terms]
    assert all(model.objects.values_list("from_eamena", flat=True))


@pytest.mark.parametrize("model", VOCABULARIES, ids=model_name)
def test_vocabulary_carries_the_arabic_labels_eamena_publishes(model):
    terms = EAMENA_DATA[model.EAMENA_LIST]["terms"]

    assert list(model.objects.values_list("label", "label_ar")) == [
        (term["en"], term["ar"] or "") for term in terms
    ]


def test_destroyed_is_labelled_in_arabic():
    assert OverallCondition.objects.get(label="Destroyed").label_ar == "مدمر"


def test_term_added_by_an_editor_sorts_by_its_position():
    OverallCondition.objects.create(label="Partly restored", position=3)

    assert labels(OverallCondition)[2:4] == ["Partly restored", "Poor"]


def test_localized_label_is_arabic_when_arabic_is_active():
    term = OverallCondition.objects.get(label="Destroyed")

    with translation.override("ar"):
        assert term.localized_label() == "مدمر"
        assert str(term) == "مدمر"


def test_localized_label_takes_an_explicit_language():
    term = OverallCondition.objects.get(label="Destroyed")

    assert term.localized_label("ar") == "مدمر"
    assert term.localized_label("en") == "Destroyed"


@pytest.mark.parametrize(
    "language",
    [
        pytest.param("az", id="language-with-an-empty-label"),
        pytest.param("fr", id="language-without-a-label-column"),
    ],
)
def test_localized_label_falls_back_to_english(language):
    term = OverallCondition.objects.get(label="Destroyed")
    term.label_az = ""  # the register's own Azerbaijani label, taken away

    with translation.override(language):
        assert term.localized_label() == "Destroyed"


def test_localized_label_falls_back_to_english_for_a_term_without_arabic():
    term = OverallCondition.objects.create(label="Partly restored", position=7)

    assert term.localized_label("ar") == "Partly restored"


def test_the_eamena_terms_have_the_registers_azerbaijani_labels():
    """EAMENA publishes no Azerbaijani labels; the register's own are loaded for its terms."""
    missing = [
        term.label
        for model in VOCABULARIES
        for term in model.objects.filter(from_eamena=True, label_az="")
    ]
    assert missing == []
    with translation.override("az"):
        assert OverallCondition.objects.get(label="Destroyed").localized_label() == "Dağıdılıb"
