"""Real Sphinx builds of a small book over tests/fixtures/mini: roles, appendices, tables, LaTeX."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from claimbook.registry import Registry

from sphinx_run import DERIVED_PAGE, MINI, SOURCE_PAGE, sphinx, write_mini_book, write_table_notebook

INTRO = """\
# Introduction

Revenue was {claim}`byd-revenue-2025`, up {claim}`byd-revenue-growth-2025`;
again {claim}`byd-revenue-2025`. Seed money was {claim}`px-seed`.
The prior year's revenue is implied: {derived}`byd-revenue-prior-year-implied`.
Ten years before, output was {derived}`bsc-output-baseline-range`.
See {ref}`the sentence <sent-p02-s1>`.

```{figure} dot.png
:name: fig-dot

A caption that cites {claim}`px-leveraged`.
```
"""
# The smallest valid PNG (one white pixel), so a figure caption can carry a role in every builder.
DOT_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4560000000049454e44ae426082")
MORE = """\
# More

The multiple was {claim}`bsc-growth`, read from {claim}`bsc-output-2025`.
The article says {claim-exact}`bsc-output-2025`, that is {claim-range}`bsc-output-2025`; revenue
has no range ({claim-range}`byd-revenue-2025`). {derived-title}`px-leverage` is {derived}`px-leverage`,
range {derived-range}`px-leverage` (from {derived-lower}`px-leverage` to {derived-upper}`px-leverage`);
an exact figure has none ({derived-range}`byd-revenue-prior-year-implied`). Assuming the margin, the output
is {claim-assumed}`bsc-output-2025` and the leverage {derived-assumed}`px-leverage`; an exact figure assumes
nothing ({claim-assumed}`byd-revenue-2025`, {derived-assumed}`byd-revenue-prior-year-implied`).
See {sentence}`mini:p03.s1` and {sentence}`p02.s2`. The margin is {constant}`MARGIN`.

