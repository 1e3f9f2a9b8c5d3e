#!/usr/bin/env bash
# Token API benchmark: builds the bench launcher, starts the token center (embedded PostgreSQL, embedded Redis,
# WeChat simulator) with N credentials and a client key, and a bare WebFlux baseline on another port, then drives
# both with wrk (keep-alive connections, loopback only) and prints requests/s, p50, p99 and the ratios.
# Settings (environment): CREDENTIALS=100 CONNECTIONS=64 THREADS=2 DURATION=20s WARMUP=30s ROUNDS=1
#                         TOKEN_PORT=18080 BASE_PORT=18081 JAVA_OPTS="-Xms1g -Xmx1g" SKIP_BUILD=0
#                         SERVICE_ARGS="--token-center.some.setting=value ..." (passed to the token center)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
CREDENTIALS=${CREDENTIALS:-100}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-30s}
ROUNDS=${ROUNDS:-1}
TOKEN_PORT=${TOKEN_PORT:-18080}
BASE_PORT=${BASE_PORT:-18081}
JAVA_OPTS=${JAVA_OPTS:-"-Xms1g -Xmx1g"}
RUN_DIR="$ROOT/bench/target/run"
JAR="$ROOT/bench/target/token-center-bench.jar"

if ! command -v wrk >/dev/null 2>&1; then
  echo "installing wrk (Debian package)"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq wrk >/dev/null; fi
fi

if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f "$JAR" ]; then
  echo "building the bench launcher"
  ./mvnw -q -Pbench -pl bench -am package -Dmaven.test.skip=true
fi

rm -rf "$RUN_DIR" && mkdir -p "$RUN_DIR"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

echo "starting the token center with $CREDENTIALS credentials on 127.0.0.1:$TOKEN_PORT"
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" --port="$TOKEN_PORT" --credentials="$CREDENTIALS" --out="$RUN_DIR" ${SERVICE_ARGS:-} \
  >"$RUN_DIR/service.log" 2>&1 &
PIDS+=($!)
echo "starting the bare WebFlux baseline on 127.0.0.1:$BASE_PORT"
# shellcheck disable=SC2086
java $JAVA_OPTS -Dloader.main=dev.tokenbench.BaselineApp -jar "$JAR" --port="$BASE_PORT" \
  >"$RUN_DIR/baseline.log" 2>&1 &
PIDS+=($!)

for _ in $(seq 1 300); do
  if grep -q "BENCH READY" "$RUN_DIR/service.log" 2>/dev/null; then break; fi
  if ! kill -0 "${PIDS[0]}" 2>/dev/null; then echo "the token center did not start:"; tail -50 "$RUN_DIR/service.log"; exit 1; fi
  sleep 1
done
grep -q "BENCH READY" "$RUN_DIR/service.log" || { echo "the token center was not ready in time"; exit 1; }
for _ in $(seq 1 60); do
  if curl -s -o /dev/null "http://127.0.0.1:$BASE_PORT/v1/tokens/a/b/c"; then break; fi
  if ! kill -0 "${PIDS[1]}" 2>/dev/null; then echo "the baseline did not start:"; tail -30 "$RUN_DIR/baseline.log"; exit 1; fi
  sleep 1
done
# shellcheck disable=SC1091
source "$RUN_DIR/bench.env"
export BENCH_KEY BENCH_PATHS="$RUN_DIR/paths.txt"

echo "sample token response:"
curl -s -D - -H "Authorization: Bearer $BENCH_KEY" "http://127.0.0.1:$TOKEN_PORT$(head -1 "$BENCH_PATHS")" \
  | sed -E 's/"access_token":"[^"]{6}[^"]*"/"access_token":"<hidden>"/' | tr -d '\r'; echo
echo "sample baseline response:"
curl -s "http://127.0.0.1:$BASE_PORT$(head -1 "$BENCH_PATHS")"; echo

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
drive() { # name url prefix server-pid -> RESULT line with the server's CPU time per request
  local name=$1 url=$2 prefix=$3 pid=$4 before after result
  BENCH_PREFIX=$prefix wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/tokens.lua "$url" >/dev/null
  before=$(cpu_ticks "$pid")
  result=$(BENCH_PREFIX=$prefix wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s bench/tokens.lua "$url" \
    | grep '^RESULT' | sed "s/^RESULT/$name/")
  after=$(cpu_ticks "$pid")
  echo "$result cpu_ticks=$((after - before))"
}
field() { echo "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
rps() { awk -v r="$(field "$1" requests)" -v d="$(field "$1" duration_us)" 'BEGIN { printf "%.0f", r / (d / 1e6) }'; }
ms() { awk -v v="$(field "$1" "$2")" 'BEGIN { printf "%.2f", v / 1000 }'; }

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), \
$(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(java -version 2>&1 | head -1)"
echo "wrk: $THREADS threads, $CONNECTIONS connections, $WARMUP warm-up + $DURATION measured per run, $CREDENTIALS credentials"
for round in $(seq 1 "$ROUNDS"); do
  base=$(drive baseline "http://127.0.0.1:$BASE_PORT" "" "${PIDS[1]}")
  annotated=$(drive baseline-annotated "http://127.0.0.1:$BASE_PORT" "/annotated" "${PIDS[1]}")
  token=$(drive token-api "http://127.0.0.1:$TOKEN_PORT" "" "${PIDS[0]}")
  echo
  echo "round $round"
  printf "%-20s %12s %10s %10s %10s %8s %16s\n" endpoint "requests/s" "p50 ms" "p90 ms" "p99 ms" "non-2xx" "server CPU us/req"
  for line in "$base" "$annotated" "$token"; do
    printf "%-20s %12s %10s %10s %10s %8s %16s\n" "$(echo "$line" | cut -d' ' -f1)" "$(rps "$line")" \
      "$(ms "$line" p50_us)" "$(ms "$line" p90_us)" "$(ms "$line" p99_us)" "$(field "$line" non2xx)" \
      "$(awk -v t="$(field "$line" cpu_ticks)" -v r="$(field "$line" requests)" -v hz="$(getconf CLK_TCK)" \
         'BEGIN { printf "%.1f", t / hz * 1e6 / r }')"
  done
  awk -v t="$(rps "$token")" -v b="$(rps "$base")" -v tp="$(field "$token" p99_us)" -v bp="$(field "$base" p99_us)" \
    -v t5="$(field "$token" p50_us)" -v b5="$(field "$base" p50_us)" 'BEGIN {
      printf "token-api / baseline: requests/s %.1f%% (target >= 80%%), p50 %.2fx, p99 %.2fx (target <= 2x)\n",
        100 * t / b, t5 / b5, tp / bp }'
done
