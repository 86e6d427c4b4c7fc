#!/usr/bin/env bash
# A city brain's MQTT subscriber of every community's figures (issue 16, target 3; docs/live.md §4): one silo on the
# embedded broker, --devices (1 000 000) in --communities (5 000) of --districts (50) filled once with the load
# generator's --once, then Debian's mosquitto_sub (MQTT 5) subscribes to citysense/out/community/# and prints the
# retained messages it is sent. Prints how many it got (messages, distinct topics, communities), when the first and the
# last arrived after the subscription, the silo's retained-figure counters from /health, and its RSS.
#
#   bash benchmarks/retained-subscriber.sh
#   bash benchmarks/retained-subscriber.sh --devices 100000 --communities 500 --districts 10
# CITYSENSE_SILO_DIR=/path/to/bin/Release/net10.0 runs another build's silo.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=benchmarks/lib.sh
source benchmarks/lib.sh
root=$(pwd)

devices=1000000 communities=5000 districts=50 wait=90
while [ $# -gt 0 ]; do
  case "$1" in
    --devices) devices=$2; shift 2 ;;
    --communities) communities=$2; shift 2 ;;
    --districts) districts=$2; shift 2 ;;
    --wait) wait=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "retained-subscriber.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for tool in jq mosquitto_sub bc; do
  command -v "$tool" >/dev/null || { echo "retained-subscriber.sh: $tool is missing (apt-get install jq mosquitto-clients bc)" >&2; exit 1; }
done

work=$(mktemp -d -t citysense-retained-XXXXXX)
silo_pid=""
cleanup() {
  if [ -n "$silo_pid" ]; then kill -TERM "$silo_pid" 2>/dev/null || true; wait "$silo_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build src/Silo -c Release --nologo -v quiet > /dev/null
dotnet build benchmarks/CitySense.LoadGenerator -c Release --nologo -v quiet > /dev/null
loadgen="$root/benchmarks/CitySense.LoadGenerator/bin/Release/net10.0/citysense-loadgen"
mqtt_port=$(free_port)
http_port=$(free_port)
(cd "${CITYSENSE_SILO_DIR:-$root/src/Silo/bin/Release/net10.0}" && exec dotnet CitySense.Silo.dll --urls="http://127.0.0.1:$http_port" \
    --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" --Mqtt:Port="$mqtt_port" \
    --Influx:DataPath="$work/data" --Logging:LogLevel:Default=Warning \
    --Ingest:DeviceRateLimit:MessagesPerSecond=0 --Ingest:ConnectionRateLimit:MessagesPerSecond=0) > "$work/citysense.log" 2>&1 &
silo_pid=$!
wait_until 90 "CitySense /health" curl -sf "http://127.0.0.1:$http_port/health"

"$loadgen" --port "$mqtt_port" --devices "$devices" --districts "$districts" --communities "$communities" --kinds city \
  --mode gateway --gateway-size 100 --qos 1 --publishers 4 --inflight 8 --rate 0 --once --duration 1800 --quiet > "$work/fill.log" 2>&1
# The communities announce their figures at most every Live:AreaInterval (250 ms): a few seconds and every one has.
sleep 5
echo "readings applied: $(curl -s "http://127.0.0.1:$http_port/health" | jq .ingest.readingsApplied)"

start=$(date +%s.%N)
# --retained-only: stops at the first message that is not retained; -W: at the latest after $wait s.
mosquitto_sub -h 127.0.0.1 -p "$mqtt_port" -V mqttv5 -t 'citysense/out/community/#' --retained-only -W "$wait" -F '%U %t' \
  > "$work/retained.txt" || true
got=$(wc -l < "$work/retained.txt")
echo "retained messages: $got, distinct topics: $(cut -d' ' -f2 "$work/retained.txt" | sort -u | wc -l), communities: $(cut -d' ' -f2 "$work/retained.txt" | cut -d/ -f4,5 | sort -u | wc -l)"
if [ "$got" -gt 0 ]; then
  echo "first after $(echo "$(head -1 "$work/retained.txt" | cut -d' ' -f1) - $start" | bc) s, last after $(echo "$(tail -1 "$work/retained.txt" | cut -d' ' -f1) - $start" | bc) s"
fi
echo "silo: $(curl -s "http://127.0.0.1:$http_port/health" | jq -c '.mqtt | {retainedFiguresSent, retainedFiguresCut}'), RSS $(awk '/VmRSS/{printf "%.0f", $2/1024}' "/proc/$silo_pid/status") MiB"
