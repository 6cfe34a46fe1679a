"""The directives: the article's appendix, a quoted sentence, and the derived-figures appendix.

``{source-text} SOURCE_ID``
    the article sentence by sentence: anchors ``sent-p07-s2`` and ``claim-<id>``, the English gloss,
    and for every claim the places in the book that cite it.
``{source-quote} p07.s2``
    one sentence quoted in a chapter, its numbers linked.
``{derived-figures}``
    every derived figure: anchor, formula with linked inputs, value, range.

A page with ``{source-text}`` or ``{derived-figures}`` holds the anchors every traced number of its
kind links to (the collector records which page); each stated number in the article is a link too,
so that in print every number is one.
"""
from __future__ import annotations

import itertools

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..derived import REFERENCE, derived_anchor
from ..display import claim_bounds_text, claim_tip_lines, derived_range_text, format_assumed, format_claim
from ..errors import DataError
from ..glosses import gloss_parts
from ..grammar import non_quantity_spans
from ..meaning import statement_text
from ..registry import claim_anchor
from ..source import sentence_anchor
from .book import Book, book_of, note_dependencies, split_sentence_ref
from .collector import note_target, note_use
from .nodes import anchored_block, backlinks, claim_mark
from .shared import DERIVED_TARGET, source_target, unknown
from .tooltip import Tooltip, next_tip_id
from .traced import claim_number, derived_number, exact_number, input_number, sentence_link

logger = logging.getLogger(__name__)


def gloss_paragraph(directive: SphinxDirective, source_id: str, sentence_id: str) -> nodes.Element | None:
    """"Our translation: …" with each ``{claim-id}`` of the gloss a traced number, or None without
    a gloss. The gloss translates the sentence itself, so its numbers are not "uses" of the claims."""
    registry = book_of(directive.env).registry
    gloss = registry.gloss(source_id, sentence_id)
    if not gloss:
        return None
    line = nodes.paragraph(classes=["cb-gloss"])
    line += nodes.inline("", "Our translation: ", classes=["cb-gloss-label"])
    for kind, text in gloss_parts(gloss):
        if kind == "text":
            line += nodes.Text(text)
        elif text in registry.claims:
            line += claim_number(directive.env, registry.claims[text], tooltip=False, show_mark=False)
        else:
            logger.warning(f"claimbook: the gloss of {source_id}:{sentence_id} names {{{text}}}, which is not a "
                           f"claim", location=(directive.env.docname, directive.lineno))
            line += nodes.Text("{" + text + "}")
    return line


def _make_target(document, node, name: str) -> None:
    """Make ``name`` an explicit target of ``node``: an anchor, a LaTeX label, a {ref} label."""
    node["ids"] = [name]
    node["names"] = [name]
    document.note_explicit_target(node)


