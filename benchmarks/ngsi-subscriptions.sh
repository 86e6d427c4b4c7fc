#!/usr/bin/env bash
# NGSI-LD subscriptions under load: 1 000 subscriptions while 10 000 readings/s flow (External mode through mosquitto,
# single-reading messages, 10 000 water meters in 100 communities). Each subscription names 10 meters by exact id
# (WaterConsumptionObserved), so every reading matches one subscription. A local webhook sink (node, counts and
# answers 204) takes the notifications. The same silo runs the same load first without subscriptions (baseline), then
# with them; prints readings applied, notifications and entities delivered per second, and the silo's CPU per
# notification and per entity beyond the baseline. Not a test: run it by hand, on a quiet machine if there is one.
#
#   bash benchmarks/ngsi-subscriptions.sh                       # defaults: 10 000 readings/s, 1 000 subscriptions, 20 s each phase
#   bash benchmarks/ngsi-subscriptions.sh --rate 5000 --subscriptions 100 --seconds 30
#
# Needs /usr/sbin/mosquitto, /usr/bin/node, jq, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=benchmarks/lib.sh
source benchmarks/lib.sh

rate=10000
subscriptions=1000
seconds=20
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift 2 ;;
    --subscriptions) subscriptions=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "ngsi-subscriptions.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
devices=10000
communities=100
districts=10
per=$(( devices / subscriptions ))

dotnet build src/Silo -c Release --nologo -v quiet > /dev/null
dotnet build benchmarks/CitySense.LoadGenerator -c Release --nologo -v quiet > /dev/null
loadgen="$(pwd)/benchmarks/CitySense.LoadGenerator/bin/Release/net10.0/citysense-loadgen"

work=$(mktemp -d -t citysense-ngsi-XXXXXX)
started=()
cleanup() {
  for pid in "${started[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

start_mosquitto "$work" 100000
started+=("$mosquitto_pid")

# The webhook sink: counts notifications and the entities in them; GET /count answers "notifications entities".
sink_port=$(free_port)
cat > "$work/sink.js" <<'JS'
const http = require('http');
let notifications = 0, entities = 0;
http.createServer((req, res) => {
  if (req.method === 'GET') { res.end(`${notifications} ${entities}`); return; }
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks));
    notifications++; entities += body.data.length;
    res.statusCode = 204; res.end();
  });
}).listen(Number(process.argv[2]), '127.0.0.1');
JS
node "$work/sink.js" "$sink_port" &
started+=($!)
wait_until 20 "the sink" bash -c "curl -sf http://127.0.0.1:$sink_port/ > /dev/null"

