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