```{source-quote} p03.s1
```
"""


def write_book(root: Path, appendices: str = "chapters", extra: tuple[str, ...] = ()) -> Path:
    """A book like ours: chapters and appendices in chapters/, the data beside conf.py; ``extra``
    pages (already written) are listed after the tables."""
    pages = {"chapters/intro": INTRO, "chapters/more": MORE, f"{appendices}/source-text": SOURCE_PAGE,
             f"{appendices}/derived-figures": DERIVED_PAGE}
    toc = ["chapters/intro", "chapters/more", "chapters/tables", *extra, f"{appendices}/source-text",
           f"{appendices}/derived-figures"]
    src = write_mini_book(root, pages, toc)
    (src / "chapters" / "dot.png").write_bytes(DOT_PNG)
    write_table_notebook(src / "chapters" / "tables.ipynb", src / "data")
    return src


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = tmp_path_factory.mktemp("book")
    src = write_book(root)
    sphinx(src, root / "html")
    sphinx(src, root / "latex", "latex")
    return root


def page(root: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((root / "html" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def main_content(soup: BeautifulSoup):
    return soup.find("div", attrs={"role": "main"}) or soup.body


def resolve(root: Path, from_page: str, href: str):
    """The element an href points to, or None."""
    target_page, _, anchor = href.partition("#")
    folder = Path(from_page).parent
    name = (folder / target_page).as_posix() if target_page else from_page
    name = re.sub(r"\.html$", "", os.path.normpath(name))
    path = root / "html" / f"{name}.html"
    if not path.exists():
        return None
    return page(root, name).find(id=anchor)


# --- roles ------------------------------------------------------------------------------------------

def test_claim_role_renders_a_linked_traced_number(book):
    intro = main_content(page(book, "chapters/intro"))
    links = intro.select("a[data-claim='byd-revenue-2025']")
    assert len(links) == 2
    link = links[0]
    assert link["href"] == "source-text.html#claim-byd-revenue-2025"
    assert "cb-num" in link["class"] and "cb-claim" in link["class"]
    assert link.find("sup", class_="cb-sid").get_text() == "p02.s1"
    assert link.get_text() == "58.67 billion yuanp02.s1"
    # every role use has its own id, for the backlinks
    assert [a["id"] for a in links] == ["cbuse-byd-revenue-2025-1", "cbuse-byd-revenue-2025-2"]
    target = resolve(book, "chapters/intro", link["href"])
    assert target is not None and target.name == "mark" and target.get_text() == "586.7亿元"


def test_tooltip_holds_sentence_gloss_and_id_for_hover_and_focus(book):
    intro = main_content(page(book, "chapters/intro"))
    link = intro.find("a", attrs={"data-claim": "byd-revenue-2025"})
    tip = intro.find(id=link["aria-describedby"])
    assert tip["role"] == "tooltip" and "cb-tip" in tip["class"]
    assert tip.parent is link.parent and "cb-traced" in tip.parent["class"]  # :hover/:focus-within show it
    quote = tip.find(class_="cb-tip-quote")
    assert quote["lang"] == "zh-Hans"
    assert quote.get_text() == "2025年比亚迪抚州基地实现营收586.7亿元、同比增长117.8%。"
    assert quote.find("mark").get_text() == "586.7亿元"
    # the gloss names its numbers by claim id; the tooltip reads them out
    assert tip.find(class_="cb-tip-gloss").get_text() == (
        "Our translation: In 2025 the BYD Fuzhou base had revenue of 58.67 billion yuan, up 117.8% year on year.")
    assert "p02.s1" in tip.find(class_="cb-tip-where").get_text()
    assert link["aria-label"] == "58.67 billion yuan, sentence p02.s1"


def test_derived_role_links_to_the_derived_appendix_with_its_formula(book):
    intro = main_content(page(book, "chapters/intro"))
    link = intro.find("a", attrs={"data-derived": "bsc-output-baseline-range"})
    assert link["href"] == "derived-figures.html#derived-bsc-output-baseline-range"
    assert link.get_text() == "33.3 million yuan†"  # the point reading, marked as computed
    assert link.find("sup", class_="cb-sid").get_text() == "†"
    assert link["aria-label"] == "33.3 million yuan, computed by the book"
    assert "cb-derived" in link["class"]
    tip = intro.find(id=link["aria-describedby"]).get_text(" ")
    assert "range the stated bounds allow: at most 33.34 million yuan" in tip  # 近 states no floor
    assert "range assuming the method's margins: 28.1–33.3 million yuan" in tip
    assert "bsc-output-2025 / bsc-growth" in tip
    assert "bsc-output-2025 = nearly 500 million yuan (p02.s2)" in tip
    assert "bsc-growth = 15-fold (×15 or ×16) (p02.s2)" in tip
    assert resolve(book, "chapters/intro", link["href"]) is not None


def test_every_traced_link_and_backlink_resolves(book):
    checked = 0
    for path in sorted((book / "html").rglob("*.html")):
        name = path.relative_to(book / "html").with_suffix("").as_posix()
        soup = page(book, name)
        for link in soup.select("a[data-claim], a[data-derived], a.cb-backlink, a.cb-sid"):
            assert resolve(book, name, link["href"]) is not None, (name, link["href"])
            checked += 1
    assert checked > 60


def test_ref_to_a_sentence_anchor_works(book):
    intro = main_content(page(book, "chapters/intro"))
    link = intro.find("a", string="the sentence") or intro.find("span", string="the sentence").parent
    assert link["href"] == "source-text.html#sent-p02-s1"


def test_exact_range_title_sentence_and_constant_roles(book):
    more = main_content(page(book, "chapters/more"))
    exact = more.find("a", attrs={"data-claim": "bsc-output-2025"}, string="近5亿元")
    assert exact["href"] == "source-text.html#claim-bsc-output-2025" and exact["lang"] == "zh-Hans"
    # 近 states a ceiling and no floor; the assumed floor is shown only where the text says it assumes
    assert more.find("a", attrs={"data-claim": "bsc-output-2025"}, string="at most 500 million yuan") is not None
    assert more.find("a", attrs={"data-claim": "bsc-output-2025"}, string="450–500 million yuan") is not None
    assert [n.get_text() for n in more.select(".cb-no-range")] == ["—", "—", "—", "—"]  # exact claim and figure
    title = more.find("a", attrs={"data-derived": "px-leverage"}, string="Pingxiang leverage")  # no mark
    assert title["href"] == "derived-figures.html#derived-px-leverage"
    leverage = [a.get_text() for a in more.select("a[data-derived='px-leverage']")]
    assert leverage == ["Pingxiang leverage", "12.4-fold†", "at most 12.45-fold†", "no stated lower bound†",
                        "12.4-fold†", "11.2–12.4-fold†"]
    sentences = more.select("p a[data-sentence]")
    assert [(a.get_text(), a["href"]) for a in sentences][:2] == [
        ("p03.s1", "source-text.html#sent-p03-s1"), ("p02.s2", "source-text.html#sent-p02-s2")]
    tip = more.find(id=sentences[0]["aria-describedby"])
    assert "萍乡市投入4.5亿元吸引撬动项目总投资近56亿元。" in tip.get_text()
    constant = more.find(attrs={"data-constant": "MARGIN"})
    assert constant.name == "span" and constant.get_text() == "10%" and constant["tabindex"] == "0"
    assert "not a figure from the article" in more.find(id=constant["aria-describedby"]).get_text()


def test_source_quote_shows_the_sentence_with_linked_numbers(book):
    more = main_content(page(book, "chapters/more"))
    quote = more.find("blockquote", class_="cb-quote")
    chinese = quote.find(class_="cb-zh")
    assert chinese["data-sentence"] == "p03.s1" and chinese["lang"] == "zh-Hans"
    linked = {a["data-claim"]: a for a in chinese.select("a[data-claim]")}
    for tip in chinese.select(".cb-tip"):
        tip.decompose()
    assert chinese.get_text().strip() == "萍乡市投入4.5亿元吸引撬动项目总投资近56亿元。"
    assert set(linked) == {"px-seed", "px-leveraged"}
    assert linked["px-seed"]["href"] == "source-text.html#claim-px-seed"
    assert {a["lang"] for a in linked.values()} == {"zh-Hans"}  # the article's own words (traced.exact_number)
    assert "Our translation" in quote.find(class_="cb-gloss").get_text()
    assert quote.find("a", attrs={"data-sentence": "p03.s1"})["href"] == "source-text.html#sent-p03-s1"
    # the quote's numbers are uses: the appendix links back to them
    source = main_content(page(book, "chapters/source-text"))
    assert source.find("a", href=f"more.html#{linked['px-seed']['id']}") is not None


# --- the source appendix ----------------------------------------------------------------------------

def test_source_text_has_every_sentence_and_claim_anchor(book):
    soup = main_content(page(book, "chapters/source-text"))
    registry = Registry(MINI)
    for sentence in registry.sentences["mini"]:
        block = soup.find(id=sentence.anchor)
        assert block is not None and block["data-sentence"] == sentence.id
        assert sentence.id in block.find(class_="cb-sentence-head").get_text()
        assert block.find(class_="cb-zh").get_text().strip() == sentence.text  # verbatim
        assert "Our translation" in block.find(class_="cb-gloss").get_text()
    for claim in registry.claim_list:
        mark = soup.find(id=claim.anchor)
        assert mark.name == "mark" and mark["data-claim"] == claim.claim_id
        assert mark.get_text() == claim.exact
        assert mark.find_parent(id=registry.sentence("mini", claim.sentence_id).anchor) is not None


def test_glosses_show_their_numbers_as_traced_links(book, tex):
    soup = main_content(page(book, "chapters/source-text"))
    gloss = soup.find(id="sent-p02-s1").find(class_="cb-gloss")
    assert gloss.get_text() == ("Our translation: In 2025 the BYD Fuzhou base had revenue of 58.67 billion yuan, "
                                "up 117.8% year on year.")
    links = {a["data-claim"]: a["href"] for a in gloss.select("a[data-claim]")}
    assert links == {"byd-revenue-year": "#claim-byd-revenue-year", "byd-revenue-2025": "#claim-byd-revenue-2025",
                     "byd-revenue-growth-2025": "#claim-byd-revenue-growth-2025"}
    quote = main_content(page(book, "chapters/more")).find("blockquote").find(class_="cb-gloss")
    assert quote.find("a", attrs={"data-claim": "px-seed"})["href"] == "source-text.html#claim-px-seed"
    # in print each of them carries its sentence ID, the only trace paper has
    assert (r"revenue of \hyperref[\detokenize{chapters/source-text:claim-byd-revenue-2025}]{58.67 billion yuan}"
            r"\textsuperscript{p02.s1}") in tex


def test_every_quantity_in_the_appendix_sits_in_a_traced_element(book):
    soup = main_content(page(book, "chapters/source-text"))
    for gloss in soup.select(".cb-gloss"):
        for text in gloss.find_all(string=re.compile(r"\d")):
            assert text.find_parent(attrs={"data-claim": True}) is not None, text
    # numerals that are no quantity are marked as such, not left bare
    for zh in soup.select(".cb-zh"):
        for text in zh.find_all(string=re.compile(r"\d")):
            assert text.find_parent(attrs={"data-claim": True}) or text.find_parent(class_="cb-not-quantity"), text
    figure = soup.find(id="sent-p04-s1").find(class_="cb-not-quantity")
    assert figure.get_text() == "从1到100"


def test_used_in_lists_point_back_to_each_use(book):
    soup = main_content(page(book, "chapters/source-text"))
    mark = soup.find(id="claim-byd-revenue-2025")
    item = next(li for li in soup.select("ul.cb-claims li") if li.find("code", string="byd-revenue-2025"))
    backlinks = item.select("a.cb-backlink")
    assert [a["href"] for a in backlinks] == [
        "intro.html#cbuse-byd-revenue-2025-1", "intro.html#cbuse-byd-revenue-2025-2",
        "derived-figures.html#cbuse-byd-revenue-2025-1"]
    assert [a.get_text() for a in backlinks] == ["Introduction", "[2]", "Derived figures"]
    assert mark is not None
    uncited = next(li for li in soup.select("ul.cb-claims li") if li.find("code", string="bsc-baseline-years"))
    assert "not cited in the text" in uncited.get_text()


def test_derived_appendix_shows_formula_inputs_value_and_range(book):
    soup = main_content(page(book, "chapters/derived-figures"))
    for derived_id in ("byd-revenue-prior-year-implied", "bsc-output-baseline-range", "px-leverage", "px-seed-share"):
        block = soup.find(id=f"derived-{derived_id}")
        assert block is not None and block["data-derived"] == derived_id
    block = soup.find(id="derived-px-seed-share")
    text = block.get_text(" ")
    assert "Seed share of the total" in text and "8.04%" in text and "8.04–8.93%" in text
    formula = block.find(class_="cb-formula")
    assert formula.get_text() == "1 / px-leverage"
    assert formula.find("a", attrs={"data-derived": "px-leverage"})["href"] == "#derived-px-leverage"
    rubrics = [r.get_text() for r in soup.select("p.rubric")]
    assert rubrics == ["Firm cases", "Business environment"]


# --- escaping ---------------------------------------------------------------------------------------

def test_data_cannot_inject_markup(book):
    for name in ("chapters/intro", "chapters/source-text", "chapters/derived-figures", "chapters/tables"):
        soup = page(book, name)
        assert not soup.find_all(attrs={"onerror": True}), name
        assert not [s for s in soup.find_all("script") if "alert" in s.get_text()], name
        assert not soup.find_all("img", src="x"), name
    source = page(book, "chapters/source-text")
    assert "迷你样本<script>alert(document.cookie)</script>" in source.get_text()
    assert "Seed money <img src=x onerror=alert(document.domain)>" in source.get_text()


def test_hostile_data_does_not_run_in_chromium(book, chromium):
    """The fixture's data carries <script> and <img onerror>: in a real browser neither runs."""
    context = chromium.new_context()
    try:
        dialogs = []
        tab = context.new_page()
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for name in ("chapters/intro", "chapters/source-text", "chapters/derived-figures", "chapters/tables"):
            tab.goto((book / "html" / f"{name}.html").as_uri())
            tab.wait_for_load_state("load")
            if tab.locator(".cb-num").count():
                tab.hover(".cb-num >> nth=0")  # tooltips hold data too
            assert tab.locator("img[src='x']").count() == 0, name
        assert dialogs == []
    finally:
        context.close()


