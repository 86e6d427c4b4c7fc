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

# publish_silo DIR: the silo as deploy/Dockerfile builds it (ReadyToRun, framework-dependent) into DIR.
publish_silo() {
  dotnet publish src/Silo/CitySense.Silo.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$1" --nologo -v quiet > /dev/null
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
