#!/usr/bin/env bash
# One run, on this machine, of the comparison CitySense is judged by (see benchmarks/README.md):
#   A  baseline: the count-only MQTTnet subscriber's receive rate, load generator publishing single-reading messages
#      (QoS 0, as fast as possible) through mosquitto;
#   B  CitySense in External mode subscribed to the same mosquitto, same publisher settings, its applied rate read
#      from GET /health (ingest.readingsApplied over time); past its capacity the silo drops QoS 0 messages and counts
#      them (docs/operations.md, Overload), which shows in the "sent - received" column;
#   C  CitySense's embedded broker receiving gateway messages of --gateway-size readings, same reading;
# repeated --repeats times, interleaved (A B C, A B C, ...) so that the shared machine's drift touches all three,
# then a table of min/median/max and the ratio B/A per repetition.
#
#   bash benchmarks/compare.sh                       # 3 repetitions of 12 s each: a few minutes
#   bash benchmarks/compare.sh --seconds 15 --repeats 5 --publishers 4 --inflight 8 --out /tmp/cmp
#   bash benchmarks/compare.sh --shape small         # the former shape: 1 000 devices in 10 communities, 7 kinds equal;
#                                                  # default --shape city: 10 000 devices in 100 communities over 10
#                                                  # districts, a city's mix of kinds (--devices N keeps 100 a community)
#   bash benchmarks/compare.sh --connections 2     # also D: B with Mqtt:Connections=2 (one shared subscription)
#   bash benchmarks/compare.sh --latency 5000      # also: QoS 1 publish -> PUBACK latency at 5000 readings/s,
#                                                  # mosquitto (acks on receipt) vs CitySense embedded (acks after apply)
#   bash benchmarks/compare.sh --warmup 20         # steady state: each receiver (A's subscriber, B's and C's silo)
#                                                  # first gets 20 s of the same load, not counted; default 0: a cold start
#   bash benchmarks/compare.sh --silo-dir DIR      # run the silo from DIR (e.g. a ReadyToRun `dotnet publish` output)
#                                                  # instead of the Release build output
#
# Needs /usr/sbin/mosquitto and /usr/bin/victoria-metrics (apt-get install mosquitto victoria-metrics), jq, curl.
# Every process it starts is stopped at exit; ports are free loopback ports; data goes to a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=benchmarks/lib.sh
source benchmarks/lib.sh
root=$(pwd)

seconds=12
repeats=3
publishers=4
inflight=8
shape=city
devices=""
connections=1
gateway_size=100
latency_rate=0
warmup=0
out=""
silo_override=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --publishers) publishers=$2; shift 2 ;;
    --inflight) inflight=$2; shift 2 ;;
    --devices) devices=$2; shift 2 ;;
    --shape) shape=$2; shift 2 ;;
    --gateway-size) gateway_size=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --latency) latency_rate=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --silo-dir) silo_override=$2; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

city_shape "$shape" "$devices" || exit 2

for tool in /usr/sbin/mosquitto /usr/bin/victoria-metrics; do
  [ -x "$tool" ] || { echo "compare.sh: $tool is missing: apt-get install mosquitto victoria-metrics" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "compare.sh: jq is missing: apt-get install jq" >&2; exit 1; }

work=$(mktemp -d -t citysense-compare-XXXXXX)
out=${out:-$work}
mkdir -p "$out"
started=()

cleanup() {
  for pid in "${started[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${started[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work/vm" "$work/data"
}
trap cleanup EXIT

# A process that ended is forgotten, so that cleanup never signals a recycled process id.
forget() {
  local keep=() pid
  for pid in "${started[@]}"; do [ "$pid" = "$1" ] || keep+=("$pid"); done
  started=("${keep[@]}")
}

log() { printf '[compare %s] %s\n' "$(date +%H:%M:%S)" "$*"; }



stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  forget "$pid"
}

