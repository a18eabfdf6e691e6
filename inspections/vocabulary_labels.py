"""The register's Azerbaijani labels of the EAMENA terms (``data/eamena_az.json``).

EAMENA publishes its terms in English and Arabic only; the Azerbaijani labels are the
register's own translation. The functions take an app registry, so that the data migration
that loads the labels (and a test that reloads the vocabularies) can call them.
"""

import json
from pathlib import Path

AZ_LABELS = Path(__file__).resolve().parent / "data" / "eamena_az.json"

#: Vocabulary models whose EAMENA terms get the register's Azerbaijani labels.
VOCABULARIES = (
    "OverallCondition",
    "DamageExtent",
    "Certainty",
    "DamageTrend",
    "Priority",
    "AssessmentType",
    "CauseCategory",
    "CauseType",
    "EffectType",
)


def load_azerbaijani_labels(apps, schema_editor):
    """Give EAMENA's terms the register's Azerbaijani labels, leaving alone any label an
    editor has already written."""
    labels = json.loads(AZ_LABELS.read_text(encoding="utf-8"))["labels"]
    for model_name in VOCABULARIES:
        model = apps.get_model("inspections", model_name)
        for term in model.objects.filter(from_eamena=True, label_az=""):
            if term.label in labels:
                term.label_az = labels[term.label]
                term.save(update_fields=["label_az"])


def unload_azerbaijani_labels(apps, schema_editor):
    labels = json.loads(AZ_LABELS.read_text(encoding="utf-8"))["labels"]
    for model_name in VOCABULARIES:
        model = apps.get_model("inspections", model_name)
        for english, azerbaijani in labels.items():
            model.objects.filter(label=english, label_az=azerbaijani).update(label_az="")