# --- notebook outputs -------------------------------------------------------------------------------

def test_notebook_tables_in_html_are_traced(book):
    soup = main_content(page(book, "chapters/tables"))
    claims, derived = soup.find_all("table")
    link = claims.find("a", attrs={"data-claim": "px-seed"})
    assert link["href"] == "source-text.html#claim-px-seed"
    assert resolve(book, "chapters/tables", link["href"]) is not None
    assert derived.find("a", attrs={"data-derived": "px-leverage"})["href"] \
        == "derived-figures.html#derived-px-leverage"


def test_the_jupyter_side_of_a_notebook_output_never_reaches_the_book(book):
    text = main_content(page(book, "chapters/tables")).get_text()
    assert "「" not in text, "the readable table (sentence quotes) was shown instead of the MyST one"


def test_a_notebook_chart_is_a_numbered_figure_with_caption_alt_text_and_downloads(book):
    soup = main_content(page(book, "chapters/tables"))
    figure = soup.find("figure", id="fig-mini-leverage")
    assert "cb-figure" in figure["class"]
    assert figure.find("img")["alt"].startswith("Leverage: Seed money, 450 million yuan")
    caption = figure.find("figcaption")
    assert caption.find("a", attrs={"data-claim": "px-leveraged"})["href"] == "source-text.html#claim-px-leveraged"
    downloads = figure.find_next_sibling("p", class_="cb-figure-downloads")
    links = downloads.find_all("a", attrs={"download": ""})
    assert [a.get_text() for a in links] == ["data (CSV)", "SVG", "PNG"]
    files = [book / "html" / "chapters" / a["href"] for a in links]
    assert [f.name for f in files] == ["mini-leverage.csv", "mini-leverage.svg", "mini-leverage.png"]
    rows = files[0].read_text(encoding="utf-8").splitlines()
    assert rows[0] == "label,id,type,value,lower,upper,unit,claim_ids,sentence_ids"
    assert rows[1].startswith("Seed money,px-seed,claim,450000000,") and rows[1].endswith(",px-seed,mini:p03.s1")
    assert files[1].read_bytes().lstrip().startswith(b"<?xml") and files[2].read_bytes()[:4] == b"\x89PNG"


