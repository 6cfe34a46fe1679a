"""Publishing: nothing reaches ``_build/html`` until the staged book is complete and audited.

The data package (with a freshly computed ``derived.csv``, the source texts and a zip of it all) and
the PDF are put into the staged HTML (:func:`publish`); the audit refuses a book in which a reader
would see an untraced number or a PDF whose layout fails (:func:`audit_staged`); only then is the
staged result swapped into place by renames
(:func:`swap_into_place`). A failure at any step leaves the last good book where it was.

What was published is recorded in ``_build/book.key`` (:func:`record_published`): the staged book's
key and a digest of every published file. The book is current only while both still hold
(:func:`published_as_recorded`): a stock ``jupyter-book build .`` writes its own pages into
``_build/html`` and ``_build/latex``, and ``make book`` must not take them for its own.
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from ..published import DATA_FOLDER, PDF_FILE, published_package, resource_paths, write_zip, zip_file
from .keys import tree_digest
from .shared import BookPaths, BuildError, relative


def publish(paths: BookPaths, write_derived: Callable[[Path], object], pdf: bool = True) -> None:
    """Put the data package (its files and a zip) and the PDF into the staged HTML, ready to be
    swapped in. The package is :func:`claimbook.published.published_package`: every file published in
    ``data/`` is one of its resources, the source texts included."""
    data_out = paths.staged_html / DATA_FOLDER
    data_out.mkdir(parents=True, exist_ok=True)
    for required in (paths.data / "datapackage.json", paths.data / "claims.csv"):
        if not required.is_file():
            raise BuildError(f"cannot publish the data package: {relative(required, paths.root)} is missing")
    package = published_package(paths.data)
    (data_out / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n",
                                               encoding="utf-8")
    # derived.csv is computed, not copied; every other resource is copied as it is.
    for resource_path in resource_paths(package):
        source = paths.data / resource_path
        if Path(resource_path).name == "derived.csv":
            continue
        if not source.is_file():
            raise BuildError(f"cannot publish the data package: {relative(source, paths.root)}, a resource of "
                             f"data/datapackage.json, is missing")
        (data_out / resource_path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, data_out / resource_path)
    write_derived(data_out / "derived.csv")
    write_zip(data_out, package, paths.staged_html / zip_file(package))
    if pdf:
        shutil.copy2(paths.staged_latex / "book.pdf", paths.staged_html / PDF_FILE)


def audit_staged(paths: BookPaths, pdf: bool, say: Callable[[str], None]) -> None:
    """Refuse to publish a book in which a reader would see an untraced number (claimbook.audit), or
    a PDF whose layout fails (claimbook.pdfcheck: a word past the margin, a table cut short)."""
    from ..audit import audit_book

    audit = audit_book(paths.staged_html, pdf)
    for label, report in audit.reports:
        say(f"[audit] {report.summary(label)}")
    if audit.untraced:
        raise BuildError("untraced numbers in the book:\n  " + "\n  ".join(
            f"{f.page}: '{f.number}' in …{f.context}…" for f in audit.untraced[:40]))
    if audit.layout is not None:
        say(f"[audit] {audit.layout.summary()}")
        if audit.layout.problems:
            raise BuildError("the PDF's layout fails:\n  " + "\n  ".join(str(p) for p in audit.layout.problems[:40]))


def published_digests(paths: BookPaths, pdf: bool) -> dict[str, str]:
    """A digest of every file of the published HTML (and of the LaTeX folder, for a PDF build)."""
    found = {"html": tree_digest(paths.html)}
    if pdf:
        found["latex"] = tree_digest(paths.latex)
    return found


def record_published(paths: BookPaths, key: str, pdf: bool) -> None:
    """Written last, once the new book is in place: what was published, and from which stage."""
    record = {"key": key, "published": published_digests(paths, pdf)}
    paths.book_key.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def published_as_recorded(paths: BookPaths, key: str, pdf: bool) -> bool:
    """True when ``_build/book.key`` records ``key`` and the published files are byte for byte those
    this build published; anything else (no record, an old-format record, a page written since by
    another tool) is not."""
    try:
        record = json.loads(paths.book_key.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return False
    if not isinstance(record, dict) or record.get("key") != key:
        return False
    return record.get("published") == published_digests(paths, pdf)


def swap_into_place(staged: Path, live: Path) -> None:
    """Replace ``live`` with ``staged`` by renames, so ``live`` is never half-written."""
    old = live.with_name(live.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if live.exists():
        live.rename(old)
    staged.rename(live)
    if old.exists():
        shutil.rmtree(old)


def write_derived_from_registry(paths: BookPaths) -> Callable[[Path], object]:
    def write(target: Path):
        from ..derived import write_published
        from ..registry import Registry

        return write_published(target, Registry(paths.data))
    return write
