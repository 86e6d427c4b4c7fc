#!/usr/bin/env bash
# The test command of the README, and what CI runs (.ci/run). Installs the real servers the tests start
# (mosquitto, VictoriaMetrics, Redis), the MQTT clients CitySense did not write that the edge tests drive
# (mosquitto_pub, Debian's python3-paho-mqtt), the browser the screen test drives (Debian's chromium; Playwright never
# downloads one) and jq when they are missing; runs every test project of the solution; then checks the micro-benchmarks'
# allocation budgets in BenchmarkDotNet's short job (about two minutes; CITYSENSE_SKIP_ALLOCATIONS=1 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
[ -x /usr/bin/mosquitto_pub ] || need+=(mosquitto-clients)
/usr/bin/python3 -c 'import paho.mqtt' 2>/dev/null || need+=(python3-paho-mqtt)
[ -x /usr/bin/victoria-metrics ] || need+=(victoria-metrics)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/redis-server ] || need+=(redis-server)
[ -x /usr/bin/jq ] || need+=(jq)
# FIWARE's ngsijs (npm, installed at test time by NgsiJsClientTests) runs on node.
[ -x /usr/bin/node ] && [ -x /usr/bin/npm ] || need+=(nodejs npm)
[ -e /usr/share/zoneinfo/Asia/Shanghai ] || need+=(tzdata)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${need[@]}"
fi

dotnet test CitySense.slnx --configuration Release "$@"

if [ "${CITYSENSE_SKIP_ALLOCATIONS:-0}" != 1 ]; then
  JOB=short bash benchmarks/check-allocations.sh
fi
