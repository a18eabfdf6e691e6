"""An index for the listing of sites filtered by area, on every database.

``/sites/?area=`` selects the published sites of a set of places and shows them in name
order. With only the index on ``place_id``, the database reads every site of the area (some
thousands in a district of a large register) from the table to test its status and sort by
name; with ``(place_id, publication_status, name)`` it reads and counts them from the index
alone. Like the search indexes of migrations 0004 and 0005, it is made here in SQL rather
than declared in the model's ``Meta``; a later migration that rebuilds the table on SQLite
would drop it, and ``tests/heritage/test_site_list.py`` then fails.
"""

from django.db import migrations

INDEX = "heritage_site_area_sort_idx"


class Migration(migrations.Migration):
    dependencies = [("heritage", "0005_sqlite_name_search")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} "
            "ON heritage_site (place_id, publication_status, name)",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
