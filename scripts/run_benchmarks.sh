#!/usr/bin/env bash
# Salvo's batch-size benchmark (issue 2): UDP throughput on loopback for payload size x batch size,
# for NIO per packet, sendmmsg/recvmmsg and GSO/GRO, in Java (dev.salvo.bench.io.DatagramThroughput)
# and in plain C (bench/c/udp_ceiling.c, the ceiling), so every Java cell has a Java/C ratio.
#
# Measures payload bytes received per second at the receiver (one sender thread, one receiver
# thread, one process), losses counted, median of --runs runs per cell. Writes into --out:
#   raw.txt      every RESULT/SKIP/FAIL/PERF line        meta.txt  machine and run description
#   results.csv  one row per cell                        results.md  table + bar checks
#   results.png  throughput vs batch, one panel per size logs/      each cell's driver output
#
# Which cells run ("where the mode allows"):
#   nio   is one syscall per datagram whatever the batch, so it runs once per size at batch 1
#         (even when --batches leaves 1 out: the GSO bar compares against it) and the chart draws
#         it as a flat reference line.
#   mmsg  runs at every batch (batch 1 = sendmmsg/recvmmsg of one datagram: the per-call overhead).
#   gso   runs at batch >= 2 only: batch is datagrams per sendmmsg call, packed into GSO entries of
#         at most 64 segments and 65,507 bytes, so batch 1 would coalesce nothing.
#
# Run on an otherwise idle machine; the full default matrix takes about 15 minutes on 2 cores.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DEFAULT_SIZES="512 1400 4096 8192"
DEFAULT_BATCHES="1 10 50 64 100 500"
DEFAULT_MODES="nio mmsg gso"
DEFAULT_SECONDS=2
DEFAULT_WARMUP=1
DEFAULT_RUNS=3
QUICK_SIZES="1400"
QUICK_BATCHES="1 64"
QUICK_SECONDS=1
QUICK_WARMUP=0.5

JAR="$ROOT/bench/target/salvo-bench.jar"
JAVA_DRIVER_CLASS="dev.salvo.bench.io.DatagramThroughput"
JAVA_DRIVER_ENTRY="dev/salvo/bench/io/DatagramThroughput.class"
C_SOURCE="$ROOT/bench/c/udp_ceiling.c"
C_BINARY="$ROOT/bench/target/c/udp_ceiling"
REPORT_SOURCES="$ROOT/bench/src/main/java/dev/salvo/bench/report"
REPORT_CLASSES="$ROOT/bench/target/report-classes"
PERF_EVENTS="syscalls:sys_enter_sendmmsg,syscalls:sys_enter_recvmmsg,syscalls:sys_enter_sendto,syscalls:sys_enter_recvfrom,syscalls:sys_enter_sendmsg,syscalls:sys_enter_recvmsg"
PERF_SIZE=1400
PERF_BATCH=64
BUILD_TIMEOUT_S=1200

usage() {
  cat <<EOF
usage: scripts/run_benchmarks.sh [options]

  --quick            smoke test: sizes $QUICK_SIZES, batches "$QUICK_BATCHES", ${QUICK_SECONDS}s runs, ${QUICK_WARMUP}s warmup
  --sizes LIST       payload bytes, comma or space separated (default: $DEFAULT_SIZES)
  --batches LIST     datagrams per call (default: $DEFAULT_BATCHES)
  --modes LIST       nio, mmsg, gso (default: $DEFAULT_MODES)
  --impl WHICH       java, c or both (default: both)
  --seconds S        length of each measured run (default: $DEFAULT_SECONDS)
  --warmup S         warmup before the runs of each cell (default: $DEFAULT_WARMUP)
  --runs R           measured runs per cell; the median is reported (default: $DEFAULT_RUNS, minimum 1)
  --out DIR          output directory (default: bench-results/<UTC timestamp>/)
  --ipv6             run on [::1] instead of 127.0.0.1
  --rx-coalesce-us US receive coalescing in mmsg/gso cells, Java and C alike (default 0 = off; see BENCHMARKS.md)
  --no-build         never build; fail if the jar or the C tool is missing
  --no-perf          do not count syscalls with perf
  -h, --help         this text

Environment: JAVA_HOME selects the JDK (else java on PATH); SALVO_BENCH_JAVA_OPTS adds JVM flags;
SALVO_BENCH_JAVA_CP replaces the driver classpath (default bench/target/salvo-bench.jar).
EOF
}

