#!/usr/bin/env bash
# Target 5 of the performance issue, second half: the write request size (Influx:BatchBytes) and gzip
# (Influx:Gzip) chosen by measurement. Community window points go through the real InfluxLineWriter (InfluxDB.Client)
# to a local VictoriaMetrics (InfluxDB v2 write API), one request at a time as the sink sends them; each combination
# runs --repeats times, interleaved, so the shared machine's drift touches all. Prints lines/s (min / median / max) and
# the writer's CPU per line (median). VictoriaMetrics runs on the same cores: the rate is what this machine sustains.
#
#   bash benchmarks/influx-batch.sh                          # 200 000 lines per run, 3 repeats
#   bash benchmarks/influx-batch.sh --lines 100000 --repeats 5 --out /tmp/influx
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=benchmarks/lib.sh
source benchmarks/lib.sh

lines=200000
repeats=3
sizes="65536 262144 524288 1048576 4194304"
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --lines) lines=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "influx-batch.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/victoria-metrics ] || { echo "influx-batch.sh: apt-get install victoria-metrics" >&2; exit 1; }
command -v jq >/dev/null || { echo "influx-batch.sh: apt-get install jq" >&2; exit 1; }

work=$(mktemp -d -t citysense-influx-XXXXXX)
out=${out:-$work}
mkdir -p "$out"
vm_pid=""
cleanup() { [ -n "$vm_pid" ] && kill "$vm_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work/vm"; }
trap cleanup EXIT

dotnet build benchmarks/CitySense.Benchmarks -c Release --nologo -v quiet
port=$(free_port)
/usr/bin/victoria-metrics -httpListenAddr="127.0.0.1:$port" -storageDataPath="$work/vm" -retentionPeriod=100y -loggerLevel=WARN > "$out/victoria-metrics.log" 2>&1 &
vm_pid=$!
wait_until 30 "VictoriaMetrics on $port" curl -sf "http://127.0.0.1:$port/health"

: > "$out/runs.jsonl"
for r in $(seq 1 "$repeats"); do
  for size in $sizes; do
    for gzip in "" "--gzip"; do
      # shellcheck disable=SC2086
      dotnet run -c Release --no-build --project benchmarks/CitySense.Benchmarks -- influx-write --url "http://127.0.0.1:$port" \
        --lines "$lines" --batch-bytes "$size" $gzip | tail -1 | tee -a "$out/runs.jsonl"
    done
  done
done

{
  echo "| request bytes | gzip | lines/s min | median | max | writer CPU µs/line (median) |"
  echo "|---:|---|---:|---:|---:|---:|"
  jq -rs 'group_by([.batchBytes, .gzip])[] |
    (map(.linesPerSecond) | sort) as $r | (map(.clientCpuUsPerLine) | sort) as $c |
    "| \(.[0].batchBytes) | \(.[0].gzip) | \($r[0]) | \($r[($r | length) / 2 | floor]) | \($r[-1]) | \($c[($c | length) / 2 | floor]) |"' "$out/runs.jsonl"
} | tee "$out/influx-batch.md"
