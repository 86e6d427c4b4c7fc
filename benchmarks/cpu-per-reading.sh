#!/usr/bin/env bash
# CPU the silo spends per reading at a fixed rate: what a setting or a change costs, without the noise of a
# saturated machine (a paced load leaves the rate fixed, so only the silo's CPU moves). External mode through
# mosquitto, single-reading messages from a city (--shape city, the default: 10 000 devices in 100 communities, a city's
# mix of kinds; --shape small: 1 000 devices in 10 communities), as in compare.sh's B; a warm-up, then the
# measured run; prints the silo's CPU (user + system) over readings applied, and readings per ingest batch.
# Variants are measured one after another in one run, each on a fresh silo, and repeated --repeats times interleaved
# (A B A B ...), so compare them within a run.
#
#   bash benchmarks/cpu-per-reading.sh                                   # defaults: 30 000/s, 5 s warm-up, 12 s
#   bash benchmarks/cpu-per-reading.sh --rate 20000 --repeats 3 \
#     --variant 'default' \
#     --variant 'live every batch=--Live:AreaInterval=00:00:00'          # NAME=SILO ARGS (space separated)
#   DOTNET_TieredPGO=1 bash benchmarks/cpu-per-reading.sh                # runtime settings: the silo inherits them
#   bash benchmarks/cpu-per-reading.sh --embedded                        # compare.sh's C instead: the embedded broker,
#                                                                        # gateway messages of 100, 500 000 readings/s
#   bash benchmarks/cpu-per-reading.sh --variant 'before=--silo-dir /tmp/old/src/Silo/bin/Release/net10.0' \
#     --variant 'after'                                                  # another build of the silo (a git worktree's)
#
# Needs /usr/sbin/mosquitto (apt-get install mosquitto), jq, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=benchmarks/lib.sh
source benchmarks/lib.sh

rate=""
embedded=0
seconds=12
warmup=5
repeats=1
variants=()
shape=city
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --variant) variants+=("$2"); shift 2 ;;
    --embedded) embedded=1; shift ;;
    --shape) shape=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "cpu-per-reading.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#variants[@]} -gt 0 ] || variants=("default")
city_shape "$shape" "" || exit 2
[ -n "$rate" ] || { [ "$embedded" = 1 ] && rate=500000 || rate=30000; }
[ -x /usr/sbin/mosquitto ] || { echo "cpu-per-reading.sh: apt-get install mosquitto" >&2; exit 1; }

dotnet build src/Silo -c Release --nologo -v quiet > /dev/null
dotnet build benchmarks/CitySense.LoadGenerator -c Release --nologo -v quiet > /dev/null
loadgen="$(pwd)/benchmarks/CitySense.LoadGenerator/bin/Release/net10.0/citysense-loadgen"

work=$(mktemp -d -t citysense-cpu-XXXXXX)
started=()
cleanup() {
  for pid in "${started[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

start_mosquitto "$work" 100000
started+=("$mosquitto_pid")

# publish SECONDS PORT
publish() {
  local mode=(--mode single)
  [ "$embedded" = 1 ] && mode=(--mode gateway --gateway-size 100)
  "$loadgen" --port "$2" "${mode[@]}" "${shape_args[@]}" --rate "$rate" \
    --duration "$1" --qos 0 --publishers 4 --inflight 8 --quiet > /dev/null
}

measure() {
  local name=$1
  shift
  local http_port silo silo_dir=src/Silo/bin/Release/net10.0 args=() port=$mqtt_port
  while [ $# -gt 0 ]; do
    if [ "$1" = --silo-dir ]; then silo_dir=$2; shift 2; else args+=("$1"); shift; fi
  done
  http_port=$(free_port)
  if [ "$embedded" = 1 ]; then
    port=$(free_port)
    args=(--Mqtt:Mode=Embedded --Mqtt:Port="$port" "${args[@]}")
  else
    args=(--Mqtt:Mode=External --Mqtt:Host=127.0.0.1 --Mqtt:Port="$mqtt_port" --Mqtt:ClientId="citysense-cpu-$RANDOM" \
      --Mqtt:SessionExpiry=00:00:05 "${args[@]}")
  fi
  (cd "$silo_dir" && exec dotnet CitySense.Silo.dll --urls="http://127.0.0.1:$http_port" \
    --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" --Influx:DataPath="$work/data-$name" \
    --Logging:LogLevel:Default=Warning --Ingest:DeviceRateLimit:MessagesPerSecond=0 \
    --Ingest:ConnectionRateLimit:MessagesPerSecond=0 "${args[@]}") > "$work/silo.log" 2>&1 &
  silo=$!
  started+=("$silo")
  wait_until 60 "the silo" bash -c "curl -s http://127.0.0.1:$http_port/health | grep -q '\"connected\":true'"
  health() { curl -s "http://127.0.0.1:$http_port/health"; }
  cpu() { cpu_seconds "$silo"; }
  drained() { [ "$(health | jq .ingest.queuedBatches)" = 0 ]; }
  [ "$warmup" -gt 0 ] && publish "$warmup" "$port"
  wait_until 30 "the warm-up to drain" drained
  local c0 a0 b0 c1 a1 b1
  c0=$(cpu); a0=$(health | jq .ingest.readingsApplied); b0=$(health | jq .ingest.batches)
  publish "$seconds" "$port"
  wait_until 30 "the run to drain" drained
  sleep 0.5
  c1=$(cpu); a1=$(health | jq .ingest.readingsApplied); b1=$(health | jq .ingest.batches)
  kill -TERM "$silo"; wait "$silo" 2>/dev/null || true
  awk -v n="$name" -v c0="$c0" -v c1="$c1" -v a0="$a0" -v a1="$a1" -v b0="$b0" -v b1="$b1" \
    'BEGIN{printf "| %s | %d | %.2f | %.0f |\n", n, a1 - a0, (c1 - c0) * 1e6 / (a1 - a0), (a1 - a0) / (b1 - b0)}'
}

if [ "$embedded" = 1 ]; then
  echo "silo CPU per reading at $rate readings/s (embedded broker, gateway messages of 100, 1 000 devices), ${warmup} s warm-up, ${seconds} s measured"
else
  echo "silo CPU per reading at $rate readings/s (External mode, mosquitto, 1 000 devices), ${warmup} s warm-up, ${seconds} s measured"
fi
echo
echo "| variant | readings | silo CPU us/reading | readings/batch |"
echo "|---|---:|---:|---:|"
for _ in $(seq 1 "$repeats"); do
  for variant in "${variants[@]}"; do
    name=${variant%%=*}
    args=()
    [ "$variant" != "$name" ] && read -r -a args <<< "${variant#*=}"
    measure "$name" "${args[@]}"
  done
done
