#!/usr/bin/env bash
# Refresh-scale benchmark: builds the bench launcher, then one JVM runs embedded PostgreSQL, embedded Redis and the WeChat
# simulator (compressed token lifetimes), inserts the credentials in bulk and starts two token center instances (from
# the launcher's extracted layout, plain jars on the class path as in the container image); it
# measures the first fill, an idle phase and one refresh cycle and prints the figures. Loopback only; bounded in time.
# Before it, a training run (one instance, 300 credentials) writes a class data sharing archive that the measured
# instances start from (-XX:SharedArchiveFile; from JDK 25 an ahead-of-time cache, -XX:AOTCache; see
# docs/operations.md, "Faster start-up"); CLASS_DATA=0 leaves it out. The instances run on the image's Java release
# (25) when the machine has a JDK of it (tools/image-java-home.sh; JAVA_25_HOME), else on the default java.
# Settings (environment): CREDENTIALS=10000 LIFETIME_SECONDS=300 NODE_JAVA_OPTS="-Xmx512m" TIME_LIMIT=15m SKIP_BUILD=0
#                         CLASS_DATA=1 SERVICE_ARGS="--token-center.some.setting=value ..." (passed to both instances)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
CREDENTIALS=${CREDENTIALS:-10000}
LIFETIME_SECONDS=${LIFETIME_SECONDS:-300}
NODE_JAVA_OPTS=${NODE_JAVA_OPTS:-"-Xmx512m"}
TIME_LIMIT=${TIME_LIMIT:-15m}
RUN_DIR="$ROOT/bench/target/refresh-scale"
JAR="$ROOT/bench/target/token-center-bench.jar"

if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f "$JAR" ]; then
  echo "building the bench launcher"
  ./mvnw -q -Pbench -pl bench -am package -Dmaven.test.skip=true
fi
# the instances run on the Java release the container image ships (25) when this machine has a JDK of it
IMAGE_JAVA_HOME=$(bash tools/image-java-home.sh)
if [ -n "$IMAGE_JAVA_HOME" ]; then
  export PATH="$IMAGE_JAVA_HOME/bin:$PATH"
  # as in the image: Netty loads its native transport without the restricted-method warning
  NODE_JAVA_OPTS="$NODE_JAVA_OPTS --enable-native-access=ALL-UNNAMED"
fi
rm -rf "$RUN_DIR" && mkdir -p "$RUN_DIR"
# the instances run from the extracted layout (plain jars on the class path), as the container image runs them
java -Djarmode=tools -jar "$JAR" extract --destination "$RUN_DIR/node-app" >/dev/null

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), \
$(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(java -version 2>&1 | head -1)"
NODE_APP="$RUN_DIR/node-app/$(basename "$JAR")"
if [ "${CLASS_DATA:-1}" = 1 ]; then
  echo "training run for class data sharing (one instance, 300 credentials)"
  # on the image's Java (25): an ahead-of-time cache (classes loaded and linked, method profiles); else a CDS archive
  if [ -n "$IMAGE_JAVA_HOME" ]; then
    ARCHIVE="$RUN_DIR/node-app/token-center.aot"
    TRAIN_OPTION="-XX:AOTCacheOutput=$ARCHIVE"
    RUN_OPTION="-XX:AOTCache=$ARCHIVE"
  else
    ARCHIVE="$RUN_DIR/node-app/token-center.jsa"
    TRAIN_OPTION="-XX:ArchiveClassesAtExit=$ARCHIVE"
    RUN_OPTION="-XX:SharedArchiveFile=$ARCHIVE"
  fi
  timeout --signal=TERM --kill-after=30s 5m \
    java -Xmx1g -Dloader.main=dev.tokenbench.RefreshScaleBench -jar "$JAR" \
      --jar="$JAR" --node-app="$NODE_APP" --out="$RUN_DIR" --credentials=300 --lifetime-seconds="$LIFETIME_SECONDS" \
      --java-options="$NODE_JAVA_OPTS" --clock-ticks="$(getconf CLK_TCK)" --train-class-data="$ARCHIVE" \
      --train-java-option="$TRAIN_OPTION" \
    >"$RUN_DIR/training-bench.log" 2>&1 || { echo "the training run failed:"; tail -20 "$RUN_DIR/training-bench.log"; exit 1; }
  NODE_JAVA_OPTS="$NODE_JAVA_OPTS $RUN_OPTION"
fi
echo "running: $CREDENTIALS credentials, ${LIFETIME_SECONDS} s token lifetime, 2 instances (logs in $RUN_DIR)"
echo "instances' JVM options: $NODE_JAVA_OPTS"
status=0
timeout --signal=TERM --kill-after=30s "$TIME_LIMIT" \
  java -Xmx1g -Dloader.main=dev.tokenbench.RefreshScaleBench -jar "$JAR" \
    --jar="$JAR" --node-app="$NODE_APP" --out="$RUN_DIR" --credentials="$CREDENTIALS" --lifetime-seconds="$LIFETIME_SECONDS" \
    --java-options="$NODE_JAVA_OPTS" --clock-ticks="$(getconf CLK_TCK)" --service-args="${SERVICE_ARGS:-}" \
  >"$RUN_DIR/bench.log" 2>&1 || status=$?
if [ "$status" != 0 ]; then
  echo "the benchmark failed (exit $status):"; tail -40 "$RUN_DIR/bench.log"; exit "$status"
fi
grep -E "^fill: " "$RUN_DIR/bench.log" || true
sed -n '/^=== figures/,$p' "$RUN_DIR/bench.log"
