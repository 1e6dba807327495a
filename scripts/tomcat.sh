#!/usr/bin/env bash
# Installs, once, into the tools cache, Apache Tomcat's binary distribution (pinned, from Maven
# Central: org.apache.tomcat:tomcat, the same tar.gz as the official image's), whose listening
# sockets the Tomcat differential test checks against svclint's reading of a mounted server.xml.
# Prints its CATALINA_HOME.
set -euo pipefail
TOOLS="${SVCLINT_TOOLS:-$HOME/.cache/svclint-tools}"
VERSION="10.1.59"
DIR="$TOOLS/tomcat-$VERSION"
mkdir -p "$TOOLS"
exec 9>"$TOOLS/.tomcat.lock"
if ! flock -n 9; then
  echo "waiting for another build of Tomcat to finish (lock $TOOLS/.tomcat.lock)" >&2
  flock 9
fi
for tool in java mvn; do
  if ! command -v "$tool" >/dev/null; then
    echo "skipping Tomcat: $tool is not installed" >&2
    [ -n "${CI:-}" ] && exit 1
    exit 3
  fi
done
if [ ! -x "$DIR/bin/catalina.sh" ]; then
  echo "downloading Tomcat $VERSION into $DIR, ~15 s, once" >&2
  rm -rf "$DIR" "$DIR.download"
  mkdir -p "$DIR.download"
  mvn -q -B dependency:copy "-Dartifact=org.apache.tomcat:tomcat:$VERSION:tar.gz" "-DoutputDirectory=$DIR.download" >&2
  mkdir -p "$DIR.tmp"
  tar -xzf "$DIR.download/tomcat-$VERSION.tar.gz" -C "$DIR.tmp" --strip-components=1
  rm -rf "$DIR.download"
  mv "$DIR.tmp" "$DIR"
fi
echo "$DIR"
