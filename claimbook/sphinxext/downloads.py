"""What a reader can take away, on every page: the header's download menu, and ``{downloads}``.

sphinx-book-theme puts a download menu in each page's header (``header_buttons`` in the page's
context, filled at ``html-page-context``): the page's notebook and source, and a PDF button that only
runs ``window.print()``. :func:`add_download_menu` runs after the theme and makes that menu the
book's: the book's PDF, the data package as a zip and file by file (every resource of the package
the build publishes, :func:`claimbook.published.published_package`), and on a chapter its executed
notebook. Each item is a link the browser downloads (``static/claimbook.js`` adds ``download`` to
the menu's links, whose classes the theme makes ``btn-cb-download-<kind>``, and to those of
``{downloads}``, class ``cb-download``).

``{downloads}`` lists the same files in the text, with what each is, for the introduction.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from ..errors import DataError
from ..published import DATA_FOLDER, PACKAGE_FILE, PDF_FILE, zip_file
from .book import book_of

MENU_LABEL = "download-buttons"  # the theme's label of its download group
ICONS = {".pdf": "fas fa-file-pdf", ".zip": "fas fa-file-zipper", ".json": "fas fa-file-code",
         ".csv": "fas fa-file-csv", ".txt": "fas fa-file-lines", ".ipynb": "fas fa-code"}


@dataclass(frozen=True)
class Download:
    path: str  # in the HTML output
    text: str  # the menu's words
    what: str  # what the file is, for the list in the text
    kind: str  # pdf | data | notebook: the item's class is cb-download-<kind>


def book_downloads(app) -> list[Download]:
    """The book's PDF and its data package, as the build publishes them."""
    found = [Download(PDF_FILE, "Book (PDF)", "the whole book, as printed", "pdf")]
    try:
        package = book_of(app.env).published_package
    except DataError:
        return found  # the book's own checks report a broken data folder
    found.append(Download(zip_file(package), "Data package (zip)", "every file below in one zip", "data"))
    found.append(Download(PACKAGE_FILE, "datapackage.json", "the Frictionless description of the files", "data"))
    for resource in package["resources"]:
        if isinstance(resource.get("path"), str):
            found.append(Download(f"{DATA_FOLDER}/{resource['path']}", Path(resource["path"]).name,
                                  resource.get("description") or resource.get("title", ""), "data"))
    return found


def add_download_menu(app, pagename, templatename, context, doctree) -> None:
    buttons = context.get("header_buttons")
    if buttons is None or doctree is None:
        return  # not a page of the book (search, index), or a theme without header buttons
    menu = next((b for b in buttons if b.get("label") == MENU_LABEL), None)
    if menu is None:
        menu = {"type": "group", "icon": "fas fa-download", "label": MENU_LABEL, "buttons": []}
        buttons.insert(0, menu)
    menu["tooltip"] = "Downloads"
    items = []
    for download in book_downloads(app):
        items.append(_item(context, download.path, download.text, download.kind))
    # The page's source: for a chapter, the notebook the build executed (the book stages executed
    # notebooks as the pages' sources); for a Markdown page, its text.
    suffix = context.get("page_source_suffix") or ""
    for button in menu["buttons"]:
        if button.get("label") not in ("download-notebook-button", "download-source-button"):
            continue  # the theme's print button: the menu's PDF is the book's
        if button["label"] == "download-notebook-button" or suffix == ".ipynb":
            items.append({**button, "text": "Executed notebook (.ipynb)", "label": "cb-download-notebook"})
        else:
            items.append({**button, "text": f"Page source ({suffix})"})
    menu["buttons"] = items


def _item(context, path: str, text: str, kind: str) -> dict:
    return {"type": "link", "url": context["pathto"](path, 1), "text": text,
            "icon": ICONS.get(Path(path).suffix, "fas fa-file"), "label": f"cb-download-{kind}",
            "tooltip": f"Download {text}"}


class DownloadsDirective(SphinxDirective):
    """The book's downloads as a list, each with what it is: in HTML a link from the page to the file;
    in print, where a file of the website is no link, its name and path."""

    has_content = False

    def run(self):
        to_root = "../" * self.env.docname.count("/")
        items = nodes.bullet_list(classes=["cb-downloads"])
        for download in book_downloads(self.env.app):
            link = addnodes.only(expr="html")
            link += nodes.reference("", download.text, refuri=to_root + download.path,
                                    classes=["cb-download", f"cb-download-{download.kind}"])
            named = addnodes.only(expr="not html")
            named += [nodes.Text(download.text + " ("), nodes.literal("", download.path), nodes.Text(")")]
            line = nodes.paragraph("", "", link, named)
            if download.what:
                line += nodes.Text(f": {download.what}")
            items += nodes.list_item("", line)
        return [items]


def setup_downloads(app) -> None:
    app.add_directive("downloads", DownloadsDirective)
    # after sphinx-book-theme has made its buttons (priority 501)
    app.connect("html-page-context", add_download_menu, priority=600)
