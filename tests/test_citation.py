"""The book is citable: CITATION.cff is valid and agrees with the package, the bibliography names
the article as the registry does, and the "How to cite" directives render generated citations."""
from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from bs4 import BeautifulSoup
from pybtex.database import parse_file, parse_string

import claimbook
from claimbook import citation
from claimbook.display import format_date
from claimbook.errors import DataError
from claimbook.registry import Registry

from sphinx_run import SOURCE_PAGE, sphinx, write_mini_book
from tools import BIN, REPO

CFF = REPO / "CITATION.cff"


def cff() -> dict:
    return citation.load_citation(CFF)


# --- CITATION.cff and references.bib ---------------------------------------------------------------

def test_cffconvert_validates_the_citation_file():
    program = BIN / "cffconvert"
    run = subprocess.run([str(program), "--validate", "-i", str(CFF)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "valid" in run.stdout


def test_cffconvert_refuses_a_broken_citation_file(tmp_path):
    broken = tmp_path / "CITATION.cff"
    broken.write_text(CFF.read_text(encoding="utf-8").replace("cff-version: 1.2.0", "cff-version: 9.9.9"),
                      encoding="utf-8")
    program = BIN / "cffconvert"
    run = subprocess.run([str(program), "--validate", "-i", str(broken)], capture_output=True, text=True)
    assert run.returncode != 0


def test_the_citation_file_states_the_package_version():
    assert str(cff()["version"]) == claimbook.__version__
    assert citation.version_problem(cff()) is None
    assert "0.0.0" in citation.version_problem({**cff(), "version": "0.0.0"})


def test_the_bibliography_names_the_article_as_the_registry_does():
    entry = parse_file(str(REPO / "references.bib")).entries["li2026gubenxingxin"]
    source = Registry().sources["xinhua-2026-jiangxi"]
    assert entry.fields["title"] == source.title + source.subtitle
    assert entry.fields["journal"] == source.outlet
    assert [str(person) for person in entry.persons["author"]] == list(source.authors)


def test_the_bibliography_is_configured_and_cited():
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    assert config["bibtex_bibfiles"] == ["references.bib"]
    assert "{cite}`li2026gubenxingxin`" in (REPO / "chapters" / "intro.md").read_text(encoding="utf-8")
    assert "```{bibliography}" in (REPO / "chapters" / "bibliography.md").read_text(encoding="utf-8")
    toc = (REPO / "_toc.yml").read_text(encoding="utf-8")
    assert "chapters/bibliography" in toc and "chapters/how-to-cite" in toc


def test_a_missing_or_broken_citation_file_is_named(tmp_path):
    with pytest.raises(DataError, match="citation file is missing"):
        citation.load_citation(tmp_path / "CITATION.cff")
    (tmp_path / "CITATION.cff").write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError, match="not valid YAML"):
        citation.load_citation(tmp_path / "CITATION.cff")
    (tmp_path / "CITATION.cff").write_text("title: A book\n", encoding="utf-8")
    with pytest.raises(DataError, match="column 'authors'"):
        citation.load_citation(tmp_path / "CITATION.cff")


# --- the texts ---------------------------------------------------------------------------------------

def test_apa_names_authors_year_title_version_and_format():
    apa = citation.book_apa(cff())
    assert apa.startswith(f"The claimbook team. ({str(cff()['date-released'])[:4]}). Every number traced")
    assert citation.book_apa({**cff(), "date-released": None}).startswith("The claimbook team. (n.d.).")
    assert f"(Version {claimbook.__version__}) [Computer software]." in apa
    released = {**cff(), "date-released": "2027-03-01", "url": "https://example.org/book"}
    assert "(2027)." in citation.book_apa(released) and citation.book_apa(released).endswith("https://example.org/book")


def test_apa_author_list_for_persons_and_entities():
    authors = [{"family-names": "Li", "given-names": "Xing Wen"}, {"family-names": "Fan", "given-names": "Fan"},
               {"name": "The claimbook team"}]
    assert citation.apa_authors(authors) == "Li, X. W., Fan, F., & The claimbook team"


def test_bibtex_entry_parses_and_carries_the_version():
    entry = parse_string(citation.book_bibtex(cff()), "bibtex").entries["everynumbertraced"]
    assert entry.type == "software"
    assert entry.fields["version"] == claimbook.__version__
    assert entry.fields["title"].strip("{}") == cff()["title"]
    assert [str(p) for p in entry.persons["author"]] == ["{The claimbook team}"]


def test_the_citation_file_says_when_the_version_was_released():
    assert date.fromisoformat(citation.release_date(cff()))


def test_a_chapter_reference_is_complete_with_or_without_the_book_address():
    relative = citation.chapter_apa(cff(), "Firm cases", citation.page_address("chapters/firms"))
    assert relative.endswith("[Computer software]. chapters/firms.html")
    year = citation.release_year(cff())
    assert relative.startswith(f"The claimbook team. ({year}). Firm cases. In Every number traced")
    absolute = citation.page_address("chapters/firms", "https://example.org/book/")
    assert absolute == "https://example.org/book/chapters/firms.html"
    assert "<" not in relative + absolute  # no placeholder for the reader to fill in


def test_permalink_is_the_page_of_the_anchor():
    assert citation.permalink("chapters/source-text", "claim-x") == "chapters/source-text.html#claim-x"
    assert citation.permalink("chapters/source-text", "claim-x", "https://e.org/b/") == \
        "https://e.org/b/chapters/source-text.html#claim-x"


def test_claim_citation_names_claim_sentence_and_version():
    registry = Registry()
    claim = registry.claims["byd-fuzhou-revenue-2025"]
    sentence = registry.sentence(claim.source_id, claim.sentence_id)
    lines = citation.claim_citation_lines(cff(), claim, sentence.text, registry.sources[claim.source_id],
                                          "chapters/source-text.html#claim-byd-fuzhou-revenue-2025")
    assert f"(Version {claimbook.__version__}), claim byd-fuzhou-revenue-2025: “{claim.exact}”." in lines[0]
    assert lines[1] == "chapters/source-text.html#claim-byd-fuzhou-revenue-2025"
    assert f"sentence {claim.sentence_id} of 李兴文, 李劲峰, 范帆" in lines[2]
    assert lines[3] == f"“{sentence.text}”"


# --- the directives in a real Sphinx build ----------------------------------------------------------

CONF = """\
extensions = ["myst_parser", "claimbook.sphinxext"]
claimbook_data_dir = "data"
project = "mini"
latex_engine = "xelatex"
html_theme = "sphinx_book_theme"  # the book's theme, whose footer shows the release
"""
CITE = """\
# How to cite

```{cite-book} apa
```

```{cite-book} bibtex
```

```{cite-book} chapter
```

```{cite-claim} byd-revenue-2025
```
"""
CHANGES = "\n# Changes\n\n```{changelog}\n```\n"
CHANGELOG = """\
# Changelog

## [0.2.0] - 2027-03-01

- Readings of two claims corrected.

## [0.1.0] - 2026-12-01

The first release.
"""


def write_book(root: Path, cite: str = CITE, version: str = claimbook.__version__) -> Path:
    src = write_mini_book(root, {"cite": cite, "source-text": SOURCE_PAGE}, conf=CONF)
    (src / "CITATION.cff").write_text(CFF.read_text(encoding="utf-8").replace(
        f"version: {claimbook.__version__}", f"version: {version}"), encoding="utf-8")
    (src / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    return src


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("cite")
    src = write_book(root, cite=CITE + CHANGES)
    sphinx(src, root / "html")
    sphinx(src, root / "latex", "latex")
    return SimpleNamespace(src=src, html=root / "html", latex=root / "latex")


def test_cite_book_renders_generated_code_blocks(built):
    soup = BeautifulSoup((built.html / "cite.html").read_text(encoding="utf-8"), "html.parser")
    blocks = [pre.get_text() for pre in soup.select("div.cb-citation pre")]
    assert blocks[0].strip() == citation.book_apa(cff())
    assert blocks[1].strip() == citation.book_bibtex(cff())
    chapters = blocks[2].strip().split("\n\n")
    assert chapters == [citation.chapter_apa(cff(), "Mini book", "index.html"),
                        citation.chapter_apa(cff(), "How to cite", "cite.html"),
                        citation.chapter_apa(cff(), "Source text", "source-text.html")]
    # without html.baseurl the page says how to complete the addresses
    assert soup.select_one("p.cb-no-address").get_text() == citation.NO_ADDRESS


@pytest.mark.parametrize("link_suffix, suffix", [(None, ".html"), ("", "")])
def test_with_a_base_url_references_are_full_addresses(tmp_path, link_suffix, suffix):
    """Full addresses, ending as the HTML builder links its pages (``html_link_suffix = ""`` for a
    site served without ".html"), in the references and in the page's own metadata."""
    src = write_book(tmp_path)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f'html_baseurl = "https://example.org/book/"\nhtml_link_suffix = {link_suffix!r}\n')
    sphinx(src, tmp_path / "html")
    soup = BeautifulSoup((tmp_path / "html" / "cite.html").read_text(encoding="utf-8"), "html.parser")
    blocks = [pre.get_text() for pre in soup.select("div.cb-citation pre")]
    assert blocks[2].strip().split("\n\n")[0].endswith(f" https://example.org/book/index{suffix}")
    assert f"https://example.org/book/source-text{suffix}#claim-byd-revenue-2025" in blocks[3]
    assert soup.select_one("p.cb-no-address") is None
    assert soup.find("meta", attrs={"property": "og:url"})["content"] == f"https://example.org/book/cite{suffix}"


def test_the_footer_of_every_page_shows_the_release_of_the_citation_file(built):
    for name in ("index", "cite", "source-text"):
        soup = BeautifulSoup((built.html / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        stamps = [span.get_text() for span in soup.select("p.cb-release span.cb-version")]
        assert stamps == [claimbook.__version__, format_date(citation.release_date(cff()))], name
        links = {a.get_text(): a["href"] for a in soup.select("p.cb-release a")}
        assert links["How to cite"] == ("#" if name == "cite" else "cite.html"), name


def test_in_print_the_release_links_to_the_release_history(built):
    tex = (built.latex / "mini.tex").read_text(encoding="utf-8")
    section = tex[tex.index("How to cite"):]
    assert r"(\hyperlink{cb-version}{%s})." % citation.release_year(cff()) in section
    assert r"(Version \hyperlink{cb-version}{%s})" % claimbook.__version__ in section


def test_the_title_page_names_the_release_linked_to_its_history(built):
    tex = (built.latex / "mini.tex").read_text(encoding="utf-8")
    assert (r"\date{Version \hyperlink{cb-version}{%s} \textperiodcentered{} released "
            r"\hyperlink{cb-version}{%s}}" % (claimbook.__version__, format_date(citation.release_date(cff())))) in tex


def test_the_printed_book_names_its_release_above_the_byline(book_html):
    first_page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(book_html / "book.pdf"), "-"],
                                capture_output=True, text=True, check=True).stdout
    release = f"Version {cff()['version']} · released {format_date(citation.release_date(cff()))}"
    assert release in first_page
    assert first_page.index(release) < first_page.index("A reading of the feature by")


def test_cite_claim_links_the_permalink_to_the_page_of_the_source_text(built):
    soup = BeautifulSoup((built.html / "cite.html").read_text(encoding="utf-8"), "html.parser")
    link = soup.select_one("p.cb-permalink a[data-claim]")
    assert link["data-claim"] == "byd-revenue-2025"
    assert link["href"] == "source-text.html#claim-byd-revenue-2025"
    assert link.get_text() == "source-text.html#claim-byd-revenue-2025"
    target = BeautifulSoup((built.html / "source-text.html").read_text(encoding="utf-8"), "html.parser")
    assert target.find(id="claim-byd-revenue-2025") is not None
    ready = soup.select("div.cb-citation pre")[3].get_text()
    assert "claim byd-revenue-2025: “586.7亿元”" in ready and f"Version {claimbook.__version__}" in ready
    assert "sentence p02.s1 of tester" in ready and "2025年比亚迪抚州基地实现营收586.7亿元" in ready


def test_in_print_the_cited_sentence_links_its_numbers(built):
    tex = (built.latex / "mini.tex").read_text(encoding="utf-8")
    section = tex[tex.index("How to cite"):]
    assert r"\hyperref[\detokenize{source-text:claim-byd-revenue-2025}]{586.7亿元}" in section


def test_a_version_that_disagrees_with_the_package_fails_the_build(tmp_path):
    src = write_book(tmp_path, version="9.9.9")
    result = sphinx(src, tmp_path / "html", check=False)
    assert result.returncode != 0
    assert "CITATION.cff states version '9.9.9'" in result.stderr


def test_an_unknown_claim_or_form_fails_the_build(tmp_path):
    src = write_book(tmp_path, cite="# Cite\n\n```{cite-claim} byd-revenue-2052\n```\n\n```{cite-book} mla\n```\n")
    result = sphinx(src, tmp_path / "html", check=False)
    assert result.returncode != 0
    assert "unknown claim id 'byd-revenue-2052'; did you mean byd-revenue-2025" in result.stderr
    assert "unknown form 'mla'" in result.stderr


def test_a_book_without_its_citation_file_fails_the_build_naming_it(tmp_path):
    src = write_book(tmp_path)
    (src / "CITATION.cff").unlink()
    result = sphinx(src, tmp_path / "html", check=False)
    assert result.returncode != 0
    assert "CITATION.cff: the citation file is missing" in result.stderr


# --- the release history -----------------------------------------------------------------------------

def test_the_changelog_lists_each_release_with_its_version_and_date_marked(built):
    soup = BeautifulSoup((built.html / "cite.html").read_text(encoding="utf-8"), "html.parser")
    entries = soup.select("div.cb-release")
    assert [[s.get_text() for s in e.select("span.cb-version")] for e in entries] == [
        ["0.2.0", "1 March 2027"], ["0.1.0", "1 December 2026"]]
    assert entries[0].select_one("li").get_text() == "Readings of two claims corrected."
    links = {a.get_text(): a["href"] for a in soup.select("p.cb-release a")}
    assert links["Changes"] == "#"
    tex = (built.latex / "mini.tex").read_text(encoding="utf-8")
    assert r"\hypertarget{cb-version}{}" in tex and r"\hyperlink{cb-version}{1 March 2027}" in tex


def test_a_changelog_without_releases_fails_the_build_naming_it(tmp_path):
    src = write_book(tmp_path, cite="# Changes\n\n```{changelog}\n```\n")
    (src / "CHANGELOG.md").write_text("# Changelog\n\nNothing yet.\n", encoding="utf-8")
    result = sphinx(src, tmp_path / "html", check=False)
    assert result.returncode != 0
    assert "CHANGELOG.md: no release heading such as '## [0.1.0] - 2026-12-01'" in result.stderr
