#!/usr/bin/env bash
# The fan-out comparison in one command: the same scenario against Sealroom, the raw Vert.x limit
# server and the peers, each server freshly started and pinned to one core, the load tool pinned
# to the other; then one table with ratios to the best peer and to the raw limit, and a plot.
#
# Usage (from load-tests/ or anywhere):
#   scripts/compare.sh
#   TARGETS="sealroom raw nats uws centrifuge" RATES="10 100 300 1000" SUBS=1000 DURATION=10 scripts/compare.sh
#
# Environment:
#   TARGETS    sealroom raw nats uws centrifuge vertx sealroom-mem (default "sealroom raw nats uws centrifuge")
#              sealroom = the server with its on-disk store in a fresh directory (every message stored durably);
#              sealroom-mem = the same with SEALROOM_STORE_DATADIR=mem:; raw = sealroom.load.RawServer
#   RATES      published messages per second (default "10 100 300 1000")
#   SUBS SIZE DURATION   subscribers (1000), message bytes (200), measured seconds (10)
#   STORE      disk | mem: the store of target sealroom (default disk)
#   STORE_PARENT  where each run's fresh store directory is made (default /tmp; must not be tmpfs)
#   PEERS_SRC  the peers harness (default ../../shared/peers from load-tests/)
#   PEERS_ROOT where the peers are installed (default /tmp/fanout-peers)
#   SERVER_CPU TOOL_CPU  cores for the server and the tool (default 0 and 1)
#   OUT        output prefix (default results/<date>-fanout-compare, -2, -3... if taken)
#   LATEST     1: copy the outputs to results/latest-fanout.*; 0: leave those alone (trial runs)
#   TOOL_ARGS  extra options for the tool;  REBUILD=1 rebuilds both jars
#   QUIET_WAIT before each run, wait up to this many seconds for the machine to be idle
#              (both cores under QUIET_BUSY% busy, default 15); default 120, 0 = do not wait
#   PORT_SEALROOM PORT_RAW (18080, 9010); JAVA_OPTS_SEALROOM JAVA_OPTS_RAW JAVA_OPTS_TOOL
#   URL_<target> the --url given to the tool for that target (default http://127.0.0.1:<port>),
#              e.g. URL_nats=ws://127.0.0.1:9004
# None of these is named SEALROOM_*: the server inherits this environment and refuses unknown
# SEALROOM_* variables.
# Outputs: OUT.json (every run), OUT.md (the table), OUT.svg (the plot), copied to
# results/latest-fanout.{json,md,svg}; each run's logs stay in a directory under /tmp (printed).
set -uo pipefail
cd "$(dirname "$0")/.."
LT=$PWD
TARGETS=${TARGETS:-"sealroom raw nats uws centrifuge"}
RATES=${RATES:-"10 100 300 1000"}
SUBS=${SUBS:-1000}
SIZE=${SIZE:-200}
DURATION=${DURATION:-10}
STORE=${STORE:-disk}
STORE_PARENT=${STORE_PARENT:-/tmp}
PEERS_SRC=${PEERS_SRC:-$LT/../../shared/peers}
PEERS_ROOT=${PEERS_ROOT:-/tmp/fanout-peers}
PEERS_LOCK=${PEERS_LOCK:-/tmp/fanout-peers.lock}
SERVER_CPU=${SERVER_CPU:-0}
TOOL_CPU=${TOOL_CPU:-1}
PORT_SEALROOM=${PORT_SEALROOM:-18080}
PORT_RAW=${PORT_RAW:-9010}
TOOL_ARGS=${TOOL_ARGS:-}
PAUSE=${PAUSE:-2}
LATEST=${LATEST:-1}
QUIET_WAIT=${QUIET_WAIT:-120}
QUIET_BUSY=${QUIET_BUSY:-15}
TOOL_JAR=$LT/target/sealroom-load.jar
SERVER_JAR=${SERVER_JAR:-$LT/../target/sealroom.jar}

die() { echo "compare.sh: $*" >&2; exit 1; }
log() { echo "== $*"; }

case " $TARGETS " in *" sealroom "*|*" sealroom-mem "*) NEED_SERVER=1 ;; *) NEED_SERVER=0 ;; esac
PEER_TARGETS=
for t in $TARGETS; do
  case $t in
    nats|uws|centrifuge|vertx) PEER_TARGETS="$PEER_TARGETS $t" ;;
    sealroom|sealroom-mem|raw) ;;
    *) die "unknown target '$t' (sealroom sealroom-mem raw nats uws centrifuge vertx)" ;;
  esac
