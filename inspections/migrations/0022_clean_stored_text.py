from django.db import migrations

from heritage.cleaning import clean_stored_text

#: The models whose text is cleaned on save (``heritage.base.NaturalKeyModel``).
CLEANED_MODELS = (
    "Assessment",
    "AssessmentCitation",
    "AssessmentType",
    "CauseCategory",
    "CauseType",
    "Certainty",
    "Commitment",
    "CommitmentUpdate",
    "DamageExtent",
    "DamageTrend",
    "Disturbance",
    "EffectType",
    "Evidence",
    "EvidenceTranslation",
    "OverallCondition",
    "Participation",
    "Priority",
    "ProjectBudget",
    "ProjectEvidence",
    "ProjectRole",
    "ProjectStatusUpdate",
    "ResponsibilityClaim",
    "RestorationProject",
    "Statement",
    "TrainingCourse",
    "Visit",
    "VisitCitation",
    "VisitEvent",
)


def clean_text(apps, schema_editor):
    """Remove from the stored text what a save now removes (``heritage.cleaning``)."""
    for name in CLEANED_MODELS:
        clean_stored_text(apps.get_model("inspections", name))


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0021_restoration_projects_of_published_sites"),
        ("heritage", "0017_site_folded_name_index_and_clean_stored_text"),
    ]

    operations = [migrations.RunPython(clean_text, migrations.RunPython.noop)]
