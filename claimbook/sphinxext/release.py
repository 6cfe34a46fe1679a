"""The book's release: its version and date, read from ``CITATION.cff``, in the footer of every HTML
page and in the release history, marked so that the audit tells them from the article's numbers.

``{changelog}``
    the release history of ``CHANGELOG.md`` (``claimbook_changelog_file``, beside the pages): one
    entry per ``## [VERSION] - YYYY-MM-DD`` heading, its text parsed as the page's own markup.
the footer
    "Version 0.1.0 · released 1 December 2026 · Changes · How to cite" on every HTML page.
the PDF's title page
    "Version 0.1.0 · released 1 December 2026" above what ``today`` says there, so a printed copy
    names the edition it is (Sphinx prints ``today`` as the title page's date, as LaTeX).
:class:`release_stamp`
    a version or a release date. In HTML it is ``<span class="cb-version">``, the audit's documented
    exception; in print, a link to the release history (``\\hyperlink{cb-version}``), which the audit
    of the PDF accepts as the same exception. :func:`stamped` marks them in a generated text.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from .. import citation
from ..display import format_date
from ..errors import DataError
from .collector import note_target, trace_index

VERSION_TARGET = "cb-version"  # the PDF's named destination of the release history (claimbook.audit)
CHANGELOG_TARGET = "changelog"  # the collector's key of the page with the release history
CITATION_TARGET = "how-to-cite"  # the collector's key of the page with the book's citations
RELEASE = re.compile(r"^##\s+\[?(?P<version>[^\]\s]+)\]?\s*[-–—]\s*(?P<date>\d{4}-\d{2}-\d{2})\s*$", re.MULTILINE)


class release_stamp(nodes.inline):
    """A version or release date of the book (text only)."""


# How a version or date is marked, the audit's documented exception: in HTML a span of class cb-version;
# in print a link to the release history.
HTML_STAMP = ('<span class="cb-version">', "</span>")
LATEX_STAMP = (r"\hyperlink{%s}{" % VERSION_TARGET, "}")


def stamp_html(text: str) -> str:
    return HTML_STAMP[0] + html.escape(text) + HTML_STAMP[1]


def stamp_latex(text: str) -> str:
    return LATEX_STAMP[0] + text + LATEX_STAMP[1]


def visit_release_stamp_html(self, node) -> None:
    self.body.append(HTML_STAMP[0])


def depart_release_stamp_html(self, node) -> None:
    self.body.append(HTML_STAMP[1])


def visit_release_stamp_latex(self, node) -> None:
    if self.in_title:
        self.context.append("")
        return
    self.body.append(LATEX_STAMP[0])
    self.context.append(LATEX_STAMP[1])


def depart_release_stamp_latex(self, node) -> None:
    self.body.append(self.context.pop())


def release_texts(cff: dict) -> list[str]:
    """What of a generated text is the release: the version, the date as stored and as read, the year."""
    date = citation.release_date(cff)
    texts = [str(cff.get("version", "")), date, format_date(date) if date else "", date[:4]]
    return sorted({t for t in texts if t}, key=len, reverse=True)


def stamped(text: str, cff: dict) -> list[nodes.Node]:
    """``text`` with each version or release date in it a :class:`release_stamp`."""
    wanted = release_texts(cff)
    if not wanted:
        return [nodes.Text(text)]
    pattern = re.compile(r"(?<![\w.])(" + "|".join(re.escape(t) for t in wanted) + r")(?![\w])")
    result: list[nodes.Node] = []
    for index, part in enumerate(pattern.split(text)):
        if index % 2:
            result.append(release_stamp("", part))
        elif part:
            result.append(nodes.Text(part))
    return result


def read_changelog(path: Path) -> list[tuple[str, str, str]]:
    """(version, ISO date, text) of each release in a Keep-a-Changelog file, newest first as written."""
    try:
        document = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(path, None, None, "the changelog is missing") from None
    matches = list(RELEASE.finditer(document))
    if not matches:
        raise DataError(path, None, None, "no release heading such as '## [0.1.0] - 2026-12-01'")
    releases = []
    for match, following in zip(matches, matches[1:] + [None], strict=True):
        body = document[match.end():following.start() if following else len(document)]
        releases.append((match["version"], match["date"], body.strip("\n")))
    return releases


class ChangelogDirective(SphinxDirective):
    """Each release: "Version V, released D", then what changed."""

    has_content = False

    def run(self):
        path = Path(self.env.srcdir) / self.config.claimbook_changelog_file
        self.env.note_dependency(str(path))
        try:
            releases = read_changelog(path)
        except DataError as exc:
            raise self.error(str(exc)) from None
        note_target(self, CHANGELOG_TARGET)
        result: list[nodes.Node] = [nodes.raw("", r"\hypertarget{%s}{}" % VERSION_TARGET, format="latex")]
        for version, date, body in releases:
            entry = nodes.container(classes=["cb-release"])
            head = nodes.paragraph()
            head += nodes.strong("", "Version ")
            head += nodes.strong("", "", release_stamp("", version))
            head += nodes.Text(", released ")
            head += release_stamp("", format_date(date))
            entry += head
            self.state.nested_parse(StringList(body.splitlines(), str(path)), 0, entry)
            result.append(entry)
        return result


def add_release_footer(app, pagename, templatename, context, doctree) -> None:
    """The version and date from CITATION.cff in the footer, with links to the history and to citing."""
    from .citations import citation_metadata

    try:
        cff = citation_metadata(app.env, reading=False)
    except DataError:
        return  # the page that cites the book reports it
    parts = ["Version " + stamp_html(str(cff.get("version", "")))]
    date = citation.release_date(cff)
    if date:
        parts.append("released " + stamp_html(format_date(date)))
    targets = trace_index(app.env).targets
    for key, label in ((CHANGELOG_TARGET, "Changes"), (CITATION_TARGET, "How to cite")):
        if key in targets:
            parts.append(f'<a href="{html.escape(context["pathto"](targets[key]))}">{label}</a>')
    context["theme_extra_footer"] = '<p class="cb-release">' + " · ".join(parts) + "</p>"


def latex_release_line(cff: dict) -> str:
    """The release as LaTeX for the title page, its version and date linked to the release history
    (the audit's exception for them in print); empty without a version."""
    version = str(cff.get("version", ""))
    if not version:
        return ""
    line = "Version " + stamp_latex(version)
    date = citation.release_date(cff)
    if date:
        line += r" \textperiodcentered{} released " + stamp_latex(format_date(date))
    return line


def add_release_to_title_page(app, config) -> None:
    """Put the release above the title page's ``today``. The LaTeX builder prints ``today`` as it is
    (it is not escaped), and nothing in the HTML edition shows it."""
    from .book import citation_file

    try:
        cff = citation.load_citation(citation_file(app.srcdir, config))
    except DataError:
        return  # the page that cites the book reports it
    line = latex_release_line(cff)
    if line:
        config.today = line + (r"\\[1ex]" + config.today if config.today else "")


def exclude_changelog(app, config) -> None:
    """CHANGELOG.md beside the pages is what {changelog} reads, not a page of its own."""
    config.exclude_patterns = [*config.exclude_patterns, config.claimbook_changelog_file]


def setup_release(app) -> None:
    app.add_config_value("claimbook_changelog_file", "CHANGELOG.md", "env", types=[str])
    app.add_node(release_stamp, html=(visit_release_stamp_html, depart_release_stamp_html),
                 latex=(visit_release_stamp_latex, depart_release_stamp_latex))
    app.add_directive("changelog", ChangelogDirective)
    app.connect("config-inited", exclude_changelog)
    app.connect("config-inited", add_release_to_title_page)
    app.connect("html-page-context", add_release_footer)
