#!/usr/bin/env bash
# idle-connections.sh - memory of Petrel holding many idle SMTP connections.
#
#   bench/idle-connections.sh                  # 10,000 connections, 10 s idle, -Xmx1g
#   CONNS=2000 HOLD_SECS=5 bench/idle-connections.sh
#
# Starts Petrel (bench/petrel-lib.sh config, max_connections 20000) with
# PETREL_JAVA_OPTS=-Xmx1g, raises the open-file limit, then bench/idle_clients.py opens
# CONNS connections from 127.0.0.2..9, reads each 220 greeting, keeps them idle HOLD_SECS,
# runs jcmd GC.run + GC.heap_info and reads VmRSS, and prints
#   connections_open=N heap_used_mib=X rss_mib=Y ...details
# (Petrel's default command_timeout is 5 min, so the idle connections stay open.)
# Target: 10,000 idle connections in < 1 GiB heap.  Stops everything it started.
set -euo pipefail
BENCH_NAME=idle-connections
. "$(dirname "$(readlink -f "$0")")/petrel-lib.sh"

CONNS=${CONNS:-10000}
HOLD_SECS=${HOLD_SECS:-10}
export PETREL_JAVA_OPTS=${PETREL_JAVA_OPTS--Xmx1g}
[ "$CONNS" -ge 1 ] && [ "$CONNS" -le 60000 ] || bdie "CONNS must be 1..60000"
command -v python3 >/dev/null || bdie "python3 is needed (apt-get install python3)"

mkdir -p "$BENCH_DIR"
raise_nofile 65536
[ "$(ulimit -Sn)" -gt $((CONNS + 500)) ] || bdie "open-file limit $(ulimit -Sn) is too low for $CONNS connections"
trap 'petrel_stop' EXIT
trap 'exit 130' INT TERM
petrel_write_config
petrel_start

# jcmd from the JDK the server actually runs on (/proc/PID/exe -> .../bin/java)
JCMD=$(dirname "$(readlink -f "/proc/$PETREL_PID/exe")")/jcmd
[ -x "$JCMD" ] || { blog "no jcmd next to $(readlink -f "/proc/$PETREL_PID/exe"): heap not measured"; JCMD=""; }

rc=0
timeout -k 10 $((HOLD_SECS + 420)) python3 "$PETREL_ROOT/bench/idle_clients.py" --addr "$PETREL_ADDR" \
  --count "$CONNS" --hold "$HOLD_SECS" --pid "$PETREL_PID" ${JCMD:+--jcmd "$JCMD"} || rc=$?
kill -0 "$PETREL_PID" 2>/dev/null || { blog "WARNING: the server died during the run; log tail:"; tail -n 20 "$PETREL_LOG" >&2; }
[ "$rc" = 0 ] || blog "not every connection stayed open (rc=$rc); see the line above and $PETREL_LOG"
exit "$rc"
