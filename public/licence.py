"""The licence under which the register publishes its data: in the data package, on
``/data/`` and in the dossiers' schema.org description. The register's choice is Creative
Commons Attribution 4.0: anyone may reuse the data, also commercially, if they credit the
register. Photos and documents keep their own licences (see ``inspections.models.licences``)."""

DATA_LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
