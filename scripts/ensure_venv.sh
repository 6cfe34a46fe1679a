#!/usr/bin/env bash
# Create .venv if it is missing and install the development environment into it: requirements-dev.txt
# (the runtime, requirements.txt, and the test tools) and the claimbook package. The install is
# skipped when .venv/.requirements.sha256 holds the hash of exactly the current requirements.txt,
# requirements-dev.txt and pyproject.toml (content, not timestamps).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.requirements.sha256"

if [ ! -x "$VENV/bin/python" ]; then
  echo "creating $VENV"
  python3 -m venv "$VENV"
fi

wanted="$(cat requirements.txt requirements-dev.txt pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$wanted" ] \
    && "$VENV/bin/python" -c "import claimbook, jupyter_book, papermill" 2>/dev/null; then
  exit 0
fi

echo "installing requirements-dev.txt (with requirements.txt) into $VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e .
"$VENV/bin/python" -m pip check
echo "$wanted" > "$STAMP"
