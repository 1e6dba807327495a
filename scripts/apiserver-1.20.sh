#!/usr/bin/env bash
# Builds kube-apiserver 1.20 from Debian's kubernetes source package, once, into the tools
# cache: a cluster that serves v1 Endpoints but no discovery.k8s.io/v1 EndpointSlices, for
# the doctor's Endpoints fallback test. Prints the binary's path.
set -euo pipefail
TOOLS="${SVCLINT_TOOLS:-$HOME/.cache/svclint-tools}"
OUT="$TOOLS/bin/kube-apiserver-1.20"
mkdir -p "$TOOLS/bin"
# One build at a time: a second caller waits here, then finds the cache filled.
exec 9>"$TOOLS/.apiserver-1.20.lock"
flock 9
if [ -x "$OUT" ]; then echo "$OUT"; exit 0; fi
echo "building kube-apiserver 1.20 from Debian's kubernetes source package (needs root for apt), ~20 min, once" >&2
if [ ! -f /etc/apt/sources.list.d/debian-src.sources ]; then
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' > /etc/apt/sources.list.d/debian-src.sources
  apt-get update -qq >/dev/null
fi
for tool in rsync:rsync dpkg-source:dpkg-dev; do
  command -v "${tool%%:*}" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${tool#*:}" >/dev/null
done
src="$TOOLS/src-1.20"
rm -rf "$src" && mkdir -p "$src" && cd "$src"
apt-get source -qq kubernetes >/dev/null 2>&1
cd "$(find . -maxdepth 1 -type d -name 'kubernetes-*' | head -1)"
# Go releases after 1.20 refuse the old linkname uses of its vendored dependencies.
export GOFLAGS="-mod=vendor" GO111MODULE=on
make WHAT=cmd/kube-apiserver GOLDFLAGS="-checklinkname=0" KUBE_VERBOSE=0 >&2
cp _output/bin/kube-apiserver "$OUT" 2>/dev/null || cp _output/local/bin/linux/amd64/kube-apiserver "$OUT"
echo "$OUT"