die() { echo "run_benchmarks: $*" >&2; exit 2; }
note() { echo "run_benchmarks: $*" >&2; }

list() { echo "$1" | tr ',' ' ' | xargs; }

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
is_number() { [[ "$1" =~ ^[0-9]+([.][0-9]+)?$ ]]; }

fmt_duration() {
  local s=${1%.*}
  if [ "$s" -ge 3600 ]; then printf '%dh%02dm%02ds' $((s / 3600)) $((s % 3600 / 60)) $((s % 60))
  elif [ "$s" -ge 60 ]; then printf '%dm%02ds' $((s / 60)) $((s % 60))
  else printf '%ds' "$s"; fi
}

# --- options -------------------------------------------------------------------------------------
sizes="" batches="" modes="" impl="both" run_seconds="" warmup="" runs="" out="" build=1 perf=1 quick=0 ipv6=0 rx_coalesce_us=0
original_args="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --sizes) [ $# -ge 2 ] || die "$1 needs a value"; sizes="$(list "$2")"; shift ;;
    --batches) [ $# -ge 2 ] || die "$1 needs a value"; batches="$(list "$2")"; shift ;;
    --modes) [ $# -ge 2 ] || die "$1 needs a value"; modes="$(list "$2")"; shift ;;
    --impl) [ $# -ge 2 ] || die "$1 needs a value"; impl="$2"; shift ;;
    --seconds) [ $# -ge 2 ] || die "$1 needs a value"; run_seconds="$2"; shift ;;
    --warmup) [ $# -ge 2 ] || die "$1 needs a value"; warmup="$2"; shift ;;
    --runs) [ $# -ge 2 ] || die "$1 needs a value"; runs="$2"; shift ;;
    --out) [ $# -ge 2 ] || die "$1 needs a value"; out="$2"; shift ;;
    --ipv6) ipv6=1 ;;
    --rx-coalesce-us) [ $# -ge 2 ] || die "$1 needs a value"; rx_coalesce_us="$2"; shift ;;
    --no-build) build=0 ;;
    --no-perf) perf=0 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
  shift
done

if [ "$quick" = 1 ]; then
  : "${sizes:=$QUICK_SIZES}" "${batches:=$QUICK_BATCHES}" "${run_seconds:=$QUICK_SECONDS}" "${warmup:=$QUICK_WARMUP}"
fi
: "${sizes:=$DEFAULT_SIZES}" "${batches:=$DEFAULT_BATCHES}" "${modes:=$DEFAULT_MODES}"
: "${run_seconds:=$DEFAULT_SECONDS}" "${warmup:=$DEFAULT_WARMUP}" "${runs:=$DEFAULT_RUNS}"

for s in $sizes; do
  is_uint "$s" && [ "$s" -ge 1 ] && [ "$s" -le 65507 ] || die "--sizes: '$s' is not a payload size in [1, 65507]"
done
for b in $batches; do
  is_uint "$b" && [ "$b" -ge 1 ] && [ "$b" -le 4096 ] || die "--batches: '$b' is not a batch in [1, 4096]"
done
is_uint "$rx_coalesce_us" && [ "$rx_coalesce_us" -le 100000 ] || die "--rx-coalesce-us must be in [0, 100000]"
for m in $modes; do
  case "$m" in nio|mmsg|gso) ;; *) die "--modes: '$m' is not nio, mmsg or gso" ;; esac
