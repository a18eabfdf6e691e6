"""The demo data: fixture files in the order they must be loaded.

Shared by the ``load_demo`` command and the tests, so the list lives in one place.
"""

from pathlib import Path

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"

DEMO_FIXTURES = [
    FIXTURES_DIR / "01_places.json",
    FIXTURES_DIR / "02_organisations.json",
    FIXTURES_DIR / "03_sources.json",
    FIXTURES_DIR / "04_sites.json",
    FIXTURES_DIR / "05_visits.json",
    FIXTURES_DIR / "06_figures.json",
    FIXTURES_DIR / "07_statements.json",
    FIXTURES_DIR / "08_fact_sources.json",
    FIXTURES_DIR / "09_restoration.json",
    FIXTURES_DIR / "10_commitments.json",
]
