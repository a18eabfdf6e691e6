"""The apps import only downward: config, then public and operations, then inspections,
then heritage (the layers contract in pyproject.toml, checked by import-linter)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["config", "public", "operations", "inspections", "heritage"]


def lint_imports(folder):
    """Run import-linter on the apps in ``folder``; return (exit code, output)."""
    result = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()"],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(folder)},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def copy_apps(destination):
    shutil.copy(ROOT / "pyproject.toml", destination)
    for app in APPS:
        shutil.copytree(ROOT / app, destination / app, ignore=shutil.ignore_patterns("__pycache__"))


def test_the_apps_keep_the_layers_contract():
    code, output = lint_imports(ROOT)

    assert code == 0, output
    assert "1 kept, 0 broken" in output


@pytest.mark.parametrize(
    ("module", "upward"),
    [
        ("heritage/models/sites.py", "from inspections import models as _inspections"),
        ("inspections/status.py", "import public.selectors"),
        ("public/selectors.py", "from config import settings as _settings"),
        ("operations/__init__.py", "from public import urls as _urls"),
    ],
)
def test_an_upward_import_breaks_the_contract(tmp_path, module, upward):
    copy_apps(tmp_path)
    path = tmp_path / module
    path.write_text(path.read_text() + f"\n{upward}  # noqa\n")

    code, output = lint_imports(tmp_path)

    assert code != 0
    assert "BROKEN" in output
    assert module.split("/")[0] + " is not allowed to import" in output
