"""The manifest: which notebooks the build executes, with which parameters, in which order.

``chapters/manifest.yml`` lists *entries*: a notebook, its parameters and the entries it ``needs``.
Everything a run would only discover late is refused here, before any kernel starts, with a
:class:`~claimbook.errors.DataError` naming the file, the entry and the field: a parameter the
notebook's cell tagged ``parameters`` does not set (papermill would only warn), a page of
``_toc.yml`` that is neither an entry nor a file (Sphinx would only say so after every notebook ran),
an unknown or circular ``needs``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import DataError
from ..files import read_yaml
from ..interval import READINGS
from .shared import BookPaths


@dataclass(frozen=True)
class Entry:
    """One executed page: ``notebook`` run with ``parameters``, published as ``chapters/<name>``."""

    name: str
    notebook: str
    parameters: dict
    needs: tuple[str, ...] = ()


_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_REQUIRED_PARAMETERS = ("source_id", "group", "reading")


def load_manifest(path: Path) -> list[Entry]:
    """Read and check ``chapters/manifest.yml``; entries come back in an order that honours ``needs``."""
    path = Path(path)
    document = read_yaml(path, "manifest")
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise DataError(path, None, "entries", "expected a mapping with a list under 'entries'")

    entries: list[Entry] = []
    for number, raw in enumerate(document["entries"], start=1):
        entries.append(_parse_entry(path, number, raw))

    names = [e.name for e in entries]
    for number, entry in enumerate(entries, start=1):
        if names.count(entry.name) > 1:
            raise DataError(path, number, "name", f"entry name '{entry.name}' is used more than once")
        for need in entry.needs:
            if need not in names:
                raise DataError(path, number, "needs", f"'{entry.name}' needs '{need}', which is not an entry")
            if need == entry.name:
                raise DataError(path, number, "needs", f"'{entry.name}' needs itself")
        notebook = path.parent / entry.notebook
        if not notebook.is_file():
            raise DataError(path, number, "notebook", f"notebook '{entry.notebook}' does not exist in {path.parent}")
        check_parameters(path, number, entry, notebook)
        if (path.parent / f"{entry.name}.md").exists():
            raise DataError(path, number, "name",
                            f"chapters/{entry.name}.md exists too; the executed notebook is published as "
                            f"chapters/{entry.name}.ipynb and the two pages would collide")
    return dependency_order(path, entries)


def _parse_entry(path: Path, number: int, raw) -> Entry:
    if not isinstance(raw, dict):
        raise DataError(path, number, None, "an entry must be a mapping")
    unknown = set(raw) - {"name", "notebook", "parameters", "needs"}
    if unknown:
        raise DataError(path, number, sorted(unknown)[0], "unknown field")
    name, notebook = raw.get("name"), raw.get("notebook")
    if not isinstance(name, str) or not _NAME.match(name):
        raise DataError(path, number, "name", f"{name!r} is not a kebab-case page name")
    if not isinstance(notebook, str) or not notebook.endswith(".ipynb") or Path(notebook).is_absolute() \
            or ".." in Path(notebook).parts:
        raise DataError(path, number, "notebook", f"{notebook!r} is not a .ipynb path under chapters/")
    parameters = raw.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise DataError(path, number, "parameters", "parameters must be a mapping")
    for required in _REQUIRED_PARAMETERS:
        if required not in parameters:
            raise DataError(path, number, "parameters", f"'{name}' lacks the parameter '{required}'")
    if parameters["reading"] not in READINGS:
        raise DataError(path, number, "parameters",
                        f"reading {parameters['reading']!r} is not one of {', '.join(READINGS)}")
    if "output_dir" in parameters:
        raise DataError(path, number, "parameters", "output_dir is set by the build; leave it out")
    needs = raw.get("needs") or []
    if not isinstance(needs, list) or not all(isinstance(n, str) for n in needs):
        raise DataError(path, number, "needs", "needs must be a list of entry names")
    return Entry(name=name, notebook=notebook, parameters=dict(parameters), needs=tuple(needs))


def parameters_cell_names(notebook: Path) -> set[str] | None:
    """The names the notebook's cell tagged ``parameters`` assigns; None when it has no such cell."""
    import ast

    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (ValueError, AttributeError):
        raise DataError(notebook, None, None, "not a readable notebook (invalid JSON)") from None
    for number, cell in enumerate(cells, start=1):
        if cell.get("cell_type") != "code" or "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        try:
            tree = ast.parse(source)
        except SyntaxError as exc:
            raise DataError(notebook, None, f"cell {number}", f"the parameters cell is not valid Python: {exc.msg}") \
                from None
        names = set()
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, ast.AnnAssign) else []
            for target in targets:
                for leaf in ast.walk(target):
                    if isinstance(leaf, ast.Name):
                        names.add(leaf.id)
        return names
    return None


def check_parameters(path: Path, number: int, entry: Entry, notebook: Path) -> None:
    """Papermill only warns about a parameter the notebook does not declare (and injects it
    anyway), or about a notebook without a parameters cell; here both stop the build."""
    declared = parameters_cell_names(notebook)
    if declared is None:
        raise DataError(path, number, "notebook",
                        f"chapters/{entry.notebook} has no code cell tagged 'parameters', so the parameters "
                        f"of '{entry.name}' have nowhere to go")
    for name in [*entry.parameters, "output_dir"]:
        if name not in declared:
            passed = "the build passes" if name == "output_dir" else f"'{entry.name}' passes"
            raise DataError(path, number, "parameters",
                            f"{passed} '{name}', which the parameters cell of chapters/{entry.notebook} does not "
                            f"set (it sets: {', '.join(sorted(declared)) or 'nothing'})")


def check_toc(paths: BookPaths, entries: list[Entry]) -> None:
    """Every page ``_toc.yml`` names is an entry's executed notebook or a file of the book; checked
    before anything runs, because Sphinx would only say so after every notebook was executed."""
    toc = paths.root / "_toc.yml"
    document = read_yaml(toc, "table of contents", parse=yaml.compose)
    pages = {f"chapters/{e.name}" for e in entries}
    for key, value in toc_files(document):
        page = value.value.strip()
        stem = page.rsplit(".", 1)[0] if page.endswith((".md", ".ipynb", ".rst")) else page
        if stem in pages or any((paths.root / f"{stem}{suffix}").is_file() for suffix in (".md", ".ipynb", ".rst")):
            continue
        raise DataError(toc, value.start_mark.line + 1, key,
                        f"'{page}' is neither a manifest entry (chapters/<name>) nor a Markdown page in {paths.root}")


def toc_files(node):
    """(key, scalar node) for every ``file:`` and ``root:`` value of a composed ``_toc.yml``
    (``yaml.compose``: the nodes keep their line numbers)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value in ("file", "root") and isinstance(value, yaml.ScalarNode):
                yield key.value, value
            else:
                yield from toc_files(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from toc_files(item)


def dependency_order(path: Path, entries: list[Entry]) -> list[Entry]:
    """Entries sorted so that each comes after everything it needs; manifest order breaks ties."""
    done: set[str] = set()
    ordered: list[Entry] = []
    remaining = list(entries)
    while remaining:
        ready = [e for e in remaining if all(n in done for n in e.needs)]
        if not ready:
            cycle = ", ".join(e.name for e in remaining)
            raise DataError(path, None, "needs", f"these entries need each other in a cycle: {cycle}")
        for entry in ready:
            ordered.append(entry)
            done.add(entry.name)
        remaining = [e for e in remaining if e.name not in done]
    return ordered

