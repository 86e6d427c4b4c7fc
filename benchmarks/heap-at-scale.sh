#!/usr/bin/env bash
# Where a silo's memory goes at a city's scale (issue 16, target 3): one silo in External mode behind mosquitto, the load
# generator's city shape (1 000 000 devices in 5 000 communities of 50 districts by default) published at a rate the
# silo keeps up with (--rate, 20 000 gateway readings/s) for --seconds (150: every device reports about three times),
# then a heap dump (dotnet-dump, installed as a global tool when missing) and the live objects by type: the biggest
# --top types, the total, and bytes per device. The dump itself is deleted. A dump raises the silo's own peak RSS, so
# the RSS printed is taken before it.
#
#   bash benchmarks/heap-at-scale.sh
#   bash benchmarks/heap-at-scale.sh --devices 200000 --communities 1000 --districts 10 --seconds 60 --out /tmp/heap
#   bash benchmarks/heap-at-scale.sh --keep-dump /tmp/silo.dmp    # keep the dump (gcroot, dumpheap -mt ... on it)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=benchmarks/lib.sh
source benchmarks/lib.sh
root=$(pwd)

devices=1000000 communities=5000 districts=50 rate=20000 seconds=150 top=30 out="" keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --devices) devices=$2; shift 2 ;;
    --communities) communities=$2; shift 2 ;;
    --districts) districts=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --top) top=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --keep-dump) keep=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "heap-at-scale.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

dump_tool=$HOME/.dotnet/tools/dotnet-dump
[ -x "$dump_tool" ] || dotnet tool install -g dotnet-dump > /dev/null
work=$(mktemp -d -t citysense-heap-XXXX)
out=${out:-$work}
mkdir -p "$out"
start_mosquitto "$work" 1000000
loadgen=$root/benchmarks/CitySense.LoadGenerator/bin/Release/net10.0/citysense-loadgen
[ -x "$loadgen" ] || dotnet build "$root/benchmarks/CitySense.LoadGenerator" -c Release > /dev/null
[ -f "$root/src/Silo/bin/Release/net10.0/CitySense.Silo.dll" ] || dotnet build "$root/src/Silo" -c Release > /dev/null
http_port=$(free_port)
(cd "${CITYSENSE_SILO_DIR:-$root/src/Silo/bin/Release/net10.0}" && exec dotnet CitySense.Silo.dll --urls="http://127.0.0.1:$http_port" \
    --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" --Influx:DataPath="$work/data" \
    --Mqtt:Mode=External --Mqtt:Host=127.0.0.1 --Mqtt:Port="$mqtt_port" --Mqtt:ClientId="heap-$RANDOM" \
    --Mqtt:SessionExpiry=00:00:05 --Logging:LogLevel:Default=Warning --Ingest:DeviceRateLimit:MessagesPerSecond=0 \
    --Ingest:ConnectionRateLimit:MessagesPerSecond=0 --Registry:DataPath="$work/reg") > "$work/silo.log" 2>&1 &
silo=$!
trap 'kill -TERM $silo $mosquitto_pid 2>/dev/null; wait 2>/dev/null; rm -f "$work/silo.dmp"' EXIT
wait_until 60 "the silo's broker connection" bash -c "curl -s http://127.0.0.1:$http_port/health | grep -q '\"connected\":true'"

"$loadgen" --port "$mqtt_port" --mode gateway --gateway-size 100 --devices "$devices" --districts "$districts" \
  --communities "$communities" --kinds city --rate "$rate" --duration "$seconds" --qos 0 --publishers 4 --inflight 8 --quiet > "$work/loadgen.out"
sleep 5
curl -s "http://127.0.0.1:$http_port/health" > "$out/health.json"
applied=$(jq .ingest.readingsApplied "$out/health.json")
rss_mib=$(awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$silo/status")
hwm_mib=$(awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$silo/status")
"$dump_tool" collect -p "$silo" --type Heap -o "$work/silo.dmp" > /dev/null
"$dump_tool" analyze "$work/silo.dmp" -c "dumpheap -stat -live" -c exit > "$out/live.txt"
if [ -n "$keep" ]; then mv "$work/silo.dmp" "$keep"; else rm -f "$work/silo.dmp"; fi

echo "devices $devices in $communities communities; $applied readings applied at $rate/s; RSS $rss_mib MiB (peak $hwm_mib MiB) before the dump"
# dumpheap -stat: MT, count, total bytes, type; the biggest first.
awk '$1 ~ /^[0-9a-f]+$/ && $2 ~ /^[0-9,]+$/ { b=$3; gsub(",", "", b); c=$2; gsub(",", "", c); t=""; for (i=4;i<=NF;i++) t=t (i>4?" ":"") $i; print b "\t" c "\t" t }' "$out/live.txt" \
  | sort -rn | awk -F'\t' -v d="$devices" -v top="$top" 'NR <= top { printf "%9.1f MB %10d  %6.1f B/device  %s\n", $1/1e6, $2, $1/d, $3 }'
awk -v d="$devices" '/^Total/ { b=$4; gsub(",", "", b); printf "live objects: %.0f MB, %.0f B per device\n", b/1e6, b/d }' "$out/live.txt"
echo "full list: $out/live.txt"
