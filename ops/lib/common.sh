# Shared by the ops/ commands: installs what they need, builds the server (target/portcullis.jar, which the
# instances run through ./portcullis) and the drivers (src/test/java/dev/portcullis/ops), and runs a driver.
# Sourced, not executed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

ops_log() { printf '[ops %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# ops_prepare [--plot]: HAProxy (and matplotlib) via apt when missing, PostgreSQL up, server and drivers built.
ops_prepare() {
  scripts/install-ops-deps "$@"
  scripts/ensure-postgres
  local stamp=target/ops-build.stamp
  if [ ! -f "$stamp" ] || [ ! -f target/portcullis.jar ] \
      || [ -n "$(find pom.xml src examples/demo-tenants.yaml -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    ops_log "building the server and the ops drivers (mvn package -DskipTests)"
    mvn -B -q -o -DskipTests package >&2 2>/dev/null || mvn -B -q -DskipTests package >&2
    mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/ops-classpath.txt >&2 2>/dev/null \
      || mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/ops-classpath.txt >&2
    touch "$stamp"
  fi
}

# ops_java CLASS ARGS...: runs a driver from the test classes with the test class path.
ops_java() {
  local class=$1; shift
  exec java -XX:+UseSerialGC -Xmx1g -cp "target/test-classes:target/classes:$(cat target/ops-classpath.txt)" "dev.portcullis.ops.$class" "$@"
}
