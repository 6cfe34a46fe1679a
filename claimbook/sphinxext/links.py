"""Resolving links: every traced number gets its ``href``, every "used in" list its entries.

Which page holds an anchor is known only once the whole book is read (the collector records the
page of each appendix), so links are made at ``doctree-resolved``, per output page and per builder:
a link is relative to the page it sits on, and a page the builder leaves out gets no dead link.
"""
from __future__ import annotations

import itertools

from docutils import nodes
from sphinx.errors import NoUri
from sphinx.util import logging

from .collector import trace_index
from .nodes import backlinks, traced_number
from .shared import DERIVED_DOC, DERIVED_TARGET, SOURCE_DOC

logger = logging.getLogger(__name__)


def href(builder, fromdoc: str, todoc: str, anchor: str) -> str | None:
    """The link from ``fromdoc`` to ``anchor`` in ``todoc``; None when the builder leaves ``todoc`` out."""
    try:
        uri = builder.get_relative_uri(fromdoc, todoc)
    except NoUri:
        return None
    if "#" in uri:  # singlehtml: every page is a fragment of one file
        uri = uri.split("#", 1)[0]
    return f"{uri}#{anchor}"


def target_doc(env, key: str, node, warned: set) -> str:
    """The page that holds the anchors of ``key``, or the appendix's conventional page (warned once
    per key in ``warned``) when no page renders it."""
    docname = trace_index(env).targets.get(key)
    if docname is None:
        fallback = DERIVED_DOC if key == DERIVED_TARGET else SOURCE_DOC
        if key not in warned:
            warned.add(key)
            what = "{derived-figures}" if key == DERIVED_TARGET else "{source-text} " + key.split(":", 1)[1]
            logger.warning(f"claimbook: no page has a {what} directive, so links point to '{fallback}'",
                           location=node)
        return fallback
    return docname


def document_order(env) -> dict[str, int]:
    """Book order: a depth-first walk of the toctree from the root, then unlisted pages by name."""
    order: list[str] = []
    seen: set[str] = set()
    stack = [env.config.root_doc]
    while stack:
        docname = stack.pop()
        if docname in seen:
            continue
        seen.add(docname)
        order.append(docname)
        stack.extend(reversed(env.toctree_includes.get(docname, [])))
    order += sorted(set(env.all_docs) - seen)
    return {docname: index for index, docname in enumerate(order)}


def _use_number(use_id: str) -> int:
    return int(use_id.rsplit("-", 1)[1])


def resolve(app, doctree, docname: str) -> None:
    env = app.env
    builder = app.builder
    warned: set[str] = set()
    for node in doctree.findall(traced_number):
        if not node["target"]:  # a constant of the method: explained in place, linked nowhere
            continue
        page = target_doc(env, node["target"], node, warned)
        node["target_doc"] = page
        node["refuri"] = href(builder, docname, page, node["anchor"]) or ""
    placeholders = list(doctree.findall(backlinks))
    if not placeholders:
        return
    order = document_order(env)
    uses = trace_index(env).uses
    for node in placeholders:
        entries = sorted(uses[node["ref_kind"]].get(node["ref_id"], []),
                         key=lambda e: (order.get(e[0], len(order)), e[0], _use_number(e[1])))
        node.replace_self(_backlink_nodes(env, builder, docname, entries))


def _backlink_nodes(env, builder, fromdoc: str, entries) -> nodes.Element:
    result = nodes.inline(classes=["cb-backlinks"])
    if not entries:
        result += nodes.emphasis("", "not cited in the text")
        return result
    for index, (docname, group) in enumerate(itertools.groupby(entries, key=lambda e: e[0])):
        if index:
            result += nodes.Text(", ")
        title = env.titles[docname].astext() if docname in env.titles else docname
        for count, (_, use_id) in enumerate(group, start=1):
            label = title if count == 1 else f"[{count}]"
            if count > 1:
                result += nodes.Text(" ")
            link = href(builder, fromdoc, docname, use_id)
            if link is None:  # a page this builder leaves out: name it, without a dead link
                result += nodes.Text(label)
            else:
                result += nodes.reference("", label, internal=True, refuri=link, classes=["cb-backlink"])
    return result


def setup_links(app) -> None:
    app.connect("doctree-resolved", resolve)
