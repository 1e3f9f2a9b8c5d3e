#!/usr/bin/env bash
# Token API benchmark: builds the bench launcher, starts the token center (embedded PostgreSQL, embedded Redis,
# WeChat simulator) with N credentials, a WeCom app and a client key, a bare WebFlux baseline and a raw Reactor Netty
# anchor on other ports, then drives each endpoint with wrk (keep-alive connections, loopback only): the anchor, the
# baseline, the token API and the WeChat-compatible calls (/cgi-bin/token, POST /cgi-bin/stable_token, WeCom
# /cgi-bin/gettoken), each token center endpoint once unmeasured first. Prints requests/s, p50/p90/p99, server CPU per
# request and each one's ratio to the anchor; then the heap (used after a full GC) and resident memory of an instance
# holding 100 and one holding 10,000 credentials.
# Settings (environment): CREDENTIALS=100 CONNECTIONS=64 THREADS=2 DURATION=20s WARMUP=30s ROUNDS=1
#                         TOKEN_PORT=18080 BASE_PORT=18081 ANCHOR_PORT=18082 JAVA_OPTS="-Xms1g -Xmx1g" SKIP_BUILD=0
#                         SERVICE_ARGS="--token-center.some.setting=value ..." (passed to the token center)
#                         MEMORY_CREDENTIALS="100 10000" (empty: no memory figures) MEMORY_JAVA_OPTS="-Xmx512m"
#                         MEMORY_PORT=18090 MEMORY_TIMEOUT=900 (seconds until an instance must be ready)
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
ANCHOR_PORT=${ANCHOR_PORT:-18082}
MEMORY_CREDENTIALS=${MEMORY_CREDENTIALS-"100 10000"}
MEMORY_JAVA_OPTS=${MEMORY_JAVA_OPTS:-"-Xmx512m"}
MEMORY_PORT=${MEMORY_PORT:-18090}
MEMORY_TIMEOUT=${MEMORY_TIMEOUT:-900}
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
  PIDS=()
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
export BENCH_KEY

echo "starting the raw Reactor Netty anchor on 127.0.0.1:$ANCHOR_PORT ($BENCH_BODY_LENGTH-byte body)"
# shellcheck disable=SC2086
java $JAVA_OPTS -Dloader.main=dev.tokenbench.RawNettyAnchor -jar "$JAR" --port="$ANCHOR_PORT" \
  --body-length="$BENCH_BODY_LENGTH" >"$RUN_DIR/anchor.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do
  if grep -q "ANCHOR READY" "$RUN_DIR/anchor.log" 2>/dev/null; then break; fi
  if ! kill -0 "${PIDS[2]}" 2>/dev/null; then echo "the anchor did not start:"; tail -30 "$RUN_DIR/anchor.log"; exit 1; fi
  sleep 1
done

