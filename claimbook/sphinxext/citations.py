"""Citing the book, its chapters and its numbers, and the bibliography's round author-year style.

``{cite-book} apa | bibtex | chapter``
    the book's reference, from CITATION.cff and ``claimbook.__version__``; ``chapter``: the complete
    reference of every page of the book, in book order.
``{cite-claim} ID``
    one number's permalink and a ready citation.
``bibtex_reference_style: author_year_round``
    sphinxcontrib-bibtex's author-year references in round brackets.

A page's address and its title are known only once every page is read, so the directives leave
placeholders that :func:`resolve_citations` fills in for the builder at hand: a code block in HTML;
in print, where a code block cannot hold a link, the same lines as text, with the release marked
(:func:`claimbook.sphinxext.release.stamped`) and the cited sentence's numbers linked. Without
``html.baseurl`` an address is the page's path in the book, and the page says how to complete it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import citation
from ..errors import DataError
from ..registry import claim_anchor
from .book import book_of, note_dependencies
from .collector import note_target
from .directives import sentence_with_claims
from .links import document_order, target_doc
from .nodes import anchored_block
from .release import CITATION_TARGET, stamped
from .shared import source_target, unknown
from .traced import claim_number, exact_number

logger = logging.getLogger(__name__)

CITE_FORMS = ("apa", "bibtex", "chapter")


class claim_citation(nodes.General, nodes.Element):
    """Placeholder for a claim's permalink and citation (attribute claim_id)."""


class book_citation(nodes.General, nodes.Element):
    """Placeholder for the book's reference (attribute form: one of CITE_FORMS)."""


def citation_metadata(env, *, reading: bool = True) -> dict:
    """CITATION.cff of the book being built, read once per build. While a page is being read
    (``reading``), the page is made to depend on the file."""
    book = book_of(env)
    if reading:
        env.note_dependency(str(book.citation_path))
    return book.citation


def _base_url(env) -> str:
    return env.config.html_baseurl or ""


def _html_suffix(config) -> str:
    """How the HTML edition's page addresses end, as Sphinx's HTML builder sets its link suffix; print
    uses it too, since a citation points to the HTML edition."""
    if config.html_link_suffix is not None:
        return config.html_link_suffix
    return config.html_file_suffix or ".html"


class CiteBookDirective(SphinxDirective):
    """The book's reference: ``apa``, ``bibtex``, or every page's ``chapter`` reference."""

    required_arguments = 1
    has_content = False

    def run(self):
        form = self.arguments[0].strip()
        if form not in CITE_FORMS:
            raise self.error(f"unknown form '{form}'; use one of {', '.join(CITE_FORMS)}")
        try:
            cff = citation_metadata(self.env)
        except DataError as exc:
            raise self.error(str(exc)) from None
        problem = citation.version_problem(cff)
        if problem:
            logger.warning(f"claimbook: {problem}", location=(self.env.docname, self.lineno))
        note_target(self, CITATION_TARGET)
        node = book_citation(form=form)
        self.set_source_info(node)
        return [node]


class CiteClaimDirective(SphinxDirective):
    """One number's permalink and a ready citation naming the claim, its sentence and the version."""

    required_arguments = 1
    has_content = False

    def run(self):
        registry = book_of(self.env).registry
        claim_id = self.arguments[0].strip()
        if claim_id not in registry.claims:
            raise self.error(unknown("claim id", claim_id, registry.claims))
        try:
            citation_metadata(self.env)  # read now, so a missing or broken file is reported here
        except DataError as exc:
            raise self.error(str(exc)) from None
        note_dependencies(self.env)
        node = claim_citation(claim_id=claim_id)
        self.set_source_info(node)
        return [node]


def resolve_citations(app, doctree, docname: str) -> None:
    """Replace the placeholders: the book's references, and each claim's permalink (a traced link)
    and citation."""
    placeholders = list(doctree.findall(lambda n: isinstance(n, (book_citation, claim_citation))))
    if not placeholders:
        return
    env = app.env
    cff = citation_metadata(env, reading=False)
    base_url = _base_url(env)
    warned: set[str] = set()
    for node in placeholders:
        if isinstance(node, book_citation):
            result = _book_citation(app, cff, node["form"], base_url)
        else:
            result = _claim_citation(app, cff, node, base_url, warned)
        if not base_url and (isinstance(node, claim_citation) or node["form"] == "chapter"):
            result.append(nodes.paragraph("", citation.NO_ADDRESS, classes=["cb-no-address"]))
        node.replace_self(result)


