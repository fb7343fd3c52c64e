#!/usr/bin/env bash
# The key-transparency log at a large size (issue 17, "Measure"): per run, a fresh on-disk store
# filled with LEAVES generated key versions, then io.sealroom.bench.KtBench (server test classes)
# measures at that size: one append at a time and many at once, and over HTTP from a node on that
# store the time to serve inclusion and consistency proofs and heads, and the proofs' size.
#
# Usage (from load-tests/ or anywhere):
#   scripts/kt.sh                       # 1,000,000 leaves, 1 run
#   LEAVES=100000 RUNS=3 scripts/kt.sh  # a short trial
#
# Environment:
#   LEAVES        leaves to generate (default 1000000)
#   SAMPLES       measured operations per phase (default 2000)
#   RUNS          runs, each with a fresh store (default 1)
#   STORE_PARENT  where each run's store is made (default load-tests/target; must not be tmpfs)
#   JAVA_OPTS_BENCH  the JVM options (default -XX:+UseParallelGC -Xms1g -Xmx1g)
#   OUT           output prefix (default results/<date>-kt, -2, -3... if taken)
#   QUIET_WAIT QUIET_BUSY  before each run wait up to QUIET_WAIT s (default 120) for the machine to be
#                 under QUIET_BUSY % busy (default 15); 0 = do not wait
# Outputs: OUT.json (every run's figures) and OUT.md (the table).
set -uo pipefail
cd "$(dirname "$0")/.."
LT=$PWD
LEAVES=${LEAVES:-1000000}
SAMPLES=${SAMPLES:-2000}
RUNS=${RUNS:-1}
STORE_PARENT=${STORE_PARENT:-$LT/target}
QUIET_WAIT=${QUIET_WAIT:-120}
QUIET_BUSY=${QUIET_BUSY:-15}
JAVA_OPTS_BENCH=${JAVA_OPTS_BENCH:-"-XX:+UseParallelGC -Xms1g -Xmx1g"}
die() { echo "kt.sh: $*" >&2; exit 1; }
log() { echo "== $*"; }
source "$LT/scripts/lib.sh"

COMMIT=$(git -C "$LT/.." rev-parse --short HEAD)$(git -C "$LT/.." diff --quiet HEAD -- server client || echo "+changes")
log "building the server's classes and test classes at $COMMIT"
(cd "$LT/.." && mvn -B -q -o test-compile -pl server -am) || die "build failed"
CP_FILE=$(mktemp)
(cd "$LT/.." && mvn -B -q -o dependency:build-classpath -pl server -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE") \
  || die "class path failed"
CP="$LT/../server/target/classes:$LT/../server/target/test-classes:$(cat "$CP_FILE")"
mkdir -p "$STORE_PARENT" results
day=$(date +%Y-%m-%d)
OUT=${OUT:-}
if [ -z "$OUT" ]; then
  OUT=results/$day-kt; n=2
  while [ -e "$OUT.json" ]; do OUT=results/$day-kt-$n; n=$((n + 1)); done
fi
runs=()
for r in $(seq 1 "$RUNS"); do
  [ "$QUIET_WAIT" = 0 ] || quiet
  dir=$(mktemp -d "$STORE_PARENT/kt-bench.XXXXXX")
  log "run $r of $RUNS: $LEAVES leaves in $dir"
  # shellcheck disable=SC2086
  json=$(java $JAVA_OPTS_BENCH -cp "$CP" io.sealroom.bench.KtBench "$dir" "$LEAVES" "$SAMPLES" 2> "$dir.log") \
    || { tail -20 "$dir.log"; die "run $r failed (log $dir.log)"; }
  echo "$json"
  runs+=("$json")
  rm -rf "$dir"
done
python3 - "$OUT" "$COMMIT" "$(machine)" "${runs[@]}" <<'PY'
import json, sys
out, commit, machine, *runs = sys.argv[1:]
runs = [json.loads(r) for r in runs]
json.dump({"commit": commit, "machine": machine, "runs": runs}, open(out + ".json", "w"), indent=1)
def pct(p): return f"{p['p50']} / {p['p90']} / {p['p99']} / {p['max']}"
lines = [f"# Key-transparency log at {runs[0]['leaves']:,} leaves", "",
         f"Commit {commit}; {machine}; `scripts/kt.sh` (LEAVES={runs[0]['leaves']}).", "",
         "| run | append, one at a time: p50 / p90 / p99 / max ms | appends/s, 256 at once | proof over HTTP: p50 / p90 / p99 / max ms | proofs/s, 16 at once | consistency ms p50 / p90 / p99 / max | head ms p50 / p99 | proof body bytes (path entries) |",
         "|---|---|---|---|---|---|---|---|"]
for i, r in enumerate(runs, 1):
    lines.append(f"| {i} | {pct(r['appendOneAtATimeMs'])} | {r['appendBurst']['appendsPerSecond']} | {pct(r['proofOneAtATimeMs'])} | "
                 f"{r['proofs16AtOncePerSecond']} | {pct(r['consistencyOneAtATimeMs'])} | {r['headOneAtATimeMs']['p50']} / {r['headOneAtATimeMs']['p99']} | "
                 f"{r['proofSize']['meanBodyBytes']} ({r['proofSize']['maxPathEntries']}) |")
if "fill" in runs[0]:
    lines += ["", "Generating the log: " + ", ".join(f"run {i}: {r['fill']['appendsPerSecond']} appends/s" for i, r in enumerate(runs, 1) if "fill" in r) + "."]
open(out + ".md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
log "wrote $OUT.md and $OUT.json"
