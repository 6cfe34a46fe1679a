"""``python -m claimbook <subcommand>``: one small function per subcommand.

Each subcommand imports its module only when it runs, so ``validate`` does not pay for papermill.
"""
from __future__ import annotations

import argparse
import sys


def run_build(args: argparse.Namespace) -> int:
    from . import build

    return build.main(args)


def run_verify(args: argparse.Namespace) -> int:
    from . import verify

    return verify.main(args)


def run_validate(args: argparse.Namespace) -> int:
    from . import validate

    return validate.main([args.data_dir] if args.data_dir else [])


def run_audit(args: argparse.Namespace) -> int:
    from . import audit

    return audit.main([args.html_dir] if args.html_dir else [])


def run_extract(args: argparse.Namespace) -> int:
    from . import corpus

    return corpus.main(args)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m claimbook",
                                     description="Trace every number of a news feature to its sentence.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="<subcommand>")

    build_parser = commands.add_parser("build", help="execute the chapters and compile the book (HTML and PDF)")
    from .build import add_arguments  # light: build.py defers papermill and nbformat to the workers

    add_arguments(build_parser)
    build_parser.set_defaults(run=run_build)

    verify_parser = commands.add_parser(
        "verify", help="re-execute every chapter from scratch and compare with the published build")
    from .verify import add_arguments as add_verify_arguments

    add_verify_arguments(verify_parser)
    verify_parser.set_defaults(run=run_verify)

    validate_parser = commands.add_parser("validate", help="check data/ against its sources")
    validate_parser.add_argument("data_dir", nargs="?", default=None, help="data folder (default: data/)")
    validate_parser.set_defaults(run=run_validate)

    audit_parser = commands.add_parser("audit", help="find numbers in the built book that are not traced")
    audit_parser.add_argument("html_dir", nargs="?", default=None, help="built HTML (default: _build/html)")
    audit_parser.set_defaults(run=run_audit)

    extract_parser = commands.add_parser(
        "extract", help="one CSV row per quantity mention of text files or folders (see claimbook/corpus.py)")
    from .corpus import add_arguments as add_extract_arguments

    add_extract_arguments(extract_parser)
    extract_parser.set_defaults(run=run_extract)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
