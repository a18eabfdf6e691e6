"""The records a module's tests share (``tests.module_data``): a test without them does not
see them, and what a test changes of them is undone before the next test."""

import pytest
from django.contrib.auth.models import Group

from heritage.models import Site

pytestmark = pytest.mark.django_db

DEMO_SITE = "gargabazar-mosque"


def test_a_test_without_the_demo_sees_none_of_it_though_written_later_in_the_module():
    # Runs before the module's tests of the demo (``pytest_collection_modifyitems``), which
    # leave it loaded until the module's end.
    assert not Site.objects.exists()
    # The rows the migrations made are there, as for any test.
    assert Group.objects.filter(name="Editor").exists()


@pytest.mark.usefixtures("demo")
def test_a_test_may_change_the_demo():
    assert Site.objects.filter(slug=DEMO_SITE).update(slug="renamed") == 1
    assert not Site.objects.filter(slug=DEMO_SITE).exists()


@pytest.mark.usefixtures("demo")
def test_the_next_test_finds_the_demo_as_loaded():
    assert Site.objects.filter(slug=DEMO_SITE).exists()
    assert not Site.objects.filter(slug="renamed").exists()


def test_a_test_without_the_demo_before_one_with_it():
    assert not Site.objects.exists()