done
case $STORE in disk|mem) ;; *) die "STORE must be disk or mem" ;; esac
STORE_FS=$(df --output=fstype "$STORE_PARENT" 2> /dev/null | tail -n 1) && [ -d "$STORE_PARENT" ] || die "STORE_PARENT $STORE_PARENT is not a directory"
if [ "$STORE_FS" = tmpfs ] && [ "$STORE" = disk ]; then
  echo "compare.sh: warning: $STORE_PARENT is tmpfs, so the on-disk store would live in memory; set STORE_PARENT to a disk directory" >&2
fi
for c in taskset java; do command -v $c > /dev/null || die "$c not found (taskset is in util-linux; java 17 in openjdk-17-jre-headless)"; done
[ "$(nproc)" -ge 2 ] || echo "compare.sh: warning: fewer than 2 cores; server and tool will share a core" >&2

# ---- (a) the peers --------------------------------------------------------------------------
# What each requested peer needs once installed; setup.sh installs all of them (apt, npm, go, Maven).
peers_ready() {
  [ -f "$PEERS_ROOT/bench/peers.sh" ] || return 1
  for p in "$@"; do
    case $p in
      nats) command -v nats-server > /dev/null && [ -f "$PEERS_ROOT/configs/nats-ws.conf" ] || return 1 ;;
      uws) [ -d "$PEERS_ROOT/uws/node_modules/@trufflesuite/uws-js-unofficial" ] && command -v node > /dev/null || return 1 ;;
      centrifuge) [ -x "$PEERS_ROOT/centrifuge-server/centrifuge-fanout" ] || return 1 ;;
      vertx) [ -f "$PEERS_ROOT/vertx-fanout/target/vertx-fanout.jar" ] || return 1 ;;
    esac
  done
}
if [ -n "$PEER_TARGETS" ] && ! peers_ready $PEER_TARGETS; then
  [ -f "$PEERS_SRC/bench/setup.sh" ] || die "the peers harness is not at $PEERS_SRC.
  Copy the shared peers folder (bench/, bench-go/, configs/, centrifuge-server/, vertx-fanout/, soketi/ and README.md)
  to that path, or point PEERS_SRC at it; or leave the peers out: TARGETS=\"sealroom raw\"."
  [ "$(id -u)" = 0 ] || die "installing the peers needs root (apt-get): run once as root:
  flock $PEERS_LOCK env ROOT=$PEERS_ROOT SRC=$PEERS_SRC bash $PEERS_SRC/bench/setup.sh"
  log "installing the peers into $PEERS_ROOT (about a minute; one install at a time)"
  # The lock keeps two installs (this script run twice, or by two people) from writing the same tree.
  # Checked again under the lock: someone else may have finished an install meanwhile.
  flock "$PEERS_LOCK" bash -c "$(declare -f peers_ready); PEERS_ROOT='$PEERS_ROOT'
    peers_ready $PEER_TARGETS || ROOT='$PEERS_ROOT' SRC='$PEERS_SRC' bash '$PEERS_SRC/bench/setup.sh'" \
    || die "peer setup failed (see its output above)"
  peers_ready $PEER_TARGETS || die "peer setup finished but $PEER_TARGETS are still missing under $PEERS_ROOT"
fi

# ---- (b) the jars ---------------------------------------------------------------------------
if [ "${REBUILD:-0}" = 1 ] || [ ! -f "$TOOL_JAR" ] || [ -n "$(find src pom.xml ../client/src -newer "$TOOL_JAR" -print -quit)" ]; then
  log "building the load tool (with the SDK it uses)"
  (cd "$LT/.." && mvn -B -q package -DskipTests -pl load-tests -am) || die "load tool build failed"
fi
if [ "$NEED_SERVER" = 1 ] && { [ "${REBUILD:-0}" = 1 ] || [ ! -f "$SERVER_JAR" ]; }; then
  log "building the server"
  (cd "$LT/.." && mvn -B -q package -DskipTests -pl server -am) || die "server build failed"
fi

# ---- (c) the runs ---------------------------------------------------------------------------
mkdir -p results
OUT=${OUT:-}
if [ -z "$OUT" ]; then
  OUT=results/$(date -u +%F)-fanout-compare
  n=2; base=$OUT
  while [ -e "$OUT.json" ]; do OUT=$base-$n; n=$((n + 1)); done
