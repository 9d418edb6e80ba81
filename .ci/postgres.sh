#!/usr/bin/env bash
# Runs a command next to a throwaway PostgreSQL server, for the database tests:
#   .ci/postgres.sh npm test
# Installs Debian's `postgresql` package when no server binaries are present (as root, with
# apt-get), creates a cluster in a temp folder, starts it on a free port on 127.0.0.1 only
# (password login over TCP), runs the command with CUSTOMS_TEST_POSTGRES_URL set, then stops
# the server and removes the folder, whatever happens. When no server can be had, it says why
# and runs the command without the variable: the PostgreSQL tests then skip with that message.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi

say() { echo "postgres.sh: $*" >&2; }

find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

install_postgres() {
  if [ "$(id -u)" -ne 0 ]; then say "PostgreSQL is not installed and this is not root: cannot apt-get install it"; return 1; fi
  if ! command -v apt-get >/dev/null 2>&1; then say "PostgreSQL is not installed and there is no apt-get"; return 1; fi
  # Only refresh the package lists when they do not know the package yet.
  if ! apt-cache policy postgresql 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    say "apt-get update (the package lists do not know postgresql yet)"
    apt-get update -qq >&2 || { say "apt-get update failed"; return 1; }
  fi
  say "installing Debian's postgresql package"
  # No service start during the install (containers have no init; our server is our own).
  local policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy_added=1
  fi
  local ok=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2 || ok=1
  if [ "$policy_added" -eq 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  [ "$ok" -eq 0 ] || { say "apt-get install postgresql failed"; return 1; }
}

free_port() {
  local port tries=0
  while [ "$tries" -lt 50 ]; do
    port=$((20000 + RANDOM % 40000))
    # Nothing answers on it: free (a race with another program is possible; start then fails).
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
    tries=$((tries + 1))
  done
  return 1
}

started=$(date +%s.%N)
BIN=""
if ! BIN=$(find_bin); then
  if install_postgres; then BIN=$(find_bin || true); fi
fi
if [ -z "$BIN" ]; then
  say "no PostgreSQL server available; the PostgreSQL tests will be skipped"
  exec "$@"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/customs-pg.XXXXXX")
# initdb and postgres refuse to run as root: run them as the package's postgres user.
AS=()
if [ "$(id -u)" -eq 0 ]; then
  if ! id postgres >/dev/null 2>&1; then say "running as root and there is no postgres user"; rm -rf "$WORK"; exec "$@"; fi
  chown postgres "$WORK"
  chmod 700 "$WORK"
  AS=(runuser -u postgres --)
fi

stop_server() {
  if [ -f "$WORK/data/postmaster.pid" ]; then
    "${AS[@]}" "$BIN/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
printf '%s\n' "$PASSWORD" >"$WORK/pw"
[ "${#AS[@]}" -eq 0 ] || chown postgres "$WORK/pw"
"${AS[@]}" "$BIN/initdb" -D "$WORK/data" -U customs --pwfile="$WORK/pw" --auth-local=trust --auth-host=scram-sha-256 \
  -E UTF8 --locale=C --no-sync >"$WORK/initdb.log" 2>&1 || { say "initdb failed:"; cat "$WORK/initdb.log" >&2; exit 1; }
rm -f "$WORK/pw"

PORT=""
for _ in 1 2 3; do
  PORT=$(free_port) || { say "no free port found"; exit 1; }
  # A throwaway server: no durability, sockets in our folder, TCP on 127.0.0.1 only.
  if "${AS[@]}" "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w -t 30 start \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$WORK -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null 2>&1; then
    break
  fi
  PORT=""
done
if [ -z "$PORT" ]; then say "the server did not start:"; tail -n 20 "$WORK/server.log" >&2 || true; exit 1; fi

export CUSTOMS_TEST_POSTGRES_URL="postgres://customs:${PASSWORD}@127.0.0.1:${PORT}/postgres"
say "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (ready in $(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $started}") s)"
set +e
"$@"
code=$?
set -e
exit "$code"
