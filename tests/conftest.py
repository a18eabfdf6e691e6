import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep files written by tests out of the project folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache: a rolled-back test sends no signal to clear it."""
    cache.clear()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Start every test in English: a request in another language leaves it active in the
    thread, and messages made outside a request would follow the previous test."""
    with translation.override("en"):
        yield
