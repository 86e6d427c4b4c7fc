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

publish 5
wait_until 60 "the warm-up to drain" drained
c0=$(cpu_seconds "$silo"); a0=$(health | jq .ingest.readingsApplied)
publish "$seconds"
wait_until 60 "the baseline to drain" drained
c1=$(cpu_seconds "$silo"); a1=$(health | jq .ingest.readingsApplied)
# idle_cpu: the silo's CPU seconds over 5 s without load, after 5 s to settle (the windows and history a load leaves
# are written in the seconds after it): before and after the subscriptions exist, what 1 000 subscription grains
# ticking every 100 ms (Subscriptions:PumpInterval) cost on their own.
idle_cpu() { local x; sleep 5; x=$(cpu_seconds "$silo"); sleep 5; echo "$(cpu_seconds "$silo") - $x" | bc; }
idle0=$(idle_cpu)

# The subscriptions, created by one node process (8 requests in flight): a bash loop forking a subshell per id took
# ~0.5 s per subscription on the loaded machine, 8 minutes for 1 000. Ids as the load generator builds them
# (benchmarks/CitySense.Workload/SimulatedCity.cs): device i is in community i mod COMMUNITIES, whose district is
# (community mod DISTRICTS) + 1 and whose number in it is community / DISTRICTS + 1.
# The API's rate limit answers part of this burst with 429: retried after 1 s, and counted on stderr.
cat > "$work/subscribe.js" <<'JS'
const [api, sink, subscriptions, per, communities, districts] = process.argv.slice(2).map((v, i) => i < 2 ? v : Number(v));
const pad = (n, w) => String(n).padStart(w, '0');
const id = i => { const c = i % communities; return `water-c${c % districts + 1}-${pad(Math.floor(c / districts) + 1, 2)}-${pad(Math.floor(i / communities) + 1, 4)}`; };
let next = 0, failed = 0;
const retried = {};
async function worker() {
  for (let s; (s = next++) < subscriptions;) {
    const entities = Array.from({ length: per }, (_, k) => ({ type: 'WaterConsumptionObserved', id: `urn:ngsi-ld:WaterConsumptionObserved:${id(s * per + k)}` }));
    // A fixed id: a retry of a POST that did store the subscription answers 409, which counts as created.
    const body = JSON.stringify({ id: `urn:ngsi-ld:Subscription:bench-${s}`, type: 'Subscription', entities, notification: { endpoint: { uri: `${sink}/n` } } });
    for (let attempt = 1; ; attempt++) {
      let status;
      try {
        status = (await fetch(`${api}/ngsi-ld/v1/subscriptions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })).status;
      } catch (e) { status = e.cause?.code ?? String(e); }
      if (status === 201 || (status === 409 && attempt > 1)) break;
      retried[status] = (retried[status] ?? 0) + 1;
      if (attempt === 5) { failed++; break; }
      await new Promise(r => setTimeout(r, 1000));
    }
  }
}
Promise.all(Array.from({ length: 8 }, worker)).then(() => {
  if (Object.keys(retried).length) console.error(`subscription requests answered otherwise and retried: ${JSON.stringify(retried)}`);
  if (failed) { console.error(`${failed} subscriptions not created`); process.exit(1); }
});
JS
node "$work/subscribe.js" "http://127.0.0.1:$http_port" "http://127.0.0.1:$sink_port" "$subscriptions" "$per" "$communities" "$districts"
idle1=$(idle_cpu)
as=$(health | jq .ingest.readingsApplied)
# delivered_since A E0: waits (up to 120 s) until the sink has an entity for every reading applied since A (each reading
# matches exactly one subscription), counting from the sink's E0. Delivery trails ingest: the matcher renders off the
# ingest path, so the window ends when the sink has everything, not when the publisher stops.
delivered_since() {
  for _ in $(seq 1 600); do
    read -r _ e <<< "$(sink)"
    [ $(( e - $2 )) -ge $(( $(health | jq .ingest.readingsApplied) - $1 )) ] && return 0
    sleep 0.2
  done
  echo "ngsi-subscriptions.sh: the sink is still short after 120 s" >&2
}
publish 5
wait_until 120 "the subscribed warm-up to drain" drained
delivered_since "$as" 0
read -r n0 e0 <<< "$(sink)"
c2=$(cpu_seconds "$silo"); a2=$(health | jq .ingest.readingsApplied); t2=$(date +%s.%N)
publish "$seconds"
tp=$(date +%s.%N)
wait_until 60 "the subscribed run to drain" drained
delivered_since "$a2" "$e0"
read -r n1 e1 <<< "$(sink)"
c3=$(cpu_seconds "$silo"); a3=$(health | jq .ingest.readingsApplied); t3=$(date +%s.%N)
metrics=$(curl -s "http://127.0.0.1:$http_port/metrics")
dropped=$(grep -E '^citysense_ngsi_(changes_dropped|changes_lost)' <<< "$metrics" || true)
counter() { awk -v name="$1" 'index($1, name "{") == 1 || $1 == name {sum += $NF} END {printf "%d", sum}' <<< "$metrics"; }
# A reading CitySense took as a duplicate or late is counted as applied but changes no entity: a sample device tells.
sample=$(curl -s "http://127.0.0.1:$http_port/api/devices/water-c1-01-0001" | jq -c '{accepted, duplicates, late}')

echo "NGSI-LD subscriptions: $subscriptions subscriptions of $per meters each, $rate readings/s offered, ${seconds} s per phase, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| phase | readings applied | silo CPU s | silo CPU us/reading |"
echo "|---|---:|---:|---:|"
awk -v a="$((a1 - a0))" -v c="$(echo "$c1 - $c0" | bc)" 'BEGIN{printf "| no subscriptions | %d | %.2f | %.1f |\n", a, c, c * 1e6 / a}'
awk -v a="$((a3 - a2))" -v c="$(echo "$c3 - $c2" | bc)" 'BEGIN{printf "| %s subscriptions | %d | %.2f | %.1f |\n", "'"$subscriptions"'", a, c, c * 1e6 / a}'
echo
awk -v n="$((n1 - n0))" -v e="$((e1 - e0))" -v t="$(echo "$t3 - $t2" | bc)" -v cb="$(echo "($c1 - $c0) / ($a1 - $a0)" | bc -l)" \
  -v c="$(echo "$c3 - $c2" | bc)" -v a="$((a3 - a2))" \
  -v lag="$(echo "$t3 - $tp" | bc)" \
  'BEGIN{extra = c - cb * a; printf "notifications: %d (%.0f/s), entities: %d (%.0f/s), %.1f entities/notification, the last delivered %.1f s after the publisher stopped; silo CPU beyond the baseline: %.1f us/notification, %.1f us/entity\n", n, n / t, e, e / t, e / n, lag, extra * 1e6 / n, extra * 1e6 / e}'
echo "silo counters over the whole run: changes matched $(counter citysense_ngsi_changes_matched_total), entities sent $(counter citysense_ngsi_entities_sent_total) in $(counter citysense_ngsi_notifications_sent_total) notifications, pending now $(counter citysense_ngsi_pending), failed attempts $(counter citysense_ngsi_attempts_failed_total); sample device water-c1-01-0001 $sample"
echo "${dropped:-no changes dropped or lost}"
echo "silo CPU idle for 5 s: $idle0 s without subscriptions, $idle1 s with them"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
