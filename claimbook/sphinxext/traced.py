"""Traced numbers: the node for a claim, a derived figure or a sentence, with its tooltip.

Roles, directives and citations build every linked number through these functions, so a number
looks and links the same wherever its id is named. Each node carries its anchor and the key of the
appendix that holds it; the page of that appendix is known, and the link resolved, only once every
page is read (:mod:`.links`).
"""
from __future__ import annotations

from ..derived import derived_anchor
from ..display import claim_tip_lines, derived_text, derived_tip_lines, format_claim
from ..glosses import plain_gloss
from ..registry import Registry, claim_anchor
from ..source import sentence_anchor
from .book import book_of
from .nodes import traced_number
from .shared import DERIVED_MARK, DERIVED_TARGET, source_target
from .tooltip import Tooltip, next_tip_id


def claim_number(env, claim, text: str | None = None, *, tooltip: bool = True, show_mark: bool = True,
                 mark: bool = True) -> traced_number:
    """The node for one claim; ``text`` defaults to its formatted value. ``mark`` False for a link
    whose text is not a number (an id)."""
    registry = book_of(env).registry
    node = traced_number(
        "", text if text is not None else format_claim(claim), classes=["cb-num", "cb-claim"],
        ref_kind="claim", ref_id=claim.claim_id, anchor=claim_anchor(claim.claim_id),
        target=source_target(claim.source_id), mark=claim.sentence_id if mark else "",
        show_mark=show_mark and mark,
    )
    if tooltip:
        sentence = registry.sentence(claim.source_id, claim.sentence_id)
        before = sentence.text[: claim.start - sentence.start]
        after = sentence.text[claim.end - sentence.start:]
        node["tip"] = Tooltip(
            id=next_tip_id(env),
            title=claim.indicator,
            quote=(before, claim.exact, after),
            lang=registry.sources[claim.source_id].language,
            gloss=gloss_text(registry, claim.source_id, claim.sentence_id),
            lines=tuple(claim_tip_lines(claim)),
            where=f"Sentence {claim.sentence_id} · {claim.source_id}",
        )
    return node


def derived_number(env, derived, text: str | None = None, *, tooltip: bool = True,
                   mark: bool = True) -> traced_number:
    """The node for one derived figure; ``text`` defaults to its value (the point reading). It
    is marked † (computed by the book, not stated); ``mark`` False for a title or an id."""
    node = traced_number(
        "", text if text is not None else derived_text(derived), classes=["cb-num", "cb-derived"],
        ref_kind="derived", ref_id=derived.derived_id, anchor=derived_anchor(derived.derived_id),
        target=DERIVED_TARGET, mark=DERIVED_MARK if mark else "", show_mark=mark,
    )
    if tooltip:
        node["tip"] = Tooltip(
            id=next_tip_id(env),
            title=derived.title,
            lines=tuple(derived_tip_lines(derived, book_of(env).registry.claims, book_of(env).derived)),
            where="Derived figure (computed, not stated) · " + derived.derived_id,
        )
    return node


def input_number(env, ref: str, text: str | None = None, *, mark: bool = True,
                 tooltip: bool = True) -> traced_number:
    """A formula input, claim or derived figure."""
    book = book_of(env)
    if ref in book.registry.claims:
        return claim_number(env, book.registry.claims[ref], text, mark=mark, tooltip=tooltip)
    return derived_number(env, book.derived[ref], text, mark=mark, tooltip=tooltip)


def exact_number(env, claim, *, tooltip: bool = True) -> traced_number:
    """A claim's own words (586.7亿元), verbatim: marked with the article's language, never given
    smart quotes, linked like its value, without the sentence mark."""
    node = claim_number(env, claim, claim.exact, tooltip=tooltip, show_mark=False)
    node["lang"] = book_of(env).registry.sources[claim.source_id].language
    node["support_smartquotes"] = False
    return node


def sentence_link(env, source_id: str, sentence_id: str) -> traced_number:
    """A link to a sentence of the source appendix, its text and gloss in the tooltip."""
    registry = book_of(env).registry
    sentence = registry.sentence(source_id, sentence_id)
    node = traced_number("", sentence.id, classes=["cb-sentence-ref"], ref_kind="sentence", ref_id=sentence.id,
                         anchor=sentence_anchor(sentence.id), target=source_target(source_id), mark="",
                         show_mark=False)
    node["tip"] = Tooltip(id=next_tip_id(env), quote=(sentence.text, "", ""),
                          lang=registry.sources[source_id].language,
                          gloss=gloss_text(registry, source_id, sentence.id),
                          where=f"Sentence {sentence.id} · {source_id}")
    return node


def gloss_text(registry: Registry, source_id: str, sentence_id: str) -> str:
    """The gloss of a sentence as plain text, for a tooltip."""
    return plain_gloss(registry.gloss(source_id, sentence_id), registry.claims)
