"""The read API under ``/api/v1/``: the register's published records as JSON (and sites as
GeoJSON), with an OpenAPI schema and its docs.

It reads through the same ``public()`` querysets, selectors and FilterSets as the pages, so
the publication rules are the pages' rules. Modules: ``serializers`` (what each resource
shows), ``views`` and ``urls``, ``filters`` (the pages' FilterSets, and which parameters each
list accepts), ``pagination`` (cursors), ``conditional`` (ETag and Last-Modified),
``throttling`` and ``errors`` (the shape of a 4xx answer).
"""
