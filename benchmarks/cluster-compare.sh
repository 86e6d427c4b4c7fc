#!/usr/bin/env bash
# Readings/s with one silo and with two, same machine, same run: CitySense in External mode behind mosquitto, the
# silos in one MQTT 5 shared subscription and one Orleans cluster through Redis, the load generator publishing
# single-reading messages (QoS 0, as fast as possible by default: the broker drops what a slow subscriber cannot take,
# so compare "applied" with "sent"). Interleaved repetitions (1 silo, 2 silos, 1 silo, ...) so the shared machine's
# drift touches both; the rate is readings applied by all silos (GET /health) from the first publish until the last
# reading was applied. Also, from every silo's /metrics over the run: Orleans messages sent to another silo and sent
# within the silo, per reading applied (issue 16, target 4), and the silos' CPU per reading; and, measured for 5 s
# before the publish, what the silos send each other idle per second, taken out in the last two columns (per batch
# applied and per reading). Each repetition also runs the
# two silos with Ingest:RouteByOwner=false ("direct": the router calls every grain wherever it lives, as before each silo
# was sent its share of a batch), the baseline for the messages between silos. Both silos share this machine's cores:
# read the ratio with that in mind.
#
#   bash benchmarks/cluster-compare.sh                  # city shape, 3 repetitions of 12 s each, after 15 s of warm-up
#   bash benchmarks/cluster-compare.sh --warmup 0       # measure from the silos' first reading (devices load meanwhile)
#   bash benchmarks/cluster-compare.sh --seconds 15 --repeats 5 --out /tmp/cluster
#   bash benchmarks/cluster-compare.sh --mode gateway --rate 50000   # fixed offered rate, gateway messages of 100
#   bash benchmarks/cluster-compare.sh --shape small    # 1 000 devices in 10 communities (the former default)
#   bash benchmarks/cluster-compare.sh --silo-arg --Live:Streams=false   # a setting for every silo of every run
#
# Needs /usr/sbin/mosquitto, /usr/bin/redis-server, jq, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=benchmarks/lib.sh
source benchmarks/lib.sh
root=$(pwd)

seconds=12
warmup=15
repeats=3
publishers=4
inflight=8
shape=city
mode=single
rate=0
out=""
silo_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --shape) shape=$2; shift 2 ;;
    --mode) mode=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --silo-arg) silo_args+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "cluster-compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

