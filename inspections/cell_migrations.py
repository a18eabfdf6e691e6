"""What the migrations that give the map's cells new counts run once their fields exist."""


def count_every_cell_again(apps, schema_editor):
    """Count every map cell again from the public sites, as ``manage.py rebuild_map_cells``
    does, on the migration's historical models, in its transaction. Imported when it runs:
    ``inspections.map_cells`` needs the app registry ready."""
    from inspections.map_cells import count_every_cell

    count_every_cell(
        apps.get_model("heritage", "Site"),
        apps.get_model("inspections", "Assessment"),
        apps.get_model("inspections", "MapCell"),
    )
