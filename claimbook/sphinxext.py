"""Sphinx extension: an id in the text becomes a number linked to the sentence that states it.

Roles (each linked number has ``data-claim``/``data-derived`` and an ``href`` to its anchor)
    ``{claim}`id``` the claim's value in English ("58.67 billion yuan"), linked to ``#claim-<id>``
    in the source appendix, with its sentence ID and a tooltip holding the Chinese sentence (the
    number marked), its English gloss and the sentence ID. ``{claim-exact}`` shows the article's
    words (586.7亿元), ``{claim-range}`` the bounds its qualifier gives.
    ``{derived}`id``` a derived figure's value (point reading), linked to ``#derived-<id>`` in the
    derived-figures appendix, with its formula and inputs in the tooltip; ``{derived-range}``,
    ``{derived-lower}``, ``{derived-upper}`` and ``{derived-title}`` show its range, its ends, its title.
    ``{sentence}`source:p07.s2``` links a sentence; ``{constant}`MARGIN``` shows a constant of the
    method (a choice of the book, explained in its tooltip, linked to no source).
Directives
    ``{source-text} SOURCE_ID`` the article sentence by sentence: anchors ``sent-p07-s2`` and
    ``claim-<id>``, the English gloss, and for every claim the places in the book that cite it.
    ``{source-quote} p07.s2`` one sentence quoted in a chapter, its numbers linked.
    ``{derived-figures}`` every derived figure: anchor, formula with linked inputs, value, range.

The data are loaded once per build from ``claimbook_data_dir`` (relative to the source directory).
Output is built from docutils nodes with a visitor per format; everything that comes from the
data reaches HTML through ``html.escape`` and LaTeX through the writer's escaping or
:func:`claimbook.display.latex_escape`.
"""
from __future__ import annotations

import difflib
import html
import itertools
import re
import weakref
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from docutils import nodes
from sphinx.errors import NoUri
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from .derived import derived_anchor, evaluate_all
from .display import NO_RANGE, claim_bounds_text, format_claim, format_derived, format_value, latex_escape
from .errors import DataError
from .glosses import gloss_parts
from .grammar import non_quantity_spans
from .registry import Registry, claim_anchor
from .source import sentence_anchor
from .zhsearch import ChineseSearch

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
DERIVED_TARGET = "derived"
# Where links point when no page carries the {source-text} or {derived-figures} directive (a warning
# says so): the appendices' conventional places.
SOURCE_DOC = "chapters/source-text"
DERIVED_DOC = "chapters/derived-figures"
DERIVED_MARK = "†"  # follows a derived number, as a sentence ID follows a stated one
_REFERENCE = re.compile(r"\{([^{}]*)\}")  # how formulas.csv names an input: {claim-id}


def source_target(source_id: str) -> str:
    return "source:" + source_id


# --- nodes ------------------------------------------------------------------------------------------
# Each node subclasses a docutils node, so a builder without its own visitor (text, man, texinfo)
# falls back to the parent's and shows the plain number.

class traced_number(nodes.inline):
    """A number linked to its anchor: attributes ref_kind ('claim'/'derived'), ref_id, anchor,
    target (key into env.claimbook_targets), mark (the trace mark: sentence ID for a claim, † for a
    derived figure, '' for text that is not a number), show_mark (print the mark in HTML too; LaTeX
    always prints it, as print has no other trace), tip (tooltip parts or None);
    set when resolved: refuri (HTML) and target_doc (LaTeX label)."""


class claim_mark(nodes.inline):
    """The exact words of a claim inside its sentence, carrying the ``claim-<id>`` anchor."""


class anchored_block(nodes.container):
    """A block with a stable anchor (and label in LaTeX): a sentence or a derived figure."""


class backlinks(nodes.inline):
    """Placeholder for "used in": filled when the whole book has been read."""


# --- the data of one build --------------------------------------------------------------------------

@dataclass
class Book:
    registry: Registry

    @cached_property
    def derived(self) -> dict:
        """Evaluated on first use: a book without derived figures needs no formulas.csv."""
        return evaluate_all(self.registry, reading="point")

    @cached_property
    def sentence_ids(self) -> dict:
        """Every name a page may give a sentence (:func:`_sentence_ids`), built once per build."""
        return _sentence_ids(self.registry)

    @cached_property
    def dependencies(self) -> list[str]:
        """Data files whose change must re-read the pages that use them."""
        data_dir = self.registry.data_dir
        files = [data_dir / name for name in ("sources.csv", "groups.csv", "claims.csv", "glosses.csv",
                                              "formulas.csv")]
        files += [source.path for source in self.registry.sources.values()]
        return sorted(str(path.resolve()) for path in files if path.exists())


