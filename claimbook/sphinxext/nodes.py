"""The extension's docutils nodes and their HTML and LaTeX visitors.

Each node subclasses a docutils node, so a builder without its own visitor (text, man, texinfo)
falls back to the parent's and shows the plain number. Everything that comes from the data reaches
HTML through ``html.escape`` and LaTeX through the writer's escaping or
:func:`claimbook.display.latex_escape`.
"""
from __future__ import annotations

import html

from docutils import nodes

from ..display import latex_escape
from .shared import DERIVED_MARK, METHODS_LABEL


class traced_number(nodes.inline):
    """A number linked to its anchor: attributes ref_kind ('claim'/'derived'), ref_id, anchor,
    target (key into the collector's targets), mark (the trace mark: sentence ID for a claim, † for a
    derived figure, '' for text that is not a number), show_mark (print the mark in HTML too; LaTeX
    always prints it, as print has no other trace), tip (a :class:`~.tooltip.Tooltip` or None);
    set when resolved: refuri (HTML) and target_doc (LaTeX label)."""


class claim_mark(nodes.inline):
    """The exact words of a claim inside its sentence, carrying the ``claim-<id>`` anchor."""


class anchored_block(nodes.container):
    """A block with a stable anchor (and label in LaTeX): a sentence or a derived figure."""


class backlinks(nodes.inline):
    """Placeholder for "used in": filled when the whole book has been read."""


# --- HTML -------------------------------------------------------------------------------------------

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
        ("aria-describedby", tip.id if tip else ""),
    ]) + ">")


def depart_traced_number_html(self, node: traced_number) -> None:
    if node["show_mark"] and node["mark"]:
        self.body.append(f'<sup class="cb-sid">{html.escape(node["mark"])}</sup>')
    self.body.append("</a>" if node.get("refuri") else "</span>")
    tip = node.get("tip")
    if tip:
        self.body.append(tip.as_html())
    self.body.append("</span>")


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


# --- LaTeX ------------------------------------------------------------------------------------------

def _latex_labels(self, node) -> str:
    """Labels for the node's ids, as Sphinx writes them: none in a section title (a moving
    argument), no \\phantomsection in a caption (the label then names the figure)."""
    if self.in_title:
        return ""
    anchor = not getattr(self, "in_caption", 0)
    return "".join(self.hypertarget(node_id, anchor=anchor) for node_id in node["ids"])


def visit_traced_number_latex(self, node: traced_number) -> None:
    self.body.append(_latex_labels(self, node))
    if node["ref_kind"] == "constant" and not self.in_title \
            and METHODS_LABEL.split(":")[0] in self.builder.env.all_docs:
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


# The book's preamble sets curly quotes, dashes and ellipses in the Latin font, for the English text.
# In a block of Chinese they are Chinese punctuation, as the HTML shows them (lang="zh-…"): full
# width, and never at the start of a line, so a closing quote cannot sit alone on one. xeCJK's
# classes are local to the group the block opens.
CHINESE_PUNCTUATION = (r'{\ifdefined\xeCJKDeclareCharClass\xeCJKDeclareCharClass{FullLeft}{"2018, "201C}'
                       r'\xeCJKDeclareCharClass{FullRight}{"00B7, "2014, "2019, "201D, "2026}\fi')


def visit_anchored_block_latex(self, node: anchored_block) -> None:
    labels = _latex_labels(self, node)
    if labels:
        self.body.append("\n" + labels + "\n")
    chinese = node.get("lang", "").startswith("zh")
    self.body.append(CHINESE_PUNCTUATION + "\n" if chinese else "")
    self.context.append("}\n" if chinese else "")


def depart_anchored_block_latex(self, node: anchored_block) -> None:
    self.body.append(self.context.pop())


def visit_attribution_latex(self, node: nodes.attribution) -> None:
    """As Sphinx's, with an em dash: Sphinx writes ``---``, which the book's fonts, loaded without
    TeX ligatures, would print as three hyphens."""
    self.body.append("\n\\begin{flushright}\n\\textemdash{}")


def depart_attribution_latex(self, node: nodes.attribution) -> None:
    self.body.append("\n\\end{flushright}\n")


def setup_nodes(app) -> None:
    app.add_node(traced_number, html=(visit_traced_number_html, depart_traced_number_html),
                 latex=(visit_traced_number_latex, depart_traced_number_latex))
    app.add_node(claim_mark, html=(visit_claim_mark_html, depart_claim_mark_html),
                 latex=(visit_claim_mark_latex, depart_claim_mark_latex))
    app.add_node(anchored_block, html=(visit_anchored_block_html, depart_anchored_block_html),
                 latex=(visit_anchored_block_latex, depart_anchored_block_latex))
    app.add_node(backlinks)
    app.add_node(nodes.attribution, override=True, latex=(visit_attribution_latex, depart_attribution_latex))
