"""An installed claimbook (a wheel, not the editable checkout) carries its modules and the extension's CSS and JS."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BUILD_INPUTS = ("pyproject.toml", "requirements.txt")


def package_files() -> set[str]:
    """Every file of claimbook/ in the checkout, as a wheel names it."""
    package = REPO / "claimbook"
    return {path.relative_to(REPO).as_posix() for path in package.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel pip builds from a copy of the package (so the build leaves nothing in the checkout)."""
    root = tmp_path_factory.mktemp("wheel")
    src = root / "src"
    shutil.copytree(REPO / "claimbook", src / "claimbook", ignore=shutil.ignore_patterns("__pycache__"))
    for name in BUILD_INPUTS:
        shutil.copy2(REPO / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation",
                    "--disable-pip-version-check", "-q", "-w", str(root / "dist")],
                   check=True, capture_output=True, text=True)
    (built,) = (root / "dist").glob("claimbook-*.whl")
    return built


def test_the_wheel_holds_every_file_of_the_package(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = {name for name in archive.namelist() if name.startswith("claimbook/")}
    assert "claimbook/sphinxext/static/claimbook.css" in names
    assert names == package_files()


def test_the_installed_extension_finds_its_static_files(wheel, tmp_path):
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    probe = ("import claimbook, claimbook.sphinxext as ext; from claimbook.sphinxext.assets import STATIC_DIR; "
             "print(claimbook.__file__); print(*sorted(p.name for p in STATIC_DIR.iterdir()))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(site)}, check=True)
    module_file, static = result.stdout.splitlines()
    assert Path(module_file).is_relative_to(site)
    assert static.split() == ["claimbook.css", "claimbook.js", "search-query.js"]