_BOOKS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def load_book(app) -> None:
    data_dir = Path(app.srcdir) / app.config.claimbook_data_dir
    registry = Registry(data_dir)
    registry.sentences  # noqa: B018 - reads every source now, so a changed hash stops the build early
    _BOOKS[app] = Book(registry)
    _env_data(app.env)


def book_of(env) -> Book:
    return _BOOKS[env.app]


def _env_data(env):
    """The claimbook part of the environment (pickled with it between builds)."""
    if not hasattr(env, "claimbook_refs"):
        env.claimbook_refs = {}          # claim id -> [(docname, use id)]
        env.claimbook_derived_refs = {}  # derived id -> [(docname, use id)]
        env.claimbook_targets = {}       # "source:<id>" / "derived" -> docname holding the anchors
    return env


def _note_dependencies(env) -> None:
    for path in book_of(env).dependencies:
        env.note_dependency(path)


def _next_tip_id(env) -> str:
    number = env.temp_data.get("claimbook_tips", 0) + 1
    env.temp_data["claimbook_tips"] = number
    return f"cbtip-{number}"


def _register_use(env, document, node: traced_number) -> None:
    """Give a role use its id ``cbuse-<id>-<n>`` and record it for the "used in" lists."""
    _env_data(env)
    uses = env.claimbook_refs if node["ref_kind"] == "claim" else env.claimbook_derived_refs
    entries = uses.setdefault(node["ref_id"], [])
    number = 1 + sum(1 for docname, _ in entries if docname == env.docname)
    use_id = f"cbuse-{node['ref_id']}-{number}"
    entries.append((env.docname, use_id))
    node["ids"] = [use_id]
    document.set_id(node)  # registers the id, so a clash is reported


# --- building traced numbers ------------------------------------------------------------------------

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
        node["tip"] = {
            "id": _next_tip_id(env),
            "title": claim.indicator,
            "quote": [before, claim.exact, after],
            "lang": registry.sources[claim.source_id].language,
            "gloss": gloss_text(registry, claim.source_id, claim.sentence_id),
            "lines": [],
            "where": f"Sentence {claim.sentence_id} · {claim.source_id}",
        }
    return node


def derived_number(env, derived, text: str | None = None, *, tooltip: bool = True,
                   mark: bool = True) -> traced_number:
    """The node for one derived figure; ``text`` defaults to its value (the point reading). It
    is marked † (computed by the book, not stated); ``mark`` False for a title or an id."""
    point = format_value(derived.value, derived.unit, derived.kind)
    node = traced_number(
        "", text if text is not None else point, classes=["cb-num", "cb-derived"],
        ref_kind="derived", ref_id=derived.derived_id, anchor=derived_anchor(derived.derived_id),
        target=DERIVED_TARGET, mark=DERIVED_MARK if mark else "", show_mark=mark,
    )
    if tooltip:
        node["tip"] = {
            "id": _next_tip_id(env),
            "title": derived.title,
            "quote": None,
            "gloss": "",
            "lines": ["= " + readable_formula(derived.formula)] + _input_lines(env, derived)
                     + _range_line(derived, point),
            "where": "Derived figure (computed, not stated) · " + derived.derived_id,
        }
    return node


def _range_line(derived, point: str) -> list[str]:
    spread = format_derived(derived)
    return [f"range over the inputs' bounds: {spread}"] if spread != point else []


def readable_formula(formula: str) -> str:
    """``{a} / (1 + {b})`` → ``a / (1 + b)``."""
    return _REFERENCE.sub(lambda m: m.group(1).strip(), formula)


def _input_lines(env, derived) -> list[str]:
    book = book_of(env)
    lines = []
    for ref in derived.inputs:
        claim = book.registry.claims.get(ref)
        if claim is not None:
            lines.append(f"{ref} = {format_claim(claim)} ({claim.sentence_id})")
        else:
            derived = book.derived[ref]
            lines.append(f"{ref} = {format_value(derived.value, derived.unit, derived.kind)} (derived)")
    return lines


def input_number(env, ref: str, text: str | None = None, *, mark: bool = True,
                 tooltip: bool = True) -> traced_number:
    """A formula input, claim or derived figure."""
    book = book_of(env)
    if ref in book.registry.claims:
        return claim_number(env, book.registry.claims[ref], text, mark=mark, tooltip=tooltip)
    return derived_number(env, book.derived[ref], text, mark=mark, tooltip=tooltip)


