#!/usr/bin/env bash
# Installs, once, into the tools cache, the Python servers whose default and configured
# listening addresses the bind differential test checks against svclint's reading of a
# container's command line: uvicorn, gunicorn, hypercorn, Flask, Django, MkDocs (pinned, in a
# virtual environment of the machine's python3) and vite (pinned, from the npm registry).
# Prints the environment's bin.
set -euo pipefail
TOOLS="${SVCLINT_TOOLS:-$HOME/.cache/svclint-tools}"
PINS="uvicorn==0.55.0 gunicorn==27.0.1 hypercorn==0.18.0 flask==3.1.3 django==5.2.19 mkdocs==1.6.1"
NODE_PINS="vite@7.3.8"
VENV="$TOOLS/servers"
mkdir -p "$TOOLS"
exec 9>"$TOOLS/.servers.lock"
if ! flock -n 9; then
  echo "waiting for another build of the Python servers to finish (lock $TOOLS/.servers.lock)" >&2
  flock 9
fi
if ! command -v python3 >/dev/null; then
  echo "skipping the Python servers: python3 is not installed" >&2
  [ -n "${CI:-}" ] && exit 1
  exit 3
fi
if [ ! -x "$VENV/bin/uvicorn" ] || [ ! -x "$VENV/node/node_modules/.bin/vite" ] || [ "$(cat "$TOOLS/servers.version" 2>/dev/null)" != "$PINS $NODE_PINS" ]; then
  echo "building the Python servers ($PINS) into $VENV, ~30 s, once" >&2
  rm -rf "$VENV"
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install -q --disable-pip-version-check $PINS >&2
  # vite, from the npm registry, into the same folder; its binary is linked into the bin.
  mkdir -p "$VENV/node" && (cd "$VENV/node" && npm install --silent --no-audit --no-fund --no-save "$NODE_PINS" >&2)
  ln -sf "$VENV/node/node_modules/.bin/vite" "$VENV/bin/vite"
  echo "$PINS $NODE_PINS" > "$TOOLS/servers.version"
fi
echo "$VENV/bin"
