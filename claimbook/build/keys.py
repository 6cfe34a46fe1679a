"""Cache keys: an entry is executed again only when the content of something it reads changed.

An entry's key is the sha256 of a JSON record of its inputs (:func:`entry_inputs`): its notebook,
its parameters, every file of ``claimbook/``, ``requirements.txt``, the parts of ``data/`` it reads
(:func:`data_inputs`) and the keys of the entries it ``needs``. Contents and relative paths are
hashed, never timestamps or the checkout's location, so a key is the same wherever the book is.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..errors import DataError
from .manifest import Entry, load_manifest
from .shared import BookPaths

# Bump when the way executed notebooks are produced changes, so old cache entries are not reused.
CACHE_FORMAT = "claimbook-build-cache/2"
# Files that say nothing about an input's content: compiled bytecode and packaging metadata.
_IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}
_IGNORED_SUFFIXES = {".pyc", ".pyo"}


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def tree_digest(directory: Path, skip: frozenset[str] = frozenset()) -> str:
    """One sha256 for every file under ``directory``: relative paths and contents, never timestamps.
    ``skip`` names relative paths (POSIX) left out, for files keyed some other way."""
    digest = hashlib.sha256()
    directory = Path(directory)
    if directory.is_dir():
        for file in sorted(p for p in directory.rglob("*") if p.is_file()):
            relative = file.relative_to(directory)
            if _IGNORED_PARTS.intersection(relative.parts) or file.suffix in _IGNORED_SUFFIXES \
                    or any(part.endswith(".egg-info") for part in relative.parts) \
                    or relative.as_posix() in skip:
                continue
            digest.update(relative.as_posix().encode("utf-8") + b"\0")
            digest.update(file_digest(file).encode("ascii") + b"\n")
    return digest.hexdigest()


def shared_inputs(paths: BookPaths) -> dict[str, str]:
    """The code every entry depends on, hashed once per build (data/: see :func:`data_inputs`)."""
    return {
        "package": tree_digest(paths.package),
        "requirements": file_digest(paths.requirements) if paths.requirements.is_file() else "",
    }


# --- What an entry reads from data/ -----------------------------------------------------------
#
# Every file of data/ is an input of every entry, except claims.csv: an entry is keyed on the rows
# of claims.csv it can read. Those are the rows of its group (every row for the group "all"), the
# rows its group's derived figures are computed from (through other derived figures too), and the
# rows of any claim or derived figure its notebook names. Editing a claim of one group then
# re-executes that group's chapter and the chapters that span every group, and nothing else.
# When claims.csv or formulas.csv cannot be read the rule falls back to all of data/: more
# re-execution, never a stale chapter.

CLAIMS_FILE = "claims.csv"


def data_inputs(paths: BookPaths, entries: list[Entry]) -> dict[str, dict[str, str]]:
    """For each entry name, the digests of the parts of ``data/`` it reads."""
    try:
        rows = _claim_rows(paths.data / CLAIMS_FILE)
        formula_inputs = _formula_claims(paths.data)
    except (DataError, KeyError, TypeError, ValueError):
        everything = {"data": tree_digest(paths.data)}
        return {entry.name: everything for entry in entries}
    others = tree_digest(paths.data, skip=frozenset({CLAIMS_FILE}))
    return {
        entry.name: {
            "data": others,
            "claims": key_of(_rows_read_by(paths, entry, rows, formula_inputs)),
        }
        for entry in entries
    }


def claim_read_only_by(paths: BookPaths, group: str) -> str:
    """A claim of ``group`` that no other group's notebook names: editing it must re-execute only
    that group's chapter and the chapters that span every group (the benchmark and tests use it)."""
    others = "".join((paths.chapters / e.notebook).read_text(encoding="utf-8")
                     for e in load_manifest(paths.manifest) if e.parameters["group"] not in (group, "all"))
    return next(row["claim_id"] for row in _claim_rows(paths.data / CLAIMS_FILE)
                if row["group"] == group and row["claim_id"] not in others)


def _claim_rows(path: Path) -> list[dict[str, str]]:
    from ..files import read_csv_rows

    rows = read_csv_rows(path)
    for row in rows:
        if None in row or not isinstance(row["claim_id"], str) or not isinstance(row["group"], str):
            raise ValueError(f"{path}: a row does not fit the header")
    return rows


def _formula_claims(data: Path) -> dict[str, set[str]]:
    """For each group and each derived id: the claim ids its derived figures are computed from."""
    from ..derived import load_formulas
    from ..registry import Registry

    if not (data / "formulas.csv").is_file():
        return {}
    registry = Registry(data)
    formulas = {f.derived_id: f for f in load_formulas(data / "formulas.csv", registry)}

    def claims_of(derived_id: str, seen: set[str]) -> set[str]:
        found = set()
        for ref in formulas[derived_id].inputs:
            if ref in formulas:
                if ref not in seen:
                    seen.add(ref)
                    found |= claims_of(ref, seen)
            else:
                found.add(ref)
        return found

    by_name: dict[str, set[str]] = {}
    for derived_id, formula in formulas.items():
        claims = claims_of(derived_id, {derived_id})
        by_name[derived_id] = claims
        by_name.setdefault(f"group:{formula.group}", set()).update(claims)
    return by_name


def _rows_read_by(paths: BookPaths, entry: Entry, rows: list[dict[str, str]],
                  formula_inputs: dict[str, set[str]]) -> list[dict[str, str]]:
    group = entry.parameters.get("group")
    if group == "all":
        return rows
    wanted = set(formula_inputs.get(f"group:{group}", ()))
    # Ids the notebook names itself (a chart bar, a table row); a substring match errs on the side
    # of keying a row too many.
    text = (paths.chapters / entry.notebook).read_text(encoding="utf-8")
    for identifier in [row["claim_id"] for row in rows] + [n for n in formula_inputs if ":" not in n]:
        if identifier and identifier in text:
            wanted |= formula_inputs.get(identifier, {identifier})
    return [row for row in rows if row["group"] == group or row["claim_id"] in wanted]


def entry_inputs(paths: BookPaths, entry: Entry, shared: dict[str, str], need_keys: dict[str, str],
                 data: dict[str, str]) -> dict:
    """Everything whose change must re-execute ``entry``, as a JSON-able record."""
    return {
        "format": CACHE_FORMAT,
        "name": entry.name,
        "notebook": file_digest(paths.chapters / entry.notebook),
        "parameters": entry.parameters,
        "package": shared["package"],
        "requirements": shared["requirements"],
        **data,
        "needs": {name: need_keys[name] for name in entry.needs},
    }


def key_of(inputs: dict | list) -> str:
    """The sha256 of ``inputs`` as canonical JSON: equal for equal content, whatever the key order."""
    canonical = json.dumps(inputs, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

