# Shared by the benchmark scripts (source it): ports and waiting.

# A loopback port nobody listens on now, below Linux's ephemeral range (32768+): a server binds it only later, and
# meanwhile the kernel may give a port from that range to an outgoing connection, which then fails the bind (a silo
# aborted at start-up that way once, RESULTS.md §13). The tests' FreePort does the same.
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
}

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s until it succeeds, or fails the script.
wait_until() {
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then echo "${0##*/}: timed out waiting for $what" >&2; return 1; fi
    sleep 0.2
  done
}

# city_shape SHAPE DEVICES: sets shape_args, the load generator's city. "city" (the default everywhere): 100 devices a
# community, ten communities a district, kinds in a city's mix (water 40 %, heat 25 %, gas 20 %, community sensors 15 %);
# DEVICES (default 10 000) scales it. "small": the shape of the earlier figures, 1 000 devices (or DEVICES) in 10
# communities of 2 districts, the seven kinds in equal shares.
city_shape() {
  local devices=${2:-}
  case "$1" in
    city)
      devices=${devices:-10000}
      local communities=$(( devices / 100 > 0 ? devices / 100 : 1 ))
      local districts=$(( communities / 10 > 0 ? communities / 10 : 1 ))
      shape_args=(--devices "$devices" --districts "$districts" --communities "$communities" --kinds city) ;;
    small)
      shape_args=(--devices "${devices:-1000}" --districts 2 --communities 10 --kinds all) ;;
    *) echo "${0##*/}: unknown shape $1 (city or small)" >&2; return 1 ;;
  esac
}

# publish_silo DIR: the silo as deploy/Dockerfile builds it (ReadyToRun, framework-dependent, for this machine's
# architecture) into DIR.
publish_silo() {
  local rid=linux-x64
  [ "$(uname -m)" = aarch64 ] && rid=linux-arm64
  dotnet publish src/Silo/CitySense.Silo.csproj -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
    -o "$1" --nologo -v quiet > /dev/null
}

# select_silo_build BUILD SCRIPT WORK: sets silo_dir to the silo a benchmark runs: "published" (what deploy/Dockerfile
# builds, published into WORK/silo) or "release" (the plain Release build).
select_silo_build() {
  case "$1" in
    published) publish_silo "$3/silo"; silo_dir="$3/silo" ;;
    release) silo_dir="$(pwd)/src/Silo/bin/Release/net10.0" ;;
    *) echo "$2: --build published or release" >&2; return 2 ;;
  esac
}

# start_external_silo DIR WORK ARGS...: the silo from DIR in Mqtt:Mode=External on this benchmark's mosquitto
# ($mqtt_port), rate limits off, its log in WORK/silo.log. ARGS may hold --silo-dir=DIR (run another build) and
# --env=NAME=VALUE (an environment variable of the silo); the rest are silo arguments. Sets silo (its pid, also added
# to started) and http_port, and returns once the silo is connected to the broker.
start_external_silo() {
  local dir=$1 work=$2 env_args=() args=() a
  shift 2
  for a in "$@"; do
    case "$a" in
      --silo-dir=*) dir=$(realpath "${a#--silo-dir=}") ;;
      --env=*) env_args+=("${a#--env=}") ;;
      *) args+=("$a") ;;
    esac
  done
  http_port=$(free_port)
  (cd "$dir" && exec env "${env_args[@]}" dotnet CitySense.Silo.dll --urls="http://127.0.0.1:$http_port" \
    --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" --Influx:DataPath="$work/data-$RANDOM" \
    --Mqtt:Mode=External --Mqtt:Host=127.0.0.1 --Mqtt:Port="$mqtt_port" --Mqtt:ClientId="citysense-bench-$RANDOM" \
    --Mqtt:SessionExpiry=00:00:05 --Logging:LogLevel:Default=Warning --Ingest:DeviceRateLimit:MessagesPerSecond=0 \
    --Ingest:ConnectionRateLimit:MessagesPerSecond=0 "${args[@]}") > "$work/silo.log" 2>&1 &
  silo=$!
  started+=("$silo")
  wait_until 60 "the silo" bash -c "curl -s http://127.0.0.1:$http_port/health | grep -q '\"connected\":true'"
}

# external_bench SCRIPT BUILD: what a benchmark of an External-mode silo behind mosquitto sets up before it measures:
# the silo and the load generator built (loadgen), a work folder (work) removed at exit together with every process
# in started, the silo to run (silo_dir, see select_silo_build) and a mosquitto (mqtt_port).
external_bench() {
  [ -x /usr/sbin/mosquitto ] || { echo "$1: apt-get install mosquitto" >&2; exit 1; }
  dotnet build src/Silo -c Release --nologo -v quiet > /dev/null
  dotnet build benchmarks/CitySense.LoadGenerator -c Release --nologo -v quiet > /dev/null
  loadgen="$(pwd)/benchmarks/CitySense.LoadGenerator/bin/Release/net10.0/citysense-loadgen"
  work=$(mktemp -d -t "citysense-${1%.sh}-XXXXXX")
  started=()
  trap stop_started EXIT
  select_silo_build "$2" "$1" "$work"
  start_mosquitto "$work" 1000000
  started+=("$mosquitto_pid")
}

# stop_started: stops every process in started, then removes the work folder (external_bench's exit trap).
stop_started() {
  local pid
  for pid in "${started[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}

# cpu_seconds PID: CPU seconds (user + system) the process has used so far.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.3f\n", ($14 + $15) / hz}' "/proc/$1/stat"; }

# start_mosquitto DIR MAX_QUEUED: a mosquitto on a free loopback port, anonymous, no persistence, its config and log in
# DIR; sets mqtt_port and mosquitto_pid (the caller stops it) and returns once it accepts connections.
start_mosquitto() {
  mqtt_port=$(free_port)
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages %s\nset_tcp_nodelay true\n' \
    "$mqtt_port" "$2" > "$1/mosquitto.conf"
  /usr/sbin/mosquitto -c "$1/mosquitto.conf" > "$1/mosquitto.log" 2>&1 &
  mosquitto_pid=$!
  wait_until 20 "mosquitto on $mqtt_port" bash -c "exec 3<>/dev/tcp/127.0.0.1/$mqtt_port"
}
