#!/usr/bin/env bash
# Entry point of the pre-commit hook (.pre-commit-hooks.yaml). pre-commit keeps a clone
# of this repository in its cache; the first run installs and builds it there, once.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -f "$here/dist/src/cli/main.js" ]; then
  echo "svclint: installing into the pre-commit cache (first run only)..." >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
exec node "$here/bin/svclint.js" "$@"
