"""An index of the sites by name and id, every publication status together: the admin's list
of sites' order. Without it each page of that list sorted every site: at 500,000 sites the
first page took 412 ms on PostgreSQL and 854 on SQLite, the thousandth 674 and 3,194; with
it 101 and 58, 235 and 249 (a staff user's request, the cache emptied). The public listing's
pages on SQLite kept their plans and times (``bench/measure_pages.py --only /sites/``)."""

from django.db import migrations, models

from heritage.planner_statistics import analysing


class Migration(migrations.Migration):
    dependencies = [
        ("heritage", "0023_map_from_sites_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="site",
            index=models.Index(fields=["name", "id"], name="heritage_site_admin_order_idx"),
        ),
        migrations.RunPython(analysing("heritage_site"), migrations.RunPython.noop),
    ]
