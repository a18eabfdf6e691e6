"""Indexes of the sites' registry numbers and Wikidata ids: the admin's search finds a site by
either given whole, in the same set of ids as its names (``heritage.admin.search``), which
without them read every site (150 ms at 500,000 sites on PostgreSQL, and the planner, not
knowing how few it would find, then read every site again to join them)."""

from django.db import migrations, models

from heritage.planner_statistics import analysing


class Migration(migrations.Migration):
    dependencies = [
        ("heritage", "0024_site_admin_order_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="site",
            index=models.Index(fields=["registry_number"], name="heritage_site_registry_idx"),
        ),
        migrations.AddIndex(
            model_name="site",
            index=models.Index(fields=["wikidata_id"], name="heritage_site_wikidata_idx"),
        ),
        migrations.RunPython(analysing("heritage_site"), migrations.RunPython.noop),
    ]
