#!/usr/bin/env bash
# File upload and download throughput (issue 16, "Measure"): per run, a fresh Sealroom node on a
# fresh on-disk store, sealroom.load.FileBench against it ((a) one 100 MiB file up then down,
# (b) 100 files of 1 MiB up at once then down at once), the node's CPU time and RSS sampled from
# /proc meanwhile, then the disk's own speed in the same directory with dd. One report.
#
# Usage (from load-tests/ or anywhere):
#   scripts/files.sh
#   RUNS=1 DD_MIB=256 scripts/files.sh          # a short trial
#
# Environment:
#   RUNS          runs, each with a fresh node and store (default 3)
#   STORE_PARENT  where each run's store.dataDir and the dd file are made (default load-tests/target,
#                 the disk that results/ is on; must not be tmpfs)
#   PORT          the node's port (default 18085)
#   SAMPLE_MS     /proc sampling period (default 150)
#   DD_MIB        MiB written and read by the first three dd tests (default 1024); DD=0 skips dd
#   TOOL_ARGS     extra FileBench options (e.g. "--files 50 --users 5")
#   JAVA_OPTS_SERVER  the node's JVM options (default NODE_JVM_OPTS of lib.sh: -XX:+UseParallelGC -Xms1g -Xmx1g)
#   JAVA_OPTS_TOOL    the tool's JVM options
#   OUT           output prefix (default results/<date>-files, -2, -3... if taken)
#   QUIET_WAIT QUIET_BUSY  before each run wait up to QUIET_WAIT s (default 120) for the machine to be
#                 under QUIET_BUSY % busy (default 15); 0 = do not wait
#   REBUILD=1     rebuild both jars;  SERVER_JAR  the node's jar (default ../target/sealroom.jar)
# None of these is named SEALROOM_*: the node inherits this environment and refuses unknown ones.
# Outputs: OUT.md (tables and every run's figures) and OUT.json; logs in a /tmp directory (printed).
set -uo pipefail
cd "$(dirname "$0")/.."
LT=$PWD
RUNS=${RUNS:-3}
STORE_PARENT=${STORE_PARENT:-$LT/target}
PORT=${PORT:-18085}
SAMPLE_MS=${SAMPLE_MS:-150}
DD=${DD:-1}
DD_MIB=${DD_MIB:-1024}
TOOL_ARGS=${TOOL_ARGS:-}
QUIET_WAIT=${QUIET_WAIT:-120}
QUIET_BUSY=${QUIET_BUSY:-15}
TOOL_JAR=$LT/target/sealroom-load.jar
GIVEN_JAR=${SERVER_JAR:-}
SERVER_JAR=${SERVER_JAR:-$LT/../target/sealroom.jar}

die() { echo "files.sh: $*" >&2; exit 1; }
log() { echo "== $*"; }
# port_open, wait_port, quiet, machine, NODE_JVM_OPTS
source "$LT/scripts/lib.sh"

# ---- the jars ---------------------------------------------------------------------------------
if [ "${REBUILD:-0}" = 1 ] || [ ! -f "$TOOL_JAR" ] || [ -n "$(find src pom.xml ../client/src -newer "$TOOL_JAR" -print -quit)" ]; then
  log "building the load tool"
  (cd "$LT/.." && mvn -B -q -o package -DskipTests -pl load-tests -am) || die "load tool build failed"
fi
if [ "${REBUILD:-0}" = 1 ] || [ ! -f "$SERVER_JAR" ]; then
  log "building the server"
  (cd "$LT/.." && mvn -B -q -o package -DskipTests -pl server -am) || die "server build failed"
fi

mkdir -p "$STORE_PARENT" results
STORE_PARENT=$(cd "$STORE_PARENT" && pwd)
STORE_FS=$(df --output=fstype "$STORE_PARENT" | tail -n 1)
STORE_DEV=$(df --output=source "$STORE_PARENT" | tail -n 1)
RESULTS_DEV=$(df --output=source "$LT/results" | tail -n 1)
[ "$STORE_FS" = tmpfs ] && echo "files.sh: warning: $STORE_PARENT is tmpfs: the store and dd would measure memory, not a disk" >&2
[ "$STORE_DEV" = "$RESULTS_DEV" ] || echo "files.sh: note: $STORE_PARENT ($STORE_DEV) is not on the disk of results/ ($RESULTS_DEV)" >&2
OUT=${OUT:-}
if [ -z "$OUT" ]; then
  OUT=results/$(date +%F)-files
  n=2; base=$OUT
  while [ -e "$OUT.md" ]; do OUT=$base-$n; n=$((n + 1)); done