done
case "$impl" in
  java) impls="java" ;; c) impls="c" ;; both) impls="java c" ;;
  *) die "--impl must be java, c or both, got '$impl'" ;;
esac
is_number "$run_seconds" && awk "BEGIN { exit !($run_seconds > 0 && $run_seconds <= 600) }" \
  || die "--seconds must be a number in (0, 600], got '$run_seconds'"
is_number "$warmup" && awk "BEGIN { exit !($warmup <= 600) }" || die "--warmup must be a number in [0, 600], got '$warmup'"
is_uint "$runs" && [ "$runs" -ge 1 ] && [ "$runs" -le 100 ] || die "--runs must be an integer in [1, 100], got '$runs'"
[ "$runs" -ge 3 ] || note "warning: --runs $runs; the issue asks for the median of at least 3"

# --- tools ---------------------------------------------------------------------------------------
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  JAVA="$JAVA_HOME/bin/java"; JAVAC="$JAVA_HOME/bin/javac"; JAR_TOOL="$JAVA_HOME/bin/jar"
else
  JAVA="$(command -v java || true)"; JAVAC="$(command -v javac || true)"; JAR_TOOL="$(command -v jar || true)"
fi
[ -n "$JAVA" ] && [ -x "$JAVA" ] || die "no java found (set JAVA_HOME or put a JDK on PATH)"
[ -n "$JAVAC" ] && [ -x "$JAVAC" ] || die "no javac found: a JDK (not a JRE) is needed to build the report"
command -v timeout >/dev/null || die "the 'timeout' command (coreutils) is needed to bound every run"

# --- build ---------------------------------------------------------------------------------------
stale() { # stale TARGET PATH...: true when TARGET is missing or any file under PATH is newer
  local target="$1"; shift
  [ -e "$target" ] || return 0
  [ -n "$(find "$@" -type f -newer "$target" -print -quit 2>/dev/null)" ]
}

if [[ " $impls " == *" c "* ]]; then
  if stale "$C_BINARY" "$C_SOURCE"; then
    [ "$build" = 1 ] || die "--no-build: $C_BINARY is missing or older than $C_SOURCE"
    command -v gcc >/dev/null || die "gcc is needed to build the C ceiling ($C_SOURCE); install gcc or use --impl java"
    note "building the C ceiling -> ${C_BINARY#"$ROOT"/}"
    mkdir -p "$(dirname "$C_BINARY")"
    gcc -O2 -std=gnu11 -Wall -Wextra -Werror -pthread -o "$C_BINARY" "$C_SOURCE"
  fi
fi

JAVA_CP="${SALVO_BENCH_JAVA_CP:-$JAR}"
if [[ " $impls " == *" java "* ]]; then
  if [ -z "${SALVO_BENCH_JAVA_CP:-}" ]; then
    if stale "$JAR" java/src bench/src native pom.xml java/pom.xml bench/pom.xml CMakeLists.txt; then
      [ "$build" = 1 ] || die "--no-build: $JAR is missing or older than the sources"
      note "building the Java benchmark jar: ./mvnw -B -q -DskipTests package"
      timeout "$BUILD_TIMEOUT_S" ./mvnw -B -q -DskipTests package || die "the Maven build failed"
    fi
    [ -f "$JAR" ] || die "$JAR was not built"
    if [ -n "$JAR_TOOL" ] && ! "$JAR_TOOL" tf "$JAR" | grep -qx "$JAVA_DRIVER_ENTRY"; then
      die "$JAR has no $JAVA_DRIVER_CLASS (the Java driver); use --impl c for the C ceiling alone"
    fi
  fi
fi

