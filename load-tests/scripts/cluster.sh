#!/usr/bin/env bash
# The cluster scenario in one command: for each node count and rate, a fresh shared store (the
# server's `store` command, on disk in a fresh directory) and 1, 2 or 3 fresh clustered nodes on
# this machine, each pinned to a core; the tool's cluster scenario spreads the subscribers over
# the nodes and publishes through the first; then one table (sealroom.load.ClusterReport).
#
# Usage (from load-tests/ or anywhere):
#   scripts/cluster.sh
#   NODES="1 2 3" RATES="100 300" SUBS=1000 DURATION=10 WARMUP=20 scripts/cluster.sh
#
# Environment:
#   NODES       node counts to run (default "1 2 3"); one node is still a clustered node (a cluster of one)
#   RATES       published messages per second (default "100 300")
#   SUBS SIZE DURATION WARMUP   subscribers (1000), message bytes (200), measured and warm-up seconds (10, 20)
#   SETTLE      seconds between the last subscription and the first message (default 0: publish at once,
#               a subscription storm included; a positive value measures steady state only)
#   NODE_CPUS   the core of node 1, 2, 3... (default "0 1 0": node k on core (k-1) mod 2)
#   TOOL_CPUS   the tool's cores (default 0-1: it shares both cores with the nodes)
#   STORE_CPUS  the store's cores (default 0-1)
#   STORE_PARENT where each run's fresh store directory is made (default /tmp; must not be tmpfs)
#   PORT_BASE   node k listens on PORT_BASE + k (default 18180: 18181, 18182, 18183)
#   STORE_PORT  the store's port (default 27117); CLUSTER_PORT the first Hazelcast port (default 25701)
#   OUT         output prefix (default results/<date>-cluster, -2, -3... if taken)
#   QUIET_WAIT QUIET_BUSY  before each run, wait up to QUIET_WAIT s (default 120) for all cores to be
#               under QUIET_BUSY% busy (default 15); 0 = do not wait
#   TOOL_ARGS   extra options for the tool; JAVA_OPTS_NODE JAVA_OPTS_STORE JAVA_OPTS_TOOL; REBUILD=1 rebuilds both jars
# None of these is named SEALROOM_*: the nodes inherit this environment and refuse unknown SEALROOM_*
# variables. Outputs: OUT.json (every run, failed ones included) and OUT.md; each run's node, store
# and tool logs stay in a directory under /tmp (printed).
set -uo pipefail
# The command as given, for the top of the report: the settings that came from the environment.
COMMAND=
for v in NODES RATES SUBS SIZE DURATION WARMUP SETTLE NODE_CPUS TOOL_CPUS STORE_CPUS STORE_PARENT PORT_BASE STORE_PORT CLUSTER_PORT QUIET_WAIT QUIET_BUSY OUT \
    TOOL_ARGS JAVA_OPTS_NODE JAVA_OPTS_STORE JAVA_OPTS_TOOL; do
  [ -n "${!v+x}" ] && COMMAND="$COMMAND$v=\"${!v}\" "
done
COMMAND="cd load-tests && ${COMMAND}scripts/cluster.sh"
cd "$(dirname "$0")/.."
LT=$PWD
NODES=${NODES:-"1 2 3"}
RATES=${RATES:-"100 300"}
SUBS=${SUBS:-1000}
SIZE=${SIZE:-200}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-20}
SETTLE=${SETTLE:-0}
read -r -a NODE_CPU <<< "${NODE_CPUS:-0 1 0}"
TOOL_CPUS=${TOOL_CPUS:-0-1}
STORE_CPUS=${STORE_CPUS:-0-1}
STORE_PARENT=${STORE_PARENT:-/tmp}
PORT_BASE=${PORT_BASE:-18180}
STORE_PORT=${STORE_PORT:-27117}
CLUSTER_PORT=${CLUSTER_PORT:-25701}
TOOL_ARGS=${TOOL_ARGS:-}
QUIET_WAIT=${QUIET_WAIT:-120}
QUIET_BUSY=${QUIET_BUSY:-15}
TOOL_JAR=$LT/target/sealroom-load.jar
SERVER_JAR=${SERVER_JAR:-$LT/../target/sealroom.jar}

