#!/usr/bin/env python3
"""Print one CSV row per quantity mention of UTF-8 Chinese text files (see claimbook/corpus.py).

    python scripts/extract_quantities.py ARTICLE.txt > draft.csv
    python scripts/extract_quantities.py FOLDER/ -o mentions.csv     # or .parquet; adds a source column

The same as ``python -m claimbook extract``.
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimbook import corpus  # noqa: E402


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="extract_quantities.py", description=__doc__.splitlines()[0])
    corpus.add_arguments(parser)
    return corpus.main(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