log "building (Release)"
dotnet build src/Silo -c Release --nologo -v quiet
dotnet build benchmarks/CitySense.LoadGenerator -c Release --nologo -v quiet
loadgen="$root/benchmarks/CitySense.LoadGenerator/bin/Release/net10.0/citysense-loadgen"
silo_dir=${silo_override:-"$root/src/Silo/bin/Release/net10.0"}

mqtt_port=$(free_port)
cat > "$work/mosquitto.conf" <<CONF
listener $mqtt_port 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 100000
set_tcp_nodelay true
CONF
/usr/sbin/mosquitto -c "$work/mosquitto.conf" > "$out/mosquitto.log" 2>&1 &
started+=($!)
wait_until 20 "mosquitto on $mqtt_port" bash -c "exec 3<>/dev/tcp/127.0.0.1/$mqtt_port"

vm_port=$(free_port)
/usr/bin/victoria-metrics -httpListenAddr="127.0.0.1:$vm_port" -storageDataPath="$work/vm" -retentionPeriod=100y -loggerLevel=WARN > "$out/victoria-metrics.log" 2>&1 &
started+=($!)
wait_until 30 "VictoriaMetrics on $vm_port" curl -sf "http://127.0.0.1:$vm_port/health"
log "mosquitto on 127.0.0.1:$mqtt_port, VictoriaMetrics on 127.0.0.1:$vm_port, results in $out"

publisher_args=("${shape_args[@]}" --rate 0 --duration "$seconds" --qos 0
  --publishers "$publishers" --inflight "$inflight" --quiet)
# The same load for the warm-up, shorter.
warmup_args=("${publisher_args[@]}")
for i in "${!warmup_args[@]}"; do [ "${warmup_args[$i]}" = --duration ] && warmup_args[i + 1]=$warmup; done

# start_citysense NAME ARGS...: what `dotnet run -c Release --project src/Silo -- ARGS` runs, started from its build
# output so that its process id is the silo's own (stopped with SIGTERM: graceful shutdown).
# The load generator floods a few connections on purpose: the per-device and per-connection rate limits are off here.
start_citysense() {
  local name=$1
  shift
  http_port=$(free_port)
  (cd "$silo_dir" && exec dotnet CitySense.Silo.dll --urls="http://127.0.0.1:$http_port" \
      --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" \
      --Influx:Url="http://127.0.0.1:$vm_port" --Logging:LogLevel:Default=Warning \
      --Ingest:DeviceRateLimit:MessagesPerSecond=0 --Ingest:ConnectionRateLimit:MessagesPerSecond=0 "$@") > "$out/$name-citysense.log" 2>&1 &
  silo_pid=$!
  started+=("$silo_pid")
  wait_until 60 "CitySense ($name) /health" bash -c "curl -s http://127.0.0.1:$http_port/health | grep -q '\"connected\":true'"
}

# CPU seconds (user + system) the silo has used so far.
silo_cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f\n", ($14 + $15) / hz}' "/proc/$silo_pid/stat"; }

run_a() {
  local r=$1
  "$loadgen" --count-only-subscriber --port "$mqtt_port" --qos 1 --idle-exit 5 --settle $((seconds + warmup + 4)) --duration $((seconds + warmup + 120)) \
    --report-json "$out/A$r-receive.json" > "$out/A$r-receive.log" 2>&1 &
  local sub=$!
  started+=("$sub")
  wait_until 30 "the count-only subscriber" grep -q subscribed "$out/A$r-receive.log"
  if [ "$warmup" -gt 0 ]; then
    # The subscriber counts the warm-up too: its readings are taken off A's count (warm_readings), and the measured
    # publish starts once the warm-up has arrived.
    "$loadgen" --port "$mqtt_port" --mode single "${warmup_args[@]}" --report-json "$out/A$r-warmup.json" > "$out/A$r-warmup.log" 2>&1
    sleep 2
  fi
  "$loadgen" --port "$mqtt_port" --mode single "${publisher_args[@]}" --report-json "$out/A$r-publish.json" > "$out/A$r-publish.log" 2>&1
  wait "$sub"
  forget "$sub"
}