fi
WORK=$(mktemp -d /tmp/sealroom-compare.XXXXXX)
log "runs and logs: $WORK; results: $OUT.{json,md,svg}"

if [ -n "$PEER_TARGETS" ]; then
  # peers.sh: start_peer NAME / stop_peer NAME, each peer pinned to SERVER_CPUS, its pid in PEER_PIDS.
  ROOT=$PEERS_ROOT SERVER_CPUS=$SERVER_CPU
  source "$PEERS_ROOT/bench/peers.sh"
fi

# port_open, wait_port, quiet, json_str, machine
source "$LT/scripts/lib.sh"

SERVER_PID= PEER= DATADIR= URL= TOOL_TARGET= PORT= FAIL=
# start_target TARGET LOG: starts a fresh server pinned to SERVER_CPU; sets URL, TOOL_TARGET, SERVER_PID; FAIL on error.
start_target() {
  local t=$1 logf=$2
  FAIL= SERVER_PID= PEER= DATADIR=
  case $t in
    sealroom|sealroom-mem) PORT=$PORT_SEALROOM; TOOL_TARGET=sealroom ;;
    raw) PORT=$PORT_RAW; TOOL_TARGET=raw ;;
    uws) PORT=9001; TOOL_TARGET=uws ;;
    nats) PORT=9004; TOOL_TARGET=nats ;;
    centrifuge) PORT=9005; TOOL_TARGET=centrifuge ;;
    vertx) PORT=9008; TOOL_TARGET=vertx ;;
  esac
  URL=http://127.0.0.1:$PORT
  local override=URL_$TOOL_TARGET
  URL=${!override:-$URL}
  if port_open "$PORT"; then FAIL="port $PORT was already in use before the server started"; return 1; fi
  case $t in
    sealroom|sealroom-mem)
      # Full path: auth, membership checks, and every message stored (on disk unless STORE=mem).
      # No send-rate limit (the default allows 100 msg/s per connection); cheap Argon2 so that
      # registering the subscribers takes seconds.
      if [ "$t" = sealroom-mem ] || [ "$STORE" = mem ]; then DATADIR=mem:; else DATADIR=$(mktemp -d "$STORE_PARENT/sealroom-compare-store.XXXXXX"); fi
      SEALROOM_HTTP_PORT=$PORT SEALROOM_STORE_DATADIR=$DATADIR SEALROOM_WS_SENDRATEPERSECOND=0 \
      SEALROOM_AUTH_ARGON2_MEMORYKB=64 SEALROOM_AUTH_ARGON2_ITERATIONS=1 \
      SEALROOM_AUTH_REGISTRATIONRATE_PERADDRESS=1000000 SEALROOM_AUTH_LOGINRATE_SUCCESSPERACCOUNT=1000000 \
        taskset -c "$SERVER_CPU" java ${JAVA_OPTS_SEALROOM:-$NODE_JVM_OPTS} -jar "$SERVER_JAR" > "$logf" 2>&1 &
      SERVER_PID=$! ;;
    raw)
      taskset -c "$SERVER_CPU" java ${JAVA_OPTS_RAW:-} -cp "$TOOL_JAR" sealroom.load.RawServer --port "$PORT" > "$logf" 2>&1 &
      SERVER_PID=$! ;;
    *)
      PEER=$t
      if ! start_peer "$t" > "$logf" 2>&1; then SERVER_PID=$(cat "$RUN/$t.pid" 2> /dev/null); FAIL="peer $t did not start (log: $RUN/$t.log)"; return 1; fi
      SERVER_PID=${PEER_PIDS%%,*} ;;
  esac
  if ! wait_port "$PORT" "$SERVER_PID"; then
    FAIL="$t did not open port $PORT: $(grep -hv '^\s*$' "$logf" "${RUN:-/nonexistent}/$t.log" 2> /dev/null | tail -n 1 | cut -c1-200)"
    return 1
  fi
}

stop_target() {
  local t=$1
  if [ -n "$PEER" ]; then stop_peer "$PEER" > /dev/null 2>&1; fi
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2> /dev/null
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2> /dev/null || break; sleep 0.2; done
    kill -9 "$SERVER_PID" 2> /dev/null
    wait "$SERVER_PID" 2> /dev/null
  fi
  for _ in $(seq 1 50); do port_open "$PORT" || break; sleep 0.2; done
  if [ -n "$DATADIR" ] && [ "$DATADIR" != mem: ]; then rm -rf "$DATADIR"; fi
  SERVER_PID= PEER= DATADIR=
}
TARGET_NOW=
trap '[ -n "$TARGET_NOW" ] && stop_target "$TARGET_NOW"' EXIT
trap 'exit 130' INT TERM

