"""Load the register's own mapping of cause categories to cause types.

The mapping is the register's editorial choice, not EAMENA's: see the note at the top of
``inspections/data/cause_types.json``. Running it again adds the listed types and keeps any
that editors added since.
"""

import json
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "cause_types.json"


def load_mapping(apps, schema_editor):
    CauseCategory = apps.get_model("inspections", "CauseCategory")
    CauseType = apps.get_model("inspections", "CauseType")
    mapping = json.loads(DATA_FILE.read_text(encoding="utf-8"))["cause_types_by_category"]
    types = {term.label: term for term in CauseType.objects.all()}
    for label, type_labels in mapping.items():
        category = CauseCategory.objects.filter(label=label).first()
        if category is None:
            continue
        category.cause_types.add(*[types[name] for name in type_labels if name in types])


def unload_mapping(apps, schema_editor):
    CauseCategory = apps.get_model("inspections", "CauseCategory")
    CauseCategory.cause_types.through.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_review_version_history")]

    operations = [migrations.RunPython(load_mapping, unload_mapping)]
