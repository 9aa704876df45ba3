#!/usr/bin/env bash
# capture-bench.sh - capture throughput: messages per second from smtp-source over SMTP into the
# test inbox ([capture]), counted until the inbox's API reports them all (durably stored).
#
#   bench/capture-bench.sh                         # 3 reps of 10000 messages, 20 sessions, 4 KiB
#   N=5000 C=50 SIZE=1024 REPS=1 bench/capture-bench.sh
#   REUSE=1 N=30000 C=50 WARMUP=30000 bench/capture-bench.sh   # sessions keep their connection
#
# Mailpit documents 200-300 messages/s; the target for Petrel is 3,000/s on these 2-core machines.
# Every recipient is captured, so each message goes straight into the inbox (SQLite WAL, group
# commit, fsync'ed) before its 250, without the spool. With REUSE=0 (default) smtp-source opens a
# connection per message, which costs the client and the kernel about as much as Petrel's work.
set -euo pipefail
BENCH_NAME=capture-bench
. "$(dirname "$(readlink -f "$0")")/petrel-lib.sh"
N=${N:-10000}; C=${C:-20}; SIZE=${SIZE:-4096}; REPS=${REPS:-3}; WARMUP=${WARMUP:-2000}
REUSE=${REUSE:-0}   # 1: each session sends its messages over one connection (smtp-source -d)
INBOX_ADDR=${INBOX_ADDR:-127.0.0.1:8625}
RUN_TIMEOUT=${RUN_TIMEOUT:-300}
case "$INBOX_ADDR" in 127.*:[0-9]*) ;; *) bdie "INBOX_ADDR=$INBOX_ADDR: must be 127.x.x.x:port" ;; esac
command -v smtp-source >/dev/null || bdie "smtp-source missing (apt-get install postfix)"
command -v curl >/dev/null || bdie "curl missing"
raise_nofile 65536
mkdir -p "$BENCH_DIR"
trap 'petrel_stop' EXIT
trap 'exit 130' INT TERM

petrel_write_config
# Capture instead of the accept-only setup: delivery on, every domain into the inbox.
sed -i 's/^enabled = false .*/enabled = true/' "$PETREL_CONF"
cat >> "$PETREL_CONF" <<EOC

[capture]
enabled = true
listen = "$INBOX_ADDR"
max_messages = 0
max_age = 0
EOC
petrel_start

inbox_total() { curl -s --max-time 5 "http://$INBOX_ADDR/api/v1/messages?limit=1" | sed -n 's/.*"total":\([0-9]*\).*/\1/p'; }
send() { # $1 = messages; bounded by RUN_TIMEOUT
  timeout -k 5 "$RUN_TIMEOUT" smtp-source -4 $( [ "$REUSE" = 1 ] && echo -d ) -s "$C" -m "$1" -l "$SIZE" -M bench.client -f bench@client.example \
    -t someone@test.example "$PETREL_ADDR" > /dev/null
}
await_total() { # $1 = expected count; bounded by RUN_TIMEOUT
  local end=$(( $(date +%s) + RUN_TIMEOUT )) t
  while :; do
    t=$(inbox_total); [ "${t:-0}" -ge "$1" ] && return 0
    [ "$(date +%s)" -lt "$end" ] || bdie "the inbox has ${t:-?} of $1 messages after ${RUN_TIMEOUT}s"
    sleep 0.05
  done
}

blog "warm-up: $WARMUP messages"
send "$WARMUP"; await_total "$WARMUP"
expected=$WARMUP
for rep in $(seq 1 "$REPS"); do
  t0=$(date +%s%N)
  send "$N"
  t1=$(date +%s%N)
  expected=$((expected + N))
  await_total "$expected"
  t2=$(date +%s%N)
  awk -v n="$N" -v a="$(( (t1 - t0) / 1000000 ))" -v b="$(( (t2 - t0) / 1000000 ))" -v rep="$rep" -v c="$C" -v s="$SIZE" \
    'BEGIN { printf "rep=%d messages=%d sessions=%d size=%d accepted_per_s=%.0f captured_per_s=%.0f (%.2f s until all were in the inbox)\n",
             rep, n, c, s, n*1000/a, n*1000/b, b/1000 }'
done
