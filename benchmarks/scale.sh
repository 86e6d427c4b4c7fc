#!/usr/bin/env bash
# Target 4 of the performance issue: many registered, active devices on one silo. One silo (embedded broker, indicators
# and alarms on, indicators written to line-protocol files), the load generator publishing gateway messages (QoS 1:
# the embedded broker acknowledges a message only after its readings are applied to the grains, so publish -> PUBACK
# is publish -> device state). Phases:
#   1. fill: every device sends one reading, as fast as possible (the load generator's --once), and the city counts it;
#   2. max: as fast as possible for --seconds: the maximum rate with every device active;
#   3. sustain: --rate readings/s (100 000 by default) for --seconds, QoS 1;
#   4. latency: half the maximum rate of phase 2 for --seconds, QoS 1: p50/p99 publish -> PUBACK;
#   5. hold (only with --hold SECONDS): half the maximum again, for SECONDS in rounds of at most 5 minutes: the steady
#      state a short run does not reach (communities keep Indicators:CommunityWindowsKept windows per kind, 7 minutes
#      of one-minute windows by default, the city and districts 60; alarm lists and held suspects fill to their
#      budgets over minutes of a flood); --hold-rate N holds at N readings/s instead, so that runs on machines (or at
#      hours) of different maxima compare at one load. Prints the rate, p99
#      and RSS after each round, the peak RSS over the whole phase, and the p99 of its worst round.
# It prints one table: devices reporting and grain activations, rates, the silo's CPU per reading in phase 3, latency, the silo's peak
# resident memory in each phase (the kernel's high-water mark, reset between phases) and its final resident memory.
#
#   bash benchmarks/scale.sh                                     # 1 000 000 devices in 5 000 communities of 50 districts,
#                                                                # a city's mix of kinds, 60 s phases
#   bash benchmarks/scale.sh --devices 200000 --seconds 30 --out /tmp/scale
#   bash benchmarks/scale.sh --publishers 8 --inflight 16          # a wider QoS 1 window (see below)
#   bash benchmarks/scale.sh --seconds 30 --hold 1200              # then 20 minutes more at half the maximum
#   bash benchmarks/scale.sh --seconds 30 --hold 900 --hold-rate 65000   # 15 minutes more at 65 000 readings/s
#   DOTNET_GCHeapHardLimit=0xA0000000 bash benchmarks/scale.sh     # the 2.5 GiB GC heap of a 3.3 GiB container
# The silo inherits the environment, so DOTNET_* GC settings apply to it (and to the load generator), and so do settings
# written as environment variables (Alarms__StoreInterval=00:00:10, Scenarios__Enabled=false).
# CITYSENSE_SILO_DIR=/work/wt-x/src/Silo/bin/Release/net10.0 runs another build's silo with this load generator (bisecting).
# With QoS 1 a publisher's rate is at most in-flight messages / round trip: 4 publishers x 8 messages of 100 readings
# at a 30 ms round trip is about 100 000 readings/s, whatever the silo could take. A city's 10 000 gateways have far
# more messages in flight than that; --publishers and --inflight widen the window.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=benchmarks/lib.sh
source benchmarks/lib.sh
root=$(pwd)

devices=1000000
communities=5000
districts=50
seconds=60
rate=100000
publishers=4
inflight=8
hold=0
hold_rate=""
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --devices) devices=$2; shift 2 ;;
    --communities) communities=$2; shift 2 ;;
    --districts) districts=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --publishers) publishers=$2; shift 2 ;;
    --inflight) inflight=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --hold) hold=$2; shift 2 ;;
    --hold-rate) hold_rate=$2; shift 2 ;;
    -h|--help) sed -n '2,31p' "$0"; exit 0 ;;
    *) echo "scale.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
command -v jq >/dev/null || { echo "scale.sh: jq is missing: apt-get install jq" >&2; exit 1; }

