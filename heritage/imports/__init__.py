"""Import and export of the register's records as spreadsheet rows (django-import-export).

:mod:`heritage.imports.resources` holds the resources of sites and reported figures and the
base every resource shares; the admin's import and export views are in
:mod:`heritage.admin.imports`.
"""