# --- LaTeX ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tex(book) -> str:
    return (book / "latex" / "mini.tex").read_text(encoding="utf-8")


def test_latex_roles_are_hyperrefs_with_the_sentence_id(tex):
    assert (r"\hyperref[\detokenize{chapters/source-text:claim-byd-revenue-2025}]{58.67 billion yuan}"
            r"\textsuperscript{p02.s1}") in tex
    assert r"\label{\detokenize{chapters/source-text:claim-byd-revenue-2025}}" in tex
    assert r"\label{\detokenize{chapters/source-text:sent-p02-s1}}" in tex
    assert r"\label{\detokenize{chapters/derived-figures:derived-px-leverage}}" in tex
    # in print the mark is the only trace: derived numbers carry †, the article's words their sentence
    assert (r"\hyperref[\detokenize{chapters/derived-figures:derived-px-leverage}]{12.4\sphinxhyphen{}fold}"
            r"\textsuperscript{\textdagger}") in tex
    assert (r"\hyperref[\detokenize{chapters/source-text:claim-bsc-output-2025}]{近5亿元}"
            r"\textsuperscript{p02.s2}") in tex
    assert (r"\hyperref[\detokenize{chapters/derived-figures:derived-px-leverage}]{Pingxiang leverage}"
            r" is ") in tex  # a title is not a number: no mark


