# bench/petrel-lib.sh - sourced by the bench scripts: writes the bench config, starts one
# Petrel (`./petrel serve`) in the background, waits for its 220 greeting, stops it again.
#
# Caller sets BENCH_NAME, then: petrel_write_config; petrel_start; ...; petrel_stop (trap it).
# Knobs: BENCH_DIR (scratch dir on /var/tmp: config, log, data dir - wiped at each start),
#        PETREL_ADDR (loopback listener, default 127.0.0.1:2600), PETREL_START_TIMEOUT (s),
#        PETREL_CMD (run this instead of `./petrel serve --config CONF`, e.g. a stand-in server
#        to try the harness; it must listen on PETREL_ADDR).

PETREL_ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/var/tmp/petrel-bench}
PETREL_ADDR=${PETREL_ADDR:-127.0.0.1:2600}
PETREL_START_TIMEOUT=${PETREL_START_TIMEOUT:-60}
PETREL_CONF=$BENCH_DIR/petrel.toml
PETREL_LOG=$BENCH_DIR/petrel.log
PETREL_PID=""

blog() { printf '%s %s: %s\n' "$(date +%T)" "${BENCH_NAME:-bench}" "$*" >&2; }
bdie() { blog "ERROR: $*"; exit 1; }

case "$PETREL_ADDR" in 127.*:[0-9]*) ;; *) bdie "PETREL_ADDR=$PETREL_ADDR: must be 127.x.x.x:port (loopback only)" ;; esac
case "$BENCH_DIR" in /var/tmp/?*|/tmp/?*) ;; *) bdie "BENCH_DIR=$BENCH_DIR: must be under /var/tmp or /tmp (it is wiped)" ;; esac

raise_nofile() {   # raise the open-file limit for us and our children: to $1, else to the hard limit
  local h
  ulimit -Hn "$1" 2>/dev/null || true   # needs CAP_SYS_RESOURCE (containers often lack it)
  h=$(ulimit -Hn); [ "$h" = unlimited ] || [ "$h" -ge "$1" ] && h=$1
  ulimit -Sn "$h"
  [ "$h" -ge "$1" ] || blog "note: open files limited to $h (hard limit; wanted $1)"
}

petrel_write_config() {   # wipes the data dir, writes $PETREL_CONF; with PETREL_RELAY_TO=127.x:port, relays test.example there
  rm -rf "${BENCH_DIR:?}/data"
  mkdir -p "$BENCH_DIR/data"
  local local_domain='"test.example"' delivery
  delivery=$'[delivery]\nenabled = false   # accept and spool only: the accept rate is what is measured\n\n[local]\nusers = ["bench"]\ncatch_all = "bench"   # any local part of test.example is accepted'
  if [ -n "${PETREL_RELAY_TO:-}" ]; then
    case "$PETREL_RELAY_TO" in 127.*:[0-9]*) ;; *) bdie "PETREL_RELAY_TO=$PETREL_RELAY_TO: must be 127.x.x.x:port" ;; esac
    local_domain='"bench.test"'
    delivery=$'[delivery]\nenabled = true\ntls = "none"\n\n[[delivery.route]]\ndomain = "test.example"\nto = "'"$PETREL_RELAY_TO"$'"\ntls = "none"'
  fi
  cat > "$PETREL_CONF" <<EOF
# written by bench/${BENCH_NAME:-bench} - loopback only
[server]
hostname = "bench.test"
data_dir = "$BENCH_DIR/data"
max_connections = 20000
max_connections_per_ip = 20000

[[listener]]
name = "smtp"
address = "$PETREL_ADDR"
mode = "mx"
tls = "none"

[relay]
local_domains = [$local_domain]
trusted_networks = ["127.0.0.0/8"]

$delivery
EOF
}

petrel_greeting() {   # first line the server sends, or nothing (bounded: 3 s)
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" || exit 1; IFS= read -r line <&3 || exit 1
    printf "QUIT\r\n" >&3; printf "%s\n" "$line"' "${PETREL_ADDR%:*}" "${PETREL_ADDR##*:}" 2>/dev/null | tr -d '\r'
}

petrel_start() {   # builds if needed, checks the config, starts, waits for "220"
  local port=${PETREL_ADDR##*:} end g=""
  if ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
    bdie "something already listens on port $port: $(ss -Hltnp "sport = :$port" | head -1)"
  fi
  if [ -z "${PETREL_CMD:-}" ]; then
    blog "building (if needed) and checking $PETREL_CONF"
    "$PETREL_ROOT/petrel" check-config "$PETREL_CONF" > "$BENCH_DIR/check-config.log" 2>&1 \
      || { cat "$BENCH_DIR/check-config.log" >&2; bdie "petrel check-config failed"; }
  fi
  blog "starting ${PETREL_CMD:-./petrel serve --config $PETREL_CONF} (PETREL_JAVA_OPTS=${PETREL_JAVA_OPTS-default}), log $PETREL_LOG"
  if [ -n "${PETREL_CMD:-}" ]; then
    # shellcheck disable=SC2086
    ( exec $PETREL_CMD ) > "$PETREL_LOG" 2>&1 &
  else
    ( exec "$PETREL_ROOT/petrel" serve --config "$PETREL_CONF" ) > "$PETREL_LOG" 2>&1 &
  fi
  PETREL_PID=$!
  end=$(( $(date +%s) + PETREL_START_TIMEOUT ))
  while :; do
    if ! kill -0 "$PETREL_PID" 2>/dev/null; then
      tail -n 20 "$PETREL_LOG" >&2; PETREL_PID=""; bdie "the server exited before answering on $PETREL_ADDR (log above)"
    fi
    g=$(petrel_greeting) && case "$g" in 220*) break ;; esac
    [ "$(date +%s)" -lt "$end" ] || { tail -n 20 "$PETREL_LOG" >&2; bdie "no 220 greeting on $PETREL_ADDR within ${PETREL_START_TIMEOUT}s"; }
    sleep 0.3
  done
  blog "up: pid $PETREL_PID ($(cat "/proc/$PETREL_PID/comm" 2>/dev/null)), greeting: $g"
}

petrel_stop() {   # TERM, wait up to 20 s, then KILL - only the process we started
  local p=$PETREL_PID i
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null || { PETREL_PID=""; return 0; }
  blog "stopping pid $p"
  kill -TERM "$p" 2>/dev/null
  for i in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$p" 2>/dev/null && { blog "pid $p ignored TERM for 20 s: KILL"; kill -KILL "$p" 2>/dev/null; }
  wait "$p" 2>/dev/null || true   # (its TERM status is not ours)
  PETREL_PID=""
}