if stale "$REPORT_CLASSES/dev/salvo/bench/report/BenchReport.class" "$REPORT_SOURCES"; then
  note "compiling the report generator -> ${REPORT_CLASSES#"$ROOT"/}"
  rm -rf "$REPORT_CLASSES"
  mkdir -p "$REPORT_CLASSES"
  "$JAVAC" --release 17 -nowarn -d "$REPORT_CLASSES" "$REPORT_SOURCES"/*.java
fi

# --- output and machine description --------------------------------------------------------------
[ -n "$out" ] || out="$ROOT/bench-results/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$out/logs"
out="$(cd "$out" && pwd)"
raw="$out/raw.txt"
meta="$out/meta.txt"
: > "$raw"

cpu_model="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
[ -n "$cpu_model" ] || cpu_model="$(uname -m)"
jdk="$("$JAVA" -version 2>&1 | head -n 2 | paste -sd ';' - | sed 's/; */; /')"
started_epoch=$(date +%s)
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

write_meta() {
  local finished="$1" perf_note="$2"
  {
    echo "Date=$started"
    echo "Duration=$(fmt_duration $(( $(date +%s) - started_epoch )))${finished}"
    echo "JDK=$jdk"
    echo "Kernel=$(uname -r)"
    echo "Cores=$(nproc)"
    echo "CPU=$cpu_model"
    echo "Load average at start=$load_at_start"
    echo "Socket buffer limits=net.core.rmem_max $(cat /proc/sys/net/core/rmem_max 2>/dev/null || echo '?'), net.core.wmem_max $(cat /proc/sys/net/core/wmem_max 2>/dev/null || echo '?') (drivers request 16 MiB)"
    echo "C compiler=$(gcc --version 2>/dev/null | head -n 1 || echo 'n/a'), -O2"
    echo "Per cell=warmup ${warmup}s + ${runs} runs x ${run_seconds}s, median, $([ "$ipv6" = 1 ] && echo '[::1]' || echo 127.0.0.1)"
    echo "Receive coalescing=${rx_coalesce_us} us (mmsg/gso receivers, Java and C)"
    echo "Command=scripts/run_benchmarks.sh${original_args:+ $original_args}"
    echo "Syscall counting=$perf_note"
  } > "$meta"
}
load_at_start="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

# --- the matrix ----------------------------------------------------------------------------------
cells=()
for size in $sizes; do
  for mode in $modes; do
    case "$mode" in
      nio) cell_batches="1" ;;
      mmsg) cell_batches="$batches" ;;
      gso) cell_batches="$(for b in $batches; do [ "$b" -ge 2 ] && echo "$b"; done | xargs)" ;;
    esac
    for batch in $cell_batches; do
      for i in $impls; do cells+=("$i $mode $size $batch"); done
    done
  done
