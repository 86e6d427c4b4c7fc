#!/usr/bin/env bash
# Issue 16, target 2: CPU per reading of CitySense against a count-only MQTTnet subscriber, in the same run, at fixed
# offered rates, through mosquitto (External mode, as in a cluster), cold and warm.
#   workloads  single: 10 000 single-reading messages/s; gateway: 100 000 readings/s in gateway messages of 100
#   receivers  A: the count-only subscriber (QoS 1 subscription; what a bare MQTTnet client costs per reading)
#              B: the silo in Mqtt:Mode=External on the same broker, rate limits off
#   cold       a fresh receiver: the window starts with the first message
#   warm       the same receiver after --warmup seconds of the same load, not counted
# CPU is the receiver process's user + system time from the start of the window until it has taken everything (the
# silo: ingest drained; the subscriber: its count stopped growing), over the readings it took in that time. Repeated
# --repeats times, each repetition measuring A and B back to back for every workload, so compare within a run.
#
# B runs the silo as deploy/Dockerfile builds it (published ReadyToRun); --build release runs the plain Release build.
# Warm means after 60 s of the load: a fresh silo's CPU per reading settles after about 40 s (warm-up.sh, RESULTS.md
# §35); with 15 s the "warm" rows were still paying for the JIT.
#
#   bash benchmarks/cpu-ratio.sh                                  # city shape, 12 s windows, 60 s warm-up, 1 repeat
#   bash benchmarks/cpu-ratio.sh --repeats 3 --seconds 15 --warmup 20
#   bash benchmarks/cpu-ratio.sh --variant 'delay 20 ms=--Ingest:BatchDelay=00:00:00.020'   # B with other settings
#   bash benchmarks/cpu-ratio.sh --variant default --variant 'other=--silo-dir=/tmp/other'  # B from another build
#   bash benchmarks/cpu-ratio.sh --variant pgo --variant 'no pgo=--env=DOTNET_TieredPGO=0'   # B with an environment variable
#   bash benchmarks/cpu-ratio.sh --shape small                    # 1 000 devices in 10 communities
#   bash benchmarks/cpu-ratio.sh --workloads gateway --temperatures warm   # one cell of the table
#   bash benchmarks/cpu-ratio.sh --gateway-rate 50000             # below the silo's capacity: no shedding, no backlog
#
# Needs /usr/sbin/mosquitto (apt-get install mosquitto), jq, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=benchmarks/lib.sh
source benchmarks/lib.sh
seconds=12
warmup=60
build=published
repeats=1
shape=city
variants=()
workloads="single gateway"
temperatures="cold warm"
single_rate=10000
gateway_rate=100000
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --shape) shape=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --variant) variants+=("$2"); shift 2 ;;
    --workloads) workloads=$2; shift 2 ;;
    --temperatures) temperatures=$2; shift 2 ;;
    --single-rate) single_rate=$2; shift 2 ;;
    --gateway-rate) gateway_rate=$2; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "cpu-ratio.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#variants[@]} -gt 0 ] || variants=("default")
city_shape "$shape" "" || exit 2
external_bench cpu-ratio.sh "$build"

# publish WORKLOAD SECONDS: the fixed offered load.
publish() {
  local mode=(--mode single --rate "$single_rate")
  [ "$1" = gateway ] && mode=(--mode gateway --gateway-size 100 --rate "$gateway_rate")
  "$loadgen" --port "$mqtt_port" "${mode[@]}" "${shape_args[@]}" --duration "$2" --qos 0 --publishers 4 --inflight 8 --quiet > /dev/null
}

# The subscriber's readings so far: the last progress line it printed.
subscriber_readings() { grep -o 'msgs *[0-9]* readings' "$work/sub.log" | tail -1 | awk '{print $2}'; }

