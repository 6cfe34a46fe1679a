"""What the pages say about the data: where each number is used, and which page holds each appendix.

The index lives in the Sphinx environment and is pickled with it, so an incremental build re-reads
only the pages that changed and still knows every use. :class:`TraceCollector` keeps it right, as
Sphinx's own collectors keep theirs: it forgets a page before the page is read again, merges what
parallel readers found, and has the appendices rewritten whenever pages were read, since their
"used in" lists may have changed. Uses and targets are noted while a page is read (a use's id must
reach docutils then, so that a clash is reported).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sphinx.environment.collectors import EnvironmentCollector
from sphinx.util import logging

logger = logging.getLogger(__name__)

INDEX = "claimbook_index"  # the attribute of the environment that holds the TraceIndex


def _no_uses() -> dict:
    return {"claim": {}, "derived": {}}


@dataclass
class TraceIndex:
    uses: dict[str, dict[str, list[tuple[str, str]]]] = field(default_factory=_no_uses)
    """ref kind ('claim'/'derived') -> id -> [(docname, use id)]"""
    targets: dict[str, str] = field(default_factory=dict)
    """"source:<id>" / "derived" -> docname holding the anchors"""


def trace_index(env) -> TraceIndex:
    return getattr(env, INDEX)


def add_index(app) -> None:
    """Give a new environment an empty index. One that Sphinx reads back from the last build has
    its own, in this layout: Sphinx discards an environment pickled under another ``env_version``."""
    if not hasattr(app.env, INDEX):
        setattr(app.env, INDEX, TraceIndex())


def note_use(env, document, node) -> None:
    """Give a traced number its use id ``cbuse-<id>-<n>`` and record it for the "used in" lists."""
    entries = trace_index(env).uses[node["ref_kind"]].setdefault(node["ref_id"], [])
    number = 1 + sum(1 for docname, _ in entries if docname == env.docname)
    use_id = f"cbuse-{node['ref_id']}-{number}"
    entries.append((env.docname, use_id))
    node["ids"] = [use_id]
    document.set_id(node)  # registers the id, so a clash is reported


def note_target(directive, key: str) -> None:
    """Record that the page being read holds the anchors of ``key`` (an appendix)."""
    env = directive.env
    targets = trace_index(env).targets
    previous = targets.get(key)
    if previous and previous != env.docname:
        logger.warning(f"claimbook: {key} is already rendered in '{previous}'; its anchors would clash",
                       location=(env.docname, directive.lineno))
    targets[key] = env.docname


class TraceCollector(EnvironmentCollector):
    def clear_doc(self, app, env, docname: str) -> None:
        index = trace_index(env)
        for uses in index.uses.values():
            for ref_id in list(uses):
                uses[ref_id] = [entry for entry in uses[ref_id] if entry[0] != docname]
                if not uses[ref_id]:
                    del uses[ref_id]
        for key in [k for k, d in index.targets.items() if d == docname]:
            del index.targets[key]

    def merge_other(self, app, env, docnames, other) -> None:
        index, theirs = trace_index(env), trace_index(other)
        for kind, uses in theirs.uses.items():
            mine = index.uses[kind]
            for ref_id, entries in uses.items():
                for entry in entries:
                    if entry[0] in docnames and entry not in mine.get(ref_id, []):
                        mine.setdefault(ref_id, []).append(entry)
        for key, docname in theirs.targets.items():
            if docname in docnames:
                index.targets[key] = docname

    def process_doc(self, app, doctree) -> None:
        """Nothing to gather from the finished doctree: uses and targets are noted while it is read."""

    def get_updated_docs(self, app, env) -> list[str]:
        """Rewrite the appendices whenever anything was read: their "used in" lists may have changed."""
        return sorted(d for d in set(trace_index(env).targets.values()) if d in env.all_docs)


def setup_collector(app) -> None:
    app.connect("builder-inited", add_index)
    app.add_env_collector(TraceCollector)
