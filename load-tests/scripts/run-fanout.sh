#!/usr/bin/env bash
# The first comparison's defaults on top of scripts/compare.sh, which does the work: Sealroom with
# its in-memory store (mem:) and the naive Vert.x peer, at 10, 100 and 300 msg/s.
# Usage: scripts/run-fanout.sh   (env as for compare.sh; RATES SUBS DURATION SIZE TARGETS STORE ...)
set -euo pipefail
# The old name of the port setting; the server itself refuses unknown SEALROOM_* variables.
if [ -n "${SEALROOM_PORT:-}" ]; then export PORT_SEALROOM=${PORT_SEALROOM:-$SEALROOM_PORT}; unset SEALROOM_PORT; fi
export TARGETS=${TARGETS:-"sealroom vertx"} RATES=${RATES:-"10 100 300"} STORE=${STORE:-mem}
exec "$(dirname "$0")/compare.sh" "$@"
