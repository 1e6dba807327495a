#!/usr/bin/env bash
# Builds the kubelet oracle for the pod configuration differential test, once, into a cache
# outside the repository: the kubelet's makeEnvironmentVariables, its runAsNonRoot check and
# the ConfigMap, Secret and projected volume plugins' payloads, and its HTTP prober, from the
# k8s.io/kubernetes Go module, run on generated pods (scripts/kubelet-oracle/). Prints the bin folder.
set -euo pipefail
TOOLS="${SVCLINT_TOOLS:-$HOME/.cache/svclint-tools}"
K8S_VERSION="${SVCLINT_K8S_VERSION:-v1.36.3}"
BIN="$TOOLS/bin"
STAMP="$TOOLS/kubelet-oracle.version"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/kubelet-oracle"
WANT="$K8S_VERSION $(cat "$HERE/main.go" "$HERE/probe.go" "$HERE/env.go" "$HERE/nonroot.go" | sha256sum | cut -c1-16)"
mkdir -p "$BIN"
# One build at a time: a second caller waits here, then finds the cache filled.
exec 9>"$TOOLS/.kubelet-oracle.lock"
if ! flock -n 9; then
  echo "waiting for another build of the kubelet oracle to finish (lock $TOOLS/.kubelet-oracle.lock)" >&2
  flock 9
fi
if [ -x "$BIN/kubelet-oracle" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$WANT" ]; then
  echo "$BIN"; exit 0
fi
export GOFLAGS=-mod=mod
src="$TOOLS/src/kubelet-oracle"
rm -rf "$src" && mkdir -p "$src"
echo "building the kubelet oracle from the k8s.io/kubernetes $K8S_VERSION Go module, ~5 min, once" >&2
gomod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["GoMod"])')
dir=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
staging="v0.${K8S_VERSION#v1.}"
goversion=$(awk '/^go /{print $2; exit}' "$gomod")
# k8s.io/kubernetes replaces its staging modules with local folders that its module zip
# does not contain: the wrapper module points them at the published versions instead.
{
  echo "module svclint.local/kubeletoracle"
  echo "go $goversion"
  echo "require k8s.io/kubernetes $K8S_VERSION"
  grep -E '^\s*k8s.io/[a-z0-9-]+ => \./staging/' "$gomod" | awk -v v="$staging" '{print "replace " $1 " => " $1 " " v}'
  echo "replace k8s.io/kubernetes => ./kubernetes"
} > "$src/go.mod"
cp "$HERE/main.go" "$HERE/probe.go" "$src/"
# The helper is compiled into the kubelet package itself (makeEnvironmentVariables is
# unexported), in a copy of the module: the module cache is read-only, and a build overlay may not touch it.
mkdir -p "$src/kubernetes"
(cd "$dir" && tar --exclude=./docs -cf - .) | (cd "$src/kubernetes" && tar -xf -)
chmod -R u+w "$src/kubernetes"
cp "$HERE/env.go" "$src/kubernetes/pkg/kubelet/zz_svclint_env.go"
cp "$HERE/nonroot.go" "$src/kubernetes/pkg/kubelet/kuberuntime/zz_svclint_nonroot.go"
(cd "$src" && go mod tidy >&2 && go build -o "$BIN/kubelet-oracle" .)
echo "$WANT" > "$STAMP"
echo "$BIN"