# run_citysense LABEL PUBLISH_PORT MODE_ARGS... -- PUBLISHER_ARGS...
run_citysense() {
  local label=$1 port=$2
  shift 2
  local silo_args=()
  while [ "$1" != "--" ]; do silo_args+=("$1"); shift; done
  shift
  start_citysense "$label" "${silo_args[@]}"
  if [ "$warmup" -gt 0 ]; then
    # Not counted: the /health watcher starts from the counters it first sees, after the silo has drained the warm-up.
    "$loadgen" --port "$port" "$@" "${warmup_args[@]}" > "$out/$label-warmup.log" 2>&1
    wait_until 60 "CitySense ($label) to drain the warm-up" bash -c "a=\$(curl -s http://127.0.0.1:$http_port/health | jq -c .ingest); sleep 0.5; b=\$(curl -s http://127.0.0.1:$http_port/health | jq -c .ingest); [ \"\$a\" = \"\$b\" ]"
  fi
  "$loadgen" --watch-health "http://127.0.0.1:$http_port" --idle-exit 5 --settle $((seconds + 2)) --duration $((seconds + 120)) \
    --report-json "$out/$label-receive.json" > "$out/$label-receive.log" 2>&1 &
  local watcher=$!
  started+=("$watcher")
  wait_until 30 "the /health watcher" grep -q watching "$out/$label-receive.log"
  local cpu0 cpu1
  cpu0=$(silo_cpu)
  "$loadgen" --port "$port" "$@" "${publisher_args[@]}" --report-json "$out/$label-publish.json" > "$out/$label-publish.log" 2>&1
  wait "$watcher"
  forget "$watcher"
  cpu1=$(silo_cpu)
  # Counters at the end (batches: how many readings each apply cycle carried).
  curl -s "http://127.0.0.1:$http_port/health" > "$out/$label-health.json" || true
  # CPU of the run only (publishing until drained), not of start-up; peak RSS is of the whole life.
  echo "{\"runCpuSeconds\": $(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN{printf "%.2f", b - a}'), \"peakRssMiB\": $(awk '/VmHWM/{printf "%.0f", $2/1024}' "/proc/$silo_pid/status")}" > "$out/$label-silo.json"
  stop_pid "$silo_pid"
}

# run_latency R: QoS 1 single-reading messages paced at --latency readings/s, first to mosquitto, then to CitySense's
# embedded broker, whose PUBACK waits until the reading's batch is applied to the grains.
run_latency() {
  local r=$1
  local args=("${shape_args[@]}" --rate "$latency_rate" --duration "$seconds"
    --qos 1 --publishers "$publishers" --inflight 1 --mode single --quiet)
  "$loadgen" --port "$mqtt_port" "${args[@]}" --report-json "$out/L$r-mosquitto.json" > "$out/L$r-mosquitto.log" 2>&1
  local port
  port=$(free_port)
  start_citysense "L$r" --Mqtt:Mode=Embedded --Mqtt:Port="$port"
  "$loadgen" --port "$port" "${args[@]}" --report-json "$out/L$r-citysense.json" > "$out/L$r-citysense.log" 2>&1
  stop_pid "$silo_pid"
}