def test_every_latex_hyperref_has_its_label(tex):
    labels = set(re.findall(r"\\label\{(\\detokenize\{[^}]*\})\}", tex))
    targets = set(re.findall(r"\\hyperref\[(\\detokenize\{[^}]*\})\]", tex))
    assert len(targets) > 20
    assert targets <= labels, targets - labels


def test_latex_is_escaped(tex):
    assert r"\input{/etc/passwd}" not in tex
    assert r"\textbackslash{}input\{/etc/passwd\}" in tex
    # '<' and '>' are plain characters to xelatex; what could act is a backslash, brace, $, % or #
    assert r"alert(document.domain)\textless{}/script\textgreater{} \textbackslash{}input\{" in tex or \
        r"alert(document.domain)</script> \textbackslash{}input\{" in tex


def test_notebook_tables_reach_latex_as_tables_with_hyperrefs(tex):
    start = tex.index(r"\begin{longtable}", tex.index(r"\chapter{Tables}"))  # the claims table
    table = tex[start: tex.index(r"\end{longtable}", start)]
    assert (r"\hyperref[\detokenize{chapters/source-text:claim-px-seed}]{450 million yuan}"
            r"\textsuperscript{p03.s1}") in table
    # text from the data is text: escaped for LaTeX, not run as markup on its way through MyST
    assert r"Seed money <img src=x onerror=alert(document.domain)>" in table
    assert r"Pingxiang \textbackslash{}input\{/etc/passwd\}" in table


