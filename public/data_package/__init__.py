"""The whole register as one download: a Frictionless Data Package (``manage.py
export_datapackage``), offered on ``/data/``. The tables are in
:mod:`public.data_package.tables`, the writing in :mod:`public.data_package.writer`."""
