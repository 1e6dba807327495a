#!/usr/bin/env bash
# Installs, once, into the tools cache, a minimal Spring Boot web application (pinned Spring
# Boot, from Maven Central; compiled with the machine's javac) whose listening port and
# address the Spring differential test checks against svclint's reading of a container's
# application.properties/application.yml, SPRING_* variables and arguments.
# Prints the folder that holds `lib/` (the jars) and `classes/`.
set -euo pipefail
TOOLS="${SVCLINT_TOOLS:-$HOME/.cache/svclint-tools}"
BOOT="4.0.7"
DIR="$TOOLS/spring-$BOOT"
mkdir -p "$TOOLS"
exec 9>"$TOOLS/.spring.lock"
if ! flock -n 9; then
  echo "waiting for another build of the Spring Boot application to finish (lock $TOOLS/.spring.lock)" >&2
  flock 9
fi
for tool in java javac mvn; do
  if ! command -v "$tool" >/dev/null; then
    echo "skipping Spring Boot: $tool is not installed" >&2
    [ -n "${CI:-}" ] && exit 1
    exit 3
  fi
done
if [ ! -f "$DIR/classes/svclint/App.class" ] || [ "$(cat "$DIR/version" 2>/dev/null)" != "$BOOT+classpath" ]; then
  echo "building a Spring Boot $BOOT application into $DIR, ~1 min, once" >&2
  rm -rf "$DIR"
  mkdir -p "$DIR/src/svclint" "$DIR/classes"
  cat > "$DIR/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>$BOOT</version>
  </parent>
  <groupId>svclint</groupId>
  <artifactId>listen</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-web</artifactId>
    </dependency>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-actuator</artifactId>
    </dependency>
  </dependencies>
</project>
POM
  cat > "$DIR/src/svclint/App.java" <<'JAVA'
package svclint;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class App {
  public static void main(String[] args) {
    SpringApplication.run(App.class, args);
  }
}
JAVA
  (cd "$DIR" && mvn -q -B -Dmaven.repo.local="$TOOLS/m2" dependency:copy-dependencies -DoutputDirectory=lib -DincludeScope=runtime >&2)
  javac -proc:none -cp "$DIR/lib/*" -d "$DIR/classes" "$DIR/src/svclint/App.java" >&2
  # The application's own configuration, as an image's jar holds one: the test must never
  # take a port that these decide for one the manifest decides.
  printf 'server.port=18999\n' > "$DIR/classes/application.properties"
  printf 'server.port=18998\n' > "$DIR/classes/application-cp.properties"
  echo "$BOOT+classpath" > "$DIR/version"
fi
echo "$DIR"
