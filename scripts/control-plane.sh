#!/usr/bin/env bash
# Builds a real Kubernetes control plane for the doctor tests, once, into a cache outside
# the repository: kube-apiserver and kube-controller-manager from the k8s.io/kubernetes Go
# module, etcd from its server module. Prints the bin folder.
set -euo pipefail
TOOLS="${SVCLINT_TOOLS:-$HOME/.cache/svclint-tools}"
K8S_VERSION="${SVCLINT_K8S_VERSION:-v1.36.3}"
ETCD_VERSION="${SVCLINT_ETCD_VERSION:-v3.6.16}"
BIN="$TOOLS/bin"
STAMP="$TOOLS/control-plane.version"
WANT="$K8S_VERSION etcd-$ETCD_VERSION"
mkdir -p "$BIN"
# One build at a time: a second caller waits here, then finds the cache filled.
exec 9>"$TOOLS/.control-plane.lock"
if ! flock -n 9; then
  echo "waiting for another build of the control plane to finish (lock $TOOLS/.control-plane.lock)" >&2
  flock 9
fi
if [ -x "$BIN/kube-apiserver" ] && [ -x "$BIN/kube-controller-manager" ] && [ -x "$BIN/etcd" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$WANT" ]; then
  echo "$BIN"; exit 0
fi
export GOFLAGS=-mod=mod
src="$TOOLS/src"
rm -rf "$src" && mkdir -p "$src/k8s" "$src/etcd"

# k8s.io/kubernetes replaces its staging modules with local folders that its module zip
# does not contain: a wrapper module points them at the published versions instead.
echo "building kube-apiserver and kube-controller-manager $K8S_VERSION from the k8s.io/kubernetes Go module, ~10 min, once" >&2
gomod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["GoMod"])')
staging="v0.${K8S_VERSION#v1.}"
goversion=$(awk '/^go /{print $2; exit}' "$gomod")
{
  echo "module svclint.local/controlplane"
  echo "go $goversion"
  echo "require k8s.io/kubernetes $K8S_VERSION"
  grep -E '^\s*k8s.io/[a-z0-9-]+ => \./staging/' "$gomod" | awk -v v="$staging" '{print "replace " $1 " => " $1 " " v}'
} > "$src/k8s/go.mod"
cat > "$src/k8s/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
)
GO
(cd "$src/k8s" && go mod tidy >&2 && go build -o "$BIN/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver && go build -o "$BIN/kube-controller-manager" k8s.io/kubernetes/cmd/kube-controller-manager)

echo "building etcd $ETCD_VERSION from its Go module, ~1 min, once" >&2
cat > "$src/etcd/go.mod" <<GOMOD
module svclint.local/etcd
go 1.24
require go.etcd.io/etcd/server/v3 $ETCD_VERSION
GOMOD
cat > "$src/etcd/main.go" <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
(cd "$src/etcd" && go mod tidy >&2 && go build -o "$BIN/etcd" .)
echo "$WANT" > "$STAMP"
echo "$BIN"