for r in $(seq 1 "$repeats"); do
  log "repetition $r/$repeats: A count-only subscriber (mosquitto, single-reading messages, ${seconds} s)"
  run_a "$r"
  log "repetition $r/$repeats: B CitySense External mode (mosquitto, single-reading messages, ${seconds} s)"
  run_citysense "B$r" "$mqtt_port" --Mqtt:Mode=External --Mqtt:Host=127.0.0.1 --Mqtt:Port="$mqtt_port" \
    --Mqtt:ClientId="citysense-compare-$r" --Mqtt:SessionExpiry=00:00:05 -- --mode single
  if [ "$connections" -gt 1 ]; then
    log "repetition $r/$repeats: D CitySense External mode with $connections connections (mosquitto, single-reading messages, ${seconds} s)"
    run_citysense "D$r" "$mqtt_port" --Mqtt:Mode=External --Mqtt:Host=127.0.0.1 --Mqtt:Port="$mqtt_port" \
      --Mqtt:ClientId="citysense-compare-d$r" --Mqtt:SessionExpiry=00:00:05 --Mqtt:Connections="$connections" -- --mode single
  fi
  log "repetition $r/$repeats: C CitySense embedded broker (gateway messages of $gateway_size, ${seconds} s)"
  embedded_port=$(free_port)
  run_citysense "C$r" "$embedded_port" --Mqtt:Mode=Embedded --Mqtt:Port="$embedded_port" -- --mode gateway --gateway-size "$gateway_size"
  if [ "$latency_rate" != 0 ]; then
    log "repetition $r/$repeats: QoS 1 latency at $latency_rate readings/s (mosquitto, then CitySense embedded)"
    run_latency "$r"
  fi
done

# stats FILE...: "min median max" of .readingsPerSecond (or of the values given on stdin with -).
stats() { sort -g | awk '{v[NR]=$1} END {m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "%.0f %.0f %.0f\n", v[1], m, v[NR]}'; }
ratio_stats() { sort -g | awk '{v[NR]=$1} END {m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "%.2f %.2f %.2f\n", v[1], m, v[NR]}'; }
field() { for r in $(seq 1 "$repeats"); do jq -r "$2" "$out/$1$r-$3.json"; done; }
# The rate compared: readings received from the publisher's first publish until the receiver processed its last one.
# Readings of A's warm-up, which its subscriber counted too (B and C start counting after theirs).
warm_readings() { if [ "$1" = A ] && [ -f "$out/A$2-warmup.json" ]; then jq -r .readings "$out/A$2-warmup.json"; else echo 0; fi; }
e2e() { jq -rs --argjson w "$(warm_readings "$1" "$2")" '(.[1].readings - $w) / ((.[1].lastArrivalUnixMs - .[0].startedAtUnixMs) / 1000)' "$out/$1$2-publish.json" "$out/$1$2-receive.json"; }
e2e_all() { for r in $(seq 1 "$repeats"); do e2e "$1" "$r"; done; }

