"""The book's side of :mod:`claimbook.outputs`: MyST outputs parsed as MyST, charts as numbered figures.

A myst-nb mime render plugin (:class:`OutputsPlugin`, entry point group ``myst_nb.mime_renderers``
in ``pyproject.toml``) renders the two mime types a chapter adds to its outputs, and ranks them
first in every builder, so the book never shows the Jupyter side (``text/html``,
``text/markdown``) of an output that has them:

- :data:`~claimbook.outputs.MYST` is parsed with the book's MyST parser: each role a traced number;
- :data:`~claimbook.outputs.FIGURE` becomes myst-nb's own figure (:func:`create_figure_context`:
  the name ``fig-<key>`` for ``{numref}``, a numbered caption parsed as MyST), holding the chart's
  SVG and PNG as a mime bundle that myst-nb resolves per builder (SVG in HTML, PNG in print), with
  the computed alt text; below it, in HTML only, the figure's downloads: the plotted rows as CSV,
  the chart as SVG and PNG (Sphinx's download files, copied to ``_downloads/``).

:func:`setup_outputs` stops a build whose environment lacks the plugin (claimbook not installed),
which would otherwise show the Jupyter side without a word.
"""
from __future__ import annotations

import base64

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ExtensionError

from ..outputs import FIGURE, MYST

IMAGES = ("image/svg+xml", "image/png")  # the chart as every output carries it, in download order
DOWNLOADS_CLASS = "cb-figure-downloads"


class OutputsPlugin:
    """myst-nb ``MimeRenderPlugin``: renders :data:`MYST` and :data:`FIGURE`, and nothing else."""

    mime_priority_overrides = [("*", FIGURE, 1), ("*", MYST, 2)]

    @staticmethod
    def handle_mime(renderer, data, inline: bool):
        if data.mime_type == MYST:
            return render_myst(renderer.renderer, data.string, data.line or 0, inline)
        if data.mime_type == FIGURE and not inline:
            return render_figure(renderer, data)
        return None


def render_myst(parser, text: str, line: int, inline: bool = False) -> list[nodes.Node]:
    """``text`` parsed by the book's MyST parser, as the nodes it makes."""
    holder = nodes.Element()
    with parser.current_node_context(holder):
        parser.nested_render_text(text, line, inline=inline)
    return holder.children


def render_figure(renderer, data) -> list[nodes.Node]:
    """The figure of a :class:`claimbook.outputs.FigureOutput`: myst-nb's figure around the chart's
    images (the output's own SVG and PNG), then its downloads."""
    from myst_nb.core.render import MimeData, create_figure_context

    parser = renderer.renderer
    payload = data.content
    images = sibling_images(parser, data)
    line = data.line or 0
    holder = nodes.Element()
    with parser.current_node_context(holder):
        options = {"name": payload["name"], "caption": payload["caption"], "classes": "cb-figure"}
        with create_figure_context(parser, options, line):
            bundle = nodes.container(nb_element="mime_bundle")
            for mime in IMAGES:
                image = renderer.render_image(MimeData(mime, images[mime], cell_metadata=data.cell_metadata,
                                                       cell_index=data.cell_index, output_index=data.output_index,
                                                       line=line))[0]
                image["alt"] = payload["alt"]
                bundle += nodes.container("", image, mime_type=mime)
            parser.current_node.append(bundle)
    holder += downloads(renderer, payload, images)
    return holder.children


def sibling_images(parser, data) -> dict[str, str]:
    """The SVG and PNG of the output that carries ``data`` (a plugin sees one mime type at a time)."""
    _, outputs = parser.nb_client.code_cell_outputs(data.cell_index)
    bundle = outputs[data.output_index].get("data", {})
    missing = [mime for mime in IMAGES if mime not in bundle]
    if missing:
        raise ExtensionError(f"claimbook: figure {data.content.get('name')!r} has no {', '.join(missing)} output "
                             f"(cell {data.cell_index}); Chapter.figure displays both")
    return {mime: bundle[mime] for mime in IMAGES}


def downloads(renderer, payload: dict, images: dict[str, str]) -> addnodes.only:
    """"Download: data (CSV) · SVG · PNG", in HTML only: the files are written beside the executed
    notebooks and copied by Sphinx into the HTML as download files."""
    env = renderer.renderer.sphinx_env
    stem = payload["name"].removeprefix("fig-")
    folder = ["figures", *env.docname.split("/")]
    files = (
        ("data (CSV)", f"{stem}.csv", payload["csv"].encode("utf-8")),
        ("SVG", f"{stem}.svg", images["image/svg+xml"].encode("utf-8")),
        ("PNG", f"{stem}.png", base64.b64decode(images["image/png"])),
    )
    line = nodes.paragraph(classes=[DOWNLOADS_CLASS])
    line += nodes.Text("Download this figure: ")
    for index, (label, filename, content) in enumerate(files):
        uri = renderer.write_file([*folder, filename], content, overwrite=True)
        reference = addnodes.download_reference("", "", reftarget=uri, refdoc=env.docname, refexplicit=True,
                                                classes=["cb-download"])
        reference += nodes.inline("", label)
        if index:
            line += nodes.Text(" · ")
        line += reference
    only = addnodes.only(expr="html")
    only += line
    return only


def check_plugin(app) -> None:
    """Without the entry point, myst-nb would show the Jupyter side of every output, untraced."""
    from myst_nb.core.render import load_mime_renders

    if OutputsPlugin not in load_mime_renders():
        raise ExtensionError("claimbook's myst-nb output renderer is not registered: install the claimbook "
                             "package into this environment (`pip install -e .` in the book, or `make book`)")


def setup_outputs(app) -> None:
    app.connect("builder-inited", check_plugin)
