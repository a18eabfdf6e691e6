"""On PostgreSQL only: an index of the published sites by category that holds where the map
puts them (``heritage_site_cat_point_idx``), so that a map counted from the sites of a
category (``public.views.map_data``: a year's mosques) reads no table. At 500,000 sites it
read the 41,000 mosques from the table.

Not declared on the model, which would make it on SQLite too: there SQLite's plans of the
searches changed with it (the count of a broad search, ``/sites/?q=ba``, went from 34 to 82 ms
after an edit at 500,000 sites), and the map does not use it. With the index of the
published assessments by date (``inspections`` 0036), a country's clusters of a year's
mosques with the cache emptied took 192 ms on PostgreSQL and take 43."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS heritage_site_cat_point_idx ON heritage_site "
    "(category, id, location_precision, latitude, longitude, place_id) "
    "WHERE publication_status = 'published'"
)
DROP = "DROP INDEX IF EXISTS heritage_site_cat_point_idx"


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("heritage", "0022_source_listed_index"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP), elidable=False),
    ]
