#!/usr/bin/env bash
# Where the silo's threads spend their time under load: starts mosquitto and CitySense (External mode, single-reading
# messages: what compare.sh's B measures; or --embedded: its embedded broker with gateway messages, C), publishes with
# the load generator as fast as it goes, samples the silo with dotnet-trace (thread-time sampling, 8 s in the middle
# of the run) and prints the top methods by inclusive samples. Every thread is sampled alike, waiting or not, so a
# method's share divided by one thread's share (100 % / threads) is how busy it kept its thread.
#
#   bash benchmarks/profile-silo.sh              # External mode, single-reading messages
#   bash benchmarks/profile-silo.sh --embedded   # embedded broker, gateway messages of 100
#   bash benchmarks/profile-silo.sh --gateway 100000   # External mode, gateway messages of 100 at a fixed rate of
#                                                # readings/s (issue 16's target 2), QoS 0 as cpu-ratio.sh publishes
#   bash benchmarks/profile-silo.sh --perf       # CPU samples (Linux perf, on-CPU only) instead of thread time:
#                                                # the share of the silo's CPU each method takes, self and with callees
#   bash benchmarks/profile-silo.sh --warmup 30  # sample only after 30 s more of the same load: steady state, past tiered
#                                                # PGO's instrumented code (default 0: from the third second)
#
# dotnet-trace is installed from NuGet into a temporary tool folder when it is not on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=benchmarks/lib.sh
source benchmarks/lib.sh
root=$(pwd)
mode=external
sampler=trace
warmup=0
while [ $# -gt 0 ]; do
  case "$1" in
    --embedded) mode=embedded; shift ;;
    --gateway) mode=external-gateway; gateway_rate=$2; shift 2 ;;
    --perf) sampler=perf; shift ;;
    --warmup) warmup=$2; shift 2 ;;
    *) echo "profile-silo.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d -t citysense-profile-XXXXXX)
started=()
cleanup() {
  for pid in "${started[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT


trace=$(command -v dotnet-trace || true)
if [ "$sampler" = perf ]; then
  command -v perf > /dev/null || { echo "profile-silo.sh: perf is missing: apt-get install linux-perf" >&2; exit 1; }
elif [ -z "$trace" ]; then
  dotnet tool install --tool-path "$work/tools" dotnet-trace > /dev/null
  trace="$work/tools/dotnet-trace"
fi

dotnet build src/Silo -c Release --nologo -v quiet
dotnet build benchmarks/CitySense.LoadGenerator -c Release --nologo -v quiet
loadgen="$root/benchmarks/CitySense.LoadGenerator/bin/Release/net10.0/citysense-loadgen"

mqtt_port=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\nset_tcp_nodelay true\n' "$mqtt_port" > "$work/mosquitto.conf"
/usr/sbin/mosquitto -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 &
started+=($!)

http_port=$(free_port)
embedded_port=$(free_port)
if [ "$mode" = external ]; then
  silo_args=(--Mqtt:Mode=External --Mqtt:Host=127.0.0.1 --Mqtt:Port="$mqtt_port")
  publish_args=(--port "$mqtt_port" --mode single)
elif [ "$mode" = external-gateway ]; then
  silo_args=(--Mqtt:Mode=External --Mqtt:Host=127.0.0.1 --Mqtt:Port="$mqtt_port")
  publish_args=(--port "$mqtt_port" --mode gateway --gateway-size 100 --rate "$gateway_rate" --qos 0)
else
  silo_args=(--Mqtt:Mode=Embedded --Mqtt:Port="$embedded_port")
  publish_args=(--port "$embedded_port" --mode gateway --gateway-size 100)
fi
# The JIT writes /tmp/perf-PID.map so that perf can name managed frames (W^X off: with it on, JIT code runs from a
# double mapping perf cannot tie to the map).
(cd src/Silo/bin/Release/net10.0 && DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 exec dotnet CitySense.Silo.dll --urls="http://127.0.0.1:$http_port" \
  --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" --Influx:DataPath="$work/data" \
  --Logging:LogLevel:Default=Warning --Ingest:DeviceRateLimit:MessagesPerSecond=0 \
  --Ingest:ConnectionRateLimit:MessagesPerSecond=0 "${silo_args[@]}") > "$work/citysense.log" 2>&1 &
silo=$!
started+=("$silo")
for _ in $(seq 1 300); do
  curl -s "http://127.0.0.1:$http_port/health" | grep -q '"connected":true' && break
  sleep 0.2
done

"$loadgen" "${publish_args[@]}" --duration $((14 + warmup)) --publishers 4 --inflight 8 --quiet > "$work/publish.log" 2>&1 &
publisher=$!
started+=("$publisher")
sleep $((3 + warmup))
if [ "$sampler" = perf ]; then
  perf record -F 499 -g -p "$silo" -o "$work/perf.data" -- sleep 8 > "$work/perf.log" 2>&1
  wait "$publisher"
  tail -3 "$work/publish.log"
  curl -s "http://127.0.0.1:$http_port/health"
  echo
  perf report -i "$work/perf.data" --no-children --sort dso,symbol --stdio -g none --percent-limit 0.4 2>/dev/null \
    | grep -v '^$' > "$work/perf-self.txt"
  perf report -i "$work/perf.data" --children --sort symbol --stdio -g none --percent-limit 1.5 2>/dev/null \
    | grep -v '^$' > "$work/perf-children.txt"
  echo "== self (share of the silo's CPU samples) =="; grep -v '^#' "$work/perf-self.txt" | cut -c1-160 | head -45
  echo "== with callees =="; grep -v '^#' "$work/perf-children.txt" | cut -c1-160 | head -70
  echo "full reports: $work/perf-self.txt, $work/perf-children.txt"
  exit 0
fi
"$trace" collect -p "$silo" --profile dotnet-sampled-thread-time --duration 00:00:00:08 -o "$work/silo.nettrace" > "$work/trace.log" 2>&1
wait "$publisher"
tail -3 "$work/publish.log"
curl -s "http://127.0.0.1:$http_port/health"
echo
"$trace" report "$work/silo.nettrace" topN --inclusive -n 400 > "$work/top-inclusive.txt"
"$trace" report "$work/silo.nettrace" topN -n 60 > "$work/top-exclusive.txt"
# One thread's share: a dedicated loop such as the timer thread is on its own thread's stack in every sample.
grep -E 'TimerQueue.TimerThread' "$work/top-inclusive.txt" | head -1
# Our code and the MQTT and Orleans paths it drives; waiting frames and thread-pool plumbing left out.
grep -E 'CitySense|TelemetryDecoder|IngestPipeline|IngestWorker|AreaAggregate|KindAggregate|DeviceState|DeviceGrain|AreaGrain|LineBuilder|MqttClient\+<Receive|MqttServer|InterceptingPublish|HandleReceivedApplicationMessage|InvokeMethodAsync|Utf8JsonReader\.Read\(' "$work/top-inclusive.txt" | head -60
echo "full reports: $work/top-inclusive.txt, $work/top-exclusive.txt"
