"""Load EAMENA's published term lists into the vocabulary tables.

Terms are matched by their English label, so running this again (or after editors have
added terms of their own) only refreshes the Arabic labels and the scale order.
"""

import json
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "eamena.json"

# Vocabulary model name -> list key in eamena.json.
LISTS = {
    "OverallCondition": "overall_condition",
    "DamageExtent": "damage_extent",
    "Certainty": "certainty",
    "DamageTrend": "damage_trend",
    "Priority": "priority",
    "AssessmentType": "assessment_type",
    "CauseCategory": "disturbance_cause_category",
    "CauseType": "disturbance_cause_type",
    "EffectType": "effect_type",
}


def load_terms(apps, schema_editor):
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    for model_name, key in LISTS.items():
        model = apps.get_model("inspections", model_name)
        for position, term in enumerate(data[key]["terms"], start=1):
            model.objects.update_or_create(
                label=term["en"],
                defaults={"label_ar": term["ar"] or "", "position": position, "from_eamena": True},
            )


def unload_terms(apps, schema_editor):
    for model_name in LISTS:
        apps.get_model("inspections", model_name).objects.filter(from_eamena=True).delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(load_terms, unload_terms)]
