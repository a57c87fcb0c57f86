#!/usr/bin/env bash
# Salvo's link benchmarks (issue 5): congestion control on a real bottleneck. Needs root and Linux.
# Two network namespaces joined by a veth; the sender's egress is shaped by
#   tc qdisc replace dev D root tbf rate R burst B latency 100ms
# and both ends split GSO trains on transmit (ethtool -K D tx-udp-segmentation off), so nft acts on single
# datagrams. (tbf does not: the software segmentation runs after the qdisc, so the sender's tbf queues and drops
# whole trains up to its burst; its byte counts are right. The routed reference rows below shape per datagram.) Peers: dev.salvo.bench.link.LinkPeers (one JVM per side; one Transport per flow, 16 KiB
# messages, samples every 100 ms). Scenarios, per rate (default 100mbit and 1gbit):
#   single      one connection                                   bar: utilisation >= 90%, retransmitted < 1%
#   fair        two connections (two sender transports)          bar: Jain's index >= 0.95
#   background  a background connection (-Dsalvo.transport.congestionControl=background), a default one joins
#                                                                bar: default's share of the link >= 80%
#   loss        one connection, nft random loss 1% and 5% each way (100mbit by default)
#                                                                bar: all delivered, no stall > 1 s, >= 50% of the CUBIC model
# Reference rows (not judged; --tcp-baseline adds them all), per rate and per queue of $REF_TBF_LATENCIES, two flows
# planned as in fair (same window, same Jain computation):
#   fair-ref     Salvo, on the same veth (tbf on the sender's egress)
#   fair-tcp     the kernel's TCP CUBIC (dev.salvo.bench.link.LinkTcpPeers), on the same veth: congctl cubic on the
#                route, TSO/GSO off. TCP Small Queues caps each socket's bytes below it (in qdiscs and veths of this
#                host, until the skb is freed) at max(2 GSO skbs, ~1 ms at its pacing rate), so the queue never fills.
#   fair-routed  Salvo and kernel TCP CUBIC through a router namespace (sender - router - receiver, tbf on the
#                router's egress, GRO on its ingress): IP receive at the router orphans the skb, so TCP's queue
#                there is a drop-tail queue as it is for Salvo's datagrams.
# Writes bench-results/<UTC timestamp>/results.md (table + details), <scenario>.png (throughput and cwnd over
# time), meta.txt, scenarios.txt and <scenario>/ (peer logs with every sample). Default run: about 3 minutes.
# Every JVM is bounded by timeout(1); the namespaces are deleted on exit (trap), also after ^C or a failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

JAR="$ROOT/bench/target/salvo-bench.jar"
PEERS="dev.salvo.bench.link.LinkPeers"
TCP_PEERS="dev.salvo.bench.link.LinkTcpPeers"
REPORT="dev.salvo.bench.link.LinkReport"
BUILD_TIMEOUT_S=1200
PORT=7420
TBF_LATENCY="100ms"
# The fairness scenarios use a 20 ms queue: through 100 ms two CUBIC flows that left slow start at different
# windows can keep their ratio for the whole run (epochs of ~9 s at 100 Mbit/s, losses in the same rounds).
FAIR_TBF_LATENCY="20ms"
# Queues of the reference rows (fair-ref, fair-tcp, fair-routed): the fair scenarios' queue and the other scenarios' queue.
REF_TBF_LATENCIES="20ms 100ms"

rates="100mbit 1gbit" loss_rates="100mbit" losses="1 5" only="single fair background loss" out="" build=1 quick=0 tcp_baseline=0

usage() {
  cat <<EOF
usage: scripts/run_link_benchmarks.sh [options]      (as root, on Linux)

  --rates LIST       tbf rates for single/fair/background (default: $rates)
  --loss-rates LIST  tbf rates for the loss scenarios (default: $loss_rates)
  --losses LIST      loss percentages, each way (default: $losses)
  --only LIST        subset of: single fair background loss fair-ref fair-tcp fair-routed (comma or space separated)
  --tcp-baseline     add the reference rows fair-ref, fair-tcp and fair-routed (two Salvo / two kernel TCP CUBIC
                     flows through queues of $REF_TBF_LATENCIES, on the veth and behind a router; not judged)
  --quick            shorter flows (sanity only, about 1.5 minutes)
  --out DIR          output directory (default: bench-results/<UTC timestamp>/)
  --no-build         never build; fail if the jar is missing
  -h, --help         this text

Environment: JAVA_HOME selects the JDK (else java on PATH); SALVO_BENCH_JAVA_OPTS adds JVM flags to every peer.
EOF
}
die() { echo "run_link_benchmarks: $*" >&2; exit 2; }
note() { echo "run_link_benchmarks: $*" >&2; }

