#!/usr/bin/env bash
# Runs the bot (python -m bot). Creates .venv and installs what it needs on first use.
set -euo pipefail
cd "$(dirname "$0")"
source ./bootstrap.sh
exec "$VENV/bin/python" -m bot "$@"
