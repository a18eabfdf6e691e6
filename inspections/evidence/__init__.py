"""Evidence: the photos and documents behind the register's records.

- :mod:`~inspections.evidence.checks`: checking an uploaded file and reading what it says
  about itself, and rendering the public copies of a photo (no database).
- :mod:`~inspections.evidence.storage`: storing originals and renditions, and creating
  evidence items.
- :mod:`~inspections.evidence.admin`: the staff pages, and the evidence lists on the pages
  of sites, sources, visits and assessments.
- :mod:`~inspections.evidence.gallery`: what the public pages show of evidence.

The models are in :mod:`inspections.models.evidence`.
"""