work=$(mktemp -d -t citysense-scale-XXXXXX)
out=${out:-$work}
mkdir -p "$out"
silo_pid=""
cleanup() {
  if [ -n "$silo_pid" ]; then kill -TERM "$silo_pid" 2>/dev/null || true; wait "$silo_pid" 2>/dev/null || true; fi
  rm -rf "$work/data"
}
trap cleanup EXIT
log() { printf '[scale %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

log "building (Release)"
dotnet build src/Silo -c Release --nologo -v quiet
dotnet build benchmarks/CitySense.LoadGenerator -c Release --nologo -v quiet
loadgen="$root/benchmarks/CitySense.LoadGenerator/bin/Release/net10.0/citysense-loadgen"

mqtt_port=$(free_port)
http_port=$(free_port)
# Rate limits off: the load generator floods a few connections on purpose.
(cd "${CITYSENSE_SILO_DIR:-$root/src/Silo/bin/Release/net10.0}" && exec dotnet CitySense.Silo.dll --urls="http://127.0.0.1:$http_port" \
    --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" --Mqtt:Port="$mqtt_port" \
    --Influx:DataPath="$work/data" --Logging:LogLevel:Default=Warning \
    --Ingest:DeviceRateLimit:MessagesPerSecond=0 --Ingest:ConnectionRateLimit:MessagesPerSecond=0) > "$out/citysense.log" 2>&1 &
silo_pid=$!
wait_until 90 "CitySense /health" curl -sf "http://127.0.0.1:$http_port/health"
log "CitySense pid $silo_pid, MQTT 127.0.0.1:$mqtt_port, results in $out"

health() { curl -s "http://127.0.0.1:$http_port/health"; }
applied() { health | jq -r .ingest.readingsApplied; }
rss_mib() { awk '/VmRSS/{printf "%.0f", $2/1024}' "/proc/$silo_pid/status"; }
hwm_mib() { awk '/VmHWM/{printf "%.0f", $2/1024}' "/proc/$silo_pid/status"; }
# Peak RSS per phase: writing 5 to clear_refs resets the kernel's high-water mark (VmHWM). Needs root or the silo's own
# user (it is ours); where the kernel refuses, a phase's peak is the peak so far, and the table says so.
hwm_resets=1
reset_hwm() { echo 5 > "/proc/$silo_pid/clear_refs" 2>/dev/null || hwm_resets=0; }
# The silo's CPU time so far, in microseconds (user + system; clock ticks from /proc).
cpu_us() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.0f", ($14 + $15) * 1000000 / hz}' "/proc/$silo_pid/stat"; }
activations() { curl -s "http://127.0.0.1:$http_port/api/cluster" | jq '[.[] | .activations // 0] | add'; }
# Devices the city counts as reporting (each community's roster, summed up on the flush and liveness timers): device
# state lives in shard grains, so activations no longer count devices.
reporting() { curl -s "http://127.0.0.1:$http_port/api/city" | jq '[.summary.devices[]?.reporting] | add // 0'; }
city=(--devices "$devices" --districts "$districts" --communities "$communities" --kinds city --mode gateway --gateway-size 100
  --qos 1 --publishers "$publishers" --inflight "$inflight" --quiet)

# 1. Fill: every device sends one reading (--once: each community's devices, a gateway message at a time; where a
# community's devices are not a multiple of 100, the last message of its round repeats some of them), so every run
# applies the same readings before the phases that are measured. The city's count of reporting devices comes on the
# communities' flush and liveness timers: waited for, not published for — unless it stops rising for 20 s (a publish
# that failed left devices out), when the round is published again.
log "phase 1: fill ($devices devices)"
fill_started=$SECONDS
"$loadgen" --port "$mqtt_port" "${city[@]}" --rate 0 --once --duration 1800 --report-json "$out/fill.json" > "$out/fill.log" 2>&1
last_reporting=-1
stalled=0
while true; do
  now_applied=$(applied || true); now_reporting=$(reporting || true)
  # An unanswered /health or /api/city (empty) is not a finished fill.
  if [ -n "$now_applied" ] && [ -n "$now_reporting" ] && [ "$now_applied" -ge "$devices" ] && [ "$now_reporting" -ge "$devices" ]; then break; fi
  if [ "${now_reporting:-0}" -gt "$last_reporting" ]; then stalled=0; last_reporting=${now_reporting:-0}; else stalled=$((stalled + 2)); fi
  if [ "${now_applied:-0}" -lt "$devices" ] || [ "$stalled" -ge 20 ]; then
    "$loadgen" --port "$mqtt_port" "${city[@]}" --rate 0 --once --duration 600 --report-json "$out/fill-$SECONDS.json" >> "$out/fill.log" 2>&1
    stalled=0
  else
    sleep 2
  fi
  log "  applied $(applied) readings, $(reporting) devices reporting, $(activations) activations, RSS $(rss_mib) MiB"
  if [ $((SECONDS - fill_started)) -gt 1800 ]; then echo "scale.sh: fill did not finish in 30 minutes" >&2; exit 1; fi
done
fill_seconds=$((SECONDS - fill_started))
fill_peak=$(hwm_mib)

log "phase 2: as fast as possible, ${seconds} s"
reset_hwm
"$loadgen" --port "$mqtt_port" "${city[@]}" --rate 0 --duration "$seconds" --report-json "$out/max.json" > "$out/max.log" 2>&1
max_rate=$(jq -r '.readingsPerSecond | floor' "$out/max.json")
max_peak=$(hwm_mib)
log "  $max_rate readings/s; RSS $(rss_mib) MiB"

log "phase 3: $rate readings/s, ${seconds} s"
reset_hwm
cpu_before=$(cpu_us); applied_before=$(applied)
"$loadgen" --port "$mqtt_port" "${city[@]}" --rate "$rate" --duration "$seconds" --report-json "$out/sustain.json" > "$out/sustain.log" 2>&1
# QoS 1: every reading sent was applied before its PUBACK, so the count is complete when the publisher returns.
sustain_peak=$(hwm_mib)
sustain_cpu=$(awk -v c="$(( $(cpu_us) - cpu_before ))" -v n="$(( $(applied) - applied_before ))" 'BEGIN{printf "%.2f", (n > 0 ? c / n : 0)}')
log "  $(jq -r '.readingsPerSecond | floor' "$out/sustain.json") readings/s, silo CPU $sustain_cpu µs/reading; RSS $(rss_mib) MiB"

half=$((max_rate / 2))
log "phase 4: half the maximum, $half readings/s, ${seconds} s"
reset_hwm
"$loadgen" --port "$mqtt_port" "${city[@]}" --rate "$half" --duration "$seconds" --report-json "$out/latency.json" > "$out/latency.log" 2>&1
latency_peak=$(hwm_mib)

hold_peak=""; hold_p99=""
held=${hold_rate:-$half}
if [ "$hold" -gt 0 ]; then
  log "phase 5: $held readings/s ($([ -n "$hold_rate" ] && echo "--hold-rate" || echo "half the maximum")), $hold s"
  reset_hwm
  left=$hold; round=0
  while [ "$left" -gt 0 ]; do
    round=$((round + 1)); take=$(( left < 300 ? left : 300 )); left=$((left - take))
    "$loadgen" --port "$mqtt_port" "${city[@]}" --rate "$held" --duration "$take" --report-json "$out/hold-$round.json" > "$out/hold-$round.log" 2>&1
    p99=$(jq -r '.latency.p99Us / 1000' "$out/hold-$round.json")
    hold_p99=$(awk -v a="${hold_p99:-0}" -v b="$p99" 'BEGIN{print (b > a ? b : a)}')
    log "  after $((hold - left)) s: $(jq -r '.readingsPerSecond | floor' "$out/hold-$round.json") readings/s, p99 $p99 ms, RSS $(rss_mib) MiB, peak $(hwm_mib) MiB"
  done
  hold_peak=$(hwm_mib)
fi

table="$out/scale.md"
{
  echo "Load: gateway messages of 100 readings, QoS 1, $publishers publishers x $inflight in flight."
  echo
  echo "| devices | devices reporting | grain activations | fill s | max readings/s | at $rate/s: sent readings/s | silo CPU µs/reading | at half max ($half/s): p50 ms | p99 ms | peak RSS MiB: fill / max / at $rate/s / at half max | RSS now MiB |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"
  echo "| $devices | $(reporting) | $(activations) | $fill_seconds | $max_rate | $(jq -r '.readingsPerSecond | floor' "$out/sustain.json") | $sustain_cpu | $(jq -r '.latency.p50Us / 1000' "$out/latency.json") | $(jq -r '.latency.p99Us / 1000' "$out/latency.json") | $fill_peak / $max_peak / $sustain_peak / $latency_peak | $(rss_mib) |"
  if [ "$hold" -gt 0 ]; then echo; echo "Held at $held readings/s for $hold s more: peak RSS $hold_peak MiB, worst round's p99 $hold_p99 ms."; fi
  if [ "$hwm_resets" = 0 ]; then echo; echo "The kernel refused to reset the peak RSS between phases: each phase's peak is the peak so far."; fi
} > "$table"
cat "$table"
log "done; reports in $out"
