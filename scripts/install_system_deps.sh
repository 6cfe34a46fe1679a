#!/usr/bin/env bash
# Install the Debian packages the book needs (XeLaTeX with Chinese support, CJK fonts, Chromium,
# poppler), but only those `dpkg -s` says are missing, so a machine that has them runs no apt-get.
set -euo pipefail

PACKAGES=(
  texlive-xetex texlive-lang-chinese texlive-latex-extra texlive-fonts-recommended latexmk
  tex-gyre fonts-dejavu-core fonts-noto-cjk chromium poppler-utils
)

missing=()
for package in "${PACKAGES[@]}"; do
  # dpkg-query (the query half of `dpkg -s`), read whole: a pipe into `grep -q` would end early
  # and fail under pipefail.
  status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
  if [ "$status" != "install ok installed" ]; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

echo "system packages: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y "${missing[@]}"