class SourceTextDirective(SphinxDirective):
    """The whole article, sentence by sentence, every claim marked where it stands."""

    required_arguments = 1
    has_content = False

    def run(self):
        book = book_of(self.env)
        source_id = self.arguments[0].strip()
        if source_id not in book.registry.sources:
            raise self.error(f"unknown source '{source_id}'; known: {', '.join(book.registry.sources)}")
        note_target(self, source_target(source_id))
        note_dependencies(self.env)
        source = book.registry.sources[source_id]
        root = nodes.container(classes=["cb-source"])
        root += self._header(source)
        sentences = book.registry.sentences[source_id]
        for _, group in itertools.groupby(sentences, key=lambda s: s.paragraph):
            paragraph = nodes.container(classes=["cb-paragraph"])
            for sentence in group:
                paragraph += self._sentence(book, source_id, sentence)
            root += paragraph
        return [root]

    def _header(self, source) -> nodes.Element:
        line = nodes.paragraph(classes=["cb-source-header"])
        title = nodes.inline("", source.title + (" " + source.subtitle if source.subtitle else ""),
                             classes=["cb-source-title"], support_smartquotes=False)
        line += title
        line += nodes.Text(f" · {source.outlet} · {', '.join(source.authors)} · sha256 ")
        line += nodes.literal("", source.sha256, classes=["cb-sha256"])
        return line

    def _sentence(self, book: Book, source_id: str, sentence) -> nodes.Element:
        document = self.state.document
        block = anchored_block(classes=["cb-sentence"], data={"sentence": sentence.id, "source": source_id})
        _make_target(document, block, sentence_anchor(sentence.id))
        head = nodes.paragraph(classes=["cb-sentence-head"])
        head += nodes.reference("", sentence.id, refid=sentence_anchor(sentence.id), classes=["cb-sid"])
        block += head

        claims = sorted(book.registry.claims_of_sentence(source_id, sentence.id), key=lambda c: c.start)
        language = book.registry.sources[source_id].language
        chinese = anchored_block(classes=["cb-zh"], lang=language, data={}, support_smartquotes=False)
        text = nodes.paragraph()
        text.extend(self._marked(sentence, claims))
        chinese += text
        block += chinese

        gloss = gloss_paragraph(self, source_id, sentence.id)
        if gloss is not None:
            block += gloss
        if claims:
            items = nodes.bullet_list(classes=["cb-claims"])
            for claim in claims:
                items += self._claim_item(claim)
            block += items
        return block

    def _marked(self, sentence, claims) -> list[nodes.Node]:
        def mark(claim):
            node = claim_mark("", claim.exact, classes=["cb-claim-mark"], claim=claim.claim_id)
            _make_target(self.state.document, node, claim_anchor(claim.claim_id))
            return node
        return sentence_with_claims(self.env, self.lineno, sentence, claims, mark)

    def _claim_item(self, claim) -> nodes.Element:
        env = self.env
        line = nodes.paragraph()
        line += exact_number(env, claim, tooltip=False)
        line += nodes.Text(" → ")
        line += claim_number(env, claim, tooltip=False, show_mark=False)
        bounds = claim_bounds_text(claim)
        if bounds:
            line += nodes.Text(" (bounds ")
            line += claim_number(env, claim, bounds, tooltip=False, show_mark=False)
            line += nodes.Text(")")
        line += nodes.Text(" · ")
        line += nodes.literal("", claim.claim_id)
        if claim.indicator:
            line += nodes.Text(" · " + claim.indicator)
        line += nodes.Text(" · " + statement_text(claim))
        line += nodes.Text(" · used in: ")
        line += backlinks("", ref_kind="claim", ref_id=claim.claim_id)
        return nodes.list_item("", line)


def sentence_with_claims(env, lineno: int, sentence, claims, make) -> list[nodes.Node]:
    """The sentence as text, with ``make(claim)`` standing for each claim's words. Claims never
    overlap (the grammar claims each span once); if two did, the second is reported (at ``lineno``
    of the page being read or resolved) and left out. Numerals that the grammar reads as no quantity
    (从1到100, 6G) are wrapped, with their reason, in a ``cb-not-quantity`` span, so that a reader of
    the markup (the audit) can tell them apart."""
    result: list[nodes.Node] = []
    cursor = sentence.start
    for claim in sorted(claims, key=lambda c: c.start):
        if claim.start < cursor:
            logger.warning(f"claimbook: claim '{claim.claim_id}' overlaps another claim in sentence "
                           f"{claim.sentence_id}; it cannot be marked", location=(env.docname, lineno))
            continue
        result += _plain_text(sentence, cursor, claim.start)
        result.append(make(claim))
        cursor = claim.end
    result += _plain_text(sentence, cursor, sentence.end)
    return result


def _plain_text(sentence, start: int, end: int) -> list[nodes.Node]:
    """Text of ``sentence`` between offsets, non-quantities wrapped (their spans read in the sentence)."""
    result: list[nodes.Node] = []
    cursor = start
    for a, b, why in non_quantity_spans(sentence.text):
        a, b = a + sentence.start, b + sentence.start
        if a < cursor or b > end:
            continue
        if a > cursor:
            result.append(nodes.Text(sentence.text[cursor - sentence.start: a - sentence.start]))
        result.append(nodes.inline("", sentence.text[a - sentence.start: b - sentence.start],
                                   classes=["cb-not-quantity"], why=why))
        cursor = b
    if cursor < end:
        result.append(nodes.Text(sentence.text[cursor - sentence.start: end - sentence.start]))
    return result


