#!/usr/bin/env bash
# Builds the kubectl YAML oracle for the YAML differential test, once, into the tools cache:
# how kubectl reads a manifest file (k8s.io/apimachinery's YAMLOrJSONDecoder, go-yaml v2
# through sigs.k8s.io/yaml), from the published modules of Kubernetes v1.36 (scripts/kubectl-yaml/).
# Prints the bin folder.
set -euo pipefail
TOOLS="${SVCLINT_TOOLS:-$HOME/.cache/svclint-tools}"
APIMACHINERY="${SVCLINT_APIMACHINERY_VERSION:-v0.36.3}"
BIN="$TOOLS/bin"
STAMP="$TOOLS/kubectl-yaml.version"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/kubectl-yaml"
WANT="$APIMACHINERY $(sha256sum < "$HERE/main.go" | cut -c1-16)"
mkdir -p "$BIN"
exec 9>"$TOOLS/.kubectl-yaml.lock"
if ! flock -n 9; then
  echo "waiting for another build of the kubectl YAML oracle to finish (lock $TOOLS/.kubectl-yaml.lock)" >&2
  flock 9
fi
if [ -x "$BIN/kubectl-yaml" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$WANT" ]; then
  echo "$BIN"; exit 0
fi
echo "building the kubectl YAML oracle (k8s.io/apimachinery $APIMACHINERY), once" >&2
export GOFLAGS=-mod=mod GOTOOLCHAIN=local
src="$TOOLS/src/kubectl-yaml"
rm -rf "$src" && mkdir -p "$src"
cp "$HERE/main.go" "$src/"
{
  echo "module svclint.local/kubectlyaml"
  echo "go $(go env GOVERSION | sed 's/^go//; s/^\([0-9]*\.[0-9]*\).*/\1/')"
  echo "require k8s.io/apimachinery $APIMACHINERY"
} > "$src/go.mod"
(cd "$src" && go mod tidy >&2 && go build -o "$BIN/kubectl-yaml" .)
echo "$WANT" > "$STAMP"
echo "$BIN"
