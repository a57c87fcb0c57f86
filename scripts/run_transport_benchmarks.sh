#!/usr/bin/env bash
# Salvo's transport benchmarks (issue 4), on loopback, one JVM per cell
# (dev.salvo.bench.transport.TransportBench):
#   seal      single-core PacketSealer.sealBatch rate of the transport's AEAD   (E1 reference)
#   baseline  one DatagramChannel.send per sealed packet, per-packet open        (E1 baseline)
#   e1        one connection, 1 MiB messages, native batching and NIO fallback, per datagram size
#   e2        64-byte ping-pong round trips, idle strategy park|spin x batching on|off (HdrHistogram)
#   idle      one transport with 100 idle connections (10 peers x 10): CPU of the whole process
# Writes bench-results/<UTC timestamp>/transport.md (tables and bar checks), raw.txt, meta.txt, logs/.
# Default run: about 4 minutes. Run on an otherwise idle machine.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

JAR="$ROOT/bench/target/salvo-bench.jar"
MAIN="dev.salvo.bench.transport.TransportBench"
REPORT="dev.salvo.bench.transport.TransportReport"
BUILD_TIMEOUT_S=1200

datagrams="1200 1472" runs=3 e1_seconds=5 e1_warmup=10 e2_seconds=5 idle_seconds=10 out="" build=1 only="seal baseline e1 e2 idle"
e2_wait="park" quick=0

usage() {
  cat <<EOF
usage: scripts/run_transport_benchmarks.sh [options]

  --quick              sanity run: 1 run per cell, 2 s E1 runs, 2 s E2, 5 s idle (about 1 minute)
  --datagrams LIST     maxDatagramSize values for seal/baseline/E1 (default: $datagrams)
  --runs R             measured runs per throughput cell, median reported (default: $runs)
  --e1-seconds S       length of each E1/baseline run (default: $e1_seconds)
  --e2-seconds S       longest E2 measurement per cell (default: $e2_seconds; at most 100,000 round trips)
  --e2-wait park|spin  how the E2 application thread waits for a reply (default: $e2_wait; spin needs a spare core)
  --idle-seconds S     idle measurement window (default: $idle_seconds)
  --only LIST          subset of: seal baseline e1 e2 idle
  --out DIR            output directory (default: bench-results/<UTC timestamp>/)
  --no-build           never build; fail if the jar is missing
  -h, --help           this text

Environment: JAVA_HOME selects the JDK (else java on PATH); SALVO_BENCH_JAVA_OPTS adds JVM flags.
EOF
}
die() { echo "run_transport_benchmarks: $*" >&2; exit 2; }
note() { echo "run_transport_benchmarks: $*" >&2; }
is_number() { [[ "$1" =~ ^[0-9]+([.][0-9]+)?$ ]]; }

original_args="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --datagrams) [ $# -ge 2 ] || die "$1 needs a value"; datagrams="$(echo "$2" | tr ',' ' ')"; shift ;;
    --runs) [ $# -ge 2 ] || die "$1 needs a value"; runs="$2"; shift ;;
    --e1-seconds) [ $# -ge 2 ] || die "$1 needs a value"; e1_seconds="$2"; shift ;;
    --e2-seconds) [ $# -ge 2 ] || die "$1 needs a value"; e2_seconds="$2"; shift ;;
    --e2-wait) [ $# -ge 2 ] || die "$1 needs a value"; e2_wait="$2"; shift ;;
    --idle-seconds) [ $# -ge 2 ] || die "$1 needs a value"; idle_seconds="$2"; shift ;;
    --only) [ $# -ge 2 ] || die "$1 needs a value"; only="$(echo "$2" | tr ',' ' ')"; shift ;;
    --out) [ $# -ge 2 ] || die "$1 needs a value"; out="$2"; shift ;;
    --no-build) build=0 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
  shift
done
if [ "$quick" = 1 ]; then
  runs=1 e1_seconds=2 e1_warmup=2 e2_seconds=2 idle_seconds=5
fi
[[ "$runs" =~ ^[0-9]+$ ]] && [ "$runs" -ge 1 ] && [ "$runs" -le 20 ] || die "--runs must be 1..20"
for s in "$e1_seconds" "$e2_seconds" "$idle_seconds"; do
  is_number "$s" && awk "BEGIN { exit !($s > 0 && $s <= 120) }" || die "seconds must be in (0, 120]: '$s'"
done
for d in $datagrams; do
  [[ "$d" =~ ^[0-9]+$ ]] && [ "$d" -ge 256 ] && [ "$d" -le 65507 ] || die "--datagrams: '$d' is not in 256..65507"
done
for o in $only; do case "$o" in seal|baseline|e1|e2|idle) ;; *) die "--only: unknown '$o'" ;; esac; done
case "$e2_wait" in park|spin) ;; *) die "--e2-wait must be park or spin" ;; esac

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="$(command -v java || true)"; fi
[ -n "$JAVA" ] || die "no java found (set JAVA_HOME or put a JDK on PATH)"
command -v timeout >/dev/null || die "the 'timeout' command (coreutils) is needed to bound every run"

