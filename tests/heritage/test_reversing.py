"""``heritage.reversing.slug_url``: the addresses ``reverse()`` gives, reversed once."""

from unittest.mock import patch

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from heritage import reversing
from heritage.reversing import slug_url

NAMES = [
    "site-detail",
    "area-detail",
    "visit-detail",
    "organisation-detail",
    "restoration-detail",
    "training-detail",
    "commitment-detail",
]


@pytest.fixture(autouse=True)
def forgotten():
    reversing._around.clear()
    yield
    reversing._around.clear()
    set_script_prefix("/")


@pytest.mark.parametrize("language", ["en", "az", "ar"])
@pytest.mark.parametrize("prefix", ["/", "/register/"])
def test_the_address_is_the_one_reverse_gives(language, prefix):
    set_script_prefix(prefix)
    with translation.override(language):
        for name in NAMES:
            for slug in ("a", "juma-mosque-2", "Old_Bath-17"):
                assert slug_url(name, slug) == reverse(name, args=[slug])


def test_each_name_is_reversed_once_a_language():
    with patch.object(reversing, "reverse", wraps=reverse) as reversed_:
        for slug in ("one", "two", "three"):
            slug_url("site-detail", slug)
        with translation.override("az"):
            assert slug_url("site-detail", "one") == reverse("site-detail", args=["one"])
            slug_url("site-detail", "two")
    assert reversed_.call_count == 2


def test_what_is_not_a_slug_is_reversed_as_reverse_would():
    with pytest.raises(NoReverseMatch):
        slug_url("site-detail", "məscid")
    with pytest.raises(NoReverseMatch):
        slug_url("site-detail", "a/b")
    with pytest.raises(NoReverseMatch):
        slug_url("site-detail", "")


def test_a_changed_url_configuration_is_not_answered_from_before(settings):
    slug_url("site-detail", "kept")
    assert reversing._around
    settings.ROOT_URLCONF = "config.urls"
    assert not reversing._around
