"""Scholarly metadata in the head of every HTML page, from CITATION.cff and the data package.

Reference managers and search engines read a page's head, not its text:

- **Highwire Press tags** (``citation_title``, ``citation_author``, ``citation_publication_date``,
  ``citation_pdf_url``…), which Google Scholar and Zotero read. The root page describes the book;
  every other page is a chapter, with the book as ``citation_inbook_title``.
- **schema.org JSON-LD**: a ``Book``, or a ``Chapter`` that ``isPartOf`` the book; the root page
  also describes the data package as a ``Dataset`` with its downloads.
- **OpenGraph** tags, which link previews read.

Addresses are absolute under ``html.baseurl``; without it they are relative to the page, which a
browser and Zotero resolve against the address the page was read at. Everything comes from
``CITATION.cff``, ``data/datapackage.json`` and the page's own title, so nothing is typed twice.
"""
from __future__ import annotations

import html
import json
import posixpath

from .. import citation
from ..errors import DataError
from ..published import PACKAGE_FILE, PDF_FILE, zip_file
from .book import book_of
from .citations import citation_metadata


def authors(cff: dict) -> list[str]:
    """Each author as "Family, Given" or as the entity's name (Highwire's form)."""
    names = [", ".join(filter(None, citation.person(author))) for author in cff["authors"]]
    return [name for name in names if name]


def _schema_person(author: dict) -> dict:
    family, given = citation.person(author)
    if author.get("family-names"):
        return {"@type": "Person", "familyName": family, "givenName": given}
    return {"@type": "Organization", "name": family}


def address(app, context, target: str) -> str:
    """``target`` (a file of the HTML output) absolute under html.baseurl, else relative to the page."""
    base = app.config.html_baseurl
    if base:
        return f"{base.rstrip('/')}/{target}"
    return context["pathto"](target, 1)


def page_address(app, context, pagename: str) -> str:
    """A page's address (:func:`claimbook.citation.page_address` with this builder's link suffix):
    absolute under html.baseurl, else made relative to the page being written."""
    base = app.config.html_baseurl
    page = citation.page_address(pagename, base, app.builder.link_suffix)
    return page if base else posixpath.relpath(page, posixpath.dirname(context["pagename"]) or ".")


def highwire_tags(cff: dict, title: str, is_book: bool, pdf_url: str, page_url: str) -> list[tuple[str, str]]:
    tags = [("citation_title", title)]
    tags += [("citation_author", name) for name in authors(cff)]
    date = citation.release_date(cff)
    if date:
        tags.append(("citation_publication_date", date.replace("-", "/")))
    if not is_book:
        tags.append(("citation_inbook_title", str(cff["title"])))
    tags += [("citation_pdf_url", pdf_url), ("citation_abstract_html_url", page_url), ("citation_language", "en")]
    tags += [("citation_keywords", "; ".join(cff.get("keywords", [])))] if cff.get("keywords") else []
    return tags


def opengraph_tags(cff: dict, title: str, is_book: bool, page_url: str, description: str) -> list[tuple[str, str]]:
    return [("og:title", title), ("og:type", "book" if is_book else "article"), ("og:site_name", str(cff["title"])),
            ("og:description", description), ("og:url", page_url)]


def book_json(cff: dict, pdf_url: str, book_url: str) -> dict:
    book = {"@type": "Book", "name": str(cff["title"]), "author": [_schema_person(a) for a in cff["authors"]],
            "url": book_url,
            "version": str(cff.get("version", "")), "inLanguage": "en",
            "encoding": {"@type": "MediaObject", "contentUrl": pdf_url, "encodingFormat": "application/pdf"}}
    if citation.release_date(cff):
        book["datePublished"] = citation.release_date(cff)
    if cff.get("license"):
        book["license"] = f"https://spdx.org/licenses/{cff['license']}"
    if cff.get("abstract"):
        book["abstract"] = " ".join(str(cff["abstract"]).split())
    return book


def dataset_json(package: dict, cff: dict, data_url: str, zip_url: str) -> dict:
    """The data package as a schema.org Dataset: what datapackage.json says, and where to download it."""
    dataset = {"@type": "Dataset", "name": package.get("title") or package.get("name", ""),
               "description": package.get("description", ""), "creator": [_schema_person(a) for a in cff["authors"]],
               "distribution": [
                   {"@type": "DataDownload", "encodingFormat": "application/zip", "contentUrl": zip_url},
                   {"@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": data_url},
               ]}
    licenses = package.get("licenses") or []
    if licenses and licenses[0].get("path"):
        dataset["license"] = licenses[0]["path"]
    if citation.release_date(cff):
        dataset["datePublished"] = citation.release_date(cff)
    return dataset


def data_package(app) -> dict:
    """The book's datapackage.json; a book without a valid one describes no Dataset's name or license."""
    try:
        return book_of(app.env).package
    except DataError:
        return {}


def add_metadata(app, pagename, templatename, context, doctree) -> None:
    if doctree is None or app.builder.format != "html":
        return  # search, index: pages of the site, not of the book
    try:
        cff = citation_metadata(app.env, reading=False)
    except DataError:
        return  # the page that cites the book reports it
    is_book = pagename == app.config.root_doc
    title = str(cff["title"]) if is_book or pagename not in app.env.titles else app.env.titles[pagename].astext()
    pdf_url, page_url = address(app, context, PDF_FILE), page_address(app, context, pagename)
    book_url = page_address(app, context, app.config.root_doc)
    description = (" ".join(str(cff.get("abstract", "")).split()) if is_book
                   else f"{title}: a chapter of {cff['title']}.")
    tags = highwire_tags(cff, title, is_book, pdf_url, page_url)
    tags += [("description", description)]
    lines = [f'<meta name="{name}" content="{html.escape(value, quote=True)}" />' for name, value in tags]
    lines += [f'<meta property="{name}" content="{html.escape(value, quote=True)}" />'
              for name, value in opengraph_tags(cff, title, is_book, page_url, description)]
    book = book_json(cff, pdf_url, book_url)
    if is_book:
        package = data_package(app)
        graph = [book, dataset_json(package, cff, address(app, context, PACKAGE_FILE),
                                    address(app, context, zip_file(package)))]
    else:
        graph = [{"@type": "Chapter", "name": title, "url": page_url, "author": book["author"],
                  "isPartOf": book, **({"datePublished": book["datePublished"]} if "datePublished" in book else {})}]
    document = {"@context": "https://schema.org", "@graph": graph}
    # "</" may not appear inside a script element; JSON allows "<\/" for it.
    lines.append('<script type="application/ld+json">'
                 + json.dumps(document, ensure_ascii=False, sort_keys=True).replace("</", "<\\/") + "</script>")
    context["metatags"] = context.get("metatags", "") + "\n".join(lines) + "\n"


def setup_metadata(app) -> None:
    app.connect("html-page-context", add_metadata)
