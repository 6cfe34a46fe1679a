"""Sphinx extension: an id in the text becomes a number linked to the sentence that states it.

``extensions = ["claimbook.sphinxext"]``. One module per feature; each owns its nodes, visitors,
roles or directives and registers them in its ``setup_<feature>(app)``, which :func:`setup` calls:

=================  ==============================================================================
``book``           the data of one build, read once from ``claimbook_data_dir`` (relative to the
                   source directory)
``nodes``          the docutils nodes and their HTML and LaTeX visitors
``tooltip``        the tooltip of a traced number, and its HTML
``traced``         the traced number of a claim, a derived figure or a sentence
``roles``          ``{claim}``, ``{claim-exact}``, ``{claim-range}``, ``{claim-assumed}``, ``{derived}``,
                   ``{derived-range}``, ``{derived-assumed}``, ``{derived-lower}``, ``{derived-upper}``,
                   ``{derived-title}``, ``{sentence}``, ``{constant}``
``directives``     ``{source-text}``, ``{source-quote}``, ``{derived-figures}``
``citations``      ``{cite-book}``, ``{cite-claim}``, the ``author_year_round`` bibliography style
``release``        the version and date of CITATION.cff: the footer, ``{changelog}``, and the marks
                   that tell the audit a release from a number
``collector``      where each number is used and which page holds each appendix, kept in the
                   environment across incremental and parallel builds
``links``          every link and "used in" list, resolved once the whole book is read
``benchpage``      ``{benchmark-results}``, the build's measurements as tables
``outputs``        the notebooks' outputs: MyST parsed as MyST, charts as numbered figures with
                   downloads (a myst-nb mime render plugin, see :mod:`claimbook.outputs`)
``extractpage``    ``{extract-benchmark-results}``, the extractor against its peers, as tables
``zhsearch``       the Chinese search language, the same index as Sphinx's built faster, and how
                   the search page reads a query (numbers whole)
``downloads``      the header's download menu (the PDF, the data package, the executed notebook)
                   and ``{downloads}``
``metadata``       Highwire, schema.org JSON-LD and OpenGraph metadata in every page's head
``latextables``    tables in print: fitted to the text width, ragged right, breaking across pages
``assets``         the CSS and JavaScript of ``static/``
``shared``         the constants and messages several of them use
=================  ==============================================================================

Output is built from docutils nodes with a visitor per format; everything that comes from the
data reaches HTML through ``html.escape`` and LaTeX through the writer's escaping or
:func:`claimbook.display.latex_escape`.
"""
from __future__ import annotations

from .. import __version__
from .assets import setup_assets
from .benchpage import setup_benchpage
from .book import setup_book
from .citations import setup_citations
from .collector import setup_collector
from .directives import setup_directives
from .downloads import setup_downloads
from .extractpage import setup_extractpage
from .latextables import setup_latextables
from .links import setup_links
from .metadata import setup_metadata
from .nodes import setup_nodes
from .outputs import setup_outputs
from .release import setup_release
from .roles import setup_roles
from .zhsearch import setup_zhsearch


def setup(app):
    setup_book(app)
    setup_benchpage(app)
    setup_extractpage(app)
    setup_citations(app)
    setup_release(app)
    setup_metadata(app)
    setup_downloads(app)
    setup_nodes(app)
    setup_roles(app)
    setup_directives(app)
    setup_zhsearch(app)
    setup_latextables(app)
    setup_assets(app)
    setup_collector(app)
    setup_links(app)
    setup_outputs(app)
    # env_version 2: the collector keeps its index in one attribute of the environment
    return {"version": __version__, "env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
