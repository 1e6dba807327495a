#!/usr/bin/env bash
# Builds the external tools the tests run for real, once, into a cache outside the
# repository: Helm from its published Go module (kubectl, for kustomize, is on the machine).
set -euo pipefail
TOOLS="${SVCLINT_TOOLS:-$HOME/.cache/svclint-tools}"
HELM_VERSION=v3.22.0
mkdir -p "$TOOLS/bin"
# One build at a time: a second caller waits here, then finds the cache filled.
exec 9>"$TOOLS/.helm.lock"
if ! flock -n 9; then
  echo "waiting for another build of helm to finish (lock $TOOLS/.helm.lock)" >&2
  flock 9
fi
# A binary built with `go install` does not know its own patch version: keep a stamp.
if [ ! -x "$TOOLS/bin/helm" ] || [ "$(cat "$TOOLS/helm.version" 2>/dev/null)" != "$HELM_VERSION" ]; then
  echo "building helm $HELM_VERSION from its Go module, ~3 min, once" >&2
  GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
  echo "$HELM_VERSION" > "$TOOLS/helm.version"
fi
command -v kubectl >/dev/null || echo "warning: kubectl not found; the kustomize tests need it" >&2
echo "$TOOLS/bin"
