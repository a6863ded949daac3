#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests and print its URL on stdout.
# Usage: eval "$(.ci/postgres.sh start DIR)"  … .ci/postgres.sh stop DIR
# It installs Debian's postgresql package when it is missing, keeps the cluster in DIR, listens
# only on 127.0.0.1 and a socket in DIR, and trusts local connections: it holds test data only.
set -euo pipefail
action=${1:?start or stop}
dir=${2:?a folder for the cluster}
port=${PGPORT_TEST:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
as_owner() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$action" = "stop" ]; then
  [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null || true
  exit 0
fi
if [ -z "$bin" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } >&2
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  else
    echo "PostgreSQL is not installed and cannot be installed here." >&2; exit 1
  fi
fi
mkdir -p "$dir"
[ "$(id -u)" = "0" ] && chown postgres "$dir"
if [ ! -f "$dir/data/PG_VERSION" ]; then
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null
echo "export TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:$port/postgres"
