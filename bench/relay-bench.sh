#!/usr/bin/env bash
# relay-bench.sh - end-to-end relay throughput of Petrel next to Postfix: smtp-source sends to
# each server, each relays to the same smtp-sink, and the rate counts until the sink has every
# message (peer-bench's e2e_rate). Petrel routes test.example to the sink with a static route;
# every state change stays durable (spool fsync before 250, removal fsync'ed after delivery).
#
#   sudo bench/relay-bench.sh                       # c1-4k:2000 c20-4k:10000 c100-4k:10000, 3 reps
#   CASES="c20-4k:5000" REPS=1 bench/relay-bench.sh
set -euo pipefail
export BENCH_NAME=relay-bench
export PETREL_RELAY_TO=${SINK:-127.0.0.2:2526}
export SINK=$PETREL_RELAY_TO
export E2E=1
exec "$(dirname "$(readlink -f "$0")")/accept-bench.sh" "$@"
