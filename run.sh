#!/usr/bin/env bash
# Runs the bot (python -m bot). Creates .venv and installs what it needs on first use.
set -euo pipefail
cd "$(dirname "$0")"
source ./bootstrap.sh
# The sandbox (not a deployment) gets Microsoft's Adaptive Cards renderer to compare its Teams cards with.
case "${1:-}" in
  sandbox|--demo|--port|--data-dir) sandbox_renderer ;;
  "") if [ -z "${SLACK_BOT_TOKEN:-}${TEAMS_CLIENT_ID:-}" ]; then sandbox_renderer; fi ;;
esac
exec "$VENV/bin/python" -m bot "$@"