# --- roles ------------------------------------------------------------------------------------------
# {claim} the value in English · {claim-exact} the stated words · {claim-range} the stated bounds
# {derived} the value (point reading) · {derived-range} its range · {derived-lower}, {derived-upper}
# its ends · {derived-title} its title
# {sentence} a link to a sentence (`source:p07.s2`, or `p07.s2` when the book has one source)
# {constant} a documented choice of the method (the margins of 近/超/不到 and 约), not a datum



def unknown(what: str, ref: str, known) -> str:
    """The message for an id that is not in ``known``, with the closest ones as suggestions."""
    close = difflib.get_close_matches(ref, list(known), n=3)
    return f"unknown {what} '{ref}'" + (f"; did you mean {', '.join(close)}?" if close else "")


class _TracedRole(SphinxRole):
    kind = ""

    def run(self):
        ref_id = self.text.strip()
        try:
            known = self.known_ids()
            if ref_id not in known:
                return self.fail(unknown(f"{self.kind} id", ref_id, known))
            node = self.make(ref_id)
        except (ValueError, KeyError, DataError) as exc:
            return self.fail(str(exc))
        self.set_source_info(node)
        if isinstance(node, traced_number) and node["ref_kind"] in ("claim", "derived"):
            _register_use(self.env, self.inliner.document, node)
        _note_dependencies(self.env)
        return [node], []

    def fail(self, message: str):
        msg = self.inliner.reporter.error(f"{{{self.name or self.kind}}}: {message}", line=self.lineno)
        problem = self.inliner.problematic(self.rawtext, self.rawtext, msg)
        return [problem], [msg]

    @property
    def book(self) -> Book:
        return book_of(self.env)


class ClaimRole(_TracedRole):
    kind = "claim"

    def known_ids(self):
        return self.book.registry.claims

    def make(self, ref_id):
        return claim_number(self.env, self.book.registry.claims[ref_id])


class ClaimExactRole(ClaimRole):
    """The words of the article, verbatim, linked like the value."""

    def make(self, ref_id):
        claim = self.book.registry.claims[ref_id]
        node = claim_number(self.env, claim, claim.exact, show_mark=False)
        node["lang"] = self.book.registry.sources[claim.source_id].language
        node["support_smartquotes"] = False
        return node


class ClaimRangeRole(ClaimRole):
    """The bounds the qualifier gives ("450–500 million yuan"), or a dash for an exact number."""

    def make(self, ref_id):
        claim = self.book.registry.claims[ref_id]
        bounds = claim_bounds_text(claim)
        if not bounds:
            return nodes.inline("", NO_RANGE, classes=["cb-no-range"])
        return claim_number(self.env, claim, bounds, show_mark=False)


class DerivedRole(_TracedRole):
    kind = "derived"

    def known_ids(self):
        return self.book.derived

    def make(self, ref_id):
        return derived_number(self.env, self.book.derived[ref_id])


class DerivedRangeRole(DerivedRole):
    def make(self, ref_id):
        derived = self.book.derived[ref_id]
        spread = format_derived(derived)
        if spread == format_value(derived.value, derived.unit, derived.kind):
            return nodes.inline("", NO_RANGE, classes=["cb-no-range"])
        return derived_number(self.env, derived, spread)


class DerivedBoundRole(DerivedRole):
    """One end of a derived figure's range: ``{derived-lower}``, ``{derived-upper}``."""

    def __init__(self, bound: str):
        super().__init__()
        self.bound = bound

    def make(self, ref_id):
        derived = self.book.derived[ref_id]
        return derived_number(self.env, derived, format_value(getattr(derived, self.bound), derived.unit, derived.kind))


class DerivedTitleRole(DerivedRole):
    def make(self, ref_id):
        derived = self.book.derived[ref_id]
        return derived_number(self.env, derived, derived.title, mark=False)


class SentenceRole(_TracedRole):
    kind = "sentence"

    def known_ids(self):
        return self.book.sentence_ids

    def make(self, ref_id):
        source_id, sentence_id = _split_sentence_ref(self.book.registry, ref_id)
        return sentence_link(self.env, source_id, sentence_id)


class ConstantRole(_TracedRole):
    kind = "constant"

    def known_ids(self):
        return method_constants()

    def make(self, name):
        value, unit, meaning = method_constants()[name]
        node = traced_number("", format_value(value, unit, exact=True), classes=["cb-num", "cb-constant"],
                             ref_kind="constant", ref_id=name, anchor="", target="", mark="", show_mark=False)
        node["tip"] = {"id": _next_tip_id(self.env), "title": f"{name} = {value}", "quote": None, "lang": "",
                       "gloss": meaning, "lines": [],
                       "where": "A choice of this book's method, not a figure from the article"}
        return node


