#!/usr/bin/env python3
"""Print one CSV row per quantity mention in a UTF-8 Chinese text file.

    python scripts/extract_quantities.py PATH > draft.csv

Columns: start,end,exact,value,lower,upper,unit,kind,qualifier,sentence_id (offsets in code points).
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimbook.errors import DataError  # noqa: E402
from claimbook.extract import extraction_csv  # noqa: E402
from claimbook.source import decode_utf8  # noqa: E402


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path = Path(argv[0])
    try:
        text = decode_utf8(path.read_bytes(), path)
    except FileNotFoundError:
        print(f"error: {path}: no such file", file=sys.stderr)
        return 1
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    sys.stdout.write(extraction_csv(text))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
