"""The ``{benchmark-results}`` directive: what ``claimbook bench`` measured, as tables.

The benchmark writes ``benchmarks/results.json``; the build stages that file beside the pages and
this directive turns it into tables, so the page always shows the last measurement and nothing is
typed by hand. These numbers are not claims of the article but measurements of the build itself:
each is set in an element of class ``cb-measure``, which the audit (claimbook.audit) accepts as
read from the results file. They change with the machine, so they are left out of the PDF, whose
page says where to find them.
"""
from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from ..pdfcheck import PRINT_POINTER

MEASURE_CLASS = "cb-measure"


def measure(value, unit: str = "", digits: int = 2) -> nodes.inline:
    """One measured number (or a word such as "yes"), marked for the audit."""
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, float):
        text = f"{value:.{digits}f}"
    else:
        text = str(value)
    return nodes.inline("", f"{text}{unit}", classes=[MEASURE_CLASS])


def cell(*parts) -> nodes.entry:
    """A table cell of text, measures and literals; a list part becomes comma-separated items."""
    paragraph = nodes.paragraph()
    for part in parts:
        if isinstance(part, (list, tuple)):
            for index, item in enumerate(part):
                if index:
                    paragraph += nodes.Text(", ")
                paragraph += item
        elif isinstance(part, nodes.Node):
            paragraph += part
        else:
            paragraph += nodes.Text(str(part))
    return nodes.entry("", paragraph)


def table(title: str, header: list, rows: list[list[nodes.entry]]) -> nodes.table:
    """A titled table; a header is a text or a tuple of the parts of a :func:`cell`. The browser sizes
    its columns (it is shown in HTML only), so every column gets the same nominal width."""
    group = nodes.tgroup(cols=len(header))
    group += [nodes.colspec(colwidth=1) for _ in header]
    head = nodes.thead()
    head += nodes.row("", *[cell(*part) if isinstance(part, tuple) else cell(part) for part in header])
    body = nodes.tbody()
    body += [nodes.row("", *row) for row in rows]
    group += [head, body]
    result = nodes.table(classes=["cb-benchmark"])
    result += nodes.title("", title)
    result += group
    return result


def seconds_runs(runs: list[float]) -> list[nodes.inline]:
    return [measure(run, " s") for run in runs]


def verdict(met: bool) -> nodes.strong:
    return nodes.strong("", "", measure(met))


def labelled(pairs: dict, unit: str = "") -> list[nodes.inline]:
    """``name value`` items, each value a measure."""
    return [nodes.inline("", "", nodes.Text(f"{name} "), measure(value, unit)) for name, value in pairs.items()]


def clean_table(clean: dict) -> nodes.table:
    rows = [
        [cell("Our pipeline, HTML (fastest run)"), cell(measure(clean["ours_html_seconds"], " s")),
         cell("runs: ", seconds_runs(clean["ours_html_runs_seconds"]), "; phases: ",
              labelled(clean["ours_html_phases_seconds"], " s"))],
        [cell("Jupyter Book, execute_notebooks: force (fastest run)"),
         cell(measure(clean["jupyter_book_force_html_seconds"], " s")),
         cell("runs: ", seconds_runs(clean["jupyter_book_force_runs_seconds"]), "; executing notebooks: ",
              measure(clean["jupyter_book_force_executing_seconds"], " s"))],
        [cell("Ratio, ours to Jupyter Book"), cell(measure(clean["ratio_html"], digits=3)),
         cell("target: at most ", measure(clean["target_ratio_max"]), "; met: ", verdict(clean["meets_target"]))],
        [cell("Our pipeline, HTML and PDF"), cell(measure(clean["ours_html_and_pdf_seconds"], " s")),
         cell("phases: ", labelled(clean["ours_html_and_pdf_phases_seconds"], " s"))],
    ]
    return table("Clean build", ["Measurement", "Seconds", "Details"], rows)


def noop_table(noop: dict) -> nodes.table:
    rows = [
        [cell("Our pipeline, nothing changed (fastest run)"), cell(measure(noop["ours_seconds"], " s")),
         cell("runs: ", seconds_runs(noop["ours_runs_seconds"]))],
        [cell("Bare jupyter-book build, nothing to do (fastest run)"),
         cell(measure(noop["jupyter_book_noop_seconds"], " s")),
         cell("runs: ", seconds_runs(noop["jupyter_book_noop_runs_seconds"]))],
        [cell("Ratio, ours to Jupyter Book"), cell(measure(noop["ratio"], digits=3)),
         cell("target: at most ", measure(noop["target_ratio_max"]), "; met: ", verdict(noop["meets_target"]))],
        [cell("Kernels started"), cell(measure(noop["kernels_started_by_report"])),
         cell("by the build's report; by rewritten kernel logs: ", measure(noop["kernels_started_by_logs"]))],
    ]
    return table("No-op rebuild", ["Measurement", "Seconds", "Details"], rows)


