"""Jobs: a manifest entry made ready to run, and what became of it.

A :class:`Job` carries everything a worker process needs (absolute paths, the final parameters,
its cache key), so it crosses the process boundary on its own. A job is *cached* when
``_build/cache/<name>.key`` holds its key: the key file is written last, after the executed
notebook, so it vouches only for a notebook that is complete and current.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..keys import data_inputs, entry_inputs, key_of, shared_inputs
from ..manifest import Entry
from ..shared import BookPaths, relative


@dataclass(frozen=True)
class Job:
    """An entry ready to run: absolute paths, final parameters and its cache key."""

    name: str
    notebook: Path
    parameters: dict
    needs: tuple[str, ...]
    key: str
    inputs: dict
    root: Path
    cache: Path

    @property
    def executed(self) -> Path:
        return self.cache / f"{self.name}.ipynb"

    @property
    def key_file(self) -> Path:
        return self.cache / f"{self.name}.key"

    @property
    def log_file(self) -> Path:
        return self.cache / f"{self.name}.log"

    def is_cached(self) -> bool:
        if not (self.executed.is_file() and self.key_file.is_file()):
            return False
        try:
            return json.loads(self.key_file.read_text(encoding="utf-8")).get("key") == self.key
        except (ValueError, AttributeError):
            return False


@dataclass
class Outcome:
    name: str
    status: str  # "executed" | "cached" | "failed"
    seconds: float = 0.0
    message: str = ""


def plan_jobs(paths: BookPaths, entries: list[Entry]) -> list[Job]:
    """Turn manifest entries (in dependency order) into jobs with their cache keys."""
    shared = shared_inputs(paths)
    data = data_inputs(paths, entries)
    keys: dict[str, str] = {}
    jobs = []
    for entry in entries:
        inputs = entry_inputs(paths, entry, shared, keys, data[entry.name])
        keys[entry.name] = key_of(inputs)
        jobs.append(Job(
            name=entry.name,
            notebook=paths.chapters / entry.notebook,
            # Relative to the kernel's working directory (the book's root): an absolute path
            # would put the checkout's location into the executed notebook's bytes.
            parameters={**entry.parameters, "output_dir": relative(paths.cache, paths.root)},
            needs=entry.needs,
            key=keys[entry.name],
            inputs=inputs,
            root=paths.root,
            cache=paths.cache,
        ))
    return jobs


def progress_line(outcome: Outcome) -> str:
    return f"[{outcome.status}] {outcome.name} ({outcome.seconds:.1f}s)"


_PROGRESS_LINE = re.compile(r"^\[(executed|cached|failed)\] (\S+) \([\d.]+s\)$", re.M)


def statuses_in(output: str) -> dict[str, str]:
    """``{entry name: status}`` read back from a build's report, one :func:`progress_line` each."""
    return {name: status for status, name in _PROGRESS_LINE.findall(output)}