original_args="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --rates) [ $# -ge 2 ] || die "$1 needs a value"; rates="$(echo "$2" | tr ',' ' ')"; shift ;;
    --loss-rates) [ $# -ge 2 ] || die "$1 needs a value"; loss_rates="$(echo "$2" | tr ',' ' ')"; shift ;;
    --losses) [ $# -ge 2 ] || die "$1 needs a value"; losses="$(echo "$2" | tr ',' ' ')"; shift ;;
    --only) [ $# -ge 2 ] || die "$1 needs a value"; only="$(echo "$2" | tr ',' ' ')"; shift ;;
    --quick) quick=1 ;;
    --tcp-baseline) tcp_baseline=1 ;;
    --out) [ $# -ge 2 ] || die "$1 needs a value"; out="$2"; shift ;;
    --no-build) build=0 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
  shift
done
[ "$tcp_baseline" = 1 ] && only="$only fair-ref fair-tcp fair-routed"
for o in $only; do case "$o" in single|fair|background|loss|fair-ref|fair-tcp|fair-routed) ;; *) die "--only: unknown '$o'" ;; esac; done
for r in $rates $loss_rates; do [[ "$r" =~ ^[0-9]+(k|m|g)bit$ ]] || die "rate '$r' is not like 100mbit or 1gbit"; done
for l in $losses; do [[ "$l" =~ ^[0-9]+$ ]] && [ "$l" -ge 1 ] && [ "$l" -le 50 ] || die "--losses: '$l' is not in 1..50"; done

[ "$(uname -s)" = Linux ] || { echo "run_link_benchmarks: needs Linux (network namespaces, tc, nft)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run_link_benchmarks: needs root (it makes network namespaces, veths, tc qdiscs and nft rules); try: sudo $0 $original_args" >&2; exit 1; }
for tool in ip tc nft ethtool timeout ss sysctl; do
  command -v "$tool" >/dev/null || { echo "run_link_benchmarks: '$tool' is missing (iproute2, nftables, ethtool, coreutils)" >&2; exit 1; }
done
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="$(command -v java || true)"; fi
[ -n "$JAVA" ] || die "no java found (set JAVA_HOME or put a JDK on PATH)"

if [ "$quick" = 1 ]; then
  single_ms=6000 single_skip=2000 fair_ms=10000 fair_skip=3000 bg_ms=8000 bg_skip=2000 loss_ms=6000 loss_skip=2000
else
  single_ms=12000 single_skip=2000 fair_ms=20000 fair_skip=4000 bg_ms=15000 bg_skip=3000 loss_ms=10000 loss_skip=2000
fi

stale() { local target="$1"; shift; [ -e "$target" ] || return 0; [ -n "$(find "$@" -type f -newer "$target" -print -quit 2>/dev/null)" ]; }
if stale "$JAR" java/src/main bench/src/main native pom.xml java/pom.xml bench/pom.xml CMakeLists.txt; then
  [ "$build" = 1 ] || die "--no-build: $JAR is missing or older than the sources"
  note "building: ./mvnw -B -q -DskipTests package"
  timeout "$BUILD_TIMEOUT_S" ./mvnw -B -q -DskipTests package || die "the Maven build failed"
fi
[ -f "$JAR" ] || die "$JAR was not built"

[ -n "$out" ] || out="$ROOT/bench-results/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
: > "$out/scenarios.txt"
started_epoch=$(date +%s)
{
  echo "Date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "JDK=$("$JAVA" -version 2>&1 | head -n 2 | paste -sd ';' - | sed 's/; */; /')"
  echo "Kernel=$(uname -r)"
  echo "Cores=$(nproc)"
  echo "CPU=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || uname -m)"
  echo "Load average at start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
  echo "Command=scripts/run_link_benchmarks.sh${original_args:+ $original_args}"
  echo "Link=veth, sender egress tbf latency $TBF_LATENCY ($FAIR_TBF_LATENCY for fair-<rate>; reference rows fair-ref/tcp/routed: the queue in their name), GSO segmented on transmit; acknowledgements unshaped"
  echo "Congestion control=${SALVO_BENCH_JAVA_OPTS:-library default}"
} > "$out/meta.txt"