die() { echo "cluster.sh: $*" >&2; exit 1; }
log() { echo "== $*"; }
# port_open, wait_port, quiet, json_str, machine
source "$LT/scripts/lib.sh"

for n in $NODES; do
  [ "$n" -ge 1 ] 2> /dev/null || die "NODES: '$n' is not a node count"
  [ "${#NODE_CPU[@]}" -ge "$n" ] || die "NODE_CPUS has ${#NODE_CPU[@]} cores for $n nodes"
done
for c in taskset java curl; do command -v $c > /dev/null || die "$c not found (taskset is in util-linux)"; done
STORE_FS=$(df --output=fstype "$STORE_PARENT" 2> /dev/null | tail -n 1) && [ -d "$STORE_PARENT" ] || die "STORE_PARENT $STORE_PARENT is not a directory"
[ "$STORE_FS" = tmpfs ] && echo "cluster.sh: warning: $STORE_PARENT is tmpfs, so the on-disk store would live in memory" >&2

# ---- the jars -------------------------------------------------------------------------------
if [ "${REBUILD:-0}" = 1 ] || [ ! -f "$TOOL_JAR" ] || [ -n "$(find src pom.xml ../client/src -newer "$TOOL_JAR" -print -quit)" ]; then
  log "building the load tool (with the SDK it uses)"
  (cd "$LT/.." && mvn -B -q package -DskipTests -pl load-tests -am) || die "load tool build failed"
fi
if [ "${REBUILD:-0}" = 1 ] || [ ! -f "$SERVER_JAR" ]; then
  log "building the server"
  (cd "$LT/.." && mvn -B -q package -DskipTests -pl server -am) || die "server build failed"
fi

mkdir -p results
OUT=${OUT:-}
if [ -z "$OUT" ]; then
  OUT=results/$(date -u +%F)-cluster
  n=2; base=$OUT
  while [ -e "$OUT.json" ]; do OUT=$base-$n; n=$((n + 1)); done
fi
WORK=$(mktemp -d /tmp/sealroom-cluster.XXXXXX)
log "runs and logs: $WORK; results: $OUT.{json,md}"
log "placement: node k on core NODE_CPUS[k] (${NODE_CPU[*]}), the store on cores $STORE_CPUS, the tool on cores $TOOL_CPUS"

# ---- starting and stopping ------------------------------------------------------------------
PIDS=() STORE_PID= STORE_DIR= FAIL= RUN=
FINDINGS=$WORK/findings.txt
# wait_line FILE TEXT PID: until FILE has a line starting with TEXT (60 s); fails when PID exits first.
wait_line() {
  for _ in $(seq 1 300); do
    grep -q "^$2" "$1" 2> /dev/null && return 0
    kill -0 "$3" 2> /dev/null || return 1
    sleep 0.2
  done
  return 1
}

# start_store DIR: the server's store process on disk, in a fresh directory.
start_store() {
  STORE_DIR=$(mktemp -d "$STORE_PARENT/sealroom-cluster-store.XXXXXX")
  if port_open "$STORE_PORT"; then FAIL="port $STORE_PORT was already in use before the store started"; return 1; fi
  taskset -c "$STORE_CPUS" java ${JAVA_OPTS_STORE:-} -jar "$SERVER_JAR" store --host 127.0.0.1 --port "$STORE_PORT" \
    --data-dir "$STORE_DIR" > "$1/store.log" 2>&1 &
  STORE_PID=$!
  wait_line "$1/store.log" "store listening on" "$STORE_PID" \
    || { FAIL="the store did not start: $(tail -n 1 "$1/store.log" | cut -c1-200)"; return 1; }
}

