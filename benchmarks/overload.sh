#!/usr/bin/env bash
# Overload through an external broker: a city-shaped flood (10 000 meters in 100 communities, gateway messages of 100
# readings) published through mosquitto by Debian's paho-mqtt (tests/.../Clients/paho_flood.py), two publishers, for
# SECONDS at RATE messages/s each (0: flat out). Prints, every 5 s, the silo's [messages applied, QoS 0 messages
# dropped, broker disconnects] and its RSS (KiB); then waits until every published message is applied or counted as
# dropped, and prints the totals.
#   bash benchmarks/overload.sh [--qos 0|1] [--seconds 60] [--rate 1500]
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/lib.sh
QOS=0; SECS=60; RATE=1500
while [ $# -gt 0 ]; do
  case $1 in
    --qos) QOS=$2; shift 2;; --seconds) SECS=$2; shift 2;; --rate) RATE=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
dotnet build -c Release src/Silo >/dev/null
WORK=$(mktemp -d /tmp/citysense-overload-XXXX); chmod 777 "$WORK"
MQTT=$(free_port); HTTP=$(free_port)
cat > "$WORK/mosquitto.conf" <<CONF
listener $MQTT 127.0.0.1
allow_anonymous true
max_queued_messages 10000000
persistence false
CONF
/usr/sbin/mosquitto -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 & MPID=$!
dotnet src/Silo/bin/Release/net10.0/CitySense.Silo.dll --Mqtt:Mode=External --Mqtt:Host=127.0.0.1 --Mqtt:Port="$MQTT" \
  --Mqtt:ClientId=overload --urls "http://127.0.0.1:$HTTP" --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" \
  --Influx:DataPath="$WORK/data" --Ingest:DeviceRateLimit:MessagesPerSecond=0 --Ingest:ConnectionRateLimit:MessagesPerSecond=0 \
  --Dashboard:Enabled=false > "$WORK/silo.log" 2>&1 & SPID=$!
trap 'kill $SPID $MPID 2>/dev/null; wait 2>/dev/null' EXIT
wait_until 60 "the silo to connect" sh -c "curl -s http://127.0.0.1:$HTTP/health | grep -q '\"connected\":true'"
health() { curl -s "http://127.0.0.1:$HTTP/health" | jq -c '[.ingest.messagesApplied, .ingest.droppedMessages, .mqtt.disconnects]'; }
FLOOD=tests/CitySense.IntegrationTests/Clients/paho_flood.py
START=$SECONDS
/usr/bin/python3 $FLOOD 127.0.0.1 "$MQTT" "$QOS" "$SECS" 0 2 "$RATE" > "$WORK/p0.json" & P0=$!
/usr/bin/python3 $FLOOD 127.0.0.1 "$MQTT" "$QOS" "$SECS" 1 2 "$RATE" > "$WORK/p1.json" & P1=$!
while kill -0 $P0 2>/dev/null || kill -0 $P1 2>/dev/null; do
  echo "$((SECONDS - START)) s $(health) rss=$(ps -o rss= $SPID)"; sleep 5
done
PUBLISHED=$(cat "$WORK/p0.json" "$WORK/p1.json" | jq -s 'map(.messages) | add')
echo "flood over after $((SECONDS - START)) s: $PUBLISHED messages published; silo $(health)"
wait_until 600 "every message applied or dropped" sh -c \
  "[ \$(curl -s http://127.0.0.1:$HTTP/health | jq '.ingest.messagesApplied + .ingest.droppedMessages') -ge $PUBLISHED ]"
echo "drained after $((SECONDS - START)) s: [applied, dropped, disconnects] = $(health) of $PUBLISHED published"
