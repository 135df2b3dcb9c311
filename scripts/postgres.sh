#!/usr/bin/env bash
# Start (or stop) a throwaway PostgreSQL server on loopback for the test suite.
#   scripts/postgres.sh start DIR PORT   prints the DATABASE_URL to use
#   scripts/postgres.sh stop DIR
# Installs Debian's postgresql package first if the server binaries are missing.
set -euo pipefail
action=$1
dir=$2
port=${3:-54329}

find_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  echo "$found"
}

as_owner() {
  # PostgreSQL refuses to run as root: run it as the `postgres` system user instead.
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$action" in
  start)
    bin=$(find_bin)
    if [ -z "$bin" ]; then
      echo "Installing PostgreSQL (Debian package postgresql)..." >&2
      if [ "$(id -u)" -eq 0 ]; then
        apt-get install -y -q postgresql >/dev/null 2>&1 \
          || { apt-get update -q >/dev/null 2>&1; apt-get install -y -q postgresql >/dev/null; }
      else
        sudo -n apt-get install -y -q postgresql >/dev/null
      fi
      bin=$(find_bin)
    fi
    [ -n "$bin" ] || { echo "PostgreSQL server binaries not found" >&2; exit 1; }
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
      useradd --system --home-dir "$dir" postgres
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U bettercare --auth=trust -E UTF8 >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off" \
      start >/dev/null
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U bettercare bettercare
    echo "postgres://bettercare@127.0.0.1:$port/bettercare"
    ;;
  stop)
    bin=$(find_bin)
    if [ -n "$bin" ] && [ -d "$dir/data" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start DIR [PORT] | stop DIR" >&2
    exit 2
    ;;
esac
