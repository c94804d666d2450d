#!/usr/bin/env bash
# Builds the self-contained distribution: a trimmed Java runtime (jlink), the executable jar, its
# AOT cache made by that very runtime, and a launcher, packed as one tar.gz. A machine with no JDK
# (or an older one) unpacks it and runs bin/switchboard.
#
#   deploy/dist/make-dist.sh JAR OUTPUT_DIR     (./switchboard dist calls it)
#
# Needs JAVA_HOME to be a JDK 25+ with jlink. SWITCHBOARD_AOT=off leaves the AOT cache out (the
# distribution then starts a little slower); SWITCHBOARD_DIST_MODULES replaces the module list.
set -euo pipefail

JAR="${1:?usage: make-dist.sh JAR OUTPUT_DIR}"
OUT="${2:?usage: make-dist.sh JAR OUTPUT_DIR}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# The JDK modules the runtime keeps. `jdeps --print-module-deps --ignore-missing-deps
# --multi-release 25 switchboard.jar` lists the first ten (it takes about 15 s, so the list is
# written down here and re-derived when dependencies change); the last two are loaded only by
# reflection, which jdeps cannot see: jdk.net (Netty's socket options) and jdk.zipfs (libraries
# that open a jar as a file system). java.desktop is the bench report's charts (JFreeChart).
MODULES="${SWITCHBOARD_DIST_MODULES:-java.base,java.compiler,java.desktop,java.naming,java.net.http,java.security.jgss,java.sql,jdk.jfr,jdk.management,jdk.unsupported,jdk.net,jdk.zipfs}"

[ -x "${JAVA_HOME:-}/bin/jlink" ] || { echo "make-dist: JAVA_HOME must be a JDK 25+ with jlink" >&2; exit 1; }
[ -f "$JAR" ] || { echo "make-dist: no jar at $JAR (build first)" >&2; exit 1; }

VERSION="$("$JAVA_HOME/bin/java" -jar "$JAR" --version | awk 'NR == 1 {print $2}')"
ARCH="$(uname -m)"
NAME="switchboard-$VERSION-linux-$ARCH"
WORK="$OUT/$NAME"
rm -rf "$WORK" "$OUT/$NAME.tar.gz"
mkdir -p "$WORK/bin" "$WORK/lib"

# --strip-debug and no man pages or headers: a server needs none of them. No --compress: the
# tar.gz compresses better, and an uncompressed modules file starts faster. No class-data archive
# (--generate-cds-archive, 29 MB): the AOT cache below holds those classes and more.
"$JAVA_HOME/bin/jlink" \
  --add-modules "$MODULES" \
  --strip-debug --no-man-pages --no-header-files \
  --output "$WORK/runtime"

cp "$JAR" "$WORK/lib/switchboard.jar"
install -m 755 "$HERE/switchboard" "$WORK/bin/switchboard"

# The AOT cache must come from the runtime that uses it (the JVM refuses a cache made by another),
# so the training run (see TrainCommand) runs on the trimmed runtime itself, with the launcher's GC.
if [ "${SWITCHBOARD_AOT:-on}" != off ]; then
  (cd "$WORK" && LOG_LEVEL=ERROR runtime/bin/java -XX:+UseG1GC --sun-misc-unsafe-memory-access=allow -XX:AOTCacheOutput=lib/switchboard.aot \
    -Xlog:disable -Xlog:all=error:stderr -jar lib/switchboard.jar train >/dev/null)
fi

tar -C "$OUT" -czf "$OUT/$NAME.tar.gz" "$NAME"
echo "$OUT/$NAME.tar.gz"