done
# Order by size, then batch, then mode, then impl: Java and C of one cell run back to back.
mapfile -t cells < <(printf '%s\n' "${cells[@]}" | awk '{ m = ($2 == "nio") ? 0 : ($2 == "mmsg") ? 1 : 2; i = ($1 == "java") ? 0 : 1; print $3, $4, m, i, $0 }' | sort -n -k1,1 -k2,2 -k3,3 -k4,4 | cut -d' ' -f5-)
total=${#cells[@]}
[ "$total" -gt 0 ] || die "the selection has no cells"

cell_limit_s=$(awk "BEGIN { printf \"%d\", $warmup + $runs * ($run_seconds + 3) + 30 }")
estimate_s=$(awk "BEGIN { printf \"%d\", $total * ($warmup + $runs * ($run_seconds + 0.15) + 0.5) }")
note "$total cells (${impls// / + }), warmup ${warmup}s + ${runs} x ${run_seconds}s each; estimated $(fmt_duration "$estimate_s"); output ${out}"
note "load average now: $load_at_start (run on an otherwise idle machine)"

# Sets DRIVER to the command line of one driver invocation.
driver_command() { # driver_command IMPL MODE SIZE BATCH SECONDS WARMUP RUNS
  local -a java_opts=()
  if [ "$1" = java ]; then
    read -r -a java_opts <<< "${SALVO_BENCH_JAVA_OPTS:-}"
    DRIVER=("$JAVA" --add-opens java.base/jdk.internal.misc=ALL-UNNAMED "${java_opts[@]}" -cp "$JAVA_CP" "$JAVA_DRIVER_CLASS")
  else
    DRIVER=("$C_BINARY")
  fi
  DRIVER+=(--mode "$2" --size "$3" --batch "$4" --seconds "$5" --warmup "$6" --runs "$7")
  [ "$ipv6" = 0 ] || DRIVER+=(--ipv6)
  [ "$rx_coalesce_us" = 0 ] || DRIVER+=(--rx-coalesce-us "$rx_coalesce_us")
}

sanitize() { tr -s ' \t\r\n' '_' | tr -cd '[:alnum:]_.:/=+-' | cut -c1-160; }

median_line() { # stats of the RESULT lines in FILE: "<median MiB/s> <median loss %> <runs>"
  awk '
    /^RESULT / {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
      if (f["seconds"] > 0) { n++; t[n] = f["rx_bytes"] / f["seconds"] / 1048576; l[n] = (f["tx_datagrams"] > 0) ? 100 * f["lost"] / f["tx_datagrams"] : 0 }
    }
    function median(a, n,   i, j, x) {
      for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    END { if (n == 0) print "- - 0"; else printf "%.1f %.2f %d\n", median(t, n), median(l, n), n }' "$1"
}

interrupted=0
# Every driver runs under timeout(1) in its own process group, so ^C lets the current cell finish
# (it is bounded), then the report is written from the cells measured so far.
trap 'interrupted=1; echo "run_benchmarks: interrupted; finishing the current cell, then writing the report" >&2' INT TERM

# Runs one cell; appends its RESULT/SKIP/FAIL lines to raw.txt; prints the progress summary.
run_cell() { # run_cell IMPL MODE SIZE BATCH
  local impl_="$1" mode_="$2" size_="$3" batch_="$4"
  local log="$out/logs/$impl_-$mode_-$size_-$batch_.log"
  local stdout_file="$out/logs/.stdout" rc=0
  driver_command "$impl_" "$mode_" "$size_" "$batch_" "$run_seconds" "$warmup" "$runs"
  echo "# ${DRIVER[*]}" > "$log"
  timeout -k 5 "$cell_limit_s" "${DRIVER[@]}" > "$stdout_file" 2>> "$log" || rc=$?
  cat "$stdout_file" >> "$log"
  grep '^RESULT ' "$stdout_file" >> "$raw" || true
  if grep -q '^SKIP ' "$stdout_file"; then
    local reason
    reason="$(grep -m1 '^SKIP ' "$stdout_file" | sed -n 's/.*reason=//p' | sanitize)"
    echo "SKIP impl=$impl_ mode=$mode_ size=$size_ batch=$batch_ reason=${reason:-unavailable}" >> "$raw"
    CELL_SUMMARY="SKIP (${reason:-unavailable})"
  elif [ "$rc" != 0 ] || ! grep -q '^RESULT ' "$stdout_file"; then
    local why
    case "$rc" in
      0) why="no_RESULT_line" ;; 124|137) why="timeout_after_${cell_limit_s}s" ;; *) why="exit_$rc" ;;
    esac
    local last
    last="$(grep -v '^#' "$log" | tail -n 1 | sanitize)"
    echo "FAIL impl=$impl_ mode=$mode_ size=$size_ batch=$batch_ reason=${why}${last:+:$last}" >> "$raw"
    CELL_SUMMARY="FAIL ($why; see ${log#"$out"/})"
  else
    local stats
    read -r -a stats <<< "$(median_line "$stdout_file")"
    CELL_SUMMARY="${stats[0]} MiB/s (loss ${stats[1]}%, ${stats[2]} runs)"
  fi
  rm -f "$stdout_file"
}

