#!/usr/bin/env bash
# accept-bench.sh - accept throughput of Petrel next to Postfix, driven by smtp-source.
#
#   sudo bench/accept-bench.sh                       # cases c1-4k:2000 c20-4k:10000 c100-4k:10000, 3 reps
#   CASES="c20-4k:5000" REPS=1 bench/accept-bench.sh
#
# Builds Petrel (if needed), writes a loopback config (bench/petrel-lib.sh; data dir
# $BENCH_DIR/data wiped first), starts `./petrel serve`, then runs the shared peer-bench
# (../shared/bench/peer-bench.sh or $PEER_BENCH) with TARGET=Petrel, PEERS="postfix target",
# E2E=0 (Petrel only accepts and spools; Postfix relays to smtp-sink, we compare accept rates).
# Prints a table of the median rates and the Petrel/Postfix ratio; raw lines are kept in
# $BENCH_DIR/accept-*.txt.  Stops everything it started.  Needs root (peer-bench does).
set -euo pipefail
BENCH_NAME=${BENCH_NAME:-accept-bench}
. "$(dirname "$(readlink -f "$0")")/petrel-lib.sh"

PEER_BENCH=${PEER_BENCH:-$PETREL_ROOT/../shared/bench/peer-bench.sh}
CASES=${CASES:-"c1-4k:2000 c20-4k:10000 c100-4k:10000"}
REPS=${REPS:-3}
PEERS=${PEERS:-"postfix target"}
WARMUP=${WARMUP:-1000}          # unrecorded messages per peer first (JIT warm-up for Petrel)
RUN_TIMEOUT=${RUN_TIMEOUT:-120} # cap (s) per smtp-source run (peer-bench's 40 s is short for a slow disk)
RESULTS=${RESULTS:-$BENCH_DIR/${BENCH_NAME%-bench}-$(date +%Y%m%d-%H%M%S).txt}

[ "$(id -u)" = 0 ] || bdie "run as root (peer-bench starts Postfix in its own namespace and cgroup)"
[ -r "$PEER_BENCH" ] || bdie "peer-bench not found at $PEER_BENCH (set PEER_BENCH=/path/to/peer-bench.sh)"
mkdir -p "$BENCH_DIR"

# disk: every accepted message stays in Petrel's spool until the end (~1.5x its size, say)
need_kib=$(awk -v cases="$CASES" -v reps="$REPS" -v warm="$WARMUP" 'BEGIN{
  n=split(cases, c, " "); for (i=1;i<=n;i++) { split(c[i], p, ":"); m=(p[2]==""?10000:p[2])
    s=p[1]; sub(/^c[0-9]+-/, "", s); sub(/-d$/, "", s); k=s+0; if (s ~ /[mM]$/) k*=1024; else if (s !~ /[kK]$/) k/=1024
    t+=m*reps*(k+1)*1.5 } printf "%d", t + warm*3 }')
avail_kib=$(df -Pk "$BENCH_DIR" | awk 'NR==2{print $4}')
[ "$avail_kib" -gt "$need_kib" ] || bdie "need ~$((need_kib/1024)) MiB free on $BENCH_DIR for the spool, have $((avail_kib/1024)) MiB"

raise_nofile 65536
trap 'petrel_stop' EXIT
trap 'exit 130' INT TERM
petrel_write_config
petrel_start

blog "running $PEER_BENCH: PEERS=\"$PEERS\" CASES=\"$CASES\" REPS=$REPS (raw lines: $RESULTS)"
rc=0
TARGET=$PETREL_ADDR TARGET_PID=$PETREL_PID PEERS=$PEERS E2E=${E2E:-0} CASES=$CASES REPS=$REPS \
  WARMUP=$WARMUP RUN_TIMEOUT=$RUN_TIMEOUT RESULTS=$RESULTS bash "$PEER_BENCH" || rc=$?
[ "$rc" = 0 ] || blog "peer-bench exited with $rc"
kill -0 "$PETREL_PID" 2>/dev/null || blog "WARNING: Petrel is no longer running (see $PETREL_LOG)"
blog "Petrel spool after the run: $(du -sh "$BENCH_DIR/data" 2>/dev/null | cut -f1), $(find "$BENCH_DIR/data" -type f 2>/dev/null | wc -l) files"

# table from the stat=median lines: rate = smtp-source messages/s over the whole run
echo
awk -v cases="$CASES" -v e2e="${E2E:-0}" '
  /stat=median/ {
    delete kv; for (i=1;i<=NF;i++) { split($i, f, "="); kv[f[1]]=f[2] }
    k=kv["peer"] SUBSEP kv["case"]
    rate[k]=(e2e ? kv["e2e_rate"] : kv["rate"]); range[k]=kv["rate_range"]; cpu[k]=kv["peer_cpu_ms_per_msg"]; bad[k]=kv["failed_reps"]
  }
  function get(a, peer, c) { return ((peer, c) in a) ? a[peer, c] : "-" }
  END {
    fmt="%-15s %12s %12s %8s %17s %17s %11s\n"
    printf fmt, "case", "petrel_msg/s", "postfix_msg/s", "ratio", "petrel_cpu_ms/msg", "postfix_cpu_ms/msg", "failed_reps"
    n=split(cases, C, " ")
    for (i=1;i<=n;i++) {
      c=C[i]; t=get(rate, "target", c); p=get(rate, "postfix", c)
      ratio=(t ~ /^[0-9.]+$/ && p ~ /^[0-9.]+$/ && p>0) ? sprintf("%.2f", t/p) : "-"
      printf fmt, c, t, p, ratio, get(cpu, "target", c), get(cpu, "postfix", c), get(bad, "target", c) "/" get(bad, "postfix", c)
    }
    if (e2e) print "(medians; msg/s = messages / time from the first connection until the sink counted them all; failed_reps = petrel/postfix)"
    else print "(medians; msg/s = accepted messages / smtp-source wall time; failed_reps = petrel/postfix)"
  }' "$RESULTS" | tee "${RESULTS%.txt}-table.txt"
exit "$rc"