def method_constants() -> dict:
    """The named constants prose may show: name -> (value, unit, meaning)."""
    from . import qualifiers

    return {
        "MARGIN": (qualifiers.MARGIN, "fraction", "The width this book gives 近 (nearly), 超 (more than) and 不到 "
                                                  "(less than), as a share of the stated value."),
        "ABOUT": (qualifiers.ABOUT, "fraction", "The width this book gives 约 and 左右 (about), either side of "
                                                "the stated value."),
    }


def _sentence_ids(registry: Registry) -> dict:
    """Every way a sentence may be named: ``source:p07.s2``, and a bare ``p07.s2`` for a sentence of
    the book's own article, the first row of sources.csv; so adding a source breaks no page."""
    ids = {f"{sid}:{s.id}": s for sid, sentences in registry.sentences.items() for s in sentences}
    ids.update({s.id: s for s in registry.sentences[_first_source(registry)]})
    return ids


def _first_source(registry: Registry) -> str:
    return next(iter(registry.sentences))  # sources.csv order


def _split_sentence_ref(registry: Registry, ref: str) -> tuple[str, str]:
    if ":" in ref:
        source_id, _, sentence_id = ref.partition(":")
        return source_id, sentence_id
    return _first_source(registry), ref


def sentence_link(env, source_id: str, sentence_id: str) -> traced_number:
    """A link to a sentence of the source appendix, its text and gloss in the tooltip."""
    registry = book_of(env).registry
    sentence = registry.sentence(source_id, sentence_id)
    node = traced_number("", sentence.id, classes=["cb-sentence-ref"], ref_kind="sentence", ref_id=sentence.id,
                         anchor=sentence_anchor(sentence.id), target=source_target(source_id), mark="",
                         show_mark=False)
    node["tip"] = {"id": _next_tip_id(env), "title": "", "quote": [sentence.text, "", ""],
                   "lang": registry.sources[source_id].language, "gloss": gloss_text(registry, source_id, sentence.id),
                   "lines": [], "where": f"Sentence {sentence.id} · {source_id}"}
    return node


# --- directives -------------------------------------------------------------------------------------

def gloss_text(registry: Registry, source_id: str, sentence_id: str) -> str:
    """The gloss as plain text (for a tooltip), each ``{claim-id}`` replaced by the claim's reading."""
    claims = registry.claims
    return "".join(text if kind == "text" or text not in claims else format_claim(claims[text])
                   for kind, text in gloss_parts(registry.gloss(source_id, sentence_id)))


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


def _record_target(directive: SphinxDirective, key: str) -> None:
    env = _env_data(directive.env)
    previous = env.claimbook_targets.get(key)
    if previous and previous != env.docname:
        logger.warning(f"claimbook: {key} is already rendered in '{previous}'; its anchors would clash",
                       location=(env.docname, directive.lineno))
    env.claimbook_targets[key] = env.docname


class SourceTextDirective(SphinxDirective):
    """The whole article, sentence by sentence, every claim marked where it stands."""

    required_arguments = 1
    has_content = False

    def run(self):
        book = book_of(self.env)
        source_id = self.arguments[0].strip()
        if source_id not in book.registry.sources:
            raise self.error(f"unknown source '{source_id}'; known: {', '.join(book.registry.sources)}")
        _record_target(self, source_target(source_id))
        _note_dependencies(self.env)
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
        return _sentence_with_claims(self, sentence, claims, mark)

    def _claim_item(self, claim) -> nodes.Element:
        env = self.env
        line = nodes.paragraph()
        exact = claim_number(env, claim, claim.exact, tooltip=False, show_mark=False)
        exact["lang"] = book_of(env).registry.sources[claim.source_id].language
        exact["support_smartquotes"] = False  # verbatim
        line += exact
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
        line += nodes.Text(" · used in: ")
        line += backlinks("", ref_kind="claim", ref_id=claim.claim_id)
        return nodes.list_item("", line)


