#!/usr/bin/env bash
# Fan-out comparison on one machine: each server pinned to core 0, the load tool to core 1,
# N subscribers in one room at several publish rates; appends to results/<date>-fanout.{json,md}.
# Each run gets a freshly started server, so one run's heap and connections do not skew the next.
#
# Usage: scripts/run-fanout.sh            (from load-tests/; env: RATES SUBS DURATION SIZE TARGETS PEER_SRC PEERS_ROOT)
# TARGETS: any of sealroom vertx raw nats uws centrifuge. raw is the tool's own raw-server; nats, uws and
# centrifuge are started with bench/peers.sh from PEERS_ROOT (installed by ../../shared/peers/bench/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
LT=$PWD
RATES=${RATES:-"10 100 300"}
SUBS=${SUBS:-1000}
DURATION=${DURATION:-10}
SIZE=${SIZE:-200}
TARGETS=${TARGETS:-"sealroom vertx"}
SEALROOM_PORT=${SEALROOM_PORT:-18080}
PEER_SRC=${PEER_SRC:-$LT/../../shared/peers/vertx-fanout}
PEER_BUILD=${PEER_BUILD:-/tmp/sealroom-load-vertx-fanout}
PEERS_ROOT=${PEERS_ROOT:-/tmp/fanout-peers}

[ -f target/sealroom-load.jar ] || mvn -B -q package
[ -f ../target/sealroom.jar ] || (cd .. && mvn -B -q package -DskipTests)
if [[ " $TARGETS " == *" vertx "* && ! -f $PEER_BUILD/target/vertx-fanout.jar ]]; then
  # Built outside the source tree so that the shared peer directory stays untouched.
  rm -rf "$PEER_BUILD" && cp -r "$PEER_SRC" "$PEER_BUILD" && (cd "$PEER_BUILD" && mvn -B -q package)
fi

SERVER_PID=
PEER=
stop_server() {
  if [ -n "$PEER" ]; then stop_peer "$PEER"; PEER=; SERVER_PID=; return; fi
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=; fi
}
trap stop_server EXIT

wait_port() { for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.2; done; echo "port $1 did not open" >&2; return 1; }

start_server() {
  case $1 in
    sealroom)
      SEALROOM_HTTP_PORT=$SEALROOM_PORT SEALROOM_STORE_DATADIR=mem: SEALROOM_WS_SENDRATEPERSECOND=0 \
      SEALROOM_AUTH_ARGON2_MEMORYKB=64 SEALROOM_AUTH_ARGON2_ITERATIONS=1 \
        taskset -c 0 java -jar ../target/sealroom.jar > /tmp/sealroom-load-server.log 2>&1 &
      SERVER_PID=$!; URL=http://127.0.0.1:$SEALROOM_PORT; wait_port "$SEALROOM_PORT" ;;
    vertx)
      taskset -c 0 java -jar "$PEER_BUILD/target/vertx-fanout.jar" > /tmp/sealroom-load-peer.log 2>&1 &
      SERVER_PID=$!; URL=http://127.0.0.1:9008; wait_port 9008 ;;
    raw)
      taskset -c 0 java -jar target/sealroom-load.jar raw-server --port 9010 > /tmp/sealroom-load-raw.log 2>&1 &
      SERVER_PID=$!; URL=http://127.0.0.1:9010; wait_port 9010 ;;
    nats|uws|centrifuge)
      [ -d "$PEERS_ROOT" ] || { echo "$PEERS_ROOT missing: run ROOT=$PEERS_ROOT bash ../../shared/peers/bench/setup.sh" >&2; exit 1; }
      # shellcheck disable=SC1091
      ROOT=$PEERS_ROOT; source "$PEERS_ROOT/bench/peers.sh"
      start_peer "$1"; PEER=$1; SERVER_PID=${PEER_PIDS%%,*}; URL= ;;  # the tool knows each peer's port
  esac
}

for target in $TARGETS; do
  for rate in $RATES; do
    start_server "$target"
    echo "== $target: $SUBS subscribers, $rate msg/s, $SIZE bytes, $DURATION s"
    taskset -c 1 java -jar target/sealroom-load.jar fanout --target "$target" ${URL:+--url "$URL"} --subs "$SUBS" \
      --rate "$rate" --size "$SIZE" --duration "$DURATION" --server-pid "$SERVER_PID" \
      --label "$target @ $rate msg/s" --json || echo "(run reported loss or failed: rc=$?)"
    stop_server
  done
done
echo "table: $LT/results/$(date +%F)-fanout.md"
cat "results/$(date +%F)-fanout.md"
