#!/usr/bin/env bash
# Create .venv-bench with the extractor's peers (benchmarks/peers-requirements.txt) for
# `make bench-extract`. Kept apart from .venv: the book's environment never holds them. The install
# is skipped when .venv-bench/.requirements.sha256 holds the hash of the current requirements.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv-bench
STAMP="$VENV/.requirements.sha256"
REQUIREMENTS=benchmarks/peers-requirements.txt

if [ ! -x "$VENV/bin/python" ]; then
  echo "creating $VENV"
  python3 -m venv "$VENV"
fi

wanted="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$wanted" ]; then
  exit 0
fi

echo "installing $REQUIREMENTS into $VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
echo "$wanted" > "$STAMP"
