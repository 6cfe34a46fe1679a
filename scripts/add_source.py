#!/usr/bin/env python3
"""Add an article to the book: register its text and draft a registry row for each quantity.

    python scripts/add_source.py PATH --id SOURCE_ID [--title … --subtitle … --outlet …
        --authors "a;b" --language zh-Hans --date-published 2026-03-20]

Copies PATH byte for byte to data/sources/SOURCE_ID.txt and records its sha256 and metadata in
data/sources.csv; splits it into sentences and adds an empty gloss for each to data/glosses.csv;
runs the quantity extractor and appends one row per quantity to data/claims.csv with status
`draft`; writes the source appendix chapters/source-SOURCE_ID.md and lists it in _toc.yml.

The book refuses to build until every draft is curated: fill in indicator, entity, period and
group, check the values against the sentence, set status to `checked`, and write each gloss with a
{claim-id} placeholder for every claim of its sentence. `python -m claimbook validate` lists what
is left to do.
"""
import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claimbook.scaffold import ScaffoldError, add_source  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path, metavar="PATH", help="the article as a UTF-8 text file")
    parser.add_argument("--id", required=True, dest="source_id", help="kebab-case source id, e.g. people-2026-anhui")
    parser.add_argument("--title", default="", help="headline (default: the first line of the text)")
    parser.add_argument("--subtitle", default="")
    parser.add_argument("--outlet", default="", help="newspaper or agency")
    parser.add_argument("--authors", default="", help="authors separated by ';'")
    parser.add_argument("--language", default="zh-Hans", help="BCP 47 tag of the text (default: zh-Hans)")
    parser.add_argument("--date-published", default="", help="publication date, only if the source states it")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        added = add_source(args.root, args.path, args.source_id, title=args.title, subtitle=args.subtitle,
                           outlet=args.outlet, authors=args.authors.split(";"), language=args.language,
                           date_published=args.date_published)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    root = args.root.resolve()
    print(f"registered '{added.source_id}': {added.text.relative_to(root)}, {added.sentences} sentences "
          f"(empty glosses in data/glosses.csv), {added.drafts} draft claims in data/claims.csv, "
          f"appendix {added.page.relative_to(root)}")
    print("next: curate the drafts and write the glosses; `python -m claimbook validate` lists what is left")
    return 0


if __name__ == "__main__":
    sys.exit(main())
