#!/usr/bin/env bash
# Install everything the tests need, then run them. CI (.ci/run) calls this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
exec .venv/bin/python -m pytest "$@"