def _sentence_with_claims(directive: SphinxDirective, sentence, claims, make) -> list[nodes.Node]:
    """The sentence as text, with ``make(claim)`` standing for each claim's words. Claims never
    overlap (the grammar claims each span once); if two did, the second is reported and left out.
    Numerals that the grammar reads as no quantity (从1到100, 6G) are wrapped, with their reason, in
    a ``cb-not-quantity`` span, so that a reader of the markup (the audit) can tell them apart."""
    result: list[nodes.Node] = []
    cursor = sentence.start
    for claim in sorted(claims, key=lambda c: c.start):
        if claim.start < cursor:
            logger.warning(f"claimbook: claim '{claim.claim_id}' overlaps another claim in sentence "
                           f"{claim.sentence_id}; it cannot be marked",
                           location=(directive.env.docname, directive.lineno))
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
        source_id, sentence_id = _split_sentence_ref(registry, ref)
        sentence = registry.sentence(source_id, sentence_id)
        source = registry.sources[source_id]
        _note_dependencies(self.env)

        def linked(claim):
            node = claim_number(self.env, claim, claim.exact, tooltip=False, show_mark=False)
            node["classes"].append("cb-quoted")
            node["tip"] = {"id": _next_tip_id(self.env), "title": claim.indicator, "quote": None, "lang": "",
                           "gloss": "", "lines": [format_claim(claim)], "where": f"Claim {claim.claim_id}"}
            _register_use(self.env, self.state.document, node)
            return node

        quote = nodes.block_quote(classes=["cb-quote"])
        chinese = anchored_block(classes=["cb-zh"], lang=source.language, support_smartquotes=False,
                                 data={"sentence": sentence.id, "source": source_id})
        text = nodes.paragraph()
        text.extend(_sentence_with_claims(self, sentence, registry.claims_of_sentence(source_id, sentence_id), linked))
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
        _record_target(self, DERIVED_TARGET)
        _note_dependencies(self.env)
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
        point = format_value(derived.value, derived.unit, derived.kind)
        value += derived_number(env, derived, point, tooltip=False)
        spread = format_derived(derived)
        if spread != point:
            value += nodes.Text(" · range: ")
            value += derived_number(env, derived, spread, tooltip=False)
        value += nodes.Text(f" · unit: {derived.unit} · kind: {derived.kind}")
        block += value

        formula = nodes.paragraph(classes=["cb-formula-line"])
        formula += nodes.Text("Formula: ")
        expression = nodes.inline(classes=["cb-formula"])
        for index, part in enumerate(_REFERENCE.split(derived.formula)):
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
            _register_use(env, self.state.document, number)
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


# --- citations --------------------------------------------------------------------------------------
# {cite-book} apa | bibtex | chapter: the book's reference from CITATION.cff and claimbook.__version__.
# {cite-claim} ID: one number's permalink and a ready citation. The permalink names the page that holds
# the claim's anchor, known only once every page is read, so the directive leaves a placeholder that
# resolve_citations fills in.

CITE_FORMS = ("apa", "bibtex", "chapter")


class claim_citation(nodes.General, nodes.Element):
    """Placeholder for a claim's permalink and citation (attribute claim_id)."""


def citation_metadata(env, *, reading: bool = True) -> dict:
    """CITATION.cff of the book being built, beside its pages (the build stages it there). While a
    page is being read (``reading``), the page is made to depend on the file."""
    from . import citation

    path = Path(env.srcdir) / env.config.claimbook_citation_file
    if reading:
        env.note_dependency(str(path))
    return citation.load_citation(path)


def _base_url(env) -> str:
    return env.config.html_baseurl or ""


class CiteBookDirective(SphinxDirective):
    """A code block with the book's reference: ``apa``, ``bibtex`` or the ``chapter`` pattern."""

    required_arguments = 1
    has_content = False

    def run(self):
        from . import citation

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
        text = {"apa": lambda: citation.book_apa(cff),
                "bibtex": lambda: citation.book_bibtex(cff),
                "chapter": lambda: citation.chapter_pattern(cff, _base_url(self.env))}[form]()
        block = nodes.literal_block(text, text, language="bibtex" if form == "bibtex" else "text",
                                    classes=["cb-citation"])
        self.set_source_info(block)
        return [block]


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
        _note_dependencies(self.env)
        node = claim_citation(claim_id=claim_id)
        self.set_source_info(node)
        return [node]


def resolve_citations(app, doctree, docname: str) -> None:
    """Replace each claim_citation placeholder: the permalink as a traced link, then the citation as
    a code block. Print has no code-block exception for numbers, so the PDF quotes the sentence with
    its numbers linked instead, like {source-quote}."""
    from . import citation

    placeholders = list(doctree.findall(claim_citation))
    if not placeholders:
        return
    env = _env_data(app.env)
    registry = book_of(env).registry
    cff = citation_metadata(env, reading=False)
    warned: set[str] = set()
    for node in placeholders:
        claim = registry.claims[node["claim_id"]]
        source = registry.sources[claim.source_id]
        sentence = registry.sentence(claim.source_id, claim.sentence_id)
        target_doc = _target_doc(env, source_target(claim.source_id), node, warned)
        link = citation.permalink(target_doc, claim_anchor(claim.claim_id), _base_url(env))
        result: list[nodes.Node] = []
        line = nodes.paragraph(classes=["cb-permalink"])
        line += nodes.Text("Permalink: ")
        number = claim_number(env, claim, link, tooltip=False, mark=False)
        number.children = [nodes.literal("", link)]
        line += number
        result.append(line)
        lines = citation.claim_citation_lines(cff, claim, sentence.text, source, link)
        if app.builder.format == "latex":
            result.append(_latex_claim_citation(env, registry, claim, sentence, source, lines, node.line))
        else:
            text = "\n".join(lines)
            result.append(nodes.literal_block(text, text, language="text", classes=["cb-citation"]))
        node.replace_self(result)


