#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run it.
# (This is the README's test command.)
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! command -v chromium >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq chromium >/dev/null
fi
python3 -m pip install -q -e ".[test]"
python3 -m ruff check .   # pyflakes, bugbear, line length (configured in pyproject.toml)
python3 -m pytest -q "$@"
