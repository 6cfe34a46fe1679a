"""``python -m claimbook``: the same program as the ``claimbook`` command (:mod:`claimbook.cli`)."""
import sys

from .cli import main

if __name__ == "__main__":  # required: the build starts its worker processes with "spawn"
    sys.exit(main())
