"""Tables in print (claimbook.sphinxext.latextables): widths from the content, ragged right, smaller
type where needed, page breaks under a repeated header."""
from __future__ import annotations

import re

import pytest

from claimbook.sphinxext.latextables import (
    MARGINS_PT,
    PAPER_WIDTH_PT,
    SIZES,
    Extent,
    _line_extent,
    choose_layout,
    text_width,
)

from sphinx_run import DERIVED_PAGE, SOURCE_PAGE, sphinx, write_mini_book, write_table_notebook

A4_TEXT_WIDTH = PAPER_WIDTH_PT["a4paper"] - MARGINS_PT


def test_a_chinese_character_is_twice_as_wide_as_a_latin_letter():
    assert text_width("江西") == pytest.approx(2.0)
    assert text_width("ab") < 1.0


def test_the_longest_unbreakable_unit_keeps_a_trace_mark_with_its_number():
    # "26条" may break after a Chinese character, but its mark stays with it
    line = _line_extent([("26条", 1.0), ("p37.s1", 0.7)], 1.0)
    assert line.shortest == pytest.approx(text_width("条") + text_width("p37.s1") * 0.7)
    assert line.longest == pytest.approx(text_width("26条") + text_width("p37.s1") * 0.7)
    words = _line_extent([("Ganzhou rare-earth centre", 1.0)], 1.0)
    assert words.shortest == pytest.approx(text_width("rare-earth"))


def test_a_table_that_fits_keeps_the_text_size_and_fills_the_line():
    layout = choose_layout([Extent(3, 5), Extent(2, 4)], A4_TEXT_WIDTH, "11pt")
    assert layout.size == "normalsize"
    assert layout.shares[0] > layout.shares[1]
    assert sum(layout.shares) == pytest.approx(1000, abs=2)


def test_a_wide_table_gets_smaller_type_and_every_column_its_longest_word():
    columns = [Extent(8, 120), Extent(5, 10), Extent(4, 12), Extent(6, 20), Extent(6, 14), Extent(4, 5)]
    layout = choose_layout(columns, A4_TEXT_WIDTH, "11pt")
    assert layout.size == "small"
    points = dict(SIZES["11pt"])["small"]
    for column, share in zip(columns, layout.shares, strict=True):
        width = share / sum(layout.shares) * A4_TEXT_WIDTH - 12  # the column's own padding
        assert width >= column.shortest * points - 0.01, (column, width)
    # the column with the most text gets the most room
    assert layout.shares[0] == max(layout.shares)
    assert layout.colspec.count(r">{\raggedright\arraybackslash}\X{") == len(columns)


def test_words_too_long_for_small_type_get_footnote_size():
    columns = [Extent(16, 30)] * 5
    assert choose_layout(columns, A4_TEXT_WIDTH, "11pt").size == "footnotesize"


MARKDOWN_TABLES = ("# More\n\n| Short | Long |\n|---|---|\n| a | a much longer cell of text |\n\n"
                   "```{tabularcolumns} |l|l|\n```\n\n| Kept | As given |\n|---|---|\n| x | y |\n")


@pytest.fixture(scope="module")
def tex(tmp_path_factory):
    root = tmp_path_factory.mktemp("latextables")
    src = write_mini_book(root, {"chapters/more": MARKDOWN_TABLES, "chapters/source-text": SOURCE_PAGE,
                                 "chapters/derived-figures": DERIVED_PAGE},
                          toc=["chapters/more", "chapters/tables", "chapters/source-text", "chapters/derived-figures"])
    write_table_notebook(src / "chapters" / "tables.ipynb", src / "data")  # the tables of a group chapter
    sphinx(src, root / "latex", "latex")
    return (root / "latex" / "mini.tex").read_text(encoding="utf-8")


def test_every_table_breaks_across_pages_with_ragged_columns_sized_to_its_content(tex):
    tables = re.findall(r"\\begin\{longtable\}(\{.*?\})\n", tex)
    assert len(tables) >= 3  # the claims and derived tables of the notebook, and a Markdown table
    assert all(spec.count(r"\raggedright") == spec.count(r"\X{") for spec in tables)
    short_long = re.search(r"\\X\{(\d+)\}\{(\d+)\}>\{\\raggedright\\arraybackslash\}\\X\{(\d+)\}\{\d+\}\}\n"
                           r"(?:.*\n){0,12}?.*Short", tex)
    assert short_long and int(short_long[1]) < int(short_long[3])


def test_a_tabularcolumns_specification_is_kept(tex):
    start = tex.index("Kept")
    table = tex[tex.rindex(r"\begin{savenotes}", 0, start):start]
    assert "{|l|l|}" in table and r"\raggedright" not in table


def test_an_uncaptioned_table_continues_without_a_table_number(tex):
    assert "continued from previous page" in tex
    assert r"\tablename\ \thetable{} \textendash{} continued" not in tex