def test_a_notebook_chart_reaches_latex_as_a_labelled_figure_without_downloads(tex):
    assert r"\label{\detokenize{chapters/tables:fig-mini-leverage}}" in tex
    start = tex.index(r"\begin{figure}", tex.index(r"\chapter{Tables}"))
    figure = tex[start: tex.index(r"\end{figure}", start)]
    assert r"\sphinxincludegraphics" in figure and ".png" in figure
    assert r"\hyperref[\detokenize{chapters/source-text:claim-px-leveraged}]" in figure
    assert "Download this figure" not in tex


def test_print_attributes_a_quote_with_an_em_dash_and_sets_chinese_punctuation_as_chinese(tex):
    attribution = tex[tex.index(r"\begin{flushright}"):tex.index(r"\end{flushright}")]
    assert r"\textemdash{}" in attribution and "---" not in attribution
    # the quoted sentence is a Chinese block: its quotation marks and dashes are Chinese punctuation
    # (no closing quotation mark alone on a line), in a group that ends with the block
    start = tex.index(r"{\ifdefined\xeCJKDeclareCharClass", tex.index(r"\chapter{More}"))
    block = tex[start:tex.index(r"\begin{flushright}", start)]
    assert '"201D' in block.split(r"\fi")[0]
    assert block.count("{") == block.count("}")


# --- builds -----------------------------------------------------------------------------------------

def test_unknown_ids_fail_the_build_with_a_suggestion(tmp_path):
    src = write_book(tmp_path)
    (src / "chapters" / "more.md").write_text("# More\n\n{claim}`bsc-grwth` and {derived}`nope`.\n", encoding="utf-8")
    result = sphinx(src, tmp_path / "html", check=False)
    assert result.returncode != 0
    assert "unknown claim id 'bsc-grwth'; did you mean bsc-growth?" in result.stderr
    assert "unknown derived id 'nope'" in result.stderr


def test_unknown_sentence_fails_the_build(tmp_path):
    src = write_book(tmp_path)
    (src / "chapters" / "more.md").write_text("# More\n\n{sentence}`p09.s1`\n\n```{source-quote} p02.s9\n```\n",
                                             encoding="utf-8")
    result = sphinx(src, tmp_path / "html", check=False)
    assert result.returncode != 0
    assert "unknown sentence id 'p09.s1'" in result.stderr
    assert "unknown sentence 'p02.s9'" in result.stderr


def test_overlapping_claims_are_reported(tmp_path):
    src = write_book(tmp_path)
    claims = src / "data" / "claims.csv"
    rows = claims.read_text(encoding="utf-8").splitlines(keepends=True)
    # a second claim on part of 586.7亿元 (offsets 60–67): 586.7 alone, offsets 60–65
    overlapping = next(r for r in rows if r.startswith("byd-revenue-2025,")).replace(
        "byd-revenue-2025,", "byd-revenue-number,", 1).replace(",60,67,586.7亿元,", ",60,65,586.7,", 1)
    claims.write_text("".join(rows) + overlapping, encoding="utf-8")
    result = sphinx(src, tmp_path / "html", check=False)
    assert result.returncode != 0
    assert "claim 'byd-revenue-number' overlaps another claim in sentence p02.s1" in result.stderr


