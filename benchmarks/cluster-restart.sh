#!/usr/bin/env bash
# A whole-cluster kill and a restart: two silos on Redis behind mosquitto (shared subscription), QoS 1 readings at
# --rate/s, both silos killed with SIGKILL, silo 1 restarted --down seconds later with the same settings; prints when
# its /health answers and when it applies readings again (seconds after its process started), and counts its log lines
# of the first 40 s by level.
#   bash benchmarks/cluster-restart.sh [--down 5] [--observe 60] [--rate 200] [-- extra silo args]
# Needs /usr/bin/redis-server, /usr/sbin/mosquitto, jq, curl.
set -uo pipefail
cd "$(dirname "$0")/.."
source benchmarks/lib.sh
DOWN=5; OBS=60; RATE=200; extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --down) DOWN=$2; shift 2;; --observe) OBS=$2; shift 2;; --rate) RATE=$2; shift 2;;
    --) shift; extra=("$@"); break;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
dotnet build -c Release src/Silo --nologo -v quiet >/dev/null
dotnet build -c Release benchmarks/CitySense.LoadGenerator --nologo -v quiet >/dev/null
silo_dir=$(pwd)/src/Silo/bin/Release/net10.0
loadgen=$(pwd)/benchmarks/CitySense.LoadGenerator/bin/Release/net10.0/citysense-loadgen
out=$(mktemp -d /tmp/citysense-restart-XXXX); mkdir -p "$out/redis"
REDIS=$(free_port); MQTT=$(free_port)
H1=$(free_port); H2=$(free_port); S1=$(free_port); S2=$(free_port); G1=$(free_port); G2=$(free_port)
pids=()
trap 'kill -9 "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT
/usr/bin/redis-server --port "$REDIS" --bind 127.0.0.1 --dir "$out/redis" --save "" --appendonly no > "$out/redis.log" 2>&1 & pids+=($!)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 1000000\n' "$MQTT" > "$out/mosquitto.conf"
/usr/sbin/mosquitto -c "$out/mosquitto.conf" > "$out/mosquitto.log" 2>&1 & pids+=($!)
start_silo() { # index http silo-port gateway-port log
  (cd "$silo_dir" && exec dotnet CitySense.Silo.dll --urls="http://127.0.0.1:$2" \
    --Orleans:Provider=Redis --Orleans:Redis="127.0.0.1:$REDIS" --Orleans:ClusterId=restart \
    --Orleans:SiloPort="$3" --Orleans:GatewayPort="$4" \
    --Mqtt:Mode=External --Mqtt:Host=127.0.0.1 --Mqtt:Port="$MQTT" --Mqtt:ClientId="restart-silo-$1" \
    --Mqtt:SharedGroup=citysense --Influx:DataPath="$out/data-$1" "${extra[@]}") > "$out/$5" 2>&1 &
  echo $!
}
applied() { curl -s -m 1 "http://127.0.0.1:$1/health" | jq -r '.ingest.readingsApplied // empty' 2>/dev/null; }
p1=$(start_silo 1 "$H1" "$S1" "$G1" silo-1.log); p2=$(start_silo 2 "$H2" "$S2" "$G2" silo-2.log); pids+=("$p1" "$p2")
for p in $H1 $H2; do wait_until 120 "silo on $p" sh -c "curl -sf -m 1 http://127.0.0.1:$p/health | grep -q '\"connected\":true'"; done
"$loadgen" --port "$MQTT" --devices 200 --districts 2 --communities 6 --kinds water,env --rate "$RATE" --duration $((20 + DOWN + OBS)) \
  --qos 1 --publishers 2 --inflight 1 --quiet > "$out/loadgen.log" 2>&1 & pids+=($!)
sleep 12
echo "applied before the kill: $(applied "$H1") + $(applied "$H2")"
kill -9 "$p1" "$p2"; wait "$p1" "$p2" 2>/dev/null
echo "killed both silos; restarting silo 1 in $DOWN s"
sleep "$DOWN"
start=$(date +%s.%N)
p1=$(start_silo 1 "$H1" "$S1" "$G1" silo-1-restarted.log); pids+=("$p1")
up=""; first=""
while :; do
  el=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN{printf "%.1f", a-b}')
  v=$(applied "$H1")
  if [ -n "$v" ] && [ -z "$up" ]; then up=$el; echo "silo 1 answers /health at +$el s"; fi
  if [ -n "$v" ] && [ "$v" -gt 0 ] && [ -z "$first" ]; then first=$el; echo "silo 1 applies readings again at +$el s"; fi
  awk -v e="$el" -v o="$OBS" 'BEGIN{exit !(e>=o)}' && break
  [ -n "$first" ] && awk -v e="$el" 'BEGIN{exit !(e>=40)}' && break
  sleep 0.5
done
log="$out/silo-1-restarted.log"
echo "log of the restarted silo: $(wc -l < "$log") lines, $(grep -c '^warn:' "$log") warnings, $(grep -c '^fail:' "$log") errors (logs in $out)"
[ -n "$first" ] || { echo "silo 1 did not apply readings within $OBS s"; exit 1; }