read -r -a java_opts <<< "${SALVO_BENCH_JAVA_OPTS:-}"
NS_S="salvo-link-$$-s" NS_R="salvo-link-$$-r" DEV_S="slk$$s" DEV_R="slk$$r"
DEV_S="${DEV_S:0:15}" DEV_R="${DEV_R:0:15}"
ADDR_S=10.202.0.1 ADDR_R=10.202.0.2
# Routed reference rows: sender 10.202.0.1/30 - .2/30 router .5/30 - receiver .6/30; tbf on the router's DEV_M2.
NS_M="salvo-link-$$-m" DEV_M1="slk$$m1" DEV_M2="slk$$m2" ADDR_M1=10.202.0.2 ADDR_M2=10.202.0.5 ADDR_R_ROUTED=10.202.0.6
DEV_M1="${DEV_M1:0:15}" DEV_M2="${DEV_M2:0:15}"
pids=()
# Set by the reference rows around run_flows: peers class, queue bound, kernel-TCP link settings.
flow_peers="$PEERS" flow_latency="" link_tcp=0 link_routed=0
# Where the tbf is (link_state reads its counters) and where the receiver listens; set by setup_link/setup_routed.
SHAPED_NS="$NS_S" SHAPED_DEV="$DEV_S" peer_addr="$ADDR_R"

teardown() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
  ip netns del "$NS_S" 2>/dev/null || true
  ip netns del "$NS_R" 2>/dev/null || true
  ip netns del "$NS_M" 2>/dev/null || true
}
trap 'teardown' EXIT
trap 'note "interrupted; cleaning up"; teardown; exit 130' INT TERM

# setup_link RATE BURST LOSS_PERCENT: fresh namespaces, veth 10.202.0.1 <-> .2, tbf on the sender's egress.
setup_link() {
  local rate="$1" burst="$2" loss="$3" ns
  teardown
  ip netns add "$NS_S"; ip netns add "$NS_R"
  for ns in "$NS_S" "$NS_R"; do ip -n "$ns" link set lo up; done
  ip link add "$DEV_S" netns "$NS_S" type veth peer name "$DEV_R" netns "$NS_R"
  ip -n "$NS_S" addr add "$ADDR_S/30" dev "$DEV_S"; ip -n "$NS_R" addr add "$ADDR_R/30" dev "$DEV_R"
  ip -n "$NS_S" link set "$DEV_S" up; ip -n "$NS_R" link set "$DEV_R" up
  ip netns exec "$NS_S" ethtool -K "$DEV_S" tx-udp-segmentation off >/dev/null
  ip netns exec "$NS_R" ethtool -K "$DEV_R" tx-udp-segmentation off >/dev/null
  if [ "$link_tcp" = 1 ]; then
    # Kernel TCP reference: CUBIC explicitly, on the route (a new namespace inherits the host's default, e.g.
    # bbr, and may set its default only to one of the host's tcp_allowed_congestion_control: EPERM otherwise),
    # no cached metrics, buffers that let a window reach the deep queue (1 Gbit/s x 100 ms = 12.5 MB), and no
    # TSO/GSO so tbf sees single segments as it sees single datagrams.
    ip -n "$NS_S" route replace 10.202.0.0/30 dev "$DEV_S" proto kernel scope link src "$ADDR_S" congctl lock cubic
    ip -n "$NS_R" route replace 10.202.0.0/30 dev "$DEV_R" proto kernel scope link src "$ADDR_R" congctl lock cubic
    for ns in "$NS_S" "$NS_R"; do
      ip netns exec "$ns" sysctl -qw net.ipv4.tcp_no_metrics_save=1 \
        net.ipv4.tcp_wmem="4096 16384 67108864" net.ipv4.tcp_rmem="4096 131072 67108864"
    done
    ip netns exec "$NS_S" ethtool -K "$DEV_S" tso off gso off >/dev/null
    ip netns exec "$NS_R" ethtool -K "$DEV_R" tso off gso off >/dev/null
  fi
  ip netns exec "$NS_S" tc qdisc replace dev "$DEV_S" root tbf rate "$rate" burst "$burst" latency "$TBF_LATENCY"
  SHAPED_NS="$NS_S" SHAPED_DEV="$DEV_S" peer_addr="$ADDR_R"
  if [ "$loss" -gt 0 ]; then
    for ns in "$NS_S" "$NS_R"; do
      ip netns exec "$ns" nft -f - <<EOF
table inet salvo_loss {
  chain ingress_loss { type filter hook input priority 0; policy accept;
    meta l4proto udp numgen random mod 100 < $loss counter drop
  }
}
EOF
    done
  fi
}

