#!/usr/bin/env bash
# Builds the doctor's peers for `npm run bench:peers`, once, into the tools cache:
# Popeye and k8sgpt at pinned release versions. Each is fetched as a Go module at its
# exact version (the module proxy refuses version lists, so nothing resolves "latest"),
# copied out of the read-only module cache into a writable folder and built there with
# release-style flags (stripped, CGO off, -trimpath). For the benchmark only: no test
# and no CI run calls this (k8sgpt alone takes many minutes to compile).
#
#   bash scripts/peers.sh              # both
#   bash scripts/peers.sh popeye       # one
#
# Prints the bin folder. A tool whose build fails is reported on stderr and left out;
# the exit code is then 1, and the other tool is still built.
set -uo pipefail
TOOLS="${SVCLINT_TOOLS:-$HOME/.cache/svclint-tools}"
PEERS="$TOOLS/peers"
POPEYE_VERSION=v0.22.1
K8SGPT_VERSION=v0.4.36
mkdir -p "$PEERS/bin" "$PEERS/src"
export GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0

# build NAME MODULE VERSION PACKAGE LDFLAGS-TEMPLATE: LDFLAGS-TEMPLATE may use @VERSION@,
# @COMMIT@ and @DATE@ (the version's tag, its commit from the proxy's origin record, its time).
build() {
  local name=$1 module=$2 version=$3 pkg=$4 ldflags=$5
  local stamp="$PEERS/$name.version"
  # One build of a tool at a time: a second caller waits here, then finds it built.
  exec 9>"$PEERS/.$name.lock"
  if ! flock -n 9; then
    echo "waiting for another build of $name to finish (lock $PEERS/.$name.lock)" >&2
    flock 9
  fi
  if [ -x "$PEERS/bin/$name" ] && [ "$(cut -d' ' -f1 "$stamp" 2>/dev/null)" = "$version" ]; then return 0; fi
  echo "building $name $version from its Go module into $PEERS/bin (once)..." >&2
  local info dir commit date src started
  info=$(cd "$PEERS" && go mod download -json "$module@$version") || { echo "$name: go mod download $module@$version failed" >&2; return 1; }
  dir=$(printf '%s' "$info" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("Dir",""))')
  commit=$(printf '%s' "$info" | python3 -c 'import json,sys; print((json.load(sys.stdin).get("Origin") or {}).get("Hash","unknown"))')
  date=$(printf '%s' "$info" | python3 -c 'import json,sys; i=json.load(sys.stdin).get("Info"); print(json.load(open(i)).get("Time","") if i else "")')
  [ -n "$dir" ] || { echo "$name: go mod download $module@$version gave no source folder" >&2; return 1; }
  src="$PEERS/src/$name-$version"
  rm -rf "$src" && cp -r "$dir" "$src" && chmod -R u+w "$src"
  ldflags=${ldflags//@VERSION@/$version}
  ldflags=${ldflags//@COMMIT@/$commit}
  ldflags=${ldflags//@DATE@/$date}
  started=$(date +%s)
  if ! (cd "$src" && go build -trimpath -ldflags "$ldflags" -o "$PEERS/bin/$name.new" "$pkg") >&2; then
    echo "$name: go build failed after $(( $(date +%s) - started )) s" >&2
    return 1
  fi
  mv "$PEERS/bin/$name.new" "$PEERS/bin/$name"
  echo "$version $commit $(go env GOVERSION) built in $(( $(date +%s) - started )) s" > "$stamp"
  echo "$name $version ($commit) built in $(( $(date +%s) - started )) s" >&2
}

status=0
tools=("$@")
[ ${#tools[@]} -gt 0 ] || tools=(popeye k8sgpt)
for t in "${tools[@]}"; do
  case "$t" in
    popeye) build popeye github.com/derailed/popeye "$POPEYE_VERSION" . \
      "-s -w -X github.com/derailed/popeye/cmd.version=@VERSION@ -X github.com/derailed/popeye/cmd.commit=@COMMIT@ -X github.com/derailed/popeye/cmd.date=@DATE@" || status=1 ;;
    k8sgpt) build k8sgpt github.com/k8sgpt-ai/k8sgpt "$K8SGPT_VERSION" . \
      "-s -w -X main.version=@VERSION@ -X main.commit=@COMMIT@ -X main.date=@DATE@" || status=1 ;;
    *) echo "unknown peer: $t (popeye, k8sgpt)" >&2; status=1 ;;
  esac
done
echo "$PEERS/bin"
exit $status