fi
WORK=$(mktemp -d /tmp/sealroom-files.XXXXXX)
log "logs: $WORK; stores and dd under $STORE_PARENT ($STORE_FS on $STORE_DEV); report: $OUT.{md,json}"

# sample PID FILE: every SAMPLE_MS, "epochUs cpuTicks rssKb machineBusyTicks" of process PID
# (utime+stime from /proc/PID/stat, VmRSS from /proc/PID/status, /proc/stat without idle and iowait).
sample() {
  local pid=$1 out=$2 st rss k v _x u n s id io irq sirq steal period
  period=$(printf '%d.%03d' $((SAMPLE_MS / 1000)) $((SAMPLE_MS % 1000)))
  while read -r st < "/proc/$pid/stat" 2> /dev/null; do
    set -- ${st##*)}
    rss=-1
    while read -r k v _x; do [ "$k" = VmRSS: ] && { rss=$v; break; }; done < "/proc/$pid/status"
    read -r _x u n s id io irq sirq steal _x < /proc/stat
    echo "${EPOCHREALTIME/./} $(( ${12} + ${13} )) $rss $((u + n + s + irq + sirq + steal))" >> "$out"
    sleep "$period"
  done
}

SERVER_PID= SAMPLER_PID= DATADIR=
stop_all() {
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2> /dev/null && wait "$SAMPLER_PID" 2> /dev/null
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2> /dev/null
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2> /dev/null || break; sleep 0.2; done
    kill -9 "$SERVER_PID" 2> /dev/null
    wait "$SERVER_PID" 2> /dev/null
  fi
  [ -n "$DATADIR" ] && rm -rf "$DATADIR"
  SERVER_PID= SAMPLER_PID= DATADIR=
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# dd_one NAME DD-ARGS...: runs dd, appends "NAME bytes seconds" to $DDOUT
dd_one() {
  local name=$1 line; shift
  line=$(LC_ALL=C dd "$@" 2>&1 | tail -n 1)
  echo "   dd $name: $line"
  echo "$line" | sed -n "s/^\([0-9]*\) bytes .* copied, \([0-9.e+-]*\) s, .*/$name \1 \2/p" >> "$DDOUT"
}

REPORT_ARGS=()
for i in $(seq 1 "$RUNS"); do
  dir=$WORK/run$i
  mkdir -p "$dir"
  log "run $i of $RUNS"
  if [ "$QUIET_WAIT" -gt 0 ]; then
    busy=$(quiet)
    echo "   machine ${busy}% busy before the run"
    [ "$busy" -lt "$QUIET_BUSY" ] || echo "   warning: still ${busy}% busy after ${QUIET_WAIT} s; running anyway"
  fi
  port_open "$PORT" && die "port $PORT is in use"
  DATADIR=$(mktemp -d "$STORE_PARENT/sealroom-files-store.XXXXXX")
  # The README's command; cheap Argon2 and no registration limit only make the setup quick.
  SEALROOM_HTTP_PORT=$PORT SEALROOM_STORE_DATADIR=$DATADIR \
  SEALROOM_AUTH_ARGON2_MEMORYKB=64 SEALROOM_AUTH_ARGON2_ITERATIONS=1 \
  SEALROOM_AUTH_REGISTRATIONRATE_PERADDRESS=1000000 SEALROOM_AUTH_LOGINRATE_SUCCESSPERACCOUNT=1000000 \
    java ${JAVA_OPTS_SERVER:-$NODE_JVM_OPTS} -jar "$SERVER_JAR" > "$dir/server.log" 2>&1 &
  SERVER_PID=$!
  if ! wait_port "$PORT" "$SERVER_PID"; then
    printf '{"failed":true,"reason":"the node did not open port %s"}\n' "$PORT" > "$dir/run.json"
    echo "   failed: the node did not start (see $dir/server.log)"
  else
    echo "   node: pid $SERVER_PID, store $DATADIR"
    sample "$SERVER_PID" "$dir/samples.txt" &
    SAMPLER_PID=$!
    timeout 900 java ${JAVA_OPTS_TOOL:-} -cp "$TOOL_JAR" sealroom.load.FileBench --url "http://127.0.0.1:$PORT" \
      --label "run $i" --out "$dir/run.json" $TOOL_ARGS > "$dir/tool.log" 2>&1
    rc=$?
    grep -vE '^result:' "$dir/tool.log" | sed 's/^/   /'
    if [ ! -s "$dir/run.json" ]; then
      why=$(grep -v '^\s*$' "$dir/tool.log" | tail -n 1 | cut -c1-200 | tr -d '"\\')
      kill -0 "$SERVER_PID" 2> /dev/null || why="the node exited during the run; $why"
      printf '{"failed":true,"reason":"tool exit %s: %s"}\n' "$rc" "$why" > "$dir/run.json"
    fi
    echo "   stored: $(du -sm "$DATADIR" | cut -f1) MiB in $DATADIR"
  fi
  stop_all
  # What the node logged beyond its start: warnings and errors, and how many lines of each kind.
  grep -E 'SEVERE|WARNING|ERROR|Exception|OutOfMemory' "$dir/server.log" | sort | uniq -c | sort -rn | head -n 20 > "$dir/server-notes.txt"
  t=$(grep -c 'tightened the permissions' "$dir/server.log")
  [ "$t" -gt 0 ] && echo "$t x INFO 'tightened the permissions of 1 files and directories under .../files/<shard>'" >> "$dir/server-notes.txt"
  DDOUT=$dir/dd.txt
  if [ "$DD" = 1 ]; then
    ddf=$(mktemp "$STORE_PARENT/sealroom-files-dd.XXXXXX")
    dd_one write-direct if=/dev/zero of="$ddf" bs=1M count="$DD_MIB" oflag=direct
    rm -f "$ddf"
    dd_one write-fsync if=/dev/zero of="$ddf" bs=1M count="$DD_MIB" conv=fsync
    dd_one read-direct if="$ddf" of=/dev/null bs=1M iflag=direct
    rm -f "$ddf"
    # The node's own pattern: mode a's 100 MiB written, then one fsync; mode b's 100 x 1 MiB each
    # synced (here one after the other; the node runs them side by side and adds a rename and a
    # directory fsync per file).
    dd_one write-fsync-100m if=/dev/zero of="$ddf" bs=1M count=100 conv=fsync
    rm -f "$ddf"
    dd_one write-dsync-100x1m if=/dev/zero of="$ddf" bs=1M count=100 oflag=dsync
    rm -f "$ddf"
  fi
  REPORT_ARGS+=(--run "$dir/run.json,$dir/samples.txt,$dir/dd.txt,$dir/server-notes.txt")
  sleep 2
done

src=$(git -C "$LT/.." rev-parse --short HEAD 2> /dev/null)$(git -C "$LT/.." diff --quiet HEAD -- server 2> /dev/null || echo ' with local server changes')
note="Machine: $(machine). Node jar $SERVER_JAR, built $(date -u -r "$SERVER_JAR" +'%F %T UTC'); the repository is at ${src:-?}. Node: \`java ${JAVA_OPTS_SERVER:-$NODE_JVM_OPTS} -jar target/sealroom.jar\`, default config (2 gateway event loops, files.maxBytes 100 MiB, quota 1 GiB), plain HTTP over loopback, not pinned; the tool is not pinned either. Store and dd in $STORE_PARENT ($STORE_FS on $STORE_DEV), a fresh store per run. Each run: 10 users, one private group; 3 unmeasured passes of all four phases first (the node's JIT warm-up), then the measured pass with 1 s idle gaps around each phase. Downloads follow their uploads, so they come from the page cache."
cmd="cd load-tests && RUNS=$RUNS DD_MIB=$DD_MIB"
[ "$DD" = 1 ] || cmd="$cmd DD=$DD"
[ -n "$TOOL_ARGS" ] && cmd="$cmd TOOL_ARGS=\"$TOOL_ARGS\""
[ -n "$GIVEN_JAR" ] && cmd="$cmd SERVER_JAR=$GIVEN_JAR"
[ -n "${JAVA_OPTS_SERVER:-}" ] && cmd="$cmd JAVA_OPTS_SERVER=\"$JAVA_OPTS_SERVER\""
cmd="$cmd scripts/files.sh"
java -cp "$TOOL_JAR" sealroom.load.FileReport --out "$OUT" --clk-tck "$(getconf CLK_TCK)" \
  --command "$cmd" \
  --note "$note" "${REPORT_ARGS[@]}" || die "the report failed; the runs are in $WORK"
sed -n '/^## Summary/,/^## Every run/p' "$OUT.md" | sed '$d'
log "done: $OUT.md, $OUT.json; logs in $WORK"
