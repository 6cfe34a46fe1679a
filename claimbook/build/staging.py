"""Staging: ``_build/stage/`` is the book exactly as Jupyter Book will see it, laid out afresh.

The stage holds the config (with ``execute_notebooks: "off"``, :func:`stage_config`: papermill has
executed, Jupyter Book only compiles), ``data/``, ``_static/``, the Markdown pages and the executed
notebooks (published as ``chapters/<entry name>.ipynb``), and nothing else: the source notebooks, which have
no outputs, never reach Jupyter Book. Its key (:func:`staged_book_key`) hashes what the compile
and publish steps read, so an unchanged stage is not compiled again. For the PDF, cells the HTML
folds away are retagged to be left out (:func:`fold_away_for_print`).
"""
from __future__ import annotations

import shutil
from pathlib import Path

from .keys import CACHE_FORMAT, key_of, shared_inputs, tree_digest
from .manifest import Entry
from .shared import BookPaths, BuildError

# Besides _config.yml and _toc.yml: the bibliography, the citation metadata, the release history and
# the benchmark results, which claimbook.sphinxext and its benchmark pages read beside the staged pages.
BOOK_FILES = ("references.bib", "CITATION.cff", "CHANGELOG.md", "benchmarks/results.json", "benchmarks/extract.json")


def stage_book(paths: BookPaths, entries: list[Entry]) -> None:
    """Lay out ``_build/stage/`` afresh: the book exactly as Jupyter Book will see it."""
    if paths.stage.exists():
        shutil.rmtree(paths.stage)
    paths.stage.mkdir(parents=True)
    for required in ("_config.yml", "_toc.yml"):
        if not (paths.root / required).is_file():
            raise BuildError(f"{required} is missing from {paths.root}")
        shutil.copy2(paths.root / required, paths.stage / required)
    stage_config(paths.stage / "_config.yml")
    # Files the Sphinx side reads beside the pages; staged, they are part of the staged book's key.
    for optional in BOOK_FILES:
        if (paths.root / optional).is_file():
            (paths.stage / optional).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(paths.root / optional, paths.stage / optional)
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
    for folder in ("data", "_static"):
        if (paths.root / folder).is_dir():
            shutil.copytree(paths.root / folder, paths.stage / folder, ignore=ignore)
    for page in sorted(paths.chapters.rglob("*.md")):
        target = paths.stage / "chapters" / page.relative_to(paths.chapters)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(page, target)
    (paths.stage / "chapters").mkdir(exist_ok=True)
    for entry in entries:
        shutil.copy2(paths.cache / f"{entry.name}.ipynb", paths.stage / "chapters" / f"{entry.name}.ipynb")


def stage_config(config: Path) -> None:
    """The staged config compiles notebooks as papermill executed them: ``execute_notebooks: "off"``
    (the book's own config lets a stock ``jupyter-book build .`` execute them)."""
    import yaml

    from ..files import read_yaml

    settings = read_yaml(config, "Jupyter Book configuration") or {}
    settings.setdefault("execute", {})["execute_notebooks"] = "off"
    config.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")


# A printed page cannot unfold anything: what the HTML folds away is left out of the PDF.
PRINT_TAGS = {"hide-input": "remove-input", "hide-output": "remove-output", "hide-cell": "remove-cell"}


def fold_away_for_print(stage: Path) -> list[Path]:
    """Retag the staged notebooks for the PDF build (after the HTML build); return those changed."""
    import nbformat

    changed = []
    for path in sorted((stage / "chapters").rglob("*.ipynb")):
        notebook = nbformat.read(str(path), as_version=4)
        touched = False
        for cell in notebook.cells:
            tags = cell.metadata.get("tags", [])
            for folded, removed in PRINT_TAGS.items():
                if folded in tags and removed not in tags:
                    tags.append(removed)
                    touched = True
        if touched:
            path.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
            changed.append(path)
    return changed


def staged_book_key(paths: BookPaths) -> str:
    """The hash of everything the compile and publish steps read (data/ is staged)."""
    return key_of({
        "format": CACHE_FORMAT,
        "stage": tree_digest(paths.stage),
        **shared_inputs(paths),
    })