class SourceQuoteDirective(SphinxDirective):
    """One sentence quoted in a chapter: verbatim, its numbers linked, the gloss, and where it stands."""

    required_arguments = 1
    has_content = False

    def run(self):
        book = book_of(self.env)
        registry = book.registry
        ref = self.arguments[0].strip()
        if ref not in book.sentence_ids:
            raise self.error(unknown("sentence", ref, book.sentence_ids))
        source_id, sentence_id = split_sentence_ref(registry, ref)
        sentence = registry.sentence(source_id, sentence_id)
        source = registry.sources[source_id]
        note_dependencies(self.env)

        def linked(claim):
            node = exact_number(self.env, claim, tooltip=False)
            node["classes"].append("cb-quoted")
            node["tip"] = Tooltip(id=next_tip_id(self.env), title=claim.indicator,
                                  lines=(format_claim(claim), *claim_tip_lines(claim)), where=f"Claim {claim.claim_id}")
            note_use(self.env, self.state.document, node)
            return node

        quote = nodes.block_quote(classes=["cb-quote"])
        chinese = anchored_block(classes=["cb-zh"], lang=source.language, support_smartquotes=False,
                                 data={"sentence": sentence.id, "source": source_id})
        text = nodes.paragraph()
        text.extend(sentence_with_claims(self.env, self.lineno, sentence,
                                         registry.claims_of_sentence(source_id, sentence_id), linked))
        chinese += text
        quote += chinese
        gloss = gloss_paragraph(self, source_id, sentence.id)
        if gloss is not None:
            quote += gloss
        attribution = nodes.attribution()
        attribution += sentence_link(self.env, source_id, sentence.id)
        attribution += nodes.Text(" · ")
        attribution += nodes.inline("", source.outlet, support_smartquotes=False)
        quote += attribution
        return [quote]


class DerivedFiguresDirective(SphinxDirective):
    """Every derived figure with its formula, linked inputs, value and range, grouped as the book is."""

    has_content = False

    def run(self):
        book = book_of(self.env)
        try:
            figures = list(book.derived.values())
        except DataError as exc:
            raise self.error(str(exc)) from None
        note_target(self, DERIVED_TARGET)
        note_dependencies(self.env)
        order = {g.group_id: g for g in book.registry.groups}
        result: list[nodes.Node] = []
        grouped = sorted(figures, key=lambda d: (order[d.group].order if d.group in order else len(order)))
        for group_id, members in itertools.groupby(grouped, key=lambda d: d.group):
            group = order.get(group_id)
            result.append(nodes.rubric("", group.title_en if group else group_id, classes=["cb-derived-group"]))
            for derived in members:
                result.append(self._figure(derived))
        return result

    def _figure(self, derived) -> nodes.Element:
        env = self.env
        block = anchored_block(classes=["cb-derived"], data={"derived": derived.derived_id})
        _make_target(self.state.document, block, derived_anchor(derived.derived_id))

        title = nodes.paragraph(classes=["cb-derived-title"])
        title += nodes.strong("", derived.title)
        title += nodes.Text(" ")
        title += nodes.literal("", derived.derived_id)
        block += title

        value = nodes.paragraph(classes=["cb-derived-value"])
        value += nodes.Text("Value: ")
        value += derived_number(env, derived, tooltip=False)  # its value
        spread = derived_range_text(derived)
        if spread:
            value += nodes.Text(" · range the stated bounds allow: ")
            value += derived_number(env, derived, spread, tooltip=False)
        assumed = format_assumed(derived)
        if assumed:
            value += nodes.Text(" · assuming the method's margins: ")
            value += derived_number(env, derived, assumed, tooltip=False)
        value += nodes.Text(f" · unit: {derived.unit} · kind: {derived.kind}")
        block += value

        formula = nodes.paragraph(classes=["cb-formula-line"])
        formula += nodes.Text("Formula: ")
        expression = nodes.inline(classes=["cb-formula"])
        for index, part in enumerate(REFERENCE.split(derived.formula)):
            if index % 2:  # odd parts are the ids inside braces
                expression += input_number(env, part.strip(), part.strip(), mark=False, tooltip=False)
            elif part:
                expression += nodes.Text(part)
        formula += expression
        block += formula

        inputs = nodes.bullet_list(classes=["cb-inputs"])
        for ref in derived.inputs:
            line = nodes.paragraph()
            line += nodes.literal("", ref)
            line += nodes.Text(" = ")
            number = input_number(env, ref)
            note_use(env, self.state.document, number)
            line += number
            meaning = self._meaning(ref)
            if meaning:
                line += nodes.Text(" · " + meaning)
            inputs += nodes.list_item("", line)
        block += inputs

        if derived.description:
            block += nodes.paragraph("", derived.description, classes=["cb-derived-description"])
        used = nodes.paragraph(classes=["cb-used"])
        used += nodes.Text("Used in: ")
        used += backlinks("", ref_kind="derived", ref_id=derived.derived_id)
        block += used
        return block

    def _meaning(self, ref: str) -> str:
        book = book_of(self.env)
        claim = book.registry.claims.get(ref)
        return claim.indicator if claim is not None else book.derived[ref].title


def setup_directives(app) -> None:
    app.add_directive("source-text", SourceTextDirective)
    app.add_directive("source-quote", SourceQuoteDirective)
    app.add_directive("derived-figures", DerivedFiguresDirective)