# start_node DIR K COUNT NAME: node K of COUNT, clustered under NAME; waits until it listens.
start_node() {
  local dir=$1 k=$2 port=$((PORT_BASE + $2)) pid
  if port_open "$port"; then FAIL="port $port was already in use before node $k started"; return 1; fi
  # One gateway instance: each node has one core. No send-rate limit, cheap Argon2 (registering
  # the subscribers takes seconds); every node shares the store and the cluster's name.
  env SEALROOM_HTTP_HOST=127.0.0.1 SEALROOM_HTTP_PORT=$port SEALROOM_HTTP_INSTANCES=1 \
    SEALROOM_MONGO_URI="mongodb://127.0.0.1:$STORE_PORT" SEALROOM_STORE_DATADIR="$dir/node$k" \
    SEALROOM_CLUSTER_ENABLED=true SEALROOM_CLUSTER_HOST=127.0.0.1 SEALROOM_CLUSTER_PORT=$CLUSTER_PORT SEALROOM_CLUSTER_NAME=$4 \
    SEALROOM_WS_SENDRATEPERSECOND=0 SEALROOM_AUTH_ARGON2_MEMORYKB=64 SEALROOM_AUTH_ARGON2_ITERATIONS=1 \
      SEALROOM_AUTH_REGISTRATIONRATE_PERADDRESS=1000000 SEALROOM_AUTH_LOGINRATE_SUCCESSPERACCOUNT=1000000 \
    taskset -c "${NODE_CPU[$((k - 1))]}" java ${JAVA_OPTS_NODE:-$NODE_JVM_OPTS} -jar "$SERVER_JAR" > "$dir/node$k.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  wait_line "$dir/node$k.log" "listening on" "$pid" || { FAIL="node $k did not start: $(tail -n 1 "$dir/node$k.log" | cut -c1-200)"; return 1; }
}

# cluster_size K: the cluster size node K reports in /health (0 when it does not answer).
cluster_size() {
  curl -s --max-time 5 "http://127.0.0.1:$((PORT_BASE + $1))/health" | grep -o '"size":[0-9]*' | head -n 1 | cut -d: -f2 | grep . || echo 0
}

# wait_cluster COUNT: until every node reports COUNT members (60 s).
wait_cluster() {
  local k ok
  for _ in $(seq 1 120); do
    ok=1
    for k in $(seq 1 "$1"); do [ "$(cluster_size "$k")" = "$1" ] || ok=0; done
    [ $ok = 1 ] && return 0
    sleep 0.5
  done
  FAIL="the nodes did not form a cluster of $1 in 60 s (sizes:$(for k in $(seq 1 "$1"); do printf ' %s' "$(cluster_size "$k")"; done))"
  return 1
}

# stop_pid PID NAME: SIGTERM (a node leaves the cluster and closes in its shutdown hook), SIGKILL after 10 s.
stop_pid() {
  kill "$1" 2> /dev/null
  for _ in $(seq 1 50); do kill -0 "$1" 2> /dev/null || break; sleep 0.2; done
  if kill -0 "$1" 2> /dev/null; then
    echo "   warning: $2 (pid $1) had not stopped 10 s after SIGTERM: killed"
    printf '%s\t%s\t%s\n' "$RUN" "$2" "did not stop within 10 s of SIGTERM" >> "$FINDINGS"
    kill -9 "$1" 2> /dev/null
  fi
  wait "$1" 2> /dev/null
}

# stop_all: the nodes (last first), then the store and its directory.
stop_all() {
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[$i]}" "node $((i + 1))"; done
  PIDS=()
  [ -n "$STORE_PID" ] && stop_pid "$STORE_PID" store
  [ -n "$STORE_DIR" ] && rm -rf "$STORE_DIR"
  STORE_PID= STORE_DIR=
}
trap stop_all EXIT
trap 'exit 130' INT TERM