table="$out/compare.md"
{
  echo "| measurement | processed readings/s min | median | max | (first-to-last-arrival rate, median) | publisher sent readings/s median | sent - received |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for m in A B C; do
    case $m in
      A) name="A: count-only MQTTnet subscriber, mosquitto, single-reading messages" ;;
      B) name="B: CitySense External mode, mosquitto, single-reading messages" ;;
      C) name="C: CitySense embedded broker, gateway messages of $gateway_size" ;;
    esac
    read -r mn md mx < <(e2e_all $m | stats)
    read -r _ fmd _ < <(field $m .readingsPerSecond receive | stats)
    read -r _ smd _ < <(field $m .readingsPerSecond publish | stats)
    sent=$(field $m .readings publish | awk '{s += $1} END {print s}')
    got=$(field $m .readings receive | awk '{s += $1} END {print s}')
    got=$((got - $(for r in $(seq 1 "$repeats"); do warm_readings $m "$r"; done | awk '{s += $1} END {print s}')))
    echo "| $name | $mn | $md | $mx | ($fmd) | $smd | $((sent - got)) of $sent |"
  done
  read -r rmn rmd rmx < <(for r in $(seq 1 "$repeats"); do
    awk -v b="$(e2e B "$r")" -v a="$(e2e A "$r")" 'BEGIN{print b/a}'; done | ratio_stats)
  echo
  echo "B/A per repetition: min $rmn, median $rmd, max $rmx"
  if [ "$connections" -gt 1 ]; then
    read -r dmn dmd dmx < <(for r in $(seq 1 "$repeats"); do
      awk -v d="$(e2e D "$r")" -v a="$(e2e A "$r")" 'BEGIN{print d/a}'; done | ratio_stats)
    read -r xmn xmd xmx < <(for r in $(seq 1 "$repeats"); do e2e D "$r"; done | stats)
    echo "D ($connections connections): $xmn / $xmd / $xmx readings/s; D/A per repetition: min $dmn, median $dmd, max $dmx"
  fi
  echo
  echo "| repetition | A readings/s | B readings/s | B/A | C readings/s | A subscriber CPU us/reading | B silo CPU us/reading | C silo CPU us/reading | B silo peak RSS MiB | C silo peak RSS MiB | B readings/batch | C readings/batch |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for r in $(seq 1 "$repeats"); do
    a=$(e2e A "$r"); b=$(e2e B "$r"); c=$(e2e C "$r")
    printf '| %s | %.0f | %.0f | %.2f | %.0f | %.2f | %.2f | %.2f | %s | %s | %.0f | %.0f |\n' "$r" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN{print b/a}')" "$c" \
      "$(jq -r '.process.cpuSeconds * 1e6 / .readings' "$out/A$r-receive.json")" \
      "$(jq -rs '.[0].runCpuSeconds * 1e6 / .[1].readings' "$out/B$r-silo.json" "$out/B$r-receive.json")" \
      "$(jq -rs '.[0].runCpuSeconds * 1e6 / .[1].readings' "$out/C$r-silo.json" "$out/C$r-receive.json")" \
      "$(jq -r .peakRssMiB "$out/B$r-silo.json")" "$(jq -r .peakRssMiB "$out/C$r-silo.json")" \
      "$(jq -r '.ingest.readingsApplied / ([.ingest.batches, 1] | max)' "$out/B$r-health.json")" \
      "$(jq -r '.ingest.readingsApplied / ([.ingest.batches, 1] | max)' "$out/C$r-health.json")"
  done
  echo
  echo "Processed readings/s: readings received (count-only subscriber) or applied (CitySense, /health) from the publisher's first"
  echo "publish until the last one was processed, over that time; a receiver that falls behind pays for its drain time."
  echo "CPU us/reading: CPU time of the receiving process from the publisher's start until the last reading was processed, over readings;"
  echo "the subscriber's from its subscription on. Peak RSS is of the silo's whole life. Readings/batch: readings applied"
  echo "over ingest batches (GET /health at the end): how many readings one apply cycle of the ingest worker carried."
  if [ "$latency_rate" != 0 ]; then
    echo
    echo "QoS 1 publish -> PUBACK latency, single-reading messages paced at $latency_rate readings/s, $publishers publishers x 1 in flight (median over repetitions of each percentile, us):"
    echo
    echo "| broker | sent readings/s | p50 | p90 | p99 | p99.9 | max | failures |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for target in mosquitto citysense; do
      med() { for r in $(seq 1 "$repeats"); do jq -r "$1" "$out/L$r-$target.json"; done | stats | awk '{print $2}'; }
      echo "| $target | $(med .readingsPerSecond) | $(med .latency.p50Us) | $(med .latency.p90Us) | $(med .latency.p99Us) | $(med .latency.p999Us) | $(med .latency.maxUs) | $(for r in $(seq 1 "$repeats"); do jq -r .failures "$out/L$r-$target.json"; done | awk '{s += $1} END {print s}') |"
    done
    echo
  fi
  echo "Settings: ${seconds} s per measurement, $repeats repetitions, $publishers publishers x $inflight in flight, QoS 0, shape $shape (${shape_args[*]}), rate unlimited, warm-up ${warmup} s per receiver (not counted)."
} > "$table"

echo
cat "$table"
log "reports and logs: $out"
