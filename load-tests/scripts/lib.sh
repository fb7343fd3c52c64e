# Shell helpers shared by compare.sh and cluster.sh (sourced, not run).

# The JVM settings a Sealroom node runs with (README, "JVM settings"): the parallel collector (on
# one core the most throughput, young pauses of about 40 ms) and a fixed 1 GB heap, so that a node
# pinned to one core does not pick the serial collector with a quarter of the machine's memory.
NODE_JVM_OPTS=${NODE_JVM_OPTS:-"-XX:+UseParallelGC -Xms1g -Xmx1g"}
# quiet reads QUIET_WAIT and QUIET_BUSY from the caller.

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2> /dev/null; }

# wait_port PORT PID: until PORT accepts connections; fails when PID exits first or after 60 s.
wait_port() {
  for _ in $(seq 1 300); do
    port_open "$1" && return 0
    kill -0 "$2" 2> /dev/null || return 1
    sleep 0.2
  done
  return 1
}

# quiet: waits until all cores together are under QUIET_BUSY% busy over 2 s, or QUIET_WAIT s have
# passed; prints the last busy %. Other work on the machine distorts loopback numbers.
cpu_sample() { read -r _ a b c d e f g h _ < /proc/stat; echo $((a + b + c + e + f + g + h)) $((a + b + c + d + e + f + g + h)); }
quiet() {
  local waited=0 b0 t0 b1 t1 busy
  while :; do
    read -r b0 t0 < <(cpu_sample); sleep 2; read -r b1 t1 < <(cpu_sample)
    busy=$((100 * (b1 - b0) / (t1 - t0 + 1)))
    if [ "$busy" -lt "$QUIET_BUSY" ] || [ "$waited" -ge "$QUIET_WAIT" ]; then echo "$busy"; return; fi
    sleep 3; waited=$((waited + 5))
  done
}

# json_str TEXT: TEXT as a JSON string (control characters dropped).
json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$(printf '%s' "$s" | tr -d '\000-\037')"; }

# machine: "2 cores (CPU model), Linux x.y, openjdk version ..." for a report's note.
machine() {
  local cpu jv
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
  jv=$(java -version 2>&1 | head -n 1)
  echo "$(nproc) cores ($cpu), Linux $(uname -r), $jv, loopback"
}
