#!/usr/bin/env bash
# Runs Salvo's JMH micro-benchmarks (crypto, I/O and per-message transport allocation) on JDK 17 and, where installed, JDK 25, with the
# GC profiler, and writes each run's text and JSON output under bench-results/jmh-<UTC time>/.
#
#   scripts/run_jmh.sh                      # every suite below, both JDKs (~30 minutes on 2 cores)
#   scripts/run_jmh.sh PacketSealBenchmark  # one JMH include pattern
#   JDKS=/usr/lib/jvm/java-17-openjdk-amd64 scripts/run_jmh.sh   # one JDK
#
# Run on an otherwise idle machine: the figures go into docs/BENCHMARKS.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

OPENS="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED"
JAR="$ROOT/bench/target/salvo-bench.jar"
SUITES=("${@:-AeadImplementationBenchmark PacketSealBenchmark KeyUpdateBenchmark HandshakeBenchmark DatagramIoBenchmark MessageSendBenchmark}")
read -r -a SUITES <<< "${SUITES[*]}"
DEFAULT_JDKS="/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64"
read -r -a JDK_LIST <<< "${JDKS:-$DEFAULT_JDKS}"

if [ ! -f "$JAR" ]; then
  echo "run_jmh: building $JAR" >&2
  ./mvnw -B -q -DskipTests package
fi

OUT="$ROOT/bench-results/jmh-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "kernel: $(uname -r)"
  echo "cores: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"

for jdk in "${JDK_LIST[@]}"; do
  if [ ! -x "$jdk/bin/java" ]; then
    echo "run_jmh: no JDK at $jdk, skipped" >&2
    continue
  fi
  tag="$(basename "$jdk")"
  "$jdk/bin/java" -version 2>&1 | head -1 | sed "s/^/$tag: /" >> "$OUT/machine.txt"
  for suite in "${SUITES[@]}"; do
    echo "run_jmh: $suite on $tag" >&2
    # -jvmArgsAppend reaches the forked JVMs, which run the benchmarks.
    timeout 1800 "$jdk/bin/java" $OPENS -jar "$JAR" "$suite" -prof gc \
      -jvmArgsAppend "$OPENS" -rf json -rff "$OUT/$suite-$tag.json" \
      > "$OUT/$suite-$tag.txt" 2>&1 || echo "run_jmh: $suite on $tag failed (see $OUT/$suite-$tag.txt)" >&2
    sed -n '/^Benchmark/,$p' "$OUT/$suite-$tag.txt" | grep -v 'gc\.\(count\|time\|alloc\.rate \)' >&2 || true
  done
done
echo "run_jmh: results in $OUT" >&2
