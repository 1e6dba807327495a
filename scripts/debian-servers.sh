#!/usr/bin/env bash
# Fetches, once, into the tools cache, Debian's builds of Redis, nginx, PostgreSQL 15, HAProxy, MariaDB, Apache and Mosquitto (and the
# libraries they link that a Debian machine may lack), unpacked with dpkg -x, never
# installed: the server configuration differential test runs them on generated
# configurations. apt reads its own sources list and keeps its lists in the tools cache, so
# the system's apt configuration is read, never written. Prints the unpacked root.
set -euo pipefail
TOOLS="${SVCLINT_TOOLS:-$HOME/.cache/svclint-tools}"
ROOT="$TOOLS/debian-servers"
PACKAGES="redis-server redis-tools libjemalloc2 liblzf1 nginx postgresql-15 libicu72 libxml2 haproxy liblua5.3-0 libopentracing-c-wrapper0 libopentracing1 mariadb-server-core liburing2 libaio1 apache2-bin libapr1 libaprutil1 mosquitto libmosquitto1 libcjson1 libdlt2 libwrap0"
mkdir -p "$TOOLS"
exec 9>"$TOOLS/.debian-servers.lock"
if ! flock -n 9; then
  echo "waiting for another build of Debian's Redis, nginx, PostgreSQL, HAProxy, MariaDB, Apache and Mosquitto to finish (lock $TOOLS/.debian-servers.lock)" >&2
  flock 9
fi
if [ -x "$ROOT/usr/sbin/nginx" ] && [ -e "$ROOT/usr/bin/redis-server" ] && [ -x "$ROOT/usr/lib/postgresql/15/bin/postgres" ] && [ -x "$ROOT/usr/sbin/haproxy" ] && [ -x "$ROOT/usr/sbin/mariadbd" ] && [ -x "$ROOT/usr/sbin/apache2" ] && [ -x "$ROOT/usr/sbin/mosquitto" ] && [ "$(cat "$TOOLS/debian-servers.packages" 2>/dev/null)" = "$PACKAGES" ]; then
  echo "$ROOT"; exit 0
fi
missing=""
for tool in apt-get dpkg; do command -v "$tool" >/dev/null || missing="$missing $tool"; done
if [ -n "$missing" ]; then
  echo "skipping Debian's Redis, nginx, PostgreSQL, HAProxy, MariaDB, Apache and Mosquitto: this system lacks${missing}" >&2
  [ -n "${CI:-}" ] && exit 1
  exit 3
fi
echo "building Debian's Redis, nginx, PostgreSQL, HAProxy, MariaDB, Apache and Mosquitto (fetch and unpack, under a minute, once)" >&2
apt_dir="$TOOLS/apt-bin"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/debs"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main" > "$apt_dir/sources.list"
APT=(-o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts=/nonexistent -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache::Archives="$apt_dir/archives" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root -o Debug::NoLocking=1)
apt-get "${APT[@]}" update -qq >/dev/null
rm -rf "$apt_dir/debs" "$ROOT" && mkdir -p "$apt_dir/debs" "$ROOT"
(cd "$apt_dir/debs" && apt-get "${APT[@]}" download -qq $PACKAGES >/dev/null)
for deb in "$apt_dir"/debs/*.deb; do dpkg -x "$deb" "$ROOT"; done
echo "$PACKAGES" > "$TOOLS/debian-servers.packages"
echo "$ROOT"
