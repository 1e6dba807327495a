#!/usr/bin/env bash
# Installs, once, into the tools cache, the Python servers whose default and configured
# listening addresses the bind differential test checks against svclint's reading of a
# container's command line: uvicorn, gunicorn, hypercorn, Flask and Django, at pinned
# versions in a virtual environment of the machine's python3. Prints the environment's bin.
set -euo pipefail
TOOLS="${SVCLINT_TOOLS:-$HOME/.cache/svclint-tools}"
PINS="uvicorn==0.55.0 gunicorn==27.0.1 hypercorn==0.18.0 flask==3.1.3 django==5.2.19"
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
if [ ! -x "$VENV/bin/uvicorn" ] || [ "$(cat "$TOOLS/servers.version" 2>/dev/null)" != "$PINS" ]; then
  echo "building the Python servers ($PINS) into $VENV, ~30 s, once" >&2
  rm -rf "$VENV"
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install -q --disable-pip-version-check $PINS >&2
  echo "$PINS" > "$TOOLS/servers.version"
fi
echo "$VENV/bin"
