import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep files written by tests out of the project folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