hide() { sed -E 's/"access_token":"[^"]{6}[^"]*"/"access_token":"<hidden>"/' | tr -d '\r'; }
echo "sample token response:"
curl -s -D - -H "Authorization: Bearer $BENCH_KEY" "http://127.0.0.1:$TOKEN_PORT$(head -1 "$RUN_DIR/paths.txt")" | hide; echo
echo "sample compatible response:"
curl -s -D - "http://127.0.0.1:$TOKEN_PORT$(head -1 "$RUN_DIR/classic.txt" | cut -f2)" | hide; echo
echo "sample anchor response:"
curl -s -D - "http://127.0.0.1:$ANCHOR_PORT/" | tr -d '\r' | head -8; echo

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
drive() { # name url prefix server-pid requests-file -> RESULT line with the server's CPU time (utime + stime)
  local name=$1 url=$2 prefix=$3 pid=$4 file=$5 before after result
  BENCH_PATHS=$file BENCH_PREFIX=$prefix wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/tokens.lua "$url" >/dev/null
  before=$(cpu_ticks "$pid")
  result=$(BENCH_PATHS=$file BENCH_PREFIX=$prefix wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s bench/tokens.lua "$url" \
    | grep '^RESULT' | sed "s/^RESULT/$name/")
  after=$(cpu_ticks "$pid")
  echo "$result cpu_ticks=$((after - before))"
}
field() { echo "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
rps() { awk -v r="$(field "$1" requests)" -v d="$(field "$1" duration_us)" 'BEGIN { printf "%.0f", r / (d / 1e6) }'; }
ms() { awk -v v="$(field "$1" "$2")" 'BEGIN { printf "%.2f", v / 1000 }'; }
cpu() { awk -v t="$(field "$1" cpu_ticks)" -v r="$(field "$1" requests)" -v hz="$(getconf CLK_TCK)" \
  'BEGIN { printf "%.1f", t / hz * 1e6 / r }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f%%", 100 * a / b }'; }

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), \
$(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk: $THREADS threads, $CONNECTIONS connections, $WARMUP warm-up + $DURATION measured per run, $CREDENTIALS credentials"
TOKEN="http://127.0.0.1:$TOKEN_PORT"
# a running instance has compiled all of its read paths: each is driven once before any run is measured, so that
# the JIT compiling the token center's shared code does not land in the first measured run only
echo "warming every token center endpoint ($WARMUP each)"
for file in paths classic stable wecom; do
  BENCH_PATHS="$RUN_DIR/$file.txt" BENCH_PREFIX="" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/tokens.lua "$TOKEN" \
    >/dev/null
done
for round in $(seq 1 "$ROUNDS"); do
  lines=()
  lines+=("$(drive anchor "http://127.0.0.1:$ANCHOR_PORT" "" "${PIDS[2]}" "$RUN_DIR/paths.txt")")
  lines+=("$(drive baseline "http://127.0.0.1:$BASE_PORT" "" "${PIDS[1]}" "$RUN_DIR/paths.txt")")
  lines+=("$(drive baseline-annotated "http://127.0.0.1:$BASE_PORT" "/annotated" "${PIDS[1]}" "$RUN_DIR/paths.txt")")
  lines+=("$(drive token-api "$TOKEN" "" "${PIDS[0]}" "$RUN_DIR/paths.txt")")
  lines+=("$(drive compat-token "$TOKEN" "" "${PIDS[0]}" "$RUN_DIR/classic.txt")")
  lines+=("$(drive compat-stable-token "$TOKEN" "" "${PIDS[0]}" "$RUN_DIR/stable.txt")")
  lines+=("$(drive compat-wecom-gettoken "$TOKEN" "" "${PIDS[0]}" "$RUN_DIR/wecom.txt")")
  anchor=${lines[0]}
  token=${lines[3]}
  echo
  echo "round $round"
  printf "%-22s %11s %8s %8s %8s %8s %12s %11s %10s\n" endpoint "requests/s" "p50 ms" "p90 ms" "p99 ms" "non-2xx" \
    "CPU us/req" "vs anchor" "p99/anchor"
  for line in "${lines[@]}"; do
    printf "%-22s %11s %8s %8s %8s %8s %12s %11s %10s\n" "$(echo "$line" | cut -d' ' -f1)" "$(rps "$line")" \
      "$(ms "$line" p50_us)" "$(ms "$line" p90_us)" "$(ms "$line" p99_us)" "$(field "$line" non2xx)" "$(cpu "$line")" \
      "$(ratio "$(rps "$line")" "$(rps "$anchor")")" \
      "$(awk -v a="$(field "$line" p99_us)" -v b="$(field "$anchor" p99_us)" 'BEGIN { printf "%.2fx", a / b }')"
  done
  echo "token-api / anchor: requests/s $(ratio "$(rps "$token")" "$(rps "$anchor")") (target >= 60%, stretch 80%)," \
    "p99 $(awk -v a="$(field "$token" p99_us)" -v b="$(field "$anchor" p99_us)" 'BEGIN { printf "%.2fx", a / b }') (target <= 1.5x)"
  for i in 4 5 6; do
    echo "$(echo "${lines[$i]}" | cut -d' ' -f1) / token-api: requests/s $(ratio "$(rps "${lines[$i]}")" "$(rps "$token")") (target >= 80%)"
  done
done

if [ -z "$MEMORY_CREDENTIALS" ]; then exit 0; fi
cleanup
echo
echo "memory: one instance at a time ($MEMORY_JAVA_OPTS), measured once every token is read; the launcher JVM also"
echo "holds the WeChat simulator (PostgreSQL and Redis are processes of their own)"
heap_used_kib() { jcmd "$1" GC.heap_info | grep -m1 -oE 'used [0-9]+K' | grep -oE '[0-9]+'; }
heap_total_kib() { jcmd "$1" GC.heap_info | grep -m1 -oE 'total [0-9]+K' | grep -oE '[0-9]+'; }
declare -A HEAP
for n in $MEMORY_CREDENTIALS; do
  out="$RUN_DIR/memory-$n"
  mkdir -p "$out"
  # shellcheck disable=SC2086
  java $MEMORY_JAVA_OPTS -jar "$JAR" --port="$MEMORY_PORT" --credentials="$n" --out="$out" ${SERVICE_ARGS:-} \
    >"$out/service.log" 2>&1 &
  PIDS+=($!)
  pid=$!
  started=$(date +%s)
  until grep -q "BENCH READY" "$out/service.log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "the $n-credential instance did not start:"; tail -50 "$out/service.log"; exit 1; fi
    if [ $(($(date +%s) - started)) -gt "$MEMORY_TIMEOUT" ]; then echo "the $n-credential instance was not ready in time"; exit 1; fi
    sleep 2
  done
  ready=$(($(date +%s) - started))
  sleep 5
  jcmd "$pid" GC.run >/dev/null
  used=$(heap_used_kib "$pid")
  total=$(heap_total_kib "$pid")
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  HEAP[$n]=$used
  jcmd "$pid" GC.class_histogram >"$out/histogram.txt" 2>/dev/null || true
  awk -v n="$n" -v u="$used" -v t="$total" -v r="$rss" -v ready="$ready" \
    -v setup="$(grep -m1 -oE 'setup=[0-9]+s' "$out/service.log")" 'BEGIN {
    printf "%6d credentials: heap used after GC %6.1f MiB (committed %.0f MiB), RSS %6.1f MiB; ready %d s after start (%s)\n",
      n, u / 1024, t / 1024, r / 1024, ready, setup }'
  echo "        largest on the heap (bytes, class; all of them in $out/histogram.txt):"
  awk 'NF >= 4 && $1 ~ /^[0-9]+:$/ && shown++ < 8 { printf "        %12d %s\n", $3, $4 }' "$out/histogram.txt"
  cleanup
done
# shellcheck disable=SC2086
set -- $MEMORY_CREDENTIALS
if [ $# -ge 2 ]; then
  awk -v a="${HEAP[$1]}" -v b="${HEAP[$2]}" -v na="$1" -v nb="$2" 'BEGIN {
    printf "heap per credential (the difference): %.2f KiB; for 10,000 credentials: %.1f MiB\n",
      (b - a) / (nb - na), (b - a) / (nb - na) * 10000 / 1024 }'
fi
