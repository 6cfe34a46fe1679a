"""Two clean builds of this repository, in two folders, give the same bytes.

The first build runs one notebook at a time, each kernel started from scratch as Jupyter starts it;
the second runs two at once, each kernel forked from the preloaded pool (claimbook.kernelpool). So
neither the checkout's location, nor the order of execution, nor the way kernels start may leave a
trace. Compared: every executed notebook, every
value file, every cache key, derived.csv, and the charts inside the notebooks (SVG for the HTML,
PNG for the LaTeX), whose embedded dates must be the build's fixed SOURCE_DATE_EPOCH, not the clock
(a PNG carries no date at all).
"""
from __future__ import annotations

import base64
import io
import json
import re
import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest

from claimbook.build import BookPaths, BuildOptions, build
from claimbook.build.execute.kernels import KERNEL_ENV
from claimbook.build.publishing import write_derived_from_registry
from claimbook.verify import copy_inputs

ROOT = Path(__file__).resolve().parent.parent
EPOCH = datetime.fromtimestamp(int(KERNEL_ENV["SOURCE_DATE_EPOCH"]), tz=UTC)


def clean_build(paths: BookPaths, jobs: int, kernel_pool: bool) -> BookPaths:
    out = io.StringIO()
    options = BuildOptions(validate=False, html=False, jobs=jobs, kernel_pool=kernel_pool, out=out)
    assert build(paths, options) == 0, out.getvalue()
    write_derived_from_registry(paths)(paths.build / "derived.csv")
    return paths


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[BookPaths, BookPaths]:
    # The second copy is made from the first, so both hold the same inputs even if the
    # repository is edited while the first one builds.
    first = copy_inputs(ROOT, tmp_path_factory.mktemp("first") / "book")
    second = copy_inputs(first.root, tmp_path_factory.mktemp("second") / "elsewhere" / "book")
    return clean_build(first, jobs=1, kernel_pool=False), clean_build(second, jobs=2, kernel_pool=True)


def cache_files(paths: BookPaths) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(paths.cache.iterdir())
            if p.suffix in (".ipynb", ".json", ".key")}


FIGURE_MIMES = ("image/svg+xml", "image/png")  # what claimbook.outputs gives every chart


def figures(paths: BookPaths) -> dict[tuple[str, int, str], bytes]:
    """Every SVG and PNG output of every executed notebook, as bytes."""
    found = {}
    for path in sorted(paths.cache.glob("*.ipynb")):
        for number, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            for output in cell.get("outputs", []):
                for mime, content in output.get("data", {}).items():
                    content = "".join(content) if isinstance(content, list) else content
                    if mime == "image/svg+xml":
                        found[(path.stem, number, mime)] = content.encode("utf-8")
                    elif mime == "image/png":
                        found[(path.stem, number, mime)] = base64.b64decode(content)
    return found


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, content) of each chunk of a PNG file."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        chunks.append((data[offset + 4:offset + 8], data[offset + 8:offset + 8 + length]))
        offset += 12 + length
    return chunks


def test_executed_notebooks_values_and_keys_are_byte_identical(builds):
    first, second = map(cache_files, builds)
    assert sorted(first) == sorted(second)
    assert any(name.endswith(".ipynb") for name in first)
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, f"these differ between two clean builds: {differing}"


def test_derived_csv_is_identical(builds):
    first, second = builds
    assert (first.build / "derived.csv").read_bytes() == (second.build / "derived.csv").read_bytes()


def test_no_build_location_leaks_into_the_outputs(builds):
    for paths in builds:
        for name, data in cache_files(paths).items():
            assert str(paths.root).encode() not in data, f"{name} holds the path of the folder it was built in"
            assert b"/tmp/" not in data, f"{name} holds a temporary path"


def test_figure_bytes_are_identical_and_dated_by_source_date_epoch(builds):
    first, second = map(figures, builds)
    assert first, "the book has charts; none were found in the executed notebooks"
    kinds = {kind for _, _, kind in first}
    assert kinds == set(FIGURE_MIMES), f"charts should come as SVG (HTML) and PNG (LaTeX), found {sorted(kinds)}"
    assert first.keys() == second.keys()
    for where in first:
        assert first[where] == second[where], f"{where} differs between two clean builds"

    svg_date = EPOCH.isoformat()  # matplotlib writes 2026-01-01T00:00:00+00:00
    for (chapter, cell, kind), data in first.items():
        if kind == "image/svg+xml":
            dates = re.findall(r"<dc:date>(.*?)</dc:date>", data.decode("utf-8"))
            assert dates == [svg_date], f"{chapter} cell {cell}: SVG dates {dates}, expected the fixed epoch"
        else:
            chunks = png_chunks(data)
            assert b"tIME" not in [kind for kind, _ in chunks], f"{chapter} cell {cell}: the PNG has a tIME chunk"
            texts = [content for kind, content in chunks if kind in (b"tEXt", b"iTXt", b"zTXt")]
            assert not [t for t in texts if re.match(rb"(?i)(creation ?time|date)\0", t)], \
                f"{chapter} cell {cell}: the PNG names a date: {texts}"
