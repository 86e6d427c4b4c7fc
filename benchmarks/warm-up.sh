#!/usr/bin/env bash
# How long a fresh silo takes to reach its steady CPU per reading (issue 16, target 2: what "warm" means). A fresh silo
# in Mqtt:Mode=External behind mosquitto gets a fixed offered load from its first second; every --step seconds the
# script prints the silo's CPU per reading applied in that step and the messages it shed so far. The JIT and tiered
# PGO's instrumented code are what a young silo pays for: compare the steps, and builds or settings within one run.
#
#   bash benchmarks/warm-up.sh                                   # gateway messages, 100 000 readings/s, 120 s, city shape
#   bash benchmarks/warm-up.sh --mode single --rate 10000
#   bash benchmarks/warm-up.sh --variant r2r --variant 'jit=--silo-dir=src/Silo/bin/Release/net10.0'   # another build
#   bash benchmarks/warm-up.sh --variant pgo --variant 'no pgo=--env=DOTNET_TieredPGO=0'
#
# The silo runs as deploy/Dockerfile builds it (published ReadyToRun); --build release runs the plain Release build.
# A variant is NAME or NAME=ARGS: --silo-dir=DIR (run the silo from DIR, e.g. a ReadyToRun `dotnet publish` output),
# --env=NAME=VALUE (an environment variable of the silo), and silo arguments.
# Needs /usr/sbin/mosquitto (apt-get install mosquitto), jq, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=benchmarks/lib.sh
source benchmarks/lib.sh
seconds=120
step=10
mode=gateway
rate=100000
shape=city
build=published
variants=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --step) step=$2; shift 2 ;;
    --mode) mode=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --shape) shape=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --variant) variants+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "warm-up.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#variants[@]} -gt 0 ] || variants=("default")
city_shape "$shape" "" || exit 2
external_bench warm-up.sh "$build"

load=(--mode single --rate "$rate")
[ "$mode" = gateway ] && load=(--mode gateway --gateway-size 100 --rate "$rate")

# run_variant ARGS...: one fresh silo, one row of steps.
run_variant() {
  local http_port silo pub
  start_external_silo "$silo_dir" "$work" "$@"
  health() { curl -s "http://127.0.0.1:$http_port/health"; }
  "$loadgen" --port "$mqtt_port" "${load[@]}" "${shape_args[@]}" --duration "$seconds" --qos 0 --publishers 4 --inflight 8 --quiet > /dev/null &
  pub=$!
  local c0 a0 c1 a1 h row=""
  c0=$(cpu_seconds "$silo"); a0=$(health | jq .ingest.readingsApplied)
  for _ in $(seq 1 $((seconds / step))); do
    sleep "$step"
    c1=$(cpu_seconds "$silo"); h=$(health); a1=$(echo "$h" | jq .ingest.readingsApplied)
    row+=$(awk -v c0="$c0" -v c1="$c1" -v a0="$a0" -v a1="$a1" -v d="$(echo "$h" | jq .ingest.droppedMessages)" \
      'BEGIN{ if (a1 > a0) printf " %.1f (%d) |", (c1 - c0) * 1e6 / (a1 - a0), d; else printf " - (%d) |", d }')
    c0=$c1; a0=$a1
  done
  wait "$pub" 2>/dev/null || true
  kill -TERM "$silo"; wait "$silo" 2>/dev/null || true
  echo "$row"
}

echo "A fresh silo's CPU per reading applied, µs, in each ${step} s step (messages shed so far in brackets);"
echo "External mode through mosquitto, $mode messages at $rate readings/s, shape $shape (${shape_args[*]}), silo build: $build."
echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
header="| variant |"; rule="|---|"
for i in $(seq 1 $((seconds / step))); do header+=" $((i * step)) s |"; rule+="---:|"; done
echo "$header"; echo "$rule"
for variant in "${variants[@]}"; do
  name=${variant%%=*}
  vargs=()
  [ "$variant" != "$name" ] && read -r -a vargs <<< "${variant#*=}"
  echo "| $name |$(run_variant "${vargs[@]}")"
done
echo
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
