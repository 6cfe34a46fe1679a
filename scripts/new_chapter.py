#!/usr/bin/env python3
"""Fork a chapter: scaffold the chapter of a new indicator group.

    python scripts/new_chapter.py GROUP_ID --title "Energy transition" [--title-zh 能源转型]
        [--description "…"] [--source SOURCE_ID]

Writes chapters/GROUP_ID.ipynb (the structure of the book's group chapters, without outputs), adds
the chapter to chapters/manifest.yml and to the "Indicator groups" part of _toc.yml, and a row to
data/groups.csv. Then set the `group` column of the claims that belong to it (data/claims.csv) and
write the chapter's argument in the notebook. The chapter builds as it is: with no claims yet, its
tables say so.
"""
import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claimbook.scaffold import ScaffoldError, new_chapter  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("group", metavar="GROUP_ID", help="kebab-case id of the new group, e.g. energy-transition")
    parser.add_argument("--title", required=True, help="English title of the chapter (no digits)")
    parser.add_argument("--title-zh", default="", help="Chinese title, shown after the English one")
    parser.add_argument("--description", default="", help="what the group covers (data/groups.csv; no digits)")
    parser.add_argument("--source", default=None, help="source_id the chapter reads (default: the first source)")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        made = new_chapter(args.root, args.group, args.title, title_zh=args.title_zh,
                           description=args.description, source_id=args.source)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"created {made.notebook.relative_to(args.root.resolve())} (group '{made.group}', order {made.order}); "
          f"added to chapters/manifest.yml, _toc.yml and data/groups.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