stale() { local target="$1"; shift; [ -e "$target" ] || return 0; [ -n "$(find "$@" -type f -newer "$target" -print -quit 2>/dev/null)" ]; }
if stale "$JAR" java/src/main bench/src/main native pom.xml java/pom.xml bench/pom.xml CMakeLists.txt; then
  [ "$build" = 1 ] || die "--no-build: $JAR is missing or older than the sources"
  note "building: ./mvnw -B -q -DskipTests package"
  timeout "$BUILD_TIMEOUT_S" ./mvnw -B -q -DskipTests package || die "the Maven build failed"
fi
[ -f "$JAR" ] || die "$JAR was not built"

[ -n "$out" ] || out="$ROOT/bench-results/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$out/logs"
out="$(cd "$out" && pwd)"
raw="$out/raw.txt"; meta="$out/meta.txt"; : > "$raw"
started_epoch=$(date +%s)
{
  echo "Date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "JDK=$("$JAVA" -version 2>&1 | head -n 2 | paste -sd ';' - | sed 's/; */; /')"
  echo "Kernel=$(uname -r)"
  echo "Cores=$(nproc)"
  echo "CPU=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || uname -m)"
  echo "Load average at start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
  echo "Command=scripts/run_transport_benchmarks.sh${original_args:+ $original_args}"
  echo "Runs=$runs per throughput cell (median); E1/baseline ${e1_seconds}s runs; E2 up to ${e2_seconds}s; idle ${idle_seconds}s"
} > "$meta"

read -r -a java_opts <<< "${SALVO_BENCH_JAVA_OPTS:-}"
interrupted=0
trap 'interrupted=1; note "interrupted; finishing the current cell, then writing the report"' INT TERM

# cell NAME LIMIT_S ARGS...: one bounded JVM; RESULT/SKIP lines to raw.txt, a FAIL line when it breaks.
cell() {
  local name="$1" limit="$2"; shift 2
  [ "$interrupted" = 0 ] || return 0
  local log="$out/logs/$name.log" rc=0
  printf '%-28s ... ' "$name" >&2
  echo "# $JAVA ${java_opts[*]} -cp $JAR $MAIN $*" > "$log"
  timeout -k 5 "$limit" "$JAVA" --add-opens java.base/jdk.internal.misc=ALL-UNNAMED "${java_opts[@]}" \
    -cp "$JAR" "$MAIN" "$@" > "$out/logs/.stdout" 2>> "$log" || rc=$?
  cat "$out/logs/.stdout" >> "$log"
  grep -E '^(RESULT|SKIP) ' "$out/logs/.stdout" >> "$raw" || true
  if [ "$rc" != 0 ] || ! grep -qE '^(RESULT|SKIP) ' "$out/logs/.stdout"; then
    echo "FAIL cell=$name exit=$rc log=logs/$name.log" >> "$raw"
    echo "FAIL (exit $rc; see logs/$name.log)" >&2
  else
    grep -E '^(RESULT|SKIP) ' "$out/logs/.stdout" | tail -n 1 | cut -c1-150 >&2
  fi
  rm -f "$out/logs/.stdout"
}

want() { [[ " $only " == *" $1 "* ]]; }
# E1 warms up for 10 s: its throughput still climbs for several seconds after a 2 s warm-up (JIT).
tp_limit=$(awk "BEGIN { printf \"%d\", $e1_warmup + $runs * ($e1_seconds + 2) + 60 }")
for d in $datagrams; do
  want seal && cell "seal-$d" "$tp_limit" seal --datagram "$d" --runs "$runs" --seconds 2 --warmup 1
  want baseline && cell "baseline-$d" "$tp_limit" baseline --datagram "$d" --runs "$runs" --seconds "$e1_seconds" --warmup 1
  if want e1; then
    for io in native nio; do
      cell "e1-$io-$d" "$tp_limit" e1 --io "$io" --datagram "$d" --runs "$runs" --seconds "$e1_seconds" --warmup "$e1_warmup"
    done
  fi
done
if want e2; then
  for idle in park spin; do
    for batching in on off; do
      cell "e2-$idle-batching-$batching" "$(awk "BEGIN { printf \"%d\", $e2_seconds + 90 }")" \
        e2 --idle "$idle" --batching "$batching" --wait "$e2_wait" --seconds "$e2_seconds" --runs 1
    done
  done
fi
want idle && cell "idle-100" "$(awk "BEGIN { printf \"%d\", $idle_seconds + 120 }")" \
  idle --peers 10 --per-peer 10 --settle 3 --seconds "$idle_seconds" --runs 1

echo "Duration=$(( $(date +%s) - started_epoch ))s$([ "$interrupted" = 0 ] || echo ' (interrupted)')" >> "$meta"
"$JAVA" -cp "$JAR" "$REPORT" "$raw" "$meta" "$out/transport.md" > /dev/null
note "done in $(( $(date +%s) - started_epoch ))s: $out/transport.md"
[ "$interrupted" = 0 ] || exit 130
