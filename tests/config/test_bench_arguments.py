"""The page benchmark refuses arguments it cannot measure with, before touching a register."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_page_benchmark_refuses_fewer_than_one_request_with_an_empty_cache():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "measure_pages.py"), "--cold-runs", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 2
    assert "--cold-runs must be at least 1" in result.stderr
    assert result.stdout == ""