http_port=$(free_port)
(cd src/Silo/bin/Release/net10.0 && exec dotnet CitySense.Silo.dll --urls="http://127.0.0.1:$http_port" \
  --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" --Influx:DataPath="$work/data" \
  --Logging:LogLevel:Default=Warning --Ingest:DeviceRateLimit:MessagesPerSecond=0 --Ingest:ConnectionRateLimit:MessagesPerSecond=0 \
  --Mqtt:Mode=External --Mqtt:Host=127.0.0.1 --Mqtt:Port="$mqtt_port" --Mqtt:ClientId="citysense-ngsi-$RANDOM" --Mqtt:SessionExpiry=00:00:05) \
  > "$work/silo.log" 2>&1 &
silo=$!
started+=("$silo")
wait_until 60 "the silo" bash -c "curl -s http://127.0.0.1:$http_port/health | grep -q '\"connected\":true'"
health() { curl -s "http://127.0.0.1:$http_port/health"; }
drained() { [ "$(health | jq .ingest.queuedBatches)" = 0 ]; }
publish() {
  "$loadgen" --port "$mqtt_port" --mode single --devices "$devices" --districts "$districts" --communities "$communities" --kinds water \
    --rate "$rate" --duration "$1" --qos 0 --publishers 4 --inflight 8 --quiet > /dev/null
}
sink() { curl -s "http://127.0.0.1:$sink_port/"; }

# The load generator's device ids (benchmarks/CitySense.Workload/SimulatedCity.cs): device i is in community i mod 100.
device_id() {
  local i=$1 c=$(( $1 % communities ))
  local d=$(( c % districts + 1 ))
  printf 'water-c%d-%02d-%04d' "$d" $(( c / districts + 1 )) $(( i / communities + 1 ))
}

publish 5
wait_until 60 "the warm-up to drain" drained
c0=$(cpu_seconds "$silo"); a0=$(health | jq .ingest.readingsApplied)
publish "$seconds"
wait_until 60 "the baseline to drain" drained
c1=$(cpu_seconds "$silo"); a1=$(health | jq .ingest.readingsApplied)

for s in $(seq 0 $(( subscriptions - 1 ))); do
  ids=""
  for k in $(seq 0 $(( per - 1 ))); do
    ids+="{\"type\":\"WaterConsumptionObserved\",\"id\":\"urn:ngsi-ld:WaterConsumptionObserved:$(device_id $(( s * per + k )))\"},"
  done
  curl -sf -o /dev/null -X POST "http://127.0.0.1:$http_port/ngsi-ld/v1/subscriptions" -H 'Content-Type: application/json' \
    -d "{\"type\":\"Subscription\",\"entities\":[${ids%,}],\"notification\":{\"endpoint\":{\"uri\":\"http://127.0.0.1:$sink_port/n\"}}}"
done
publish 5
wait_until 120 "the subscribed warm-up to drain" drained
read -r n0 e0 <<< "$(sink)"
c2=$(cpu_seconds "$silo"); a2=$(health | jq .ingest.readingsApplied); t2=$(date +%s.%N)
publish "$seconds"
wait_until 60 "the subscribed run to drain" drained
# Delivery may trail ingest: wait until the sink has every matched change, or 60 s.
for _ in $(seq 1 300); do
  read -r n1 e1 <<< "$(sink)"
  [ $(( e1 - e0 )) -ge $(( $(health | jq .ingest.readingsApplied) - a2 )) ] && break
  sleep 0.2
done
read -r n1 e1 <<< "$(sink)"
c3=$(cpu_seconds "$silo"); a3=$(health | jq .ingest.readingsApplied); t3=$(date +%s.%N)
dropped=$(curl -s "http://127.0.0.1:$http_port/metrics" | grep -E '^citysense_ngsi_(changes_dropped|changes_lost)' || true)

echo "NGSI-LD subscriptions: $subscriptions subscriptions of $per meters each, $rate readings/s offered, ${seconds} s per phase, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| phase | readings applied | silo CPU s | silo CPU us/reading |"
echo "|---|---:|---:|---:|"
awk -v a="$((a1 - a0))" -v c="$(echo "$c1 - $c0" | bc)" 'BEGIN{printf "| no subscriptions | %d | %.2f | %.1f |\n", a, c, c * 1e6 / a}'
awk -v a="$((a3 - a2))" -v c="$(echo "$c3 - $c2" | bc)" 'BEGIN{printf "| %s subscriptions | %d | %.2f | %.1f |\n", "'"$subscriptions"'", a, c, c * 1e6 / a}'
echo
awk -v n="$((n1 - n0))" -v e="$((e1 - e0))" -v t="$(echo "$t3 - $t2" | bc)" -v cb="$(echo "($c1 - $c0) / ($a1 - $a0)" | bc -l)" \
  -v c="$(echo "$c3 - $c2" | bc)" -v a="$((a3 - a2))" \
  'BEGIN{extra = c - cb * a; printf "notifications: %d (%.0f/s), entities: %d (%.0f/s), %.1f entities/notification; silo CPU beyond the baseline: %.1f us/notification, %.1f us/entity\n", n, n / t, e, e / t, e / n, extra * 1e6 / n, extra * 1e6 / e}'
echo "${dropped:-no changes dropped or lost}"
