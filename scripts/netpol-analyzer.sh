#!/usr/bin/env bash
# Builds np-guard's netpol-analyzer (an independent NetworkPolicy implementation) once,
# into the tools cache, for the differential test. The module proxy refuses version
# lists, so `go install …@version` fails: download the module, copy its source out of
# the module cache and build `cmd/netpolicy` there. Prints the binary's path.
set -euo pipefail
TOOLS="${SVCLINT_TOOLS:-$HOME/.cache/svclint-tools}"
VERSION=v1.3.1
MODULE=github.com/np-guard/netpol-analyzer
BIN="$TOOLS/bin/netpolicy"
mkdir -p "$TOOLS/bin" "$TOOLS/src"
# One build at a time: a second caller (parallel test files, CI) waits for the first.
exec 9>"$TOOLS/.netpol-analyzer.lock"
if ! flock -n 9; then
  echo "waiting for another build of netpol-analyzer to finish (lock $TOOLS/.netpol-analyzer.lock)" >&2
  flock 9
fi
if [ ! -x "$BIN" ] || [ "$(cat "$TOOLS/netpolicy.version" 2>/dev/null)" != "$VERSION" ]; then
  echo "building netpol-analyzer $VERSION into $TOOLS/bin (once)..." >&2
  export GONOSUMDB=github.com/np-guard GONOSUMCHECK=1 GOFLAGS=-mod=mod GOTOOLCHAIN=local
  dir=$(cd "$TOOLS" && go mod download -json "$MODULE@$VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  [ -n "$dir" ] || { echo "go mod download $MODULE@$VERSION gave no source folder" >&2; exit 1; }
  src="$TOOLS/src/netpol-analyzer-$VERSION"
  rm -rf "$src" && cp -r "$dir" "$src" && chmod -R u+w "$src"
  (cd "$src" && go build -o "$BIN" ./cmd/netpolicy) >&2
  echo "$VERSION" > "$TOOLS/netpolicy.version"
fi
echo "$BIN"
