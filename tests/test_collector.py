"""The extension's bookkeeping on its own: the collector's index of uses and appendix pages, and tooltips.

Real Sphinx builds (tests/test_sphinxext.py) check the same through pages: incremental and parallel
builds, "used in" lists, tooltips on hover. Here each rule is checked where it is written.
"""
from __future__ import annotations

from types import SimpleNamespace

from docutils.utils import new_document

from claimbook.sphinxext.collector import INDEX, TraceCollector, TraceIndex, note_use
from claimbook.sphinxext.nodes import traced_number
from claimbook.sphinxext.tooltip import Tooltip


def environment(index: TraceIndex, docname: str = "", all_docs=()) -> SimpleNamespace:
    """The parts of a Sphinx environment the collector reads: its index, the page being read, the pages."""
    return SimpleNamespace(**{INDEX: index}, docname=docname, all_docs=dict.fromkeys(all_docs))


def index_of_two_pages() -> TraceIndex:
    return TraceIndex(
        uses={"claim": {"x": [("intro", "cbuse-x-1"), ("more", "cbuse-x-1")], "y": [("intro", "cbuse-y-1")]},
              "derived": {"d": [("more", "cbuse-d-1")]}},
        targets={"source:mini": "appendix/source", "derived": "more"})


def test_uses_are_numbered_per_page_and_per_id():
    env = environment(TraceIndex(), docname="intro")
    document = new_document("intro")
    ids = []
    for ref_kind, ref_id in (("claim", "x"), ("claim", "x"), ("claim", "y"), ("derived", "d")):
        node = traced_number("", "1", ref_kind=ref_kind, ref_id=ref_id)
        note_use(env, document, node)
        ids.append(node["ids"][0])
    assert ids == ["cbuse-x-1", "cbuse-x-2", "cbuse-y-1", "cbuse-d-1"]
    assert env.claimbook_index.uses["claim"]["x"] == [("intro", "cbuse-x-1"), ("intro", "cbuse-x-2")]
    assert "cbuse-x-2" in document.ids  # registered, so a clash with another id is reported


def test_forgetting_a_page_drops_its_uses_and_the_appendix_it_held():
    index = index_of_two_pages()
    TraceCollector().clear_doc(None, environment(index), "more")
    assert index.uses == {"claim": {"x": [("intro", "cbuse-x-1")], "y": [("intro", "cbuse-y-1")]}, "derived": {}}
    assert index.targets == {"source:mini": "appendix/source"}


def test_merging_a_parallel_reader_takes_only_the_pages_it_read():
    mine = TraceIndex(uses={"claim": {"x": [("intro", "cbuse-x-1")]}, "derived": {}})
    TraceCollector().merge_other(None, environment(mine), {"more"}, environment(index_of_two_pages()))
    assert mine.uses == {"claim": {"x": [("intro", "cbuse-x-1"), ("more", "cbuse-x-1")]},
                         "derived": {"d": [("more", "cbuse-d-1")]}}
    assert mine.targets == {"derived": "more"}


def test_the_pages_of_the_appendices_are_rewritten_after_a_read():
    env = environment(index_of_two_pages(), all_docs=["intro", "more"])  # appendix/source was removed
    assert TraceCollector().get_updated_docs(None, env) == ["more"]


def test_a_tooltip_shows_only_its_parts_each_escaped():
    tip = Tooltip(id="cbtip-1", title="<b>", quote=("前", "586.7亿元", "后"), lang="zh", gloss="a & b",
                  where="Sentence p02.s1 · mini")
    assert tip.as_html() == (
        '<span class="cb-tip" role="tooltip" id="cbtip-1"><span class="cb-tip-title">&lt;b&gt;</span>'
        '<span class="cb-tip-quote" lang="zh">前<mark>586.7亿元</mark>后</span>'
        '<span class="cb-tip-gloss"><span class="cb-tip-label">Our translation: </span>a &amp; b</span>'
        '<span class="cb-tip-where">Sentence p02.s1 · mini</span></span>')
    derived = Tooltip(id="cbtip-2", where="Derived figure", lines=("= a / b", "a = 1"))
    assert derived.as_html() == (
        '<span class="cb-tip" role="tooltip" id="cbtip-2"><span class="cb-tip-line">= a / b</span>'
        '<span class="cb-tip-line">a = 1</span><span class="cb-tip-where">Derived figure</span></span>')