def literals(names: list[str]) -> list[nodes.literal]:
    return [nodes.literal("", name) for name in names]


def edit_table(edit: dict) -> nodes.table:
    rows = [
        [cell("Claim edited"), cell(nodes.literal("", edit["claim_edited"]), ", column ",
                                    nodes.literal("", edit["column_edited"]))],
        [cell("Entries re-executed"), cell(measure(len(edit["reexecuted"])), " of ", measure(edit["entries"]),
                                           ": ", literals(edit["reexecuted"]))],
        [cell("Entries taken from the cache"), cell(literals(edit["cached"]) or "none")],
        [cell("Build after the edit"), cell(measure(edit["build_seconds"], " s"))],
    ]
    return table("One claim's note edited", ["Measurement", "Result"], rows)


def scaling_table(scaling: list[dict]) -> nodes.table:
    workers = scaling[0]["workers"]
    one, many, more = measure(1), measure(workers), measure(workers + 1)
    header = ["Chapters", (one, " worker"), (many, " workers"), ("Per chapter, ", one.deepcopy(), " worker"),
              ("Per chapter, ", many.deepcopy(), " workers"), "Speed-up", ("Speed-up, ", more, " workers")]
    rows = [[cell(measure(row["chapters"])), cell(measure(row["seconds_1_worker"], " s")),
             cell(measure(row["seconds_n_workers"], " s")), cell(measure(row["seconds_per_chapter_1_worker"], " s")),
             cell(measure(row["seconds_per_chapter_n_workers"], " s")), cell(measure(row["speedup"], "×")),
             cell(measure(row["speedup_n_plus_1"], "×"))] for row in scaling]
    return table("Scaling: executing the notebooks of a generated book", header, rows)


def machine_table(results: dict) -> nodes.table:
    rows = [[cell("CPUs"), cell(measure(results["cpu_count"]))],
            [cell("Platform"), cell(nodes.literal("", results["platform"]))],
            [cell("Software"), cell(literals([f"{name} {version}" for name, version in results["versions"].items()]))]]
    for key, label in (("measured_at", "Measured (UTC)"), ("commit", "Commit")):
        if key in results:
            rows.append([cell(label), cell(nodes.literal("", results[key]))])
    if results.get("load_average_before"):
        rows.append([cell("Load average before each benchmark"), cell(labelled(results["load_average_before"]))])
    return table("The machine", ["Property", "Value"], rows)



TABLES = (("machine", machine_table), ("clean", clean_table), ("noop", noop_table), ("edit", edit_table),
          ("scaling", scaling_table))


def results_page(directive: SphinxDirective, file_setting: str, command: str, make_tables,
                 subject: str = "benchmark") -> list[nodes.Node]:
    """The body of a page of measurements: the JSON file that the config value ``file_setting`` names,
    made into tables by ``make_tables(results)`` for the HTML, and :data:`PRINT_POINTER` for print. A
    missing file is a fresh fork (the page says ``make COMMAND`` writes it); a malformed one is an
    error of the directive."""
    name = getattr(directive.config, file_setting)
    path = Path(directive.env.srcdir) / name
    directive.env.note_dependency(str(path))
    if not path.is_file():
        return [nodes.paragraph("", f"No {subject} has been run for this copy of the book: ",
                                nodes.literal("", f"make {command}"), nodes.Text(" writes "),
                                nodes.literal("", name), nodes.Text("."))]
    try:
        tables = make_tables(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise directive.error(f"{path}: not a results file of claimbook {command} ({exc!r}); "
                              f"run `make {command}` to write it") from None
    html = addnodes.only(expr="html")
    html += tables
    latex = addnodes.only(expr="latex")
    latex += nodes.paragraph("", PRINT_POINTER + " and in ", nodes.literal("", name), nodes.Text("."))
    return [html, latex]


def build_tables(results: dict) -> list[nodes.table]:
    return [make(results if name == "machine" else results[name])
            for name, make in TABLES if name == "machine" or name in results]


class BenchmarkResultsDirective(SphinxDirective):
    """``{benchmark-results}`` renders the results file named by ``claimbook_benchmark_file``."""

    has_content = False

    def run(self):
        return results_page(self, "claimbook_benchmark_file", "bench", build_tables)


def setup_benchpage(app) -> None:
    app.add_config_value("claimbook_benchmark_file", "benchmarks/results.json", "env", types=[str])
    app.add_directive("benchmark-results", BenchmarkResultsDirective)


def setup(app):
    """The benchmark page alone, for a book without claims: ``claimbook.sphinxext.benchpage``."""
    setup_benchpage(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
