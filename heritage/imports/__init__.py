"""Import and export of the register's records as CSV or XLSX rows (django-import-export).

- :mod:`~heritage.imports.files`: reading an uploaded file as a table, strictly;
- :mod:`~heritage.imports.cells`: one cell's text, and the widgets that read and write it;
- :mod:`~heritage.imports.columns`: the columns a resource declares;
- :mod:`~heritage.imports.names`: the ``names`` column of sites;
- :mod:`~heritage.imports.preview`: what the preview shows and hands on to the confirmation;
- :mod:`~heritage.imports.resources`: the resources of sites and reported figures, and the
  base every resource shares (assessments have theirs in :mod:`inspections.imports`);
- :mod:`~heritage.imports.engine`: a file's rows checked in batches, and written;
- :mod:`~heritage.imports.writing`: a batch written in bulk, with history and log entries;
- :mod:`~heritage.imports.jobs`: the preview and the confirmation as background tasks.

The admin's import and export views are in :mod:`heritage.admin.imports`.
"""
