#!/usr/bin/env bash
# bin/install-test-deps.sh - install the Debian packages the tests use, only those missing, and
# make sure the system Postfix is not running (tests use only its binaries: smtp-sink,
# smtp-source, postfix; Dovecot's binaries likewise: TestDovecot starts its own instance).
# Called by ./test and .ci/run; a no-op (no apt at all) when all is there.
# Needs root only when something is missing.
set -euo pipefail

PACKAGES="maven postfix swaks libnet-ssleay-perl python3 openssl ca-certificates dnsmasq-base dovecot-core dovecot-lmtpd opendkim-tools opendkim python3-dkim python3-authres chromium chromium-driver"
APT_OPTS=(-q -o Acquire::Retries=3 -o Acquire::http::Timeout=30 -o DPkg::Lock::Timeout=120)
START=$(date +%s)
section() { printf '==== %s  (+%ss)\n' "$*" "$(( $(date +%s) - START ))" >&2; }
fail() { printf 'install-test-deps: FAILED: %s\n' "$*" >&2; exit 1; }

section "Packages"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Node.js 18+ with npm runs the mailpit-api client in MailpitClientInteropTest. These machines come
# with a Node.js that is not Debian's, so check the commands rather than dpkg; install Debian's when absent.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then missing="$missing nodejs npm"; fi
if [ -z "$missing" ]; then
  echo "all present: $PACKAGES" >&2
else
  [ "$(id -u)" = 0 ] || fail "missing packages:$missing; install them as root: apt-get install$missing"
  echo "installing:$missing" >&2
  added_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then   # Debian's hook: exit 101 = do not start services
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
    added_policy=1
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  timeout 600 apt-get "${APT_OPTS[@]}" update || fail "apt-get update (see above)"
  # shellcheck disable=SC2086
  timeout 1800 env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y --no-install-recommends $missing \
    || fail "apt-get install$missing (see above)"
  if [ -n "$added_policy" ]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
fi

section "System Postfix must not run"
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
  timeout 60 systemctl disable --now postfix.service >/dev/null 2>&1 || true
fi
if [ -f /etc/postfix/main.cf ] && timeout 20 postfix status >/dev/null 2>&1; then
  echo "stopping the system Postfix"; timeout 60 postfix stop || true
fi
if [ -f /etc/postfix/main.cf ] && timeout 20 postfix status >/dev/null 2>&1; then fail "the system Postfix is still running"; fi
# port 25 (hex 0019) in state LISTEN (0A) on any address?
if awk 'NR>1 && $4=="0A" && $2 ~ /:0019$/ {f=1} END{exit !f}' /proc/net/tcp /proc/net/tcp6 2>/dev/null; then
  echo "warning: something listens on port 25 (not the system Postfix); tests use their own ports"
else
  echo "ok: nothing listens on port 25"
fi

