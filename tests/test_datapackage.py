"""The data package as the book publishes it (_build/html/data): complete, valid, and the same bytes
from the same inputs."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from claimbook.errors import DataError
from claimbook.published import published_package, resource_paths, write_zip, zip_file

from tools import frictionless

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def published(book_html) -> Path:
    return book_html / "data"


@pytest.fixture(scope="module")
def package(published) -> dict:
    return json.loads((published / "datapackage.json").read_text(encoding="utf-8"))


def test_frictionless_validates_the_published_package(published):
    run = frictionless(published / "datapackage.json")
    assert run.returncode == 0 and '"valid": true' in run.stdout, run.stdout[-3000:]


def test_frictionless_validates_the_published_zip(book_html, package):
    run = frictionless(book_html / zip_file(package))
    assert run.returncode == 0 and '"valid": true' in run.stdout, run.stdout[-3000:]


def test_every_published_file_is_a_resource_of_the_package(published, package, book_html):
    files = {p.relative_to(published).as_posix() for p in published.rglob("*") if p.is_file()}
    listed = set(resource_paths(package))
    zipped = Path(zip_file(package)).relative_to("data").as_posix()
    assert files == listed | {"datapackage.json", zipped}
    assert "derived.csv" in listed and "sources/xinhua-2026-jiangxi.txt" in listed


def test_the_source_text_resource_carries_the_registered_hash(package):
    (text,) = [r for r in package["resources"] if r.get("type") == "text"]
    sha256 = next(line for line in (DATA_DIR / "sources.csv").read_text(encoding="utf-8").splitlines()
                  if line.startswith("xinhua-2026-jiangxi,")).split(",")[2]
    assert text["hash"] == f"sha256:{sha256}"
    assert text["bytes"] == (DATA_DIR / text["path"]).stat().st_size


def test_frictionless_refuses_a_published_text_that_was_edited(published, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(published, copy)
    text = copy / "sources" / "xinhua-2026-jiangxi.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("586.7亿元", "586.8亿元"), encoding="utf-8")
    run = frictionless(copy / "datapackage.json")
    assert run.returncode != 0 and "hash-count" in run.stdout


def test_the_zip_is_the_same_bytes_from_the_same_files(published, package, tmp_path):
    first = write_zip(published, package, tmp_path / "a.zip").read_bytes()
    second = write_zip(published, package, tmp_path / "b.zip").read_bytes()
    assert first == second


def test_a_package_whose_source_text_is_missing_is_named(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    (data / "sources" / "xinhua-2026-jiangxi.txt").unlink()
    with pytest.raises(DataError, match="xinhua-2026-jiangxi.txt: the text of source 'xinhua-2026-jiangxi' is missing"):
        published_package(data)
