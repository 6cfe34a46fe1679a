"""The roles: an id in the text becomes a number linked to the sentence or formula that gives it.

Each linked number has ``data-claim``/``data-derived`` and an ``href`` to its anchor.

``{claim}`id```
    the claim's value in English ("58.67 billion yuan"), linked to ``#claim-<id>`` in the source
    appendix, with its sentence ID and a tooltip holding the Chinese sentence (the number marked),
    its English gloss and the sentence ID. ``{claim-exact}`` shows the article's words (586.7亿元),
    ``{claim-range}`` the bounds its words state ("at most 500 million yuan"), ``{claim-assumed}``
    the range the method assumes where the words leave a side open.
``{derived}`id```
    a derived figure's value (point reading), linked to ``#derived-<id>`` in the derived-figures
    appendix, with its formula and inputs in the tooltip; ``{derived-range}``, ``{derived-lower}``,
    ``{derived-upper}`` and ``{derived-title}`` show its range, its ends, its title;
    ``{derived-assumed}`` its range under the method's assumed margins.
``{sentence}`source:p07.s2```
    links a sentence (a bare ``p07.s2`` names a sentence of the book's first source).
``{constant}`MARGIN```
    shows a constant of the method (a choice of the book, explained in its tooltip, linked to no
    source): the margins of 近/超/不到 and 约, not a datum.

An unknown id is an error that names the closest known ids.
"""
from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxRole

from ..display import (
    NO_RANGE,
    claim_assumed_text,
    claim_bounds_text,
    derived_range_text,
    format_assumed,
    format_bound,
    format_value,
)
from ..errors import DataError
from ..qualifiers import method_constants
from .book import Book, book_of, note_dependencies, split_sentence_ref
from .collector import note_use
from .nodes import traced_number
from .shared import unknown
from .tooltip import Tooltip, next_tip_id
from .traced import claim_number, derived_number, exact_number, sentence_link


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
            note_use(self.env, self.inliner.document, node)
        note_dependencies(self.env)
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
        return exact_number(self.env, self.book.registry.claims[ref_id])


class ClaimRangeRole(ClaimRole):
    """A range of the claim: the bounds its words state ("at most 500 million yuan", ``{claim-range}``)
    or, with ``claim_assumed_text``, the range the method assumes (``{claim-assumed}``); a dash when
    there is none."""

    def __init__(self, text_of=claim_bounds_text):
        super().__init__()
        self.text_of = text_of

    def make(self, ref_id):
        claim = self.book.registry.claims[ref_id]
        text = self.text_of(claim)
        if not text:
            return nodes.inline("", NO_RANGE, classes=["cb-no-range"])
        return claim_number(self.env, claim, text, show_mark=False)


class DerivedRole(_TracedRole):
    kind = "derived"

    def known_ids(self):
        return self.book.derived

    def make(self, ref_id):
        return derived_number(self.env, self.book.derived[ref_id])


class DerivedRangeRole(DerivedRole):
    """A range of the figure (``text_of``: the one its inputs' stated bounds allow, or the one under the
    method's assumed margins), or a dash when there is none."""

    def __init__(self, text_of=derived_range_text):
        super().__init__()
        self.text_of = text_of

    def make(self, ref_id):
        derived = self.book.derived[ref_id]
        text = self.text_of(derived)
        if not text:
            return nodes.inline("", NO_RANGE, classes=["cb-no-range"])
        return derived_number(self.env, derived, text)


class DerivedBoundRole(DerivedRole):
    """One end of a derived figure's range: ``{derived-lower}``, ``{derived-upper}``."""

    def __init__(self, bound: str):
        super().__init__()
        self.bound = bound

    def make(self, ref_id):
        derived = self.book.derived[ref_id]
        return derived_number(self.env, derived, format_bound(derived, self.bound))


class DerivedTitleRole(DerivedRole):
    def make(self, ref_id):
        derived = self.book.derived[ref_id]
        return derived_number(self.env, derived, derived.title, mark=False)


class SentenceRole(_TracedRole):
    kind = "sentence"

    def known_ids(self):
        return self.book.sentence_ids

    def make(self, ref_id):
        source_id, sentence_id = split_sentence_ref(self.book.registry, ref_id)
        return sentence_link(self.env, source_id, sentence_id)


class ConstantRole(_TracedRole):
    kind = "constant"

    def known_ids(self):
        return method_constants()

    def make(self, name):
        value, unit, meaning = method_constants()[name]
        node = traced_number("", format_value(value, unit, exact=True), classes=["cb-num", "cb-constant"],
                             ref_kind="constant", ref_id=name, anchor="", target="", mark="", show_mark=False)
        node["tip"] = Tooltip(id=next_tip_id(self.env), title=f"{name} = {value}", gloss=meaning,
                              where="A choice of this book's method, not a figure from the article")
        return node


def setup_roles(app) -> None:
    app.add_role("claim", ClaimRole())
    app.add_role("claim-exact", ClaimExactRole())
    app.add_role("claim-range", ClaimRangeRole())
    app.add_role("derived", DerivedRole())
    app.add_role("derived-range", DerivedRangeRole())
    app.add_role("claim-assumed", ClaimRangeRole(claim_assumed_text))
    app.add_role("derived-assumed", DerivedRangeRole(format_assumed))
    app.add_role("derived-lower", DerivedBoundRole("lower"))
    app.add_role("derived-upper", DerivedBoundRole("upper"))
    app.add_role("derived-title", DerivedTitleRole())
    app.add_role("sentence", SentenceRole())
    app.add_role("constant", ConstantRole())
