"""The data of one build: the registry read once from ``claimbook_data_dir``, shared by every page.

:func:`load_book` runs when the builder starts, so a source whose sha256 changed stops the build
before any page is read. The :class:`Book` is kept beside the Sphinx application, not in the
pickled environment: it is read again on every build, and only from ``data/``.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..citation import load_citation
from ..derived import evaluate_all
from ..published import published_package, read_package
from ..registry import Registry


@dataclass
class Book:
    registry: Registry
    citation_path: Path  # CITATION.cff, beside the pages (``claimbook_citation_file``)

    # Files every page's metadata, footer and download menu read: read once per build. A file that
    # fails to read raises each time it is asked for (cached_property keeps no exception), so the
    # page that reports it still does.
    @cached_property
    def citation(self) -> dict:
        return load_citation(self.citation_path)

    @cached_property
    def package(self) -> dict:
        """data/datapackage.json as written."""
        return read_package(self.registry.data_dir)

    @cached_property
    def published_package(self) -> dict:
        """The package as the build publishes it, with the source texts (:func:`published_package`)."""
        return published_package(self.registry.data_dir)

    @cached_property
    def derived(self) -> dict:
        """Evaluated on first use: a book without derived figures needs no formulas.csv."""
        return evaluate_all(self.registry, reading="point")

    @cached_property
    def sentence_ids(self) -> dict:
        """Every name a page may give a sentence (:func:`sentence_ids`), built once per build."""
        return sentence_ids(self.registry)

    @cached_property
    def dependencies(self) -> list[str]:
        """Data files whose change must re-read the pages that use them."""
        data_dir = self.registry.data_dir
        files = [data_dir / name for name in ("sources.csv", "groups.csv", "claims.csv", "glosses.csv",
                                              "formulas.csv")]
        files += [source.path for source in self.registry.sources.values()]
        return sorted(str(path.resolve()) for path in files if path.exists())


_BOOKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def load_book(app) -> None:
    data_dir = Path(app.srcdir) / app.config.claimbook_data_dir
    registry = Registry(data_dir)
    registry.sentences  # noqa: B018 - reads every source now, so a changed hash stops the build early
    _BOOKS[app] = Book(registry, citation_file(app.srcdir, app.config))


def citation_file(srcdir, config) -> Path:
    """Where the book's CITATION.cff is: ``claimbook_citation_file``, beside the pages."""
    return Path(srcdir) / config.claimbook_citation_file


def book_of(env) -> Book:
    return _BOOKS[env.app]


def note_dependencies(env) -> None:
    """Make the page being read depend on the data files, so editing one re-reads it."""
    for path in book_of(env).dependencies:
        env.note_dependency(path)


def sentence_ids(registry: Registry) -> dict:
    """Every way a sentence may be named: ``source:p07.s2``, and a bare ``p07.s2`` for a sentence of
    the book's own article, the first row of sources.csv; so adding a source breaks no page."""
    ids = {f"{sid}:{s.id}": s for sid, sentences in registry.sentences.items() for s in sentences}
    ids.update({s.id: s for s in registry.sentences[first_source(registry)]})
    return ids


def first_source(registry: Registry) -> str:
    return next(iter(registry.sentences))  # sources.csv order


def split_sentence_ref(registry: Registry, ref: str) -> tuple[str, str]:
    """``source:p07.s2`` → (source, p07.s2); a bare ``p07.s2`` names a sentence of the first source."""
    if ":" in ref:
        source_id, _, sentence_id = ref.partition(":")
        return source_id, sentence_id
    return first_source(registry), ref


def setup_book(app) -> None:
    app.add_config_value("claimbook_data_dir", "data", "env", types=[str])
    app.connect("builder-inited", load_book)
