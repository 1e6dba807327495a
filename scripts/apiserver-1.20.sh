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
if ! flock -n 9; then
  echo "waiting for another build of kube-apiserver 1.20 to finish (lock $TOOLS/.apiserver-1.20.lock)" >&2
  flock 9
fi
if [ -x "$OUT" ]; then echo "$OUT"; exit 0; fi
# What the build needs from the system; it is never installed from here.
missing=""
for tool in go make rsync dpkg-source apt-get; do command -v "$tool" >/dev/null || missing="$missing $tool"; done
if [ -n "$missing" ]; then
  echo "skipping kube-apiserver 1.20: this system lacks${missing} (Debian: apt-get install golang make rsync dpkg-dev)" >&2
  [ -n "${CI:-}" ] && exit 1
  exit 3
fi
echo "building kube-apiserver 1.20 from Debian's kubernetes source package, ~20 min, once" >&2
# apt reads a sources list and keeps its package lists in the tools cache: the system's apt
# configuration is read, never written.
apt_dir="$TOOLS/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main" > "$apt_dir/sources.list"
APT=(-o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts=/nonexistent -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache::Archives="$apt_dir/archives" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root -o Debug::NoLocking=1)
apt-get "${APT[@]}" update -qq >/dev/null
src="$TOOLS/src-1.20"
rm -rf "$src" && mkdir -p "$src" && cd "$src"
apt-get "${APT[@]}" source -qq kubernetes >/dev/null 2>&1
cd "$(find . -maxdepth 1 -type d -name 'kubernetes-*' | head -1)"
# Go releases after 1.20 refuse the old linkname uses of its vendored dependencies.
export GOFLAGS="-mod=vendor" GO111MODULE=on
make WHAT=cmd/kube-apiserver GOLDFLAGS="-checklinkname=0" KUBE_VERBOSE=0 >&2
cp _output/bin/kube-apiserver "$OUT" 2>/dev/null || cp _output/local/bin/linux/amd64/kube-apiserver "$OUT"
echo "$OUT"
