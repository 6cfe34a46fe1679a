"""The ``claimbook`` command line: a very light wrapper on the package's functions.

Each subcommand declares its options here and calls one function of the package, importing its
module only when it runs (``claimbook validate`` does not pay for papermill). ``python -m claimbook``
is the same program. The book is found from the working directory (:mod:`claimbook.bookroot`) unless
``--root`` names it.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .bookroot import BookNotFound, find_book_root

COMMANDS: dict[str, tuple[str, object, object]] = {}  # name -> (help, add_options, run)


def command(name: str, help: str, add_options):  # noqa: A002 - argparse's word
    """Register a subcommand: ``add_options(parser)`` declares its options, the decorated
    ``run(args) -> int`` does its work."""
    def register(run):
        COMMANDS[name] = (help, add_options, run)
        return run
    return register


def add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=None,
                        help="the book's folder (default: the nearest folder with _config.yml and data/ "
                             "at or above the working directory)")


def add_jobs_and_kernels(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", type=int, default=None, help="notebooks run at once (default: CPU count)")
    parser.add_argument("--no-kernel-pool", dest="kernel_pool", action="store_false",
                        help="start every kernel from scratch instead of forking it from a preloaded pool")


# --- build, verify, audit, validate ----------------------------------------------------------------

def build_options(parser):
    add_root(parser)
    add_jobs_and_kernels(parser)
    parser.add_argument("--force", action="store_true", help="compile the book even if nothing changed")
    parser.add_argument("--no-pdf", dest="pdf", action="store_false", help="skip the PDF (faster)")
    parser.add_argument("--no-audit", dest="audit", action="store_false",
                        help="publish even if the audit finds untraced numbers (for drafts only)")


@command("build", "execute the chapters and compile the book (HTML and PDF)", build_options)
def run_build(args) -> int:
    from .build import BookPaths, BuildOptions, build

    return build(BookPaths(find_book_root(args.root)),
                 BuildOptions(jobs=args.jobs, force=args.force, pdf=args.pdf, audit=args.audit,
                              kernel_pool=args.kernel_pool))


def verify_options(parser):
    add_root(parser)
    add_jobs_and_kernels(parser)
    parser.add_argument("--chapter", dest="chapters", action="append", default=[], metavar="NAME",
                        help="verify only this manifest entry (and what it needs); repeatable")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="execute in DIR and keep it for inspection (default: a temporary folder)")


@command("verify", "re-execute every chapter from scratch and compare with the published build", verify_options)
def run_verify(args) -> int:
    from .build import BookPaths
    from .verify import VerifyOptions, verify

    return verify(BookPaths(find_book_root(args.root)),
                  VerifyOptions(jobs=args.jobs, chapters=args.chapters, keep=args.keep, kernel_pool=args.kernel_pool))


def audit_options(parser):
    parser.add_argument("html_dir", nargs="?", type=Path, default=None,
                        help="the built HTML (default: _build/html of the book)")
    add_root(parser)


@command("audit", "find numbers in the built book (HTML and PDF) that are not traced, and check the PDF's layout",
         audit_options)
def run_audit(args) -> int:
    from .audit import audit_book, content_pages, print_report
    from .pdfcheck import print_layout_report

    html_dir = args.html_dir or find_book_root(args.root) / "_build" / "html"
    if not content_pages(html_dir):
        print(f"error: no pages under {html_dir}/chapters; build the book first (make book)", file=sys.stderr)
        return 1
    audit = audit_book(html_dir)
    for label, report in audit.reports:
        print_report(report, label)
    if audit.layout is not None:
        print_layout_report(audit.layout)
    return 1 if audit.failed else 0


def validate_options(parser):
    parser.add_argument("data_dir", nargs="?", type=Path, default=None,
                        help="the data folder (default: data/ of the book)")
    add_root(parser)


@command("validate", "prove data/ against its sources: offsets, selectors, grammar, glosses, formulas",
         validate_options)
def run_validate(args) -> int:
    from .validate import report

    return 1 if report(args.data_dir or find_book_root(args.root) / "data") else 0


# --- extending the book ----------------------------------------------------------------------------

def extract_options(parser):
    parser.add_argument("paths", nargs="+", metavar="PATH", help="UTF-8 text files, or folders of *.txt files")
    parser.add_argument("-o", "--output", help="write here instead of stdout; a name ending in .parquet "
                                               "writes Parquet (needs pyarrow)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes to run (default: one per CPU)")


@command("extract", "one CSV row per quantity mention of Chinese texts, files or folders: the start of a registry",
         extract_options)
def run_extract(args) -> int:
    from .corpus import main

    return main(args)


def new_chapter_options(parser):
    parser.add_argument("group", metavar="GROUP_ID", help="kebab-case id of the new group, e.g. energy-transition")
    parser.add_argument("--title", required=True, help="English title of the chapter (no digits)")
    parser.add_argument("--title-zh", default="", help="Chinese title, shown after the English one")
    parser.add_argument("--description", default="", help="what the group covers (data/groups.csv; no digits)")
    parser.add_argument("--source", default=None, help="source_id the chapter reads (default: the first source)")
    add_root(parser)


@command("new-chapter", "scaffold the chapter of a new indicator group (notebook, manifest, _toc.yml, "
                        "groups.csv)", new_chapter_options)
def run_new_chapter(args) -> int:
    from .scaffold import ScaffoldError, new_chapter

    root = find_book_root(args.root)
    try:
        made = new_chapter(root, args.group, args.title, title_zh=args.title_zh, description=args.description,
                           source_id=args.source)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"created {made.notebook.relative_to(root)} (group '{made.group}', order {made.order}); "
          f"added to chapters/manifest.yml, _toc.yml and data/groups.csv")
    return 0


def add_source_options(parser):
    parser.add_argument("path", type=Path, metavar="PATH", help="the article as a UTF-8 text file")
    parser.add_argument("--id", required=True, dest="source_id", help="kebab-case source id, e.g. people-2026-anhui")
    parser.add_argument("--title", default="", help="headline (default: the first line of the text)")
    parser.add_argument("--subtitle", default="")
    parser.add_argument("--outlet", default="", help="newspaper or agency")
    parser.add_argument("--authors", default="", help="authors separated by ';'")
    parser.add_argument("--language", default="zh-Hans", help="BCP 47 tag of the text (default: zh-Hans)")
    parser.add_argument("--date-published", default="", help="publication date, only if the source states it")
    add_root(parser)


@command("add-source", "register another article and draft a registry row per quantity", add_source_options)
def run_add_source(args) -> int:
    from .scaffold import ScaffoldError, add_source

    root = find_book_root(args.root)
    try:
        added = add_source(root, args.path, args.source_id, title=args.title, subtitle=args.subtitle,
                           outlet=args.outlet, authors=args.authors.split(";"), language=args.language,
                           date_published=args.date_published)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"registered '{added.source_id}': {added.text.relative_to(root)}, {added.sentences} sentences "
          f"(empty glosses in data/glosses.csv), {added.drafts} draft claims in data/claims.csv, "
          f"appendix {added.page.relative_to(root)}")
    print("next: curate the drafts and write the glosses; `claimbook validate` lists what is left")
    return 0


# --- benchmarks ------------------------------------------------------------------------------------

def bench_options(parser):
    # No defaults here: run_bench leaves an option not given to BenchOptions, which holds them (importing
    # claimbook.bench to show them would slow every subcommand's start by its imports).
    parser.add_argument("--only", default=None,
                        help="comma-separated subset of clean,noop,edit,scaling (default: all; noop and edit "
                             "need clean)")
    parser.add_argument("--sizes", default=None,
                        help="comma-separated chapter counts for the scaling benchmark (default: BenchOptions.sizes "
                             "in claimbook/bench.py)")
    parser.add_argument("--results", type=Path, default=None,
                        help="where to write the JSON results (default: benchmarks/results.json of the book)")
    parser.add_argument("--repeat", type=int, default=None,
                        help="clean builds of each kind, run alternately; the fastest counts (default: "
                             "BenchOptions.repeat in claimbook/bench.py)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies (their path is printed)")
    add_root(parser)


@command("bench", "time clean, no-op and one-claim rebuilds and scaling; write benchmarks/results.json", bench_options)
def run_bench(args) -> int:
    from .bench import BenchOptions, run

    given = {"wanted": None if args.only is None else set(args.only.split(",")),
             "sizes": None if args.sizes is None else [int(s) for s in args.sizes.split(",")],
             "repeat": args.repeat, "results": args.results, "keep": args.keep}
    options = BenchOptions(**{name: value for name, value in given.items() if value is not None})
    if options.wanted & {"noop", "edit"} and "clean" not in options.wanted:
        print("error: noop and edit continue from the clean build: add clean to --only", file=sys.stderr)
        return 2
    root = find_book_root(args.root)
    return run(root, options)


def bench_extract_options(parser):
    parser.add_argument("--peers-python", type=Path, default=None,
                        help="the Python of the virtualenv that holds the peers (default: .venv-bench of the book)")
    parser.add_argument("--results", type=Path, default=None,
                        help="where to write the JSON results (default: benchmarks/extract.json of the book)")
    add_root(parser)


@command("bench-extract", "score the quantity extractor against Recognizers-Text and JioNLP; "
                          "write benchmarks/extract.json", bench_extract_options)
def run_bench_extract(args) -> int:
    from .extractbench.run import run

    root = find_book_root(args.root)
    return run(root, args.peers_python or root / ".venv-bench" / "bin" / "python",
               args.results or root / "benchmarks" / "extract.json")


# --- the program -----------------------------------------------------------------------------------

def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="claimbook",
                                     description="Trace every number of a news feature to the sentence that "
                                                 "states it: build, check and extend the book.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="<command>")
    for name, (help_text, add_options, run) in COMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        add_options(sub)
        sub.set_defaults(run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.run(args)
    except BookNotFound as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