def _latex_claim_citation(env, registry, claim, sentence, source, lines, line_number) -> nodes.Element:
    """The citation for print: the same lines, with the stated words and the sentence's numbers linked."""
    from types import SimpleNamespace

    quote = nodes.block_quote(classes=["cb-citation"])
    head = nodes.paragraph(support_smartquotes=False)
    before, _, after = lines[0].partition(f"“{claim.exact}”")
    head += nodes.Text(before + "“")
    head += claim_number(env, claim, claim.exact, tooltip=False, show_mark=False)
    head += nodes.Text("”" + after)
    quote += head
    quote += nodes.paragraph("", "", nodes.literal("", lines[1]))
    quote += nodes.paragraph("", lines[2], support_smartquotes=False)
    chinese = anchored_block(classes=["cb-zh"], lang=source.language, support_smartquotes=False, data={})
    words = nodes.paragraph()
    words += nodes.Text("“")
    words.extend(_sentence_with_claims(
        SimpleNamespace(env=env, lineno=line_number), sentence,
        registry.claims_of_sentence(claim.source_id, claim.sentence_id),
        lambda c: claim_number(env, c, c.exact, tooltip=False, show_mark=False)))
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


# --- resolving links and "used in" ------------------------------------------------------------------

def _href(builder, fromdoc: str, todoc: str, anchor: str) -> str | None:
    """The link from ``fromdoc`` to ``anchor`` in ``todoc``; None when the builder leaves ``todoc`` out."""
    try:
        uri = builder.get_relative_uri(fromdoc, todoc)
    except NoUri:
        return None
    if "#" in uri:  # singlehtml: every page is a fragment of one file
        uri = uri.split("#", 1)[0]
    return f"{uri}#{anchor}"


def _target_doc(env, key: str, node, warned: set) -> str:
    docname = _env_data(env).claimbook_targets.get(key)
    if docname is None:
        fallback = DERIVED_DOC if key == DERIVED_TARGET else SOURCE_DOC
        if key not in warned:
            warned.add(key)
            what = "{derived-figures}" if key == DERIVED_TARGET else "{source-text} " + key.split(":", 1)[1]
            logger.warning(f"claimbook: no page has a {what} directive, so links point to '{fallback}'",
                           location=node)
        return fallback
    return docname


