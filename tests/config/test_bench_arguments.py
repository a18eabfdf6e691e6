"""The page benchmark refuses arguments it cannot measure with, before touching a register."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import PlaceFactory, SiteFactory, condition

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--cold-runs", "0"], "--cold-runs must be at least 1"),
        (["--export-repeat", "-1"], "--export-repeat must be 0 or more"),
    ],
)
def test_the_page_benchmark_refuses_what_it_cannot_measure_with(arguments, message):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "measure_pages.py"), *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


@pytest.mark.django_db
def test_the_load_test_picks_as_many_distinct_addresses_as_a_small_register_holds(capsys):
    """Asked for more distinct listing addresses than a register of three sites in one
    district holds, it drives those it found rather than looking for more for ever."""
    from bench import loadtest

    district = PlaceFactory(slug="east", kind="district")
    for index in range(3):
        SiteFactory(published=True, name=f"Juma Mosque {index}", place=district)
    condition("Destroyed")

    exec(loadtest.PICK_DISTINCT.format(count=5000), {})
    picked = json.loads(capsys.readouterr().out.splitlines()[-1])

    listing = picked["listing"]
    assert 0 < len(listing) < 5000
    assert len(set(listing)) == len(listing)
    assert all(path.startswith("/sites/?") for path in listing)
    assert "/sites/?area=east&page=1" in listing
