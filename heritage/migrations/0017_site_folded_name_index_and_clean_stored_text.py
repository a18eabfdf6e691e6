from django.db import migrations, models

from heritage.cleaning import clean_stored_text

#: The models whose text is cleaned on save (``heritage.base.NaturalKeyModel``).
CLEANED_MODELS = (
    "Organisation",
    "Person",
    "Place",
    "PlaceName",
    "ReportedFigure",
    "Site",
    "SiteCitation",
    "SiteClaim",
    "SiteClaimTranslation",
    "SiteIdentifier",
    "SiteName",
    "SiteTranslation",
    "Source",
)


def clean_text(apps, schema_editor):
    """Remove from the stored text what a save now removes (``heritage.cleaning``)."""
    for name in CLEANED_MODELS:
        clean_stored_text(apps.get_model("heritage", name))


class Migration(migrations.Migration):
    dependencies = [
        ("heritage", "0016_site_identifiers_elsewhere"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="site",
            index=models.Index(fields=["folded_name"], name="heritage_site_folded_idx"),
        ),
        migrations.RunPython(clean_text, migrations.RunPython.noop),
    ]
