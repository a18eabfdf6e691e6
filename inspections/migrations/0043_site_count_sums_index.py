import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """An index of the site counts by place, condition, verification level and category,
    with the number of sites: the sums by district of ``/statistics/`` read it alone. It
    serves every query by place, so the place's own index goes, after it is made."""

    dependencies = [
        ("heritage", "0025_site_identifier_indexes"),
        ("inspections", "0042_vacuum_map_cell_latest_months"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="sitecount",
            index=models.Index(
                fields=["place", "condition", "verification", "category", "sites"],
                name="inspections_sitecount_sums",
            ),
        ),
        migrations.AlterField(
            model_name="sitecount",
            name="place",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="heritage.place",
            ),
        ),
    ]
