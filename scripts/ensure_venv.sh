#!/usr/bin/env bash
# Create a virtual environment if it is missing and install into it; skip the install when its
# .requirements.sha256 holds the hash of exactly the current requirement files (content, not timestamps).
#   ensure_venv.sh        .venv, the book's development environment: requirements-dev.txt (the runtime,
#                         requirements.txt, and the test tools) and the claimbook package
#   ensure_venv.sh bench  .venv-bench, the extractor's peers (benchmarks/peers-requirements.txt) for
#                         `make bench-extract`; kept apart, so the book's environment never holds them
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-book}" in
  book)
    VENV=.venv REQUIREMENTS=requirements-dev.txt PACKAGE=yes
    HASHED=(requirements.txt requirements-dev.txt pyproject.toml)
    PROBE="import claimbook, jupyter_book, papermill" ;;
  bench)
    VENV=.venv-bench REQUIREMENTS=benchmarks/peers-requirements.txt PACKAGE=no
    HASHED=("$REQUIREMENTS")
    PROBE="" ;;
  *)
    echo "usage: $0 [book|bench]" >&2
    exit 2 ;;
esac
STAMP="$VENV/.requirements.sha256"

if [ ! -x "$VENV/bin/python" ]; then
  echo "creating $VENV"
  python3 -m venv "$VENV"
fi

wanted="$(cat "${HASHED[@]}" | sha256sum | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$wanted" ] \
    && "$VENV/bin/python" -c "${PROBE:-pass}" 2>/dev/null; then
  exit 0
fi

echo "installing $REQUIREMENTS into $VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
if [ "$PACKAGE" = yes ]; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e .
  "$VENV/bin/python" -m pip check
fi
echo "$wanted" > "$STAMP"