done_cells=0
for cell in "${cells[@]}"; do
  [ "$interrupted" = 0 ] || break
  read -r c_impl c_mode c_size c_batch <<< "$cell"
  done_cells=$((done_cells + 1))
  printf '[%3d/%d] %-4s %-4s %5d B x %-3d ... ' "$done_cells" "$total" "$c_impl" "$c_mode" "$c_size" "$c_batch" >&2
  run_cell "$c_impl" "$c_mode" "$c_size" "$c_batch"
  elapsed=$(( $(date +%s) - started_epoch ))
  eta=$(( elapsed * (total - done_cells) / done_cells ))
  echo "$CELL_SUMMARY   elapsed $(fmt_duration "$elapsed"), ETA $(fmt_duration "$eta")" >&2
done

# --- syscalls per datagram with perf -------------------------------------------------------------
perf_note="not attempted (--no-perf)"
if [ "$perf" = 1 ] && [ "$interrupted" = 0 ]; then
  if ! command -v perf >/dev/null; then
    perf_note="skipped: perf is not installed (apt-get install linux-perf)"
  elif ! perf stat -e syscalls:sys_enter_sendmmsg true > /dev/null 2>&1; then
    perf_note="skipped: perf syscall tracepoints unavailable (needs root or kernel.perf_event_paranoid <= -1 and tracefs)"
  else
    perf_note="perf stat tracepoints, mmsg ${PERF_SIZE} B x ${PERF_BATCH}, one ${run_seconds}s run without warmup"
    for i in $impls; do
      printf '[perf] %-4s mmsg %5d B x %-3d ... ' "$i" "$PERF_SIZE" "$PERF_BATCH" >&2
      perf_out="$out/logs/perf-$i.txt"
      perf_stdout="$out/logs/perf-$i.stdout"
      driver_command "$i" mmsg "$PERF_SIZE" "$PERF_BATCH" "$run_seconds" 0 1
      echo "# perf stat -x, -e $PERF_EVENTS -- ${DRIVER[*]}" > "$out/logs/perf-$i.log"
      rc=0
      timeout -k 5 "$cell_limit_s" perf stat -x, -o "$perf_out" -e "$PERF_EVENTS" -- "${DRIVER[@]}" \
        > "$perf_stdout" 2>> "$out/logs/perf-$i.log" || rc=$?
      result="$(grep -m1 '^RESULT ' "$perf_stdout" || true)"
      if [ "$rc" != 0 ] || [ -z "$result" ]; then
        echo "failed (exit $rc; see logs/perf-$i.log)" >&2
        continue
      fi
      counts="$(awk -F, '$3 ~ /^syscalls:sys_enter_/ { name = $3; sub(/^syscalls:sys_enter_/, "", name); v = ($1 ~ /^[0-9]+$/) ? $1 : 0; printf " %s=%s", name, v }' "$perf_out")"
      tx="$(echo "$result" | sed -n 's/.* tx_datagrams=\([0-9]*\).*/\1/p')"
      rx="$(echo "$result" | sed -n 's/.* rx_datagrams=\([0-9]*\).*/\1/p')"
      echo "PERF impl=$i mode=mmsg size=$PERF_SIZE batch=$PERF_BATCH tx_datagrams=$tx rx_datagrams=$rx$counts" >> "$raw"
      echo "tx_datagrams=$tx rx_datagrams=$rx$counts" >&2
    done
  fi
fi
[ "$interrupted" = 0 ] || perf_note="$perf_note; run interrupted, partial results"

# --- report --------------------------------------------------------------------------------------
finished=""
[ "$interrupted" = 0 ] || finished=" (interrupted after $done_cells of $total cells)"
write_meta "$finished" "$perf_note"
"$JAVA" -Djava.awt.headless=true -cp "$REPORT_CLASSES" dev.salvo.bench.report.BenchReport \
  --raw "$raw" --meta "$meta" --out "$out"
note "done in $(fmt_duration $(( $(date +%s) - started_epoch ))): $out/results.md, results.csv, results.png"
[ "$interrupted" = 0 ] || exit 130