# measure_a WORKLOAD TEMPERATURE -> "cpu_us_per_reading readings"
measure_a() {
  local warm=$2 sub c0 c1 r0 r1
  "$loadgen" --count-only-subscriber --port "$mqtt_port" --qos 1 --idle-exit 600 --duration 900 > "$work/sub.log" 2>&1 &
  sub=$!
  started+=("$sub")
  wait_until 30 "the count-only subscriber" grep -q subscribed "$work/sub.log"
  if [ "$warm" = warm ]; then publish "$1" "$warmup"; sleep 2; fi
  settle_subscriber
  r0=$(subscriber_readings); r0=${r0:-0}; c0=$(cpu_seconds "$sub")
  publish "$1" "$seconds"
  settle_subscriber
  r1=$(subscriber_readings); c1=$(cpu_seconds "$sub")
  kill -TERM "$sub" 2>/dev/null || true; wait "$sub" 2>/dev/null || true
  awk -v c0="$c0" -v c1="$c1" -v r0="$r0" -v r1="$r1" 'BEGIN{printf "%.2f %d\n", (c1 - c0) * 1e6 / (r1 - r0), r1 - r0}'
}

# Waits until the subscriber's count has not moved for 2 s (it prints once a second while receiving).
settle_subscriber() {
  local last=-1 now
  for _ in $(seq 1 120); do
    sleep 1
    now=$(subscriber_readings); now=${now:-0}
    if [ "$now" = "$last" ]; then sleep 1; now2=$(subscriber_readings); [ "${now2:-0}" = "$now" ] && return 0; fi
    last=$now
  done
}

# measure_b WORKLOAD TEMPERATURE SILO_ARGS... -> "cpu_us_per_reading readings readings_per_batch dropped"
measure_b() {
  local workload=$1 warm=$2
  shift 2
  local http_port silo c0 c1 a0 a1 b0 b1 d1
  start_external_silo "$silo_dir" "$work" "$@"
  health() { curl -s "http://127.0.0.1:$http_port/health"; }
  drained() {
    local x y
    x=$(health | jq -c '[.ingest.queuedBatches, .ingest.readingsApplied]'); sleep 0.5
    y=$(health | jq -c '[.ingest.queuedBatches, .ingest.readingsApplied]')
    [ "$x" = "$y" ] && [ "$(echo "$y" | jq '.[0]')" = 0 ]
  }
  if [ "$warm" = warm ]; then publish "$workload" "$warmup"; wait_until 60 "the warm-up to drain" drained; fi
  c0=$(cpu_seconds "$silo"); a0=$(health | jq .ingest.readingsApplied); b0=$(health | jq .ingest.batches)
  publish "$workload" "$seconds"
  wait_until 120 "the run to drain" drained
  c1=$(cpu_seconds "$silo"); a1=$(health | jq .ingest.readingsApplied); b1=$(health | jq .ingest.batches); d1=$(health | jq .ingest.droppedMessages)
  kill -TERM "$silo"; wait "$silo" 2>/dev/null || true
  awk -v c0="$c0" -v c1="$c1" -v a0="$a0" -v a1="$a1" -v b0="$b0" -v b1="$b1" -v d="$d1" \
    'BEGIN{printf "%.2f %d %.0f %d\n", (c1 - c0) * 1e6 / (a1 - a0), a1 - a0, (a1 - a0) / (b1 - b0), d}'
}

echo "CPU per reading at fixed offered rates, External mode through mosquitto, shape $shape (${shape_args[*]}),"
echo "single: $single_rate single-reading messages/s; gateway: $gateway_rate readings/s in messages of 100;"
echo "${seconds} s windows, ${warmup} s warm-up for warm, silo build: $build; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| workload | receiver | A subscriber us/reading | B silo us/reading | B/A | readings (A, B) | B readings/batch | B dropped |"
echo "|---|---|---:|---:|---:|---|---:|---:|"
for _ in $(seq 1 "$repeats"); do
  for workload in $workloads; do
    for warm in $temperatures; do
      read -r a_us a_n <<< "$(measure_a "$workload" "$warm")"
      for variant in "${variants[@]}"; do
        name=${variant%%=*}
        args=()
        [ "$variant" != "$name" ] && read -r -a args <<< "${variant#*=}"
        read -r b_us b_n b_batch b_drop <<< "$(measure_b "$workload" "$warm" "${args[@]}")"
        awk -v w="$workload" -v t="$warm" -v n="$name" -v a="$a_us" -v b="$b_us" -v an="$a_n" -v bn="$b_n" -v bb="$b_batch" -v bd="$b_drop" \
          'BEGIN{printf "| %s | %s, %s | %.2f | %.2f | %.2f | %d, %d | %d | %d |\n", w, t, n, a, b, b / a, an, bn, bb, bd}'
      done
    done
  done
done
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
