#!/usr/bin/env bash
# Runs the whole test suite. Creates .venv and installs what it needs on first use.
# PostgreSQL runs too when TEST_DATABASE_URL is set (e.g. postgresql://postgres@127.0.0.1:5432/dhr_test).
set -euo pipefail
cd "$(dirname "$0")"
source ./bootstrap.sh
exec "$VENV/bin/python" -m pytest "$@"