city_shape "$shape" "" || exit 2
mode_args=(--mode single)
[ "$mode" = gateway ] && mode_args=(--mode gateway --gateway-size 100)
work=$(mktemp -d -t citysense-cluster-XXXXXX)
out=${out:-$work}
mkdir -p "$out"
started=()
cleanup() {
  for pid in "${started[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work/data"
}
trap cleanup EXIT
log() { printf '[cluster %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

log "building (Release)"
dotnet build src/Silo -c Release --nologo -v quiet
dotnet build benchmarks/CitySense.LoadGenerator -c Release --nologo -v quiet
loadgen="$root/benchmarks/CitySense.LoadGenerator/bin/Release/net10.0/citysense-loadgen"
silo_dir="$root/src/Silo/bin/Release/net10.0"

mqtt_port=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 1000000\nset_tcp_nodelay true\n' "$mqtt_port" > "$work/mosquitto.conf"
/usr/sbin/mosquitto -c "$work/mosquitto.conf" > "$out/mosquitto.log" 2>&1 &
started+=($!)
wait_until 20 "mosquitto" bash -c "exec 3<>/dev/tcp/127.0.0.1/$mqtt_port"

# start_silos N RUN: N silos of one cluster (their own Redis database, so runs never see each other's membership).
ports=()
pids=()
start_silos() {
  local n=$1 run=$2 redis_port
  shift 2
  redis_port=$(free_port)
  /usr/bin/redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no > "$out/$run-redis.log" 2>&1 &
  started+=($!)
  wait_until 20 "redis" bash -c "exec 3<>/dev/tcp/127.0.0.1/$redis_port"
  ports=()
  pids=()
  for i in $(seq 1 "$n"); do
    local http_port
    http_port=$(free_port)
    (cd "$silo_dir" && exec dotnet CitySense.Silo.dll --urls="http://127.0.0.1:$http_port" \
        --Orleans:Provider=Redis --Orleans:Redis="127.0.0.1:$redis_port" --Orleans:ClusterId="$run" \
        --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" \
        --Mqtt:Mode=External --Mqtt:Host=127.0.0.1 --Mqtt:Port="$mqtt_port" --Mqtt:ClientId="$run-silo-$i" \
        --Mqtt:SharedGroup="$run" --Live:MqttRepublish=false --Influx:DataPath="$work/data/$run-$i" \
        --Ingest:DeviceRateLimit:MessagesPerSecond=0 --Ingest:ConnectionRateLimit:MessagesPerSecond=0 \
        --Logging:LogLevel:Default=Warning ${silo_args[@]+"${silo_args[@]}"} "$@") > "$out/$run-silo-$i.log" 2>&1 &
    pids+=($!)
    started+=($!)
    ports+=("$http_port")
  done
  for p in "${ports[@]}"; do
    wait_until 90 "silo on $p" bash -c "curl -sf http://127.0.0.1:$p/health | jq -e '.mqtt.connected' | grep -q true"
  done
}

# metric_sum NAME FILTER PORT...: a counter summed over its series that contain FILTER (a label, or "" for all) and
# over the silos' /metrics (0 when absent).
metric_sum() {
  local name=$1 filter=$2 total=0 p v
  shift 2
  for p in "$@"; do
    v=$(curl -sf "http://127.0.0.1:$p/metrics" | awk -v n="$name" -v f="$filter" 'index($0, n) == 1 && (substr($0, length(n) + 1, 1) == "{" || substr($0, length(n) + 1, 1) == " ") && index($0, f) > 0 {s += $NF} END {printf "%.0f", s}')
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

# Orleans counts a message to another silo in the size histogram of silo-to-silo connections, one within the silo in
# its own counter.
remote_messages() { metric_sum orleans_messaging_sent_messages_size_bytes_count 'ConnectionDirection="SiloToSilo"' "$@"; }
local_messages() { metric_sum orleans_messaging_sent_local_total "" "$@"; }

cpu_total() {
  local total=0 pid
  for pid in "${pids[@]}"; do total=$(awk -v a="$total" -v b="$(cpu_seconds "$pid")" 'BEGIN{printf "%.3f", a + b}'); done
  echo "$total"
}

applied() { ingest_sum readingsApplied; }
batches() { ingest_sum batches; }

# ingest_sum FIELD: GET /health's ingest.FIELD summed over the silos.
ingest_sum() {
  local total=0 p
  for p in "${ports[@]}"; do total=$((total + $(curl -sf "http://127.0.0.1:$p/health" | jq ".ingest.$1"))); done
  echo "$total"
}

# drain: wait until the silos' applied total stops moving for 3 s; prints the total.
drain() {
  local last=-1 last_change now value
  last_change=$(date +%s.%N)
  while :; do
    value=$(applied)
    now=$(date +%s.%N)
    if [ "$value" != "$last" ]; then last=$value; last_change=$now; fi
    if awk -v a="$now" -v b="$last_change" 'BEGIN{exit !(a - b >= 3)}'; then break; fi
    sleep 0.2
  done
  echo "$last"
}

# run N RUN [SILO ARGS...]: publish for --warmup seconds and drain (the devices load, the grains settle on their
# owners, the JIT warms), then measure: publish for --seconds, then wait until the silos' applied total stops moving
# for 3 s.
run() {
  local n=$1 run=$2 base
  shift 2
  start_silos "$n" "$run" "$@"
  if [ "$warmup" -gt 0 ]; then
    "$loadgen" --port "$mqtt_port" "${shape_args[@]}" "${mode_args[@]}" --rate "$rate" \
      --duration "$warmup" --qos 0 --publishers "$publishers" --inflight "$inflight" --quiet > "$out/$run-warmup.log" 2>&1
    drain > /dev/null
  fi
  base=$(applied)
  local t0 last last_change remote0 local0 cpu0 idle0 idle_t0 idle_rate batches0
  # What the silos send each other with no reading at all (membership probes, stream queue reads, the dashboard's
  # counters), per second: reported apart, so a figure per reading is not its share of a quiet machine's chatter.
  idle_t0=$(date +%s.%N)
  idle0=$(remote_messages "${ports[@]}")
  sleep 5
  idle_rate=$(awk -v m="$(( $(remote_messages "${ports[@]}") - idle0 ))" -v t0="$idle_t0" -v t1="$(date +%s.%N)" 'BEGIN{printf "%.1f", m / (t1 - t0)}')
  batches0=$(batches)
  remote0=$(remote_messages "${ports[@]}")
  local0=$(local_messages "${ports[@]}")
  cpu0=$(cpu_total)
  t0=$(date +%s.%N)
  "$loadgen" --port "$mqtt_port" "${shape_args[@]}" "${mode_args[@]}" --rate "$rate" \
    --duration "$seconds" --qos 0 --publishers "$publishers" --inflight "$inflight" --quiet \
    --report-json "$out/$run-publish.json" > "$out/$run-publish.log" 2>&1
  # The applied total stopped moving 3 s ago: the end of the window.
  last=$(( $(drain) - base ))
  last_change=$(awk -v t="$(date +%s.%N)" 'BEGIN{printf "%.3f", t - 3}')
  local sent remote within cpu applied_batches
  sent=$(jq '.readings' "$out/$run-publish.json")
  applied_batches=$(( $(batches) - batches0 ))
  remote=$(( $(remote_messages "${ports[@]}") - remote0 ))
  within=$(( $(local_messages "${ports[@]}") - local0 ))
  cpu=$(awk -v a="$(cpu_total)" -v b="$cpu0" 'BEGIN{printf "%.3f", a - b}')
  awk -v r="$run" -v n="$n" -v a="$last" -v t0="$t0" -v t1="$last_change" -v s="${sent:-?}" -v rm="$remote" -v lc="$within" -v c="$cpu" \
      -v b="$applied_batches" -v idle="$idle_rate" \
    'BEGIN{own = rm - idle * (t1 - t0); if (own < 0) own = 0; printf "%s\t%d\t%d\t%s\t%.0f\t%.4f\t%.4f\t%.2f\t%d\t%.1f\t%.1f\t%.4f\n", r, n, a, s, a / (t1 - t0), rm / a, lc / a, c * 1e6 / a, b, idle, (b > 0 ? own / b : 0), own / a}' >> "$out/results.tsv"
  local i=0 p
  for p in "${ports[@]}"; do i=$((i + 1)); curl -sf "http://127.0.0.1:$p/metrics" > "$out/$run-silo-$i.metrics" || true; done
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}

: > "$out/results.tsv"
for r in $(seq 1 "$repeats"); do
  log "repetition $r/$repeats: 1 silo"
  run 1 "one-$r"
  log "repetition $r/$repeats: 2 silos"
  run 2 "two-$r"
  log "repetition $r/$repeats: 2 silos, every grain called directly (Ingest:RouteByOwner=false)"
  run 2 "direct-$r" --Ingest:RouteByOwner=false
done

echo
echo "shape $shape (${shape_args[*]}), $mode messages, offered rate ${rate} readings/s (0: as fast as possible)"
echo
echo "| run | silos | readings applied | sent (publisher report) | applied readings/s | Orleans messages to another silo / reading | within a silo / reading | silos' CPU µs / reading | batches | to another silo idle / s | to another silo / batch, idle rate taken out | / reading, idle rate taken out |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12}' "$out/results.tsv"
echo
for kind in one two direct; do
  awk -F'\t' -v k="$kind-" 'index($1, k) == 1 {print $5}' "$out/results.tsv" | sort -n | awk -v k="$kind" '{v[NR]=$1} END{printf "%s: min %d, median %d, max %d readings/s\n", k, v[1], v[int((NR+1)/2)], v[NR]}'
done
log "logs: $out"
