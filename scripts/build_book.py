#!/usr/bin/env python3
"""Build the book; the same as ``python -m claimbook build`` (kept for those who look in scripts/)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimbook.__main__ import main  # noqa: E402

if __name__ == "__main__":  # required: the build starts worker processes with "spawn"
    sys.exit(main(["build", *sys.argv[1:]]))