# failed_run DIR TARGET RATE REASON: the record the report shows as a failed run.
failed_run() {
  local kind=$2; [ "$kind" = sealroom-mem ] && kind=sealroom
  printf '[{"scenario":"fanout","target":%s,"label":%s,"subs":%s,"rate":%s,"size":%s,"duration":%s,"failed":true,"reason":%s,"date":"%s"}]\n' \
    "$(json_str "$kind")" "$(json_str "$2 @ $3 msg/s")" "$SUBS" "$3" "$SIZE" "$DURATION" "$(json_str "$4")" \
    "$(date -u +%FT%T.%NZ)" > "$1/failed.json"
  echo "   failed: $4"
}

i=0 failures=0
for target in $TARGETS; do
  for rate in $RATES; do
    i=$((i + 1))
    dir=$WORK/$(printf %03d $i)-$target-$rate
    mkdir -p "$dir"
    log "$target @ $rate msg/s: $SUBS subscribers, $SIZE bytes, $DURATION s (server on core $SERVER_CPU, tool on core $TOOL_CPU)"
    if [ "$QUIET_WAIT" -gt 0 ]; then
      busy=$(quiet)
      [ "$busy" -lt "$QUIET_BUSY" ] || echo "   warning: the machine was still ${busy}% busy after ${QUIET_WAIT} s; running anyway"
    fi
    TARGET_NOW=$target
    if ! start_target "$target" "$dir/server.log"; then
      failed_run "$dir" "$target" "$rate" "$FAIL"; failures=$((failures + 1))
      stop_target "$target"; TARGET_NOW=; continue
    fi
    echo "   server: pid $SERVER_PID at $URL$([ -n "$DATADIR" ] && echo ", store $DATADIR")"
    # The tool's own limit: setup and connects, warm-up, duration, drain (60 s at most), margin.
    timeout $((DURATION + 300)) taskset -c "$TOOL_CPU" java ${JAVA_OPTS_TOOL:-} -jar "$TOOL_JAR" fanout --target "$TOOL_TARGET" --url "$URL" \
      --subs "$SUBS" --rate "$rate" --size "$SIZE" --duration "$DURATION" --server-pid "$SERVER_PID" \
      --label "$target @ $rate msg/s" --json --results-dir "$dir" $TOOL_ARGS > "$dir/tool.log" 2>&1
    rc=$?
    grep -E '^(tool:|setup:|connected:|result:|saved:)' "$dir/tool.log" | grep -v '^result:' | sed 's/^/   /'
    if ls "$dir"/*-fanout.json > /dev/null 2>&1; then
      # rc 1: the run finished but lost or duplicated messages; the report shows the loss.
      tail -n 1 "$dir"/*-fanout.md | sed 's/^/   /'
    else
      why=$(grep -v '^\s*$' "$dir/tool.log" | grep -vE '^(usage:|  --)' | tail -n 1 | cut -c1-200)
      [ $rc = 124 ] && why="tool timed out after $((DURATION + 300)) s"
      kill -0 "$SERVER_PID" 2> /dev/null || why="server exited during the run; $why"
      failed_run "$dir" "$target" "$rate" "tool exit $rc: ${why:-no output}"; failures=$((failures + 1))
    fi
    stop_target "$target"; TARGET_NOW=
    sleep "$PAUSE"
  done
done

# ---- (d) the report -------------------------------------------------------------------------
note="Machine: $(machine). Each server freshly started per run and pinned to core $SERVER_CPU (taskset), the load tool pinned to core $TOOL_CPU. Sealroom store: $([ "$STORE" = mem ] && echo 'in memory (mem:)' || echo "on disk ($STORE_FS), fresh directory per run"); no send-rate limit."
ls "$WORK"/*/*.json > /dev/null 2>&1 || die "no runs recorded (see $WORK)"
java -cp "$TOOL_JAR" sealroom.load.Report "$WORK"/*/*.json --merged "$OUT.json" --out "$OUT" --note "$note" \
  || die "the report failed; the runs are in $WORK"
if [ "$LATEST" = 1 ]; then
  for ext in json md svg; do cp "$OUT.$ext" "results/latest-fanout.$ext"; done
fi
log "done: $i runs, $failures failed; $OUT.md, $OUT.svg$([ "$LATEST" = 1 ] && echo ' (also results/latest-fanout.*)'); logs in $WORK"