def _book_citation(app, cff: dict, form: str, base_url: str) -> list[nodes.Node]:
    if form == "chapter":
        env = app.env
        pages = sorted(env.titles, key=document_order(env).get)
        suffix = _html_suffix(env.config)
        lines = [citation.chapter_apa(cff, env.titles[page].astext(), citation.page_address(page, base_url, suffix))
                 for page in pages]
        return [_citation_block(app, cff, "\n\n".join(lines), language="text")]
    text = citation.book_apa(cff) if form == "apa" else citation.book_bibtex(cff)
    return [_citation_block(app, cff, text, language="bibtex" if form == "bibtex" else "text")]


def _citation_block(app, cff: dict, text: str, language: str) -> nodes.Element:
    """A code block to copy from in HTML; in print, the lines as text with the release marked."""
    if app.builder.format != "latex":
        return nodes.literal_block(text, text, language=language, classes=["cb-citation"])
    quote = nodes.block_quote(classes=["cb-citation"])
    for line in text.split("\n"):
        if line.strip():
            quote += nodes.paragraph("", "", *stamped(line, cff), support_smartquotes=False)
    return quote


def _claim_citation(app, cff: dict, node, base_url: str, warned: set) -> list[nodes.Node]:
    """The permalink as a traced link, then the citation. Print has no code-block exception for
    numbers, so the PDF quotes the sentence with its numbers linked instead, like {source-quote}."""
    env = app.env
    registry = book_of(env).registry
    claim = registry.claims[node["claim_id"]]
    source = registry.sources[claim.source_id]
    sentence = registry.sentence(claim.source_id, claim.sentence_id)
    page = target_doc(env, source_target(claim.source_id), node, warned)
    link = citation.permalink(page, claim_anchor(claim.claim_id), base_url, _html_suffix(env.config))
    line = nodes.paragraph(classes=["cb-permalink"])
    line += nodes.Text("Permalink: ")
    number = claim_number(env, claim, link, tooltip=False, mark=False)
    number.children = [nodes.literal("", link)]
    line += number
    lines = citation.claim_citation_lines(cff, claim, sentence.text, source, link)
    if app.builder.format == "latex":
        return [line, _latex_claim_citation(env, registry, cff, claim, sentence, source, lines, node.line)]
    return [line, _citation_block(app, cff, "\n".join(lines), language="text")]


def _latex_claim_citation(env, registry, cff, claim, sentence, source, lines, line_number) -> nodes.Element:
    """The citation for print: the same lines, with the stated words and the sentence's numbers linked."""
    quote = nodes.block_quote(classes=["cb-citation"])
    head = nodes.paragraph(support_smartquotes=False)
    before, _, after = lines[0].partition(f"“{claim.exact}”")
    head.extend(stamped(before + "“", cff))
    head += exact_number(env, claim, tooltip=False)
    head.extend(stamped("”" + after, cff))
    quote += head
    quote += nodes.paragraph("", "", nodes.literal("", lines[1]))
    quote += nodes.paragraph("", lines[2], support_smartquotes=False)
    chinese = anchored_block(classes=["cb-zh"], lang=source.language, support_smartquotes=False, data={})
    words = nodes.paragraph()
    words += nodes.Text("“")
    words.extend(sentence_with_claims(
        env, line_number, sentence, registry.claims_of_sentence(claim.source_id, claim.sentence_id),
        lambda c: exact_number(env, c, tooltip=False)))
    words += nodes.Text("”")
    chinese += words
    quote += chinese
    return quote


def register_round_reference_style() -> None:
    """``bibtex_reference_style: author_year_round``: sphinxcontrib-bibtex's author-year references in
    round brackets, "(李兴文 et al., 2026)", as APA and the social sciences write them."""
    try:
        from sphinxcontrib.bibtex.plugin import register_plugin
        from sphinxcontrib.bibtex.style.referencing import BracketStyle
        from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
    except ImportError:  # a book without citations needs no sphinxcontrib-bibtex
        return

    def round_brackets():
        return BracketStyle(left="(", right=")")

    @dataclass
    class RoundAuthorYearReferenceStyle(AuthorYearReferenceStyle):
        bracket_textual: BracketStyle = field(default_factory=round_brackets)
        bracket_parenthetical: BracketStyle = field(default_factory=round_brackets)
        bracket_author: BracketStyle = field(default_factory=round_brackets)
        bracket_label: BracketStyle = field(default_factory=round_brackets)
        bracket_year: BracketStyle = field(default_factory=round_brackets)

    register_plugin("sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYearReferenceStyle)


def setup_citations(app) -> None:
    app.add_config_value("claimbook_citation_file", "CITATION.cff", "env", types=[str])
    register_round_reference_style()
    app.add_node(claim_citation)
    app.add_node(book_citation)
    app.add_directive("cite-book", CiteBookDirective)
    app.add_directive("cite-claim", CiteClaimDirective)
    # before links.resolve (priority 500), which links the numbers this puts in
    app.connect("doctree-resolved", resolve_citations, priority=400)
