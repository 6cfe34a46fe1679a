"""The ``{extract-benchmark-results}`` directive: what ``make bench-extract`` measured, as tables.

The build stages ``benchmarks/extract.json`` beside the pages (``claimbook_extract_benchmark_file``);
this directive renders every figure as a measurement of class ``cb-measure``, which the audit accepts; the
printed book points to the HTML page instead, since the figures change with the machine.
"""
from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

# The benchmark page's helpers: one look for every measured table of the book, one page around them.
from .benchpage import cell, measure, results_page, table


def percent(rate) -> nodes.Node:
    return nodes.Text("—") if rate is None else measure(f"{100 * rate:.0f}", "%")


def forms_table(report: dict) -> nodes.table:
    names = list(report["systems"])
    header = ["Form"] + [f"{name}: recall / values / bounds" for name in names]
    rows = []
    for form in report["corpus"]["forms"] + ["all"]:
        row = [cell(nodes.literal("", form))]
        for name in names:
            entry = report["systems"][name]["forms"][form]
            row.append(cell(percent(entry["recall"]), " / ", percent(entry["values"]), " / ", percent(entry["bounds"])))
        rows.append(row)
    return table("Recall, value accuracy and bounds for qualifiers, per form of the labelled corpus", header, rows)


def systems_table(report: dict) -> nodes.table:
    rows = []
    for name, entry in report["systems"].items():
        whole, held = entry["forms"]["all"], entry["held_out"]
        rows.append([cell(name, " ", nodes.literal("", entry["version"])), cell(percent(whole["precision"])),
                     cell(measure(whole["false_hits"])), cell(measure(whole["crashes"])),
                     cell(percent(held["recall"]), " / ", percent(held["values"]), " / ", percent(held["precision"])),
                     cell(measure(f"{entry['chars_per_second']:,}")),
                     cell(measure(f"{entry['article_chars_per_second']:,}"))])
    header = ["System", "Precision", "False hits", "Crashes", "Held-out articles: recall / values / precision",
              "Characters per second, corpus", "Characters per second, articles"]
    return table("Overall, and on the held-out genre articles (one core)", header, rows)


def exact_table(report: dict) -> nodes.table:
    rows = [[cell(nodes.literal("", form)), cell(percent(entry["precision"])), cell(percent(entry["recall"])),
             cell(measure(entry["rows"]))] for form, entry in report["exact_spans"].items()]
    return table("The extractor with exact spans: precision and recall per form",
                 ["Form", "Precision", "Recall", "Rows"], rows)


def run_table(report: dict) -> nodes.table:
    rows = [[cell("Measured (UTC)"), cell(nodes.literal("", report["date"]))],
            [cell("Commit"), cell(nodes.literal("", report["commit"]))],
            [cell("Python"), cell(nodes.literal("", report["machine"]["python"]))],
            [cell("Corpus"), cell(measure(report["corpus"]["sentences"]), " sentences, ",
                                  measure(report["corpus"]["rows"]), " labelled rows, ",
                                  measure(report["corpus"]["characters"]), " characters")],
            [cell("Articles timed"), cell(measure(report["long_texts"]["count"]), " articles, ",
                                          measure(report["long_texts"]["characters"]), " characters")]]
    return table("The run", ["Property", "Value"], rows)


def extractor_tables(report: dict) -> list[nodes.table]:
    return [run_table(report), forms_table(report), systems_table(report), exact_table(report)]


class ExtractBenchmarkDirective(SphinxDirective):
    """``{extract-benchmark-results}`` renders the file named by ``claimbook_extract_benchmark_file``."""

    has_content = False

    def run(self):
        return results_page(self, "claimbook_extract_benchmark_file", "bench-extract", extractor_tables,
                            subject="extractor benchmark")


def setup_extractpage(app) -> None:
    app.add_config_value("claimbook_extract_benchmark_file", "benchmarks/extract.json", "env", types=[str])
    app.add_directive("extract-benchmark-results", ExtractBenchmarkDirective)
