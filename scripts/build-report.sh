#!/usr/bin/env bash
# From a fresh Debian/Ubuntu machine to build/hw6.pdf: TeX Live (apt-get, as root or with
# sudo) where missing, a virtual environment with the project, then `python -m report`.
# Extra arguments go to `python -m report` (e.g. --quick, --out DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v apt-get >/dev/null && { [ "$(id -u)" = 0 ] || command -v sudo >/dev/null; }; then
  bash scripts/install-tex.sh
fi
[ -d .venv ] || python3 -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -m pip install -q -e .
python -m report "$@"