# setup_routed RATE BURST: sender - router - receiver namespaces, tbf on the router's egress toward the receiver,
# every veth end without segmentation offloads; with link_tcp=1 the TCP settings of setup_link.
setup_routed() {
  local rate="$1" burst="$2" ns dev pair
  teardown
  for ns in "$NS_S" "$NS_M" "$NS_R"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
  ip link add "$DEV_S" netns "$NS_S" type veth peer name "$DEV_M1" netns "$NS_M"
  ip link add "$DEV_M2" netns "$NS_M" type veth peer name "$DEV_R" netns "$NS_R"
  ip -n "$NS_S" addr add "$ADDR_S/30" dev "$DEV_S"; ip -n "$NS_M" addr add "$ADDR_M1/30" dev "$DEV_M1"
  ip -n "$NS_M" addr add "$ADDR_M2/30" dev "$DEV_M2"; ip -n "$NS_R" addr add "$ADDR_R_ROUTED/30" dev "$DEV_R"
  for pair in "$NS_S $DEV_S" "$NS_M $DEV_M1" "$NS_M $DEV_M2" "$NS_R $DEV_R"; do
    read -r ns dev <<< "$pair"
    ip -n "$ns" link set "$dev" up
    ip netns exec "$ns" ethtool -K "$dev" tso off gso off tx-udp-segmentation off >/dev/null
  done
  ip netns exec "$NS_M" sysctl -qw net.ipv4.ip_forward=1
  # GRO on the router's ingress: forwarding TCP segment by segment does not keep up with 1 Gbit/s on 2 cores (the
  # queue stayed empty, losses came from the CPU); aggregates (<= 64 KB) reach tbf instead, which counts their bytes.
  # It does not merge UDP datagrams (rx-udp-gro-forwarding stays off): Salvo is forwarded per datagram.
  ip netns exec "$NS_M" ethtool -K "$DEV_M1" gro on >/dev/null
  local congctl=()
  if [ "$link_tcp" = 1 ]; then
    congctl=(congctl lock cubic)
    for ns in "$NS_S" "$NS_R"; do
      ip netns exec "$ns" sysctl -qw net.ipv4.tcp_no_metrics_save=1 \
        net.ipv4.tcp_wmem="4096 16384 67108864" net.ipv4.tcp_rmem="4096 131072 67108864"
    done
  fi
  ip -n "$NS_S" route add "$ADDR_R_ROUTED/32" via "$ADDR_M1" "${congctl[@]}"
  ip -n "$NS_R" route add "$ADDR_S/32" via "$ADDR_M2" "${congctl[@]}"
  ip netns exec "$NS_M" tc qdisc replace dev "$DEV_M2" root tbf rate "$rate" burst "$burst" latency "$TBF_LATENCY"
  SHAPED_NS="$NS_M" SHAPED_DEV="$DEV_M2" peer_addr="$ADDR_R_ROUTED"
}

# start NS LOG LIMIT_S MAIN [JVM_OPTS... --] ARGS...: a bounded peer JVM in the background; its pid in $started.
start() {
  local ns="$1" log="$2" limit="$3" main="$4"; shift 4
  local jvm=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do jvm+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  echo "# ip netns exec $ns java ${java_opts[*]} ${jvm[*]} $main $*" > "$log"
  timeout -k 5 "$limit" ip netns exec "$ns" "$JAVA" --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -Xmx512m \
    -XX:+UseSerialGC "${java_opts[@]}" "${jvm[@]}" -cp "$JAR" "$main" "$@" >> "$log" 2>&1 &
  started=$!
  pids+=("$started")
}

