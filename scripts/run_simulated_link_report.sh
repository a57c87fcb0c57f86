#!/usr/bin/env bash
# Prints the simulated-link table (issue 5's long-RTT / high-BDP scenarios: utilisation, fairness,
# background yield, random loss, jitter, reordering; one row per scenario and controller) from
# dev.salvo.transport.sim.SimulatedLinkReport, and saves it under bench-results/simlink-<UTC time>.md,
# with each run's time series (goodput, cwnd, in flight, srtt per flow; link utilisation, queue) as
# CSV files in bench-results/simlink-<UTC time>/.
# Virtual time: the figures do not depend on the machine's speed or load (the wall-time column does).
#
#   scripts/run_simulated_link_report.sh           # every scenario (~1 minute on 2 cores)
#   scripts/run_simulated_link_report.sh loss      # scenarios whose name contains "loss"
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

./mvnw -B -q -pl java test-compile -Dsalvo.native.skip
CP_FILE="$ROOT/java/target/simlink-classpath.txt"
./mvnw -B -q -pl java dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$ROOT/bench-results/simlink-$STAMP.md"
mkdir -p "$(dirname "$OUT")"
java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -Dsimlink.csv="$ROOT/bench-results/simlink-$STAMP" \
  -cp "java/target/test-classes:java/target/classes:$(cat "$CP_FILE")" \
  dev.salvo.transport.sim.SimulatedLinkReport "$@" | tee "$OUT"
echo "saved: $OUT" >&2
