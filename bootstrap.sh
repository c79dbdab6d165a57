# Sourced by run.sh and test.sh: a virtualenv with the project installed, rebuilt when pyproject changes.
VENV="${VENV:-.venv}"
PYTHON="${PYTHON:-python3}"
EXTRAS="${EXTRAS:-postgres,test}"   # CI adds dev (ruff, mypy)
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "DHR Bot needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.installed-$(cksum pyproject.toml | cut -d' ' -f1)-${EXTRAS//,/-}"
if [ ! -f "$stamp" ]; then
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e ".[$EXTRAS]"
  rm -f "$VENV"/.installed-*
  touch "$stamp"
fi

# The sandbox's Teams view can show each card drawn by Microsoft's Adaptive Cards renderer beside its
# own drawing. run.sh installs that renderer (npm package `adaptivecards`) into var/sandbox-js, which git
# ignores, when npm is available; without it the sandbox draws cards itself and says so.
ADAPTIVECARDS_VERSION="3.0.6"
sandbox_renderer() {
  local dir="var/sandbox-js"
  [ -f "$dir/node_modules/adaptivecards/dist/adaptivecards.min.js" ] && return 0
  [ -n "${DHR_SANDBOX_NO_NPM:-}" ] && return 0
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm not found: the sandbox draws Teams cards itself (Microsoft's renderer is optional)." >&2
    return 0
  fi
  mkdir -p "$dir"
  if ! npm install --prefix "$dir" --no-audit --no-fund --silent "adaptivecards@$ADAPTIVECARDS_VERSION" >/dev/null 2>&1; then
    echo "Could not install Microsoft's Adaptive Cards renderer with npm: the sandbox draws Teams cards itself." >&2
  fi
}