def test_parallel_build_gives_the_same_pages(book, tmp_path):
    extra = tuple(f"chapters/extra{number}" for number in range(6))  # enough pages to read in parallel
    src = write_book(tmp_path, extra=extra)
    for number, name in enumerate(extra):
        (src / f"{name}.md").write_text(f"# Extra {number}\n\n{{claim}}`px-seed`\n", encoding="utf-8")
    sphinx(src, tmp_path / "serial")
    sphinx(src, tmp_path / "parallel", "html", "-j", "4")
    serial = (tmp_path / "serial" / "chapters" / "source-text.html").read_text(encoding="utf-8")
    parallel = (tmp_path / "parallel" / "chapters" / "source-text.html").read_text(encoding="utf-8")
    assert serial == parallel
    assert len(re.findall(r'class="cb-backlink[^"]*" href="extra\d\.html#cbuse-px-seed-1"', serial)) == 6


def test_incremental_build_updates_backlinks_and_data(tmp_path):
    src = write_book(tmp_path)
    out = tmp_path / "html"
    sphinx(src, out)
    # a chapter stops citing a claim: the appendix, which was not edited, must drop the backlink
    (src / "chapters" / "more.md").write_text("# More\n\nNothing cited.\n", encoding="utf-8")
    sphinx(src, out)
    source = (out / "chapters" / "source-text.html").read_text(encoding="utf-8")
    assert "more.html#cbuse-bsc-growth-1" not in source
    assert "intro.html#cbuse-byd-revenue-2025-1" in source
    # a gloss changes: the chapters quoting that sentence must be re-read
    glosses = src / "data" / "glosses.csv"
    glosses.write_text(glosses.read_text(encoding="utf-8").replace("the BYD Fuzhou base", "BYD's Fuzhou base"),
                       encoding="utf-8")
    sphinx(src, out)
    intro = (out / "chapters" / "intro.html").read_text(encoding="utf-8")
    assert "In 2025 BYD&#x27;s Fuzhou base" in intro


@pytest.mark.parametrize("builder, pages", [("singlehtml", ["index"]),
                                            ("dirhtml", ["chapters/intro/index", "chapters/tables/index"])])
def test_links_resolve_with_other_html_builders(book, tmp_path, builder, pages):
    """dirhtml and singlehtml lay pages out differently; links, tables included, follow."""
    out = tmp_path / builder
    sphinx(book / "src", out, builder)
    checked = 0
    for name in pages:
        soup = BeautifulSoup((out / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        for link in soup.select("a[data-claim], a[data-derived]"):
            target, _, anchor = link["href"].partition("#")
            target_path = (out / name).parent / target if target else out / f"{name}.html"
            if target_path.is_dir():
                target_path = target_path / "index.html"
            target_soup = BeautifulSoup(target_path.read_text(encoding="utf-8"), "html.parser")
            assert target_soup.find(id=anchor) is not None, (name, link["href"])
            checked += 1
    assert checked > 15  # the roles of intro and the tables page


def test_appendices_elsewhere_are_found_by_their_directives(tmp_path):
    """Roles and notebook tables follow the appendices to wherever the book puts them."""
    src = write_book(tmp_path, appendices="appendix")
    sphinx(src, tmp_path / "html")
    sphinx(src, tmp_path / "latex", "latex")
    for name in ("chapters/intro", "chapters/tables"):
        soup = BeautifulSoup((tmp_path / "html" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        links = soup.select("a[data-claim], a[data-derived]")
        assert links
        for link in links:
            assert link["href"].startswith("../appendix/"), link["href"]
            target, _, anchor = link["href"].partition("#")
            target_soup = BeautifulSoup(((tmp_path / "html" / name).parent / target).read_text(encoding="utf-8"),
                                        "html.parser")
            assert target_soup.find(id=anchor) is not None
    tex = (tmp_path / "latex" / "mini.tex").read_text(encoding="utf-8")
    labels = set(re.findall(r"\\label\{(\\detokenize\{[^}]*\})\}", tex))
    targets = set(re.findall(r"\\hyperref\[(\\detokenize\{[^}]*\})\]", tex))
    assert r"\detokenize{appendix/source-text:claim-px-seed}" in targets
    assert targets <= labels, targets - labels


def test_static_files_ship_with_the_extension(book):
    assert (book / "html" / "_static" / "claimbook.css").exists()
    assert (book / "html" / "_static" / "claimbook.js").exists()
    head = page(book, "chapters/intro").head
    assert any("claimbook.css" in link.get("href", "") for link in head.find_all("link"))
