"""How to cite the book, a chapter of it, or one number in it, generated from ``CITATION.cff``.

The citation metadata live in one place, ``CITATION.cff`` at the repository root (the Citation File
Format that GitHub, Zenodo and ``cffconvert`` read); the version is the package's
``claimbook.__version__``, which the file must repeat. These functions turn them into the texts
the "How to cite" page shows, so that no version, title or author is typed twice.
"""
from __future__ import annotations

import re
from pathlib import Path

from . import __version__
from .errors import DataError
from .files import read_yaml

NO_DATE = "n.d."  # APA's mark for a work without a release date
# Until the book has a public address (html.baseurl), a reference ends with the page's path in the
# book, and the page says so in these words.
NO_ADDRESS = ("The book has no public web address yet (html.baseurl is not set in _config.yml), so each "
              "reference above ends with the page's path in the book: write the address at which you read "
              "the book in front of it.")
# CFF types, as APA names the format in brackets after the title.
APA_FORMATS = {"software": "Computer software", "dataset": "Data set"}
BIBTEX_TYPES = {"software": "software", "dataset": "dataset"}


def load_citation(path: Path) -> dict:
    """The parsed ``CITATION.cff``; a :class:`DataError` names the file if it is missing or not YAML."""
    path = Path(path)
    document = read_yaml(path, "citation file")
    if not isinstance(document, dict):
        raise DataError(path, None, None, "expected a mapping of citation fields")
    for required in ("title", "authors"):
        if not document.get(required):
            raise DataError(path, None, required, "required by the Citation File Format")
    return document


def version_problem(cff: dict, version: str = __version__) -> str | None:
    """Why the file's version disagrees with the package's, or None when they agree."""
    stated = str(cff.get("version", ""))
    if stated != version:
        return (f"CITATION.cff states version '{stated}' but claimbook.__version__ is '{version}'; "
                f"release both together")
    return None


def person(author: dict) -> tuple[str, str]:
    """(family or entity name, given names) of a CFF author."""
    if author.get("family-names"):
        family = " ".join(filter(None, [author.get("name-particle"), author["family-names"],
                                        author.get("name-suffix")]))
        return family, author.get("given-names", "")
    return author.get("name", ""), ""


def apa_authors(authors: list[dict]) -> str:
    """"Family, G. N., Family, G., & Entity" (APA, seventh edition)."""
    names = []
    for author in authors:
        family, given = person(author)
        initials = " ".join(f"{part[0]}." for part in re.split(r"\s+", given) if part)
        names.append(f"{family}, {initials}" if initials else family)
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def release_date(cff: dict) -> str:
    """The release date, ISO 8601 (YAML reads an unquoted date as a date), or ''."""
    released = cff.get("date-released")
    return str(released) if released else ""


def release_year(cff: dict) -> str:
    return release_date(cff)[:4] or NO_DATE


def book_url(cff: dict) -> str:
    return cff.get("url") or cff.get("repository-code") or ""


def apa_head(cff: dict) -> str:
    """The opening of every APA reference of the book: "Authors. (Year)." """
    authors = apa_authors(cff["authors"])
    return f"{authors}{'' if authors.endswith('.') else '.'} ({release_year(cff)})."


def book_apa(cff: dict, version: str = __version__) -> str:
    """The book in APA style: authors, year, title, version, format and address."""
    form = APA_FORMATS.get(cff.get("type", "software"), "Computer software")
    text = f"{apa_head(cff)} {cff['title']} (Version {version}) [{form}]."
    url = book_url(cff)
    return f"{text} {url}" if url else text


def bibtex_key(cff: dict) -> str:
    """A key from the title's words before any colon: "Every number traced: …" → everynumbertraced."""
    head = str(cff["title"]).split(":", 1)[0]
    key = re.sub(r"[^a-z0-9]", "", head.lower())
    return key or "claimbook"


def _bibtex_author(author: dict) -> str:
    family, given = person(author)
    return f"{family}, {given}" if given else "{" + family + "}"  # braces keep an entity's name whole


def book_bibtex(cff: dict, version: str = __version__) -> str:
    """The book as a BibTeX (biblatex) entry."""
    fields = [
        ("author", " and ".join(_bibtex_author(a) for a in cff["authors"])),
        ("title", "{" + str(cff["title"]) + "}"),
        ("version", version),
    ]
    if cff.get("date-released"):
        fields.append(("year", release_year(cff)))
    if book_url(cff):
        fields.append(("url", book_url(cff)))
    if cff.get("license"):
        fields.append(("license", str(cff["license"])))
    entry_type = BIBTEX_TYPES.get(cff.get("type", "software"), "misc")
    width = max(len(name) for name, _ in fields)
    lines = [f"@{entry_type}{{{bibtex_key(cff)},"]
    lines += [f"  {name.ljust(width)} = {{{value}}}," for name, value in fields]
    return "\n".join(lines) + "\n}"


def chapter_apa(cff: dict, title: str, address: str, version: str = __version__) -> str:
    """One chapter in APA style, inside the book's reference: the chapter's title and address."""
    form = APA_FORMATS.get(cff.get("type", "software"), "Computer software")
    return f"{apa_head(cff)} {title}. In {cff['title']} (Version {version}) [{form}]. {address}"


def page_address(docname: str, base_url: str = "", suffix: str = ".html") -> str:
    """A page's address: absolute under ``html.baseurl``, else its path in the book; ``suffix`` is
    the HTML builder's ``link_suffix``."""
    return permalink(docname, "", base_url, suffix)


def permalink(target_doc: str, anchor: str, base_url: str = "", suffix: str = ".html") -> str:
    """A number's permanent address: the page that holds its anchor, then ``#claim-<id>``.
    Relative to the book's address until the book has one (``html.baseurl`` in _config.yml)."""
    page = f"{target_doc}{suffix}" + (f"#{anchor}" if anchor else "")
    return f"{base_url.rstrip('/')}/{page}" if base_url else page


def claim_citation_lines(cff: dict, claim, sentence_text: str, source, link: str,
                         version: str = __version__) -> list[str]:
    """A ready citation of one number, line by line: the book and its version with the claim id and
    the words that state it; the permalink; the article's reference with the sentence id; the
    sentence verbatim."""
    title = source.title + (source.subtitle or "")
    return [
        f"{apa_head(cff)} {cff['title']} (Version {version}), claim {claim.claim_id}: “{claim.exact}”.",
        link,
        f"Stated in sentence {claim.sentence_id} of {', '.join(source.authors)}, 《{title}》, {source.outlet}:",
        f"“{sentence_text}”",
    ]