def _document_order(env) -> dict[str, int]:
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
    env = _env_data(app.env)
    builder = app.builder
    warned: set[str] = set()
    for node in doctree.findall(traced_number):
        if not node["target"]:  # a constant of the method: explained in place, linked nowhere
            continue
        target_doc = _target_doc(env, node["target"], node, warned)
        node["target_doc"] = target_doc
        node["refuri"] = _href(builder, docname, target_doc, node["anchor"]) or ""
    placeholders = list(doctree.findall(backlinks))
    if not placeholders:
        return
    order = _document_order(env)
    for node in placeholders:
        uses = env.claimbook_refs if node["ref_kind"] == "claim" else env.claimbook_derived_refs
        entries = sorted(uses.get(node["ref_id"], []),
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
            href = _href(builder, fromdoc, docname, use_id)
            if href is None:  # a page this builder leaves out: name it, without a dead link
                result += nodes.Text(label)
            else:
                result += nodes.reference("", label, internal=True, refuri=href, classes=["cb-backlink"])
    return result


# --- environment bookkeeping ------------------------------------------------------------------------

def purge_doc(app, env, docname: str) -> None:
    _env_data(env)
    for uses in (env.claimbook_refs, env.claimbook_derived_refs):
        for ref_id in list(uses):
            uses[ref_id] = [entry for entry in uses[ref_id] if entry[0] != docname]
            if not uses[ref_id]:
                del uses[ref_id]
    for key in [k for k, d in env.claimbook_targets.items() if d == docname]:
        del env.claimbook_targets[key]


def merge_info(app, env, docnames, other) -> None:
    _env_data(env)
    _env_data(other)
    for name in ("claimbook_refs", "claimbook_derived_refs"):
        mine, theirs = getattr(env, name), getattr(other, name)
        for ref_id, entries in theirs.items():
            for entry in entries:
                if entry[0] in docnames and entry not in mine.get(ref_id, []):
                    mine.setdefault(ref_id, []).append(entry)
    for key, docname in other.claimbook_targets.items():
        if docname in docnames:
            env.claimbook_targets[key] = docname


def pages_with_backlinks(app, env) -> list[str]:
    """Rewrite the appendices whenever anything was read: their "used in" lists may have changed."""
    _env_data(env)
    return sorted(d for d in set(env.claimbook_targets.values()) if d in env.all_docs)


# --- HTML visitors ----------------------------------------------------------------------------------

def _attributes(pairs) -> str:
    return "".join(f' {name}="{html.escape(str(value), quote=True)}"' for name, value in pairs if value)


def visit_traced_number_html(self, node: traced_number) -> None:
    tip = node.get("tip")
    kind = node["ref_kind"]
    mark = node["mark"] if node["show_mark"] else ""
    label = node.astext() + {"": "", DERIVED_MARK: ", computed by the book"}.get(mark, f", sentence {mark}")
    # without a link target (a constant) the number is a span, focusable so its tooltip shows
    tag = "a" if node.get("refuri") else "span"
    self.body.append('<span class="cb-traced">')
    self.body.append(f"<{tag}" + _attributes([
        ("class", " ".join(node["classes"])),
        ("id", node["ids"][0] if node["ids"] else ""),
        (f"data-{kind}", node["ref_id"]),
        ("href", node.get("refuri", "")),
        ("tabindex", "" if tag == "a" else "0"),
        ("lang", node.get("lang", "")),
        ("aria-label", label if mark else ""),
        ("aria-describedby", tip["id"] if tip else ""),
    ]) + ">")


def depart_traced_number_html(self, node: traced_number) -> None:
    if node["show_mark"] and node["mark"]:
        self.body.append(f'<sup class="cb-sid">{html.escape(node["mark"])}</sup>')
    self.body.append("</a>" if node.get("refuri") else "</span>")
    tip = node.get("tip")
    if tip:
        self.body.append(_tooltip_html(tip))
    self.body.append("</span>")


def _tooltip_html(tip: dict) -> str:
    escape = html.escape
    parts = [f'<span class="cb-tip" role="tooltip" id="{escape(tip["id"])}">']
    if tip["title"]:
        parts.append(f'<span class="cb-tip-title">{escape(tip["title"])}</span>')
    if tip["quote"]:
        before, exact, after = tip["quote"]
        marked = f"<mark>{escape(exact)}</mark>" if exact else ""
        parts.append(f'<span class="cb-tip-quote" lang="{escape(tip["lang"])}">{escape(before)}{marked}'
                     f"{escape(after)}</span>")
    if tip["gloss"]:
        parts.append(f'<span class="cb-tip-gloss"><span class="cb-tip-label">Our translation: </span>'
                     f'{escape(tip["gloss"])}</span>')
    for line in tip["lines"]:
        parts.append(f'<span class="cb-tip-line">{escape(line)}</span>')
    parts.append(f'<span class="cb-tip-where">{escape(tip["where"])}</span></span>')
    return "".join(parts)


def visit_claim_mark_html(self, node: claim_mark) -> None:
    self.body.append(self.starttag(node, "mark", "", **{"data-claim": node["claim"]}))


def depart_claim_mark_html(self, node: claim_mark) -> None:
    self.body.append("</mark>")


def visit_anchored_block_html(self, node: anchored_block) -> None:
    attributes = {f"data-{key}": value for key, value in node.get("data", {}).items()}
    if node.get("lang"):
        attributes["lang"] = node["lang"]
    self.body.append(self.starttag(node, "div", **attributes))


def depart_anchored_block_html(self, node: anchored_block) -> None:
    self.body.append("</div>\n")


# --- LaTeX visitors ---------------------------------------------------------------------------------

def _latex_labels(self, node) -> str:
    """Labels for the node's ids, as Sphinx writes them: none in a section title (a moving
    argument), no \\phantomsection in a caption (the label then names the figure)."""
    if self.in_title:
        return ""
    anchor = not getattr(self, "in_caption", 0)
    return "".join(self.hypertarget(node_id, anchor=anchor) for node_id in node["ids"])


# In print, a method constant links to the methods chapter, where its rule is stated.
METHODS_LABEL = "chapters/methods:chapter-methods"


def visit_traced_number_latex(self, node: traced_number) -> None:
    self.body.append(_latex_labels(self, node))
    if node["ref_kind"] == "constant" and not self.in_title and METHODS_LABEL.split(":")[0] in self.builder.env.all_docs:
        self.body.append(r"\hyperref[%s]{" % self.idescape(METHODS_LABEL))
        self.context.append("}")
        return
    if self.in_title or not node["anchor"]:
        self.context.append("")
        return
    label = self.idescape(f"{node['target_doc']}:{node['anchor']}")
    self.body.append(r"\hyperref[%s]{" % label)
    self.context.append("}")


def depart_traced_number_latex(self, node: traced_number) -> None:
    self.body.append(self.context.pop())
    if node["mark"] == DERIVED_MARK:
        self.body.append(r"\textsuperscript{\textdagger}")
    elif node["mark"]:
        self.body.append(r"\textsuperscript{%s}" % latex_escape(node["mark"]))


def visit_claim_mark_latex(self, node: claim_mark) -> None:
    """The stated number in the source appendix: bold, and a link to its own anchor, so that in
    print too every number is a link (the audit of the PDF relies on it)."""
    labels = _latex_labels(self, node)
    if self.in_title or not node["ids"]:
        self.body.append(labels + r"\textbf{")
        self.context.append("}")
        return
    own = self.idescape(f"{self.curfilestack[-1]}:{node['ids'][0]}")
    self.body.append(labels + r"\hyperref[%s]{\textbf{" % own)
    self.context.append("}}")


def depart_claim_mark_latex(self, node: claim_mark) -> None:
    self.body.append(self.context.pop())


def visit_anchored_block_latex(self, node: anchored_block) -> None:
    labels = _latex_labels(self, node)
    if labels:
        self.body.append("\n" + labels + "\n")


def depart_anchored_block_latex(self, node: anchored_block) -> None:
    pass


# --- setup ------------------------------------------------------------------------------------------

def add_static_files(app) -> None:
    if app.builder.format == "html":
        app.config.html_static_path.append(str(STATIC_DIR))


def drop_duplicate_scripts(app, pagename, templatename, context, doctree) -> None:
    """Sphinx 7.4 registers some inline scripts twice (sphinx-thebe's ``const THEBE_JS_URL``), and
    the second copy throws in the browser; keep the first of each (fixed upstream in Sphinx 8)."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        key = (getattr(script, "filename", str(script)) or "", getattr(script, "priority", 0),
               tuple(sorted((getattr(script, "attributes", {}) or {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    scripts[:] = kept


def setup(app):
    app.add_config_value("claimbook_data_dir", "data", "env", types=[str])
    app.add_config_value("claimbook_citation_file", "CITATION.cff", "env", types=[str])
    app.setup_extension("claimbook.benchpage")
    register_round_reference_style()
    app.add_node(traced_number, html=(visit_traced_number_html, depart_traced_number_html),
                 latex=(visit_traced_number_latex, depart_traced_number_latex))
    app.add_node(claim_mark, html=(visit_claim_mark_html, depart_claim_mark_html),
                 latex=(visit_claim_mark_latex, depart_claim_mark_latex))
    app.add_node(anchored_block, html=(visit_anchored_block_html, depart_anchored_block_html),
                 latex=(visit_anchored_block_latex, depart_anchored_block_latex))
    app.add_node(backlinks)
    app.add_role("claim", ClaimRole())
    app.add_role("claim-exact", ClaimExactRole())
    app.add_role("claim-range", ClaimRangeRole())
    app.add_role("derived", DerivedRole())
    app.add_role("derived-range", DerivedRangeRole())
    app.add_role("derived-lower", DerivedBoundRole("lower"))
    app.add_role("derived-upper", DerivedBoundRole("upper"))
    app.add_role("derived-title", DerivedTitleRole())
    app.add_role("sentence", SentenceRole())
    app.add_role("constant", ConstantRole())
    app.add_directive("source-text", SourceTextDirective)
    app.add_directive("source-quote", SourceQuoteDirective)
    app.add_directive("derived-figures", DerivedFiguresDirective)
    app.add_node(claim_citation)
    app.add_directive("cite-book", CiteBookDirective)
    app.add_directive("cite-claim", CiteClaimDirective)
    app.add_search_language(ChineseSearch)  # html_search_language: zh, indexed in less time
    app.add_css_file("claimbook.css")
    app.add_js_file("claimbook.js", loading_method="defer")
    app.connect("builder-inited", load_book)
    app.connect("builder-inited", add_static_files)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-updated", pages_with_backlinks)
    app.connect("doctree-resolved", resolve_citations, priority=400)  # before resolve links its numbers
    app.connect("doctree-resolved", resolve)
    app.connect("html-page-context", drop_duplicate_scripts)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
