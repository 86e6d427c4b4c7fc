#!/usr/bin/env bash
# The test command of the README, and what CI runs (.ci/run). Installs the real servers the tests start
# (mosquitto, VictoriaMetrics) and the browser the screen test drives (Debian's chromium; Playwright never downloads one)
# when they are missing, then runs every test project of the solution.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
[ -x /usr/bin/victoria-metrics ] || need+=(victoria-metrics)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${need[@]}"
fi

dotnet test CitySense.slnx --configuration Release "$@"