nodes_name() { if [ "$1" = 1 ]; then echo "1 node"; else echo "$1 nodes"; fi; }

# failed_run DIR NODES RATE REASON: the record the report shows as a failed run.
failed_run() {
  printf '[{"scenario":"cluster","target":"sealroom","label":%s,"nodes":%s,"subs":%s,"rate":%s,"size":%s,"duration":%s,"warmup":%s,"failed":true,"reason":%s,"date":"%s"}]\n' \
    "$(json_str "$(nodes_name "$2") @ $3 msg/s")" "$2" "$SUBS" "$3" "$SIZE" "$DURATION" "$WARMUP" "$(json_str "$4")" \
    "$(date -u +%FT%T.%NZ)" > "$1/failed.json"
  echo "   failed: $4"
}

# mark_logs DIR: remembers how long each log is, so that log_findings leaves out what stopping logs
# (Hazelcast warns about the connections of members that have just left).
mark_logs() { local f; for f in "$1"/*.log; do wc -l < "$f" > "$f.lines"; done; }

# log_findings DIR: the distinct error and warning lines the nodes and the store logged during the
# run, with their counts, printed and kept for the report's note.
log_findings() {
  local f
  for f in "$1"/node*.log "$1"/store.log; do
    [ -f "$f" ] || continue
    head -n "$(cat "$f.lines" 2> /dev/null || wc -l < "$f")" "$f" | grep -E '^(SEVERE|WARNING|ERROR)|Exception' \
      | sed -E 's/\[[0-9.]+\]:[0-9]+ \[[^]]*\] \[[0-9.]+\] //; s/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/<uuid>/g' | cut -c1-200 \
      | sed "s|^|$(basename "$f" .log)\t|"
  done | sort | uniq -c | while read -r count line; do
    echo "   logged ${count}×: ${line/$'\t'/: }"
    printf '%s\t%s\n' "$RUN" "$line" >> "$FINDINGS"
  done
}

# summarize_findings: each distinct finding once, with where and in how many runs, for the note.
summarize_findings() {
  awk -F'\t' '{ k = $3; if (!(k in runs)) order[n++] = k; if (!((k, $1) in seen)) { seen[k, $1] = 1; runs[k]++ }
      if (!((k, $2) in had)) { had[k, $2] = 1; where[k] = where[k] (where[k] == "" ? "" : ", ") $2 } }
    END { for (i = 0; i < n; i++) printf "%s%s (%s; %d run%s)", (i ? "; " : ""), order[i], where[order[i]], runs[order[i]], runs[order[i]] == 1 ? "" : "s" }' "$FINDINGS"
}

# ---- the runs -------------------------------------------------------------------------------
i=0 failures=0
for nodes in $NODES; do
  for rate in $RATES; do
    i=$((i + 1))
    RUN=$(printf %03d $i)-$nodes-nodes-$rate
    dir=$WORK/$RUN
    mkdir -p "$dir"
    log "$(nodes_name "$nodes") @ $rate msg/s: $SUBS subscribers, $SIZE bytes, $SETTLE s settle, $WARMUP s warm-up + $DURATION s"
    if [ "$QUIET_WAIT" -gt 0 ]; then
      busy=$(quiet)
      [ "$busy" -lt "$QUIET_BUSY" ] || echo "   warning: the machine was still ${busy}% busy after ${QUIET_WAIT} s; running anyway"
    fi
    FAIL=
    name=sealroom-load-$$-$i
    start_store "$dir" && for k in $(seq 1 "$nodes"); do start_node "$dir" "$k" "$nodes" "$name" || break; done
    [ -z "$FAIL" ] && wait_cluster "$nodes"
    if [ -n "$FAIL" ]; then
      failed_run "$dir" "$nodes" "$rate" "$FAIL"; failures=$((failures + 1))
      mark_logs "$dir"; stop_all; log_findings "$dir"; continue
    fi
    urls=$(for k in $(seq 1 "$nodes"); do printf 'http://127.0.0.1:%s,' $((PORT_BASE + k)); done)
    pids=$(IFS=,; echo "${PIDS[*]}")
    echo "   store: pid $STORE_PID, $STORE_DIR; nodes: pids $pids at ${urls%,}, cluster $name"
    timeout $((WARMUP + DURATION + 300)) taskset -c "$TOOL_CPUS" java ${JAVA_OPTS_TOOL:-} -jar "$TOOL_JAR" cluster \
      --urls "${urls%,}" --server-pids "$pids" --store-pid "$STORE_PID" \
      --subs "$SUBS" --rate "$rate" --size "$SIZE" --duration "$DURATION" --warmup "$WARMUP" --settle "$SETTLE" \
      --label "$(nodes_name "$nodes") @ $rate msg/s" --json --results-dir "$dir" $TOOL_ARGS > "$dir/tool.log" 2>&1
    rc=$?
    grep -E '^(setup:|connected:|saved:|warning:)' "$dir/tool.log" | sed 's/^/   /'
    if ls "$dir"/*-cluster.json > /dev/null 2>&1; then
      # rc 1: the run finished but lost or duplicated messages; the report shows the loss.
      tail -n 1 "$dir"/*-cluster.md | sed 's/^/   /'
    else
      why=$(grep -v '^\s*$' "$dir/tool.log" | grep -vE '^(usage:|  --)' | tail -n 1 | cut -c1-200)
      [ $rc = 124 ] && why="tool timed out after $((WARMUP + DURATION + 300)) s"
      failed_run "$dir" "$nodes" "$rate" "tool exit $rc: ${why:-no output}"; failures=$((failures + 1))
    fi
    after=$(for k in $(seq 1 "$nodes"); do printf ' %s' "$(cluster_size "$k")"; done)
    [ "$after" = "$(for k in $(seq 1 "$nodes"); do printf ' %s' "$nodes"; done)" ] \
      || { echo "   warning: cluster sizes after the run:$after (expected $nodes on every node)"
           printf '%s\t%s\t%s\n' "$RUN" "/health" "cluster sizes after the run:$after, expected $nodes" >> "$FINDINGS"; }
    mark_logs "$dir"
    stop_all
    log_findings "$dir"
    sleep 2
  done
done

# ---- the report -----------------------------------------------------------------------------
max=0; for n in $NODES; do [ "$n" -gt $max ] && max=$n; done
placement=$(for k in $(seq 1 $max); do printf 'node %s on core %s, ' "$k" "${NODE_CPU[$((k - 1))]}"; done)
placement="${placement}the store on cores $STORE_CPUS and the tool on cores $TOOL_CPUS (taskset)"
findings="No error or warning lines in the node and store logs during the runs"
# The same message in several runs once, with the runs' count: "WARNING: ... (node1 in 4 runs)".
[ -s "$FINDINGS" ] && findings="Logged during the runs (not counting what stopping logs): $(summarize_findings)"
note="Machine: $(machine). Per run: a fresh store (\`sealroom.jar store\`, on disk ($STORE_FS), fresh directory) and fresh nodes, every node clustered (Hazelcast on 127.0.0.1, one gateway instance, no send-rate limit), the 1-node row being a cluster of one; publishing starts $SETTLE s after the last subscription; $placement. Server µs/delivery: all nodes' CPU (not the store's) per delivery. $findings."
ls "$WORK"/*/*.json > /dev/null 2>&1 || die "no runs recorded (see $WORK)"
java -cp "$TOOL_JAR" sealroom.load.ClusterReport "$WORK"/*/*.json --merged "$OUT.json" --out "$OUT" --note "$note" --command "$COMMAND" \
  || die "the report failed; the runs are in $WORK"
log "done: $i runs, $failures failed; $OUT.md; logs in $WORK"
