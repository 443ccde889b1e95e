#!/usr/bin/env bash
# Regenerate the lock files from pyproject.toml (every package pinned, with its hashes):
#   requirements.lock      what `make run` installs (the runtime dependencies)
#   requirements-dev.lock  what `make test` and CI install (runtime + dev)
# Run it after changing a dependency in pyproject.toml; it needs the package index, the installs
# from the locks then need nothing but the index (pip checks every hash: --require-hashes).
# Locked on Python 3.11 on Linux x86-64 (the Debian 12 servers).
set -euo pipefail
cd "$(dirname "$0")/.."
pip_compile=${PIP_COMPILE:-.venv/bin/pip-compile}
common=(--quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-trusted-host --no-emit-find-links --resolver=backtracking)
"$pip_compile" "${common[@]}" --output-file requirements.lock pyproject.toml
"$pip_compile" "${common[@]}" --extra dev --output-file requirements-dev.lock pyproject.toml
echo "lock: requirements.lock ($(grep -c '==' requirements.lock) packages), requirements-dev.lock ($(grep -c '==' requirements-dev.lock) packages)"
