#!/usr/bin/env bash
# Builds CoreDNS (the cluster DNS server kubeadm installs) once, into the tools cache, for
# the DNS differential test: its kubernetes plugin answers from a real API server what a
# pod's name lookups resolve to. Prints the binary's path.
set -euo pipefail
TOOLS="${SVCLINT_TOOLS:-$HOME/.cache/svclint-tools}"
VERSION=v1.12.4
MODULE=github.com/coredns/coredns
BIN="$TOOLS/bin/coredns"
mkdir -p "$TOOLS/bin"
# One build at a time: a second caller (parallel test files, CI) waits for the first.
exec 9>"$TOOLS/.coredns.lock"
if ! flock -n 9; then
  echo "waiting for another build of coredns to finish (lock $TOOLS/.coredns.lock)" >&2
  flock 9
fi
if [ ! -x "$BIN" ] || [ "$(cat "$TOOLS/coredns.version" 2>/dev/null)" != "$VERSION" ]; then
  echo "building coredns $VERSION into $TOOLS/bin (once)..." >&2
  export GOTOOLCHAIN=local
  GOBIN="$TOOLS/bin" go install "$MODULE@$VERSION" >&2
  echo "$VERSION" > "$TOOLS/coredns.version"
fi
echo "$BIN"
