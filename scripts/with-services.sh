#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL 15 and Redis on 127.0.0.1, stopped afterwards
# (also when the command fails). Exports PG_DATABASE_URL and REDIS_URL to the command.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_USER=${PG_USER:-counterpoint-pg}
workdir=$(mktemp -d /tmp/counterpoint-services.XXXXXX)
chmod 755 "$workdir"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi
}

cleanup() {
  status=$?
  if [ -f "$workdir/pg/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$workdir/pg" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ -f "$workdir/redis.pid" ]; then
    kill "$(cat "$workdir/redis.pid")" 2>/dev/null || true
  fi
  rm -rf "$workdir"
  exit $status
}
trap cleanup EXIT INT TERM

# initdb refuses to run as root: the cluster belongs to an unprivileged system user.
if [ "$(id -u)" -eq 0 ] && ! id "$PG_USER" >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
fi
mkdir -p "$workdir/pg" "$workdir/sock"
[ "$(id -u)" -eq 0 ] && chown "$PG_USER" "$workdir/pg" "$workdir/sock"

pg_port=$(free_port)
as_pg "$PG_BIN/initdb" -D "$workdir/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$workdir/pg" -l "$workdir/sock/pg.log" -w -t 30 start \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $workdir/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
echo "==> PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"

redis_port=$(free_port)
redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
  --daemonize yes --pidfile "$workdir/redis.pid" --logfile "$workdir/redis.log"
for _ in $(seq 50); do [ -f "$workdir/redis.pid" ] && break; sleep 0.1; done
echo "==> Redis on 127.0.0.1:$redis_port"

export PG_DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
"$@"