# await_line LOG PREFIX SECONDS: polls the log (bounded) for a line starting with PREFIX.
await_line() {
  local log="$1" prefix="$2" seconds="$3" i
  for ((i = 0; i < seconds * 10; i++)); do
    grep -q "^$prefix" "$log" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# link_state FILE: the sender's qdisc counters (drops, overlimits) and link settings, after a scenario.
link_state() {
  {
    echo "# ip netns exec $SHAPED_NS tc -s qdisc show dev $SHAPED_DEV"
    ip netns exec "$SHAPED_NS" tc -s qdisc show dev "$SHAPED_DEV" 2>&1 || true
    echo "# ip netns exec $NS_S ethtool -k $DEV_S (segmentation)"
    ip netns exec "$NS_S" ethtool -k "$DEV_S" 2>&1 | grep -E 'segmentation|generic-receive' || true
    echo "# ip netns exec $NS_S sysctl"
    ip netns exec "$NS_S" sysctl net.ipv4.tcp_congestion_control net.ipv4.tcp_limit_output_bytes net.ipv4.tcp_wmem 2>&1 || true
    echo "# ip -n $NS_S route"
    ip -n "$NS_S" route 2>&1 || true
  } > "$1"
}

scenario_dir() { local dir="$out/$1"; mkdir -p "$dir"; echo "$1" >> "$out/scenarios.txt"; echo "$dir"; }
burst_of() { case "$1" in *gbit) echo 256kb ;; *) echo 64kb ;; esac; }
bps_of() {
  local n="${1%%[kmg]bit}"
  case "$1" in *kbit) echo $((n * 1000)) ;; *mbit) echo $((n * 1000000)) ;; *gbit) echo $((n * 1000000000)) ;; esac
}
properties() { # properties DIR KIND RATE DURATION_MS SKIP_MS LOSS DESCRIPTION
  printf 'kind=%s\nrate=%s\nrateBps=%s\ndurationMs=%s\nskipMs=%s\nlossPercent=%s\ntbf=burst %s latency %s\ndescription=%s\n' \
    "$2" "$3" "$(bps_of "$3")" "$4" "$5" "$6" "$(burst_of "$3")" "$TBF_LATENCY" "$7" > "$1/scenario.properties"
  printf 'queue=%s\npeers=%s\ntopology=%s\n' "$TBF_LATENCY" "$([ "$link_tcp" = 1 ] && echo 'kernel TCP cubic' || echo salvo)" \
    "$([ "$link_routed" = 1 ] && echo 'routed (tbf on the router)' || echo 'veth (tbf on the sender)')" >> "$1/scenario.properties"
}

