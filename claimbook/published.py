"""What readers take away, and where the build publishes it inside the HTML folder: the PDF, and the
data package as its files and as one zip. One place for the build, which writes them
(:mod:`claimbook.build.publishing`), and for the pages, which link to them.

The published package is ``data/datapackage.json`` with every source text as a resource too (its
sha256 and size from ``sources.csv``), so that the W3C selectors of ``claims.csv`` resolve in the
download and ``frictionless validate`` proves the text is the one the offsets count in. Every file
the build publishes in ``data/`` is a resource of the package.
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

from .errors import DataError
from .source import load_sources

PDF_FILE = "book.pdf"
DATA_FOLDER = "data"
PACKAGE_FILE = "data/datapackage.json"
# Zip entries carry a timestamp; a fixed one keeps the same package byte-identical.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def zip_file(package: dict) -> str:
    """The zip of the data package, named after the package (``data/jiangxi-feature-claims.zip``)."""
    return f"{DATA_FOLDER}/{package.get('name') or 'datapackage'}.zip"


def read_package(data_dir: Path) -> dict:
    path = Path(data_dir) / "datapackage.json"
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(path, None, None, "the data package description is missing") from None
    except ValueError as exc:
        raise DataError(path, None, None, f"not valid JSON: {exc}") from None
    if not isinstance(package.get("resources"), list):
        raise DataError(path, None, "resources", "a data package lists its resources")
    return package


def text_resource(source, data_dir: Path) -> dict:
    """A source text as a Frictionless text resource, its hash and size as sources.csv registers them."""
    path = Path(source.path)
    return {
        "name": f"text-{source.source_id}",
        "path": path.relative_to(Path(data_dir)).as_posix(),
        "type": "text",
        "format": "txt",
        "mediatype": "text/plain",
        "encoding": "utf-8",
        "hash": f"sha256:{source.sha256}",
        "bytes": path.stat().st_size,
        "title": source.title + (source.subtitle or ""),
        "description": (f"The article of source '{source.source_id}' verbatim. The offsets (start, end) of "
                        f"claims.csv count its Unicode code points: W3C TextPositionSelectors into this file."),
    }


def published_package(data_dir: Path) -> dict:
    """The package as the book publishes it: data/datapackage.json and every source text."""
    package = read_package(data_dir)
    listed = {resource.get("path") for resource in package["resources"]}
    if not (Path(data_dir) / "sources.csv").is_file():
        return package  # a package of other data than articles
    for source in load_sources(data_dir).values():
        if not source.path.is_file():
            raise DataError(source.path, None, None, f"the text of source '{source.source_id}' is missing")
        resource = text_resource(source, data_dir)
        if resource["path"] not in listed:
            package["resources"].append(resource)
    return package


def resource_paths(package: dict) -> list[str]:
    return [r["path"] for r in package["resources"] if isinstance(r.get("path"), str)]


def write_zip(folder: Path, package: dict, target: Path) -> Path:
    """The package's description and every resource it lists, at the root of one zip (as
    ``frictionless validate`` reads a zipped package), byte-identical for the same files."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in ["datapackage.json", *resource_paths(package)]:
            entry = zipfile.ZipInfo(name, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, (folder / name).read_bytes())
    return target