# run_flows NAME KIND RATE LOSS FLOWS DURATION_MS SKIP_MS PLAN DESCRIPTION: one receiver, one sender JVM.
run_flows() {
  local name="$1" kind="$2" rate="$3" loss="$4" flows="$5" duration="$6" skip="$7" plan="$8" description="$9" dir rx tx
  local TBF_LATENCY="$TBF_LATENCY" # seen by properties and setup_link below
  [ "$kind" = fair ] && TBF_LATENCY="$FAIR_TBF_LATENCY"
  [ -n "$flow_latency" ] && TBF_LATENCY="$flow_latency"
  dir="$(scenario_dir "$name")"
  properties "$dir" "$kind" "$rate" "$duration" "$skip" "$loss" "$description"
  printf '%-24s ... ' "$name" >&2
  if [ "$link_routed" = 1 ]; then setup_routed "$rate" "$(burst_of "$rate")"; else setup_link "$rate" "$(burst_of "$rate")" "$loss"; fi
  local limit=$(( duration / 1000 + 100 ))
  start "$NS_R" "$dir/receiver.log" "$limit" "$flow_peers\$Receiver" -- "$peer_addr" "$PORT" "$flows" "$limit"; rx=$started
  await_line "$dir/receiver.log" READY 60 || { echo "FAIL (receiver did not start)" >&2; teardown; return 0; }
  start "$NS_S" "$dir/sender.log" "$limit" "$flow_peers\$Sender" -- "$peer_addr" "$PORT" "$plan"; tx=$started
  wait "$tx" || true
  local i
  for ((i = 0; i < 300; i++)); do kill -0 "$rx" 2>/dev/null || break; sleep 0.1; done
  link_state "$dir/link.txt"
  grep -h '^SENDER_DONE\|^RECEIVER_DONE' "$dir"/*.log | tr '\n' ' ' >&2; echo >&2
  teardown
}

# run_background NAME RATE: a background sender JVM alone, then a default sender JVM joins.
run_background() {
  local name="$1" rate="$2" dir rx bg fg
  dir="$(scenario_dir "$name")"
  properties "$dir" background "$rate" "$bg_ms" "$bg_skip" 0 \
    "a background connection (congestionControl=background) alone, then a default one joins"
  printf '%-24s ... ' "$name" >&2
  setup_link "$rate" "$(burst_of "$rate")" 0
  local limit=$(( bg_ms / 1000 + 100 ))
  start "$NS_R" "$dir/receiver.log" "$limit" "$PEERS\$Receiver" -- "$ADDR_R" "$PORT" 2 "$limit"; rx=$started
  await_line "$dir/receiver.log" READY 60 || { echo "FAIL (receiver did not start)" >&2; teardown; return 0; }
  start "$NS_S" "$dir/sender-background.log" "$limit" "$PEERS\$Sender" -Dsalvo.transport.congestionControl=background -- \
    "$ADDR_R" "$PORT" "0:0:$(( bg_ms + 60000 ))"; bg=$started
  await_line "$dir/sender-background.log" SENDING 60 || { echo "FAIL (background sender did not start)" >&2; teardown; return 0; }
  start "$NS_S" "$dir/sender-default.log" "$limit" "$PEERS\$Sender" -- "$ADDR_R" "$PORT" "1:3000:$bg_ms"; fg=$started
  wait "$fg" || true
  kill -TERM "$bg" 2>/dev/null || true
  wait "$bg" 2>/dev/null || true
  grep -h '^SENDER_DONE' "$dir"/sender-default.log | tr '\n' ' ' >&2; echo >&2
  teardown
}

want() { [[ " $only " == *" $1 "* ]]; }
for rate in $rates; do
  want single && run_flows "single-$rate" single "$rate" 0 1 "$single_ms" "$single_skip" "0:0:$single_ms" "one connection"
  want fair && run_flows "fair-$rate" fair "$rate" 0 2 "$fair_ms" "$fair_skip" "0:0:$fair_ms,1:0:$fair_ms" \
    "two connections, two sender transports in one JVM, started together"
  want background && run_background "background-$rate" "$rate"
  for queue in $REF_TBF_LATENCIES; do
    ref_plan="0:0:$fair_ms,1:0:$fair_ms"
    if want fair-ref; then
      flow_latency="$queue"
      run_flows "fair-ref-$rate-$queue" fair-ref "$rate" 0 2 "$fair_ms" "$fair_skip" "$ref_plan" \
        "reference: two Salvo connections as in fair, through a $queue queue"
    fi
    if want fair-tcp; then
      flow_peers="$TCP_PEERS" flow_latency="$queue" link_tcp=1
      run_flows "fair-tcp-$rate-$queue" fair-ref "$rate" 0 2 "$fair_ms" "$fair_skip" "$ref_plan" \
        "reference: two kernel TCP CUBIC connections as in fair, through a $queue queue"
    fi
    if want fair-routed; then
      flow_peers="$PEERS" flow_latency="$queue" link_tcp=0 link_routed=1
      run_flows "fair-routed-salvo-$rate-$queue" fair-ref "$rate" 0 2 "$fair_ms" "$fair_skip" "$ref_plan" \
        "reference: two Salvo connections through a router's $queue queue"
      flow_peers="$TCP_PEERS" link_tcp=1
      run_flows "fair-routed-tcp-$rate-$queue" fair-ref "$rate" 0 2 "$fair_ms" "$fair_skip" "$ref_plan" \
        "reference: two kernel TCP CUBIC connections through a router's $queue queue"
    fi
    flow_peers="$PEERS" flow_latency="" link_tcp=0 link_routed=0
  done
done
if want loss; then
  for rate in $loss_rates; do
    for loss in $losses; do
      run_flows "loss$loss-$rate" loss "$rate" "$loss" 1 "$loss_ms" "$loss_skip" "0:0:$loss_ms" \
        "one connection, nft random loss $loss% each way"
    done
  done
fi

echo "Duration=$(( $(date +%s) - started_epoch ))s" >> "$out/meta.txt"
"$JAVA" -Djava.awt.headless=true -cp "$JAR" "$REPORT" "$out"
note "done in $(( $(date +%s) - started_epoch ))s: $out/results.md"
